"""The exam service on real profiles with a fake clock: sitting, crash-safe time, scoring,
the review log, codes across profiles and pack versions."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from studyapp.config import AppPaths
from studyapp.domain.errors import StudyAppError
from studyapp.domain.exam import shuffled_options
from studyapp.domain.exam_code import ExamCode, ExamCodeError
from studyapp.domain.exam_sitting import ExamStateError
from studyapp.domain.mastery import scaled_from_raw
from studyapp.services.changes import Change
from studyapp.services.exams.building import exam_pool
from studyapp.services.exams.service import ExamService
from studyapp.services.exams.views import ExamRequest
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.study.service import StudyService
from studyapp.storage.exams import load_exam, load_option_ids, unfinished_exam_id
from tests.packs.factory import SKILLS, pack, question, write_dir


def questions(per_skill: int = 10, prefix: str = "q") -> list:
    return [
        question(f"{prefix}{skill[:2]}{i}", skill) for skill in SKILLS for i in range(per_skill)
    ]


def open_profile(tmp_path, clock, name: str = "profile") -> Profile:
    return Profile.open(AppPaths(tmp_path / name, tmp_path / f"{name}-logs"), clock, "test")


def install(profile: Profile, tmp_path, p, folder: str) -> None:
    PackService(profile).import_pack(write_dir(p, tmp_path / folder))


@pytest.fixture
def profile(tmp_path, clock):
    prof = open_profile(tmp_path, clock)
    install(prof, tmp_path, pack(questions()), "pack")
    yield prof
    prof.close()


def db_rows(profile: Profile, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(profile.paths.database)) as conn:
        return conn.execute(sql).fetchall()


def started(profile: Profile, length: int = 20, **kw) -> tuple[ExamService, int]:
    service = ExamService(profile)
    view = service.create(ExamRequest(length=length, seed=11), **kw).value
    assert view.status == "not_started" and view.remaining_ms == view.limit_ms
    service.start(view.id)
    return service, view.id


def key_of(profile: Profile, service: ExamService, exam_id: int, position: int) -> list[str]:
    q = service.question(exam_id, position)
    return sorted(StudyService(profile).question(q.qid).question.correct_ids)


def wrong_of(service: ExamService, exam_id: int, position: int, key: list[str]) -> list[str]:
    q = service.question(exam_id, position)
    return [next(o.id for o in q.options if o.id not in key)]


def test_answers_flags_and_time_are_committed_as_given(profile, clock):
    """Each answer, flag and tick is in the database when the call returns."""
    service, exam_id = started(profile)
    clock.advance(30)
    service.answer(exam_id, 0, ["b"])
    assert db_rows(profile, "SELECT chosen, time_ms FROM exam_item WHERE position=0") == [
        ('["b"]', 30_000)
    ]
    assert db_rows(profile, "SELECT elapsed_ms, status FROM exam") == [(30_000, "running")]
    clock.advance(4)
    service.flag(exam_id, 5)
    assert db_rows(profile, "SELECT flagged FROM exam_item WHERE position=5") == [(1,)]
    clock.advance(3)
    assert service.tick(exam_id).changes == Change.NONE  # other screens need not refresh
    assert db_rows(profile, "SELECT elapsed_ms, current_position FROM exam") == [(37_000, 0)]
    clock.advance(2)
    service.navigate(exam_id, 7)
    assert db_rows(profile, "SELECT elapsed_ms, current_position FROM exam") == [(39_000, 7)]


def test_the_question_shown_has_the_recorded_order_and_no_key(profile):
    """Options come in the exam's recorded order, with text only, until the end."""
    service, exam_id = started(profile)
    q = service.question(exam_id, 3)
    order = db_rows(profile, "SELECT option_order FROM exam_item WHERE position=3")[0][0]
    assert [o.id for o in q.options] == json.loads(order)
    assert not hasattr(q.options[0], "correct") and q.available
    assert q.stem.startswith("A superintendent asks")


def test_pause_stops_the_clock_and_resume_continues(profile, clock):
    """Time paused does not count; after resuming it counts again from where it stood."""
    service, exam_id = started(profile)
    clock.advance(20)
    view = service.pause(exam_id).value
    assert (view.status, view.elapsed_ms) == ("paused", 20_000) and view.hide_when_paused
    clock.advance(50)
    clock.advance(50)
    assert service.tick(exam_id).value.elapsed_ms == 20_000
    with pytest.raises(ExamStateError, match="paused"):
        service.answer(exam_id, 0, ["a"])
    service.resume(exam_id)
    clock.advance(15)
    assert service.tick(exam_id).value.elapsed_ms == 35_000


def test_reopening_after_a_crash_offers_the_remaining_time_as_it_was(tmp_path, profile, clock):
    """A profile closed while running (a crash) reopens with the exam interrupted; wall time
    while closed does not count, and resuming continues from the stored time."""
    service, exam_id = started(profile)
    for position in range(3):
        clock.advance(10)
        service.answer(exam_id, position, ["a"])
    clock.advance(4)
    service.tick(exam_id)
    profile.close()  # no pause, no submit: as if the process died here
    clock.advance(3 * 3600)
    reopened = Profile.open(profile.paths, clock, "test")
    try:
        again = ExamService(reopened)
        view = again.unfinished()
        assert view is not None and view.id == exam_id
        assert (view.status, view.interrupted, view.elapsed_ms, view.answered) == (
            "paused",
            True,
            34_000,
            3,
        )
        clock.advance(600)
        assert again.tick(exam_id).value.elapsed_ms == 34_000
        with pytest.raises(ExamStateError, match="resume"):
            again.answer(exam_id, 4, ["a"])
        view = again.resume(exam_id).value
        assert (view.status, view.interrupted) == ("running", False)
        clock.advance(6)
        assert again.answer(exam_id, 4, ["a"]).value.elapsed_ms == 40_000
    finally:
        reopened.close()


def test_a_sleep_longer_than_the_gap_is_not_exam_time(profile, clock):
    """A reading more than 60 s after the last one counts nothing (the machine slept)."""
    service, exam_id = started(profile)
    clock.advance(10)
    service.tick(exam_id)
    clock.advance(3600)
    assert service.tick(exam_id).value.elapsed_ms == 10_000
    clock.advance(5)
    assert service.tick(exam_id).value.elapsed_ms == 15_000


def test_running_out_of_time_submits_and_scores_by_itself(profile, clock):
    """Ticks up to the limit submit the exam; its answers reach the review log."""
    service, exam_id = started(profile, minutes=1)
    key = key_of(profile, service, exam_id, 0)
    service.answer(exam_id, 0, key)
    outcomes = []
    for _ in range(7):
        clock.advance(10)
        outcomes.append(service.tick(exam_id))
    view = outcomes[-1].value
    assert view.submitted and view.ended_by == "time"
    assert outcomes[5].changes == Change.EXAMS | Change.REVIEWS  # the tick that submitted
    assert view.remaining_ms == 0 and view.elapsed_ms == 60_000
    assert db_rows(profile, "SELECT status, raw_correct FROM exam") == [("submitted", 1)]
    assert db_rows(profile, "SELECT mode, exam_id, correct FROM review_log") == [
        ("exam", exam_id, 1)
    ]
    assert service.unfinished() is None
    with pytest.raises(ExamStateError, match="submitted"):
        service.answer(exam_id, 1, ["a"])


def test_submission_feeds_the_review_log_and_mastery(profile, clock):
    """Answered questions are logged with mode exam and the exam id, graded and scheduled;
    unanswered ones are not logged."""
    service, exam_id = started(profile, length=10)
    right = []
    for position in range(6):
        service.navigate(exam_id, position)
        clock.advance(20)
        key = key_of(profile, service, exam_id, position)
        chosen = key if position % 2 == 0 else wrong_of(service, exam_id, position, key)
        service.answer(exam_id, position, chosen)
        right.append(position % 2 == 0)
    result = service.submit(exam_id).value
    assert result.score.raw == 3 and result.score.answered == 6 and result.score.length == 10
    log = db_rows(profile, "SELECT mode, exam_id, correct, response_ms FROM review_log ORDER BY id")
    assert [(m, e) for m, e, _c, _ms in log] == [("exam", exam_id)] * 6
    assert sorted(bool(c) for _m, _e, c, _ms in log) == sorted(right)
    assert all(ms == 20_000 for *_rest, ms in log)
    assert db_rows(profile, "SELECT count(*) FROM memory_state WHERE reps = 1") == [(6,)]
    stats = StudyService(profile).stats()
    assert stats.reviews == 6 and sum(s.seen for s in stats.skills) == 6


def test_result_report_scores_breaks_down_and_reviews(profile, clock):
    """Raw, estimated scaled score, per-category and per-skill tallies, and review of all,
    wrong and flagged questions with answer, key, rationales and explanation."""
    service, exam_id = started(profile, length=20)
    for position in range(20):
        clock.advance(5)
        key = key_of(profile, service, exam_id, position)
        chosen = key if position < 14 else wrong_of(service, exam_id, position, key)
        service.answer(exam_id, position, chosen)
    service.flag(exam_id, 2)
    service.flag(exam_id, 15)
    result = service.submit(exam_id).value
    s = result.score
    assert (s.raw, s.length, s.cut_raw) == (14, 20, 14)
    assert s.scaled == scaled_from_raw(14, 20, 14, 800, 600) == 600 and s.passed
    assert sum(t.total for t in s.by_skill) == 20 and sum(t.correct for t in s.by_skill) == 14
    assert {t.id for t in s.by_skill} <= set(SKILLS)
    assert sum(t.total for t in s.by_category) == 20
    assert s.mean_time_ms == 5000
    wrong = service.result(exam_id, "wrong")
    assert [i.position for i in wrong.items] == list(range(14, 20))
    item = wrong.items[0]
    assert item.chosen and item.chosen != item.correct_ids and not item.correct
    assert item.question is not None and item.question.explanation
    assert all(o.rationale for o in item.question.options)
    flagged = service.result(exam_id, "flagged")
    assert [(i.position, i.correct) for i in flagged.items] == [(2, True), (15, False)]
    doc = result.to_json()
    assert doc["raw"] == 14 and doc["scaled_estimate"] == 600 and len(doc["items"]) == 20


def test_the_assumed_cut_setting_moves_the_estimate_and_is_kept_with_the_result(profile, clock):
    """With assumed_raw_cut 0.5, half right is the pass mark; changing it later does not
    change an earlier result."""
    profile.update_settings(assumed_raw_cut=0.5)
    service, exam_id = started(profile, length=10)
    for position in range(5):
        service.answer(exam_id, position, key_of(profile, service, exam_id, position))
    assert service.submit(exam_id).value.score.scaled == 600
    profile.update_settings(assumed_raw_cut=0.9)
    assert service.result(exam_id).score.scaled == 600
    assert service.history().entries[0].scaled == 600


def test_one_unfinished_exam_at_a_time_and_discarding_it(profile):
    """A second exam is refused while one is unfinished; discarding removes it."""
    service, exam_id = started(profile)
    with pytest.raises(ExamStateError, match="not finished"):
        service.create(ExamRequest(length=5))
    assert service.discard(exam_id).value is True
    assert db_rows(profile, "SELECT count(*) FROM exam_item") == [(0,)]
    service.create(ExamRequest(length=5))


def test_history_lists_submitted_exams_with_a_trend(profile, clock):
    """Each submitted exam is in the history, oldest first, and the trend is the slope."""
    service = ExamService(profile)
    for right in (2, 6):
        exam_id = service.create(ExamRequest(length=10, seed=right)).value.id
        service.start(exam_id)
        for position in range(right):
            service.answer(exam_id, position, key_of(profile, service, exam_id, position))
        clock.advance(60)
        service.submit(exam_id)
    history = service.history()
    assert [e.raw for e in history.entries] == [2, 6]
    first, second = history.entries
    assert history.trend_scaled_per_exam == second.scaled - first.scaled
    assert history.trend_percent_per_exam == pytest.approx(40.0)


def test_default_time_limit_is_pro_rata_and_adjustable(profile):
    """120 min for 100 questions gives 24 for 20; the setting and an explicit limit win."""
    service = ExamService(profile)
    view = service.create(ExamRequest(length=20)).value
    assert view.limit_ms == 24 * 60_000
    service.discard(view.id)
    profile.update_settings(exam_minutes=100)
    view = service.create(ExamRequest(length=20)).value
    assert view.limit_ms == 20 * 60_000
    service.discard(view.id)
    assert service.create(ExamRequest(length=20), minutes=45).value.limit_ms == 45 * 60_000
    info = service.setup_info()
    assert info.full_length == 100 and not info.time_limit_published
    assert {s.id: s.available for s in info.skills if s.available} == dict.fromkeys(SKILLS, 10)


def test_the_exam_is_drawn_by_the_blueprint_from_what_is_installed(profile):
    """With four skill areas installed, the blueprint is re-split over them, by weight."""
    built = ExamService(profile).build(ExamRequest(length=20, seed=3))
    assert sum(built.counts.values()) == 20
    assert {skill for _ref, skill in built.questions} == set(SKILLS)
    assert built.counts["leadership-vision"] > built.counts["data-management"]
    assert any("instead of the blueprint" in n for n in built.notes)


def test_unseen_first_avoids_questions_already_practised(profile):
    """After practising some questions, an unseen-first exam draws none of them."""
    study = StudyService(profile)
    _plan, items = study.plan(12)
    for item in items:
        study.answer(item.qid, ["a"], 20.0)
    practised = {item.ref for item in items}
    built = ExamService(profile).build(ExamRequest(length=12, selection="unseen-first", seed=1))
    assert not practised & {ref for ref, _s in built.questions}


def test_same_code_same_exam_whatever_the_install_order(tmp_path, clock):
    """Two profiles that imported the same packs in opposite orders build the same exam."""
    core = pack(questions(), pack_id="core")
    extra = pack(questions(prefix="x"), pack_id="extra", version="0.3.0")
    a = open_profile(tmp_path, clock, "a")
    b = open_profile(tmp_path, clock, "b")
    try:
        install(a, tmp_path, core, "core-a")
        install(a, tmp_path, extra, "extra-a")
        install(b, tmp_path, extra, "extra-b")
        install(b, tmp_path, core, "core-b")
        built = ExamService(a).build(ExamRequest(length=30, seed=42))
        again = ExamService(b).build(built.code)
        assert again.questions == built.questions and again.code == built.code
        assert built.pack_versions == {"core": "1.0.0", "extra": "0.3.0"}
        sat = ExamService(b).create(built.code).value
        assert [i.ref for i in sat.items] == [ref for ref, _s in built.questions]
    finally:
        a.close()
        b.close()


def test_other_pack_versions_are_named_and_an_extra_pack_is_set_aside(tmp_path, clock):
    """A member with a newer pack is told so (exactly, with the share line); a member with
    an extra pack of their own still gets the group's exam."""
    a = open_profile(tmp_path, clock, "a")
    b = open_profile(tmp_path, clock, "b")
    c = open_profile(tmp_path, clock, "c")
    try:
        install(a, tmp_path, pack(questions()), "v1")
        install(b, tmp_path, pack([*questions(), question("new1")], version="1.1.0"), "v11")
        install(c, tmp_path, pack(questions()), "v1c")
        install(c, tmp_path, pack(questions(prefix="m"), pack_id="mine"), "mine")
        built = ExamService(a).build(ExamRequest(length=20, seed=5))
        with pytest.raises(ExamCodeError, match=r"installed here \(test-pack 1\.1\.0\)"):
            ExamService(b).build(built.code)
        with pytest.raises(ExamCodeError, match=r"test-pack 1\.0\.0 \(installed: 1\.1\.0\)"):
            ExamService(b).build(built.share_line)
        assert ExamService(c).build(built.code).questions == built.questions
        assert ExamService(c).build(built.share_line).questions == built.questions
    finally:
        for prof in (a, b, c):
            prof.close()


def test_bad_codes_and_requests_are_clear_errors(profile):
    """A mistyped code, an unknown blueprint or skill, and a too-long exam are one sentence."""
    service = ExamService(profile)
    built = service.build(ExamRequest(length=10, seed=1))
    typo = built.code[:-2] + ("X" if built.code[-2] != "X" else "Y") + built.code[-1]
    for bad, words in [
        (typo, "does not check out"),
        (ExamCode("nope", 10, 1, "mixed", 0, 0).text(), "no blueprint 'nope'"),
        (ExamRequest(skills=("astrology",)), "not a skill area"),
        (ExamRequest(length=41), "Only 40 questions"),
        (ExamRequest(seed=5000), "seed"),
    ]:
        with pytest.raises(StudyAppError, match=words):
            service.build(bad)


def test_a_code_is_found_over_all_packs_all_but_one_or_one_alone(tmp_path, clock):
    """A code made with one pack, or with two of three, gives the same exam in a profile
    that has a third pack of its own; the share line too; its own code differs."""
    core = pack(questions(), pack_id="core")
    extra = pack(questions(prefix="x"), pack_id="extra", version="0.3.0")
    mine = pack(questions(prefix="m"), pack_id="mine", version="2.0.0")
    alone = open_profile(tmp_path, clock, "alone")
    pair = open_profile(tmp_path, clock, "pair")
    member = open_profile(tmp_path, clock, "member")
    try:
        install(alone, tmp_path, core, "core-1")
        for p, folder in [(core, "core-2"), (extra, "extra-2")]:
            install(pair, tmp_path, p, folder)
        for p, folder in [(mine, "mine-3"), (core, "core-3"), (extra, "extra-3")]:
            install(member, tmp_path, p, folder)
        service = ExamService(member)
        for source in (alone, pair):
            built = ExamService(source).build(ExamRequest(length=30, seed=8))
            for entered in (built.code, built.share_line):
                again = service.build(entered)
                assert again.questions == built.questions
                assert again.pack_versions == built.pack_versions
        own = service.build(ExamRequest(length=30, seed=8))
        assert own.pack_versions == {"core": "1.0.0", "extra": "0.3.0", "mine": "2.0.0"}
        assert {ref.split("/")[0] for ref, _s in own.questions} == {"core", "extra", "mine"}
        sat = service.create(ExamService(alone).build(ExamRequest(length=30, seed=8)).code)
        assert {i.ref.split("/")[0] for i in sat.value.items} == {"core"}
    finally:
        for prof in (alone, pair, member):
            prof.close()


def test_the_pool_is_kept_across_answers_and_rebuilt_after_an_import(tmp_path, profile):
    """Answers leave the cached pool as it is; importing a pack builds it again."""
    service = ExamService(profile)
    with profile.db.reader() as session:
        first = exam_pool(profile.db, session, "cetl")
    assert len(first) == 40
    study = StudyService(profile)
    _plan, items = study.plan(3)
    for item in items:
        study.answer(item.qid, ["a"], 10.0)
    with profile.db.reader() as session:
        assert exam_pool(profile.db, session, "cetl") is first
    install(profile, tmp_path, pack(questions(prefix="n"), pack_id="more"), "more")
    with profile.db.reader() as session:
        assert len(exam_pool(profile.db, session, "cetl")) == 80
    assert {s.available for s in service.setup_info().skills if s.available} == {20}


def test_options_of_the_drawn_questions_are_read_in_authored_order(profile):
    """Only the drawn questions' options are read, in authored order, and the sitting
    records the keyed-hash order of those ids."""
    view = ExamService(profile).create(ExamRequest(length=20, seed=11)).value
    qids = [q for (q,) in db_rows(profile, "SELECT question_id FROM exam_item")]
    with profile.db.reader() as session:
        options = load_option_ids(session, qids)
    assert set(options) == set(qids)
    assert set(options.values()) == {("a", "b", "c", "d")}
    for item in view.items:
        shown = ExamService(profile).question(view.id, item.position)
        assert tuple(o.id for o in shown.options) == shuffled_options(
            11, item.ref, ("a", "b", "c", "d")
        )
    assert len({item.option_order for item in load_sitting_orders(profile)}) > 1


def load_sitting_orders(profile: Profile) -> list:
    with profile.db.reader() as session:
        exam_id = unfinished_exam_id(session)
        assert exam_id is not None
        stored = load_exam(session, exam_id)
    assert stored is not None
    return list(stored.sitting.items)


def test_weak_focus_draws_the_questions_answered_wrong(profile):
    """History comes from the study cache: questions just answered wrong come first."""
    study = StudyService(profile)
    _plan, items = study.plan(6)
    wrong = set()
    for n, item in enumerate(items):
        right = n % 2 == 0
        study.answer(item.qid, ["a"] if right else ["b"], 10.0)
        if not right:
            wrong.add(item.ref)
    built = ExamService(profile).build(
        ExamRequest(length=len(SKILLS) * 3, selection="weak-focus", seed=2)
    )
    assert wrong <= {ref for ref, _s in built.questions}
