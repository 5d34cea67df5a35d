"""Packs: a manifest, its questions, its media, and an optional framework definition."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from studyapp.domain.framework import Framework
from studyapp.domain.question import Question
from studyapp.domain.words import plural

PACK_FORMAT = "studyapp-pack"
PACK_FORMAT_VERSION = 1
PACK_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
QUESTION_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_VERSION_RE = re.compile(r"^(\d{1,6})(?:\.(\d{1,6}))?(?:\.(\d{1,6}))?(?:-([0-9A-Za-z.-]+))?$")


VersionKey = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]


def parse_version(text: str) -> VersionKey | None:
    """A sortable key for a semantic version; None when ``text`` is not one.

    ``1.1`` means ``1.1.0``. A pre-release (``1.2.0-beta.1``) sorts before its release;
    its dot-separated parts compare numerically when numeric, and numbers sort first.
    """
    match = _VERSION_RE.match(text.strip())
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    if pre is None:
        return int(major), int(minor or 0), int(patch or 0), 1, ()
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return int(major), int(minor or 0), int(patch or 0), 0, parts


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as version ``a`` is older than, equal to or newer than ``b``."""
    ka, kb = parse_version(a), parse_version(b)
    if ka is None or kb is None:
        raise ValueError(f"not a version: {a if ka is None else b!r}")
    return (ka > kb) - (ka < kb)


# A version derived from a file's content alone (interchange files without a pinned
# version): ``1.0.0-sha.<12 hex of Pack.content_hash>``. Older StudyApp versions rebased
# these on the installed version (``2.0.0-sha.…``); any major counts as content-derived.
_CONTENT_VERSION_RE = re.compile(r"^\d{1,6}\.\d{1,6}\.\d{1,6}-sha\.([0-9a-f]{12})$")


def content_version(pack_hash: str) -> str:
    """The version of a pack known only by its content (``Pack.content_hash`` hex)."""
    return f"1.0.0-sha.{pack_hash[:12]}"


def is_content_version(version: str) -> bool:
    """Whether ``version`` was derived from content (see docs/decisions/0011)."""
    return _CONTENT_VERSION_RE.match(version.strip()) is not None


def version_order(new: str, installed: str, *, same_content: bool) -> int:
    """How a pack version to import relates to the installed one: 1 replaces, 0 same, -1 older.

    Two author-given semantic versions compare as semantic versions. A content-derived
    version carries no order (a hash says nothing about which file is newer), so when
    either side is one, the file replaces the installed pack exactly when its content
    differs: the file being imported is the source of truth (decision 0011).
    ValueError when a version is not a version at all.
    """
    if is_content_version(new) or is_content_version(installed):
        if parse_version(new) is None or parse_version(installed) is None:
            raise ValueError(f"not a version: {new!r} / {installed!r}")
        return 0 if same_content else 1
    return compare_versions(new, installed)


def display_version(version: str, updated: str = "") -> str:
    """The version as people read it: ``1.2.0``, or ``edition of 2026-12-07`` (never a hash).

    ``updated`` is the ISO date the content-derived edition was installed or last changed
    in this profile; without it the edition is just "imported edition".
    """
    if is_content_version(version):
        return f"edition of {updated}" if updated else "imported edition"
    return version


def pack_content_hash(
    questions: Iterable[tuple[str, str, int]], media: Iterable[tuple[str, str]]
) -> str:
    """THE pack content hash: SHA-256 over its questions and media, independent of file layout.

    ``questions`` are ``(question id, question content hash, revision)``, ``media`` are
    ``(file name, SHA-256 hex of its bytes)``, each in any order: they are sorted here by
    id and by name. A pack file (:meth:`Pack.content_hash`) and the user's own pack as
    stored (``storage.user_pack.reseal_pack``) both hash through this one function, so a
    pack exported from the editor and imported elsewhere is recognised as the same
    content (an update, not a clash). Changing the formula changes every stored hash:
    installed packs would then all look changed on their next import.
    """
    digest = hashlib.sha256()
    for qid, question_hash, revision in sorted(questions, key=lambda entry: entry[0]):
        digest.update(f"{qid}\0{question_hash}\0{revision}\n".encode())
    for name, sha in sorted(media, key=lambda entry: entry[0]):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class PackManifest:
    """Who made the pack, which version it is, which framework it targets."""

    id: str
    version: str
    title: str
    framework: str
    description: str = ""
    authors: tuple[str, ...] = ()
    license: str = ""
    created: str = ""
    format_version: int = PACK_FORMAT_VERSION
    files: dict[str, str] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PACK_FORMAT,
            "format_version": self.format_version,
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "authors": list(self.authors),
            "license": self.license,
            "framework": self.framework,
            "created": self.created,
            "files": dict(sorted(self.files.items())),
        }


@dataclass(frozen=True, slots=True)
class Pack:
    """A validated pack, ready to be stored."""

    manifest: PackManifest
    questions: tuple[Question, ...]
    media: dict[str, bytes] = field(default_factory=dict, compare=False)
    framework: Framework | None = None
    source_format: str = "studypack"

    def content_hash(self, question_hashes: Sequence[str] | None = None) -> str:
        """SHA-256 over the questions' hashes and the media, independent of file layout.

        ``question_hashes``, when given, are the questions' ``content_hash()`` in order,
        already computed (an import needs each of them anyway, and computes them once).
        """
        hashes = (
            question_hashes
            if question_hashes is not None
            else [q.content_hash() for q in self.questions]
        )
        return pack_content_hash(
            ((q.id, h, q.revision) for q, h in zip(self.questions, hashes, strict=True)),
            ((name, hashlib.sha256(data).hexdigest()) for name, data in self.media.items()),
        )


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What importing a pack did. ``status``: installed, updated, unchanged or downgraded."""

    pack_id: str
    version: str
    previous_version: str | None
    status: str
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_items: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # Interchange imports: category path -> skill-area id, or None for Unassigned.
    categories: dict[str, str | None] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "version": self.version,
            "previous_version": self.previous_version,
            "status": self.status,
            "added": self.added,
            "updated": self.updated,
            "retired": self.retired,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "skipped_items": list(self.skipped_items),
            "warnings": list(self.warnings),
            "categories": dict(self.categories),
        }

    def summary(self) -> str:
        """One line for people: plain versions (never a hash), correct plurals; a first
        install lists only what it added unless anything else happened."""
        shown = display_version(self.version)
        named = (
            f"{self.pack_id}, {shown},"
            if is_content_version(self.version)
            else (f"{self.pack_id} {shown}")
        )
        if self.status == "unchanged":
            return (
                f"{named} is already installed; nothing changed "
                f"({plural(self.unchanged, 'question')})."
            )
        verb = {"installed": "Installed", "updated": "Updated", "downgraded": "Downgraded"}[
            self.status
        ]
        since = (
            f" (was {display_version(self.previous_version)})"
            if self.previous_version and display_version(self.previous_version) != shown
            else ""
        )
        parts = [f"{self.added:,} added"]
        if self.status != "installed" or self.updated or self.retired or self.unchanged:
            parts += [
                f"{self.updated:,} updated",
                f"{self.retired:,} retired",
                f"{self.unchanged:,} unchanged",
            ]
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped")
        return f"{verb} {named.rstrip(',')}{since}: {', '.join(parts)}."


@dataclass(frozen=True, slots=True)
class InstalledPack:
    """An installed pack as listed to people and scripts."""

    id: str
    version: str
    title: str
    authors: tuple[str, ...]
    license: str
    framework: str
    origin: str
    source_format: str
    questions: int
    retired: int
    #: When this version was imported (UTC); shown to people, not part of the JSON form.
    imported_at: datetime | None = None

    @property
    def display_version(self) -> str:
        """The version shown to people (:func:`display_version`): never a hash."""
        day = self.imported_at.date().isoformat() if self.imported_at else ""
        return display_version(self.version, day)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "authors": list(self.authors),
            "license": self.license,
            "framework": self.framework,
            "origin": self.origin,
            "source_format": self.source_format,
            "questions": self.questions,
            "retired": self.retired,
            "display_version": self.display_version,
        }
