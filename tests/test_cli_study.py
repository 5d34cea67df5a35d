"""stats, drill and simulate on the command line."""

from __future__ import annotations

import json
import subprocess
import sys


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
        assert set(question) == {"id", "skill", "multiple", "options"}
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
