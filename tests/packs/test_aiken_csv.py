"""Aiken and CSV: the documented CSV columns (with and without BOM), and Aiken's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.domain.errors import PackError
from studyapp.packs.formats import by_name, detect
from studyapp.packs.render import render_markdown
from studyapp.services.packs.files import shipped_frameworks

FIXTURES = Path(__file__).parent / "fixtures"
CETL = shipped_frameworks()["cetl"]
CSV = by_name("csv")
AIKEN = by_name("aiken")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_csv_documented_columns_with_and_without_bom(bom):
    """Every documented column is read, with or without a UTF-8 byte-order mark."""
    data = bom + (FIXTURES / "district-bank.csv").read_bytes()
    result = CSV.read(data, "district-bank.csv", CETL, None)
    q = {q.id: q for q in result.pack.questions}
    assert set(q) == {"csv-01", "csv-02", "csv-03"}
    first = q["csv-01"]
    assert first.skill == "leadership-vision" and first.type == "single"
    assert first.options[0].correct and first.options[0].rationale.startswith("Right:")
    assert first.explanation == "Vision starts with listening."
    assert first.tags == ("vision", "listening") and first.difficulty == 2
    second = q["csv-02"]
    assert second.type == "multiple" and second.skill == "data-management"
    assert [o.correct for o in second.options] == [True, True, False, False]
    assert second.difficulty == 3
    third = q["csv-03"]
    assert third.skill is None and len(third.options) == 3
    assert result.skipped_items == ("line 5 (csv-04): correct names D, which has no option text.",)
    assert result.warnings[0].startswith("1 question in no category matches no skill area")
    assert "--skill" not in result.warnings[0]  # the import dialog shows this note too


def test_csv_semicolons_quoted_newlines_and_line_numbers():
    """A semicolon file (European Excel) with a multi-line cell reports the right lines."""
    data = (
        b"Stem;Option A;Option B;Correct;Skill area\n"
        b'"Two\nline stem?";yes;no;A;Strategic Planning\n'
        b"Bad row?;yes;no;Z;\n"
    )
    result = CSV.read(data, "semi.csv", CETL, None)
    (q,) = result.pack.questions
    assert q.stem == "Two\nline stem?" and q.skill == "strategic-planning"
    assert result.skipped_items == (
        "line 4 (Bad row?): correct names Z, which has no option text.",
    )


def test_csv_missing_columns_is_a_clear_error():
    """A header without the required columns says which ones are missing."""
    with pytest.raises(PackError, match="option_b, correct missing"):
        CSV.read(b"stem,option_a\nQ?,A\n", "x.csv", CETL, None)


def test_csv_windows_1252_fallback_warns():
    """An Excel file saved as Windows-1252 is read with a warning."""
    data = "stem,option_a,option_b,correct\nCaf\u00e9 \u201cquoted\u201d?,Oui,Non,A\n".encode(
        "cp1252"
    )
    result = CSV.read(data, "legacy.csv", CETL, None)
    assert result.pack.questions[0].stem == "Caf\u00e9 \u201cquoted\u201d?"
    assert "read as Windows-1252" in result.warnings[0]


def test_csv_sniffed_by_header():
    """A .txt file whose first row names the columns is CSV."""
    assert detect("bank.txt", b"stem,option_a,option_b,correct\n").name == "csv"


def test_aiken_multiline_stem_and_letters():
    """Stem lines before the options join; 'A.' labels and lower-case answers work."""
    text = "Which is\na routing protocol?\nA. HTTP\nB. OSPF\nC. SMTP\nanswer: b\n"
    result = AIKEN.read(text.encode(), "net.aiken", CETL, None)
    (q,) = result.pack.questions
    assert q.stem == "Which is\na routing protocol?"
    assert [o.correct for o in q.options] == [False, True, False]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Q?\nA) x\nB) y\nANSWER: C\n", "line 6 (Q?): ANSWER: C on line 9 names no option"),
        ("Q?\nA) x\nB) y\nANSWER: maybe\n", "must name one option letter"),
        ("Q?\nA) x\nA) y\nANSWER: A\n", "same option letter twice"),
        ("Q?\nA) x\nB) y\n", "has no ANSWER line. The file ends first."),
        ("Lonely stem\n\nAnother stem\nA) x\nB) y\nANSWER: A\n", "has no options"),
    ],
)
def test_aiken_problems_are_reported(text, reason):
    """Each Aiken mistake is a skipped item with its reason; the good question stays."""
    good = "Good?\nA) yes\nB) no\nANSWER: A\n\n"
    result = AIKEN.read((good + text).encode(), "x.aiken.txt", CETL, None)
    assert len(result.pack.questions) >= 1
    assert any(reason in item for item in result.skipped_items), result.skipped_items


def test_aiken_plain_text_is_escaped_for_markdown():
    """Markdown characters in Aiken text show literally."""
    text = "Is *this* # a [link](x)?\nA) 1. first\nB) - dash\nANSWER: A\n"
    (q,) = AIKEN.read(text.encode(), "x.aiken", CETL, None).pack.questions
    assert render_markdown(q.stem) == "<p>Is *this* # a [link](x)?</p>"
    assert render_markdown(q.options[0].text) == "<p>1. first</p>"
    assert render_markdown(q.options[1].text) == "<p>- dash</p>"


def test_csv_pin_lines_keep_line_numbers_and_a_title_column_is_read():
    """Pin lines before the header are read; rows keep their true line numbers; ``title``
    becomes the question's title."""
    data = (
        b"# studyapp-pack: district-quiz 1.1.0\n"
        b"# studyapp-title: District quiz\n"
        b"stem,option_a,option_b,correct,title\n"
        b"Which first?,Plan,Guess,A,Planning basics\n"
        b"Bad row?,yes,no,Z,\n"
    )
    result = CSV.read(data, "x.csv", CETL, None)
    (q,) = result.pack.questions
    assert q.title == "Planning basics"
    assert result.skipped_items == (
        "line 5 (Bad row?): correct names Z, which has no option text.",
    )
    m = result.pack.manifest
    assert (m.id, m.version, m.title) == ("district-quiz", "1.1.0", "District quiz")
    assert detect("bank.txt", data) is CSV
