"""The fast content hashes equal the domain's definition, for any question."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.domain.pack import Pack, PackManifest
from studyapp.domain.question import Option, Question, Reference
from studyapp.packs.hashing import question_hash, question_hashes
from tests.packs.factory import question

# Text with everything JSON escapes (quotes, backslashes, control characters) and more.
_text = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from('"\\\n\t\x00\x1f\x7f/é😀'),
    max_size=40,
)
_option = st.builds(Option, _text, _text, st.booleans(), _text)
_reference = st.builds(Reference, _text, _text, _text)
_question = st.builds(
    Question,
    id=_text,
    skill=st.none() | _text,
    type=st.sampled_from(["single", "multiple"]),
    stem=_text,
    options=st.lists(_option, max_size=5).map(tuple),
    explanation=_text,
    difficulty=st.integers(-(10**20), 10**20),
    tags=st.lists(st.sampled_from(["b", "a", "c", "é", 'q"x']), max_size=6).map(tuple),
    references=st.lists(_reference, max_size=3).map(tuple),
    revision=st.integers(1, 5),
)


@settings(max_examples=300, deadline=None)
@given(_question)
def test_fast_hash_equals_the_domain_hash(q: Question) -> None:
    assert question_hash(q) == q.content_hash()


@pytest.mark.parametrize(
    "changes",
    [
        {"difficulty": 2.0},  # a float the validator lets through (2.0 in (1, 2, 3))
        {"difficulty": True},
        {"skill": 7},
        {"explanation": None},
    ],
)
def test_unusual_values_fall_back_to_the_domain_hash(changes: dict[str, Any]) -> None:
    q = replace(question("q1"), **changes)
    assert question_hash(q) == q.content_hash()


def test_an_option_marked_correct_with_a_number_hashes_like_the_domain() -> None:
    q = question("q1")
    odd = replace(q, options=(replace(q.options[0], correct=1), *q.options[1:]))  # type: ignore[arg-type]
    assert question_hash(odd) == odd.content_hash()
    assert question_hash(odd) != question_hash(q)


def test_text_that_cannot_be_utf8_fails_as_the_domain_does() -> None:
    q = replace(question("q1"), stem="lone \ud800 surrogate")
    with pytest.raises(UnicodeEncodeError):
        q.content_hash()
    with pytest.raises(UnicodeEncodeError):
        question_hash(q)


@settings(max_examples=50, deadline=None)
@given(st.lists(_question, max_size=6, unique_by=lambda q: q.id))
def test_pack_hash_from_precomputed_hashes_is_the_same(questions: list[Question]) -> None:
    manifest = PackManifest("p", "1.0.0", "P", "cetl")
    pack = Pack(manifest, tuple(questions), {"media/a.png": b"x"})
    assert pack.content_hash(question_hashes(pack.questions)) == pack.content_hash()


def test_ordinary_questions_do_not_go_through_json_dumps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the module: the domain's (slow) method is only the fallback."""
    expected = question("q1").content_hash()

    def refuse(self: Question) -> str:
        raise AssertionError("fell back to Question.content_hash")

    monkeypatch.setattr(Question, "content_hash", refuse)
    assert question_hash(question("q1")) == expected
