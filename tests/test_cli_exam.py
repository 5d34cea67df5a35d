"""``studyapp exam``: build (codes deterministic across fresh profiles), sit, status, result."""

from __future__ import annotations

import json
import re

import pytest

from tests import shipped

CETL_100 = {
    "leadership-vision": 15,
    "strategic-planning": 15,
    "ethics-policies": 10,
    "instructional-focus": 12,
    "team-building": 9,
    "stakeholder-focus": 9,
    "it-management": 9,
    "communication-systems": 7,
    "business-management": 7,
    "data-management": 7,
}


def build(cli, *args, data_dir=None):
    result = cli("exam", "build", *args, "--json", data_dir_arg=data_dir)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_build_prints_the_cetl_blueprint_exam_in_order(cli):
    """100 questions, ids pack/question with their skill areas, 15/15/10/12/9/9/9/7/7/7."""
    doc = build(cli, "--blueprint", "cetl", "--length", "100", "--seed", "7")
    assert re.fullmatch(r"CETL-100-[0-9A-HJKMNP-TV-Z]{7}", doc["code"])
    assert len(doc["questions"]) == 100
    assert all(set(q) == {"id", "skill"} for q in doc["questions"])
    assert all(q["id"].startswith("cetl-core/") for q in doc["questions"])
    assert len({q["id"] for q in doc["questions"]}) == 100
    counts: dict[str, int] = {}
    for q in doc["questions"]:
        counts[q["skill"]] = counts.get(q["skill"], 0) + 1
    assert counts == CETL_100
    assert doc["packs"] == {"cetl-core": shipped.VERSION}
    assert doc["share_line"] == f"{doc['code']} cetl-core@{shipped.VERSION}"


@pytest.mark.parametrize(
    "args",
    [
        ("--length", "100", "--seed", "1"),
        ("--length", "20", "--seed", "4095"),
        ("--length", "45", "--seed", "99", "--skill", "data-management", "ethics-policies"),
    ],
)
def test_codes_are_deterministic_across_two_fresh_profiles(cli, tmp_path, args):
    """The same options give the same code and exam in another fresh profile, and the code
    alone rebuilds it there."""
    first = build(cli, *args, data_dir=tmp_path / "one")
    again = build(cli, *args, data_dir=tmp_path / "two")
    from_code = build(cli, "--code", first["code"], data_dir=tmp_path / "two")
    assert again["code"] == first["code"] == from_code["code"]
    assert again["questions"] == first["questions"] == from_code["questions"]
    assert build(cli, "--code", first["code"].lower(), data_dir=tmp_path / "two") == from_code


def test_a_subset_exam_keeps_only_the_chosen_skills(cli):
    """Two skill areas split 17 questions by their weights (10/7)."""
    doc = build(
        cli, "--length", "17", "--seed", "3", "--skill", "ethics-policies", "Data Management"
    )
    assert {q["skill"] for q in doc["questions"]} == {"ethics-policies", "data-management"}
    assert doc["counts"]["ethics-policies"] == 10 and doc["counts"]["data-management"] == 7


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("CETL-100-7KQ3MX0", "does not check out"),
        ("CETL-100-7KQ3", "too short"),
        ("not a code", "not an exam code"),
        ("CETL-100-UUUUUUU", "contains U"),
    ],
)
def test_a_bad_code_is_one_clear_line(cli, code, words):
    """Exit 1 and one sentence on stderr, never a traceback."""
    result = cli("exam", "build", "--code", code, "--json")
    assert result.code == 1 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studyapp: error: ") and words in lines[0]


def test_code_and_blueprint_options_together_are_a_usage_error(cli):
    """--code excludes --seed/--length/--blueprint/--skill (exit 2)."""
    result = cli("exam", "build", "--code", "CETL-100-XXJBTY5", "--seed", "3")
    assert result.code == 2 and "either --code" in result.err


def test_sit_status_result_and_history(cli):
    """A scripted candidate answers, status shows the stored time, submit gives a result."""
    sat = cli("exam", "sit", "--answers", "3", "--length", "10", "--seed", "5")
    assert sat.code == 0, sat.err
    lines = sat.out.splitlines()
    assert lines[0].startswith("exam 1 code=CETL-10-") and len(lines) == 4
    answered = [re.match(r"answered (\d) position=(\d+) (\S+) chosen=(\S+)", x) for x in lines[1:]]
    assert all(answered) and [m.group(2) for m in answered if m] == ["1", "2", "3"]
    status = json.loads(cli("exam", "status", "--json").out)
    assert (status["answered"], status["unanswered"], status["status"]) == (3, 7, "paused")
    assert status["interrupted"] and 0 < status["remaining_ms"] <= status["time_limit_ms"]
    assert status["time_limit_ms"] == 12 * 60_000
    done = cli("exam", "sit", "--answers", "20", "--seed", "6", "--submit")
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1].startswith("submitted raw=")
    assert json.loads(cli("exam", "status", "--json").out) == {"exam": None}
    result = json.loads(cli("exam", "result", "--json").out)
    assert result["answered"] == 10 and len(result["items"]) == 10
    assert result["pass_scaled"] == 600 and result["assumed_raw_cut"] == 7
    assert sum(c["total"] for c in result["categories"]) == 10
    history = json.loads(cli("exam", "history", "--json").out)
    assert [e["code"] for e in history["exams"]] == [status["code"]]
    text = cli("exam", "result")
    assert "estimated scaled score" in text.out and "raw cut of 7/10" in text.out
