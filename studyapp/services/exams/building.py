"""Building mock exams in a profile: the pool, the code, and which packs a code needs.

The pure rules are in :mod:`studyapp.domain.exam`; this module reads what they need (the
framework, the pool of active questions with their pack versions, the options of the
questions drawn, the learner's history for the history-dependent selections) and applies
the pack-version rule of a code (``docs/exams.md``): with a share line, exactly its pack
versions; without, all installed packs, or all but one, or one alone, whichever matches
the code's fingerprint.

The pool (an immutable :class:`~studyapp.domain.exam.ExamPool`) is built once per
question set through :func:`studyapp.services.study.cache.derived`: answers keep it, any
other write (an import, a retirement) builds it again on the next use. So a build reads
the framework, the options of the hundred questions drawn, and nothing per pool question
(``docs/decisions/0010-exam-draw-buckets.md``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from studyapp.domain.exam import (
    ExamPlan,
    ExamPool,
    History,
    PoolQuestion,
    draw_exam,
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
from studyapp.services.exams.views import BuiltExam, ExamRequest
from studyapp.services.settings import target_framework_key
from studyapp.services.study import cache as study_cache
from studyapp.storage.database import Database
from studyapp.storage.exams import DbSession, load_option_ids, load_pool
from studyapp.storage.frameworks import load_framework


def find_framework(session: DbSession, blueprint: str) -> Framework:
    """The framework a blueprint id names; a clear error if the profile has none."""
    fw = load_framework(session, blueprint.lower())
    if fw is None:
        raise ExamError(
            f"There is no blueprint {blueprint!r} in this profile; the CETL blueprint is "
            "'cetl'. A pack that defines another framework adds its blueprint."
        )
    return fw


def read_pool(session: DbSession, framework_key: str) -> ExamPool:
    """The pool of a framework as stored now (one query; what :func:`exam_pool` caches)."""
    rows = load_pool(session, framework_key)
    names: dict[str, str] = {}  # one string object per pack and skill id, not per row
    versions: dict[str, str] = {}
    questions = []
    for row in rows:
        pack = names.setdefault(row.pack_id, row.pack_id)
        versions[pack] = row.pack_version
        skill = names.setdefault(row.skill, row.skill)
        questions.append(PoolQuestion(pack, row.question_id, skill, row.qid))
    return ExamPool.of(questions, versions)


def exam_pool(
    db: Database, session: DbSession, framework_key: str, packs: Mapping[str, str] | None = None
) -> ExamPool:
    """The cached pool of a framework: every installed pack, or only ``packs`` (a subset
    of the installed ones, as :func:`resolve_packs` chose it)."""
    whole = study_cache.derived(
        db, session, f"exam-pool:{framework_key}", lambda s: read_pool(s, framework_key)
    )
    if packs is None or set(packs) == set(whole.versions):
        return whole
    key = f"exam-pool:{framework_key}:" + ",".join(sorted(packs))
    return study_cache.derived(db, session, key, lambda _s: whole.restricted(packs))


def code_for(fw: Framework, request: ExamRequest, pool: ExamPool, rng: random.Random) -> ExamCode:
    """The code of the exam the setup choices describe (a fresh seed if none is given)."""
    length = request.length or fw.exam.length
    seed = rng.randrange(SEEDS) if request.seed is None else request.seed
    if not 0 <= seed < SEEDS:
        raise ExamError(f"An exam seed is a whole number from 0 to {SEEDS - 1}, not {seed}.")
    skill_ids = [s.id for s in fw.skill_areas]
    chosen = [skill_id(fw, s) for s in request.skills] or skill_ids
    mask = skill_mask(chosen, skill_ids)
    versions = pool.versions_for(chosen)
    return ExamCode(fw.id, length, seed, request.selection, mask, pool_fingerprint(versions))


def plan_exam(
    db: Database, session: DbSession, request: ExamRequest | str, rng: random.Random
) -> tuple[Framework, ExamPlan]:
    """Build (without storing) the exam a request or a code/share line stands for."""
    requirements: dict[str, str] = {}
    if isinstance(request, str):
        code, requirements = parse_share_line(request)
        fw = find_framework(session, code.blueprint)
        pool = exam_pool(db, session, fw.id)
    else:
        fw = find_framework(session, request.blueprint or target_framework_key(session))
        pool = exam_pool(db, session, fw.id)
        code = code_for(fw, request, pool, rng)
    weights = {s.id: s.weight for s in fw.skill_areas}
    skills = skills_of_mask(code.skill_mask, list(weights))
    installed = pool.versions_for(skills)
    keep = resolve_packs(code, installed, requirements)
    if keep != installed:
        pool = exam_pool(db, session, fw.id, keep)
    history = {} if code.selection == "mixed" else learner_history(db, session, fw.id)
    draw = draw_exam(code, weights, pool, history)
    options = load_option_ids(session, [q.qid for q in draw.questions if q.qid is not None])
    plan = draw.plan({q.ref: options.get(q.qid, ()) for q in draw.questions if q.qid is not None})
    return fw, plan


def learner_history(db: Database, session: DbSession, framework_key: str) -> dict[str, History]:
    """History (by ``pack/question``) of the framework's questions that the learner has
    done anything with, from the study cache's planning rows (one pass over them; a
    question left out has ``History(seen=False)``)."""
    refs = study_cache.derived(
        db,
        session,
        f"exam-pool-refs:{framework_key}",
        lambda s: {q.qid: q.ref for q in exam_pool(db, s, framework_key).by_ref.values() if q.qid},
    )
    history: dict[str, History] = {}
    for _at, p in study_cache.current(db, session).rows.stored():  # rows with a memory
        if p.memory is None and p.last_correct is None and not p.wrong_count:
            continue
        ref = refs.get(p.qid)
        if ref is not None:
            seen = p.memory is not None and p.memory.reps > 0
            history[ref] = History(seen, p.last_correct, p.wrong_count)
    return history


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


def describe_versions(versions: Mapping[str, str]) -> str:
    return ", ".join(f"{p} {v}" for p, v in versions.items()) or "none"


def resolve_packs(
    code: ExamCode, installed: Mapping[str, str], requirements: Mapping[str, str]
) -> dict[str, str]:
    """The packs (id -> version) the code was built from, out of ``installed`` (the packs
    with a question in the code's skill areas); names what is missing if it can.

    With a share line's requirements, exactly those packs at those versions. Without,
    every installed pack if the fingerprint matches, else the installed packs less one,
    or a single pack alone (a member with an extra pack of their own still gets the
    group's exam). Anything else is refused, naming the versions installed here.
    """
    installed = dict(sorted(installed.items()))
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
        return {p: v for p, v in installed.items() if p in requirements}
    packs = list(installed)
    candidates: list[list[str]] = [packs]
    if len(packs) > 1:
        candidates += [[p for p in packs if p != drop] for drop in packs]
        candidates += [[p] for p in packs]
    for keep in candidates:
        versions = {p: installed[p] for p in keep}
        if pool_fingerprint(versions) == code.fingerprint:
            return versions
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
