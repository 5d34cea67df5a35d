"""question title: the name a question has in its source file

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Moodle's ``<name>`` and GIFT's ``::title::`` name a question for people; until now they
were thrown away (or only used as the id), so the Library and exports back to Moodle
showed ids such as ``h-3466b0269099``. The title is kept beside the question: empty for
questions that have none (every existing row), so no content hash changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("question", sa.Column("title", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("question") as batch:
        batch.drop_column("title")
