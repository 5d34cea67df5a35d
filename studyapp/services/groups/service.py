"""Study-group use cases: create, join, publish, schedule, sync, status, leave.

The profile's link to its group is a :class:`~studyapp.domain.group.Membership` stored in
the profile's settings table under :data:`MEMBERSHIP_KEY` (a folder path or hub URL,
a random member id, the display name, what is shared; nothing secret). Everything else
goes through the :class:`~studyapp.services.groups.port.GroupPort`, so these use cases do
not know whether a folder or a hub serves the group.

Contract of :meth:`GroupService.sync` (the member's app calls it at start and on demand,
always off the GUI thread):

1. the group record is read and checked; if it is refused (not JSON, names outside the
   folder, links out of the folder, a newer format) the sync stops with one
   :class:`GroupError` and nothing is written to the profile;
2. each published pack that is new or changed since the last sync is copied out, checked
   against its digest and imported (an update keeps progress, as any pack update);
   a pack that cannot be imported is skipped with a problem and retried next time;
3. a member writes their card (a facilitator shares none);
4. problems (skipped packs and cards, sync-tool leftovers) are returned once: the
   membership remembers which were told.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from studyapp.domain.errors import PackError
from studyapp.domain.group import (
    SHARES,
    GroupError,
    GroupFile,
    Membership,
    PublishedPack,
    ScheduledExam,
    Share,
    check_file_name,
    check_name,
)
from studyapp.services.changes import Change, Outcome
from studyapp.services.exams.service import ExamService
from studyapp.services.gcpause import gc_paused
from studyapp.services.groups.adapters import open_port
from studyapp.services.groups.card import build_card
from studyapp.services.groups.packs import import_group_pack, pack_title
from studyapp.services.groups.port import GroupPort, Problem
from studyapp.services.groups.status import GroupStatus, group_status, screen_status
from studyapp.services.profile import Profile
from studyapp.storage.settings import read_settings, write_settings

MEMBERSHIP_KEY = "study_group"
REMEMBERED_PROBLEMS = 200
PortFactory = Callable[[str], GroupPort]


@dataclass(frozen=True, slots=True)
class PackChange:
    """A group pack a sync added or updated."""

    pack_id: str
    version: str
    title: str

    def to_json(self) -> dict[str, Any]:
        return {"pack": self.pack_id, "version": self.version, "title": self.title}


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What ``group sync`` did (``--json`` keys: packs_added, packs_updated, exams, …)."""

    group: str
    packs_added: tuple[PackChange, ...]
    packs_updated: tuple[PackChange, ...]
    exams: tuple[ScheduledExam, ...]
    card_written: bool
    problems: tuple[str, ...]  # told for the first time

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "packs_added": [p.to_json() for p in self.packs_added],
            "packs_updated": [p.to_json() for p in self.packs_updated],
            "exams": [e.to_dict() for e in self.exams],
            "card_written": self.card_written,
            "problems": list(self.problems),
        }

    def summary(self) -> str:
        """One or two lines for people."""
        parts = []
        if self.packs_added:
            parts.append(_count(len(self.packs_added), "new pack"))
        if self.packs_updated:
            parts.append(_count(len(self.packs_updated), "updated pack"))
        parts.append(_count(len(self.exams), "scheduled mock exam"))
        card = " Your progress card was written." if self.card_written else ""
        return f"Synced with {self.group}: {', '.join(parts)}.{card}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class SyncFailure:
    """The last sync of a profile failed: when (ISO, UTC) and the sentence the user saw."""

    at: str
    reason: str


_failures: dict[str, SyncFailure] = {}  # by profile folder; this run only, never stored


def _profile_key(profile: Profile) -> str:
    return str(profile.paths.data_dir)


def last_failure(profile: Profile) -> SyncFailure | None:
    """The failure of this profile's last sync in this run, if its last sync failed."""
    return _failures.get(_profile_key(profile))


def read_membership(profile: Profile) -> Membership | None:
    """The profile's group link, or None when it is in no group."""
    with profile.db.reader() as session:
        data = read_settings(session).get(MEMBERSHIP_KEY)
    return None if data is None else Membership.from_dict(data)


def scheduled_exams(profile: Profile) -> tuple[ScheduledExam, ...]:
    """The group's scheduled mock exams as of the last sync, for Home (no folder access).

    Empty when the profile is in no group. Sorted by date (undated last), then code.
    """
    membership = read_membership(profile)
    if membership is None:
        return ()
    return tuple(sorted(membership.exams, key=lambda e: (e.date is None, e.date or "", e.code)))


class GroupService:
    """Study-group use cases on one profile."""

    def __init__(self, profile: Profile, port_factory: PortFactory = open_port) -> None:
        self.profile = profile
        self.port_factory = port_factory

    # ------------------------------------------------------------------ membership
    def membership(self) -> Membership:
        """The profile's group link; GroupError saying how to join when there is none."""
        membership = read_membership(self.profile)
        if membership is None:
            raise GroupError(
                "This profile is in no study group; join one with 'studyapp group join FOLDER "
                "--name NAME' (or File → Study group → Join…)."
            )
        return membership

    def _save(self, membership: Membership | None) -> None:
        with self.profile.db.unit_of_work(study=False) as session:
            write_settings(
                session, {MEMBERSHIP_KEY: None if membership is None else membership.to_dict()}
            )

    def _not_in_a_group(self) -> None:
        current = read_membership(self.profile)
        if current is not None:
            raise GroupError(
                "This profile is already in the study group "
                f"{current.group_name or current.location}; leave it first "
                "('studyapp group leave')."
            )

    def _facilitator(self) -> Membership:
        membership = self.membership()
        if membership.role != "facilitator":
            raise GroupError(
                "Only the facilitator's profile (the one that created the group) can do that."
            )
        return membership

    def _now(self) -> str:
        return self.profile.clock.now().isoformat()

    # ------------------------------------------------------------------ facilitator
    def create(self, location: str, name: str) -> Outcome[Membership]:
        """Make a new group folder that this profile leads."""
        self._not_in_a_group()
        group_name = check_name(name, "The group's name")
        port = self.port_factory(location)
        facilitator = self.profile.settings().display_name or "Facilitator"
        port.create(GroupFile(group_name, facilitator, self._now()))
        membership = Membership(
            location=port.location,
            role="facilitator",
            member_id=secrets.token_hex(16),
            name=facilitator,
            group_name=group_name,
            last_sync=self._now(),
        )
        self._save(membership)
        return Outcome(membership, Change.SETTINGS)

    def publish(self, source: Path) -> Outcome[PublishedPack]:
        """Import ``source`` into this profile, then publish it (or its update) to the group.

        The import is the check: a file this profile cannot import is not published.
        """
        membership = self._facilitator()
        port = self.port_factory(membership.location)
        group = port.read_group()
        if not source.is_file():
            raise GroupError(
                f"{source} is not a pack file; publish a .studypack, GIFT, Moodle XML, Aiken "
                "or CSV file ('studyapp pack export' makes a .studypack from installed packs)."
            )
        try:
            file_name = check_file_name(source.name)
        except GroupError:
            raise GroupError(
                f"Rename {source.name!r} to a plain file name (letters, digits, spaces, "
                "dots, dashes) before publishing it."
            ) from None
        report = import_group_pack(self.profile, source).value
        sha = port.publish_pack(source, file_name)
        entry = PublishedPack(
            file=file_name,
            sha256=sha,
            pack_id=report.pack_id,
            version=report.version,
            title=pack_title(self.profile, report.pack_id),
            published_at=self._now(),
        )
        port.write_group(group.with_pack(entry))
        packs = dict(membership.packs) | {file_name: sha}
        self._save(replace(membership, packs=packs))
        return Outcome(entry, Change.PACKS | Change.QUESTIONS | Change.SETTINGS)

    def schedule(self, code: str, day: str | None = None) -> Outcome[ScheduledExam]:
        """Schedule a mock exam by code (checked: this profile must be able to build it)."""
        membership = self._facilitator()
        if day is not None:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise GroupError(f"--date must be a date as YYYY-MM-DD; got {day!r}.") from None
            if len(day) != 10:
                raise GroupError(f"--date must be a date as YYYY-MM-DD; got {day!r}.")
        built = ExamService(self.profile).build(code)
        port = self.port_factory(membership.location)
        exam = ScheduledExam(code=built.code, date=day)
        group = port.read_group().with_exam(exam)
        port.write_group(group)
        self._save(replace(membership, exams=group.exams))
        return Outcome(exam, Change.SETTINGS)

    # ------------------------------------------------------------------ member
    def join(self, location: str, name: str, share: str = "all") -> Outcome[Membership]:
        """Point this profile at a group (checked by reading its group record first)."""
        self._not_in_a_group()
        display = check_name(name, "Your display name")
        if share not in SHARES:
            raise GroupError(f"--share must be one of {', '.join(SHARES)}; got {share!r}.")
        port = self.port_factory(location)
        group = port.read_group()
        shared: Share = share  # checked against SHARES above
        membership = Membership(
            location=port.location,
            role="member",
            member_id=secrets.token_hex(16),
            name=display,
            share=shared,
            group_name=group.name,
        )
        self._save(membership)
        return Outcome(membership, Change.SETTINGS)

    def sync(self, progress: Callable[[int, int, str], None] | None = None) -> Outcome[SyncReport]:
        """Import new or updated group packs, note the scheduled exams, write the card.

        A sync that fails is remembered for this run of the app (:func:`last_failure`:
        when, and the one sentence the user was told), so the Group screen can say why;
        the next sync that succeeds forgets it. Nothing is written to the profile on
        failure (a refused group folder changes nothing).
        """
        membership = self.membership()
        try:
            synced = self._sync(membership, progress)
        except GroupError as exc:
            _failures[_profile_key(self.profile)] = SyncFailure(self._now(), str(exc))
            raise
        _failures.pop(_profile_key(self.profile), None)
        return synced

    def _sync(
        self, membership: Membership, progress: Callable[[int, int, str], None] | None
    ) -> Outcome[SyncReport]:
        step = progress or (lambda *_a: None)
        port = self.port_factory(membership.location)
        step(0, 0, "Reading the group folder…")
        group = port.read_group()
        added: list[PackChange] = []
        updated: list[PackChange] = []
        problems: list[Problem] = []
        known = dict(membership.packs)
        changes = Change.SETTINGS
        todo = [p for p in group.packs if known.get(p.file) != p.sha256]
        for n, entry in enumerate(todo):
            step(n, len(todo), f"Importing {entry.title}…")
            try:
                with tempfile.TemporaryDirectory(prefix="studyapp-group-") as tmp:
                    path = port.fetch_pack(entry, Path(tmp))
                    outcome = import_group_pack(self.profile, path)
            except (GroupError, PackError) as exc:
                problems.append(
                    Problem(
                        f"pack:{entry.file}:{entry.sha256}", f"Skipped the pack {entry.file}: {exc}"
                    )
                )
                continue
            report = outcome.value
            changes |= outcome.changes
            change = PackChange(
                report.pack_id, report.version, pack_title(self.profile, report.pack_id)
            )
            if report.status == "installed":
                added.append(change)
            elif report.status in ("updated", "downgraded"):
                updated.append(change)
            known[entry.file] = entry.sha256
        card_written = False
        if membership.role == "member":
            step(len(todo), len(todo), "Writing your progress card…")
            card = build_card(
                self.profile, membership, [e.code for e in group.exams], self.profile.clock.now()
            )
            port.write_card(card)
            card_written = True
        try:
            problems += port.card_problems()
        except GroupError as exc:  # the cards folder itself is refused: tell, go on
            problems.append(Problem(f"cards:{exc}", str(exc)))
        told = set(membership.reported)
        new = [p for p in problems if p.key not in told]
        reported = (*membership.reported, *(p.key for p in new))[-REMEMBERED_PROBLEMS:]
        self._save(
            replace(
                membership,
                packs=known,
                reported=reported,
                exams=group.exams,
                group_name=group.name,
                last_sync=self._now(),
            )
        )
        report_value = SyncReport(
            group=group.name,
            packs_added=tuple(added),
            packs_updated=tuple(updated),
            exams=group.exams,
            card_written=card_written,
            problems=tuple(p.message for p in new),
        )
        return Outcome(report_value, changes)

    def join_and_sync(self, location: str, name: str, share: str = "all") -> Outcome[SyncReport]:
        """The Join dialog's one operation: join, then the first sync.

        If the first sync fails, the profile stays joined (the folder may only be out of
        reach for now) and the error is raised for the dialog.
        """
        joined = self.join(location, name, share)
        synced = self.sync()
        return Outcome(synced.value, joined.changes | synced.changes)

    def sync_if_joined(self) -> Outcome[SyncReport | None]:
        """The sync at start-up: nothing when the profile is in no group."""
        if read_membership(self.profile) is None:
            return Outcome(None, Change.NONE)
        synced = self.sync()
        return Outcome(synced.value, synced.changes)

    def status(self) -> GroupStatus:
        """The group as this profile may see it: a facilitator sees every card; a member
        sees their own and the group's anonymous exam figures."""
        membership = self.membership()
        port = self.port_factory(membership.location)
        with gc_paused():  # bulk work, as in screen_status
            group = port.read_group()
            read = port.read_cards()
            return group_status(group, membership, read, self.profile.clock.now())

    def screen(self, code: str | None = None) -> GroupStatus:
        """What the Group screen shows (:func:`~studyapp.services.groups.status.screen_status`):
        the item analysis of ONE exam, ``code`` or the most recent one, and every scheduled
        exam with its sitting count."""
        membership = self.membership()
        port = self.port_factory(membership.location)
        return screen_status(port, membership, self.profile.clock.now(), code)

    def leave(self) -> Outcome[str]:
        """Leave the group: this member's card is removed from the folder (if reachable),
        and the profile forgets the group. Imported packs and all progress stay."""
        membership = self.membership()
        if membership.role == "member":
            # The folder may be gone for good; leaving must still work.
            with contextlib.suppress(GroupError):
                self.port_factory(membership.location).remove_card(membership.member_id)
        self._save(None)
        return Outcome(membership.group_name or membership.location, Change.SETTINGS)
