"""``studyapp drill``'s line protocol: a learner answers planned questions through the real
services.

It serves tests, benchmarks and crash tests, and lets an outside learner model drive the
real planner (``--interactive``). Every answer is committed before its line is printed
and flushed, so a line on stdout means the answer is on disk.

Protocol, one line each:
- ``answered <n> <pack/question> skill=<id> correct=<true|false> rating=<1-4> review=<id>``
  after each committed answer;
- with ``--interactive``, before each question, a JSON object
  ``{"id", "skill", "multiple", "options": [option ids in shown order], "reason",
  "explanation_first"}`` (``reason``: why the planner chose it: ``new``, ``due``,
  ``exam``, ``leech``, …; ``explanation_first``: the app would show the explanation
  before the question); the learner replies with one JSON line
  ``{"chosen": [option ids], "seconds": 12.5, "guessed": false}``. End of input stops
  the drill.
- ``clock <ISO-8601> <why>`` when the drill's clock jumps ahead because nothing is due or
  new (``next-due``: to the next due question; ``next-day``: to the next study day, when
  only the daily limit of new questions holds practice back). Interactive:
  ``{"event": "clock", "now": ISO-8601, "why": ...}``.
- with ``--minutes M``, the drill stops once the reported seconds reach M minutes and
  prints one end line ``end answers=<n> seconds=<s> reason=<minutes|answers|input>``
  (interactive: ``{"event": "end", "answers", "seconds", "reason"}``); the reason says
  whether the minutes, ``--answers`` or the end of input stopped it.

The drill keeps its own clock: it starts at the profile's clock (``--now``) and moves on by
each answer's seconds; when nothing is due or new it jumps ahead, as a learner coming back
later would. Without ``--daily-limit`` the daily limit of new questions does not apply (as
in the benchmarks); with it, the profile's limit holds as in the app. Each planned batch
is one study session, recorded as the app records practice sessions.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from studyapp.domain.clock import Clock
from studyapp.domain.errors import ExitCode, StudyAppError
from studyapp.domain.planner import Mode
from studyapp.services.profile import Profile
from studyapp.services.study.practice import PracticeItem
from studyapp.services.study.service import StudyService

SESSION = 20
UNLIMITED = 10**6


class _DrillClock:
    """The profile's clock plus the drill's simulated time."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def monotonic(self) -> float:
        return self.base.monotonic() + self.offset.total_seconds()


@dataclass(frozen=True, slots=True)
class DrillOptions:
    """What ``studyapp drill`` was asked to do."""

    answers: int
    seed: int | None  # None: a different run each time
    accuracy: float = 0.7
    mode: Mode = "default"
    interactive: bool = False
    daily_limit: bool = False  # honour the profile's daily limit of new questions
    minutes: float | None = None  # stop once the reported seconds reach this many minutes


def _scripted_answer(
    item: PracticeItem, rng: random.Random, accuracy: float
) -> tuple[list[str], float, bool]:
    q = item.question
    correct = sorted(q.correct_ids)
    if rng.random() < accuracy:
        chosen = correct
    else:
        wrong = [o.id for o in q.options if not o.correct]
        chosen = [rng.choice(wrong)] if wrong else correct[:1]
    seconds = round(rng.uniform(8.0, 45.0), 1)
    return chosen, seconds, rng.random() < 0.1


def _read_answer(inp: TextIO) -> tuple[list[str], float, bool] | None:
    line = inp.readline()
    if not line:
        return None
    try:
        doc = json.loads(line)
        chosen = doc["chosen"]
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise TypeError
        seconds = float(doc.get("seconds", 20.0))
        if not 0.0 <= seconds < 86_400.0:
            raise ValueError
        guessed = bool(doc.get("guessed", False))
    except (ValueError, KeyError, TypeError) as exc:
        raise StudyAppError(
            f"drill: the answer line {line.strip()[:80]!r} is not "
            '{"chosen": [option ids], "seconds": number from 0, "guessed": true|false}.'
        ) from exc
    return chosen, seconds, guessed


def _prompt(item: PracticeItem) -> str:
    return json.dumps(
        {
            "id": item.ref,
            "skill": item.skill,
            "multiple": item.question.type == "multiple",
            "options": list(item.option_order),
            "reason": item.reason,
            "explanation_first": item.show_explanation_first,
        }
    )


class _Drill:
    """One drill run: its clock, service, random source and output."""

    def __init__(self, profile: Profile, opts: DrillOptions, out: TextIO, inp: TextIO) -> None:
        self.clock = _DrillClock(profile.clock)
        profile.clock = self.clock
        self.service = StudyService(profile)
        self.rng = random.Random(opts.seed)
        self.opts, self.out, self.inp = opts, out, inp
        self.done = 0
        self.seconds = 0.0

    def say(self, text: str, event: dict[str, object]) -> None:
        self.out.write((json.dumps(event) if self.opts.interactive else text) + "\n")
        self.out.flush()

    def jump(self, new_allowed: int) -> None:
        """Nothing to ask now: move the clock to when there will be, and say so."""
        now = self.clock.now()
        due = self.service.next_due_after(now)
        moment, why = due, "next-due"
        if self.opts.daily_limit and new_allowed == 0:
            # The daily limit may be all that holds practice back: come back next day.
            day = self.service.day_start(self.service.study_day(now) + timedelta(days=1))
            if due is None or day < due:
                moment, why = day, "next-day"
        if moment is None:
            raise StudyAppError(
                f"drill: nothing left to practise after {self.done} answers "
                "(no question is due or new)."
            )
        self.clock.offset += moment - now + timedelta(seconds=1)
        at = self.clock.now().isoformat().replace("+00:00", "Z")
        self.say(f"clock {at} {why}", {"event": "clock", "now": at, "why": why})

    def out_of_time(self) -> bool:
        return self.opts.minutes is not None and self.seconds >= self.opts.minutes * 60

    def run(self) -> ExitCode:
        """Drill until the answers are given, the minutes are used or input ends; with
        ``--minutes``, one end line says which."""
        reason = self._run()
        if self.opts.minutes is not None:
            self._end(reason)
        return ExitCode.OK

    def _run(self) -> str:
        opts = self.opts
        answer_mode = "cram" if opts.mode == "cram" else "drill"
        new_limit = None if opts.daily_limit else UNLIMITED
        while self.done < opts.answers:
            practice = self.service.plan_practice(
                min(SESSION, opts.answers - self.done),
                mode=opts.mode,
                rng=self.rng,
                new_limit=new_limit,
            )
            if not practice.items:
                self.jump(practice.plan.new_allowed)
                continue
            session_id = self.service.start_session(opts.mode, None, len(practice.items))
            try:
                if not self._answer_batch(practice.items, answer_mode, session_id):
                    return "input"
            finally:
                self.service.end_session(session_id)
            if self.out_of_time():
                return "minutes"
        return "answers"

    def _answer_batch(self, items: list[PracticeItem], answer_mode: str, session_id: int) -> bool:
        """Answer a batch; False when the drill is over (input ended, or out of time)."""
        for item in items:
            if self.opts.interactive:
                self.out.write(_prompt(item) + "\n")
                self.out.flush()
                reply = _read_answer(self.inp)
                if reply is None:
                    return False
                chosen, seconds, guessed = reply
            else:
                chosen, seconds, guessed = _scripted_answer(item, self.rng, self.opts.accuracy)
            self.clock.offset += timedelta(seconds=seconds)
            result = self.service.answer(
                item.qid,
                chosen,
                seconds,
                guessed=guessed,
                mode=answer_mode,
                session_id=session_id,
            ).value
            self.done += 1
            self.seconds += seconds
            self.out.write(
                f"answered {self.done} {item.ref} skill={item.skill} "
                f"correct={'true' if result.correct else 'false'} rating={result.rating} "
                f"review={result.review_id}\n"
            )
            self.out.flush()
            if self.done >= self.opts.answers or self.out_of_time():
                return True
        return True

    def _end(self, reason: str) -> None:
        secs = round(self.seconds, 1)
        self.say(
            f"end answers={self.done} seconds={secs:g} reason={reason}",
            {"event": "end", "answers": self.done, "seconds": secs, "reason": reason},
        )


def run_drill(profile: Profile, opts: DrillOptions, *, out: TextIO, inp: TextIO) -> ExitCode:
    """Answer up to ``opts.answers`` planned questions; returns the exit code."""
    return _Drill(profile, opts, out, inp).run()
