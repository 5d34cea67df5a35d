"""Crash harness: ``studyapp drill`` killed with SIGKILL at random moments, again and again.

One profile is drilled by a real ``python -m studyapp … drill`` process that is killed
(SIGKILL: no handler, no flush, no close) at a seeded random moment, then checked, then
drilled again from where it stopped, at least 50 times per run. Kill moments are of two
kinds: a moment anywhere in the process's life (start-up, lock, start-up check, daily
backup, planning, answering), and a moment just after the k-th answer line (inside the
next answer's read, write, commit or checkpoint). During every fourth run a read-only
connection stays open, so SQLite cannot checkpoint on close and the next run meets the
killed run's commits still in a non-empty WAL.

After every kill, read-only (so nothing is checkpointed for the next run):
- ``PRAGMA integrity_check`` is ok and ``foreign_key_check`` finds nothing;
- every ``answered … review=<id>`` line the drill printed (a line means committed) is in
  the review log with that id, question and result; at most one committed answer per kill
  was not yet printed;
- nothing half-written: each question's memory state equals a replay of its answers in
  the log (reps, last review, first seen, last result, wrong count, leech flag), and
  exactly its first answer is marked as the first attempt;
- the start-up check never found damage (no ``*.damaged-*`` file, no "damaged" message).
At the end every backup the killed runs left under a final name passes its own check.

Sizes: ``STUDYAPP_CRASH_KILLS`` (default 50) and ``STUDYAPP_CRASH_SEED`` change them for
a longer local run; the default run takes a couple of minutes on two cores.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.domain import leech
from tests.cli_process import CliProcess
from tests.conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    pytest.mark.timeout(900),
]

KILLS = int(os.environ.get("STUDYAPP_CRASH_KILLS", "50"))
SEED = int(os.environ.get("STUDYAPP_CRASH_SEED", "20261123"))
START = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
RUN_LIMIT_S = 120.0  # a run that prints nothing for this long is a hang, not a slow machine
ANSWERED = re.compile(
    r"^answered (\d+) (\S+) skill=(\S+) correct=(true|false) rating=([1-4]) review=(\d+)$"
)

CLOCK = re.compile(r"^clock \S+ (next-due|next-day)$")


@dataclass(frozen=True)
class Printed:
    """One ``answered`` line: what the drill said it had committed."""

    run: int
    ref: str
    correct: bool
    rating: int
    review_id: int


class DrillRun(CliProcess):
    """One ``studyapp drill`` process whose stdout lines are collected as they arrive."""

    def __init__(self, data_dir: Path, now: datetime, seed: int, stderr_file: Path) -> None:
        args = ["--now", now.isoformat(), "drill", "--answers", "1000000", "--seed", str(seed)]
        super().__init__(data_dir, args, stderr_file)

    def wait_for_lines(self, count: int) -> None:
        """Block until ``count`` lines were printed (or the process ends or hangs)."""
        self.wait_until(lambda lines: len(lines) >= count, RUN_LIMIT_S, must_run=False)


def _ro(path: Path) -> sqlite3.Connection:
    """A read-only connection: it never checkpoints the WAL or writes the database."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _next_now(db: Path) -> datetime:
    """A little after the last answer: the learner comes back to the same profile."""
    with closing(_ro(db)) as conn:
        last = conn.execute("SELECT max(answered_at) FROM review_log").fetchone()[0]
    return (
        START if last is None else datetime.fromtimestamp(last / 1000, UTC) + timedelta(minutes=5)
    )


def check_profile(db: Path, printed: dict[int, Printed], runs: int) -> int:
    """Every check that must hold after a kill; returns the number of answers in the log."""
    with closing(_ro(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        log = conn.execute(
            "SELECT id, question_id, question_ref, answered_at, correct, rating, mode, "
            "first_attempt FROM review_log ORDER BY id"
        ).fetchall()
        memory = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT question_id, reps, last_review, first_seen, last_correct, wrong_count, "
                "leech FROM memory_state"
            )
        }
    by_id = {row[0]: row for row in log}
    for rid, said in printed.items():
        assert rid in by_id, f"answer review={rid} (run {said.run}) was printed but is lost"
        _, _qid, ref, _at, correct, rating, _mode, _first = by_id[rid]
        assert (ref, bool(correct), rating) == (said.ref, said.correct, said.rating), rid
    unprinted = len(log) - len(printed)
    assert 0 <= unprinted <= runs, f"{unprinted} answers in the log that no run reported"

    replay: dict[int, tuple[int, int, int, bool, int, bool]] = {}
    for _rid, qid, _ref, at, correct, _rating, mode, first in log:
        assert mode == "drill"
        previous = replay.get(qid)
        assert bool(first) == (previous is None), f"first_attempt wrong for question {qid}"
        reps, _last, first_seen, _c, wrong, is_leech = previous or (0, 0, at, False, 0, False)
        wrong, is_leech = leech.after_answer(bool(correct), wrong, is_leech)
        replay[qid] = (reps + 1, at, first_seen, bool(correct), wrong, is_leech)
    assert set(memory) == set(replay), "memory states and answered questions differ"
    for qid, (reps, last, first_seen, correct, wrong, is_leech) in replay.items():
        got = memory[qid]
        expected = (reps, last, first_seen, correct, wrong, is_leech)
        assert (got[0], got[1], got[2], bool(got[3]), got[4], bool(got[5])) == expected, qid
    return len(log)


def test_sigkilled_drills_lose_no_committed_answer_and_leave_nothing_half_written(tmp_path):
    """50+ seeded SIGKILLs of a drill resuming one profile: integrity ok, no reported answer
    lost, memory state always equals a replay of the review log."""
    rng = random.Random(SEED)
    data_dir = tmp_path / "profile"
    db = data_dir / "studyapp.sqlite3"
    command = [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir)]
    created = subprocess.run(
        [*command, "--now", START.isoformat(), "info"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )
    assert created.returncode == 0, created.stderr

    printed: dict[int, Printed] = {}
    startup: list[float] = [2.0]  # seconds to the first answer, learnt from the runs
    held_runs = wal_met = answer_kills = 0
    for run in range(1, KILLS + 1):
        if _wal_bytes(db) > 0:
            wal_met += 1
        hold = run % 4 == 0
        reader = _ro(db) if hold else None
        if reader is not None:
            reader.execute("SELECT count(*) FROM review_log").fetchone()  # opens the WAL
            held_runs += 1
        drill = DrillRun(db.parent, _next_now(db), SEED + run, tmp_path / f"stderr-{run}.txt")
        try:
            if hold or rng.random() < 0.7:
                # Just after the k-th answer: inside the next answer's work.
                drill.wait_for_lines(rng.randint(1, 4))
                time.sleep(rng.uniform(0.0, 0.12))
                answer_kills += 1
            else:
                # Anywhere in the process's life, start-up included.
                time.sleep(rng.uniform(0.0, 1.2 * statistics.median(startup)))
            running = drill.proc.poll() is None
            code = drill.kill()
        finally:
            if reader is not None:
                reader.close()
        assert running and code == -signal.SIGKILL, (
            f"run {run}: the drill ended by itself (exit {code}): {drill.stderr}"
        )
        if drill.first_line_at is not None:
            startup.append(drill.first_line_at)
        if hold:
            assert _wal_bytes(db) > 0, f"run {run}: the held reader should have kept the WAL"
        assert "damaged" not in drill.stderr, drill.stderr
        assert not list(data_dir.glob("studyapp.sqlite3.damaged-*")), f"run {run}"
        for line in drill.lines:
            if CLOCK.match(line):
                # The whole bank answered and nothing due yet: the drill's clock moves on
                # (the protocol's clock line; with faster answers the runs get that far).
                continue
            match = ANSWERED.match(line)
            assert match, f"run {run}: unexpected output {line!r}"
            rid = int(match.group(6))
            assert rid not in printed, f"review id {rid} reported twice"
            printed[rid] = Printed(
                run, match.group(2), match.group(4) == "true", int(match.group(5)), rid
            )
        check_profile(db, printed, run)

    assert answer_kills >= KILLS // 2 and len(printed) >= KILLS, "too few kills hit answering"
    assert held_runs > 0 and wal_met >= held_runs - (KILLS % 4 == 0), "later runs met no WAL"
    backups = [p for p in (data_dir / "backups").glob("*.sqlite3")]
    for backup in backups:
        with closing(_ro(backup)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], backup
