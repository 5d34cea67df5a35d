"""``studyapp group hub …`` and joining a hub from the command line, with passwords asked
through the prompt function (no PGPASSFILE, no PGPASSWORD): they are used, and never
written to the profile."""

from __future__ import annotations

import json

import pytest

from benchmarks.pgcluster import ADMIN_PASSWORD
from tests.cli_terminal import scripted_terminal, use_terminal


@pytest.fixture
def asked(monkeypatch, hub, tmp_path):
    """The CLI's password prompt, answered from a script; returns the questions asked."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    questions: list[str] = []
    answers = {"hubadmin": ADMIN_PASSWORD, "new login ann": "ann-pw", "for ann": "ann-pw"}

    def ask(question: str) -> str:
        questions.append(question)
        for key, value in answers.items():
            if key in question:
                return value
        raise AssertionError(f"unexpected question {question!r}")

    use_terminal(monkeypatch, scripted_terminal(read_secret=ask))
    return questions


def test_admin_and_member_passwords_come_from_the_prompt_and_stay_out_of_the_profile(
    cli, hub, asked, tmp_path
):
    """init, add-member and join ask for passwords once each; the profile never holds one."""
    admin = tmp_path / "admin"
    out = cli("group", "hub", "init", hub.url(), data_dir_arg=admin)
    assert out.code == 0, out.err
    assert "ready" in out.out
    assert asked == [
        f"Password for hubadmin on the group hub 127.0.0.1:{hub.cluster.port}/{hub.db}: "
    ]
    made = cli("group", "hub", "add-member", hub.url(), "ann", data_dir_arg=admin)
    assert made.code == 0, made.err
    assert "Added the member login ann" in made.out
    assert asked[-1] == "Password for the new login ann (empty: none): "
    with hub.connect("hubadmin") as conn:
        conn.execute(
            "INSERT INTO studyhub.groups (name, leader, record) VALUES ('North', 'hubadmin', %s)",
            ('{"format": 1, "name": "North", "facilitator": "Pat", "created_at": "2026-12-01"}',),
        )
    member = tmp_path / "ann"
    joined = cli(
        "group", "join", hub.url("ann", group="North"), "--name", "Ann", data_dir_arg=member
    )
    assert joined.code == 0, joined.err
    assert "Joined North as Ann" in joined.out
    assert any("Password for ann" in q for q in asked)
    for path in member.rglob("*"):
        if path.is_file():
            assert b"ann-pw" not in path.read_bytes(), path


def test_hub_administration_json(cli, hub, asked, tmp_path):
    """init, add-member (new, then again) and remove with --json: one object each."""
    admin = tmp_path / "admin"
    init = cli("group", "hub", "init", hub.url(), "--json", data_dir_arg=admin)
    assert init.code == 0, init.err
    assert set(json.loads(init.out)) == {"schema_revision"}
    for added in (True, False):
        made = cli("group", "hub", "add-member", hub.url(), "ann", "--json", data_dir_arg=admin)
        assert made.code == 0, made.err
        assert json.loads(made.out) == {"login": "ann", "kind": "member", "added": added}
    gone = cli("group", "hub", "remove", hub.url(), "ann", "--json", data_dir_arg=admin)
    assert gone.code == 0, gone.err
    assert json.loads(gone.out) == {"login": "ann", "removed": True}


def test_hub_administration_errors_are_one_line(cli, hub, monkeypatch, tmp_path):
    """A bad login name, removing a stranger, a database that is no hub: one line, exit 1."""
    monkeypatch.setenv("PGPASSWORD", ADMIN_PASSWORD)
    admin = tmp_path / "admin"
    not_yet = cli("group", "hub", "remove", hub.url(), "ann", data_dir_arg=admin)
    assert not_yet.code == 1 and "not a StudyApp group hub yet" in not_yet.err
    assert not_yet.err.count("\n") == 1 and "Traceback" not in not_yet.err
    assert cli("group", "hub", "init", hub.url(), data_dir_arg=admin).code == 0
    bad = cli("group", "hub", "add-member", hub.url(), "Robert'); DROP", data_dir_arg=admin)
    assert bad.code == 1 and "cannot be a hub login" in bad.err
    stranger = cli("group", "hub", "remove", hub.url(), "nobody", data_dir_arg=admin)
    assert stranger.code == 1 and "not a login of this group hub" in stranger.err
    secret = cli("group", "join", hub.url("ann:pw"), "--name", "Ann", data_dir_arg=admin)
    assert secret.code == 1 and "Leave the password out" in secret.err


def test_a_wrong_password_at_the_join_prompt_is_one_line_and_joins_nothing(
    cli, hub, monkeypatch, tmp_path
):
    """group join asks (getpass) when libpq finds no password; a wrong one: exit 1, one
    line saying the hub refused it, and the profile is in no group."""
    from studyapp.services.groups import hub as hub_admin

    hub_admin.init_hub(hub.url())
    hub_admin.add_login(hub.url(), "fac", "facilitator", hub.remember("fac"))
    hub_admin.add_login(hub.url(), "ann", "member", hub.password("ann"))  # not in pgpass
    from studyapp.domain.group import GroupFile
    from studyapp.services.groups.hub import HubGroup

    HubGroup(hub.url("fac")).create(GroupFile("North", "fac", "2026-12-01T09:00:00"))
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return "not-her-password"

    use_terminal(monkeypatch, scripted_terminal(read_secret=ask))
    member = tmp_path / "ann"
    joined = cli(
        "group", "join", hub.url("ann", group="North"), "--name", "Ann", data_dir_arg=member
    )
    assert joined.code == 1 and joined.err.count("\n") == 1
    assert "refused the password for the login ann" in joined.err
    assert "Traceback" not in joined.err
    assert questions == [
        f"Password for ann on the group hub 127.0.0.1:{hub.cluster.port}/{hub.db}: "
    ]
    status = cli("group", "status", data_dir_arg=member)
    assert status.code == 1 and "in no study group" in status.err
