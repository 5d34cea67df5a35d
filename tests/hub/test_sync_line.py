"""The one line on the last sync (Group screen and ``group status``), for either back end:
plain words, the user's local time, and why the last sync failed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from studyapp.domain.group import Membership
from studyapp.services.groups.report import sync_line

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def joined(**changes) -> Membership:
    return Membership("S:/Cohort", "member", "a" * 32, "Ann", **changes)


def test_when_it_last_synced_in_local_time():
    """Today, yesterday, a date, a date of another year; never synced says so."""
    assert sync_line(joined(), NOW, UTC) == "Not synced yet."
    assert sync_line(joined(last_sync="2026-12-07T14:05:00+00:00"), NOW, UTC) == (
        "Last synced today at 14:05."
    )
    assert sync_line(joined(last_sync="2026-12-07T14:05:00+00:00"), NOW, NY) == (
        "Last synced today at 09:05."
    )
    assert sync_line(joined(last_sync="2026-12-07T03:00:00+00:00"), NOW, NY) == (
        "Last synced yesterday at 22:00."
    )
    assert sync_line(joined(last_sync="2026-11-03T10:00:00+00:00"), NOW, UTC) == (
        "Last synced on 3 November at 10:00."
    )
    assert sync_line(joined(last_sync="2025-12-31T10:00:00+00:00"), NOW, UTC) == (
        "Last synced on 31 December 2025 at 10:00."
    )


def test_a_failed_sync_says_when_and_why_in_one_line():
    """The failure wins over an older success; its sentence follows a colon."""
    failed = joined(
        last_sync="2026-12-06T09:00:00+00:00",
        failed_at="2026-12-07T14:05:00+00:00",
        failure="The group hub db:5432/hub refused the password for the login ann. Check it.",
    )
    line = sync_line(failed, NOW, UTC)
    assert line == (
        "Last sync failed today at 14:05: the group hub db:5432/hub refused the password "
        "for the login ann. Check it."
    )
    odd = joined(failed_at="2026-12-07T14:05:00+00:00", failure="PostgreSQL said no.")
    assert sync_line(odd, NOW, UTC).endswith(": PostgreSQL said no.")
    assert sync_line(joined(last_sync="not a moment"), NOW, UTC) == "Not synced yet."


def test_the_membership_keeps_the_failure_and_older_profiles_read_without_it():
    """failed_at/failure round-trip; a membership saved before they existed reads as None."""
    failed = joined(failed_at="2026-12-07T14:05:00+00:00", failure="No.")
    assert Membership.from_dict(failed.to_dict()) == failed
    old = {k: v for k, v in joined().to_dict().items() if k not in ("failed_at", "failure")}
    assert Membership.from_dict(old).failure is None
