"""``studyapp group``: three members and a facilitator on one group folder, end to end.

Every step goes through the command line, as a facilitator's script would: the
facilitator creates the folder, publishes a GIFT pack and schedules a mock exam code;
each member joins, syncs (gets the pack and the code), sits the exam and shares a card;
the facilitator's ``group status --json`` then shows all three with per-skill figures and
the item analysis of that exam.

Every test here runs twice: on a shared folder and on a PostgreSQL group hub (issue 17),
where the same steps go to a throw-away cluster (skipped, with why, where none can run).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_terminal import scripted_terminal, use_terminal

GIFT = """$CATEGORY: $course$/Data Management

::Backups::Which backup rule keeps three copies on two media with one offsite? {
=3-2-1 rule
~Grandfather-father-son only
~Mirror only
~RAID 5
}

::Retention::What should a records retention schedule define first? {
=How long each record type is kept
~The colour of the folders
~Who bought the server
~The Wi-Fi password
}

::Privacy::Which US law protects student education records? {
=FERPA
~HIPAA
~SOX
~GLBA
}
"""
MEMBERS = {"ann": ("Ann", "1", "0.9"), "bob": ("Bob", "2", "0.5"), "cy": ("Cy", "3", "0.2")}
EXAM = ("--length", "8", "--skill", "data-management")


def ok(result) -> str:
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result.out


def as_json(result) -> dict:
    return json.loads(ok(result))


class Group:
    """The four profiles of the scenario, each its own data folder."""

    def __init__(self, cli, tmp_path: Path) -> None:
        self.cli = cli
        self.tmp = tmp_path
        self.folder = tmp_path / "group"
        self.gift = tmp_path / "district-quiz.gift"

    def run(self, who: str, *args: str):
        return self.cli(*args, data_dir_arg=self.tmp / who)

    def code(self, seed: str) -> str:
        """The first code from ``seed`` on whose exam holds a question of the group's pack."""
        for n in range(int(seed), int(seed) + 40):
            built = as_json(self.run("fac", "exam", "build", *EXAM, "--seed", str(n), "--json"))
            if any(q["id"].startswith("district-quiz/") for q in built["questions"]):
                return str(built["code"])
        raise AssertionError("no seed gives an exam with a question of the group's pack")

    def start(self) -> str:
        """Facilitator: create, publish, schedule; returns the scheduled code."""
        self.gift.write_text(GIFT, encoding="utf-8")
        ok(self.run("fac", "group", "create", str(self.folder), "--name", "North Region"))
        ok(self.run("fac", "group", "publish", str(self.gift)))
        code = self.code("11")
        ok(self.run("fac", "group", "schedule", "--code", code, "--date", "2026-12-20"))
        return code

    def member_sits(self, who: str, code: str) -> None:
        _name, seed, accuracy = MEMBERS[who]
        sit = ["exam", "sit", "--code", code, "--answers", "8", "--seed", seed]
        ok(self.run(who, *sit, "--accuracy", accuracy, "--submit"))


class HubGroup(Group):
    """The same four profiles on a PostgreSQL hub: one address for all, each profile
    connecting as its own login (PGUSER), passwords from PGPASSFILE."""

    def __init__(self, cli, tmp_path: Path, hub, monkeypatch) -> None:
        super().__init__(cli, tmp_path)
        self.monkeypatch = monkeypatch
        self.folder = hub.url(user="", group="North Region").replace("//@", "//")
        hub_admin = ["group", "hub"]
        ok(self.cli(*hub_admin, "init", hub.url(), data_dir_arg=tmp_path / "admin"))
        for login in ("fac", *MEMBERS, "dee"):
            secret = hub.remember(login)
            kind = "add-facilitator" if login == "fac" else "add-member"
            use_terminal(monkeypatch, scripted_terminal(read_secret=lambda _q, p=secret: p))
            ok(self.cli(*hub_admin, kind, hub.url(), login, data_dir_arg=tmp_path / "admin"))

    def run(self, who: str, *args: str):
        self.monkeypatch.setenv("PGUSER", who)
        return super().run(who, *args)


@pytest.fixture(params=["folder", "hub"])
def group(request, cli, tmp_path, monkeypatch) -> Group:
    if request.param == "folder":
        return Group(cli, tmp_path)
    from benchmarks.pgcluster import shared_cluster, skip_reason
    from tests.hub.conftest import make_hub

    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    return HubGroup(cli, tmp_path, make_hub(shared_cluster(), tmp_path, monkeypatch), monkeypatch)


def test_three_members_sync_sit_and_share_and_the_facilitator_sees_them(group):
    """The whole first half of the study-group scenario, through the CLI."""
    code = group.start()
    for who, (name, _seed, _acc) in MEMBERS.items():
        ok(group.run(who, "group", "join", str(group.folder), "--name", name))
        synced = as_json(group.run(who, "group", "sync", "--json"))
        assert [p["pack"] for p in synced["packs_added"]] == ["district-quiz"]
        assert [e["code"] for e in synced["exams"]] == [code]
        assert synced["card_written"] is True
        group.member_sits(who, code)
        shared = as_json(group.run(who, "group", "sync", "--json"))
        assert shared["card_written"] is True and shared["packs_added"] == []

    status = as_json(group.run("fac", "group", "status", "--json"))
    assert status["group"]["name"] == "North Region"
    assert [m["name"] for m in status["members"]] == ["Ann", "Bob", "Cy"]
    for member in status["members"]:
        assert 0.0 <= member["readiness"] <= 1.0
        skills = {s["id"]: s for s in member["skills"]}
        assert skills["data-management"]["answers"] >= 1
        assert {"id", "mastery", "answers"} <= set(skills["data-management"])
    (exam,) = status["exams"]
    assert exam["code"] == code and exam["sat"] == 3
    assert len(exam["scores"]) == 3 and exam["scores"] == sorted(exam["scores"], reverse=True)
    built = as_json(group.run("fac", "exam", "build", "--code", code, "--json"))
    assert [i["id"] for i in exam["items"]] == [q["id"] for q in built["questions"]]
    for item in exam["items"]:
        assert sum(item["choices"].values()) + item["unanswered"] >= 3
        assert 0.0 <= item["p_correct"] <= 1.0
        assert isinstance(item["flags"], list)
    assert any(i["id"].startswith("district-quiz/") for i in exam["items"])

    out = ok(group.run("fac", "group", "status"))
    assert "Ann" in out and "3 members sat it" in out
    report = group.tmp / "group-report.html"
    ok(group.run("fac", "group", "report", "--out", str(report)))
    html = report.read_text(encoding="utf-8")
    assert "North Region" in html and "Ann, Bob, Cy" in html and code in html
    again = group.tmp / "group-report-2.html"
    made = as_json(group.run("fac", "group", "report", "--out", str(again), "--json"))
    assert made["path"] == str(again) and made["format"] == "html"
    assert made["size"] == again.stat().st_size > 0

    # The edited GIFT file is published again; members update and keep their progress.
    group.gift.write_text(
        GIFT.replace("What should a records", "What must a records"), encoding="utf-8"
    )
    ok(group.run("fac", "group", "publish", str(group.gift)))
    next_code = group.code("30")
    ok(group.run("fac", "group", "schedule", "--code", next_code))
    for who in MEMBERS:
        reviews = as_json(group.run(who, "info", "--json"))["counts"]["reviews"]
        synced = as_json(group.run(who, "group", "sync", "--json"))
        assert [p["pack"] for p in synced["packs_updated"]] == ["district-quiz"]
        assert as_json(group.run(who, "info", "--json"))["counts"]["reviews"] == reviews
        assert as_json(group.run(who, "exam", "build", "--code", next_code, "--json"))
        group.member_sits(who, next_code)
        ok(group.run(who, "group", "sync"))
    status = as_json(group.run("fac", "group", "status", "--json"))
    assert [e["sat"] for e in status["exams"]] == [3, 3]


def test_a_newcomer_after_an_update_can_sit_the_next_code(group):
    """A member who joins after the pack was republished can build the group's new code."""
    group.start()
    group.gift.write_text(GIFT.replace("What should", "What must"), encoding="utf-8")
    ok(group.run("fac", "group", "publish", str(group.gift)))
    next_code = group.code("30")
    ok(group.run("fac", "group", "schedule", "--code", next_code))
    ok(group.run("dee", "group", "join", str(group.folder), "--name", "Dee"))
    ok(group.run("dee", "group", "sync"))
    ok(group.run("dee", "exam", "build", "--code", next_code, "--json"))


def test_group_actions_print_one_json_object(cli, tmp_path):
    """create, publish, schedule, join and leave take --json: one object each (folder group)."""
    g = Group(cli, tmp_path)
    g.gift.write_text(GIFT, encoding="utf-8")
    made = as_json(g.run("fac", "group", "create", str(g.folder), "--name", "North", "--json"))
    assert made == {
        "group": "North",
        "location": made["location"],
        "role": "facilitator",
        "name": made["name"],
        "share": "all",
    }
    published = as_json(g.run("fac", "group", "publish", str(g.gift), "--json"))
    assert published["pack"] == "district-quiz" and published["file"] == g.gift.name
    assert {"version", "title", "published_at"} <= set(published)
    code = g.code("11")
    scheduled = as_json(
        g.run("fac", "group", "schedule", "--code", code, "--date", "2026-12-20", "--json")
    )
    assert scheduled == {"code": code, "date": "2026-12-20"}
    joined = as_json(
        g.run("ann", "group", "join", str(g.folder), "--name", "Ann", "--share", "skills", "--json")
    )
    assert joined == {
        "group": "North",
        "location": made["location"],
        "role": "member",
        "name": "Ann",
        "share": "skills",
    }
    synced = as_json(g.run("ann", "group", "sync", "--json"))
    assert [p["pack"] for p in synced["packs_added"]] == [published["pack"]]
    assert as_json(g.run("ann", "group", "leave", "--json")) == {"group": "North", "left": True}


def test_errors_are_one_line_and_change_nothing(group, tmp_path):
    """Joining a non-group folder, publishing as a member, a bad date: one line, exit 1."""
    group.start()
    (tmp_path / "empty").mkdir()
    bad = group.run("ann", "group", "join", str(tmp_path / "empty"), "--name", "Ann")
    assert bad.code == 1 and bad.err.count("\n") == 1 and "not a study-group folder" in bad.err
    not_joined = group.run("ann", "group", "sync")
    assert not_joined.code == 1 and "in no study group" in not_joined.err
    ok(group.run("ann", "group", "join", str(group.folder), "--name", "Ann"))
    refused = group.run("ann", "group", "publish", str(group.gift))
    assert refused.code == 1 and "Only the facilitator" in refused.err
    date = group.run("fac", "group", "schedule", "--code", group.code("11"), "--date", "20-12")
    assert date.code == 1 and "YYYY-MM-DD" in date.err
    hub = group.run("bob", "group", "join", "postgresql://u@host/db", "--name", "Bob")
    assert hub.code == 1 and "PostgreSQL" in hub.err
    twice = group.run("ann", "group", "join", str(group.folder), "--name", "Ann")
    assert twice.code == 1 and "already in the study group" in twice.err
    ok(group.run("ann", "group", "leave"))
