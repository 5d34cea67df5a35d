"""The PostgreSQL hub adapter of the group port (issue 17).

Same contract as :class:`~studyapp.services.groups.folder.FolderGroup`, so the use cases,
the Group screen and ``studyapp group`` cannot tell which one serves them. The hub's
storage (:mod:`studyapp.storage.hub`) does the SQL; PostgreSQL's grants and row-level
security decide what this login may read and write.

What differs underneath, and why it does not show:

- The location is the hub URL with ``group=NAME`` added once the group is known, and
  never a password (libpq's ``~/.pgpass``, ``PGPASSFILE``, ``PGPASSWORD`` or a prompt).
- A member reads only their own card in full; the other members' exam sittings come
  back as cards that name nobody (:data:`ANONYMOUS`), which is exactly what
  :func:`~studyapp.services.groups.status.group_status` shows a member anyway.
- A card push is idempotent: its digest leaves out ``written_at``, so the same card
  pushed twice (a retried sync) changes no row and no version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from studyapp.domain.group import ExamCard, GroupError, GroupFile, MemberCard, PublishedPack
from studyapp.services.groups.card import normal_code
from studyapp.services.groups.port import CardsRead, GroupView, Pick, Problem
from studyapp.storage.hub import admin, store
from studyapp.storage.hub.admin import Kind
from studyapp.storage.hub.compact import QuestionCache, SittingRow, decode_exam
from studyapp.storage.hub.connect import (
    HubAddress,
    forget_passwords,
    parse_address,
    remember_password,
    set_password_prompt,
)

ANONYMOUS = "A member"
MAX_PACK_BYTES = 200_000_000


def card_digest(card: MemberCard) -> str:
    """The card's content digest: everything but the moment it was written."""
    data = card.to_dict()
    data.pop("written_at", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


class HubGroup:
    """A group in a PostgreSQL hub, reached at ``url`` as the login it names."""

    def __init__(self, url: str) -> None:
        self.address: HubAddress = parse_address(url)
        self._name: str | None = self.address.group

    @property
    def location(self) -> str:
        if self._name is None:
            return self.address.conninfo
        return self.address.with_group(self._name)

    def _group(self) -> str:
        if self._name is None:
            self._name, _record = store.read_group(self.address)
        return self._name

    def create(self, group: GroupFile) -> None:
        if self.address.group not in (None, group.name):
            raise GroupError(
                f"The address names the group {self.address.group!r} but the new group is "
                f"called {group.name!r}; make them the same."
            )
        store.create_group(self.address, group.name, group.to_dict())
        self._name = group.name

    def read_group(self) -> GroupFile:
        name, record = store.read_group(self.address)
        self._name = name
        return GroupFile.from_dict(record)

    def write_group(self, group: GroupFile) -> None:
        store.write_group(self.address, self._group(), group.to_dict())

    def publish_pack(self, source: Path, name: str) -> str:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise GroupError(f"Could not read {source}: {exc.strerror or exc}.") from exc
        sha = hashlib.sha256(data).hexdigest()
        store.publish_pack(self.address, self._group(), name, data, sha)
        return sha

    def fetch_pack(self, entry: PublishedPack, into: Path) -> Path:
        found = store.fetch_pack(self.address, self._group(), entry.file)
        what = f"The group's pack file {entry.file}"
        if found is None:
            raise GroupError(f"{what} is missing from the hub; ask the facilitator to publish it.")
        _sha, data = found
        if len(data) > MAX_PACK_BYTES or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise GroupError(
                f"{what} is not the file the facilitator published; it will be tried again at "
                "the next sync."
            )
        target = into / entry.file
        target.write_bytes(data)
        return target

    def read_cards(self, codes: Collection[str] | None = None) -> CardsRead:
        return self._read(sittings=True, codes=codes)

    def card_problems(self) -> tuple[Problem, ...]:
        return self._read(sittings=False, codes=()).problems

    def read_view(self, pick: Pick) -> GroupView:
        chosen: list[GroupFile] = []

        def codes(record: Any) -> list[str]:
            chosen.append(GroupFile.from_dict(record))
            return sorted(pick(chosen[0]))

        record, read, counts = store.read_view(self.address, self._group(), codes)
        group = chosen[0] if chosen else GroupFile.from_dict(record)
        sat: dict[str, int] = {}
        for code, n in counts.items():
            sat[normal_code(code)] = sat.get(normal_code(code), 0) + n
        return GroupView(group, self._cards(read), sat)

    def _read(self, sittings: bool, codes: Collection[str] | None) -> CardsRead:
        wanted = None if codes is None else sorted(codes)
        return self._cards(store.read_cards(self.address, self._group(), sittings, wanted))

    def _cards(self, read: store.HubCards) -> CardsRead:
        """The rows read back from the hub as checked cards (the unreadable as problems).

        Cards are kept per row, never keyed by the member id a card claims: a member may
        write any id into their own row, and must not be able to hide another's card.
        """
        cards: list[MemberCard] = []
        problems: list[Problem] = []
        questions = QuestionCache()
        for head, rows in read.cards:
            try:
                card = MemberCard.from_dict({**head, "exams": []})
                exams = tuple(decode_exam(row, questions) for row in rows)
            except GroupError as exc:
                key = f"hub-card:{hashlib.sha256(repr(head).encode()).hexdigest()[:16]}"
                problems.append(Problem(key, f"Skipped a card in the hub: {exc}"))
                continue
            cards.append(replace(card, exams=exams))
        taken = {c.member_id for c in cards}
        for n, rows in enumerate(read.sittings, start=1):
            anonymous = _anonymous(n, rows, questions, taken)
            if anonymous is not None:
                cards.append(anonymous)
        return CardsRead(tuple(cards), tuple(problems))

    def write_card(self, card: MemberCard) -> None:
        head = card.to_dict()
        head.pop("exams")
        store.write_card(
            self.address, self._group(), card.member_id, head, card.exams, card_digest(card)
        )

    def remove_card(self, member_id: str) -> None:
        store.remove_card(self.address, self._group())


def anonymous_id(n: int, exams: Sequence[ExamCard]) -> str:
    """A member id for another member's sittings that names nobody and cannot be taken
    for a real member's: a hash of the sittings and their place in this read (stable
    between reads of the same rows, so the item analysis' tie order does not move), not
    a small counter that a member could also write into their own card."""
    text = json.dumps([n, [e.to_dict() for e in exams]], sort_keys=True)
    return hashlib.sha256(f"studyapp-anonymous-sittings:{text}".encode()).hexdigest()[:32]


def _anonymous(
    n: int, rows: list[SittingRow], questions: QuestionCache, taken: set[str]
) -> MemberCard | None:
    """Another member's shared sittings as a card that names nobody (None if unreadable)."""
    try:
        parsed = tuple(decode_exam(row, questions) for row in rows)
    except GroupError:
        return None
    member_id = anonymous_id(n, parsed)
    while member_id in taken:  # only by a 128-bit coincidence; still never shared
        member_id = hashlib.sha256(member_id.encode()).hexdigest()[:32]
    taken.add(member_id)
    return MemberCard(
        member_id=member_id,
        name=ANONYMOUS,
        written_at="",
        app_version="",
        share="exams",
        exams=parsed,
    )


# ---------------------------------------------------------------------- administration
def init_hub(url: str) -> str:
    """``group hub init``: create or update the hub schema and group roles; the revision."""
    return admin.init_hub(parse_address(url))


def add_login(url: str, name: str, kind: Kind, password: str | None) -> bool:
    """``group hub add-member|add-facilitator``: True when a new login was created."""
    return admin.add_login(parse_address(url), name, kind, password)


def remove_login(url: str, name: str) -> None:
    """``group hub remove``: the login, its cards and memberships leave the hub."""
    admin.remove_login(parse_address(url), name)


def check_login(name: str) -> str:
    """A hub login name, checked before any prompt (one clear message if refused)."""
    return admin.check_login(name)


__all__ = [
    "HubGroup",
    "Kind",
    "add_login",
    "card_digest",
    "check_login",
    "forget_passwords",
    "init_hub",
    "remember_password",
    "remove_login",
    "set_password_prompt",
]
