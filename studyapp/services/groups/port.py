"""The group port: what the group use cases need from wherever a group lives.

Two adapters serve it: :class:`~studyapp.services.groups.folder.FolderGroup` (a shared
folder: network share, cloud-synced folder, USB stick) and
:class:`~studyapp.services.groups.hub.HubGroup` (a PostgreSQL hub, issue 17).
:class:`~studyapp.services.groups.service.GroupService`, the Group screen and
``studyapp group`` only ever talk to this protocol, so they cannot tell which one serves
them. Every method either does all of its work or raises
:class:`~studyapp.domain.group.GroupError` with one plain sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from studyapp.domain.group import GroupFile, MemberCard, PublishedPack


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the group that was skipped; ``key`` identifies it so it is told once."""

    key: str
    message: str


@dataclass(frozen=True, slots=True)
class CardsRead:
    """The cards that could be read, and what was skipped (with why)."""

    cards: tuple[MemberCard, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class GroupView:
    """What one refresh of the Group screen needs, read together: the group record, the
    cards with the sittings of the chosen codes only, and how many sittings of each
    (normalised) code were shared."""

    group: GroupFile
    read: CardsRead
    sat: dict[str, int]


Pick = Callable[[GroupFile], Collection[str]]
"""Chooses, from the group record, the (normalised) codes whose sittings to read."""


class GroupPort(Protocol):
    """Where a study group lives."""

    @property
    def location(self) -> str:
        """What the member typed to join (a folder path, or a hub URL)."""
        ...

    def create(self, group: GroupFile) -> None:
        """Make a new, empty group (refused if one is already there)."""
        ...

    def read_group(self) -> GroupFile:
        """The group's name, facilitator, published packs and scheduled exams."""
        ...

    def write_group(self, group: GroupFile) -> None:
        """Replace the group record (the facilitator's profile only)."""
        ...

    def publish_pack(self, source: Path, name: str) -> str:
        """Store the pack file ``source`` as ``name``; returns its SHA-256."""
        ...

    def fetch_pack(self, entry: PublishedPack, into: Path) -> Path:
        """Copy a published pack into the folder ``into`` (checked against its digest)."""
        ...

    def read_cards(self, codes: Collection[str] | None = None) -> CardsRead:
        """Every member's card that can be read; the rest as problems.

        ``codes``: keep only the exam sittings of these (normalised) codes in each card,
        so a screen showing one exam does not pull every sitting (None: all of them).
        """
        ...

    def read_view(self, pick: Pick) -> GroupView:
        """The group, its cards with the sittings of the codes ``pick`` chooses, and the
        sitting count of every code; on a hub in one connection and one transaction."""
        ...

    def card_problems(self) -> tuple[Problem, ...]:
        """What a sync tells about unreadable cards (the cards this profile may read in
        full; on a hub a member does not pull the group's sittings just for this)."""
        ...

    def write_card(self, card: MemberCard) -> None:
        """Write this member's card, atomically (only this member's app calls this)."""
        ...

    def remove_card(self, member_id: str) -> None:
        """Take this member's card away (leaving the group)."""
        ...
