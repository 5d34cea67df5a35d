"""The shared-folder adapter of the group port.

Layout of a group folder::

    group.json            name, facilitator, published packs, scheduled exams
    packs/<file>          the facilitator's published pack files
    cards/<member>.json   one progress card per member, written only by that member

StudyApp never talks to the network: the folder is shared by whatever the group uses (a
network share, a cloud-synced folder, a USB stick). So the folder is untrusted input,
written by other people and their sync tools:

- Every file is written atomically (a temporary file beside it, ``fsync``, rename), so
  readers see the old file or the new one, never half of one.
- Nothing is read outside the folder: names in ``group.json`` are plain file names, and
  a symbolic link (or a name that resolves outside the folder) is refused.
- A card larger than :data:`MAX_CARD_BYTES`, not JSON, nested too deeply, of a newer
  format, or a sync-tool leftover (``card (1).json``, ``*.tmp``) is skipped with a
  :class:`~studyapp.services.groups.port.Problem`; it never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

from studyapp import fsutil
from studyapp.domain.group import GroupError, GroupFile, MemberCard, PublishedPack
from studyapp.services.groups.card import normal_code
from studyapp.services.groups.port import CardsRead, GroupView, Pick, Problem

GROUP_FILE = "group.json"
PACKS_DIR = "packs"
CARDS_DIR = "cards"
MAX_GROUP_BYTES = 1_000_000
MAX_CARD_BYTES = 1_000_000
MAX_PACK_BYTES = 200_000_000
MAX_DEPTH = 12  # a real card nests 5 levels deep
_CARD_NAME = re.compile(r"^(?P<id>[0-9a-f]{32})\.json$")


def _depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests, counting no further than ``limit + 1``."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def parse_json(data: bytes, what: str) -> Any:
    """JSON from untrusted bytes: refused if not UTF-8 JSON or nested too deeply."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise GroupError(f"{what} is not a readable JSON file.") from None
    if _depth(value, MAX_DEPTH) > MAX_DEPTH:
        raise GroupError(f"{what} is nested too deeply to be a StudyApp file.")
    return value


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` whole (:func:`studyapp.fsutil.write_atomically`); a GroupError if not."""
    try:
        fsutil.write_atomically(path, data)
    except OSError as exc:
        raise GroupError(
            f"Could not write {path}: {exc.strerror or exc}. Nothing was changed; check that "
            "the group folder is reachable and writable."
        ) from exc


class FolderGroup:
    """A group in a shared folder (see the module docstring for the layout and rules)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def location(self) -> str:
        return str(self.root)

    # ------------------------------------------------------------------ safety
    def _real_root(self) -> Path:
        try:
            if not self.root.is_dir():
                raise GroupError(
                    f"The group folder {self.root} cannot be found; check that the shared "
                    "folder is connected."
                )
            return self.root.resolve(strict=True)
        except OSError as exc:
            raise GroupError(f"The group folder {self.root} cannot be read: {exc}.") from exc

    def _inside(self, relative: str, what: str) -> Path:
        """``root/relative`` if it is no link and stays inside the folder, else GroupError."""
        root = self._real_root()
        path = self.root / relative
        refused = GroupError(
            f"The group folder's {what} ({relative}) points outside the group folder; it was "
            "not used. Ask the facilitator to check the folder."
        )
        try:
            if path.is_symlink():
                raise refused
            real = path.resolve()
        except OSError as exc:
            raise GroupError(f"The group folder's {what} cannot be read: {exc}.") from exc
        if real != root and root not in real.parents:
            raise refused
        return path

    def _read_small(self, path: Path, limit: int, what: str) -> bytes:
        try:
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                raise GroupError(f"{what} is a link to somewhere else; it was not used.")
            if not stat.S_ISREG(info.st_mode):
                raise GroupError(f"{what} is not a file.")
            if info.st_size > limit:
                raise GroupError(
                    f"{what} is {info.st_size / 1e6:.0f} MB, too large to be a StudyApp file."
                )
            # O_NOFOLLOW: a link swapped in after the check above is still not followed.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as stream:
                data = stream.read(limit + 1)
        except FileNotFoundError:
            raise GroupError(f"{what} is missing.") from None
        except OSError as exc:
            raise GroupError(f"{what} cannot be read: {exc.strerror or exc}.") from exc
        if len(data) > limit:
            raise GroupError(f"{what} is too large to be a StudyApp file.")
        return data

    # ------------------------------------------------------------------ group file
    def create(self, group: GroupFile) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GroupError(
                f"Could not create the group folder {self.root}: {exc.strerror or exc}."
            ) from exc
        if (self.root / GROUP_FILE).exists() or (self.root / GROUP_FILE).is_symlink():
            raise GroupError(
                f"{self.root} already holds a study group; join it, or choose an empty folder."
            )
        for sub in (PACKS_DIR, CARDS_DIR):
            self._inside(sub, "folder")
            (self.root / sub).mkdir(exist_ok=True)
        self.write_group(group)

    def read_group(self) -> GroupFile:
        path = self._inside(GROUP_FILE, "group file")
        if not path.exists():
            raise GroupError(
                f"{self.root} is not a study-group folder (it has no {GROUP_FILE}); ask the "
                "facilitator for the right folder."
            )
        what = f"The group file {GROUP_FILE}"
        return GroupFile.from_dict(parse_json(self._read_small(path, MAX_GROUP_BYTES, what), what))

    def write_group(self, group: GroupFile) -> None:
        path = self._inside(GROUP_FILE, "group file")
        text = json.dumps(group.to_dict(), ensure_ascii=False, indent=2) + "\n"
        write_atomically(path, text.encode("utf-8"))

    # ------------------------------------------------------------------ packs
    def publish_pack(self, source: Path, name: str) -> str:
        folder = self._inside(PACKS_DIR, "packs folder")
        folder.mkdir(exist_ok=True)
        target = self._inside(f"{PACKS_DIR}/{name}", "pack file")
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise GroupError(f"Could not read {source}: {exc.strerror or exc}.") from exc
        write_atomically(target, data)
        return hashlib.sha256(data).hexdigest()

    def fetch_pack(self, entry: PublishedPack, into: Path) -> Path:
        path = self._inside(f"{PACKS_DIR}/{entry.file}", "pack file")
        what = f"The group's pack file {entry.file}"
        data = self._read_small(path, MAX_PACK_BYTES, what)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise GroupError(
                f"{what} is not the file the facilitator published (it may still be "
                "copying); it will be tried again at the next sync."
            )
        target = into / entry.file
        target.write_bytes(data)
        return target

    # ------------------------------------------------------------------ cards
    def read_cards(self, codes: Collection[str] | None = None) -> CardsRead:
        read = self._read_cards()
        if codes is None:
            return read
        wanted = set(codes)
        kept = tuple(
            replace(c, exams=tuple(e for e in c.exams if e.code in wanted)) for c in read.cards
        )
        return CardsRead(kept, read.problems)

    def read_view(self, pick: Pick) -> GroupView:
        group = self.read_group()
        full = self._read_cards()
        sat: dict[str, int] = {}
        for card in full.cards:
            for exam in card.exams:
                code = normal_code(exam.code)
                sat[code] = sat.get(code, 0) + 1
        wanted = set(pick(group))
        kept = tuple(
            replace(c, exams=tuple(e for e in c.exams if normal_code(e.code) in wanted))
            for c in full.cards
        )
        return GroupView(group, CardsRead(kept, full.problems), sat)

    def _read_cards(self) -> CardsRead:
        folder = self._inside(CARDS_DIR, "cards folder")
        if not folder.is_dir():
            return CardsRead((), ())
        cards: dict[str, MemberCard] = {}
        problems: list[Problem] = []
        for path in sorted(folder.iterdir()):
            name = path.name
            match = _CARD_NAME.match(name)
            try:
                size = path.lstat().st_size
            except OSError:
                continue
            key = f"cards/{name}:{size}"
            if match is None:
                kind = "a half-written file" if name.endswith(".tmp") else "not a progress card"
                problems.append(
                    Problem(key, f"Skipped cards/{name}: {kind} (left by a sync tool?).")
                )
                continue
            what = f"The card cards/{name}"
            try:
                data = self._read_small(path, MAX_CARD_BYTES, what)
                card = MemberCard.from_dict(parse_json(data, what))
                if card.member_id != match["id"]:
                    raise GroupError(f"{what} carries another member's id.")
            except GroupError as exc:
                problems.append(Problem(key, f"Skipped: {exc}"))
                continue
            cards[card.member_id] = card
        return CardsRead(tuple(cards.values()), tuple(problems))

    def card_problems(self) -> tuple[Problem, ...]:
        return self.read_cards().problems

    def write_card(self, card: MemberCard) -> None:
        folder = self._inside(CARDS_DIR, "cards folder")
        folder.mkdir(exist_ok=True)
        path = self._inside(f"{CARDS_DIR}/{card.member_id}.json", "card")
        text = json.dumps(card.to_dict(), ensure_ascii=False, indent=1) + "\n"
        write_atomically(path, text.encode("utf-8"))

    def remove_card(self, member_id: str) -> None:
        path = self._inside(f"{CARDS_DIR}/{member_id}.json", "card")
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise GroupError(
                f"Could not remove your card from the group folder: {exc.strerror or exc}."
            ) from exc
