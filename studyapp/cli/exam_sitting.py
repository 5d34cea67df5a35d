"""``studyapp exam sit``'s line protocol: a scripted candidate sits a mock exam through the
real service.

It serves tests and the crash harness. The candidate continues the unfinished exam (resuming
it after a crash) or creates one, then answers the next ``answers`` unanswered questions in
order (going to each, flagging some, then answering). Each step is committed before the
answer's line is printed and flushed, so a printed line means the answer (and flag) is on
disk.

Lines:
- ``exam <id> code=<code> answered=<n> remaining_ms=<ms>`` once, when the exam is running;
- ``answered <n> position=<p> <pack/question> chosen=<ids> flagged=<true|false>
  elapsed_ms=<ms> remaining_ms=<ms>`` after each committed answer (``p`` counts from 1);
- with ``hold``: ``holding``, then ``tick elapsed_ms=<ms> remaining_ms=<ms>`` after each
  committed tick (every 0.2 s) until the hold ends or the process is killed;
- ``time is up: the exam submitted itself`` if the time ran out;
- with ``submit``: ``submitted raw=<r> of <n> scaled_estimate=<s>``.

The candidate's choices come from ``random.Random(seed)``; the exam's own seed (for a new
exam without a code) is ``seed`` modulo 4096.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TextIO

from studyapp.domain.errors import ExitCode
from studyapp.domain.exam_code import SEEDS
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamRequest, ExamView
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService

FLAG_RATE = 0.15
TICK_S = 0.2


def _open_sitting(
    service: ExamService, code: str | None, length: int | None, seed: int
) -> ExamView:
    view = service.unfinished()
    if view is None:
        request: ExamRequest | str = code or ExamRequest(length=length, seed=seed % SEEDS)
        view = service.create(request).value
    if view.status == "not_started":
        view = service.start(view.id).value
    elif view.status == "paused":
        view = service.resume(view.id).value
    return view


def run_exam_sit(
    profile: Profile,
    *,
    answers: int,
    seed: int,
    accuracy: float,
    code: str | None,
    length: int | None,
    submit: bool,
    hold_s: float,
    out: TextIO,
    sleep: Callable[[float], None],
) -> ExitCode:
    """Answer ``answers`` questions of the unfinished (or a new) exam; returns the exit code."""
    service = ExamService(profile, rng=random.Random(seed))
    study = StudyService(profile)
    view = _open_sitting(service, code, length, seed)
    out.write(
        f"exam {view.id} code={view.code} answered={view.answered} "
        f"remaining_ms={view.remaining_ms}\n"
    )
    out.flush()
    rng = random.Random(seed)
    done = 0
    todo = [item.position for item in view.items if not item.answered]
    for position in todo[:answers]:
        question = service.question(view.id, position)
        if not question.available or question.qid is None:
            continue
        key = sorted(study.question(question.qid).question.correct_ids)
        wrong = [o.id for o in question.options if o.id not in key]
        chosen = key if rng.random() < accuracy or not wrong else [rng.choice(wrong)]
        flagged = rng.random() < FLAG_RATE
        view = service.navigate(view.id, position).value
        if flagged and not view.submitted:
            view = service.flag(view.id, position, True).value
        if not view.submitted:
            view = service.answer(view.id, position, chosen).value
        if view.submitted:
            break
        done += 1
        out.write(
            f"answered {done} position={position + 1} {question.ref} chosen={','.join(chosen)} "
            f"flagged={'true' if flagged else 'false'} elapsed_ms={view.elapsed_ms} "
            f"remaining_ms={view.remaining_ms}\n"
        )
        out.flush()
    if hold_s > 0 and not view.submitted:
        out.write("holding\n")
        out.flush()
        end = profile.clock.monotonic() + hold_s
        while not view.submitted and profile.clock.monotonic() < end:
            sleep(TICK_S)
            view = service.tick(view.id).value
            out.write(f"tick elapsed_ms={view.elapsed_ms} remaining_ms={view.remaining_ms}\n")
            out.flush()
    if view.submitted:
        out.write("time is up: the exam submitted itself\n")
    elif submit:
        result = service.submit(view.id).value
        out.write(
            f"submitted raw={result.score.raw} of {result.score.length} "
            f"scaled_estimate={result.score.scaled}\n"
        )
    out.flush()
    return ExitCode.OK
