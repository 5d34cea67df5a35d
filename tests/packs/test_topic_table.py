"""The pack README's figures follow their one source: the topic table is topics.py's output
(issue 20, point 2), the review figures figures.py's (point 4), the Scope counts the bank's."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

# The scripts read the bank of this source tree (not an installed copy), so the tests do too.
_ROOT = Path(__file__).resolve().parents[2]
_SCRIPTS = _ROOT / "docs" / "bank-review"
_REVIEW_README = _SCRIPTS / "README.md"
_PACK_README = _ROOT / "question_banks" / "cetl-core" / "README.md"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bank_review_{name}", _SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _between(text: str, begin: str, end: str) -> str:
    return text[text.index(begin) + len(begin) : text.index(end)].strip()


def _pack_readme() -> str:
    return _PACK_README.read_text("utf-8")


def test_readme_topic_table_equals_the_script_output() -> None:
    """The table in the pack README is exactly what topics.py computes from the bank's tags."""
    table = _between(_pack_readme(), "<!-- topics:begin -->", "<!-- topics:end -->")
    topics = _script("topics")
    assert table == topics.table(topics.questions())


def test_every_question_covers_a_topic_of_its_skill() -> None:
    """No question of the shipped bank falls outside the topics of its skill area."""
    topics = _script("topics")
    assert topics.uncovered(topics.questions()) == []


def test_counts_follow_the_tags() -> None:
    """A question counts once for each topic of its own skill that one of its tags belongs to."""
    topics = _script("topics")
    skill = "data-management"
    q = {"id": "x", "skill": skill, "tags": ["ferpa", "dashboards", "vision"]}
    counts = topics.counts([q])[skill]
    assert counts["Privacy law and disclosure (FERPA, COPPA, PPRA)"] == 1
    assert counts["Analytics, reporting and data use"] == 1
    assert sum(counts.values()) == 2
    assert topics.uncovered([{**q, "tags": ["vision"]}]) == ["x"]


def test_both_readmes_hold_the_review_figures_the_script_computes() -> None:
    """The review-figures block of the pack README and of docs/bank-review/README.md, and the
    per-round details of the latter, are exactly figures.py's output from the records."""
    figures = _script("figures")
    summary = figures.summary()
    review = _REVIEW_README.read_text("utf-8")
    assert figures.between(_pack_readme(), figures.SUMMARY) == summary
    assert figures.between(review, figures.SUMMARY) == summary
    assert figures.between(review, figures.DETAILS) == figures.details()


def test_latest_review_is_the_last_one_of_the_current_revision() -> None:
    """A review of an older revision does not count for the bank; a later review of the same
    revision replaces an earlier one."""
    figures = _script("figures")
    bank = {"a": {"revision": 2}, "b": {"revision": 1}}
    ordered = [
        {"id": "a", "revision": 1, "cued": True, "agreed": True},
        {"id": "b", "revision": 1, "cued": False, "agreed": True},
        {"id": "b", "revision": 1, "cued": True, "agreed": True},
    ]
    assert figures.latest(ordered, bank) == {"b": ordered[2]}
    assert figures.flips(ordered) == (1, 1, 1)


def test_percentages_never_round_a_part_to_all_or_none() -> None:
    """368 of 369 is not shown as 100%, 1 of 1,000 not as 0%."""
    figures = _script("figures")
    assert (figures.pct(368, 369), figures.pct(1, 1000), figures.pct(45, 121)) == (
        "99.7%",
        "0.1%",
        "37%",
    )


def test_scope_figures_in_the_pack_readme_follow_the_bank() -> None:
    """The Scope section's counts (per skill area, multiple-answer, difficulty) are the bank's."""
    topics = _script("topics")
    qs = topics.questions()
    scope = " ".join(_between(_pack_readme(), "## Scope", "## Topics per skill area").split())
    n = len(qs)
    multiple = sum(q["type"] == "multiple" for q in qs)
    level = [sum(q.get("difficulty", 2) == d for q in qs) for d in (1, 2, 3)]
    assert f"{n:,} questions over the 10 skill areas" in scope
    for skill, title in topics.titles().items():
        assert f"{title} {sum(q['skill'] == skill for q in qs)}" in scope
    assert f"{multiple} ({100 * multiple / n:.0f}%) are multiple-answer" in scope
    assert (
        f"1 / 2 / 3: {level[0]} / {level[1]} / {level[2]} "
        f"({100 * level[2] / n:.0f}% of difficulty 3)" in scope
    )


def _question(qid: str, texts: list[str], key: int, stem: str = "Which step comes first?") -> dict:
    return {
        "id": qid,
        "type": "single",
        "stem": stem,
        "options": [{"id": "abcd"[i], "text": t, "correct": i == key} for i, t in enumerate(texts)],
    }


def test_form_strategies_count_the_key_and_share_ties() -> None:
    """The mechanical strategies score a strategy that always finds the key at 100%, one that
    never does at 0%, and split a tie between options evenly."""
    figures = _script("figures")
    bank = {
        "q1": _question("q1", ["a much longer option than the rest", "short", "brief", "tiny"], 0),
        "q2": _question("q2", ["the longest of the four options here", "one", "two", "six"], 0),
    }
    line = figures.heuristics_line(bank)
    assert "the longest option 100%" in line
    assert "the shortest option 0%" in line  # "one", "two", "six" tie: none is the key
    # every option has no absolute: a four-way tie, a quarter of a pick each
    assert "the option with the fewest absolutes 25%" in line
    assert "(a blind guess: 25%)" in line
