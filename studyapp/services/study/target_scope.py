"""Keep planning inside the target framework.

A profile may hold packs of several frameworks (CETL and a state CTO program, say). The
planner weighs skill areas by the target framework's weights, but its input is built from
every active question; without this step, questions of another framework would still be
introduced once the target's new questions run out, and their due reviews would be mixed
in. Questions with no skill area stay (as before: they belong to no framework at all).
Switching the target back brings them back with all their progress: nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from studyapp.domain.planner import PlanInput


def scope_to_framework(inp: PlanInput, skills: Collection[str]) -> PlanInput:
    """``inp`` with only the questions of ``skills`` (or of no skill area); unchanged, and
    not copied, when every question already belongs to them (the usual one-framework
    profile)."""
    allowed = set(skills)

    def keep(skill: str | None) -> bool:
        return skill is None or skill in allowed

    index = inp.index
    index_ok = index is None or (
        all(keep(s) for s in index.groups) and all(keep(s) for s in index.totals)
    )
    if index_ok and all(keep(c.skill) for c in inp.candidates):
        return inp
    candidates = [c for c in inp.candidates if keep(c.skill)]
    if index is not None:
        members = {q: s for q, s in index.members.items() if keep(s)}
        unseen_loose = sum(1 for c in candidates if not c.seen)
        index = replace(
            index,
            groups={s: levels for s, levels in index.groups.items() if keep(s)},
            totals={s: n for s, n in index.totals.items() if keep(s)},
            members=members,
            unseen=len(members) + unseen_loose,
        )
    return replace(inp, candidates=candidates, index=index)
