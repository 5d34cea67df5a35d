"""A cheap fingerprint of what Home's figures are computed from, read with plain ``sqlite3``.

Home's persisted summary (:mod:`studyapp.services.study.home_summary`) may be shown at start-up
only for the database state it describes. This fingerprint is that state, read in a few
milliseconds to a few tens on a profile of a million answers, without SQLAlchemy (the
GUI reads it before the heavy modules are loaded):

- the schema revision;
- the review log: its row count and its newest row (id, time, rating, result), so a new
  answer, an undone one, and an undone one answered again all change it;
- the questions per (skill area, retired) with their count and highest id (one pass over
  a covering index): an import, a removal, a new revision, a retirement or a question
  moved to another skill area changes it;
- the memory states: count and sums of reps, lapses, suspended and leech flags, and the
  latest due time (one pass over a narrow table);
- every row of the small tables: packs (key, version, content hash, update time),
  frameworks, categories, skill areas and settings.

Anything that changes Home's figures goes through one of these. Opening is read-only and
sets no pragma: reading it can never write to the database.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

_QUERIES = (
    "SELECT version_num FROM alembic_version",
    "SELECT count(*) FROM review_log",
    "SELECT id, answered_at, rating, correct, question_id FROM review_log ORDER BY id DESC LIMIT 1",
    "SELECT skill_area_id, retired, count(*), max(id) FROM question "
    "INDEXED BY ix_question_skill_retired GROUP BY skill_area_id, retired",
    "SELECT count(*), total(reps), total(lapses), total(suspended), total(leech), max(due) "
    "FROM memory_state",
    "SELECT key, version, content_hash, updated_at FROM pack ORDER BY key",
    "SELECT * FROM framework ORDER BY id",
    "SELECT * FROM category ORDER BY id",
    "SELECT * FROM skill_area ORDER BY id",
    "SELECT key, value FROM setting ORDER BY key",
)


def database_fingerprint(path: Path) -> str | None:
    """A hex digest of the state above, or None when the file cannot tell (missing,
    empty, not a database, an older schema, locked).

    None never matches a stored fingerprint, so a summary is then simply not shown.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    digest = hashlib.sha256()
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=1.0)) as conn:
            for sql in _QUERIES:
                digest.update(sql.encode())
                for row in conn.execute(sql):
                    digest.update(repr(row).encode())
                    digest.update(b"\n")
    except sqlite3.Error:
        return None
    return digest.hexdigest()
