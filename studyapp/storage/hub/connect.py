"""Connecting to a group hub: the address, the password, the engine, the errors.

A hub address is a libpq URL (``postgresql://user@host:port/db?sslmode=require``) with
one StudyApp parameter, ``group=NAME``, which picks the group inside the hub and is taken
out before libpq sees the URL. A password is never part of the address StudyApp keeps:
a URL carrying one is refused. libpq finds the password where it always does
(``PGPASSWORD``, ``PGPASSFILE`` or ``~/.pgpass``); when the server still asks for one and
a prompt was set (:func:`set_password_prompt`, the command line sets one), it is asked
for once per process and kept in memory only.

psycopg and SQLAlchemy's PostgreSQL dialect are imported here, lazily, when a hub is
used; a missing psycopg is one plain sentence.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from studyapp.domain.group import GroupError, HubPasswordError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

HUB_SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT_S = 10
PasswordPrompt = Callable[[str], str]

_prompt: PasswordPrompt | None = None
_passwords: dict[tuple[str, str, str, str], str] = {}  # entered this run; memory only
_lock = threading.Lock()


def set_password_prompt(prompt: PasswordPrompt | None) -> None:
    """Ask passwords with ``prompt(question)`` when libpq finds none (None: never ask)."""
    global _prompt  # one prompt per process, set by the composition root
    _prompt = prompt


@dataclass(frozen=True, slots=True)
class HubAddress:
    """A parsed hub URL: what libpq connects to, and the group asked for (if any)."""

    conninfo: str
    group: str | None
    user: str
    host: str
    port: str
    database: str

    def with_group(self, name: str) -> str:
        """The address to keep in the profile: this hub, this group, no password."""
        parts = urlsplit(self.conninfo)
        query = [*parse_qsl(parts.query, keep_blank_values=True), ("group", name)]
        return urlunsplit(parts._replace(query=urlencode(query)))

    @property
    def where(self) -> str:
        """The hub as people name it: ``host:port/database``."""
        return f"{self.host}:{self.port}/{self.database}"


def is_hub_url(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL hub rather than a folder."""
    return location.lower().startswith(tuple(f"{s}://" for s in HUB_SCHEMES))


def parse_address(location: str) -> HubAddress:
    """Split a hub URL; GroupError for a password in it or something that is no URL."""
    try:
        parts = urlsplit(location.strip())
        port = parts.port
    except ValueError as exc:
        raise GroupError(f"{location!r} is not a PostgreSQL hub address: {exc}.") from None
    if parts.scheme.lower() not in HUB_SCHEMES:
        raise GroupError(f"{location!r} is not a PostgreSQL hub address (postgresql://…).")
    if parts.password is not None:
        raise GroupError(
            "Leave the password out of the hub address: StudyApp asks for it, or reads it "
            "from ~/.pgpass (PGPASSFILE), so it is never stored in your profile."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    groups = [v for k, v in query if k == "group"]
    rest = [(k, v) for k, v in query if k != "group"]
    conninfo = urlunsplit(parts._replace(query=urlencode(rest)))
    database = parts.path.lstrip("/")
    return HubAddress(
        conninfo=conninfo,
        group=groups[-1].strip() if groups and groups[-1].strip() else None,
        user=parts.username or "",
        host=parts.hostname or "localhost",
        port=str(port or 5432),
        database=database,
    )


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise GroupError(
            "Using a PostgreSQL group hub needs the hub extra: pip install 'studyapp[hub]'."
        ) from None
    return psycopg


def _needs_password(exc: Exception) -> bool:
    text = str(exc)
    return "no password supplied" in text or "password authentication failed" in text


Key = tuple[str, str, str, str]


def _key(address: HubAddress) -> Key:
    return (address.user, address.host, address.port, address.database)


def remember_password(key: Key, password: str) -> None:
    """Use ``password`` for the login ``key`` names, for the rest of this run only (kept
    in this process's memory; never written anywhere)."""
    with _lock:
        _passwords[key] = password


def forget_passwords() -> None:
    """Forget every password entered in this run."""
    with _lock:
        _passwords.clear()


def _needed(address: HubAddress) -> HubPasswordError:
    who = address.user or "your login"
    return HubPasswordError(
        f"The group hub {address.where} needs the password of the login {who}: enter it "
        "when StudyApp asks, or put it in ~/.pgpass (or the file PGPASSFILE names).",
        _key(address),
        refused=False,
    )


def _refused(address: HubAddress) -> HubPasswordError:
    who = address.user or "your login"
    return HubPasswordError(
        f"The group hub {address.where} refused the password for the login {who}. Check it "
        "(the hub's administrator can set a new one) and try again; nothing was changed.",
        _key(address),
        refused=True,
    )


def connect_raw(address: HubAddress) -> Any:
    """A psycopg connection to the hub.

    The password: the one entered earlier in this run (:func:`remember_password`), else
    wherever libpq finds it (``PGPASSWORD``, ``PGPASSFILE``, ``~/.pgpass``), else asked
    through the prompt when one is set (the command line sets one) and kept in memory.
    When the server wants a password that none of these gives: :class:`HubPasswordError`
    (``refused`` when the one entered in this run was wrong; it is forgotten).
    """
    psycopg = _psycopg()
    key = _key(address)
    extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "studyapp"}
    with _lock:
        known = _passwords.get(key)
    try:
        return psycopg.connect(address.conninfo, **extra, **_password(known))
    except psycopg.OperationalError as exc:
        if not _needs_password(exc):
            raise
        if known is not None:
            with _lock:
                _passwords.pop(key, None)
            raise _refused(address) from None
        if _prompt is None:
            raise _needed(address) from None
    who = address.user or "your login"
    password = _prompt(f"Password for {who} on the group hub {address.where}: ")
    try:
        conn = psycopg.connect(address.conninfo, password=password, **extra)
    except psycopg.OperationalError as exc:
        if _needs_password(exc):
            raise _refused(address) from None
        raise
    remember_password(key, password)
    return conn


def _password(known: str | None) -> dict[str, str]:
    return {} if known is None else {"password": known}


def make_engine(address: HubAddress) -> Engine:
    """A SQLAlchemy engine on psycopg 3 for ``address`` (no pool: a sync is short)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(
        "postgresql+psycopg://", creator=lambda: connect_raw(address), poolclass=NullPool
    )


def describe(exc: BaseException, address: HubAddress) -> GroupError:
    """One plain sentence for a database error while talking to the hub."""
    from sqlalchemy.exc import DBAPIError

    original = exc.orig if isinstance(exc, DBAPIError) else exc
    first = (str(original).strip().splitlines() or [type(original).__name__])[0]
    state = getattr(original, "sqlstate", None)
    if state == "42501" or "permission denied" in first or "row-level security" in first:
        return GroupError(
            f"The group hub {address.where} refused that for your login "
            f"({address.user or 'default'}): {first}."
        )
    if _needs_password(original if isinstance(original, Exception) else Exception(first)):
        return _needed(address)
    return GroupError(
        f"Could not reach the PostgreSQL group hub {address.where}: {first}. Nothing was lost; "
        "the next sync picks up where this one stopped."
    )


@contextlib.contextmanager
def transaction(address: HubAddress) -> Iterator[Connection]:
    """One transaction on the hub; every database error becomes one GroupError."""
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(address)
    try:
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        raise describe(exc, address) from exc
    except GroupError:
        raise
    except Exception as exc:
        psycopg = _psycopg()
        if isinstance(exc, psycopg.Error):
            raise describe(exc, address) from exc
        raise
    finally:
        engine.dispose()
