"""Installing a pack version: its framework, questions, options, tags and media.

Listing, removing and reading packs back is :mod:`studyapp.storage.packs`.
:func:`apply_pack` is called inside one unit of work: when anything fails the caller's
transaction rolls back and the database is as it was. Questions are matched by
(pack, stable id), so a newer pack version keeps each question's row id, and with it the
question's memory state and history.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from studyapp.domain.errors import PackError
from studyapp.domain.media import sniff_image_type
from studyapp.domain.pack import ImportReport, Pack
from studyapp.domain.pack_update import (
    IncomingPack,
    InstalledCopy,
    PackAction,
    decide_pack_update,
)
from studyapp.domain.question import Question, Reference
from studyapp.storage.frameworks import upsert_framework
from studyapp.storage.models import (
    FrameworkRow,
    MediaRow,
    PackRow,
    QuestionRow,
    SkillAreaRow,
)
from studyapp.storage.types import JSONText, to_millis

Progress = Callable[[int, int, str], None]
_BATCH = 500


def _noop(_done: int, _total: int, _text: str = "") -> None:
    return None


def _skill_ids(session: Session, framework_id: int) -> dict[str, int]:
    rows = session.execute(
        select(SkillAreaRow.key, SkillAreaRow.title, SkillAreaRow.id).where(
            SkillAreaRow.framework_id == framework_id
        )
    )
    out: dict[str, int] = {}
    for key, title, sid in rows:
        out[key.casefold()] = sid
        out[title.casefold()] = sid
    return out


def apply_pack(
    session: Session,
    pack: Pack,
    *,
    origin: str,
    now: datetime,
    allow_downgrade: bool = False,
    progress: Progress = _noop,
    skipped_items: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
    question_hashes: Sequence[str] | None = None,
) -> ImportReport:
    """Install or update ``pack`` in the session's transaction and report what changed.

    Whether to install, update, leave unchanged, downgrade or refuse is decided by
    :func:`studyapp.domain.pack_update.decide_pack_update`; this function carries it out
    (a refusal raises :class:`PackError` with the decision's reason, nothing written).

    ``question_hashes`` are the questions' ``content_hash()`` in order when the caller has
    them (computed once, they serve the pack's hash and the stored rows alike).
    """
    m = pack.manifest
    hashes = (
        list(question_hashes)
        if question_hashes is not None
        else [q.content_hash() for q in pack.questions]
    )
    if len(hashes) != len(pack.questions):
        raise ValueError(f"{len(hashes)} hashes for {len(pack.questions)} questions")
    if pack.framework is not None:
        upsert_framework(session, pack.framework)
    fw_id = session.scalar(select(FrameworkRow.id).where(FrameworkRow.key == m.framework))
    if fw_id is None:
        raise PackError(f"{m.id}: framework {m.framework!r} is not installed.")
    content_hash = pack.content_hash(hashes)
    row = session.scalar(select(PackRow).where(PackRow.key == m.id))
    installed = (
        None if row is None else InstalledCopy(row.version, row.content_hash, row.title, row.origin)
    )
    incoming = IncomingPack(m.id, m.version, content_hash, m.title, origin)
    decision = decide_pack_update(incoming, installed, allow_downgrade=allow_downgrade)
    if decision.action is PackAction.REFUSE:
        raise PackError(decision.reason)
    previous = row.version if row is not None else None
    status = str(decision.action)
    if row is not None and decision.action is PackAction.UNCHANGED:
        if decision.record_file:
            # The same content under its canonical version (a content-derived one, or one
            # written by an older StudyApp) or a new title: record the file now imported.
            row.version, row.title, row.manifest = m.version, m.title, m.to_dict()
        unchanged = session.scalar(
            select(func.count())
            .select_from(QuestionRow)
            .where(QuestionRow.pack_id == row.id, QuestionRow.retired.is_(False))
        )
        return ImportReport(
            m.id,
            m.version,
            previous,
            status,
            unchanged=unchanged or 0,
            skipped=len(skipped_items),
            skipped_items=skipped_items,
            warnings=warnings,
        )
    if row is not None:
        row.version, row.title, row.description = m.version, m.title, m.description
        row.authors, row.license, row.created = list(m.authors), m.license, m.created
        row.framework_id, row.content_hash, row.updated_at = fw_id, content_hash, now
        row.format_version, row.manifest, row.source_format = (
            m.format_version,
            m.to_dict(),
            pack.source_format,
        )
    else:
        row = PackRow(
            key=m.id,
            version=m.version,
            title=m.title,
            description=m.description,
            authors=list(m.authors),
            license=m.license,
            framework_id=fw_id,
            format_version=m.format_version,
            content_hash=content_hash,
            origin=origin,
            source_format=pack.source_format,
            created=m.created,
            installed_at=now,
            updated_at=now,
            manifest=m.to_dict(),
        )
        session.add(row)
    session.flush()
    with _as_sqlalchemy_errors():
        done = _apply_questions(
            session,
            row.id,
            m.id,
            pack.questions,
            hashes,
            _skill_ids(session, fw_id),
            now,
            progress,
        )
        _take_over(session, done.taken_over, now)
    skipped_items = (*skipped_items, *done.twins)
    if done.taken_over:
        n = len(done.taken_over)
        warnings = (
            *warnings,
            f"{n} question{'s' if n != 1 else ''} of an exported selection now come from this "
            "pack (progress kept); the selection's copies are retired.",
        )
    session.execute(delete(MediaRow).where(MediaRow.pack_id == row.id))
    if pack.media:
        session.execute(
            insert(MediaRow),
            [
                {
                    "pack_id": row.id,
                    "name": name,
                    "sha256": _sha(data),
                    "mime": _mime(data),
                    "data": data,
                }
                for name, data in pack.media.items()
            ],
        )
    session.flush()
    return ImportReport(
        m.id,
        m.version,
        previous,
        status,
        done.added,
        done.updated,
        done.retired,
        done.unchanged,
        skipped=len(skipped_items),
        skipped_items=skipped_items,
        warnings=warnings,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mime(data: bytes) -> str:
    return sniff_image_type(data) or "application/octet-stream"


@dataclass(slots=True)
class _Existing:
    id: int
    content_hash: str
    revision: int
    retired: bool


# Plain driver SQL for the bulk work of an import: ``executemany`` binds each row in C,
# where SQLAlchemy spent ~50 µs of Python per question (and inserted questions one
# statement at a time to get their ids back). Column order follows models.QuestionRow.
# After (id, pack_id, key, created_at), the insert takes the update's columns in the
# update's order, so one tuple of a question's content serves both (see _apply_questions).
_INSERT_QUESTION = (
    "INSERT INTO question (id, pack_id, key, created_at, skill_area_id, qtype, stem, "
    'explanation, difficulty, "references", revision, content_hash, updated_at, title, '
    "retired, revises_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)"
)
_UPDATE_QUESTION = (
    "UPDATE question SET skill_area_id = ?, qtype = ?, stem = ?, explanation = ?, "
    'difficulty = ?, "references" = ?, revision = ?, retired = 0, content_hash = ?, '
    "updated_at = ?, title = ? WHERE id = ?"
)
_RETIRE_QUESTION = "UPDATE question SET retired = 1, updated_at = ? WHERE id = ?"
_INSERT_OPTION = (
    'INSERT INTO "option" (question_id, key, position, text, correct, rationale) '
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_INSERT_TAG = "INSERT INTO question_tag (question_id, tag) VALUES (?, ?)"
_DELETE_OPTIONS = 'DELETE FROM "option" WHERE question_id = ?'
_DELETE_TAGS = "DELETE FROM question_tag WHERE question_id = ?"


def _driver(session: Session) -> sqlite3.Connection:
    """The session's own SQLite connection, inside its transaction."""
    return cast(sqlite3.Connection, session.connection().connection.driver_connection)


@contextmanager
def _as_sqlalchemy_errors() -> Iterator[None]:
    """Driver errors raised as SQLAlchemy raises them for every other statement (a
    ``DBAPIError`` with the driver's error as ``orig``), so ``Database.unit_of_work``
    reports a full disk or a read-only file for these writes too."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DBAPIError.instance(None, None, exc, sqlite3.Error) from exc


_INSTALLED_ELSEWHERE = (
    "SELECT q.content_hash, p.key, q.key, q.id FROM question q JOIN pack p ON p.id = q.pack_id "
    "WHERE q.pack_id != ? AND q.retired = 0 AND p.origin != 'user'"
)
# The id ``pack export`` gives a selection (``<pack>-sel-<8 hex>``, docs/pack-format.md).
_SELECTION_ID = re.compile(r"-sel-[0-9a-f]{8}$")


def is_selection(pack_key: str) -> bool:
    """Whether a pack id is one ``pack export`` gives a selection of questions."""
    return _SELECTION_ID.search(pack_key) is not None


def _installed_elsewhere(conn: sqlite3.Connection, pack_id: int) -> dict[str, tuple[str, str, int]]:
    """Content hash -> (pack id, question id, row id) of the active questions of other packs,
    a question of a full pack preferred over its copy in a selection.

    The user's own questions are left out: a revision of an imported question stands in
    for the original on purpose (decision 0008).
    """
    out: dict[str, tuple[str, str, int]] = {}
    for h, pack_key, key, row_id in conn.execute(_INSTALLED_ELSEWHERE, (pack_id,)):
        if h not in out or (is_selection(out[h][0]) and not is_selection(pack_key)):
            out[h] = (pack_key, key, row_id)
    return out


@dataclass(frozen=True, slots=True)
class _Applied:
    """What :func:`_apply_questions` did, for the report."""

    added: int
    updated: int
    retired: int
    unchanged: int
    twins: list[str]  # skipped: already installed in another pack
    taken_over: list[tuple[int, int]]  # (selection's row id, this pack's row id)


def _apply_questions(
    session: Session,
    pack_id: int,
    pack_key: str,
    questions: Sequence[Question],
    hashes: Sequence[str],
    skills: dict[str, int],
    now: datetime,
    progress: Progress,
) -> _Applied:
    """Insert, update and retire the pack's questions, ``_BATCH`` questions at a time.

    New questions get their ids here (the next free ones, as SQLite would assign them;
    the transaction already holds the write lock), so options and tags are inserted
    without reading anything back. ``progress`` is called after every batch.

    A question this pack does not hold yet that is identical to an active question of
    another pack (same content hash: a selection exported from a pack, the same file
    under two names) is not added, so no question is practised twice. Except when that
    other pack is a selection and this one is not: then this pack's question is added
    and takes the selection's copy over (see :func:`_take_over`).
    """
    conn = _driver(session)
    elsewhere = _installed_elsewhere(conn, pack_id)
    twins: list[str] = []
    taken_over: list[tuple[int, int]] = []
    selection = is_selection(pack_key)
    existing = {
        key: _Existing(qid, h, rev, bool(retired))
        for key, qid, h, rev, retired in conn.execute(
            "SELECT key, id, content_hash, revision, retired FROM question WHERE pack_id = ?",
            (pack_id,),
        )
    }
    json_text = JSONText()
    refs_text: dict[tuple[Reference, ...], str] = {}
    dialect = session.get_bind().dialect
    stamp = to_millis(now)
    total = len(questions)
    added = updated = unchanged = 0
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM question").fetchone()[0])
    for start in range(0, total, _BATCH):
        new_rows: list[tuple[Any, ...]] = []
        changed_rows: list[tuple[Any, ...]] = []
        children: list[tuple[int, Question]] = []
        for q, h in zip(
            questions[start : start + _BATCH], hashes[start : start + _BATCH], strict=True
        ):
            old = existing.pop(q.id, None)
            if old is not None and (
                old.content_hash == h and old.revision == q.revision and not old.retired
            ):
                unchanged += 1
                continue
            twin = elsewhere.get(h) if old is None or old.retired else None
            if twin is not None and is_selection(twin[0]) and not selection:
                take_from, twin = twin[2], None
            else:
                take_from = None
            if twin is not None:
                if old is not None:
                    existing[q.id] = old  # stays retired
                twins.append(
                    f"{q.id}: already installed as question {twin[1]} of pack {twin[0]}; "
                    "not added twice."
                )
                continue
            skill_id = skills.get(q.skill.casefold()) if q.skill else None
            refs = refs_text.get(q.references)
            if refs is None:  # a pack's questions mostly share a few reference lists
                refs = cast(
                    str, json_text.process_bind_param([r.to_dict() for r in q.references], dialect)
                )
                refs_text[q.references] = refs
            content = (
                skill_id,
                q.type,
                q.stem,
                q.explanation,
                q.difficulty,
                refs,
                q.revision,
                h,
                stamp,
                q.title,
            )
            if old is None:
                qid, next_id = next_id, next_id + 1
                new_rows.append((qid, pack_id, q.id, stamp, *content))
                added += 1
            else:
                qid = old.id
                changed_rows.append((*content, qid))
                updated += 1
            if take_from is not None:
                taken_over.append((take_from, qid))
            children.append((qid, q))
        if changed_rows:
            conn.executemany(_UPDATE_QUESTION, changed_rows)
            gone = [(row[-1],) for row in changed_rows]
            conn.executemany(_DELETE_OPTIONS, gone)
            conn.executemany(_DELETE_TAGS, gone)
        if new_rows:
            conn.executemany(_INSERT_QUESTION, new_rows)
        if children:
            _insert_children(conn, children)
        progress(min(start + _BATCH, total), total, "Storing questions")
    stale = [(stamp, old.id) for old in existing.values() if not old.retired]
    for chunk in _chunks(stale, _BATCH):
        conn.executemany(_RETIRE_QUESTION, chunk)
    progress(total, total, "Questions stored")
    return _Applied(added, updated, len(stale), unchanged, twins, taken_over)


def _take_over(session: Session, pairs: list[tuple[int, int]], now: datetime) -> None:
    """A full pack's question replaces its copy in a selection: the copy's memory state
    moves to it (progress kept) and the copy is retired (its history stays with it)."""
    conn = _driver(session)
    stamp = to_millis(now)
    for old, new in pairs:
        conn.execute(
            "UPDATE memory_state SET question_id = ? WHERE question_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM memory_state WHERE question_id = ?)",
            (new, old, new),
        )
        conn.execute(_RETIRE_QUESTION, (stamp, old))


def _insert_children(conn: sqlite3.Connection, rows: list[tuple[int, Question]]) -> None:
    """The options and tags of questions whose rows are written (ids known)."""
    conn.executemany(
        _INSERT_OPTION,
        [
            (qid, o.id, pos, o.text, o.correct, o.rationale)
            for qid, q in rows
            for pos, o in enumerate(q.options)
        ],
    )
    conn.executemany(_INSERT_TAG, [(qid, t) for qid, q in rows for t in dict.fromkeys(q.tags)])


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
