"""Group records: dict round trips, newer formats refused, names checked, the agenda rule."""

from __future__ import annotations

import pytest

from studyapp.domain.group import (
    ExamCard,
    GroupError,
    GroupFile,
    ItemCard,
    MemberCard,
    Membership,
    NewerFormatError,
    PublishedPack,
    ScheduledExam,
    SkillCard,
    check_file_name,
    weakest_areas,
)

SHA = "a" * 64
ID = "0123456789abcdef0123456789abcdef"


def card(name: str, member_id: str = ID, **masteries: tuple[float, int]) -> MemberCard:
    skills = tuple(
        SkillCard(s, s.title(), 0.2 if s == "heavy" else 0.05, m, m - 0.1, m + 0.1, n)
        for s, (m, n) in masteries.items()
    )
    return MemberCard(member_id, name, "2026-11-23T09:00:00+00:00", "1.0", "all", 0.5, skills)


def test_group_file_round_trips():
    """A group file read back from its dict form is equal to the original."""
    group = GroupFile(
        "North",
        "Pat",
        "2026-11-23T09:00:00+00:00",
        (PublishedPack("quiz.gift", SHA, "quiz", "1.0.0", "Quiz", "2026-11-23"),),
        (ScheduledExam("CETL-5-DTH0XJQ", "2026-12-20"),),
    )
    assert GroupFile.from_dict(group.to_dict()) == group


def test_card_round_trips():
    """A card with skills and an exam reads back equal."""
    c = MemberCard(
        ID,
        "Ann",
        "2026-11-23T09:00:00+00:00",
        "1.0",
        "all",
        0.25,
        (SkillCard("dm", "Data", 0.07, 0.5, 0.4, 0.6, 12),),
        (ExamCard("CETL-5-X", 3, 5, "2026-11-23", (ItemCard("p/q", "dm", ("A",), True),)),),
    )
    assert MemberCard.from_dict(c.to_dict()) == c


def test_membership_round_trips():
    """The profile's group link reads back equal."""
    m = Membership("/g", "member", ID, "Ann", "skills", {"q.gift": SHA}, ("k",), (), "North")
    assert Membership.from_dict(m.to_dict()) == m


@pytest.mark.parametrize("kind", [GroupFile, MemberCard])
def test_a_newer_format_is_refused_clearly(kind):
    """A record from a newer StudyApp is refused with a sentence saying to update."""
    with pytest.raises(NewerFormatError, match="newer StudyApp"):
        kind.from_dict({"format": 99, "name": "x"})


@pytest.mark.parametrize(
    "bad",
    [
        {"format": 1},
        {"format": 1, "member_id": ID, "name": "Ann", "written_at": "", "app_version": "",
         "share": "everything"},
        {"format": 1, "member_id": "../../x", "name": "Ann", "written_at": "", "app_version": "",
         "share": "all"},
        {"format": 1, "member_id": ID, "name": "Ann", "written_at": "", "app_version": "",
         "share": "all", "readiness": 7},
        {"format": True},
        [],
    ],
)  # fmt: skip
def test_malformed_cards_are_refused(bad):
    """Missing fields, wrong kinds, out-of-range shares: GroupError, never a crash."""
    with pytest.raises(GroupError):
        MemberCard.from_dict(bad)


@pytest.mark.parametrize(
    "name", ["../secret.gift", "/etc/passwd", "packs/x.gift", "C:\\x.gift", ".hidden", "a\\b"]
)
def test_file_names_outside_the_packs_folder_are_refused(name):
    """A group file may name only plain files inside its packs folder."""
    with pytest.raises(GroupError, match="outside"):
        check_file_name(name)


def test_the_agenda_puts_heavy_weak_areas_first_and_names_members_with_too_few_answers():
    """weight × (1 − mean mastery) orders areas; members with few answers are named."""
    cards = [
        card("Ann", heavy=(0.5, 20), light=(0.2, 20)),
        card("Bob", "f" * 32, heavy=(0.7, 20), light=(0.3, 3)),
    ]
    needs = weakest_areas(cards)
    assert [n.id for n in needs] == ["heavy", "light"]
    assert needs[0].mean == pytest.approx(0.6) and needs[0].members == 2
    assert needs[1].members == 1 and needs[1].too_few == ("Bob",)


def test_scheduling_again_replaces_the_date_and_republishing_replaces_the_pack():
    """with_exam/with_pack never duplicate a code or a pack."""
    g = GroupFile("G", "F", "t")
    g = g.with_exam(ScheduledExam("C", "2026-12-01")).with_exam(ScheduledExam("C", "2026-12-02"))
    p1 = PublishedPack("q.gift", SHA, "q", "1", "Q", "t")
    p2 = PublishedPack("q.gift", "b" * 64, "q", "2", "Q", "t")
    g = g.with_pack(p1).with_pack(p2)
    assert g.exams == (ScheduledExam("C", "2026-12-02"),)
    assert g.packs == (p2,)


GOOD_ITEM = {"id": "p/q1", "skill": "dm", "chosen": ["A"], "correct": True}


def sitting(items: list[object]) -> dict[str, object]:
    return {"code": "CETL-5-X", "raw": 1, "length": 1, "submitted_at": "", "items": items}


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("not an object", "is not a JSON object"),
        ({**GOOD_ITEM, "correct": 1}, "'correct' is missing"),
        ({**GOOD_ITEM, "id": 7}, "'id' is missing"),
        ({**GOOD_ITEM, "skill": None}, "'skill' is missing"),
        ({**GOOD_ITEM, "chosen": "A"}, "'chosen' is missing"),
        ({**GOOD_ITEM, "chosen": ["A"] * 27}, "not option ids"),
        ({**GOOD_ITEM, "chosen": ["x" * 65]}, "not option ids"),
        ({**GOOD_ITEM, "chosen": [["A"]]}, "not option ids"),
    ],
)
def test_the_fast_item_check_refuses_what_the_item_check_refuses(bad, words):
    """A sitting's questions, checked in one loop, refuse hostile items with the same words."""
    with pytest.raises(GroupError, match=words):
        ItemCard.from_dict(bad)
    with pytest.raises(GroupError, match=words):
        ExamCard.from_dict(sitting([GOOD_ITEM, bad]))


def test_the_fast_item_check_reads_items_as_the_item_check_does_and_caps_their_number():
    """Accepted items equal ItemCard.from_dict's (ids cut to size); 1,001 items are refused."""
    long = {"id": "q" * 300, "skill": "s" * 100, "chosen": [], "correct": False}
    exam = ExamCard.from_dict(sitting([GOOD_ITEM, long]))
    assert exam.items == (ItemCard.from_dict(GOOD_ITEM), ItemCard.from_dict(long))
    assert exam.items[1] == ItemCard("q" * 200, "s" * 64, (), False)
    assert hash(exam.items[0]) == hash(ItemCard("p/q1", "dm", ("A",), True))
    with pytest.raises(GroupError, match="more than 1000 questions"):
        ExamCard.from_dict(sitting([GOOD_ITEM] * 1001))


GOOD_SKILL = {
    "id": "dm",
    "title": "Data Management",
    "weight": 0.07,
    "mastery": 1,
    "mastery_low": 0.0,
    "mastery_high": 1.0,
    "answers": 12,
}


def card_with(skills: list) -> dict:
    return {**MemberCard("a" * 32, "Ann", "", "1", "all").to_dict(), "skills": skills}


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("not an object", "is not a JSON object"),
        ({**GOOD_SKILL, "answers": -1}, "negative number of answers"),
        ({**GOOD_SKILL, "answers": True}, "'answers' is missing"),
        ({**GOOD_SKILL, "answers": 1.5}, "'answers' is missing"),
        ({**GOOD_SKILL, "id": 7}, "'id' is missing"),
        ({**GOOD_SKILL, "title": None}, "'title' is missing"),
        ({**GOOD_SKILL, "mastery": 1.2}, "a share must be a number from 0 to 1"),
        ({**GOOD_SKILL, "weight": True}, "a share must be a number from 0 to 1"),
        ({**GOOD_SKILL, "mastery_low": "0.1"}, "a share must be a number from 0 to 1"),
    ],
)
def test_the_fast_skill_check_refuses_what_the_skill_check_refuses(bad, words):
    """A card's skills, checked in one loop, refuse hostile skills with the same words."""
    with pytest.raises(GroupError, match=words):
        SkillCard.from_dict(bad)
    with pytest.raises(GroupError, match=words):
        MemberCard.from_dict(card_with([GOOD_SKILL, bad]))


def test_the_fast_skill_check_reads_skills_as_the_skill_check_does():
    """Accepted skills equal SkillCard.from_dict's: ids and titles cut, shares as floats."""
    long = {**GOOD_SKILL, "id": "i" * 100, "title": "t" * 300, "weight": 0}
    card = MemberCard.from_dict(card_with([GOOD_SKILL, long]))
    assert card.skills == (SkillCard.from_dict(GOOD_SKILL), SkillCard.from_dict(long))
    assert card.skills[1].id == "i" * 64 and type(card.skills[0].mastery) is float
