"""Reading SQLite's own error codes, so the app can say *why* a write or a check failed.

Python's ``sqlite3`` exceptions carry SQLite's result code (``sqlite_errorcode``, Python
3.11+). The primary code is its low byte: extended codes such as ``SQLITE_IOERR_WRITE``
share it with their family. Deciding on codes, not on message text, keeps this working
across SQLite versions and locales.
"""

from __future__ import annotations

import sqlite3

# The files are not a database, or pages inside are inconsistent: damage, not a passing state.
CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

_WRITE_FAILURES = {
    sqlite3.SQLITE_FULL: (
        "the disk is full (or the database reached its size limit); free some space on "
        "that drive and try again"
    ),
    sqlite3.SQLITE_READONLY: (
        "the database file or its folder is read-only; check its permissions, or that the "
        "drive is not write-protected, and try again"
    ),
    sqlite3.SQLITE_IOERR: (
        "the disk reported an input/output error; check that the drive is still connected "
        "and healthy, then try again"
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "a file beside the database could not be created (the folder may be read-only or "
        "the disk full); check the folder and try again"
    ),
    sqlite3.SQLITE_PERM: (
        "the system refused access to the database file; check its permissions and try again"
    ),
}


def primary_code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code of ``exc``, or None if it is not an SQLite error."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_corruption(exc: BaseException | None) -> bool:
    """True when ``exc`` says the file is damaged or not a database at all."""
    return primary_code(exc) in CORRUPTION_CODES


def write_failure_reason(exc: BaseException | None) -> str | None:
    """A plain-language reason when ``exc`` is a failed write caused by the environment.

    None for anything else (a constraint violation, a bug): those are not the disk's fault
    and must not be dressed up as such.
    """
    code = primary_code(exc)
    return None if code is None else _WRITE_FAILURES.get(code)
