"""A study group's records: the group file, a member's progress card, the membership.

Every record has a typed dict form (``to_dict``/``from_dict``) with a ``format`` number.
``from_dict`` checks every field's type and refuses, with one plain sentence, anything
it does not understand: a card or group file from a newer StudyApp (a higher ``format``)
is refused, never half-read. Group files and cards come from a shared folder that other
people (and their sync tools) write, so they are treated as untrusted input.

What leaves a member's profile is exactly a :class:`MemberCard`: the display name, and by
the member's choice (:data:`SHARES`) per-skill mastery and readiness, and the results of
the group's scheduled mock exams with the options chosen. Nothing else.

:func:`weakest_areas` is the facilitator's agenda rule (pure): the skill areas where the
group's mean mastery, weighted by the area's share of the exam, leaves most points.

Why this module is longer than 500 lines: it is one trust boundary. Every record that
crosses the shared folder is read by the same small field checks (``_need``, ``_opt``,
``_format``, ``_list``) with the same refusal sentences; the records nest (a group file
lists published packs and scheduled exams, a member card holds skill and exam cards), so
split apart they would share private checks across modules or copy them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, NamedTuple

from studyapp.domain.errors import StudyAppError
from studyapp.domain.evidence import evidence_level

GROUP_FORMAT = 1
CARD_FORMAT = 1
MEMBERSHIP_FORMAT = 1
Share = Literal["skills", "exams", "all"]
SHARES: tuple[Share, ...] = ("skills", "exams", "all")
Role = Literal["facilitator", "member"]
NAME_MAX = 60
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}$")
_MEMBER_ID = re.compile(r"^[0-9a-f]{32}$")


class GroupError(StudyAppError):
    """A group folder, group file or card cannot be used; the message says why."""


class NewerFormatError(GroupError):
    """A record written by a newer StudyApp."""


class HubPasswordError(GroupError):
    """A group hub asks for a password that was not found (``refused`` False: none in
    ``~/.pgpass``, ``PGPASSFILE`` or ``PGPASSWORD``, and nobody to ask) or that it refused
    (``refused`` True: the one entered in this run). ``key`` names the login on that hub,
    for the app to keep an entered password in memory (never in the profile)."""

    def __init__(self, message: str, key: tuple[str, str, str, str], refused: bool) -> None:
        super().__init__(message)
        self.key = key
        self.refused = refused

    @property
    def login(self) -> str:
        return self.key[0] or "your login"

    @property
    def where(self) -> str:
        """The hub as people name it: ``host:port/database``."""
        return f"{self.key[1]}:{self.key[2]}/{self.key[3]}"


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = data.get(key)
    kinds = _kinds(kind)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise GroupError(f"{what}: '{key}' is missing or not the right kind of value.")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _opt(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    return None if data.get(key) is None else _need(data, key, kind, what)


def _format(data: Any, newest: int, what: str) -> None:
    if not isinstance(data, dict):
        raise GroupError(f"{what} is not a JSON object.")
    number = data.get("format")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise GroupError(f"{what} has no valid format number.")
    if number > newest:
        raise NewerFormatError(
            f"{what} was written by a newer StudyApp (format {number}); update StudyApp to use it."
        )


def _list(data: Mapping[str, Any], key: str, what: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise GroupError(f"{what}: '{key}' is not a list.")
    return value


def _fraction(value: Any, what: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
        raise GroupError(f"{what}: a share must be a number from 0 to 1.")
    return float(value)


def check_name(text: str, what: str = "A name") -> str:
    """A display or group name: 1 to 60 printable characters, no surrounding spaces."""
    name = text.strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise GroupError(f"{what} must be 1 to {NAME_MAX} characters on one line; got {text!r}.")
    return name


def check_file_name(name: str) -> str:
    """A file named by a group file: a plain name inside the group's packs folder.

    Refuses paths (``/``, ``\\``), ``..``, absolute and drive names, hidden files: a
    group file must never make a member's app read outside the folder.
    """
    if not isinstance(name, str) or not _FILE_NAME.match(name) or ".." in name:
        raise GroupError(
            f"The group file names a pack file {name!r} outside the group's packs folder; "
            "ask the facilitator to publish the pack again."
        )
    return name


@dataclass(frozen=True, slots=True)
class PublishedPack:
    """A pack file the facilitator published into the folder's ``packs/``."""

    file: str
    sha256: str
    pack_id: str
    version: str
    title: str
    published_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "pack_id": self.pack_id,
            "version": self.version,
            "title": self.title,
            "published_at": self.published_at,
        }

    @classmethod
    def from_dict(cls, data: Any) -> PublishedPack:
        what = "A pack entry of the group file"
        if not isinstance(data, dict):
            raise GroupError(f"{what} is not a JSON object.")
        sha = _need(data, "sha256", str, what)
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise GroupError(f"{what} has no valid SHA-256 digest.")
        return cls(
            file=check_file_name(_need(data, "file", str, what)),
            sha256=sha,
            pack_id=_need(data, "pack_id", str, what)[:128],
            version=_need(data, "version", str, what)[:64],
            title=_need(data, "title", str, what)[:200],
            published_at=_need(data, "published_at", str, what)[:40],
        )


@dataclass(frozen=True, slots=True)
class ScheduledExam:
    """A mock exam everyone sits from the same code, with an optional date (local)."""

    code: str
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "date": self.date}

    @classmethod
    def from_dict(cls, data: Any) -> ScheduledExam:
        what = "A scheduled exam of the group file"
        if not isinstance(data, dict):
            raise GroupError(f"{what} is not a JSON object.")
        code = _need(data, "code", str, what)[:80]
        day = _opt(data, "date", str, what)
        if day is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise GroupError(f"{what} has a date that is not YYYY-MM-DD.")
        return cls(code=code, date=day)


@dataclass(frozen=True, slots=True)
class GroupFile:
    """``group.json``: the group's name, facilitator, packs and scheduled mock exams."""

    name: str
    facilitator: str
    created_at: str
    packs: tuple[PublishedPack, ...] = ()
    exams: tuple[ScheduledExam, ...] = ()
    format: int = GROUP_FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": GROUP_FORMAT,
            "app": "studyapp-group",
            "name": self.name,
            "facilitator": self.facilitator,
            "created_at": self.created_at,
            "packs": [p.to_dict() for p in self.packs],
            "exams": [e.to_dict() for e in self.exams],
        }

    @classmethod
    def from_dict(cls, data: Any) -> GroupFile:
        what = "The group file"
        _format(data, GROUP_FORMAT, what)
        return cls(
            name=check_name(_need(data, "name", str, what), "The group's name"),
            facilitator=_need(data, "facilitator", str, what)[:NAME_MAX],
            created_at=_need(data, "created_at", str, what)[:40],
            packs=tuple(PublishedPack.from_dict(p) for p in _list(data, "packs", what)),
            exams=tuple(ScheduledExam.from_dict(e) for e in _list(data, "exams", what)),
        )

    def with_pack(self, pack: PublishedPack) -> GroupFile:
        """A copy with ``pack`` published (replacing an earlier file of the same name or pack)."""
        kept = tuple(p for p in self.packs if p.file != pack.file and p.pack_id != pack.pack_id)
        return GroupFile(self.name, self.facilitator, self.created_at, (*kept, pack), self.exams)

    def with_exam(self, exam: ScheduledExam) -> GroupFile:
        """A copy with ``exam`` scheduled (a code scheduled again gets the new date)."""
        kept = tuple(e for e in self.exams if e.code != exam.code)
        return GroupFile(self.name, self.facilitator, self.created_at, self.packs, (*kept, exam))


@dataclass(frozen=True, slots=True)
class SkillCard:
    """One skill area as a member shares it."""

    id: str
    title: str
    weight: float
    mastery: float
    low: float
    high: float
    answers: int

    @property
    def enough(self) -> bool:
        """Enough answers for a measured mastery (the app's one evidence rule)."""
        return evidence_level(self.answers) == "enough"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "weight": round(self.weight, 4),
            "mastery": round(self.mastery, 4),
            "mastery_low": round(self.low, 4),
            "mastery_high": round(self.high, 4),
            "answers": self.answers,
        }

    @classmethod
    def from_dict(cls, data: Any) -> SkillCard:
        what = "A skill of the card"
        if not isinstance(data, dict):
            raise GroupError(f"{what} is not a JSON object.")
        answers = _need(data, "answers", int, what)
        if answers < 0:
            raise GroupError(f"{what} has a negative number of answers.")
        return cls(
            id=_need(data, "id", str, what)[:64],
            title=_need(data, "title", str, what)[:200],
            weight=_fraction(data.get("weight"), what),
            mastery=_fraction(data.get("mastery"), what),
            low=_fraction(data.get("mastery_low"), what),
            high=_fraction(data.get("mastery_high"), what),
            answers=answers,
        )


_NUMBER = (int, float)


def _skills(raw: list[Any]) -> tuple[SkillCard, ...]:
    """A card's skill areas, checked as untrusted input in one tight loop: the checks of
    :meth:`SkillCard.from_dict` (``answers`` a whole number from 0, ``id``/``title``
    strings cut to 64/200 characters, the four shares numbers from 0 to 1) without its
    helper calls and dataclass ``__init__`` (a 1,000-member group has 10,000 of them).
    Anything else goes to :meth:`SkillCard.from_dict` for its precise message."""
    out: list[SkillCard] = []
    new, put = object.__new__, object.__setattr__
    for data in raw:
        if type(data) is dict:
            answers, id_, title = data.get("answers"), data.get("id"), data.get("title")
            shares: tuple[Any, ...] = (
                data.get("weight"),
                data.get("mastery"),
                data.get("mastery_low"),
                data.get("mastery_high"),
            )
            if (
                type(answers) is int
                and answers >= 0
                and type(id_) is str
                and type(title) is str
                and all(type(x) in _NUMBER and 0.0 <= x <= 1.0 for x in shares)
            ):
                skill = new(SkillCard)
                put(skill, "id", id_[:64])
                put(skill, "title", title[:200])
                for name, value in zip(("weight", "mastery", "low", "high"), shares, strict=True):
                    put(skill, name, float(value))
                put(skill, "answers", answers)
                out.append(skill)
                continue
        out.append(SkillCard.from_dict(data))  # raises with the precise reason
    return tuple(out)


class ItemCard(NamedTuple):
    """One question of a shared exam result: its id, skill, the options chosen, right or not.

    A named tuple rather than a frozen dataclass: a 1,000-member group's Group screen
    builds 100,000 of them per exam, and a tuple is built in C without a Python
    ``__init__`` per question.
    """

    id: str
    skill: str
    chosen: tuple[str, ...]
    correct: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "skill": self.skill,
            "chosen": list(self.chosen),
            "correct": self.correct,
        }

    @classmethod
    def from_dict(cls, data: Any) -> ItemCard:
        what = ITEM_WHAT
        if not isinstance(data, dict):
            raise GroupError(f"{what} is not a JSON object.")
        chosen = _need(data, "chosen", list, what)
        if len(chosen) > MAX_CHOSEN or not all(
            isinstance(c, str) and len(c) <= OPTION_MAX for c in chosen
        ):
            raise GroupError(f"{what} lists chosen options that are not option ids.")
        return cls(
            id=_need(data, "id", str, what)[:ITEM_ID_MAX],
            skill=_need(data, "skill", str, what)[:SKILL_ID_MAX],
            chosen=tuple(chosen),
            correct=_need(data, "correct", bool, what),
        )


ITEM_WHAT = "A question of a shared exam"
ITEM_ID_MAX = 200
SKILL_ID_MAX = 64
MAX_CHOSEN = 26
OPTION_MAX = 64
MAX_ITEMS = 1_000  # far above any exam's length: a card cannot make the app build millions
_BITS = {"1": True, "0": False}
_make_item = partial(tuple.__new__, ItemCard)  # in C: no Python call per question


def _items(raw: list[Any]) -> tuple[ItemCard, ...]:
    """A sitting's questions, checked as untrusted input in one tight loop.

    The same checks as :meth:`ItemCard.from_dict` (a JSON object; ``id``/``skill`` strings,
    cut to 200/64 characters; ``chosen`` a list of at most 26 strings of at most 64
    characters; ``correct`` a real bool), without a call and a dict lookup helper per
    question: 100,000 questions are read for the Group screen of a 1,000-member group.
    Any item that fails is sent to :meth:`ItemCard.from_dict` for its precise message.
    """
    if len(raw) > MAX_ITEMS:
        raise GroupError(f"A shared exam of the card has more than {MAX_ITEMS} questions.")
    out: list[ItemCard] = []
    append = out.append
    make = _make_item
    for data in raw:
        if type(data) is dict:
            id_ = data.get("id")
            skill = data.get("skill")
            chosen = data.get("chosen")
            correct = data.get("correct")
            if (
                type(id_) is str
                and type(skill) is str
                and type(chosen) is list
                and type(correct) is bool
                and len(chosen) <= MAX_CHOSEN
                and all(type(c) is str and len(c) <= OPTION_MAX for c in chosen)
            ):
                append(make((id_[:ITEM_ID_MAX], skill[:SKILL_ID_MAX], tuple(chosen), correct)))
                continue
        append(ItemCard.from_dict(data))  # raises with the precise reason
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Questions:
    """An exam's question list as a compact sitting stores it: (id, skill) per question,
    in exam order. Every member who sat one code has the same list, so a reader checks
    each distinct list once (:meth:`from_json`) and shares it between sittings."""

    ids: tuple[str, ...]
    skills: tuple[str, ...]

    @classmethod
    def of(cls, items: Sequence[ItemCard]) -> Questions:
        """The question list of a sitting's items."""
        return cls(tuple(i.id for i in items), tuple(i.skill for i in items))

    @classmethod
    def from_json(cls, data: Any) -> Questions:
        """Checked as untrusted input: a list of at most 1,000 [id, skill] string pairs
        (cut to 200/64 characters, as :meth:`ItemCard.from_dict` cuts them)."""
        if not isinstance(data, list):
            raise GroupError("A shared exam of the card has no list of questions.")
        if len(data) > MAX_ITEMS:
            raise GroupError(f"A shared exam of the card has more than {MAX_ITEMS} questions.")
        ids: list[str] = []
        skills: list[str] = []
        for pair in data:
            if not (
                type(pair) is list
                and len(pair) == 2
                and type(pair[0]) is str
                and type(pair[1]) is str
            ):
                raise GroupError(f"{ITEM_WHAT}: 'id' or 'skill' is missing or not text.")
            ids.append(pair[0][:ITEM_ID_MAX])
            skills.append(pair[1][:SKILL_ID_MAX])
        return cls(tuple(ids), tuple(skills))

    def to_json(self) -> list[list[str]]:
        """The stored form: ``[[id, skill], …]``."""
        return [[i, s] for i, s in zip(self.ids, self.skills, strict=True)]


def _columns_items(questions: Questions, chosen: Any, correct: Any) -> tuple[ItemCard, ...]:
    """A compact sitting's questions (see :meth:`ExamCard.from_columns`), with the checks
    of :func:`_items` made on whole columns at once (C loops, not one Python step per
    question)."""
    n = len(questions.ids)
    if type(chosen) is not list or len(chosen) != n:
        raise GroupError(f"{ITEM_WHAT} lists chosen options that are not option ids.")
    if type(correct) is not str or len(correct) != n or not set(correct) <= _BITS.keys():
        raise GroupError(f"{ITEM_WHAT}: 'correct' is missing or not the right kind of value.")
    if n:
        options: set[Any] = {0}  # refused below unless every entry is a list of hashables
        if set(map(type, chosen)) == {list}:
            with contextlib.suppress(TypeError):  # an unhashable option (a list, an object)
                options = set().union(*chosen)
        if max(map(len, chosen)) > MAX_CHOSEN or not all(
            type(o) is str and len(o) <= OPTION_MAX for o in options
        ):
            raise GroupError(f"{ITEM_WHAT} lists chosen options that are not option ids.")
    return tuple(
        map(
            _make_item,
            zip(
                questions.ids,
                questions.skills,
                map(tuple, chosen),
                map(_BITS.__getitem__, correct),
                strict=True,
            ),
        )
    )


@dataclass(frozen=True, slots=True)
class ExamCard:
    """A member's latest result of one scheduled exam code."""

    code: str
    raw: int
    length: int
    submitted_at: str
    items: tuple[ItemCard, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "raw": self.raw,
            "length": self.length,
            "submitted_at": self.submitted_at,
            "items": [i.to_dict() for i in self.items],
        }

    @classmethod
    def from_dict(cls, data: Any) -> ExamCard:
        what = "A shared exam of the card"
        if not isinstance(data, dict):
            raise GroupError(f"{what} is not a JSON object.")
        items = _items(_list(data, "items", what))
        return cls(
            code=_need(data, "code", str, what)[:80],
            raw=_need(data, "raw", int, what),
            length=_need(data, "length", int, what),
            submitted_at=_need(data, "submitted_at", str, what)[:40],
            items=items,
        )

    @classmethod
    def from_columns(
        cls, head: Mapping[str, Any], questions: Questions, chosen: Any, correct: Any
    ) -> ExamCard:
        """A sitting stored compactly (the hub's form): ``head`` holds ``code``, ``raw``,
        ``length`` and ``submitted_at``; ``questions`` the checked question list;
        ``chosen`` one list of option ids per question; ``correct`` one ``"1"``/``"0"``
        per question. Checked as untrusted input with the rules of :meth:`from_dict`,
        and equal to what :meth:`from_dict` makes of the same sitting."""
        what = "A shared exam of the card"
        items = _columns_items(questions, chosen, correct)
        return cls(
            code=_need(head, "code", str, what)[:80],
            raw=_need(head, "raw", int, what),
            length=_need(head, "length", int, what),
            submitted_at=_need(head, "submitted_at", str, what)[:40],
            items=items,
        )

    def columns(self) -> tuple[dict[str, Any], Questions, list[list[str]], str]:
        """The compact form :meth:`from_columns` reads: (head, questions, chosen, correct)."""
        head = {
            "code": self.code,
            "raw": self.raw,
            "length": self.length,
            "submitted_at": self.submitted_at,
        }
        chosen = [list(i.chosen) for i in self.items]
        correct = "".join("1" if i.correct else "0" for i in self.items)
        return head, Questions.of(self.items), chosen, correct


@dataclass(frozen=True, slots=True)
class MemberCard:
    """What one member shares with the group: written only by that member's app."""

    member_id: str
    name: str
    written_at: str
    app_version: str
    share: Share
    readiness: float | None = None
    skills: tuple[SkillCard, ...] = ()
    exams: tuple[ExamCard, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CARD_FORMAT,
            "member_id": self.member_id,
            "name": self.name,
            "written_at": self.written_at,
            "app_version": self.app_version,
            "share": self.share,
            "readiness": None if self.readiness is None else round(self.readiness, 4),
            "skills": [s.to_dict() for s in self.skills],
            "exams": [e.to_dict() for e in self.exams],
        }

    @classmethod
    def from_dict(cls, data: Any) -> MemberCard:
        what = "The progress card"
        _format(data, CARD_FORMAT, what)
        member_id = _need(data, "member_id", str, what)
        if not _MEMBER_ID.match(member_id):
            raise GroupError(f"{what} has no valid member id.")
        share = _need(data, "share", str, what)
        if share not in SHARES:
            raise GroupError(f"{what} shares {share!r}, which is not skills, exams or all.")
        readiness = data.get("readiness")
        return cls(
            member_id=member_id,
            name=check_name(_need(data, "name", str, what), "A member's name"),
            written_at=_need(data, "written_at", str, what)[:40],
            app_version=_need(data, "app_version", str, what)[:40],
            share=share,
            readiness=None if readiness is None else _fraction(readiness, what),
            skills=_skills(_list(data, "skills", what)),
            exams=tuple(ExamCard.from_dict(e) for e in _list(data, "exams", what)),
        )


@dataclass(frozen=True, slots=True)
class Membership:
    """The profile's link to its group (stored in the profile's settings; nothing secret).

    ``packs``: file name -> SHA-256 of the published file last imported, so an unchanged
    pack is not imported again. ``reported``: problems already told to this member, so
    a sync-tool leftover is reported once. ``exams``: the scheduled exams as of the last
    sync, for Home.
    """

    location: str
    role: Role
    member_id: str
    name: str
    share: Share = "all"
    packs: Mapping[str, str] = field(default_factory=dict)
    reported: tuple[str, ...] = ()
    exams: tuple[ScheduledExam, ...] = ()
    group_name: str = ""
    last_sync: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MEMBERSHIP_FORMAT,
            "location": self.location,
            "role": self.role,
            "member_id": self.member_id,
            "name": self.name,
            "share": self.share,
            "packs": dict(self.packs),
            "reported": list(self.reported),
            "exams": [e.to_dict() for e in self.exams],
            "group_name": self.group_name,
            "last_sync": self.last_sync,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Membership:
        what = "This profile's study-group setting"
        _format(data, MEMBERSHIP_FORMAT, what)
        role = _need(data, "role", str, what)
        share = _need(data, "share", str, what)
        if role not in ("facilitator", "member") or share not in SHARES:
            raise GroupError(f"{what} is damaged; join the group again.")
        packs = data.get("packs", {})
        if not isinstance(packs, dict) or not all(isinstance(v, str) for v in packs.values()):
            raise GroupError(f"{what} is damaged; join the group again.")
        return cls(
            location=_need(data, "location", str, what),
            role=role,
            member_id=_need(data, "member_id", str, what),
            name=_need(data, "name", str, what),
            share=share,
            packs=dict(packs),
            reported=tuple(str(r) for r in _list(data, "reported", what)),
            exams=tuple(ScheduledExam.from_dict(e) for e in _list(data, "exams", what)),
            group_name=str(data.get("group_name") or ""),
            last_sync=_opt(data, "last_sync", str, what),
        )


@dataclass(frozen=True, slots=True)
class AreaNeed:
    """A skill area on the next meeting's agenda."""

    id: str
    title: str
    weight: float
    mean: float  # mean mastery over members with enough answers
    members: int  # members with enough answers
    too_few: tuple[str, ...]  # names of members with too few answers

    @property
    def points_left(self) -> float:
        """Share of the exam the group is expected to miss here: weight × (1 − mastery)."""
        return self.weight * (1.0 - self.mean)


def weakest_areas(cards: Sequence[MemberCard], count: int = 3) -> tuple[AreaNeed, ...]:
    """The ``count`` skill areas that cost the group most: weight × (1 − mean mastery).

    Only members with enough answers in an area count toward its mean (a handful of
    answers mostly restates the prior); an area nobody has enough answers in is left
    out, but its members with too few answers are named on the areas that are listed.
    """
    areas: dict[str, list[SkillCard]] = {}
    names: dict[str, list[str]] = {}
    for card in cards:
        for s in card.skills:
            areas.setdefault(s.id, []).append(s)
            if not s.enough:
                names.setdefault(s.id, []).append(card.name)
    needs = []
    for skill_id, skills in areas.items():
        enough = [s for s in skills if s.enough]
        if not enough:
            continue
        mean = sum(s.mastery for s in enough) / len(enough)
        needs.append(
            AreaNeed(
                id=skill_id,
                title=skills[0].title,
                weight=skills[0].weight,
                mean=mean,
                members=len(enough),
                too_few=tuple(names.get(skill_id, ())),
            )
        )
    needs.sort(key=lambda a: (-a.points_left, a.id))
    return tuple(needs[:count])
