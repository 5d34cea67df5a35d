"""study counters: last answer, wrong answers and first attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Planning needs each question's last result and wrong-answer count (for "missed only"
practice and leech detection), and mastery needs to know which answers were first
attempts. Existing rows are back-filled from the review log.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("memory_state") as batch:
        batch.add_column(sa.Column("last_correct", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("wrong_count", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("review_log") as batch:
        batch.add_column(
            sa.Column("first_attempt", sa.Boolean(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE review_log SET first_attempt = 1 WHERE id IN "
        "(SELECT MIN(id) FROM review_log WHERE question_id IS NOT NULL GROUP BY question_id)"
    )
    op.execute(
        "UPDATE memory_state SET "
        "wrong_count = (SELECT COUNT(*) FROM review_log r "
        "  WHERE r.question_id = memory_state.question_id AND r.correct = 0), "
        "last_correct = (SELECT r.correct FROM review_log r "
        "  WHERE r.question_id = memory_state.question_id ORDER BY r.id DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("review_log") as batch:
        batch.drop_column("first_attempt")
    with op.batch_alter_table("memory_state") as batch:
        batch.drop_column("wrong_count")
        batch.drop_column("last_correct")
