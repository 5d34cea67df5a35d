"""Moodle XML: the hardened parser, the project's own export, and writing."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from studyapp.domain.errors import PackError
from studyapp.domain.pack import PackManifest
from studyapp.domain.question import Option, Question
from studyapp.packs.formats import by_name, detect
from studyapp.packs.formats.safexml import MAX_DEPTH
from studyapp.packs.render import render_markdown
from studyapp.services.packs.files import shipped_frameworks

FIXTURES = Path(__file__).parent / "fixtures"
CETL = shipped_frameworks()["cetl"]
MANIFEST = PackManifest(id="hypo", version="1.0.0", title="Hypo", framework="cetl")
XML = by_name("moodle-xml")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
QUESTION = """<question type="multichoice"><questiontext><text>Q?</text></questiontext>
<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>
</question>"""


def read_bytes(data: bytes, name: str = "bank.xml"):
    return XML.read(data, name, CETL, None)


def test_district_export_reads_images_tags_difficulty_and_formats():
    """The project's Moodle file: image media, tags, difficulty tag, plain text escaped."""
    result = read_bytes((FIXTURES / "district-bank.xml").read_bytes())
    q = {q.id: q for q in result.pack.questions}
    net = q["cs-net-01"]
    (media_name,) = result.pack.media
    assert result.pack.media[media_name] == PNG and media_name.endswith(".png")
    assert f'<img src="{media_name}"' in net.stem
    assert f'src="{media_name}"' in render_markdown(net.stem, result.pack.media)
    assert net.tags == ("networks", "resilience") and net.difficulty == 3
    assert net.skill == "communication-systems"
    assert net.explanation == "<p>Redundant links remove single points of failure.</p>"
    assert [o.rationale for o in net.options] == [
        "Everything passes through it.",
        "Only one room depends on it.",
    ]
    backups = next(x for x in result.pack.questions if x.type == "multiple")
    assert "&lt;care&gt; &amp; read *all* options" in render_markdown(backups.stem)
    assert result.skipped_items == (
        "line 40 (Bandwidth sum): 'numerical' questions are not supported; StudyApp imports "
        "multichoice and truefalse.",
    )


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE quiz SYSTEM "file:///etc/passwd">',
        '<!doctype quiz [<!ENTITY x SYSTEM "http://example.invalid/x">]>',
    ],
)
def test_doctype_and_entities_are_refused(prolog):
    """Entity expansion and external entities never run: any DOCTYPE is refused first."""
    data = f'<?xml version="1.0"?>\n{prolog}\n<quiz>{QUESTION}</quiz>'.encode()
    with pytest.raises(PackError, match="DOCTYPE"):
        read_bytes(data)


def test_doctype_text_inside_a_question_is_fine():
    """'<!DOCTYPE' written inside question text (escaped or CDATA) is just text."""
    data = (
        "<quiz>"
        + QUESTION.replace("Q?", "<![CDATA[What does <!DOCTYPE html> declare?]]>")
        + "</quiz>"
    ).encode()
    result = read_bytes(data)
    assert result.pack.questions[0].stem == "What does <!DOCTYPE html> declare?"


def test_depth_limit():
    """Elements nested deeper than the limit are refused with a line number."""
    data = ("<quiz>" + "<x>" * (MAX_DEPTH + 5) + "</x>" * (MAX_DEPTH + 5) + "</quiz>").encode()
    with pytest.raises(PackError, match=r"line 1: refused because elements are nested"):
        read_bytes(data)


def test_malformed_xml_names_line_and_column():
    """A broken file is one sentence with the line and column."""
    data = b'<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n<name></quiz>'
    with pytest.raises(
        PackError, match=r"bank.xml: line 4, column \d+: the XML is not well-formed"
    ):
        read_bytes(data)


def test_other_root_is_not_a_question_file():
    """XML whose root is not <quiz> is refused with what it found."""
    with pytest.raises(PackError, match="root element is <html>"):
        read_bytes(b"<html><body/></html>")


def test_windows_1252_bytes_in_a_utf8_declared_file_are_read_with_a_warning():
    """Invalid UTF-8 that is clearly Windows-1252 is read, with a warning."""
    data = ("<quiz>" + QUESTION.replace("Q?", "Caf\u00e9?") + "</quiz>").encode("cp1252")
    result = read_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n' + data)
    assert result.pack.questions[0].stem == "Caf\u00e9?"
    assert any("Windows-1252" in w for w in result.warnings)


def test_declared_latin1_is_honoured_without_warning():
    """A file that declares ISO-8859-1 is decoded as it says."""
    data = ("<quiz>" + QUESTION.replace("Q?", "Caf\u00e9?") + "</quiz>").encode("latin-1")
    result = read_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + data)
    assert result.pack.questions[0].stem == "Caf\u00e9?"
    assert not any("Windows-1252" in w for w in result.warnings)


def test_sniffing_by_root_element():
    """A Moodle file named .txt is still recognised by its <quiz> root."""
    data = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- exported -->\n<quiz>\n</quiz>'
    assert detect("export.txt", data).name == "moodle-xml"


def test_write_then_read_keeps_everything_moodle_can_carry():
    """Export: tags, difficulty and images travel; ids come back from idnumber."""
    q = Question(
        id="lv:007",
        skill="ethics-policies",
        type="multiple",
        stem="Which **two**? ![chart](media/chart.png) & <less>",
        options=(
            Option("a", "One", True, "Yes, because A."),
            Option("b", "Two", True, "Yes, because B."),
            Option("c", "Three", False, "No: see ![chart](media/chart.png)."),
        ),
        explanation="Both, with \x01 a control character.",
        difficulty=1,
        tags=("privacy", "ferpa"),
    )
    data = XML.write(MANIFEST, (q,), CETL, {"media/chart.png": PNG})
    assert b"$course$/top/cetl/Ethics &amp; Policies" in data
    assert b"@@PLUGINFILE@@/chart.png" in data and b"media/chart.png" not in data
    result = read_bytes(data, "p.xml")
    (back,) = result.pack.questions
    (name,) = result.pack.media
    assert back.id == "lv:007" and back.skill == "ethics-policies" and back.type == "multiple"
    assert back.stem == q.stem.replace("media/chart.png", name)
    assert back.options[2].rationale == f"No: see ![chart]({name})."
    assert [o.correct for o in back.options] == [True, True, False]
    assert back.difficulty == 1 and set(back.tags) == {"privacy", "ferpa"}
    assert back.explanation == "Both, with \ufffd a control character."


def test_expat_refuses_a_doctype_even_without_the_prolog_check():
    """Defence in depth: the parser callbacks refuse a DOCTYPE on their own too."""
    from studyapp.packs.formats.safexml import _parse

    data = b'<!DOCTYPE quiz [<!ENTITY a "x">]><quiz>&a;</quiz>'
    with pytest.raises(PackError, match="refused because it declares a DOCTYPE"):
        _parse(data, "bank.xml")


def test_names_become_titles_and_comments_pin_the_pack():
    """``<name>`` is the title unless it repeats the text's start; a comment pins the pack."""
    data = (
        b'<?xml version="1.0"?><quiz><!-- studyapp-pack: dq 3.1.0 -->'
        b"<!-- studyapp-title: District quiz -->"
        + QUESTION.replace(
            "<questiontext>", "<name><text>Net basics</text></name><questiontext>"
        ).encode()
        + QUESTION.replace("Q?", "Which plan comes first?")
        .replace("<questiontext>", "<name><text>Which plan comes</text></name><questiontext>")
        .encode()
        + b"</quiz>"
    )
    result = read_bytes(data)
    m = result.pack.manifest
    assert (m.id, m.version, m.title) == ("dq", "3.1.0", "District quiz")
    assert sorted(q.title for q in result.pack.questions) == ["", "Net basics"]
    exported = XML.write(MANIFEST, result.pack.questions, CETL, {}).decode()
    assert (
        "<text>Net basics</text>" in exported and "<text>Which plan comes first?</text>" in exported
    )
