"""``studyapp settings get|set`` and studying toward a framework other than CETL."""

from __future__ import annotations

import json
from dataclasses import replace

from studyapp.domain.framework import framework_from_dict
from tests.packs.factory import pack, question, write_dir

NOW = "2026-12-01T18:00:00Z"


def _state_framework() -> dict:
    """A made-up state CTO framework: two categories, other weights, length and pass mark."""
    return {
        "format": "studyapp-framework",
        "format_version": 1,
        "id": "state-cto",
        "version": "2026.1",
        "title": "State CTO Certificate",
        "description": "Two areas, for tests.",
        "exam": {
            "length": 10,
            "scale_min": 0,
            "scale_max": 100,
            "pass_scaled": 75,
            "time_limit_minutes": 20,
            "assumed_raw_cut": 0.75,
        },
        "categories": [
            {
                "id": "operations",
                "title": "Operations",
                "skill_areas": [
                    {"id": "networks", "title": "Networks", "weight": 0.7, "description": "N."}
                ],
            },
            {
                "id": "people",
                "title": "People",
                "skill_areas": [
                    {"id": "staffing", "title": "Staffing", "weight": 0.3, "description": "S."}
                ],
            },
        ],
    }


def _install_state_pack(cli, tmp_path) -> None:
    fw = framework_from_dict(_state_framework())
    qs = [question(f"n{i}", "networks") for i in range(12)] + [
        question(f"s{i}", "staffing") for i in range(6)
    ]
    p = pack(qs, pack_id="state-cto-core")
    p = replace(p, manifest=replace(p.manifest, framework="state-cto"), framework=fw)
    folder = write_dir(p, tmp_path / "state-pack")
    result = cli("--now", NOW, "pack", "import", str(folder))
    assert result.code == 0, result.err


def test_settings_get_json_lists_every_user_setting(cli):
    """get --json is one object of key -> value with the documented keys and defaults."""
    result = cli("--now", NOW, "settings", "get", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["target_framework"] == "cetl" and doc["exam_date"] is None
    assert doc["daily_goal_minutes"] == 30 and doc["desired_retention"] == 0.9
    assert "display_name" in doc and "daily_new_limit" in doc


def test_settings_set_then_get_one_key(cli):
    """A valid value is stored; get KEY prints it alone; get KEY --json is {KEY: value}."""
    assert cli("--now", NOW, "settings", "set", "exam_date", "2027-03-15").code == 0
    assert cli("--now", NOW, "settings", "set", "display_name", "Ana Ruiz").code == 0
    assert cli("--now", NOW, "settings", "set", "daily_goal_minutes", "45").code == 0
    assert cli("--now", NOW, "settings", "get", "exam_date").out == "2027-03-15\n"
    doc = json.loads(cli("--now", NOW, "settings", "get", "display_name", "--json").out)
    assert doc == {"display_name": "Ana Ruiz"}
    assert json.loads(cli("settings", "get", "--json").out)["daily_goal_minutes"] == 45
    assert cli("--now", NOW, "settings", "set", "exam_date", "none").code == 0
    assert json.loads(cli("settings", "get", "--json").out)["exam_date"] is None


def test_settings_set_json_prints_the_stored_value_as_get_does(cli):
    """set KEY VALUE --json is one object {KEY: value}, the same as get KEY --json after it."""
    result = cli("--now", NOW, "settings", "set", "desired_retention", "0.85", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"desired_retention": 0.85}
    got = cli("--now", NOW, "settings", "get", "desired_retention", "--json").out
    assert json.loads(got) == json.loads(result.out)
    cleared = cli("--now", NOW, "settings", "set", "exam_date", "none", "--json")
    assert json.loads(cleared.out) == {"exam_date": None}


def test_bad_values_are_one_line_exit_1_and_change_nothing(cli):
    """Past dates, out-of-range numbers, unknown frameworks and keys: one line, exit 1."""
    before = cli("--now", NOW, "settings", "get", "--json").out
    cases = {
        ("exam_date", "2020-01-01"): (
            "exam_date must be a date in the future, as YYYY-MM-DD; got 2020-01-01"
        ),
        ("exam_date", "2026-12-01"): "exam_date must be a date in the future",
        ("exam_date", "soon"): "got soon",
        ("desired_retention", "1.5"): "desired_retention must be a number from 0.70 to 0.99",
        ("daily_goal_minutes", "ten"): "daily_goal_minutes must be a whole number",
        ("target_framework", "nope"): "target_framework must be an installed framework (cetl)",
        ("colour", "red"): "unknown setting 'colour'",
    }
    for (key, value), message in cases.items():
        result = cli("--now", NOW, "settings", "set", key, value)
        assert result.code == 1, (key, value)
        assert message in result.err and len(result.err.strip().splitlines()) == 1, result.err
        assert "Traceback" not in result.err
    assert cli("--now", NOW, "settings", "get", "--json").out == before


def test_target_framework_switch_follows_stats_and_exams_and_keeps_progress(cli, tmp_path):
    """With a non-CETL target, stats and exam building follow it; CETL progress stays."""
    assert cli("--now", NOW, "drill", "--answers", "5", "--seed", "1").code == 0
    _install_state_pack(cli, tmp_path)
    assert json.loads(cli("--now", NOW, "stats", "--json").out)["framework"] == "cetl"
    result = cli("--now", NOW, "settings", "set", "target_framework", "state-cto")
    assert result.code == 0, result.err
    stats = json.loads(cli("--now", NOW, "stats", "--json").out)
    assert stats["framework"] == "state-cto"
    assert [s["id"] for s in stats["skills"]] == ["networks", "staffing"]
    assert [s["questions"] for s in stats["skills"]] == [12, 6]
    assert stats["exam_length"] == 10
    built = json.loads(
        cli("--now", NOW, "exam", "build", "--length", "10", "--seed", "7", "--json").out
    )
    assert {q["skill"] for q in built["questions"]} == {"networks", "staffing"}
    assert len(built["questions"]) == 10
    by_bp = json.loads(
        cli("exam", "build", "--blueprint", "state-cto", "--seed", "7", "--json").out
    )
    assert len(by_bp["questions"]) == 10, "the framework's own exam length"
    drilled = cli("--now", NOW, "drill", "--answers", "4", "--seed", "2")
    assert drilled.code == 0, drilled.err
    assert all(
        line.split()[3] in ("skill=networks", "skill=staffing")
        for line in drilled.out.splitlines()
        if line.startswith("answered ")
    ), "the planner draws from the target framework"
    assert cli("--now", NOW, "settings", "set", "target_framework", "cetl").code == 0
    back = json.loads(cli("--now", NOW, "stats", "--json").out)
    assert back["framework"] == "cetl" and sum(s["seen"] for s in back["skills"]) == 5
    assert back["reviews"] == 9


def test_mock_exam_setup_follows_the_target(cli, tmp_path):
    """The mock exam setup offers the target framework's areas, length and time."""
    from studyapp.config import AppPaths
    from studyapp.services.exams.service import ExamService
    from studyapp.services.profile import Profile
    from studyapp.services.system_clock import SystemClock

    _install_state_pack(cli, tmp_path)
    assert cli("settings", "set", "target_framework", "state-cto").code == 0
    profile = Profile.open(AppPaths(cli.data_dir, tmp_path / "logs"), SystemClock(), "test")
    try:
        info = ExamService(profile).setup_info()
    finally:
        profile.close()
    assert info.blueprint == "state-cto" and info.full_length == 10 and info.full_minutes == 20
    assert [s.id for s in info.skills] == ["networks", "staffing"]
