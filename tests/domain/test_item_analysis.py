"""Item analysis: share correct, point-biserial discrimination, option counts, flags."""

from __future__ import annotations

import math

import pytest

from studyapp.domain.item_analysis import (
    DISTRACTOR,
    EVERYONE_RIGHT,
    NEGATIVE,
    ItemResponse,
    Sitting,
    analyse_exam,
    analyse_item,
    point_biserial,
)


def sitting(member: str, answers: dict[str, tuple[str, bool]]) -> Sitting:
    return Sitting(
        member, {q: ItemResponse((o,) if o else (), ok) for q, (o, ok) in answers.items()}
    )


def group_of_four() -> list[Sitting]:
    """Four members over five questions; q5 is answered right only by the weakest."""
    rows = {  # member: the option chosen per question ("" = blank), right or wrong
        "a": "A+ A+ A+ B+ C-",
        "b": "A+ A+ A+ B+ C-",
        "c": "A+ A+ B- C- A+",
        "d": "A+ B- B- _- A+",
    }
    return [
        sitting(m, {f"q{n}": (w[0].strip("_"), w[1] == "+") for n, w in enumerate(r.split(), 1)})
        for m, r in rows.items()
    ]


def test_point_biserial_matches_pearson_correlation():
    """The point-biserial equals Pearson's r of the 0/1 item with the scores."""
    right = [True, True, False, False, True]
    totals = [4.0, 3.0, 1.0, 2.0, 2.0]
    x = [float(r) for r in right]
    mx, my = sum(x) / 5, sum(totals) / 5
    cov = sum((a - mx) * (b - my) for a, b in zip(x, totals, strict=True))
    r = cov / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in totals))
    assert point_biserial(right, totals) == pytest.approx(r)


def test_undefined_discrimination_is_none():
    """Everyone right, or all scores equal, or too few: no discrimination is claimed."""
    assert point_biserial([True, True, True], [1.0, 2.0, 3.0]) is None
    assert point_biserial([True, False, True], [2.0, 2.0, 2.0]) is None
    assert point_biserial([True], [1.0]) is None


def test_share_correct_choices_and_unanswered():
    """p_correct is the share right; choices count each option; a blank is unanswered."""
    item = analyse_item("q4", group_of_four())
    assert item.sat == 4
    assert item.p_correct == 0.5
    assert item.choices == {"B": 2, "C": 1}
    assert item.unanswered == 1


def test_a_good_question_discriminates_positively_and_is_not_flagged():
    """q3 is right for the two strongest only: positive discrimination, no flags."""
    item = analyse_item("q3", group_of_four())
    assert item.discrimination is not None and item.discrimination > 0.5
    assert item.flags == ()


def test_negative_discrimination_and_strong_members_preferring_a_distractor_are_flagged():
    """q5 is right only for the weakest, and the strongest chose C: both flags."""
    item = analyse_item("q5", group_of_four(), key=("A",))
    assert item.discrimination is not None and item.discrimination < 0
    assert NEGATIVE in item.flags and DISTRACTOR in item.flags


def test_everyone_right_is_flagged():
    """A question every member got right tells the facilitator nothing."""
    item = analyse_item("q1", group_of_four())
    assert item.flags == (EVERYONE_RIGHT,)
    assert item.discrimination is None


def test_the_key_is_inferred_from_right_answers_when_not_given():
    """Without a key, the options of right answers stand for it (same distractor flag)."""
    assert DISTRACTOR in analyse_item("q5", group_of_four()).flags


def test_exam_scores_are_highest_first_and_items_follow_the_exam_order():
    """The distribution lists raw scores high to low; items keep the order given."""
    exam = analyse_exam("CETL-5-X", group_of_four(), order=["q5", "q4", "q3", "q2", "q1"])
    assert exam.scores == (4, 4, 3, 2)
    assert [i.id for i in exam.items] == ["q5", "q4", "q3", "q2", "q1"]
    assert exam.sat == 4 and exam.length == 5
    doc = exam.to_dict()
    assert set(doc["items"][0]) >= {"id", "p_correct", "discrimination", "choices", "flags"}


def test_inputs_are_not_changed():
    """Analysis returns new values and leaves the sittings as they were."""
    sittings = group_of_four()
    before = [dict(s.responses) for s in sittings]
    analyse_exam("C", sittings)
    assert [dict(s.responses) for s in sittings] == before


def test_uniform_sittings_read_by_column_give_what_one_by_one_gives():
    """analyse_exam reads same-order sittings by column; every figure and flag equals the
    one-by-one path (analyse_item) on the same data, ties in score included."""
    import random

    rng = random.Random(7)
    questions = [f"q{i}" for i in range(12)]
    sittings = []
    for n in range(60):
        answers = {}
        for q in questions:
            option = rng.choice("ABCD")
            answers[q] = ItemResponse((option,) if rng.random() > 0.1 else (), option == "A")
        sittings.append(Sitting(f"m{n % 50:02d}", answers))  # some members twice: ties
    by_column = analyse_exam("X", sittings, questions)
    one_by_one = tuple(analyse_item(q, sittings) for q in questions)
    assert by_column.items == one_by_one
    assert any(i.flags for i in one_by_one)  # the flags are exercised, not all empty
    shuffled = [*sittings[:-1], Sitting("z", dict(reversed(sittings[-1].responses.items())))]
    assert analyse_exam("X", shuffled, questions).items == tuple(
        analyse_item(q, shuffled) for q in questions
    )
