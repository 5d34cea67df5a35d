"""Alembic migration scripts, run programmatically by :mod:`studyapp.storage.migrate`."""
