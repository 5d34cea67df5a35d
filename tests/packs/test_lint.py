"""pack lint: each item-writing rule fires on a flawed item and stays quiet on a clean one."""

from __future__ import annotations

import json
from dataclasses import replace

from studyapp.packs.lint import lint_questions
from studyapp.services.packs import lint_pack_file, shipped_frameworks
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
