"""Helpers for the reliability tests: read a database file's rows, damage its pages."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import select

from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.storage.models import MemoryStateRow, PackRow, QuestionRow
from tests.packs.factory import pack, question


def rows_of(path: Path) -> list[str]:
    """Every row of every table as SQL text, read-only (the file's observable content)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def count(path: Path, sql: str) -> int:
    """One integer from a read-only query."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return int(conn.execute(sql).fetchone()[0])


def journal_mode(path: Path) -> str:
    """The journal mode stamped in the file's header (read-only)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def sha(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(profile, n: int = 120, *, pack_id: str = "test-pack", version: str = "1.0.0"):
    """Import a pack of ``n`` questions so the database spans many pages."""
    qs = [question(f"{pack_id}-q{i}", stem=f"Case {i}: " + "context " * 40) for i in range(n)]
    return PackService(profile).apply(pack(qs, pack_id=pack_id, version=version)).value


def damage_middle_pages(path: Path, pages: int = 3) -> None:
    """Overwrite ``pages`` whole pages in the middle of the file with 0xFF bytes.

    The file must be checkpointed (profile closed). B-tree pages full of 0xFF have an
    invalid page type, so SQLite's checks report them.
    """
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    n = len(data) // page_size
    assert n >= pages + 4, f"database too small to damage its middle ({n} pages)"
    first = n // 2 - pages // 2
    with path.open("r+b") as fh:
        fh.seek(first * page_size)
        fh.write(b"\xff" * (page_size * pages))


def damage_table_pages(path: Path, table: str, pages: int = 3) -> None:
    """Overwrite ``pages`` leaf pages from the middle of ``table``'s b-tree with 0xFF bytes.

    Unlike :func:`damage_middle_pages`, where the damage lands does not depend on how big
    the other tables are (the shipped bank grows and changes): a test that needs opening
    to succeed and only a full check to find the damage picks a table opening never reads.
    """
    with closing(sqlite3.connect(path)) as conn:
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        leaves = [
            n
            for (n,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            )
        ]
    assert len(leaves) >= pages + 2, f"table {table} too small to damage ({len(leaves)} pages)"
    first = len(leaves) // 2 - pages // 2
    with path.open("r+b") as fh:
        for pageno in leaves[first : first + pages]:
            fh.seek((pageno - 1) * page_size)
            fh.write(b"\xff" * page_size)


def remember(profile: Profile, pack_id: str, key: str) -> int:
    """Give a question a memory state (as answering it would); returns its row id."""
    now = profile.clock.now()
    with profile.db.unit_of_work() as s:
        qid = s.scalar(
            select(QuestionRow.id)
            .join(PackRow)
            .where(PackRow.key == pack_id, QuestionRow.key == key)
        )
        s.add(
            MemoryStateRow(
                question_id=qid,
                fsrs_state=2,
                step=None,
                stability=7.5,
                difficulty=4.0,
                due=now,
                last_review=now,
                reps=1,
                lapses=0,
                first_seen=now,
            )
        )
    return int(qid)
