"""ORM tables. The data model is documented in ``docs/data-model.md``.

Conventions: integer surrogate primary keys ``id``; natural keys (framework id, pack id,
question id within a pack) are ``key`` columns with unique constraints; instants are
UTC milliseconds (:class:`UTCMillis`). The review log keeps a denormalised reference to its
question (``question_ref``, ``skill_key``) so that history outlives a removed pack.

Any change here needs an Alembic revision; ``tests/storage/test_migrations.py`` fails when
the models and the migration head disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from studyapp.storage.types import JSONText, UTCMillis

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with deterministic constraint names (stable migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class FrameworkRow(Base):
    """A certification framework (e.g. CETL) as loaded from its definition file."""

    __tablename__ = "framework"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONText)


class CategoryRow(Base):
    """A reporting category of a framework."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("framework_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)


class SkillAreaRow(Base):
    """A weighted skill area of a framework."""

    __tablename__ = "skill_area"
    __table_args__ = (UniqueConstraint("framework_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")


class PackRow(Base):
    """An installed question pack (one version at a time per pack id)."""

    __tablename__ = "pack"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    version: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[str]] = mapped_column(JSONText)
    license: Mapped[str] = mapped_column(Text, default="")
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="RESTRICT"))
    format_version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(16))  # shipped | imported | user | interchange
    source_format: Mapped[str] = mapped_column(String(32))
    created: Mapped[str] = mapped_column(String(32), default="")
    installed_at: Mapped[datetime] = mapped_column(UTCMillis)
    updated_at: Mapped[datetime] = mapped_column(UTCMillis)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSONText)


class QuestionRow(Base):
    """A question, identified by (pack, key); its id survives pack updates."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("pack_id", "key"),
        Index("ix_question_skill_retired", "skill_area_id", "retired"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    skill_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("skill_area.id", ondelete="SET NULL"), nullable=True
    )
    qtype: Mapped[str] = mapped_column(String(16))  # single | multiple
    stem: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    # A name for people from the source file (Moodle <name>, GIFT ::title::); "" if none.
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    references: Mapped[list[dict[str, str]]] = mapped_column(JSONText)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    # A user's own revision of an imported question points at the question it revises.
    revises_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCMillis)
    updated_at: Mapped[datetime] = mapped_column(UTCMillis)


class OptionRow(Base):
    """An answer option with its correctness and rationale."""

    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    rationale: Mapped[str] = mapped_column(Text, default="")


class QuestionTagRow(Base):
    """One tag of one question (a table, so the library can filter 100k questions fast)."""

    __tablename__ = "question_tag"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class MediaRow(Base):
    """An image shipped in a pack; stored in the database so imports stay atomic."""

    __tablename__ = "media"
    __table_args__ = (UniqueConstraint("pack_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MemoryStateRow(Base):
    """FSRS memory state and study flags of one question (absent until first seen)."""

    __tablename__ = "memory_state"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    fsrs_state: Mapped[int] = mapped_column(
        Integer
    )  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[datetime] = mapped_column(UTCMillis, index=True)
    last_review: Mapped[datetime | None] = mapped_column(UTCMillis, nullable=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCMillis, nullable=True)
    leech: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime] = mapped_column(UTCMillis)
    # Kept here (revision 0002) so planning and leech detection never scan the review log.
    last_correct: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    wrong_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class StudySessionRow(Base):
    """A practice session: what was planned and how it went."""

    __tablename__ = "study_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    skill_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCMillis)
    ended_at: Mapped[datetime | None] = mapped_column(UTCMillis, nullable=True)
    planned: Mapped[int] = mapped_column(Integer, default=0)


class ExamRow(Base):
    """A mock exam sitting; its stored elapsed time is the truth the countdown shows."""

    __tablename__ = "exam"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    blueprint: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    selection: Mapped[str] = mapped_column(String(16))
    time_limit_s: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running|paused|submitted
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    current_position: Mapped[int] = mapped_column(Integer, default=0)
    pack_versions: Mapped[dict[str, str]] = mapped_column(JSONText)
    options: Mapped[dict[str, Any]] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCMillis)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCMillis, nullable=True)
    raw_correct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scaled_score: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ExamItemRow(Base):
    """One question of a mock exam, with the order of options the user saw."""

    __tablename__ = "exam_item"
    __table_args__ = (UniqueConstraint("exam_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exam.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), nullable=True
    )
    question_ref: Mapped[str] = mapped_column(String(256))
    skill_key: Mapped[str] = mapped_column(String(64))
    option_order: Mapped[list[str]] = mapped_column(JSONText)
    chosen: Mapped[list[str] | None] = mapped_column(JSONText, nullable=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCMillis, nullable=True)
    time_ms: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class ReviewLogRow(Base):
    """Every answer ever given; the source of mastery, statistics and FSRS fitting."""

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_review_log_question_time", "question_id", "answered_at"),
        # Covers statistics' per-(skill, first attempt, correct) read (revision 0003).
        Index(
            "ix_review_log_facts",
            "skill_key",
            "first_attempt",
            "correct",
            "answered_at",
            "response_ms",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), nullable=True
    )
    question_ref: Mapped[str] = mapped_column(String(256))
    skill_key: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(UTCMillis, index=True)
    chosen: Mapped[list[str]] = mapped_column(JSONText)
    correct: Mapped[bool] = mapped_column(Boolean)
    response_ms: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))  # practice | cram | exam | drill
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating 1..4
    guessed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The learner's first answer to this question ever (revision 0002): mastery's evidence.
    first_attempt: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_session.id", ondelete="SET NULL"), nullable=True
    )
    exam_id: Mapped[int | None] = mapped_column(
        ForeignKey("exam.id", ondelete="SET NULL"), nullable=True
    )
    # Memory state before this answer (null: first sight), so "undo" restores it exactly.
    memory_before: Mapped[dict[str, Any] | None] = mapped_column(JSONText, nullable=True)


class SettingRow(Base):
    """A profile setting: a key and a JSON value."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONText)
