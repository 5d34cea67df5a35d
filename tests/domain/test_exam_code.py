"""Exam codes: round trips, lenient reading, and a clear sentence for every bad code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.exam_code import (
    ALPHABET,
    FINGERPRINTS,
    SEEDS,
    SELECTIONS,
    ExamCode,
    ExamCodeError,
    decode_code,
    parse_share_line,
    share_line,
)

codes = st.builds(
    ExamCode,
    blueprint=st.sampled_from(["cetl", "nc-cecto", "x1"]),
    length=st.integers(1, 999),
    seed=st.integers(0, SEEDS - 1),
    selection=st.sampled_from(SELECTIONS),
    skill_mask=st.integers(0, 2**10 - 1),
    fingerprint=st.integers(0, FINGERPRINTS - 1),
)


@given(codes)
def test_every_code_decodes_to_what_it_encodes(code):
    """Encoding then decoding gives back blueprint, length, seed, selection, skills, packs."""
    text = code.text()
    assert decode_code(text) == code
    assert decode_code(text.lower()) == code


@given(codes, st.data())
def test_every_single_mistyped_payload_character_is_caught(code, data):
    """Changing any one character after the length makes the code fail its check."""
    text = code.text()
    prefix, payload = text.rsplit("-", 1)
    i = data.draw(st.integers(0, len(payload) - 1))
    other = data.draw(st.sampled_from([c for c in ALPHABET if c != payload[i]]))
    with pytest.raises(ExamCodeError, match="does not check out"):
        decode_code(f"{prefix}-{payload[:i]}{other}{payload[i + 1 :]}")


def test_all_skill_codes_are_short_and_use_the_unambiguous_alphabet():
    """A full CETL exam code is BLUEPRINT-LENGTH-7 characters, none of I, L, O, U."""
    text = ExamCode("cetl", 100, 4095, "weak-focus", 0, FINGERPRINTS - 1).text()
    prefix, length, payload = text.split("-")
    assert (prefix, length, len(payload)) == ("CETL", "100", 7)
    assert not set(payload) & set("ILOU")


def test_neighbouring_seeds_give_unlike_codes():
    """Seeds 0 and 1 share no position in their payloads' first six characters."""
    a = ExamCode("cetl", 100, 0, "mixed", 0, 77).text().rsplit("-", 1)[1]
    b = ExamCode("cetl", 100, 1, "mixed", 0, 77).text().rsplit("-", 1)[1]
    assert sum(x == y for x, y in zip(a[:6], b[:6], strict=True)) <= 2


def test_reading_is_lenient_with_case_look_alikes_and_spacing():
    """Lower case, O for 0, I/L for 1, and spaces or hyphens in the payload are accepted."""
    code = ExamCode("cetl", 40, 1234, "mixed", 0, 4321)
    text = code.text()
    prefix, payload = text.rsplit("-", 1)
    typed = payload.replace("0", "o").replace("1", "l")
    assert decode_code(f"  {prefix.lower()}-{typed[:3]} {typed[3:5]}-{typed[5:]} ") == code


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("hello", "is not an exam code"),
        ("CETL-100", "is not an exam code"),
        ("CETL-100-7KQ3", "is too short"),
        ("CETL-100-7KQ3MU5", "contains U"),
        ("CETL-100-7KQ3MX!", "is not an exam code"),
        ("CETL-0-ABCDEFG", "asks for 0 questions"),
    ],
)
def test_bad_codes_give_one_clear_sentence(text, words):
    """Each kind of bad code names what is wrong in a full sentence."""
    with pytest.raises(ExamCodeError, match=words) as info:
        decode_code(text)
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message


def test_a_wrong_length_is_caught_by_the_check_character():
    """Typing another length in front of a valid payload fails the check (most of the time)."""
    payload = ExamCode("cetl", 100, 5, "mixed", 0, 9).text().rsplit("-", 1)[1]
    caught = 0
    for length in range(1, 200):
        if length == 100:
            continue
        try:
            decode_code(f"CETL-{length}-{payload}")
        except ExamCodeError:
            caught += 1
    assert caught >= 180


def test_out_of_range_fields_are_refused():
    """Seeds, lengths and selections outside the code's range cannot be encoded."""
    with pytest.raises(ExamCodeError, match="seed"):
        ExamCode("cetl", 100, SEEDS, "mixed", 0, 0)
    with pytest.raises(ExamCodeError, match="questions"):
        ExamCode("cetl", 1000, 0, "mixed", 0, 0)
    with pytest.raises(ExamCodeError, match="Selection"):
        ExamCode("cetl", 10, 0, "random", 0, 0)  # type: ignore[arg-type]


def test_share_line_round_trips_and_refuses_malformed_requirements():
    """A code with its pack versions reads back; a malformed requirement is named."""
    code = ExamCode("cetl", 20, 3, "mixed", 0, 11)
    line = share_line(code, {"zeta": "2.0.0", "cetl-core": "1.0.0-sha.c96c"})
    assert line == f"{code.text()} cetl-core@1.0.0-sha.c96c zeta@2.0.0"
    assert parse_share_line(line) == (code, {"cetl-core": "1.0.0-sha.c96c", "zeta": "2.0.0"})
    assert parse_share_line(code.text()) == (code, {})
    with pytest.raises(ExamCodeError, match="not a pack requirement"):
        parse_share_line(f"{code.text()} Bad@Pack@1")
