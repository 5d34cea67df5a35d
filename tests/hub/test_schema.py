"""The hub's own Alembic chain: its head constant, its separate version table, and an
``init`` that can run twice."""

from __future__ import annotations

from studyapp.services.groups import hub as hub_admin
from studyapp.storage.hub import schema


def test_hub_head_constant_is_the_chains_head():
    """HUB_HEAD is what Alembic reads from the hub's scripts (a new migration updates it)."""
    assert schema.chain_head() == schema.HUB_HEAD


def test_init_twice_is_harmless_and_keeps_its_own_version_table(hub):
    """Running ``hub init`` again changes nothing; the version lives in studyhub, not public."""
    assert hub_admin.init_hub(hub.url()) == schema.HUB_HEAD
    assert hub_admin.init_hub(hub.url()) == schema.HUB_HEAD
    with hub.connect("hubadmin") as conn:
        tables = conn.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'alembic_version'"
        ).fetchall()
    assert tables == [("studyhub",)]


def test_the_folder_back_end_needs_no_psycopg():
    """Opening a folder group never imports psycopg (the app starts without the extra)."""
    import subprocess
    import sys

    code = (
        "import sys; from studyapp.services.groups import open_port; open_port('/tmp/x'); "
        "import studyapp.cli; assert 'psycopg' not in sys.modules, 'psycopg imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
