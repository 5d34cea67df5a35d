"""review log: one covering index for statistics

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Mastery and statistics read, per (skill, first attempt, correct), every answer's time and
the time spent (``storage.review_log.review_log_groups``). With a million answers a table scan
read every row's JSON columns too; an index holding exactly those five columns answers the
query from the index alone (cold: 3.4 s to about 1.5 s on the benchmark's large profile,
docs/performance.md). It starts with ``skill_key``, so the single-column ``skill_key``
index it replaces is dropped (one index less to maintain per answer).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["skill_key", "first_attempt", "correct", "answered_at", "response_ms"]


def upgrade() -> None:
    op.create_index("ix_review_log_facts", "review_log", COLUMNS)
    op.drop_index("ix_review_log_skill_key", table_name="review_log")


def downgrade() -> None:
    op.create_index("ix_review_log_skill_key", "review_log", ["skill_key"])
    op.drop_index("ix_review_log_facts", table_name="review_log")
