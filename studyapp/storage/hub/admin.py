"""The IT administrator's side of the hub: create the schema once, manage logins.

The administrator connects as a role that owns the database (or a superuser) with
CREATEROLE. A member or facilitator is a PostgreSQL LOGIN role in ``studyhub_member``
or ``studyhub_facilitator``; its password is encrypted by libpq on this machine (with
the server's ``password_encryption``, SCRAM by default) and only the verifier is sent.
"""

from __future__ import annotations

import re
from typing import Literal

from sqlalchemy import Connection, text

from studyapp.domain.group import GroupError
from studyapp.storage.hub.connect import HubAddress, transaction
from studyapp.storage.hub.schema import current_revision, upgrade

Kind = Literal["member", "facilitator"]
LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")
GROUP_ROLE: dict[Kind, str] = {"member": "studyhub_member", "facilitator": "studyhub_facilitator"}


def check_login(name: str) -> str:
    """A login name as PostgreSQL keeps it unquoted-looking: lower case, short, plain."""
    if not LOGIN.match(name):
        raise GroupError(
            f"{name!r} cannot be a hub login: use lower-case letters, digits, '_', '.' or "
            "'-', starting with a letter (at most 63)."
        )
    return name


def _quote(conn: Connection, name: str) -> str:
    return str(conn.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar_one())


def _literal(conn: Connection, value: str) -> str:
    return str(conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar_one())


def _verifier(conn: Connection, name: str, password: str) -> str:
    """The password as libpq encrypts it for this server (a SCRAM verifier), so the
    plain password never travels in a statement the server might log."""
    pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    encrypted = pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"))
    return bytes(encrypted).decode("ascii")


def _require_schema(conn: Connection, address: HubAddress) -> None:
    if current_revision(conn) is None:
        raise GroupError(
            f"The database {address.where} is not a StudyApp group hub yet; run "
            "'studyapp group hub init URL' first."
        )


def init_hub(address: HubAddress) -> str:
    """Create (or bring up to date) the hub schema and group roles; the revision."""
    with transaction(address) as conn:
        upgrade(conn)
        revision = current_revision(conn)
    return revision or ""


def add_login(address: HubAddress, name: str, kind: Kind, password: str | None) -> bool:
    """Create the login ``name`` (or put an existing role in the group role); True if new.

    ``password`` None or empty: no password is set (certificate or Kerberos sites).
    """
    check_login(name)
    with transaction(address) as conn:
        _require_schema(conn, address)
        role = _quote(conn, name)
        known = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
        new = known.first() is None
        if new:
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        else:
            kind_now = conn.execute(
                text("SELECT kind FROM studyhub.people WHERE login = :n"), {"n": name}
            ).scalar()
            if kind_now is not None and kind_now != kind:
                raise GroupError(
                    f"{name} is already a {kind_now} of this hub; remove it first to change."
                )
        if password:
            secret = _verifier(conn, name, password)
            # exec_driver_sql: a verifier holds ':', which text() would read as a parameter
            conn.exec_driver_sql(f"ALTER ROLE {role} PASSWORD {_literal(conn, secret)}")
        conn.execute(text(f"GRANT {GROUP_ROLE[kind]} TO {role}"))
        conn.execute(
            text(
                "INSERT INTO studyhub.people (login, kind) VALUES (:n, :k) "
                "ON CONFLICT (login) DO NOTHING"
            ),
            {"n": name, "k": kind},
        )
    return new


def remove_login(address: HubAddress, name: str) -> None:
    """Take ``name`` out of the hub: its cards and memberships go, then its login.

    Groups it leads stay (with their cards) for the administrator to reassign.
    """
    check_login(name)
    with transaction(address) as conn:
        _require_schema(conn, address)
        kind = conn.execute(
            text("SELECT kind FROM studyhub.people WHERE login = :n"), {"n": name}
        ).scalar()
        if kind is None:
            raise GroupError(f"{name} is not a login of this group hub.")
        conn.execute(text("DELETE FROM studyhub.cards WHERE owner = :n"), {"n": name})
        conn.execute(text("DELETE FROM studyhub.memberships WHERE login = :n"), {"n": name})
        conn.execute(text("DELETE FROM studyhub.people WHERE login = :n"), {"n": name})
        leads = conn.execute(
            text("SELECT count(*) FROM studyhub.groups WHERE leader = :n"), {"n": name}
        ).scalar_one()
        role = _quote(conn, name)
        if leads:
            conn.execute(text(f"ALTER ROLE {role} NOLOGIN"))
            conn.execute(text(f"REVOKE studyhub_facilitator FROM {role}"))
        else:
            conn.execute(text(f"DROP ROLE {role}"))
