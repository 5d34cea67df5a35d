"""What a member's or facilitator's app reads and writes in the hub.

Every function is one transaction, so a dropped connection leaves the hub as it was
before the call and the call can simply be made again (a sync resumes by repeating it):

- :func:`write_card` is an idempotent upsert keyed by (group, login): the row changes,
  and its ``version`` goes up by one, only when the card's content digest differs. The
  same push twice changes nothing.
- :func:`publish_pack` replaces the file of that name; :func:`fetch_pack` returns bytes
  the caller checks against the published digest.

Which rows each login sees is decided by PostgreSQL's policies (see the hub schema), not
here: these queries ask for "the group's cards" and get what the login may read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from studyapp.domain.group import ExamCard, GroupError
from studyapp.storage.hub.compact import SittingRow, encode_exam
from studyapp.storage.hub.connect import HubAddress, describe, transaction


@dataclass(frozen=True, slots=True)
class HubCards:
    """The cards a login may read in full, and the other sittings it may see anonymously."""

    cards: tuple[tuple[dict[str, Any], list[SittingRow]], ...]
    """(card row without its sittings, its sitting rows in order) per card."""
    sittings: tuple[list[SittingRow], ...]
    """The other members' sitting rows, one list per (unnamed) card."""


def _state(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def _open(conn: Connection, address: HubAddress, name: str | None) -> tuple[int, str, Any]:
    """(id, name, record) of the group ``name`` (joining it as a member), or of the one
    group this login sees when no name is given."""
    if name is None:
        rows = conn.execute(text("SELECT id, name, record FROM studyhub.groups ORDER BY name"))
        found = rows.all()
        if len(found) == 1:
            return int(found[0][0]), str(found[0][1]), found[0][2]
        if not found:
            raise GroupError(
                f"Your login is in no group on the hub {address.where} yet; add the group's "
                "name to the address (…?group=NAME), as the facilitator gave it."
            )
        names = ", ".join(str(r[1]) for r in found)
        raise GroupError(
            f"Your login is in several groups on the hub {address.where} ({names}); add the "
            "one you mean to the address (…?group=NAME)."
        )
    try:
        with conn.begin_nested():
            row = conn.execute(
                text("SELECT id, record FROM studyhub.open_group(:n)"), {"n": name}
            ).one()
    except DBAPIError as exc:
        if _state(exc) == "P0002":
            raise GroupError(
                f"The hub {address.where} has no group named {name!r}; check the address "
                "the facilitator gave you."
            ) from None
        if _state(exc) == "42501":
            raise GroupError(
                f"Your login {address.user or '(default)'} is not a member of the hub "
                f"{address.where}; ask its administrator to add you."
            ) from None
        if _state(exc) in ("3F000", "42P01", "42883"):
            raise GroupError(
                f"{address.where} is not a StudyApp group hub (ask its administrator to run "
                "'studyapp group hub init')."
            ) from None
        raise
    return int(row[0]), name, row[1]


def read_group(address: HubAddress) -> tuple[str, Any]:
    """The group's name and record (a member login joins the group it names)."""
    with transaction(address) as conn:
        _gid, name, record = _open(conn, address, address.group)
    return name, record


def create_group(address: HubAddress, name: str, record: dict[str, Any]) -> None:
    """Create the group ``name`` led by this login (a facilitator login)."""
    try:
        with transaction(address) as conn:
            conn.execute(
                text("INSERT INTO studyhub.groups (name, record) VALUES (:n, CAST(:r AS jsonb))"),
                {"n": name, "r": json.dumps(record)},
            )
    except GroupError as exc:
        cause = exc.__cause__
        if isinstance(cause, IntegrityError):
            raise GroupError(
                f"The hub {address.where} already has a group named {name!r}; join it, or "
                "choose another name."
            ) from None
        if isinstance(cause, DBAPIError) and _state(cause) == "42501":
            raise GroupError(
                f"Only a facilitator login can create a group on the hub {address.where}; "
                "ask its administrator ('studyapp group hub add-facilitator')."
            ) from None
        raise


def write_group(address: HubAddress, name: str, record: dict[str, Any]) -> None:
    """Replace the group's record (its leader only: the policy refuses anyone else)."""
    with transaction(address) as conn:
        done = conn.execute(
            text(
                "UPDATE studyhub.groups SET record = CAST(:r AS jsonb), updated_at = now() "
                "WHERE name = :n"
            ),
            {"n": name, "r": json.dumps(record)},
        )
        if done.rowcount != 1:
            raise GroupError(f"Only the leader of {name} can change it on the hub.")


def publish_pack(address: HubAddress, name: str, file: str, data: bytes, sha256: str) -> None:
    """Store a pack file in the group (replacing one of the same name)."""
    with transaction(address) as conn:
        gid, _name, _record = _open(conn, address, name)
        conn.execute(
            text(
                "INSERT INTO studyhub.packs (group_id, file, sha256, data) "
                "VALUES (:g, :f, :s, :d) ON CONFLICT (group_id, file) "
                "DO UPDATE SET sha256 = EXCLUDED.sha256, data = EXCLUDED.data"
            ),
            {"g": gid, "f": file, "s": sha256, "d": data},
        )


def fetch_pack(address: HubAddress, name: str, file: str) -> tuple[str, bytes] | None:
    """(sha256, bytes) of a published pack file, or None if the group has no such file."""
    with transaction(address) as conn:
        gid, _name, _record = _open(conn, address, name)
        row = conn.execute(
            text("SELECT sha256, data FROM studyhub.packs WHERE group_id = :g AND file = :f"),
            {"g": gid, "f": file},
        ).first()
    return None if row is None else (str(row[0]), bytes(row[1]))


# A card is its row (everything but the sittings) plus its sitting rows, as separate rows
# of a LEFT JOIN put together here (the server neither aggregates nor re-concatenates
# 1,000 sittings into new values); ``:codes`` (NULL: all) keeps the sittings of those
# codes only, chosen by the server, so a screen showing one exam reads one exam's rows.
_CARDS = """
SELECT c.owner, c.card, s.position, s.code, s.raw, s.length, s.submitted_at, s.questions,
    s.chosen, s.correct, s.exam
FROM studyhub.cards c
LEFT JOIN studyhub.sittings s ON s.group_id = c.group_id AND s.owner = c.owner
    AND (CAST(:codes AS text[]) IS NULL OR s.code = ANY (CAST(:codes AS text[])))
WHERE c.group_id = :g
"""  # no ORDER BY (a sort of 1,000 cards spills to disk): rows are grouped by owner here
_SITTINGS = """
SELECT n, position, code, raw, length, submitted_at, questions, chosen, correct, exam
FROM studyhub.group_sittings(:g, CAST(:codes AS text[]))
"""  # the columns of SittingRow, in its order
# How many sittings of each code were shared: the ones this login reads (its own, or
# every card's for the leader) and the others' it may see anonymously, counted in the
# server so that no exam's answers leave it for a count.
_SAT = """
SELECT code, sum(sat) FROM (
    SELECT s.code, 1 AS sat FROM studyhub.sittings s WHERE s.group_id = :g
    UNION ALL
    SELECT o.code, o.sat FROM studyhub.group_sitting_counts(:g) AS o
) AS t WHERE code IS NOT NULL GROUP BY code
"""


def _by_position(rows: list[SittingRow]) -> list[SittingRow]:
    return sorted(rows, key=lambda r: r.position if isinstance(r.position, int) else 0)


def _read(conn: Connection, params: dict[str, Any], sittings: bool) -> HubCards:
    cards: dict[str, tuple[dict[str, Any], list[SittingRow]]] = {}
    for owner, card, *columns in conn.execute(text(_CARDS), params):
        if not isinstance(card, dict):
            continue
        _head, rows = cards.setdefault(owner, (card, []))
        if columns[0] is not None:  # position: NULL when the card has no such sitting
            rows.append(SittingRow(*columns))
    found = tuple((head, _by_position(rows)) for head, rows in cards.values())
    others: dict[int, list[SittingRow]] = {}
    if sittings:
        for n, *columns in conn.execute(text(_SITTINGS), params):
            others.setdefault(int(n), []).append(SittingRow(*columns))
    return HubCards(found, tuple(_by_position(others[n]) for n in sorted(others)))


def read_cards(
    address: HubAddress, name: str, sittings: bool = True, codes: list[str] | None = None
) -> HubCards:
    """The cards this login may read, and (``sittings``) the others' sittings it may see
    anonymously; ``codes``: only the exam sittings of these codes (None: all)."""
    with transaction(address) as conn:
        gid, _name, _record = _open(conn, address, name)
        return _read(conn, {"g": gid, "codes": codes}, sittings)


def read_view(
    address: HubAddress, name: str, pick: Callable[[Any], list[str]]
) -> tuple[Any, HubCards, dict[str, int]]:
    """One refresh of the Group screen in one connection and one transaction: the group
    record, the cards with the sittings of the codes ``pick(record)`` chooses, and the
    number of sittings of every code."""
    with transaction(address) as conn:
        gid, _name, record = _open(conn, address, name)
        params: dict[str, Any] = {"g": gid, "codes": pick(record)}
        sat = {str(r[0]): int(r[1]) for r in conn.execute(text(_SAT), params)}
        read = _read(conn, params, sittings=True)
    return record, read, sat


_INSERT_SITTING = text(
    "INSERT INTO studyhub.sittings (group_id, position, code, raw, length, submitted_at, "
    "questions, chosen, correct) VALUES (:g, :position, :code, :raw, :length, :submitted_at, "
    ":questions, :chosen, :correct)"
)


def write_card(
    address: HubAddress,
    name: str,
    member_id: str,
    card: dict[str, Any],
    exams: Sequence[ExamCard],
    digest: str,
) -> int:
    """Push this login's card (``card`` without its exams, ``exams`` stored as compact
    sitting rows); the same digest twice changes nothing. Returns the version."""
    with transaction(address) as conn:
        gid, _name, _record = _open(conn, address, name)
        head = {k: v for k, v in card.items() if k != "exams"}
        changed = conn.execute(
            text(
                "INSERT INTO studyhub.cards (group_id, member_id, digest, card) "
                "VALUES (:g, :m, :d, CAST(:c AS jsonb)) "
                "ON CONFLICT (group_id, owner) DO UPDATE SET member_id = EXCLUDED.member_id, "
                "digest = EXCLUDED.digest, card = EXCLUDED.card, "
                "version = studyhub.cards.version + 1, written_at = now() "
                "WHERE studyhub.cards.digest <> EXCLUDED.digest RETURNING version"
            ),
            {"g": gid, "m": member_id, "d": digest, "c": json.dumps(head)},
        ).first()
        if changed is not None:  # new or different: its sittings follow, in this transaction
            conn.execute(
                text("DELETE FROM studyhub.sittings WHERE group_id = :g AND owner = current_user"),
                {"g": gid},
            )
            rows = [
                {**encode_exam(exam), "g": gid, "position": n}
                for n, exam in enumerate(exams, start=1)
            ]
            if rows:
                conn.execute(_INSERT_SITTING, rows)
        version = conn.execute(
            text("SELECT version FROM studyhub.cards WHERE group_id = :g AND owner = current_user"),
            {"g": gid},
        ).scalar_one()
    return int(version)


def remove_card(address: HubAddress, name: str) -> None:
    """Take this login's card out of the group."""
    with transaction(address) as conn:
        gid, _name, _record = _open(conn, address, name)
        conn.execute(
            text("DELETE FROM studyhub.cards WHERE group_id = :g AND owner = current_user"),
            {"g": gid},
        )


__all__ = [
    "HubCards",
    "create_group",
    "describe",
    "fetch_pack",
    "publish_pack",
    "read_cards",
    "read_group",
    "read_view",
    "remove_card",
    "write_card",
    "write_group",
]
