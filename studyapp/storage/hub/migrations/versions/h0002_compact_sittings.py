"""compact sittings: a sitting's answers in three columns instead of one JSON object per
question; the anonymous sittings and their counts for members in that form

Revision ID: h0002
Revises: h0001
Create Date: 2026-12-07

Why: the Group screen of a 1,000-member group read 1,000 sittings of ~9 KB of jsonb each
and decoded 100,000 JSON objects (see ``docs/performance.md``). The columns are those of
:mod:`studyapp.storage.hub.compact`.

Upgrading keeps every sitting: each ``exam`` document that reads as a sitting (the
domain's check, as every reader applies it) is converted and its ``exam`` set to NULL;
one that does not keeps its ``exam`` unchanged, and readers refuse it exactly as before.
Row-level security is unchanged (the policies are on rows, the grants on the table).
``group_sittings`` returns compact rows now, and ``group_sitting_counts`` counts the
other members' sittings per code without reading their answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alembic import op
from sqlalchemy import text

revision: str = "h0002"
down_revision: str | None = "h0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GRANT_TO = "studyhub_member, studyhub_facilitator"

ADD_COLUMNS = [
    "ALTER TABLE studyhub.sittings ALTER COLUMN exam DROP NOT NULL",
    "ALTER TABLE studyhub.sittings ADD COLUMN raw integer, ADD COLUMN length integer, "
    "ADD COLUMN submitted_at text, ADD COLUMN questions text, ADD COLUMN chosen text, "
    "ADD COLUMN correct text",
]

CONSTRAINTS = [
    # A row is either a compact sitting or an old document; sizes stay bounded (far above
    # 1,000 questions) so no member can make every reader fetch megabytes.
    """ALTER TABLE studyhub.sittings ADD CONSTRAINT sitting_form CHECK (
        (exam IS NOT NULL AND chosen IS NULL) OR
        (exam IS NULL AND questions IS NOT NULL AND chosen IS NOT NULL AND correct IS NOT NULL
         AND octet_length(questions) <= 400000 AND octet_length(chosen) <= 2000000
         AND length(correct) <= 1000))""",
]

NEW_FUNCTIONS = [
    "DROP FUNCTION studyhub.group_sittings(bigint, text[])",
    # The other members' sittings in a group the caller belongs to, naming nobody: n
    # numbers their cards (by digest), one row per sitting. The leader reads the cards
    # themselves and gets nothing here.
    """CREATE FUNCTION studyhub.group_sittings(p_group bigint, p_codes text[] DEFAULT NULL)
        RETURNS TABLE (n bigint, "position" integer, code text, raw integer, length integer,
                       submitted_at text, questions text, chosen text, correct text,
                       exam jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, studyhub AS $$
        SELECT dense_rank() OVER (ORDER BY c.digest), s.position, s.code, s.raw, s.length,
               s.submitted_at, s.questions, s.chosen, s.correct, s.exam
        FROM studyhub.cards c
        JOIN studyhub.sittings s ON s.group_id = c.group_id AND s.owner = c.owner
        WHERE c.group_id = p_group AND c.owner <> session_user
          AND (p_codes IS NULL OR s.code = ANY (p_codes))
          AND EXISTS (SELECT 1 FROM studyhub.memberships m
                      WHERE m.group_id = p_group AND m.login = session_user)
    $$""",
    "REVOKE ALL ON FUNCTION studyhub.group_sittings(bigint, text[]) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION studyhub.group_sittings(bigint, text[]) TO {_GRANT_TO}",
    # How many sittings of each code the other members shared (no answers leave for it).
    """CREATE FUNCTION studyhub.group_sitting_counts(p_group bigint)
        RETURNS TABLE (code text, sat bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, studyhub AS $$
        SELECT s.code, count(*) FROM studyhub.sittings s
        WHERE s.group_id = p_group AND s.owner <> session_user
          AND EXISTS (SELECT 1 FROM studyhub.memberships m
                      WHERE m.group_id = p_group AND m.login = session_user)
        GROUP BY s.code
    $$""",
    "REVOKE ALL ON FUNCTION studyhub.group_sitting_counts(bigint) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION studyhub.group_sitting_counts(bigint) TO {_GRANT_TO}",
]

_SET_COMPACT = text(
    "UPDATE studyhub.sittings SET raw = :raw, length = :length, submitted_at = :submitted_at, "
    "questions = :questions, chosen = :chosen, correct = :correct, exam = NULL "
    "WHERE group_id = :g AND owner = :o AND position = :p"
)


def _convert() -> int:
    """Every old sitting that reads as one, converted in place; the count left as it was."""
    from studyapp.domain.group import ExamCard, GroupError
    from studyapp.storage.hub.compact import encode_exam

    conn = op.get_bind()
    rows = conn.execute(
        text("SELECT group_id, owner, position, exam FROM studyhub.sittings WHERE exam IS NOT NULL")
    ).all()
    updates: list[dict[str, Any]] = []
    kept = 0
    for group_id, owner, position, exam in rows:
        try:
            columns = encode_exam(ExamCard.from_dict(exam))
        except (GroupError, TypeError, ValueError):
            kept += 1
            continue
        updates.append({**columns, "g": group_id, "o": owner, "p": position})
        if len(updates) >= 500:
            conn.execute(_SET_COMPACT, updates)
            updates = []
    if updates:
        conn.execute(_SET_COMPACT, updates)
    return kept


def upgrade() -> None:
    for statement in ADD_COLUMNS:
        op.execute(statement)
    _convert()
    for statement in CONSTRAINTS + NEW_FUNCTIONS:
        op.execute(statement)


OLD_FUNCTION = [
    "DROP FUNCTION studyhub.group_sitting_counts(bigint)",
    "DROP FUNCTION studyhub.group_sittings(bigint, text[])",
    """CREATE FUNCTION studyhub.group_sittings(p_group bigint, p_codes text[] DEFAULT NULL)
        RETURNS TABLE (n bigint, exams jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, studyhub AS $$
        SELECT row_number() OVER (ORDER BY c.digest),
               COALESCE((SELECT jsonb_agg(s.exam ORDER BY s.position) FROM studyhub.sittings s
                         WHERE s.group_id = c.group_id AND s.owner = c.owner
                           AND (p_codes IS NULL OR s.code = ANY (p_codes))), '[]'::jsonb)
        FROM studyhub.cards c
        WHERE c.group_id = p_group AND c.owner <> session_user
          AND EXISTS (SELECT 1 FROM studyhub.memberships m
                      WHERE m.group_id = p_group AND m.login = session_user)
    $$""",
    "REVOKE ALL ON FUNCTION studyhub.group_sittings(bigint, text[]) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION studyhub.group_sittings(bigint, text[]) TO {_GRANT_TO}",
]


def downgrade() -> None:
    """Back to one document per sitting (compact rows rebuilt as ``exam``)."""
    import json

    from studyapp.domain.group import GroupError
    from studyapp.storage.hub.compact import QuestionCache, SittingRow, decode_exam

    conn = op.get_bind()
    op.execute("ALTER TABLE studyhub.sittings DROP CONSTRAINT sitting_form")
    cache = QuestionCache()
    rows = conn.execute(
        text(
            "SELECT group_id, owner, position, code, raw, length, submitted_at, questions, "
            "chosen, correct, exam FROM studyhub.sittings WHERE exam IS NULL"
        )
    ).all()
    for g, o, *rest in rows:
        try:
            exam = decode_exam(SittingRow(*rest), cache).to_dict()
        except GroupError:
            op.execute(
                text(
                    "DELETE FROM studyhub.sittings WHERE group_id = :g AND owner = :o "
                    "AND position = :p"
                ).bindparams(g=g, o=o, p=rest[0])
            )
            continue
        conn.execute(
            text(
                "UPDATE studyhub.sittings SET exam = CAST(:e AS jsonb) "
                "WHERE group_id = :g AND owner = :o AND position = :p"
            ),
            {"e": json.dumps(exam), "g": g, "o": o, "p": rest[0]},
        )
    op.execute("ALTER TABLE studyhub.sittings ALTER COLUMN exam SET NOT NULL")
    op.execute(
        "ALTER TABLE studyhub.sittings DROP COLUMN raw, DROP COLUMN length, "
        "DROP COLUMN submitted_at, DROP COLUMN questions, DROP COLUMN chosen, "
        "DROP COLUMN correct"
    )
    for statement in OLD_FUNCTION:
        op.execute(statement)
