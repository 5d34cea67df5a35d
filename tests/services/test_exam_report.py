"""The mock exam's HTML report in words people read: local time, never UTC; plain time used."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from studyapp.services.exams.report import exam_report_html, write_exam_report
from tests.services.test_exams import key_of, profile, started  # noqa: F401  # fixture

NEW_YORK = ZoneInfo("America/New_York")


def _submitted(profile, clock, seconds_each: int):  # noqa: F811  # the fixture
    service, exam_id = started(profile, length=3)
    for position in range(3):
        clock.advance(seconds_each)
        service.answer(exam_id, position, key_of(profile, service, exam_id, position))
    return service.submit(exam_id).value


def test_report_shows_the_hand_in_time_in_the_users_zone(profile, clock, tmp_path):  # noqa: F811
    """Handed in 09:01:15 UTC reads '23 November 2026, 04:01' in New York; no 'UTC' anywhere."""
    result = _submitted(profile, clock, 25)
    page = exam_report_html(result, "me", NEW_YORK)
    assert "handed in 23 November 2026, 04:01" in page
    assert "UTC" not in page
    written = write_exam_report(result, "me", tmp_path / "r.html", NEW_YORK)
    assert "23 November 2026, 04:01" in written.read_text("utf-8")


def test_time_used_has_seconds_and_correct_plurals(profile, clock):  # noqa: F811
    """75 s used reads 'Time used: 1 min 15 s' (the app's one duration wording), not '1 minutes'."""
    result = _submitted(profile, clock, 25)
    page = exam_report_html(result, "me", NEW_YORK)
    assert "Time used: 1 min 15 s," in page
    assert "minutes" not in page
