"""stats, drill and simulate on the command line."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from contextlib import closing

NOW = "2026-12-01T18:00:00Z"


def test_drill_then_stats_gives_consistent_counts(cli):
    """Every 'answered' line is one review in stats, and seen counts add up."""
    result = cli("--now", "2026-12-01T18:00:00Z", "drill", "--answers", "25", "--seed", "3")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 25 and all(line.startswith("answered ") for line in lines)
    stats = json.loads(cli("--now", "2026-12-01T19:00:00Z", "stats", "--json").out)
    assert stats["reviews"] == 25
    distinct = {line.split()[2] for line in lines}
    assert sum(s["seen"] for s in stats["skills"]) == len(distinct)
    for key in ("readiness", "skills"):
        assert key in stats
    assert set(stats["skills"][0]) >= {
        "id",
        "questions",
        "seen",
        "mastery",
        "mastery_low",
        "mastery_high",
        "due",
        "leeches",
    }


def test_drill_is_deterministic_with_seed_and_now(cli, tmp_path):
    """The same seed and --now on a fresh profile give the same answers."""
    a = cli(
        "--now",
        "2026-12-01T18:00:00Z",
        "drill",
        "--answers",
        "12",
        "--seed",
        "9",
        data_dir_arg=tmp_path / "a",
    )
    b = cli(
        "--now",
        "2026-12-01T18:00:00Z",
        "drill",
        "--answers",
        "12",
        "--seed",
        "9",
        data_dir_arg=tmp_path / "b",
    )
    strip = [" ".join(line.split()[:5]) for line in a.out.splitlines()]
    assert strip == [" ".join(line.split()[:5]) for line in b.out.splitlines()]


def test_drill_interactive_protocol(tmp_path):
    """Questions go out as JSON lines, answers come in as JSON lines, EOF stops."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "studyapp",
            "--data-dir",
            str(tmp_path / "p"),
            "drill",
            "--answers",
            "3",
            "--interactive",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out_lines = []
    for _ in range(2):
        question = json.loads(proc.stdout.readline())
        assert set(question) == {
            "id",
            "skill",
            "multiple",
            "options",
            "reason",
            "explanation_first",
        }
        assert question["reason"] == "new" and question["explanation_first"] is False
        proc.stdin.write(
            json.dumps({"chosen": question["options"][:1], "seconds": 12, "guessed": False}) + "\n"
        )
        proc.stdin.flush()
        out_lines.append(proc.stdout.readline())
    proc.stdin.close()
    proc.wait(timeout=120)
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == 0, err
    assert all(line.startswith("answered ") for line in out_lines)


def test_drill_rejects_malformed_answer_lines(tmp_path):
    """A malformed answer line is one clear error, not a traceback."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "studyapp",
            "--data-dir",
            str(tmp_path / "p"),
            "drill",
            "--answers",
            "2",
            "--interactive",
        ],
        input="not json\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "chosen" in proc.stderr


def test_simulate_json_shape(cli):
    """simulate --json has the planner and the three baselines and a Brier score."""
    result = cli("simulate", "--learners", "2", "--days", "12", "--minutes-per-day", "15", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert set(doc["policies"]) == {"planner", "uniform", "due_first", "shuffled"}
    for policy in doc["policies"].values():
        assert set(policy) >= {"pass_rate", "expected_score", "days_to_pass", "minutes_to_pass"}
    assert 0 <= doc["readiness_brier"] <= 1


def _answered(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("answered ")]


def test_drill_minutes_stops_at_the_reported_time_with_one_end_line(cli):
    """--minutes M stops once the answers' seconds reach M minutes, then one end line."""
    result = cli("--now", NOW, "drill", "--answers", "500", "--minutes", "4", "--seed", "5")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    end = [line for line in lines if line.startswith("end ")]
    assert len(end) == 1 and lines[-1] == end[0]
    fields = dict(part.split("=") for part in end[0].split()[1:])
    assert fields["reason"] == "minutes" and int(fields["answers"]) == len(_answered(result.out))
    assert 240 <= float(fields["seconds"]) < 240 + 45, "stops at the first answer past 4 min"
    assert len(_answered(result.out)) < 500


def test_drill_without_minutes_prints_no_end_line(cli):
    """Existing scripts see only 'answered' lines when --minutes is not given."""
    result = cli("--now", NOW, "drill", "--answers", "6", "--seed", "5")
    assert result.out.splitlines() == _answered(result.out) and len(_answered(result.out)) == 6


def test_drill_daily_limit_honours_the_profile_limit_and_says_when_the_clock_jumps(cli):
    """--daily-limit introduces no more new questions a study day than the setting, and
    the drill prints a clock line when it moves to the next day."""
    assert cli("--now", NOW, "settings", "set", "daily_new_limit", "3").code == 0
    result = cli("--now", NOW, "drill", "--answers", "8", "--daily-limit", "--seed", "2")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    clock_lines = [line for line in lines if line.startswith("clock ")]
    assert clock_lines, "the drill must say when its clock jumps"
    assert clock_lines[0].split()[2] == "next-day"
    before_jump = _answered("\n".join(lines[: lines.index(clock_lines[0])]))
    assert len({line.split()[2] for line in before_jump}) == 3, "3 new questions on day one"


def test_drill_answers_belong_to_study_sessions(cli):
    """Each drill answer names a study session, and each session is ended."""
    assert cli("--now", NOW, "drill", "--answers", "25", "--seed", "1").code == 0
    db = cli.data_dir / "studyapp.sqlite3"
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        loose = conn.execute("SELECT count(*) FROM review_log WHERE session_id IS NULL")
        assert loose.fetchone()[0] == 0
        sessions = conn.execute(
            "SELECT s.id, s.planned, s.ended_at IS NOT NULL, count(r.id) FROM study_session s "
            "JOIN review_log r ON r.session_id = s.id GROUP BY s.id ORDER BY s.id"
        ).fetchall()
    assert [n for *_x, n in sessions] == [20, 5], "one session per planned batch"
    assert all(ended and planned == n for _id, planned, ended, n in sessions)


def test_drill_seed_without_value_differs_between_runs(cli, tmp_path):
    """--seed alone draws a fresh seed: two runs on equal profiles answer differently."""
    runs = [
        cli("--now", NOW, "drill", "--answers", "15", "--seed", data_dir_arg=tmp_path / str(i))
        for i in range(2)
    ]
    assert all(r.code == 0 for r in runs)
    assert _answered(runs[0].out) != _answered(runs[1].out)


def test_interactive_drill_reports_clock_jumps_and_end_as_json_events(cli, monkeypatch):
    """Interactive: the clock jump and the end line are JSON events; prompts carry reasons."""
    import io

    assert cli("--now", NOW, "settings", "set", "daily_new_limit", "1").code == 0
    answers = "".join(
        json.dumps({"chosen": ["a"], "seconds": 30, "guessed": False}) + "\n" for _ in range(3)
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    result = cli(
        "--now", NOW, "drill", "--answers", "2", "--interactive", "--daily-limit", "--minutes", "60"
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    docs = [json.loads(line) for line in lines if line.startswith("{")]
    prompts = [d for d in docs if "event" not in d]
    events = [d for d in docs if "event" in d]
    assert [p["reason"] for p in prompts][:1] == ["new"]
    assert events[0]["event"] == "clock" and events[0]["why"] == "next-day"
    assert events[-1] == {"event": "end", "answers": 2, "seconds": 60.0, "reason": "answers"}
    assert len(_answered(result.out)) == 2


def test_plain_stats_on_a_new_profile_shows_no_made_up_figures(cli):
    """Plain `stats` on a new profile prints no readiness percentage and no mastery range."""
    result = cli("--now", NOW, "stats")
    assert result.code == 0, result.err
    assert "not estimated yet" in result.out
    assert "chance of passing" not in result.out
    assert "not practised yet" in result.out
    skill_rows = [line for line in result.out.splitlines() if re.search(r"\s0/\d+\s", line)]
    assert len(skill_rows) == 10 and not any("%)" in line for line in skill_rows)


def test_optimize_json_before_and_after_enough_answers(cli):
    """optimize --json is one object: below 400 answers not fitted (defaults stay), then
    fitted with 21 parameters, the same the text output prints."""
    before = cli("--now", NOW, "optimize", "--json")
    assert before.code == 0, before.err
    doc = json.loads(before.out)
    assert doc["fitted"] is False and doc["reviews"] == 0 and "400" in doc["message"]
    assert len(doc["parameters"]) == 21
    assert cli("--now", NOW, "drill", "--answers", "400", "--seed", "3").code == 0
    after = json.loads(cli("--now", "2027-02-01T18:00:00Z", "optimize", "--json").out)
    assert after["fitted"] is True and after["reviews"] == 400
    assert len(after["parameters"]) == 21 and after["parameters"] != doc["parameters"]
    text = cli("--now", "2027-02-01T18:00:00Z", "optimize").out
    assert ", ".join(f"{p:.4f}" for p in after["parameters"]) in text


def test_simulate_table_names_the_planner_against_each_baseline(cli):
    """The table for people ends with the paired comparison with each baseline."""
    result = cli("simulate", "--learners", "2", "--days", "6", "--minutes-per-day", "10")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "Planner minus each baseline, the same learners (95% CI):" in lines
    for name in ("uniform", "due_first", "shuffled"):
        assert any(line.startswith(f"  vs {name}") and "pass rate" in line for line in lines)
