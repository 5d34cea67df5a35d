"""The one line on the last sync (Group screen and ``group status``), for either back end:
plain words, the user's local time, and why the last sync failed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from studyapp.domain.group import Membership
from studyapp.services.groups import SyncFailure
from studyapp.services.groups.report import sync_line

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def joined(**changes) -> Membership:
    return Membership("S:/Cohort", "member", "a" * 32, "Ann", **changes)


def test_when_it_last_synced_in_local_time():
    """Today, yesterday, a date, a date of another year; never synced says so."""
    assert sync_line(joined(), None, NOW, UTC) == "Not synced yet."
    assert sync_line(joined(last_sync="2026-12-07T14:05:00+00:00"), None, NOW, UTC) == (
        "Last synced today at 14:05."
    )
    assert sync_line(joined(last_sync="2026-12-07T14:05:00+00:00"), None, NOW, NY) == (
        "Last synced today at 09:05."
    )
    assert sync_line(joined(last_sync="2026-12-07T03:00:00+00:00"), None, NOW, NY) == (
        "Last synced yesterday at 22:00."
    )
    assert sync_line(joined(last_sync="2026-11-03T10:00:00+00:00"), None, NOW, UTC) == (
        "Last synced on 3 November at 10:00."
    )
    assert sync_line(joined(last_sync="2025-12-31T10:00:00+00:00"), None, NOW, UTC) == (
        "Last synced on 31 December 2025 at 10:00."
    )


def test_a_failed_sync_says_when_and_why_in_one_line():
    """The failure wins over an older success; its sentence follows a colon."""
    failed = SyncFailure(
        "2026-12-07T14:05:00+00:00",
        "The group hub db:5432/hub refused the password for the login ann. Check it.",
    )
    line = sync_line(joined(last_sync="2026-12-06T09:00:00+00:00"), failed, NOW, UTC)
    assert line == (
        "Last sync failed today at 14:05: the group hub db:5432/hub refused the password "
        "for the login ann. Check it."
    )
    odd = SyncFailure("2026-12-07T14:05:00+00:00", "PostgreSQL said no.")
    assert sync_line(joined(), odd, NOW, UTC).endswith(": PostgreSQL said no.")
    assert sync_line(joined(last_sync="not a moment"), None, NOW, UTC) == "Not synced yet."


def test_a_failed_sync_is_remembered_for_this_run_and_writes_nothing(tmp_path, clock):
    """Folder gone: the sync raises, the profile's group setting is unchanged, and the
    failure is remembered in memory until the next sync that works."""
    import pytest

    from studyapp.config import AppPaths
    from studyapp.domain.group import GroupError
    from studyapp.services.groups import GroupService, last_failure, read_membership
    from studyapp.services.profile import Profile

    def open_profile(name: str) -> Profile:
        paths = AppPaths(data_dir=tmp_path / name, log_dir=tmp_path / f"{name}-logs")
        return Profile.open(paths, clock, "1.0")

    lead = open_profile("fac")
    try:
        GroupService(lead).create(str(tmp_path / "group"), "North")
    finally:
        lead.close()
    ann = open_profile("ann")
    try:
        service = GroupService(ann)
        service.join(str(tmp_path / "group"), "Ann")
        service.sync()
        assert last_failure(ann) is None
        before = read_membership(ann)
        (tmp_path / "group").rename(tmp_path / "moved")
        with pytest.raises(GroupError) as refused:
            service.sync()
        assert read_membership(ann) == before
        failure = last_failure(ann)
        assert failure is not None and failure.reason == str(refused.value)
        assert failure.at == clock.now().isoformat()
        (tmp_path / "moved").rename(tmp_path / "group")
        service.sync()
        assert last_failure(ann) is None
    finally:
        ann.close()
