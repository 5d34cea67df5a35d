"""A throw-away PostgreSQL cluster for the hub benchmark and the hub tests.

``initdb`` + ``pg_ctl`` on a temporary folder, listening on 127.0.0.1 at a free port
and on a Unix socket in that folder. As root the server runs as the ``postgres`` user
(PostgreSQL refuses to run as root). :func:`skip_reason` says, in one line, why no
cluster can be started here.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ADMIN = "hubadmin"
ADMIN_PASSWORD = "admin-secret"


def pg_bin() -> Path | None:
    """The newest PostgreSQL binaries folder on this machine, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def skip_reason() -> str | None:
    """Why no throw-away cluster can run here (None when one can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'studyapp[hub]')"
    if pg_bin() is None:
        return "no PostgreSQL binaries (initdb, pg_ctl) on this machine"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running throw-away cluster; ``url(user)`` gives a hub address for a login."""

    root: Path
    port: int
    bin: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, user: str = ADMIN, db: str = "hub", group: str | None = None) -> str:
        tail = f"?group={group.replace(' ', '%20')}" if group else ""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}{tail}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-o",
            opts,
            "-l",
            self.root / "log",
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def psql_admin(self, sql: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=ADMIN,
            password=ADMIN_PASSWORD,
            dbname=db,
            autocommit=True,
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


def start_cluster() -> Cluster:
    """initdb, start, and create the administrator role (a superuser with a password)."""
    binaries = pg_bin()
    assert binaries is not None
    root = Path(tempfile.mkdtemp(prefix="studyapp-pg-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    cluster = Cluster(root, free_port(), binaries)
    pwfile = root / "pw"
    pwfile.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
    cluster._run(
        binaries / "initdb",
        "-D",
        cluster.data,
        "-U",
        ADMIN,
        f"--pwfile={pwfile}",
        "--auth-local=scram-sha-256",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    pwfile.unlink()
    cluster.start()
    for _ in range(50):
        try:
            cluster.psql_admin("SELECT 1")
            break
        except Exception:  # noqa: BLE001 - not accepting connections yet
            time.sleep(0.1)
    return cluster


_shared: list[Cluster] = []


def shared_cluster() -> Cluster:
    """The one cluster of this test process, started on first use, removed at exit."""
    if not _shared:
        import atexit

        cluster = start_cluster()
        _shared.append(cluster)
        atexit.register(remove_cluster, cluster)
    return _shared[0]


def remove_cluster(cluster: Cluster) -> None:
    with contextlib.suppress(subprocess.CalledProcessError):
        cluster.stop("immediate")
    shutil.rmtree(cluster.root, ignore_errors=True)
