"""Library use cases: the question table, a question's preview and history, importing with
a category mapping, and the user's own questions ("My questions").

Reads return frozen dataclasses for the GUI. The question table is paged
(:data:`PAGE_SIZE` rows at a time, keyset on the row id), so 100,000 questions never
come back at once.

**My questions.** Questions the user writes are saved to the pack :data:`USER_PACK_ID`
(origin ``user``), created on the first save. Editing a question of an imported pack does
not touch that pack: it creates the user's own *revision* in My questions, whose
``revises_id`` points at the original. While the revision is active the original is
hidden from practice and the revision is practised in its place (it starts with the
original's memory state, and the preview shows the original's answers too). Updates of
the imported pack keep applying to the original as before (its id, memory and history
stay); the user's revision stays theirs, and the library says when the original changed
after the revision was last saved (:attr:`RevisionLinks.upstream_changed`) or was
dropped from its pack. Deleting the revision (:meth:`LibraryService.delete_mine`) brings
the original back to practice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.domain.errors import PackError, QuestionGoneError, StudyAppError
from studyapp.domain.framework import Framework
from studyapp.domain.pack import ImportReport, InstalledPack
from studyapp.domain.question import Question
from studyapp.packs.problems import Problem
from studyapp.services.changes import Change, Outcome
from studyapp.services.packs.interchange import choose_framework
from studyapp.services.packs.library_import import (
    CategoryPreview,
    ImportPreview,
    SkillChoice,
    import_file,
    preview_import,
)
from studyapp.services.packs.question_check import check_question, describe_problem
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.storage.frameworks import load_framework
from studyapp.storage.library import (
    STATUSES,
    UNASSIGNED,
    HistoryEntry,
    LibraryQuery,
    LibraryRow,
    RevisionLinks,
    active_revision_of,
    all_tags,
    library_count,
    library_page,
    library_row,
    pack_summary,
    question_history,
    revision_links,
)
from studyapp.storage.question_rows import load_question, load_referenced_media
from studyapp.storage.user_pack import (
    USER_ORIGIN,
    QuestionPlace,
    copy_media,
    copy_memory,
    ensure_user_pack,
    next_key,
    pack_media_names,
    question_place,
    reseal_pack,
    retire_question,
    store_question,
    user_pack,
)

__all__ = [
    "PAGE_SIZE",
    "STATUSES",
    "UNASSIGNED",
    "USER_PACK_ID",
    "CategoryPreview",
    "EditorContext",
    "HistoryEntry",
    "ImportPreview",
    "LibraryChoices",
    "LibraryQuery",
    "LibraryRow",
    "LibraryService",
    "Problem",
    "QuestionDetail",
    "RevisionLinks",
    "SavedQuestion",
    "SkillChoice",
    "check_question",
    "describe_problem",
]

USER_PACK_ID = "my-questions"
USER_PACK_TITLE = "My questions"
NEW_KEY_BASE = "mine-"
PAGE_SIZE = 200
Progress = Callable[[int, int, str], None]
_IMAGE_RE = re.compile(r"(media/[^)\"'\s]+)")


def _quiet(_done: int, _total: int, _text: str = "") -> None:
    return None


@dataclass(frozen=True, slots=True)
class LibraryChoices:
    """What the filters offer: skill areas, tags and packs."""

    skills: tuple[SkillChoice, ...]
    tags: tuple[str, ...]
    packs: tuple[InstalledPack, ...]


@dataclass(frozen=True, slots=True)
class QuestionDetail:
    """Everything the preview pane shows about one question."""

    qid: int
    pack_id: str
    pack_title: str
    pack_origin: str
    skill_title: str | None
    question: Question
    status: str
    media: dict[str, bytes]
    history: tuple[HistoryEntry, ...]
    links: RevisionLinks

    @property
    def ref(self) -> str:
        return f"{self.pack_id}/{self.question.id}"


@dataclass(frozen=True, slots=True)
class EditorContext:
    """What the editor starts from.

    ``qid`` is the question that saving will change (None: a new question); ``question``
    its content; ``notice`` tells the user where the save goes.
    """

    framework: Framework
    qid: int | None
    question: Question | None
    notice: str
    media: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SavedQuestion:
    """What a save did."""

    qid: int
    ref: str
    created: bool
    changed: bool
    revises: str | None
    pack_version: str


def _referenced_media(q: Question) -> set[str]:
    texts = [q.stem, q.explanation, *(o.text for o in q.options), *(o.rationale for o in q.options)]
    return {m for t in texts for m in _IMAGE_RE.findall(t)}


class LibraryService:
    """Library operations on one profile."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    # ------------------------------------------------------------------ reading
    def choices(self) -> LibraryChoices:
        """Skill areas of the profile's frameworks, tags in use, installed packs."""
        frameworks = self.profile.frameworks()
        skills = tuple(SkillChoice(s.id, s.title) for fw in frameworks for s in fw.skill_areas)
        with self.profile.db.reader() as session:
            tags = tuple(all_tags(session))
        return LibraryChoices(skills, tags, tuple(PackService(self.profile).list()))

    def page(self, query: LibraryQuery, after: int = 0, limit: int = PAGE_SIZE) -> list[LibraryRow]:
        """The next ``limit`` matching questions after row id ``after``."""
        with self.profile.db.reader() as session:
            return library_page(session, query, self.profile.clock.now(), after=after, limit=limit)

    def count(self, query: LibraryQuery) -> int:
        """How many questions match."""
        with self.profile.db.reader() as session:
            return library_count(session, query, self.profile.clock.now())

    def detail(self, qid: int) -> QuestionDetail:
        """The question, its images, status, revision links and every past answer."""
        now = self.profile.clock.now()
        with self.profile.db.reader() as session:
            stored = load_question(session, qid)
            row = library_row(session, qid, now)
            if stored is None or row is None:
                raise QuestionGoneError(qid)
            links = revision_links(session, qid)
            original = links.revises[0] if links.revises else None
            history = tuple(question_history(session, qid, original))
            media = load_referenced_media(session, stored)
            title, origin = pack_summary(session, stored.pack_id) or (stored.pack_id, "")
        return QuestionDetail(
            qid=qid,
            pack_id=stored.pack_id,
            pack_title=title,
            pack_origin=origin,
            skill_title=stored.skill_title,
            question=stored.question,
            status=row.status,
            media=media,
            history=history,
            links=links,
        )

    # ------------------------------------------------------------------ editing
    def default_framework(self) -> str:
        """The framework of My questions (CETL unless the pack exists with another)."""
        with self.profile.db.reader() as session:
            mine = user_pack(session, USER_PACK_ID)
        return mine[1] if mine else choose_framework(self.profile.frameworks()).id

    def editor_context(self, qid: int | None = None) -> EditorContext:
        """Where the editor starts: a new question, one of the user's, or a revision.

        Opening an imported question that already has the user's revision opens the
        revision, so there is only ever one revision of a question.
        """
        with self.profile.db.reader() as session:
            place = question_place(session, qid) if qid is not None else None
            if qid is not None and place is None:
                raise StudyAppError(f"Question {qid} no longer exists.")
            notice = f"A new question; saving adds it to {USER_PACK_TITLE}."
            target = None
            if place is not None and place.origin == USER_ORIGIN:
                target = place.qid
                notice = f"Your question {place.key} in {USER_PACK_TITLE}."
            elif place is not None:
                revision = active_revision_of(session, place.qid)
                if revision is not None:
                    target = revision
                    notice = (
                        f"You already have your own revision of {place.pack_key}/{place.key}; "
                        "you are editing it."
                    )
                else:
                    target = place.qid
                    notice = (
                        f"{place.pack_key}/{place.key} belongs to an imported pack. Saving "
                        f"creates your own revision in {USER_PACK_TITLE}, practised in its "
                        "place; the pack's own question keeps receiving its updates."
                    )
            stored = load_question(session, target) if target is not None else None
            media = load_referenced_media(session, stored) if stored is not None else {}
            fw_key = place.framework if place is not None else None
        framework_id = fw_key or self.default_framework()
        with self.profile.db.reader() as session:
            framework = load_framework(session, framework_id)
        if framework is None:
            raise StudyAppError(f"Framework {framework_id!r} is not installed.")
        return EditorContext(
            framework=framework,
            qid=target,
            question=stored.question if stored is not None else None,
            notice=notice,
            media=media,
        )

    def save(self, item: Mapping[str, Any], qid: int | None = None) -> Outcome[SavedQuestion]:
        """Save an edited question to My questions (all or nothing).

        ``qid`` None: a new question. A question of My questions is updated in place (its
        revision rises when what a learner sees changed). A question of any other pack
        gets the user's revision (or the existing revision is updated).
        """
        now = self.profile.clock.now()
        default_fw = self.default_framework()
        with self.profile.db.unit_of_work() as session:
            place = question_place(session, qid) if qid is not None else None
            if qid is not None and place is None:
                raise StudyAppError(f"Question {qid} no longer exists; nothing was saved.")
            target, revises = self._target(session, place)
            framework_id = default_fw
            if revises is not None and revises.framework != framework_id:
                raise PackError(
                    f"{revises.pack_key}/{revises.key} belongs to the {revises.framework} "
                    f"framework and {USER_PACK_TITLE} to {framework_id}, so it cannot be revised "
                    "there."
                )
            framework = load_framework(session, framework_id)
            pack_pk = ensure_user_pack(session, USER_PACK_ID, USER_PACK_TITLE, framework_id, now)
            if target is not None:
                target_place = question_place(session, target)
                assert target_place is not None
                key = target_place.key
            elif revises is not None:
                key = next_key(session, pack_pk, f"{revises.pack_key}.{revises.key}")
            else:
                key = next_key(session, pack_pk, NEW_KEY_BASE)
            names = pack_media_names(session, pack_pk)
            if revises is not None:
                names += pack_media_names(session, revises.pack_pk)
            question, problems = check_question({**item, "id": key}, framework, names)
            if question is None:
                first = next(p for p in problems if p.severity == "error")
                raise PackError(f"The question was not saved: {describe_problem(first)}")
            if revises is not None:
                copy_media(session, revises.pack_pk, pack_pk, _referenced_media(question))
            new_qid, changed = store_question(
                session,
                pack_pk,
                framework_id,
                question,
                existing=target,
                revises_id=revises.qid if revises is not None else None,
                now=now,
            )
            if revises is not None:
                copy_memory(session, revises.qid, new_qid)
            version = reseal_pack(session, pack_pk, now) if changed else ""
        saved = SavedQuestion(
            qid=new_qid,
            ref=f"{USER_PACK_ID}/{key}",
            created=target is None,
            changed=changed,
            revises=f"{revises.pack_key}/{revises.key}" if revises is not None else None,
            pack_version=version,
        )
        return Outcome(saved, Change.QUESTIONS | Change.PACKS if changed else Change.NONE)

    @staticmethod
    def _target(
        session: Any, place: QuestionPlace | None
    ) -> tuple[int | None, QuestionPlace | None]:
        """(row of My questions to update, imported question to revise)."""
        if place is None:
            return None, None
        if place.origin == USER_ORIGIN:
            return place.qid, None
        revision = active_revision_of(session, place.qid)
        return (revision, None) if revision is not None else (None, place)

    def delete_mine(self, qid: int) -> Outcome[str | None]:
        """Retire one of the user's questions (history kept); the value names the
        original it revised, which returns to practice."""
        now = self.profile.clock.now()
        with self.profile.db.unit_of_work() as session:
            place = question_place(session, qid)
            if place is None or place.origin != USER_ORIGIN:
                raise StudyAppError(
                    f"Only questions of {USER_PACK_TITLE} can be deleted; suspend others instead."
                )
            links = revision_links(session, qid)
            retire_question(session, qid, now)
            reseal_pack(session, place.pack_pk, now)
        return Outcome(links.revises[1] if links.revises else None, Change.QUESTIONS | Change.PACKS)

    # ------------------------------------------------------------------ importing
    def preview_import(self, path: Path, format: str | None = None) -> ImportPreview:
        """See :func:`studyapp.services.packs.library_import.preview_import`."""
        return preview_import(self.profile, path, format)

    def import_file(
        self,
        path: Path,
        *,
        format: str | None = None,
        expected_pack: str | None = None,
        category_skills: Mapping[str, str | None] | None = None,
        progress: Progress = _quiet,
    ) -> Outcome[ImportReport]:
        """See :func:`studyapp.services.packs.library_import.import_file`."""
        return import_file(
            self.profile,
            path,
            format=format,
            expected_pack=expected_pack,
            category_skills=category_skills,
            progress=progress,
        )
