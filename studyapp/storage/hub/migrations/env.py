"""Alembic environment of the hub's chain: always run with a live connection.

:func:`studyapp.storage.hub.schema.upgrade` puts the connection in
``config.attributes``. The version table is ``studyhub.alembic_version``, so the hub's
chain never meets the profile's.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table="alembic_version",
    version_table_schema="studyhub",
)
with context.begin_transaction():
    context.run_migrations()
