"""The study policies ``studyapp simulate`` compares: the app's planner and three ways
learners study without it (uniform draws, a flashcard app's due-first order, a shuffled
pass over the bank). Each picks the next questions for a :class:`~.learner.Run`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from studyapp.domain.planner import (
    plan_session,
)
from studyapp.services.simulation.learner import Run, SimQuestion

Policy = Callable[[Run, datetime, set[int]], list[tuple[SimQuestion, bool]]]


def planner_policy(run: Run, now: datetime, done_today: set[int]) -> list[tuple[SimQuestion, bool]]:
    inp = run.plan_input(now)
    by_id = {q.id: q for q in run.qs}
    exclude = frozenset(run.qs[i].id for i in done_today)
    plan = plan_session(inp, now, 10, run.rng, exclude=exclude)
    if plan.items:
        return [(by_id[i.qid], True) for i in plan.items]
    cram = plan_session(inp, now, 10, run.rng, mode="cram", exclude=exclude)
    return [(by_id[i.qid], False) for i in cram.items]


def uniform_policy(run: Run, now: datetime, done_today: set[int]) -> list[tuple[SimQuestion, bool]]:
    pool = [q for q in run.qs if q.index not in done_today] or list(run.qs)
    return [(run.rng.choice(pool), True)]


def shuffled_policy(
    run: Run, now: datetime, done_today: set[int]
) -> list[tuple[SimQuestion, bool]]:
    """Every question once in random order, then again in a new random order, and so on."""
    order: list[int] = getattr(run, "order", [])
    if not order:
        order = list(range(len(run.qs)))
        run.rng.shuffle(order)
        run.order = order  # type: ignore[attr-defined]
    for at, index in enumerate(order):
        if index not in done_today:
            order.pop(at)
            return [(run.qs[index], True)]
    return []


def due_first(limit: int | None) -> Policy:
    def policy(run: Run, now: datetime, done_today: set[int]) -> list[tuple[SimQuestion, bool]]:
        due = sorted(
            (it.mem.due, q.index)
            for q, it in zip(run.qs, run.items, strict=True)
            if it.mem is not None and it.mem.due <= now and q.index not in done_today
        )
        if due:
            return [(run.qs[i], True) for _d, i in due[:10]]
        introduced = run.new_on.get(now.date(), 0)
        if limit is None or introduced < limit:
            new = next((q for q, it in zip(run.qs, run.items, strict=True) if it.mem is None), None)
            if new is not None:
                return [(new, True)]
        ahead = sorted(
            (it.mem.due, q.index)
            for q, it in zip(run.qs, run.items, strict=True)
            if it.mem is not None and q.index not in done_today
        )
        return [(run.qs[i], True) for _d, i in ahead[:10]]

    return policy
