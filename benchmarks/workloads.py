"""The workloads of issue 9, each measured on StudyApp (and Anki where it has one).

Every workload returns :class:`~benchmarks.measure.Result` lines. Profiles are built once
per run by :class:`Context` and copied before a workload changes them, so each workload
starts from the same generated state.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from benchmarks.generator import (
    DEFAULT_SEED,
    SIZES,
    BuiltProfile,
    build_profile,
    make_pack,
    open_profile,
    write_pack,
)
from benchmarks.measure import Result, Summary, ratio, timed

REPO = Path(__file__).resolve().parent.parent
IMPORT_PACK_ID = "bench-import"
SESSION = 20  # the practice screen's default session size
# No daily cap on new questions in the answer loop (as in ``studyapp drill``; Anki's deck
# gets the same), so 1,000 answers never run out of material on any size.
NEW_LIMIT = 10**6


@dataclass
class Context:
    """One benchmark run: where profiles live, which sizes, how often to repeat."""

    work: Path
    quick: bool
    seed: int = DEFAULT_SEED
    log: Callable[[str], None] = print
    anki: Any = None  # benchmarks.anki_side.AnkiSide when Anki is importable
    _profiles: dict[str, BuiltProfile] = field(default_factory=dict)
    _packs: dict[str, Path] = field(default_factory=dict)

    size: str | None = None  # --size / --scaling: the size every workload runs at

    @property
    def main_size(self) -> str:
        """The size the targets refer to ("large unless said"); small with --quick."""
        if self.size is not None:
            return self.size
        return "small" if self.quick else "large"

    def profile(self, size: str) -> BuiltProfile:
        """The generated profile of ``size`` (built on first use)."""
        if size not in self._profiles:
            s = SIZES[size]
            cached = self.work / "profiles" / size
            self.log(
                f"building the {size} profile ({s.questions:,} questions, {s.answers:,} answers)"
            )
            if (cached / "built.json").is_file():
                info = json.loads((cached / "built.json").read_text("utf-8"))
                built = BuiltProfile(
                    cached / "profile",
                    Path(info["pack_path"]),
                    info["questions"],
                    info["answers"],
                    info["seen"],
                )
            else:
                start = time.perf_counter()
                built = build_profile(
                    cached / "profile",
                    s.questions,
                    s.answers,
                    self.seed,
                    pack_path=cached / "pack.studypack",
                    log=lambda m: self.log(f"  {m}"),
                )
                (cached / "built.json").write_text(
                    json.dumps(
                        {
                            "pack_path": str(built.pack_path),
                            "questions": built.questions,
                            "answers": built.answers,
                            "seen": built.seen,
                        }
                    ),
                    "utf-8",
                )
                self.log(f"  built in {time.perf_counter() - start:.0f} s")
            self._profiles[size] = built
        return self._profiles[size]

    def copy_profile(self, size: str, name: str) -> Path:
        """A fresh copy of the ``size`` profile folder, for a workload that writes.

        The copies of the same size that earlier workloads made are removed first: they are
        not used again, and at the xlarge size two of them (about 20 GB each) beside the
        profile would not fit on the benchmark machine's disk.
        """
        target = self.work / "copies" / f"{size}-{name}"
        for old in (self.work / "copies").glob(f"{size}-*"):
            shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(self.profile(size).data_dir, target)
        return target

    def import_pack(self, size: str) -> Path:
        """A pack of ``size``'s question count with its own id (to import anywhere)."""
        if size not in self._packs:
            path = self.work / "packs" / f"{IMPORT_PACK_ID}-{size}.studypack"
            if not path.is_file():
                self.log(f"writing the {size} import pack")
                write_pack(make_pack(SIZES[size].questions, self.seed + 7, IMPORT_PACK_ID), path)
            self._packs[size] = path
        return self._packs[size]

    def fresh_dir(self, name: str) -> Path:
        target = self.work / "scratch" / name
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def _met(value: float | None, limit: float) -> bool | None:
    return None if value is None else value < limit


# ---------------------------------------------------------------------- import
def import_pack(ctx: Context) -> list[Result]:
    """Import a pack of the main size into a fresh profile (validation included)."""
    size = ctx.main_size
    pack = ctx.import_pack(size)
    repeats = 3
    samples = []
    for i in range(repeats):
        data_dir = ctx.fresh_dir(f"import-{i}")
        profile = open_profile(data_dir)
        try:
            from studyapp.services.packs.service import SEEDED_KEY, PackService
            from studyapp.storage.settings import write_settings

            with profile.db.unit_of_work() as session:
                write_settings(session, {SEEDED_KEY: True})
            seconds, outcome = timed(lambda p=profile: PackService(p).import_pack(pack))
            assert outcome.value.added == SIZES[size].questions
        finally:
            profile.close()
        samples.append(seconds)
        ctx.log(f"  import {i + 1}/{repeats}: {seconds:.2f} s")
        shutil.rmtree(data_dir, ignore_errors=True)
    s = Summary.of(samples)
    anki = ctx.anki.import_apkg(size) if ctx.anki else None
    anki_value = anki.median if anki else None
    r = ratio(s.median, anki_value)
    return [
        Result(
            "import a pack (validation included)",
            size,
            s.median,
            "s",
            "≤ 2× Anki's .apkg import",
            None if r is None else r <= 2.0,
            anki_value,
            r,
            s,
            anki,
            extra={
                "questions": SIZES[size].questions,
                "pack_mb": round(pack.stat().st_size / 1e6, 1),
            },
        )
    ]


# ---------------------------------------------------------------------- answer loop
def answer_loop(ctx: Context) -> list[Result]:
    """1,000 answers as the practice screen gives them; each sample is what the learner
    waits for between giving an answer and seeing the next question.

    Within a session that is the durable answer (``StudyService.answer``: graded,
    rescheduled, committed with ``synchronous=FULL``); the next question is already loaded.
    After a session's last answer the practice screen plans the next session on its worker
    thread while the learner reads the feedback and the summary
    (``StudyService.plan_ahead``); asking for the next session then checks that the plan
    made ahead still stands for one made now (``plan_is_current``: same study data, same
    study day, under ten minutes old; else it plans again, and that wait is counted) and
    records the study session. Planning ahead is measured on its own, with how often it
    was ready before the learner could ask (the simulated reading time of the feedback).
    The first plan after opening the profile (the study cache filled) is reported apart.
    """
    size = ctx.main_size
    answers_wanted = 300 if ctx.quick else 1000  # --quick must stay under two minutes
    data_dir = ctx.copy_profile(size, "answers")
    profile = open_profile(data_dir)
    from studyapp.services.study.service import StudyService

    service = StudyService(profile, tz=UTC)
    rng = random.Random(ctx.seed)
    clock = profile.clock
    samples: list[float] = []
    answers: list[float] = []
    ahead: list[float] = []
    shown: list[float] = []
    late = replanned = came_back = 0

    def plan_now() -> Any:
        """Plan on time (the learner waits), skipping ahead to the next due question when
        a small bank has nothing left for now, as ``studyapp drill`` does (not counted)."""
        while True:
            practice = service.plan_practice(SESSION, rng=rng, new_limit=NEW_LIMIT)
            if practice.items:
                return practice
            wait = service.next_due_after(clock.now())
            if wait is None:
                raise RuntimeError("the planner offered nothing to practise")
            clock.current = wait + timedelta(seconds=1)  # type: ignore[attr-defined]

    try:
        first_s, practice = timed(plan_now)
        queue = list(practice.items)
        service.start_session("default", None, len(queue))
        while len(samples) < answers_wanted:
            item = queue.pop(0)
            q = item.question
            wrong = [o.id for o in q.options if not o.correct]
            chosen = sorted(q.correct_ids) if rng.random() < 0.8 else [rng.choice(wrong)]
            seconds = round(rng.uniform(8, 40), 1)
            spent, _ = timed(lambda i=item, c=chosen, s=seconds: service.answer(i.qid, c, s))
            answers.append(spent)
            waited = 0.0
            if not queue:
                # The worker plans the next session while the learner reads the feedback.
                reading = rng.uniform(2, 20)
                planned, next_plan = timed(
                    lambda: service.plan_ahead(SESSION, rng=rng, new_limit=NEW_LIMIT)
                )
                ahead.append(planned)
                late += planned > reading
                lag = max(0.0, planned - reading)  # a learner quicker than the planning waits
                clock.advance(reading)  # type: ignore[attr-defined]

                def show_next(p: Any = next_plan) -> Any:
                    nonlocal replanned
                    if not service.plan_is_current(p):
                        replanned += 1
                        p = plan_now()
                    service.start_session("default", None, len(p.items))
                    return p

                if next_plan.items:
                    waited, next_plan = timed(show_next)
                    shown.append(waited)
                    waited += lag
                else:
                    # Nothing left to practise for now (a small bank): the learner comes
                    # back when the next question falls due, as `studyapp drill` does;
                    # that plan is not a sample of the loop (as before this round).
                    came_back += 1
                    next_plan = plan_now()
                    service.start_session("default", None, len(next_plan.items))
                queue = list(next_plan.items)
            samples.append(spent + waited)
            clock.advance(seconds)  # type: ignore[attr-defined]
    finally:
        profile.close()
    ms = Summary.of([x * 1000 for x in samples])
    ahead_ms = Summary.of([x * 1000 for x in ahead])
    answer_ms = Summary.of([x * 1000 for x in answers])
    shown_ms = Summary.of([x * 1000 for x in shown])
    anki = ctx.anki.answer_loop(size, answers_wanted) if ctx.anki else None
    anki_median = anki.median if anki else None
    anki_p99 = anki.p99 if anki else None
    sqlite_modes = {"studyapp": {"journal_mode": "wal", "synchronous": "FULL (2)"}}
    if ctx.anki:
        sqlite_modes["anki"] = dict(ctx.anki.pragmas)
    return [
        Result(
            "answer loop: answer → next question shown (median)",
            size,
            ms.median,
            "ms",
            "≤ Anki's FSRS answer loop",
            None if anki_median is None else ms.median <= anki_median,
            anki_median,
            ratio(ms.median, anki_median),
            ms,
            anki,
            extra={"sqlite": sqlite_modes},
        ),
        Result(
            "answer loop: answer → next question shown (p99)",
            size,
            ms.p99,
            "ms",
            "< 5 ms",
            _met(ms.p99, 5.0),
            anki_p99,
            ratio(ms.p99, anki_p99),
            ms,
        ),
        Result(
            "  of which: record one answer",
            size,
            answer_ms.median,
            "ms",
            "",
            None,
            summary=answer_ms,
        ),
        Result(
            "  of which: next session's first question (plan made ahead checked, session recorded)",
            size,
            shown_ms.median,
            "ms",
            "",
            None,
            summary=shown_ms,
            note=f"once per {SESSION} answers; planned again on time {replanned} of "
            f"{len(shown)} times; {came_back} times nothing was left to practise for now "
            "(the learner comes back when a question falls due: not a sample)",
            extra={"replanned": replanned, "came_back": came_back},
        ),
        Result(
            "  planned ahead on the worker while the learner reads (not waited for)",
            size,
            ahead_ms.median,
            "ms",
            "",
            None,
            summary=ahead_ms,
            note=f"ready before the learner could ask {len(ahead) - late} of {len(ahead)} "
            "times (simulated reading 2-20 s)",
            extra={"late": late},
        ),
        Result(
            "  first plan after opening the profile (study cache filled)",
            size,
            first_s * 1000,
            "ms",
            "",
            None,
            note="not a sample of the loop: the practice screen's first session",
        ),
    ]


# ---------------------------------------------------------------------- start-up, memory
def _probe(args: list[str], timeout: float = 600) -> tuple[float, dict[str, Any]]:
    """Run ``benchmarks.probe`` in a fresh process; (seconds to its "ready" line, its JSON)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.probe", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    ready = fresh = None
    doc: dict[str, Any] = {}
    try:
        for line in proc.stdout:
            if line.strip() == "ready" and ready is None:
                ready = time.perf_counter() - start
            elif line.strip() == "fresh" and fresh is None:
                fresh = time.perf_counter() - start
            elif line.startswith("{"):
                doc = json.loads(line)
                break
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if "error" in doc or (ready is None and "max_gap_ms" not in doc):
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"probe {args[0]} failed: {doc.get('error') or err.strip()[-400:]}")
    if fresh is not None:
        doc["fresh_s"] = fresh
    return (ready if ready is not None else time.perf_counter() - start), doc


def startup_and_memory(ctx: Context) -> list[Result]:
    """Fresh processes: a bare PySide6 window vs StudyApp with Home filled; peak memory."""
    size = ctx.main_size
    data_dir = ctx.copy_profile(size, "start")
    repeats = 2 if ctx.quick else 5
    # Warm-up runs (not counted): bytecode caches, the OS file cache, and the day's
    # automatic backup, which StudyApp makes at the first start of a day.
    _probe(["bare"])
    _probe(["start", str(data_dir)])
    bare, app, fresh, rss = [], [], [], []
    for _ in range(repeats):
        bare.append(_probe(["bare"])[0])
        seconds, doc = _probe(["start", str(data_dir)])
        app.append(seconds)
        fresh.append(float(doc["fresh_s"]))
        rss.append(float(doc["peak_rss_mb_settled"]))
    b, a, m = Summary.of(bare), Summary.of(app), Summary.of(rss)
    # Paired: each StudyApp start minus the bare window started just before it.
    over = Summary.of([x - y for x, y in zip(app, bare, strict=True)])
    over_fresh = Summary.of([x - y for x, y in zip(fresh, bare, strict=True)])
    return [
        Result(
            "start: process to Home filled, minus a bare window",
            size,
            over.median,
            "s",
            "≤ +0.5 s",
            over.median <= 0.5,
            summary=over,
            note="Home shows the figures persisted last time, marked as updating",
            extra={"app_s": a.to_json(), "bare_window_s": b.to_json()},
        ),
        Result(
            "  then: fresh figures on Home, minus a bare window",
            size,
            over_fresh.median,
            "s",
            "",
            None,
            summary=over_fresh,
            note="the study cache loaded and statistics computed in the background",
        ),
        Result(
            "peak memory, GUI open on the profile",
            size,
            m.max,
            "MB",
            "< 200 MB",
            _met(m.max, 200.0),
            summary=m,
            note="peak resident memory (VmHWM) of a fresh offscreen process, half a second "
            "after Home's fresh figures (the study cache filled)",
        ),
    ]


def gui_stall(ctx: Context) -> list[Result]:
    """Longest GUI event-loop gap while ``controller.run_long`` imports a pack, and beside
    it two workers that run as long as that import took, in the same app with the same
    timer: the control keeps a core busy with the interpreter lock released (the machine's
    load alone: the GUI thread waiting for a core), the other computes in plain Python and
    holds the lock (the GUI thread also waiting for the lock: the worst case of CPU-bound
    Python on the worker; decision 0017). The import is at fault only for what exceeds
    the control."""
    size = "small" if ctx.quick else "medium"  # 1k (quick) or 10k questions
    pack = ctx.import_pack(size)
    base = ctx.profile("small")
    gaps, seconds, control, python = [], [], [], []
    for i in range(3):
        data_dir = ctx.fresh_dir(f"stall-{i}")
        shutil.copytree(base.data_dir, data_dir)
        _t, doc = _probe(["stall", str(data_dir), str(pack)])
        gaps.append(float(doc["max_gap_ms"]))
        seconds.append(float(doc["import_s"]))
        _t, doc = _probe(["stall-control", str(data_dir), f"{seconds[-1]:.3f}"])
        control.append(float(doc["max_gap_ms"]))
        _t, doc = _probe(["stall-python", str(data_dir), f"{seconds[-1]:.3f}"])
        python.append(float(doc["max_gap_ms"]))
        shutil.rmtree(data_dir, ignore_errors=True)
    g, c, p = Summary.of(gaps), Summary.of(control), Summary.of(python)
    return [
        Result(
            f"longest GUI stall during a {SIZES[size].questions // 1000}k import",
            size,
            g.max,
            "ms",
            "< 50 ms",
            _met(g.max, 50.0),
            summary=g,
            note="largest gap between 5 ms timer ticks (includes the 5 ms)",
            extra={
                "import_s": Summary.of(seconds).to_json(),
                "control_ms": c.to_json(),
                "python_worker_ms": p.to_json(),
            },
        ),
        Result(
            "  control: a worker busy outside the interpreter lock (the machine's load alone)",
            size,
            c.max,
            "ms",
            "",
            None,
            summary=c,
            note="the same probe and timer, the worker hashing with the lock released for "
            "as long as the import took",
        ),
        Result(
            "  a worker computing in plain Python for as long (holds the lock)",
            size,
            p.max,
            "ms",
            "",
            None,
            summary=p,
            note="the GUI thread waits for the interpreter lock each time it needs it; "
            "the switch interval bounds each wait (decision 0017)",
        ),
    ]


# ---------------------------------------------------------------------- exam, stats, fit
def exam_build(ctx: Context) -> list[Result]:
    """Build a 100-question CETL mock exam (``ExamService.build``), not stored."""
    size = ctx.main_size
    profile = open_profile(ctx.profile(size).data_dir)
    try:
        try:
            from studyapp.services.exams.service import ExamService
            from studyapp.services.exams.views import ExamRequest
        except ImportError:
            return [_pending_exam(ctx, profile, size)]
        service = ExamService(profile, rng=random.Random(ctx.seed))
        samples = []
        for i in range(12):
            seconds, built = timed(
                lambda i=i: service.build(ExamRequest("cetl", length=100, seed=i))
            )
            assert len(built.questions) == 100
            samples.append(seconds * 1000)
    finally:
        profile.close()
    s = Summary.of(samples[2:])  # the first builds warm caches
    return [
        Result(
            "build a 100-question blueprint mock exam",
            size,
            s.median,
            "ms",
            "< 50 ms",
            _met(s.median, 50.0),
            summary=s,
            extra={"first_ms": round(samples[0], 2)},
        )
    ]


def _pending_exam(ctx: Context, profile: Any, size: str) -> Result:
    from studyapp.domain.blueprint import allocate

    service_fw = profile.frameworks()[0]
    weights = {s.id: s.weight for s in service_fw.skill_areas}
    seconds, _ = timed(lambda: allocate(weights, 100))
    return Result(
        "build a 100-question blueprint mock exam",
        size,
        None,
        "ms",
        "< 50 ms",
        None,
        status="pending",
        note=f"exam engine not present; allocate() alone takes {seconds * 1000:.3f} ms",
    )


def stats(ctx: Context) -> list[Result]:
    """``StudyService.stats()``: mastery of every skill area, readiness, forecast."""
    size = ctx.main_size
    profile = open_profile(ctx.profile(size).data_dir)
    from studyapp.services.study.service import StudyService

    try:
        samples = []
        for _ in range(10):
            seconds, _report = timed(lambda: StudyService(profile, tz=UTC).stats())
            samples.append(seconds * 1000)
    finally:
        profile.close()
    s = Summary.of(samples)
    return [
        Result(
            "Home/stats: mastery, readiness, forecast",
            size,
            s.median,
            "ms",
            "< 100 ms",
            _met(s.median, 100.0),
            summary=s,
            extra={"first_ms": round(samples[0], 2)},
        )
    ]


def fsrs_fit(ctx: Context) -> list[Result]:
    """``fit_parameters`` on the answers of the medium profile (100k), small with --quick."""
    size = "small" if ctx.quick else "medium"
    profile = open_profile(ctx.profile(size).data_dir)
    from studyapp.services.study.optimizer import fit_parameters
    from studyapp.storage.review_log import review_log_for_fitting

    try:
        read_s, history = timed(lambda: _read_history(profile, review_log_for_fitting))
    finally:
        profile.close()
    samples = []
    for _ in range(3):
        seconds, _params = timed(lambda: fit_parameters(history, UTC))
        samples.append(seconds)
    s = Summary.of(samples)
    anki = ctx.anki.fsrs_fit(size) if ctx.anki else None
    anki_value = anki.median if anki else None
    return [
        Result(
            f"fit FSRS parameters on {len(history) // 1000}k answers",
            size,
            s.median,
            "s",
            "< 2 s",
            _met(s.median, 2.0),
            anki_value,
            ratio(s.median + read_s, anki_value),
            s,
            anki,
            note="ratio compares read + fit with Anki's compute_fsrs_params (reads its revlog)",
            extra={"read_history_s": round(read_s, 3), "answers": len(history)},
        )
    ]


def _read_history(profile: Any, reader: Callable[[Any], Any]) -> Any:
    with profile.db.reader() as session:
        return reader(session)


from benchmarks.hub import hub_load  # noqa: E402 - its own section (issue 17)

# What the scaling table (--scaling) measures at each size.
SCALING_WORKLOADS = ("answers", "start", "exam", "stats")

WORKLOADS: tuple[tuple[str, Callable[[Context], list[Result]]], ...] = (
    ("import", import_pack),
    ("answers", answer_loop),
    ("start", startup_and_memory),
    ("exam", exam_build),
    ("stats", stats),
    ("fit", fsrs_fit),
    ("stall", gui_stall),
    ("hub", hub_load),
)
