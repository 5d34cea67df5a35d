"""The PostgreSQL group hub under load (issue 17), against a throw-away local cluster.

1,000 member logins (100 with ``--quick``) in one group with 10 scheduled exam codes of
100 questions; every member pushes a card holding all ten sittings and ten skill areas.
Measured:

- the facilitator's Group screen data (``screen_status``, what ``GroupService.screen``
  does): every card with the most recent code's sittings and every code's sitting count
  in one connection, members x skills and that one code's item analysis (as called, and
  inside a worker task's collector pause); also the previous two-call path and all ten
  codes at once (what ``group status --json`` does);
- 50 members syncing at once (threads): read the group, fetch the published pack, push a
  changed card, read their own card back. Afterwards every card is in the hub exactly
  once, at version 2: no error, no lost or doubled card.

Skipped (status "unavailable") where no PostgreSQL binaries or psycopg are present.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import Result, Summary, timed
from benchmarks.pgcluster import ADMIN_PASSWORD, Cluster, shared_cluster, skip_reason

CODES = 10
QUESTIONS = 100
SKILLS = 10
CONCURRENT = 50
MEMBER_PASSWORD = "bench-member"


def _card(n: int, rng: random.Random, readiness: float) -> Any:
    from studyapp.domain.group import ExamCard, ItemCard, MemberCard, SkillCard

    ability = rng.random()
    exams = []
    for c in range(CODES):
        items = []
        for q in range(QUESTIONS):
            right = rng.random() < 0.3 + 0.6 * ability
            chosen = ("a",) if right else (rng.choice("bcd"),)
            items.append(ItemCard(f"bench/c{c}-q{q}", f"skill-{q % SKILLS}", chosen, right))
        raw = sum(i.correct for i in items)
        exams.append(
            ExamCard(f"HUB-BENCH-{c:02d}", raw, QUESTIONS, "2026-12-01T10:00", tuple(items))
        )
    skills = tuple(
        SkillCard(f"skill-{s}", f"Skill area {s}", 0.1, rng.random(), 0.1, 0.9, rng.randint(0, 80))
        for s in range(SKILLS)
    )
    return MemberCard(
        f"{n:032x}",
        f"Member {n}",
        "2026-12-01T10:00",
        "bench",
        "all",
        readiness,
        skills,
        tuple(exams),
    )


def _setup(cluster: Cluster, members: int, log: Any) -> tuple[str, list[str]]:
    from studyapp.domain.group import GroupFile, ScheduledExam
    from studyapp.services.groups import hub
    from studyapp.services.groups.hub import HubGroup

    db = f"bench_{os.getpid()}_{members}"
    cluster.psql_admin(f"DROP DATABASE IF EXISTS {db}")
    cluster.psql_admin(f"CREATE DATABASE {db}")
    os.environ["PGPASSWORD"] = ADMIN_PASSWORD
    hub.init_hub(cluster.url(db=db))
    logins = [f"bench_m{n:04d}" for n in range(members)]
    start = time.perf_counter()
    hub.add_login(cluster.url(db=db), "bench_fac", "facilitator", MEMBER_PASSWORD)
    for login in logins:
        hub.add_login(cluster.url(db=db), login, "member", MEMBER_PASSWORD)
    log(f"  {members + 1} logins added in {time.perf_counter() - start:.1f} s")
    os.environ["PGPASSWORD"] = MEMBER_PASSWORD
    fac = HubGroup(cluster.url("bench_fac", db=db))
    exams = tuple(ScheduledExam(f"HUB-BENCH-{c:02d}") for c in range(CODES))
    fac.create(GroupFile("Bench Cohort", "Bench facilitator", "2026-12-01T09:00", (), exams))
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "cohort.gift"
        pack.write_text("::q::Pick a {=a ~b ~c}\n", encoding="utf-8")
        from studyapp.domain.group import PublishedPack

        sha = fac.publish_pack(pack, "cohort.gift")
        group = fac.read_group().with_pack(
            PublishedPack("cohort.gift", sha, "cohort", "1.0.0", "Cohort", "2026-12-01T09:00")
        )
        fac.write_group(group)
    return db, logins


def _push(cluster: Cluster, db: str, login: str, n: int, readiness: float) -> int:
    from studyapp.services.groups.hub import HubGroup

    port = HubGroup(cluster.url(login, db=db, group="Bench Cohort"))
    port.write_card(_card(n, random.Random(n), readiness))
    return n


def _sync(cluster: Cluster, db: str, login: str, n: int, start: threading.Barrier) -> float:
    """One member's hub side of a sync: group, pack, changed card, own card back."""
    from studyapp.services.groups.hub import HubGroup

    start.wait()
    t0 = time.perf_counter()
    port = HubGroup(cluster.url(login, db=db, group="Bench Cohort"))
    group = port.read_group()
    with tempfile.TemporaryDirectory() as tmp:
        for entry in group.packs:
            port.fetch_pack(entry, Path(tmp))
    card = _card(n, random.Random(n), 0.75)
    port.write_card(card)
    port.write_card(card)  # a retried push: must change nothing
    if port.card_problems():
        raise AssertionError(f"{login}: own card unreadable")
    return time.perf_counter() - t0


def hub_load(ctx: Any) -> list[Result]:
    """The hub workload (see the module docstring)."""
    size = "small" if ctx.quick else "large"
    reason = skip_reason()
    if reason is not None:
        return [
            Result(
                "hub: facilitator's Group screen data",
                size,
                None,
                "ms",
                "< 1000 ms",
                None,
                status="unavailable",
                note=reason,
            )
        ]
    from studyapp.domain.group import Membership
    from studyapp.services.gcpause import gc_paused
    from studyapp.services.groups.hub import HubGroup
    from studyapp.services.groups.status import group_status, screen_status

    members = 100 if ctx.quick else 1000
    cluster = shared_cluster()
    saved = {k: os.environ.get(k) for k in ("PGPASSWORD", "PGPASSFILE", "PGUSER")}
    os.environ.pop("PGPASSFILE", None)
    os.environ.pop("PGUSER", None)
    try:
        ctx.log(f"  hub: {members} members, {CODES} codes x {QUESTIONS} questions")
        db, logins = _setup(cluster, members, ctx.log)
        push_s, _ = timed(
            lambda: list(
                ThreadPoolExecutor(8).map(
                    lambda a: _push(cluster, db, a[1], a[0], 0.5), enumerate(logins)
                )
            )
        )
        ctx.log(f"  all {members} cards pushed in {push_s:.1f} s")
        fac = HubGroup(cluster.url("bench_fac", db=db, group="Bench Cohort"))
        membership = Membership(fac.location, "facilitator", "f" * 32, "Bench facilitator")
        screen, screen_gc, reads, full = [], [], [], []
        for _ in range(5):
            # The Group screen, as GroupService.screen builds it: members x skills, every
            # code's sitting count and the most recent code's analysis, one connection.
            t0 = time.perf_counter()
            status = screen_status(fac, membership, datetime.now(UTC))
            screen.append((time.perf_counter() - t0) * 1000)
            # The same inside a task of the app's worker (studyapp.ui.tasks pauses the
            # cyclic collector for every task; screen_status pauses it itself too).
            t0 = time.perf_counter()
            with gc_paused():
                screen_status(fac, membership, datetime.now(UTC))
            screen_gc.append((time.perf_counter() - t0) * 1000)
            # The path before (with today's card check): group, then the cards with one
            # code's sittings (2 connections), then group_status of that one code.
            t0 = time.perf_counter()
            group = fac.read_group()
            one = replace(group, exams=group.exams[:1])
            read = fac.read_cards(codes=[one.exams[0].code])
            group_status(one, membership, read, datetime.now(UTC))
            reads.append((time.perf_counter() - t0) * 1000)
        assert len(status.members) == members and status.exams[0].analysis.sat == members
        assert [c.sat for c in status.counts] == [members] * CODES
        assert all(len(c.skills) == SKILLS for c in status.members)
        for _ in range(2):
            # Everything at once (what `group status --json` and the report compute,
            # GroupService.status: with the collector paused).
            def everything_at_once() -> Any:
                with gc_paused():
                    return group_status(group, membership, fac.read_cards(), datetime.now(UTC))

            s, everything = timed(everything_at_once)
            full.append(s * 1000)
        assert all(e.analysis.sat == members for e in everything.exams)
        barrier = threading.Barrier(CONCURRENT)
        chosen = list(enumerate(logins))[:CONCURRENT]
        with ThreadPoolExecutor(CONCURRENT) as pool:
            t0 = time.perf_counter()
            futures = [pool.submit(_sync, cluster, db, login, n, barrier) for n, login in chosen]
            per_member = [f.result() for f in futures]  # raises on the first error
            wall = time.perf_counter() - t0
        cluster_rows = _cards(cluster, db)
        versions = [v for _login, v in cluster_rows]
        assert len(cluster_rows) == members, "a card was lost or doubled"
        assert versions.count(2) == CONCURRENT and versions.count(1) == members - CONCURRENT
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    screen_s, sync_s = Summary.of(screen), Summary.of([x * 1000 for x in per_member])
    return [
        Result(
            "hub: facilitator's Group screen data (members x skills, one code's analysis)",
            f"{size} ({members} members)",
            screen_s.median,
            "ms",
            "< 1000 ms",
            screen_s.median < 1000,
            summary=screen_s,
            extra={
                "in_worker_task_ms": Summary.of(screen_gc).to_json(),
                "two_call_path_ms": Summary.of(reads).to_json(),
                "all_codes_status_ms": Summary.of(full).to_json(),
                "push_all_cards_s": round(push_s, 2),
            },
        ),
        Result(
            f"hub: {CONCURRENT} members syncing at once (no error, no lost card)",
            f"{size} ({members} members)",
            sync_s.median,
            "ms",
            "no error",
            True,
            summary=sync_s,
            extra={"wall_s": round(wall, 3), "cards": len(cluster_rows)},
        ),
    ]


def _cards(cluster: Cluster, db: str) -> list[tuple[str, int]]:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="hubadmin", password=ADMIN_PASSWORD, dbname=db
    ) as conn:
        rows = conn.execute("SELECT owner, version FROM studyhub.cards ORDER BY owner").fetchall()
    return [(str(a), int(b)) for a, b in rows]


__all__ = ["hub_load"]
