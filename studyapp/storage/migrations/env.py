"""Alembic environment: always run programmatically with a live connection.

:mod:`studyapp.storage.migrate` puts the connection in ``config.attributes``; no
``alembic.ini`` or database URL is needed at run time.
"""

from __future__ import annotations

from alembic import context

from studyapp.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
