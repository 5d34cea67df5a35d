"""Building mock exams in a profile: the pool, the code, and which packs a code needs.

The pure rules are in :mod:`studyapp.domain.exam`; this module reads what they need (the
framework, the pool of active questions with their pack versions, the learner's history
for the history-dependent selections) and applies the pack-version rule of a code
(``docs/exams.md``): with a share line, exactly its pack versions; without, all installed
packs, or all but one, or one alone, whichever matches the code's fingerprint.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence

from studyapp.domain.exam import (
    ExamPlan,
    History,
    PoolQuestion,
    build_exam,
    pool_fingerprint,
    skill_mask,
    skills_of_mask,
)
from studyapp.domain.exam_code import (
    SEEDS,
    ExamCode,
    ExamCodeError,
    ExamError,
    parse_share_line,
    share_line,
)
from studyapp.domain.framework import Framework
from studyapp.services.exam_views import BuiltExam, ExamRequest
from studyapp.storage.exams import DbSession, PoolRow, load_pool
from studyapp.storage.frameworks import load_framework
from studyapp.storage.study import load_planning_rows


def find_framework(session: DbSession, blueprint: str) -> Framework:
    """The framework a blueprint id names; a clear error if the profile has none."""
    fw = load_framework(session, blueprint.lower())
    if fw is None:
        raise ExamError(
            f"There is no blueprint {blueprint!r} in this profile; the CETL blueprint is "
            "'cetl'. A pack that defines another framework adds its blueprint."
        )
    return fw


def code_for(
    fw: Framework, request: ExamRequest, pool: Sequence[PoolRow], rng: random.Random
) -> ExamCode:
    """The code of the exam the setup choices describe (a fresh seed if none is given)."""
    length = request.length or fw.exam.length
    seed = rng.randrange(SEEDS) if request.seed is None else request.seed
    if not 0 <= seed < SEEDS:
        raise ExamError(f"An exam seed is a whole number from 0 to {SEEDS - 1}, not {seed}.")
    skill_ids = [s.id for s in fw.skill_areas]
    chosen = [skill_id(fw, s) for s in request.skills] or skill_ids
    mask = skill_mask(chosen, skill_ids)
    versions = pack_versions(row for row in pool if row.skill in set(chosen))
    return ExamCode(fw.id, length, seed, request.selection, mask, pool_fingerprint(versions))


def plan_exam(
    session: DbSession, request: ExamRequest | str, rng: random.Random
) -> tuple[Framework, ExamPlan]:
    """Build (without storing) the exam a request or a code/share line stands for."""
    requirements: dict[str, str] = {}
    if isinstance(request, str):
        code, requirements = parse_share_line(request)
        fw = find_framework(session, code.blueprint)
        pool = load_pool(session, fw.id)
    else:
        fw = find_framework(session, request.blueprint)
        pool = load_pool(session, fw.id)
        code = code_for(fw, request, pool, rng)
    weights = {s.id: s.weight for s in fw.skill_areas}
    skills = set(skills_of_mask(code.skill_mask, list(weights)))
    in_skills = [row for row in pool if row.skill in skills]
    chosen_rows = resolve_pool(code, in_skills, requirements)
    history: dict[str, History] = {}
    if code.selection != "mixed":
        refs = {row.qid: f"{row.pack_id}/{row.question_id}" for row in chosen_rows}
        for p in load_planning_rows(session):
            if p.qid in refs:
                seen = p.memory is not None and p.memory.reps > 0
                history[refs[p.qid]] = History(seen, p.last_correct, p.wrong_count)
    plan = build_exam(
        code,
        weights,
        [pool_question(r) for r in chosen_rows],
        pack_versions(chosen_rows),
        history,
    )
    return fw, plan


def skill_id(fw: Framework, name: str) -> str:
    """A skill area's id from its id or title; a clear error naming the valid ones."""
    skill = fw.find_skill(name)
    if skill is None:
        raise ExamError(
            f"{name!r} is not a skill area of {fw.id}; use one of: "
            + ", ".join(s.id for s in fw.skill_areas)
            + "."
        )
    return skill.id


def pack_versions(rows: Iterable[PoolRow]) -> dict[str, str]:
    """Pack id -> version of the packs ``rows`` come from, sorted by id."""
    return dict(sorted({row.pack_id: row.pack_version for row in rows}.items()))


def pool_question(row: PoolRow) -> PoolQuestion:
    return PoolQuestion(row.pack_id, row.question_id, row.skill, row.option_ids)


def describe_versions(versions: Mapping[str, str]) -> str:
    return ", ".join(f"{p} {v}" for p, v in versions.items()) or "none"


def resolve_pool(
    code: ExamCode, rows: Sequence[PoolRow], requirements: Mapping[str, str]
) -> list[PoolRow]:
    """The rows of the packs the code was built from; names what is missing if it can.

    With a share line's requirements, exactly those packs at those versions. Without,
    every installed pack if the fingerprint matches, else the installed packs less one,
    or a single pack alone (a member with an extra pack of their own still gets the
    group's exam). Anything else is refused, naming the versions installed here.
    """
    installed = pack_versions(rows)
    if requirements:
        problems = []
        for pack, version in requirements.items():
            have = installed.get(pack)
            if have != version:
                problems.append(
                    f"{pack} {version} (installed: {have})"
                    if have
                    else f"{pack} {version} (not installed)"
                )
        if problems:
            raise ExamCodeError(
                f"Exam code {code.text()} needs question pack versions this profile lacks: "
                + "; ".join(problems)
                + ". Import those versions (ask whoever shared the code for the files), "
                "then enter the code again."
            )
        if pool_fingerprint(requirements) != code.fingerprint:
            raise ExamCodeError(
                f"The pack list after exam code {code.text()} is not the one the code was "
                "made with; copy the whole line again from whoever shared it."
            )
        return [r for r in rows if r.pack_id in requirements]
    packs = list(installed)
    candidates: list[list[str]] = [packs]
    if len(packs) > 1:
        candidates += [[p for p in packs if p != drop] for drop in packs]
        candidates += [[p] for p in packs]
    for keep in candidates:
        if pool_fingerprint({p: installed[p] for p in keep}) == code.fingerprint:
            return [r for r in rows if r.pack_id in set(keep)]
    raise ExamCodeError(
        f"Exam code {code.text()} was made from other question pack versions than the ones "
        f"installed here ({describe_versions(installed)}), so it would not give the same exam. Ask "
        "whoever shared it for the whole share line (the code followed by the packs it "
        "needs, such as cetl-core@1.0.0) and enter that: StudyApp will name what to import."
    )


def built_exam(plan: ExamPlan) -> BuiltExam:
    """The plan as ``exam build`` shows it."""
    return BuiltExam(
        code=plan.code.text(),
        share_line=share_line(plan.code, plan.pack_versions),
        blueprint=plan.code.blueprint,
        length=plan.code.length,
        seed=plan.code.seed,
        selection=plan.code.selection,
        skills=plan.skills,
        counts=plan.counts,
        questions=tuple((i.ref, i.skill) for i in plan.items),
        pack_versions=plan.pack_versions,
        notes=plan.notes,
    )
