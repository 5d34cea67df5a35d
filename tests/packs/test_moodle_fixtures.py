"""The real Moodle import fixtures in ../shared/fixtures/moodle (see SOURCES.md there).

Each file imports with the expected numbers of imported and skipped questions, and the
error files give reports that name the line and the reason.
"""

from __future__ import annotations

import pytest

from studyapp.domain.errors import PackError
from studyapp.packs.formats import InterchangeResult, detect
from studyapp.packs.render import render_markdown
from studyapp.services.packs.files import shipped_frameworks
from tests.conftest import SHARED

MOODLE = SHARED / "fixtures" / "moodle"
pytestmark = pytest.mark.skipif(
    not MOODLE.is_dir(),
    reason=f"the shared Moodle fixtures are not at {MOODLE} (they are present in CI)",
)
CETL = shipped_frameworks()["cetl"]


def read(relative: str, skill: str | None = None) -> InterchangeResult:
    path = MOODLE / relative
    data = path.read_bytes()
    fmt = detect(path.name, data)
    assert fmt is not None, f"{relative} was not recognised"
    return fmt.read(data, path.name, CETL, skill)


@pytest.mark.parametrize(
    ("relative", "fmt", "imported", "skipped"),
    [
        ("gift/questions.gift.txt", "gift", 3, 6),
        ("gift/questions_in_category.gift.txt", "gift", 2, 2),
        ("gift/examples.gift.txt", "gift", 11, 32),
        ("xml/multichoice.xml", "moodle-xml", 1, 0),
        ("xml/truefalse.xml", "moodle-xml", 2, 0),
        ("xml/nested_categories_with_questions.xml", "moodle-xml", 4, 1),
        ("aiken/questions.aiken.txt", "aiken", 2, 0),
        ("aiken/aiken_errors.txt", "aiken", 2, 4),
    ],
)
def test_fixture_imports_expected_counts(relative, fmt, imported, skipped):
    """Each real Moodle file is recognised and gives the expected imported/skipped counts."""
    path = MOODLE / relative
    assert detect(path.name, path.read_bytes()).name == fmt
    result = read(relative)
    assert len(result.pack.questions) == imported
    assert len(result.skipped) == skipped
    assert result.pack.source_format == fmt


def test_gift_fixture_questions_and_reasons():
    """questions.gift.txt: feedback becomes rationales; every skipped type says why."""
    result = read("gift/questions.gift.txt")
    by_id = {q.id: q for q in result.pack.questions}
    assert set(by_id) == {"Q2", "colours", "2-08-TSL"}
    q2 = by_id["Q2"]
    assert [(o.text, o.correct, o.rationale) for o in q2.options] == [
        ("yellow", True, "right; good!"),
        ("red", False, "wrong, it's yellow"),
        ("blue", False, "wrong, it's yellow"),
    ]
    colours = by_id["colours"]
    assert colours.type == "multiple"
    assert [o.text for o in colours.options if o.correct] == ["yellow", "off-beige"]
    reasons = "\n".join(result.skipped_items)
    for expected in (
        "line 2 (Q8): essay",
        "line 5 (Moodle activities): matching",
        "line 31 (Q5): numerical",
        "line 34 (Shortanswer): short-answer",
        "line 41 (Q1): text follows the answer block",
        "line 49 (2-08 TSL): duplicate of the question at line 46",
    ):
        assert expected in reasons


def test_gift_escapes_and_category_report():
    """questions_in_category: escaped '=' and ':' are restored; the category is listed."""
    result = read("gift/questions_in_category.gift.txt")
    greeting = next(q for q in result.pack.questions if q.id == "Greeting")
    assert 'href="http://demo.moodle.net/file.php/5/media/bonjour.mp3"' in greeting.stem
    assert "Listen to this greeting:" in greeting.stem
    assert greeting.options[1].text == "French" and greeting.options[1].correct
    assert result.categories == {"Default for New Features": None}
    assert any("Default for New Features" in w and "Unassigned" in w for w in result.warnings)


def test_gift_examples_control_characters_survive():
    """examples: the escaped control characters become literal option text when rendered."""
    result = read("gift/examples.gift.txt")
    q = next(q for q in result.pack.questions if q.id == "GIFT-Control-Characters")
    shown = [render_markdown(o.text) for o in q.options]
    assert shown == ["<p>~</p>", "<p>=</p>", "<p>#</p>", "<p>{</p>", "<p>}</p>", "<p>\\</p>"]
    assert q.options[5].correct
    assert q.options[5].rationale.startswith("Correct!")


def test_gift_true_false_feedback_order():
    """{FALSE#wrong feedback}: the first feedback belongs to the wrong choice (True)."""
    result = read("gift/examples.gift.txt")
    tf = [q for q in result.pack.questions if q.options[0].text == "True"]
    with_feedback = next(q for q in tf if q.options[0].rationale)
    assert with_feedback.options[0].rationale == "No one is buried in Grant's tomb."
    assert not with_feedback.options[0].correct and with_feedback.options[1].correct


def test_xml_images_become_media_and_references_are_rewritten():
    """multichoice.xml: base64 JPEGs become media/<sha>.jpg; the MP3 is left out, reported."""
    result = read("xml/multichoice.xml")
    q = result.pack.questions[0]
    assert len(result.pack.media) == 4
    for name in result.pack.media:
        assert name.startswith("media/") and name.endswith(".jpg")
    for option in q.options:
        assert "@@PLUGINFILE@@" not in option.text
        (name,) = [n for n in result.pack.media if n in option.text]
        assert f'src="{name}"' in render_markdown(option.text, result.pack.media)
    assert any("bonjour.mp3" in w and "not a PNG" in w for w in result.warnings)


def test_xml_truefalse_keeps_feedback_and_explanation():
    """truefalse.xml: answer feedback becomes the rationale; general feedback the explanation."""
    result = read("xml/truefalse.xml")
    false_is_right, true_is_right = result.pack.questions
    assert false_is_right.options[1].correct and "correct" in false_is_right.options[1].rationale
    assert true_is_right.options[0].correct
    assert "For further information" in true_is_right.explanation
    assert "\u00a0" in true_is_right.stem  # non-breaking spaces are kept as written


def test_xml_nested_categories_map_by_last_segment():
    """nested categories: each path is listed; --skill puts every question in one area."""
    result = read("xml/nested_categories_with_questions.xml")
    assert set(result.categories) == {"Iota", "Iota/Kappa", "Iota/Kappa/Lambda", "Iota/Mu"}
    assert set(result.categories.values()) == {None}
    assigned = read("xml/nested_categories_with_questions.xml", skill="data-management")
    assert {q.skill for q in assigned.pack.questions} == {"data-management"}


def test_aiken_errors_report_lines():
    """aiken_errors.txt: every error names its line, as Moodle's own test expects."""
    result = read("aiken/aiken_errors.txt")
    assert [q.stem for q in result.pack.questions] == ["A good question", "A second good question"]
    assert [o.text for o in result.pack.questions[1].options] == [
        "Incorrect (No space)",
        "Correct (No space)",
    ]
    items = result.skipped_items
    assert items[0].startswith("line 1 (A question with too few answers)") and "line 3" in items[0]
    assert items[1].startswith("line 5") and "no question" in items[1]
    assert items[2].startswith("line 7") and "no question" in items[2]
    assert items[3].startswith("line 14") and "line 18" in items[3]


def test_aiken_html_like_text_shows_as_written():
    """Aiken is plain text: '<html class="cool"> &' is shown, not treated as markup."""
    result = read("aiken/questions.aiken.txt")
    stem = result.pack.questions[1].stem
    assert '&lt;html class="cool"&gt; &amp; images:' in render_markdown(stem)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("xml/error_invalid_grades.xml", ["line 4", "answer 2 (line 38)", "grade 33%"]),
        ("xml/categories_reverse_order.xml", ["line 14 (Tau Question)", "'essay'", "line 51"]),
    ],
)
def test_error_fixtures_give_clear_reports(relative, expected):
    """A file with nothing importable is a PackError naming lines and reasons."""
    with pytest.raises(PackError) as caught:
        read(relative)
    message = str(caught.value)
    assert "nothing could be imported" in message and "Nothing was changed" in message
    for part in expected:
        assert part in message
    assert "\n" not in message


def test_fixture_file_names_give_distinct_pack_ids():
    """questions.gift.txt and questions.aiken.txt become two packs, not one."""
    ids = {
        read(r).pack.manifest.id for r in ("gift/questions.gift.txt", "aiken/questions.aiken.txt")
    }
    assert ids == {"questions.gift", "questions.aiken"}
