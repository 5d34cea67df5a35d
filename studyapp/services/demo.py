"""A demo history for screenshots and the self-test: a month of plausible practice.

Only ever applied to a temporary profile (``studyapp selftest --screenshots`` without a
data folder); never to a user's profile.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from studyapp.domain.clock import Clock
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService


class _Shifted:
    def __init__(self, base: Clock, offset: timedelta) -> None:
        self.base, self.offset = base, offset

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def monotonic(self) -> float:
        return self.base.monotonic()


def seed_demo_history(profile: Profile, *, days: int = 30, per_day: int = 18, seed: int = 7) -> int:
    """Answer ``per_day`` planned questions a day for ``days`` days ending now; returns answers."""
    rng = random.Random(seed)
    real = profile.clock
    answered = 0
    try:
        for day in range(days, 0, -1):
            if rng.random() < 0.15:
                continue  # a day off now and then
            clock = _Shifted(real, -timedelta(days=day) + timedelta(minutes=rng.randint(0, 120)))
            profile.clock = clock
            service = StudyService(profile)
            _plan, items = service.plan(per_day, rng=rng)
            for item in items:
                skill_bias = (
                    0.15 if item.skill in ("business-management", "data-management") else 0.0
                )
                correct = rng.random() < 0.72 - skill_bias
                q = item.question
                chosen = (
                    sorted(q.correct_ids)
                    if correct
                    else [next(o.id for o in q.options if not o.correct)]
                )
                seconds = rng.uniform(15, 60)
                service.answer(item.qid, chosen, seconds)
                clock.offset += timedelta(seconds=seconds + 10)
                answered += 1
    finally:
        profile.clock = real
    return answered
