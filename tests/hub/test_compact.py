"""The hub's compact sitting form (schema h0002): it reads back exactly what the JSON form
reads, and refuses hostile columns as the JSON form refuses hostile items. Pure: no server."""

from __future__ import annotations

import json

import pytest

from studyapp.domain.group import ExamCard, GroupError, ItemCard, Questions
from studyapp.storage.hub.compact import QuestionCache, SittingRow, decode_exam, encode_exam


def exam() -> ExamCard:
    items = (
        ItemCard("p/q1", "dm", ("A",), True),
        ItemCard("q" * 200, "s" * 64, (), False),
        ItemCard("p/q3", "lead", ("B", "D"), False),
    )
    return ExamCard("CETL-3-X", 1, 3, "2026-12-01T10:00", items)


def row(**changes) -> SittingRow:
    columns = {"position": 1, **encode_exam(exam()), "exam": None}
    columns.update(changes)
    return SittingRow(**{k: columns[k] for k in SittingRow._fields})


def test_a_compact_sitting_reads_back_as_the_json_form_reads():
    """encode -> decode gives the same ExamCard as from_dict of its JSON form."""
    assert decode_exam(row(), QuestionCache()) == exam()
    assert decode_exam(row(), QuestionCache()) == ExamCard.from_dict(exam().to_dict())
    assert ExamCard.from_columns(*exam().columns()) == exam()


def test_one_question_list_is_checked_once_for_every_sitting_that_shares_it():
    """The cache hands the same checked list to every sitting of a code (and a refused
    list stays refused)."""
    cache = QuestionCache()
    first, second = decode_exam(row(), cache), decode_exam(row(position=2), cache)
    assert first.items[0].id is second.items[0].id
    bad = row(questions='[["p/q1"]]')
    for _ in range(2):
        with pytest.raises(GroupError, match="'id' or 'skill'"):
            decode_exam(bad, cache)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"chosen": '[["A"],[],["B"],["C"]]'}, "not option ids"),  # one too many
        ({"chosen": '[["A"],[],"B"]'}, "not option ids"),
        ({"chosen": '[["A"],[],[["B"]]]'}, "not option ids"),
        ({"chosen": '[["A"],[],[7]]'}, "not option ids"),
        ({"chosen": json.dumps([["A"], [], ["x" * 65]])}, "not option ids"),
        ({"chosen": json.dumps([["A"], [], ["A"] * 27])}, "not option ids"),
        ({"chosen": "[[" * 100_000}, "no readable answers"),
        ({"chosen": None}, "no readable answers"),
        ({"correct": "10"}, "'correct' is missing"),
        ({"correct": "1x0"}, "'correct' is missing"),
        ({"questions": "{}"}, "no list of questions"),
        ({"questions": json.dumps([["q", "s"]] * 1001)}, "more than 1000 questions"),
        ({"raw": "1"}, "'raw' is missing"),
        ({"code": None}, "'code' is missing"),
    ],
)
def test_hostile_compact_columns_are_refused_with_one_sentence(changes, words):
    """Whatever a member writes into their own row is refused in plain words."""
    with pytest.raises(GroupError, match=words):
        decode_exam(row(**changes), QuestionCache())


def test_a_row_the_upgrade_could_not_convert_is_read_as_before():
    """A pre-h0002 document kept in ``exam`` goes through ExamCard.from_dict."""
    old = row(chosen=None, questions=None, correct=None, exam=exam().to_dict())
    assert decode_exam(old, QuestionCache()) == exam()
    junk = row(chosen=None, questions=None, correct=None, exam={"code": 1})
    with pytest.raises(GroupError):
        decode_exam(junk, QuestionCache())


def test_questions_keep_the_item_checks_cut():
    """Ids and skills are cut to 200/64 characters, as ItemCard.from_dict cuts them."""
    long = Questions.from_json([["q" * 300, "s" * 100]])
    assert long == Questions(("q" * 200,), ("s" * 64,))
