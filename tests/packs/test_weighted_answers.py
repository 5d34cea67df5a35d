"""GIFT and Moodle XML grade weighted answers by one rule (common.weighted_options)."""

from __future__ import annotations

import pytest

from studyapp.domain.errors import PackError
from studyapp.packs.formats import by_name
from studyapp.services.packs.files import shipped_frameworks

CETL = shipped_frameworks()["cetl"]


def _moodle(fractions: tuple[str, ...]) -> bytes:
    answers = "".join(
        f'<answer fraction="{f}"><text>{chr(97 + i)}</text></answer>'
        for i, f in enumerate(fractions)
    )
    return (
        '<?xml version="1.0"?><quiz><question type="multichoice"><name><text>q</text></name>'
        f"<questiontext><text>Q?</text></questiontext>{answers}"
        "<single>true</single></question></quiz>"
    ).encode()


@pytest.mark.parametrize(
    ("partial", "words"),
    [(1, "1 partly right answer counts as wrong"), (2, "2 partly right answers count as wrong")],
)
def test_partial_credit_warning_counts_the_answers_in_both_formats(partial, words):
    """A single-answer question with partly right answers warns with the same counted words."""
    gift = "::q::Q?{=a " + " ".join(f"~%50%p{i}" for i in range(partial)) + "}"
    from_gift = by_name("gift").read(gift.encode(), "bank.gift", CETL, None)
    from_xml = by_name("moodle-xml").read(
        _moodle(("100", *("50",) * partial)), "bank.xml", CETL, None
    )
    for result in (from_gift, from_xml):
        (q,) = result.pack.questions
        assert [o.correct for o in q.options] == [True, *[False] * partial]
        assert any(words in w for w in result.warnings), result.warnings


def test_no_positive_weight_is_named_in_each_formats_own_word():
    """With no full-marks answer and no positive weight, GIFT says 'weight', Moodle 'grade'."""
    with pytest.raises(PackError, match="no answer has a positive weight"):
        by_name("gift").read(b"::q::Q?{~a ~b}", "bank.gift", CETL, None)
    xml = _moodle(("0", "0")).replace(b"true</single>", b"false</single>")
    with pytest.raises(PackError, match="no answer has a positive grade"):
        by_name("moodle-xml").read(xml, "bank.xml", CETL, None)
