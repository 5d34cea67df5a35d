"""``studyapp drill``: a learner answering planned questions through the real services.

It serves tests, benchmarks and crash tests, and lets an outside learner model drive the
real planner (``--interactive``). Every answer is committed before its line is printed
and flushed, so a line on stdout means the answer is on disk.

Protocol, one line each:
- ``answered <n> <pack/question> skill=<id> correct=<true|false> rating=<1-4> review=<id>``
  after each committed answer;
- with ``--interactive``, before each question, a JSON object
  ``{"id", "skill", "multiple", "options": [option ids in shown order]}``; the learner
  replies with one JSON line ``{"chosen": [option ids], "seconds": 12.5, "guessed": false}``.
  End of input stops the drill.

The drill keeps its own clock: it starts at the profile's clock (``--now``) and moves on by
each answer's seconds; when nothing is due or new it moves to the next due question, as a
learner coming back later would. The daily limit of new questions does not apply.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import TextIO

from studyapp.domain.clock import Clock
from studyapp.domain.errors import StudyAppError
from studyapp.domain.planner import Mode
from studyapp.services.profile import Profile
from studyapp.services.study import PracticeItem, StudyService

SESSION = 20


class _DrillClock:
    """The profile's clock plus the drill's simulated time."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def monotonic(self) -> float:
        return self.base.monotonic() + self.offset.total_seconds()


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
        guessed = bool(doc.get("guessed", False))
    except (ValueError, KeyError, TypeError) as exc:
        raise StudyAppError(
            f"drill: the answer line {line.strip()[:80]!r} is not "
            '{"chosen": [option ids], "seconds": number, "guessed": true|false}.'
        ) from exc
    return chosen, seconds, guessed


def run_drill(
    profile: Profile,
    *,
    answers: int,
    seed: int,
    accuracy: float,
    mode: Mode,
    interactive: bool,
    out: TextIO,
    inp: TextIO,
) -> int:
    """Answer ``answers`` planned questions; returns the exit code."""
    clock = _DrillClock(profile.clock)
    profile.clock = clock
    service = StudyService(profile)
    rng = random.Random(seed)
    done = 0
    answer_mode = "cram" if mode == "cram" else "drill"
    while done < answers:
        plan, items = service.plan(
            min(SESSION, answers - done), mode=mode, rng=rng, new_limit=10**6
        )
        if not items:
            wait = service.next_due_after(clock.now())
            if wait is None:
                out.flush()
                raise StudyAppError(
                    f"drill: nothing left to practise after {done} answers "
                    "(no question is due or new)."
                )
            clock.offset += wait - clock.now() + timedelta(seconds=1)
            continue
        for item in items:
            if interactive:
                q = item.question
                out.write(
                    json.dumps(
                        {
                            "id": item.ref,
                            "skill": item.skill,
                            "multiple": q.type == "multiple",
                            "options": list(item.option_order),
                        }
                    )
                    + "\n"
                )
                out.flush()
                reply = _read_answer(inp)
                if reply is None:
                    return 0
                chosen, seconds, guessed = reply
            else:
                chosen, seconds, guessed = _scripted_answer(item, rng, accuracy)
            clock.offset += timedelta(seconds=seconds)
            result = service.answer(
                item.qid, chosen, seconds, guessed=guessed, mode=answer_mode
            ).value
            done += 1
            out.write(
                f"answered {done} {item.ref} skill={item.skill} "
                f"correct={'true' if result.correct else 'false'} rating={result.rating} "
                f"review={result.review_id}\n"
            )
            out.flush()
            if done >= answers:
                break
        del plan
    return 0
