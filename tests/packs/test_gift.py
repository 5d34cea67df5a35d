"""GIFT: the project's own bank, malformed input, and awkward text through a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.domain.errors import PackError
from studyapp.domain.pack import PackManifest
from studyapp.domain.question import Option, Question
from studyapp.packs.formats import by_name, detect
from studyapp.packs.formats.gift import escape
from studyapp.services.packs.files import shipped_frameworks

FIXTURES = Path(__file__).parent / "fixtures"
CETL = shipped_frameworks()["cetl"]
MANIFEST = PackManifest(id="hypo", version="1.0.0", title="Hypo", framework="cetl")
GIFT = by_name("gift")


def read_text(text: str, name: str = "bank.gift"):
    return GIFT.read(text.encode("utf-8"), name, CETL, None)


def test_district_bank_maps_categories_to_skill_areas():
    """$CATEGORY paths map by their last segment (title or id); others are Unassigned."""
    result = GIFT.read(
        (FIXTURES / "district-bank.gift").read_bytes(), "district-bank.gift", CETL, None
    )
    skills = {q.id: q.skill for q in result.pack.questions}
    assert skills["sp-plan-01"] == "strategic-planning"
    assert skills["dm-tf-03"] == "data-management"
    assert result.categories == {
        "CETL/Strategic Planning": "strategic-planning",
        "CETL/data-management": "data-management",
        "Old Course Bank/Misc": None,
    }
    untitled = [q for q in result.pack.questions if q.id.startswith("h-")]
    assert len(untitled) == 1 and untitled[0].skill is None


def test_district_bank_keeps_feedback_weights_and_escapes():
    """Rationales, explanation, multiple answers by weight, and escapes all come through."""
    result = GIFT.read(
        (FIXTURES / "district-bank.gift").read_bytes(), "district-bank.gift", CETL, None
    )
    q = {q.id: q for q in result.pack.questions}
    plan = q["sp-plan-01"]
    assert plan.stem.startswith("Your district's technology plan") and "**FIRST**" in plan.stem
    assert plan.options[0].correct and plan.options[0].rationale == "Broad ownership comes first."
    assert plan.explanation == "Plans succeed when the people who carry them out help write them."
    survey = q["sp-survey-02"]
    assert survey.type == "multiple" and [o.correct for o in survey.options] == [
        True,
        True,
        False,
        False,
    ]
    tf = q["dm-tf-03"]
    assert [(o.text, o.correct) for o in tf.options] == [("True", True), ("False", False)]
    assert tf.options[0].rationale == "Right: specificity protects students."
    assert tf.options[1].rationale == "It must: vague agreements invite misuse."
    escaped = q["dm-escape-04"]
    assert "{braces} and ~tildes~" in escaped.stem
    assert escaped.options[0].text == "= sign" and escaped.options[0].rationale.startswith("Yes: =")


def test_district_bank_reports_skips_with_lines():
    """Essay, missing word and an unclosed block are skipped with their line numbers."""
    result = GIFT.read(
        (FIXTURES / "district-bank.gift").read_bytes(), "district-bank.gift", CETL, None
    )
    assert result.skipped_items == (
        "line 35 (misc-essay): essay questions are not supported; StudyApp imports multiple "
        "choice and true/false.",
        "line 38 (misc-missing): text follows the answer block (a missing-word question), "
        "which StudyApp does not support.",
        "line 43 (misc-broken): the answer block opened with '{' on line 43 is not closed.",
    )


def test_brace_on_a_later_line_is_reported_there():
    """An answer block that opens on line 3 of a question is reported as line 3."""
    result = read_text("::ok::Fine?{=yes ~no}\n\n// comment\n::bad::Two\nlines {=a ~b\n")
    assert result.skipped_items == (
        "line 4 (bad): the answer block opened with '{' on line 5 is not closed.",
    )


def test_stray_closing_brace_and_two_blocks_are_explained():
    """A '}' before '{' and two answer blocks in one question get their own reasons."""
    result = read_text(
        "::ok::Fine?{=yes ~no}\n\n::a::Oops } here {=x ~y}\n\n::b::Q1{=a ~b}\nQ2{=c ~d}"
    )
    reasons = result.skipped_items
    assert "'}' on line 3 has no '{' before it" in reasons[0]
    assert "second answer block" in reasons[1] and "blank line" in reasons[1]


def test_partial_credit_becomes_a_wrong_option_with_a_warning():
    """In a question with '=', a partly right answer counts as wrong, and a warning says so."""
    result = read_text("::q::Q?{~%50%a ~%50%b =c}")
    (q,) = result.pack.questions
    assert [o.correct for o in q.options] == [False, False, True]
    assert any("partial credit is not kept" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("block", "why"),
    [
        ("Q?{=a =b ~c}", "2 answers earn full marks"),
        ("Q?{~a ~b}", "no answer has a positive weight"),
        ("Q?{~%33%a ~%67%b}", "not one of Moodle's grades"),
        ("Q?{~only}", "at least two answers"),
    ],
)
def test_multichoice_rules(block, why):
    """Weights follow Moodle: one full-mark answer, positive weights, Moodle's grade list."""
    result = read_text(f"::ok::Fine?{{=yes ~no}}\n\n::q::{block}\n")
    assert [q.id for q in result.pack.questions] == ["ok"]
    (item,) = result.skipped_items
    assert item.startswith("line 3 (q): ") and why in item


def test_format_markers_plain_and_html():
    """[plain] text is escaped to show literally; [html] is kept as written."""
    result = read_text(
        "::p::[plain]Is 2 * 3 < 7 & true?{=[plain]*yes* ~no}\n\n::h::[html]<b>Bold</b>?{=a ~b}"
    )
    q = {q.id: q for q in result.pack.questions}
    assert q["p"].stem == "Is 2 \\* 3 &lt; 7 &amp; true?"
    assert q["p"].options[0].text == "\\*yes\\*"
    assert q["h"].stem == "<b>Bold</b>?"


def test_nothing_importable_is_a_pack_error():
    """A file of only unsupported questions raises PackError listing them."""
    with pytest.raises(PackError, match=r"nothing could be imported: line 1 \(E\): essay"):
        read_text("::E::Tell me.{}\n\n::N::Count?{#3}\n")
    with pytest.raises(PackError, match="it holds no questions"):
        read_text("// only a comment\n")


def test_windows_1252_is_read_with_a_warning():
    """Non-UTF-8 text that is clearly Windows-1252 is read, with a warning."""
    data = "::caf\u00e9::Le caf\u00e9 \u2013 bon?{=oui ~non}".encode("cp1252")
    result = GIFT.read(data, "cafe.gift", CETL, None)
    assert result.pack.questions[0].stem == "Le caf\u00e9 \u2013 bon?"
    assert any("Windows-1252" in w for w in result.warnings)


@pytest.mark.parametrize(
    "data",
    [
        "::q::Caf\u00e9 ok?{=a ~b}".encode() + b"\n\n::r::bad \x81 byte{=a ~b}",
        "::q::Caf\u00e9 ok?{=a ~b}".encode() + b"\n\n::r::mixed \xe9 byte{=a ~b}",
        "::q::x{=a ~b}".encode("utf-16"),
    ],
)
def test_ambiguous_encodings_are_refused(data):
    """Mixed or undefined bytes, and UTF-16, are refused rather than guessed."""
    with pytest.raises(PackError, match="UTF"):
        GIFT.read(data, "bad.gift", CETL, None)


def test_sniffing_by_extension_and_content():
    """.gift and .gift.txt are GIFT; a .txt with answer blocks is GIFT by content."""
    sample = b"::a::Q?{=x ~y}\n"
    assert detect("bank.gift", b"").name == "gift"
    assert detect("bank.gift.txt", b"").name == "gift"
    assert detect("bank.txt", sample).name == "gift"
    assert detect("bank.csv", sample).name == "csv"


def test_escape_round_trips_through_the_reader():
    """escape() output read back as a title gives the same text (colons included)."""
    title = "lv:001 {x} ~y =z #w \\v"
    result = read_text(f"::{escape(title)}::[markdown]Stem?{{=a ~b}}")
    assert result.pack.questions[0].id == "lv:001-x-y-z-w-v"


# ------------------------------------------------------------------ hypothesis round trip

AWKWARD = "{}~=#:\\[]%-> \n\t/*_`<&$"
text = (
    st.text(
        alphabet=st.one_of(st.sampled_from(AWKWARD), st.characters(exclude_categories=("Cs",))),
        min_size=1,
        max_size=30,
    )
    .map(lambda t: t.replace("\r\n", "\n").replace("\r", "\n").strip())
    .filter(bool)
)
maybe_text = st.one_of(st.just(""), text)


@st.composite
def questions(draw: st.DrawFn) -> list[Question]:
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,15}", fullmatch=True),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    out = []
    for qid in ids:
        n = draw(st.integers(2, 8))
        correct = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n))
        options = tuple(
            Option("abcdefgh"[i], draw(text), i in correct, draw(maybe_text)) for i in range(n)
        )
        out.append(
            Question(
                id=qid,
                skill=draw(st.sampled_from([None, *(s.id for s in CETL.skill_areas)])),
                type="single" if len(correct) == 1 else "multiple",
                stem=draw(text),
                options=options,
                explanation=draw(maybe_text),
            )
        )
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions())
def test_awkward_text_survives_gift_export_and_import(qs):
    """Braces, tildes, equals, hashes, colons, Unicode and newlines survive GIFT both ways."""
    data = GIFT.write(MANIFEST, tuple(qs), CETL, {})
    result = GIFT.read(data, "hypo.gift", CETL, None)
    assert result.skipped == ()
    got = {q.id: q for q in result.pack.questions}
    assert set(got) == {q.id for q in qs}
    for q in qs:
        back = got[q.id]
        assert back.stem == q.stem
        assert back.explanation == q.explanation
        assert back.type == q.type
        assert back.skill == q.skill
        assert [(o.id, o.text, o.correct, o.rationale) for o in back.options] == [
            (o.id, o.text, o.correct, o.rationale) for o in q.options
        ]


def test_every_moodle_share_of_full_marks_is_accepted():
    """Weights Moodle writes for 3, 6 and 7 correct answers (33.33333 …) are valid grades."""
    text = "::w::Q?{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-16.66667%d ~%-14.28571%e}"
    (q,) = read_text(text).pack.questions
    assert q.type == "multiple" and [o.correct for o in q.options] == [True] * 3 + [False] * 2


def test_header_pins_and_titles_and_studyapp_id_lines():
    """Header directives pin the pack; ``::title::`` is kept as the title; a
    ``// studyapp-id:`` line gives the id back; the same text gives the same version."""
    text = (
        "// Our bank\n// studyapp-pack: district-quiz\n// studyapp-title:  District   quiz \n\n"
        "$CATEGORY: $course$/top/Bank/Strategic Planning\n\n"
        "// studyapp-id: h-0123456789ab\n::Plan first::Which plan?{=Strategic ~Tactical}\n\n"
        "::Q 2::Which budget?{=Operating ~Capital}\n"
    )
    result = read_text(text, "whatever.gift")
    m = result.pack.manifest
    assert (m.id, m.title) == ("district-quiz", "District quiz")
    assert m.version == read_text(text, "other name.gift").pack.manifest.version
    assert m.version.startswith("1.0.0-sha.")
    by_id = {q.id: q.title for q in result.pack.questions}
    assert by_id == {"h-0123456789ab": "Plan first", "Q-2": "Q 2"}


def test_pack_title_from_common_top_category_or_readable_file_name():
    """A top category all questions share names the pack; otherwise the file name does."""
    shared = "$CATEGORY: $course$/Default for New Features/Strategic Planning\n\nQ?{=a ~b}\n"
    assert read_text(shared).pack.manifest.title == "New Features"
    skill_only = "$CATEGORY: Strategic Planning\n\nQ?{=a ~b}\n"
    assert read_text(skill_only, "district_quiz-2026.gift").pack.manifest.title == (
        "District quiz 2026"
    )


def test_export_writes_pin_title_and_ids_that_come_back():
    """The export names the pack and its title; titled and untitled questions keep their
    ids through a round trip, and no id is written as a title."""
    qs = (
        Question(
            "lv-001",
            None,
            "single",
            "Stem one?",
            (Option("a", "x", True, ""), Option("b", "y", False, "")),
        ),
        Question(
            "h-aaaaaaaaaaaa",
            None,
            "single",
            "Stem two?",
            (Option("a", "x", True, ""), Option("b", "y", False, "")),
            title="Budget cycle",
        ),
    )
    data = GIFT.write(MANIFEST, qs, CETL, {}).decode("utf-8")
    assert data.startswith("// studyapp-pack: hypo\n// studyapp-title: Hypo\n")
    assert "::lv-001::" not in data and "::Budget cycle::" in data
    back = read_text(data, "renamed.gift").pack
    assert back.manifest.id == "hypo"
    assert {q.id: q.title for q in back.questions} == {
        "lv-001": "",
        "h-aaaaaaaaaaaa": "Budget cycle",
    }
    assert "studyapp-pack" not in GIFT.write(MANIFEST, qs, CETL, {}, pin=False).decode()
