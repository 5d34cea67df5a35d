"""What every interchange format shares: drafts, results, the format record, helpers.

A reader (GIFT, Moodle XML, Aiken, CSV) turns a file into :class:`Draft` questions plus
what it skipped and why (a :class:`Collector`); :mod:`studyapp.packs.formats.build` then
applies the rules that are the same for every format. Moodle's grade list, category paths
and tag cleaning live here because several formats need them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.domain.pack import PACK_ID_RE, Pack, PackManifest, parse_version
from studyapp.domain.question import Question, QuestionType
from studyapp.domain.words import plural
from studyapp.packs.formats.textutil import decode_text, snippet

MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_TEXT = 20_000
MAX_TAGS = 20
_TAG_OK = re.compile(r"^[\w][\w .:/+-]{0,63}$")
_TAG_BAD_CHARS = re.compile(r"[^\w .:/+-]+")
OPTION_IDS = "abcdefgh"

# Moodle accepts only these grades (percent); anything else is an error in Moodle too.
MOODLE_GRADES = (
    100.0,
    90.0,
    83.33333,
    80.0,
    75.0,
    70.0,
    66.66667,
    60.0,
    50.0,
    40.0,
    33.33333,
    30.0,
    25.0,
    20.0,
    16.66667,
    14.28571,
    12.5,
    11.11111,
    10.0,
    5.0,
    0.0,
)
# How a share of 100 % is written for k correct (or wrong) options, k = 1..8.
GRADE_TEXT = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667"}
GRADE_TEXT |= {7: "14.28571", 8: "12.5"}


_GRADE_BY_KEY = {round(g * 1000): g for g in MOODLE_GRADES}


def is_moodle_grade(percent: float) -> bool:
    """Whether ``percent`` (or its negative) is one of Moodle's allowed grades."""
    if not abs(percent) <= 100.0:  # also false for NaN and infinities (huge numbers in a file)
        return False
    grade = _GRADE_BY_KEY.get(round(abs(percent) * 1000))
    return grade is not None and abs(abs(percent) - grade) < 1e-4


@dataclass(frozen=True, slots=True)
class SkippedItem:
    """Something in the file that was not imported, where it is, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class DraftOption:
    """An answer as read: Markdown text, correct or not, and its feedback."""

    text: str
    correct: bool
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    """A question as read from a file, before ids and skill areas are assigned.

    ``key`` is what the file offers as a stable id (title, idnumber, id column; empty
    when none); ``category`` the category path it sits in (empty when none); ``title``
    the question's name as written, kept as the question's title.
    """

    line: int | None
    name: str
    key: str
    category: str
    type: QuestionType
    stem: str
    options: tuple[DraftOption, ...]
    explanation: str = ""
    difficulty: int = 2
    tags: tuple[str, ...] = ()
    title: str = ""  # a name for people (GIFT ::title::, Moodle <name>); "" when none

    @property
    def where(self) -> str:
        return place(self.line, self.name)


def place(line: int | None, name: str = "") -> str:
    """``line 12 (name)`` for reports."""
    label = snippet(name) if name else ""
    place = f"line {line}" if line is not None else "question"
    return f"{place} ({label})" if label else place


@dataclass(frozen=True, slots=True)
class PackHeader:
    """What a file says about the pack it is: pinned id and version, title (all optional).

    Written by authors as directive lines at the top of a file (``// studyapp-pack: id
    [version]``, ``// studyapp-title: Title``; ``#`` works too), or, in Moodle XML, in the
    top category's info or a comment; ``title`` may also come from the file's own
    metadata (a common top category). See docs/decisions/0011.
    """

    pack_id: str = ""
    version: str = ""
    title: str = ""


_DIRECTIVE = re.compile(r"^\s*(?://|#)\s*studyapp-(pack|title)\s*:(.*)$", re.IGNORECASE)
_LEADING_COMMENT = re.compile(r"^\s*(?://|#)")
_PIN = re.compile(r"studyapp-pack\s*:\s*([^\s<>]+)(?:[ \t]+([^\s<>]+))?", re.IGNORECASE)


def pin_from(value: str, where: str, source_name: str) -> tuple[str, str]:
    """The (id, version) a ``studyapp-pack:`` value pins; PackError naming ``where`` if bad."""
    parts = value.split()
    if not parts or len(parts) > 2:
        raise PackError(
            f"{source_name}: {where}: 'studyapp-pack:' must be followed by a pack id and "
            "optionally a version, e.g. 'studyapp-pack: district-quiz 1.2.0'."
        )
    pack_id, version = parts[0], parts[1] if len(parts) == 2 else ""
    if not PACK_ID_RE.match(pack_id):
        raise PackError(
            f"{source_name}: {where}: {pack_id!r} is not a pack id; use lower-case letters, "
            "digits, '.', '_' and '-' (e.g. district-quiz)."
        )
    if version and parse_version(version) is None:
        raise PackError(
            f"{source_name}: {where}: {version!r} is not a version; write it like 1.2.0."
        )
    return pack_id, version


def take_header(text: str, source_name: str) -> tuple[PackHeader, str]:
    """The directives at the top of a text file, and the text with them blanked.

    Leading blank and comment lines (``//`` or ``#``) are scanned; ``studyapp-pack:`` and
    ``studyapp-title:`` lines among them are read and replaced by empty lines (so line
    numbers stay true); the scan stops at the first other line.
    """
    lines = text.splitlines(keepends=True)
    pack_id = version = title = ""
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if not body.strip():
            continue
        directive = _DIRECTIVE.match(body)
        if directive is None:
            if _LEADING_COMMENT.match(body):
                continue
            break
        kind, value = directive.group(1).lower(), directive.group(2).strip()
        if kind == "pack":
            pack_id, version = pin_from(value, f"line {number + 1}", source_name)
        else:
            title = " ".join(value.split())[:200]
        lines[number] = line[len(body) :]
    return PackHeader(pack_id, version, title), "".join(lines)


def pin_in_text(text: str, where: str, source_name: str) -> tuple[str, str] | None:
    """A ``studyapp-pack: id [version]`` anywhere in ``text`` (a category info, a comment)."""
    match = _PIN.search(text)
    if match is None:
        return None
    return pin_from(" ".join(g for g in match.groups() if g), where, source_name)


@dataclass
class Collector:
    """What a reader gathers: drafts, skipped items, warnings and media, in file order."""

    drafts: list[Draft] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)
    header: PackHeader = PackHeader()

    @classmethod
    def with_warning(cls, warning: str | None) -> Collector:
        """A new collector that already carries the decoder's warning, if there was one."""
        out = cls()
        if warning:
            out.warn(warning)
        return out

    @classmethod
    def for_text(cls, data: bytes, source_name: str) -> tuple[Collector, str]:
        """A collector for a text format (GIFT, Aiken, CSV) and the file's text: decoded
        (the decoder's warning, if any, is the first warning) and with its
        ``studyapp-pack``/``studyapp-title`` directives read into :attr:`header` and
        blanked (:func:`take_header`)."""
        text, warning = decode_text(data, source_name)
        header, text = take_header(text, source_name)
        out = cls.with_warning(warning)
        out.header = header
        return out, text

    def skip(self, line: int | None, name: str, reason: str) -> None:
        self.skipped.append(SkippedItem(place(line, name), reason))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


FULL_MARKS = 100 - 1e-4
"""A weight (percent) at least this high earns full marks (Moodle writes 99.99999 too)."""

Weighted = tuple[float, str, str]
"""An answer as Moodle grades it: (weight in percent, Markdown text, feedback)."""


def weighted_options(
    answers: Sequence[Weighted], *, single: bool, where: str, out: Collector, weight_word: str
) -> tuple[QuestionType, tuple[DraftOption, ...]] | str:
    """The options of a GIFT or Moodle XML multiple-choice question, or why it is skipped.

    ``single``: exactly one answer must earn full marks; partial credit is not kept (a
    warning at ``where`` says how many answers it affects) and those answers count as
    wrong. Otherwise every answer with a positive weight is correct (one: ``single``,
    several: ``multiple``, none: skipped). ``weight_word`` is what the format calls a
    weight in its own files ("weight" in GIFT, "grade" in Moodle XML). One rule for both
    formats, so the same question reads the same whichever way it was exported.
    """
    if len(answers) < 2:
        return "a multiple-choice question needs at least two answers."
    if single:
        full = [a for a in answers if a[0] >= FULL_MARKS]
        if len(full) != 1:
            return (
                f"{len(full)} answers earn full marks; a single-answer question needs exactly "
                "one (with several, any one of them counts, which StudyApp cannot represent)."
                if full
                else "no answer earns full marks."
            )
        partial = sum(1 for a in answers if 0 < a[0] < FULL_MARKS)
        if partial:
            verb = "counts" if partial == 1 else "count"
            out.warn(
                f"{where}: partial credit is not kept; "
                f"{plural(partial, 'partly right answer')} {verb} as wrong."
            )
        return "single", tuple(DraftOption(a[1], a[0] >= FULL_MARKS, a[2]) for a in answers)
    options = tuple(DraftOption(a[1], a[0] > 0, a[2]) for a in answers)
    correct = sum(o.correct for o in options)
    if correct == 0:
        return f"no answer has a positive {weight_word}, so none is correct."
    return ("multiple" if correct > 1 else "single"), options


@dataclass(frozen=True, slots=True)
class InterchangeResult:
    """An interchange file read into a pack, with everything a report needs.

    ``categories`` maps each category path (``""`` for questions outside any category)
    to the skill-area id its questions were given, or None for Unassigned.
    ``drafts`` keeps what was read so a front end can change the mapping
    (:func:`remap`) without reading the file again.
    """

    pack: Pack
    skipped: tuple[SkippedItem, ...]
    warnings: tuple[str, ...]
    categories: dict[str, str | None]
    source_name: str = ""
    drafts: tuple[Draft, ...] = field(default=(), repr=False, compare=False)
    reader_skipped: tuple[SkippedItem, ...] = field(default=(), repr=False, compare=False)
    reader_warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)
    all_media: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    header: PackHeader = field(default=PackHeader(), repr=False, compare=False)

    @property
    def pinned_id(self) -> bool:
        """Whether the file itself names its pack id (not derived from the file name)."""
        return bool(self.header.pack_id)

    @property
    def skipped_items(self) -> tuple[str, ...]:
        return tuple(str(s) for s in self.skipped)


Reader = Callable[[bytes, str, Framework, "str | None"], InterchangeResult]


class Writer(Protocol):
    """Writes questions as a file; ``pin`` names the pack id in it (see decision 0011)."""

    def __call__(
        self,
        manifest: PackManifest,
        questions: tuple[Question, ...],
        framework: Framework | None,
        media: Mapping[str, bytes],
        *,
        pin: bool = True,
    ) -> bytes: ...


@dataclass(frozen=True, slots=True)
class InterchangeFormat:
    """One interchange format: its name, how to recognise it, read it and (maybe) write it."""

    name: str
    label: str
    extensions: tuple[str, ...]
    sniff: Callable[[str, bytes], bool]
    read: Reader
    write: Writer | None = None


_CLAIMED = (
    (".gift.txt", "gift"),
    (".aiken.txt", "aiken"),
    (".gift", "gift"),
    (".xml", "moodle-xml"),
    (".aiken", "aiken"),
    (".csv", "csv"),
    (".tsv", "csv"),
    (".studypack", "studypack"),
)


def claimed_by(name: str) -> str | None:
    """The format a file's extension names (``.gift``, ``.xml``…), or None (``.txt``)."""
    lowered = name.lower()
    for ext, fmt in _CLAIMED:
        if lowered.endswith(ext):
            return fmt
    return None


def last_segment(path: str) -> str:
    """The last segment of a Moodle category path (``//`` is a literal slash)."""
    parts = path.replace("//", "\0").split("/")
    return parts[-1].replace("\0", "/").strip() if parts else ""


def clean_category(path: str) -> str:
    """A category path without Moodle's context prefix (``$course$/top/``)."""
    path = path.strip()
    path = re.sub(r"^\$[a-z0-9]+\$/?", "", path)
    path = re.sub(r"^top(/|$)", "", path)
    return path.strip().strip("/").strip()


def clean_tags(tags: list[str], name: str, collector_warnings: list[str]) -> tuple[str, ...]:
    """Tags StudyApp accepts: invalid characters become ``-``; over 20, the rest dropped."""
    out: list[str] = []
    for raw in tags:
        tag = _TAG_BAD_CHARS.sub("-", raw.strip()).strip(" -")[:64]
        if tag and _TAG_OK.match(tag) and tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        collector_warnings.append(f"{name}: has {len(out)} tags; only the first {MAX_TAGS} kept.")
        out = out[:MAX_TAGS]
    return tuple(out)


def content_key(data: bytes) -> str:
    """SHA-256 hex of some bytes (media names are ``media/<sha256>.<ext>``)."""
    return hashlib.sha256(data).hexdigest()
