"""Crash safety of a mock exam in progress: ``studyapp exam sit`` killed with SIGKILL.

One profile's exam is sat by real ``python -m studyapp … exam sit`` processes, each resuming
the unfinished exam, answering N more questions (seeded), then holding the exam open with a
tick every 0.2 s until it is killed with SIGKILL (no handler, no flush, no close), either
just after its N-th answer or a few ticks later. After every kill:
- the database is intact, and every answer the process printed (printed = committed) is
  stored with its position, choice and flag; no other question is answered;
- reopened, the exam is interrupted (shown paused) and its remaining time is within a
  second of the last remaining time the process printed;
- wall time passing while nothing runs does not count: the remaining time stays the same.
Runs: ``STUDYAPP_EXAM_CRASH_KILLS`` (default 10), seed ``STUDYAPP_CRASH_SEED``.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli_process import CliProcess

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    pytest.mark.timeout(600),
]

KILLS = int(os.environ.get("STUDYAPP_EXAM_CRASH_KILLS", "10"))
SEED = int(os.environ.get("STUDYAPP_CRASH_SEED", "20261123"))
WAIT_S = 120.0
ANSWERED = re.compile(
    r"^answered (\d+) position=(\d+) (\S+) chosen=(\S+) flagged=(true|false) "
    r"elapsed_ms=(\d+) remaining_ms=(\d+)$"
)
TICK = re.compile(r"^tick elapsed_ms=(\d+) remaining_ms=(\d+)$")


class SitRun(CliProcess):
    """One ``studyapp exam sit`` process whose stdout lines are collected as they arrive."""

    def __init__(self, data_dir: Path, answers: int, seed: int, stderr_file: Path) -> None:
        args = ["exam", "sit", "--answers", str(answers), "--seed", str(seed), "--hold", "300"]
        super().__init__(data_dir, args, stderr_file)

    def wait_for(self, pattern: re.Pattern[str], count: int) -> None:
        """Block until ``count`` lines matching ``pattern`` were printed."""
        self.wait_until(
            lambda lines: sum(bool(pattern.match(x)) for x in lines) >= count,
            WAIT_S,
            must_run=True,
        )


def stored_items(db: Path) -> dict[int, tuple[str, list[str] | None, bool]]:
    """position -> (ref, chosen, flagged), read-only (nothing is checkpointed)."""
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute("SELECT position, question_ref, chosen, flagged FROM exam_item")
        return {
            pos: (ref, sorted(json.loads(chosen)) if chosen else None, bool(flagged))
            for pos, ref, chosen, flagged in rows
        }


def test_a_killed_exam_keeps_its_answers_and_its_remaining_time(cli, tmp_path):
    """SIGKILL after N answers (seeded, 10 times): the same answers, remaining time within a
    second of what was printed, and no wall time counted while closed."""
    rng = random.Random(SEED)
    data_dir = tmp_path / "profile"
    created = cli("exam", "status", "--json", data_dir_arg=data_dir)  # seeds the CETL pack
    assert created.code == 0, created.err
    db = data_dir / "studyapp.sqlite3"
    printed: dict[int, tuple[str, list[str], bool]] = {}
    for run in range(1, KILLS + 1):
        answers = rng.randint(1, 6)
        sit = SitRun(data_dir, answers, SEED + run, tmp_path / f"stderr-{run}.txt")
        sit.wait_for(ANSWERED, answers)
        ticks = rng.choice([0, 0, 1, 3])
        if ticks:
            sit.wait_for(TICK, ticks)
        code = sit.kill()
        assert code == -signal.SIGKILL, sit.stderr
        last_remaining = None
        for line in sit.lines:
            if m := ANSWERED.match(line):
                position = int(m.group(2)) - 1
                assert position not in printed, f"position {position + 1} answered twice"
                chosen = sorted(m.group(4).split(","))
                printed[position] = (m.group(3), chosen, m.group(5) == "true")
                last_remaining = int(m.group(7))
            elif m := TICK.match(line):
                last_remaining = int(m.group(2))
            else:
                assert line.startswith(("exam ", "holding")), line
        assert last_remaining is not None

        items = stored_items(db)
        answered = {p: v for p, v in items.items() if v[1] is not None}
        assert set(answered) == set(printed), f"run {run}: stored answers differ from printed"
        for position, (ref, chosen, flagged) in printed.items():
            assert items[position] == (ref, chosen, flagged), f"run {run}: position {position}"

        status = json.loads(cli("exam", "status", "--json", data_dir_arg=data_dir).out)
        assert (status["status"], status["interrupted"]) == ("paused", True)
        assert status["answered"] == len(printed)
        assert 0 <= last_remaining - status["remaining_ms"] <= 1000, (run, last_remaining, status)
        time.sleep(rng.uniform(0.2, 0.7))
        later = json.loads(cli("exam", "status", "--json", data_dir_arg=data_dir).out)
        assert later["remaining_ms"] == status["remaining_ms"], "wall time while closed counted"
    assert len(printed) >= KILLS
