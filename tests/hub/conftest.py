"""Fixtures of the hub tests: one throw-away PostgreSQL cluster per session, a fresh
hub database per test, and logins whose passwords come from ``PGPASSFILE``."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.pgcluster import ADMIN, ADMIN_PASSWORD, Cluster, shared_cluster, skip_reason

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A running throw-away cluster (the test skips, with why, where none can run)."""
    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    yield shared_cluster()


class Hub:
    """A fresh hub database in the session's cluster, with a pgpass file for its logins."""

    def __init__(self, cluster: Cluster, db: str, pgpass: Path) -> None:
        self.cluster = cluster
        self.db = db
        self.pgpass = pgpass
        self.passwords: dict[str, str] = {ADMIN: ADMIN_PASSWORD}
        self._write_pgpass()

    def url(self, user: str = ADMIN, group: str | None = None) -> str:
        return self.cluster.url(user, self.db, group)

    def password(self, user: str) -> str:
        return self.passwords.setdefault(user, f"pw-{user}-{self.db}")

    def _write_pgpass(self) -> None:
        lines = [f"127.0.0.1:{self.cluster.port}:*:{u}:{p}" for u, p in self.passwords.items()]
        self.pgpass.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.pgpass.chmod(0o600)

    def remember(self, user: str) -> str:
        password = self.password(user)
        self._write_pgpass()
        return password

    def connect(self, user: str):  # plain psycopg, as psql would
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.cluster.port,
            dbname=self.db,
            user=user,
            password=self.password(user),
            autocommit=True,
        )


def make_hub(cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    """An empty database ``hub_N`` (not yet initialised); passwords via PGPASSFILE."""
    db = f"hub_{next(_numbers)}"
    cluster.psql_admin(f"CREATE DATABASE {db}")
    # Roles are cluster-wide: logins an earlier test made (ann, fac, …) are dropped so
    # each test starts with none (they own nothing; rows name them only as text).
    cluster.psql_admin(
        "DO $$ DECLARE r text; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolcanlogin "
        f"AND rolname <> '{ADMIN}' LOOP EXECUTE format('DROP ROLE %I', r); END LOOP; END $$"
    )
    from studyapp.services.groups.hub import forget_passwords

    forget_passwords()  # a password entered in an earlier test is not this test's
    made = Hub(cluster, db, tmp_path / "pgpass")
    monkeypatch.setenv("PGPASSFILE", str(made.pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGUSER", raising=False)
    return made


@pytest.fixture
def hub(pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    """An empty hub database for one test."""
    yield make_hub(pg_cluster, tmp_path, monkeypatch)
