"""Persistence: the only package that imports SQLAlchemy and Alembic.

Services talk to it through :class:`~studyapp.storage.database.Database` and the
repositories; they receive frozen domain dataclasses, never ORM objects.
"""
