"""pack lint: each item-writing rule fires on a flawed item and stays quiet on a clean one."""

from __future__ import annotations

import json
from dataclasses import replace

from studyapp.packs.lint import lint_questions
from studyapp.services.packs.files import lint_pack_file, shipped_frameworks
from tests.packs.factory import pack, question, reseal, write_dir

CETL = shipped_frameworks()["cetl"]


def rules(questions, framework=None, others=()):
    return sorted({w.rule for w in lint_questions("p", questions, framework, others)})


def with_options(q, texts):
    opts = tuple(replace(o, text=t) for o, t in zip(q.options, texts, strict=True))
    return replace(q, options=opts)


def test_clean_question_has_no_warning():
    """The factory's question is written to the guidelines."""
    assert rules([question("q1")]) == []


def test_all_or_none_of_the_above():
    """'All of the above' and 'none of the above' are flagged."""
    q = with_options(question("q1"), ["Plan first", "Buy now", "Ask later", "All of the above"])
    assert "all-none-of-the-above" in rules([q])


def test_unmarked_negative_but_not_capitals_or_at_least():
    """Lower-case 'not' is flagged; NOT in capitals and 'at least' are fine."""
    assert "unmarked-negative" in rules(
        [replace(question("q1"), stem="Which is not a FERPA right?")]
    )
    assert rules([replace(question("q1"), stem="Which is NOT a FERPA right?")]) == []
    assert (
        rules([replace(question("q1"), stem="Students at least 13 years old: which rule applies?")])
        == []
    )


def test_key_longest_by_margin():
    """A key far longer than every distractor is flagged."""
    q = with_options(
        question("q1"),
        [
            "Convene the stakeholders, review the data, then decide together",
            "Buy it",
            "Wait",
            "Ask IT",
        ],
    )
    assert "key-longest" in rules([q])


def test_stem_words_only_in_key():
    """Stem words repeated only in the key are a clue."""
    q = replace(question("q1"), stem="How should the district protect archived transcripts?")
    q = with_options(
        q, ["Encrypt archived transcripts at rest", "Print them", "Email them", "Delete logs"]
    )
    assert "stem-clue-in-key" in rules([q])


def test_long_stem():
    """A stem over 120 words is flagged."""
    assert "long-stem" in rules([replace(question("q1"), stem=" ".join(["word"] * 130) + "?")])


def test_missing_rationale():
    """An option without a rationale is flagged (interchange imports may lack them)."""
    q = question("q1")
    q = replace(q, options=(replace(q.options[0], rationale=""), *q.options[1:]))
    assert "missing-rationale" in rules([q])


def test_position_imbalance_and_key_longest_pattern():
    """Keys always at A, and keys usually longest, are pack-level warnings."""
    qs = [question(f"q{i}") for i in range(30)]  # the factory puts every key at A
    assert "position-imbalance" in rules(qs)
    longish = [
        with_options(q, [o.text + " with extra words" if o.correct else o.text for o in q.options])
        for q in qs
    ]
    assert "key-longest-pattern" in rules(longish)


def test_near_duplicates_within_and_across_packs():
    """Nearly identical stems are flagged, also against another pack."""
    stem = (
        "A superintendent asks the CTO how to respond to a ransomware attack on payroll. "
        "What FIRST?"
    )
    a, b = (
        replace(question("q1"), stem=stem),
        replace(question("q2"), stem=stem.replace("payroll", "the SIS")),
    )
    assert "near-duplicate" in rules([a, b])
    warnings = lint_questions("p", [a], None, [("other-pack", b)])
    assert any("other-pack" in w.message for w in warnings)


def test_under_blueprint_share():
    """A large pack that neglects a heavily weighted skill area is flagged."""
    qs = [
        replace(
            question(f"q{i}", "data-management"),
            stem=f"Case {i}: distinct scenario number {i} about topic {i * 7}. What now?",
        )
        for i in range(60)
    ]
    warnings = lint_questions("p", qs, CETL)
    assert any(
        w.rule == "under-blueprint-share" and "leadership-vision" in w.where for w in warnings
    )


def test_allow_list_explains_a_warning_only_with_a_reason(tmp_path):
    """lint-allow.json entries with a reason move a warning to 'allowed'; exit code follows."""
    q = replace(question("q1"), stem="Which is not required?")
    folder = write_dir(pack([q]), tmp_path / "p")
    assert [w.rule for w in lint_pack_file(folder).warnings] == ["unmarked-negative"]
    (folder / "lint-allow.json").write_text(
        json.dumps([{"rule": "unmarked-negative", "id": "q1", "reason": ""}])
    )
    reseal(folder)
    assert lint_pack_file(folder).warnings, "an entry without a reason explains nothing"
    (folder / "lint-allow.json").write_text(
        json.dumps(
            [{"rule": "unmarked-negative", "id": "q1", "reason": "quotes the statute's wording"}]
        )
    )
    reseal(folder)
    report = lint_pack_file(folder)
    assert report.warnings == () and report.allowed[0][1] == "quotes the statute's wording"


def test_cli_lint_exit_codes(cli, tmp_path):
    """pack lint exits 1 with unexplained warnings and 0 when clean."""
    clean = write_dir(pack([question("q1")]), tmp_path / "clean")
    assert cli("pack", "lint", str(clean)).code == 0
    flawed = write_dir(
        pack([replace(question("q1"), stem="Which is not allowed?")]), tmp_path / "flawed"
    )
    result = cli("pack", "lint", str(flawed), "--json")
    assert result.code == 1
    assert json.loads(result.out)["warnings"][0]["rule"] == "unmarked-negative"


def test_shipped_bank_has_no_unexplained_warnings():
    """The CETL bank passes its own item-writing checker."""
    from studyapp.config import shipped_banks_dir

    report = lint_pack_file(shipped_banks_dir() / "cetl-core")
    assert report.warnings == (), [f"{w.rule} {w.where}" for w in report.warnings]


def test_absolute_distractors_fires_only_when_every_distractor_is_absolute():
    """A hedged key among absolute distractors is flagged; one measured distractor clears it."""
    cued = with_options(
        question("q1"),
        [
            "Review the contract with counsel before renewing",
            "Always renew the contract at once",
            "Never sign a contract with this vendor",
            "Renew every contract the district holds",
        ],
    )
    assert "absolute-distractors" in rules([cued])
    fair = with_options(
        question("q1"),
        [
            "Review the contract with counsel before renewing",
            "Always renew the contract at once",
            "Ask the vendor for a shorter term first",
            "Renew every contract the district holds",
        ],
    )
    assert "absolute-distractors" not in rules([fair])


def test_option_restates_stem_when_only_the_key_echoes_it():
    """A key echoing three stem content words when no distractor does is flagged."""
    q = replace(
        question("q1"),
        stem="Which practice compares current performance against desired performance?",
    )
    glossed = with_options(
        q,
        [
            "A practice comparing current performance with desired performance",
            "A SWOT review",
            "A Gantt chart",
            "A logic model",
        ],
    )
    assert "option-restates-stem" in rules([glossed])
    plain = with_options(q, ["A gap analysis", "A SWOT review", "A Gantt chart", "A logic model"])
    assert "option-restates-stem" not in rules([plain])


def test_near_duplicate_key_catches_reworded_stems_with_the_same_key():
    """Two differently worded stems with the same key are flagged; a different key is not."""
    a = with_options(
        replace(
            question("q1"),
            stem="A blind student's screen reader cannot read the new math platform. "
            "What should the CTO do FIRST?",
        ),
        [
            "Convene the 504 team and require the vendor's accessibility fix",
            "Buy new laptops",
            "Wait for the vendor",
            "Print the worksheets",
        ],
    )
    b = with_options(
        replace(
            question("q2"),
            stem="The new math platform fails with the screen reader used by a blind student. "
            "What comes FIRST?",
        ),
        [
            "Require the vendor's accessibility fix and convene the 504 team",
            "Order braille books",
            "Switch platforms",
            "Ask the principal",
        ],
    )
    assert "near-duplicate" not in rules([a, b]), "the wording differs too much for the old rule"
    assert "near-duplicate-key" in rules([a, b])
    other_key = with_options(b, ["Order braille books", "Switch platforms", "Ask", "Wait"])
    other_key = replace(
        other_key,
        options=tuple(replace(o, correct=i == 0) for i, o in enumerate(other_key.options)),
    )
    assert "near-duplicate-key" not in rules([a, other_key])
    warnings = lint_questions("p", [a], None, [("other-pack", b)])
    assert any(w.rule == "near-duplicate-key" and "other-pack" in w.message for w in warnings)


def test_near_duplicate_key_is_fast_on_a_large_pack():
    """near-duplicate-key on 10,000 questions takes seconds (pairs come from rare words)."""
    import time

    from studyapp.packs.lint import _same_fact

    def word(n: int, prefix: str = "quorx") -> str:
        """A distinct alphabetic word per number (the linter reads letters only)."""
        letters = ""
        while True:
            n, r = divmod(n, 25)
            letters += "abcdefghijklmnopqrtuvwxyz"[r]  # no "s": the linter folds plurals
            if n == 0:
                return prefix + letters

    qs = [
        with_options(
            replace(
                question(f"q{i}"),
                stem=f"Scenario {word(3 * i)} {word(3 * i + 1)} involving budget "
                f"{word(i % 97, 'zelqa')}. What FIRST?",
            ),
            [f"Answer {word(i, 'vantr')} budget", "Other one", "Other two", "Other three"],
        )
        for i in range(10_000)
    ]
    start = time.perf_counter()
    warnings = _same_fact(qs, [])
    assert time.perf_counter() - start < 10
    assert warnings == []


def _balanced(qs):
    """Rotate keys through A-D so the pack-wide position rule is quiet."""
    out = []
    for i, q in enumerate(qs):
        k = i % 4
        out.append(
            replace(q, options=tuple(replace(o, correct=j == k) for j, o in enumerate(q.options)))
        )
    return out


def _short_keys(qs):
    """Keys shorter than every distractor, so no key is the longest option."""
    return [with_options(q, [o.text[:-1] if o.correct else o.text for o in q.options]) for q in qs]


def test_per_skill_position_and_key_longest():
    """One skill with every key at A (or every key longest) is flagged in a balanced pack."""
    lv = _short_keys([question(f"lv{i}", "leadership-vision") for i in range(30)])  # keys at A
    sp = _short_keys(_balanced([question(f"sp{i}", "strategic-planning") for i in range(90)]))
    warnings = lint_questions("p", lv + sp, None)
    assert [w.where for w in warnings if w.rule == "position-imbalance-skill"] == [
        "p: leadership-vision"
    ]
    clean = _short_keys(_balanced(lv)) + sp
    assert "position-imbalance-skill" not in rules(clean)
    assert "key-longest-skill" not in rules(clean)
    longish = [
        with_options(q, [o.text + " plus words" if o.correct else o.text for o in q.options])
        for q in _balanced(lv)
    ]
    found = lint_questions("p", longish + sp, None)
    assert [w.where for w in found if w.rule == "key-longest-skill"] == ["p: leadership-vision"]


def test_tag_skill_mismatch_needs_every_tag_owned_elsewhere():
    """A question whose tags all belong to another skill is flagged; rare tags never are."""
    home = [
        replace(question(f"ep{i}", "ethics-policies"), tags=("cipa",), stem=f"Case {i}?")
        for i in range(6)
    ]
    stray = replace(question("cs1", "communication-systems"), tags=("cipa",), stem="Filter?")
    assert "tag-skill-mismatch" in rules([*home, stray])
    mixed = replace(stray, tags=("cipa", "network-design"))
    assert "tag-skill-mismatch" not in rules([*home, mixed]), "a tag of its own says nothing"
    rare = [replace(q, tags=("hipaa",)) for q in home[:3]]
    assert "tag-skill-mismatch" not in rules([*rare, replace(stray, tags=("hipaa",))]), (
        "a tag used fewer than 5 times belongs to no skill"
    )
