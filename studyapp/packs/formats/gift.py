"""Moodle GIFT (docs.moodle.org/en/GIFT_format): read and write.

Reading follows Moodle's own parser so a file behaves as it does in Moodle: questions are
separated by blank lines; lines starting ``//`` are comments; ``::title::`` names a
question; ``$CATEGORY:`` switches category; ``\\`` escapes ``~ = # { } :`` and ``\\n`` is a
newline; ``[html]``, ``[moodle]``, ``[plain]`` and ``[markdown]`` set a text's format.
Imported: multiple choice (``=`` right, ``~`` wrong; with no ``=`` the answers with a
positive ``%weight%`` are the correct ones) and true/false (two options). Skipped, each
with its line and reason: essay, short answer, numerical, matching, missing word (text
after the answer block) and description questions.

Writing produces one question per line group, with the text in ``[markdown]`` and every
newline written ``\\n``, so any text survives a round trip (``docs/interchange.md``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from studyapp.domain.framework import Framework
from studyapp.domain.pack import PackManifest
from studyapp.domain.question import Question, QuestionType
from studyapp.packs.formats.build import build_result
from studyapp.packs.formats.common import (
    GRADE_TEXT,
    Collector,
    Draft,
    DraftOption,
    InterchangeFormat,
    InterchangeResult,
    Weighted,
    claimed_by,
    clean_category,
    is_moodle_grade,
    weighted_options,
)
from studyapp.packs.formats.textutil import (
    auto_to_markdown,
    plain_to_markdown,
    question_id_from,
    snippet,
    split_lines,
)

NAME = "gift"
_ESCAPABLE = "\\~=#{}:"
_ESCAPES = str.maketrans({c: "\\" + c for c in _ESCAPABLE} | {"\n": "\\n"})
_NEWLINE_MARK = len(_ESCAPABLE)  # ``\n`` gets a placeholder too, so line counts stay true
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_TITLE_LINE = re.compile(r"(?m)^::[^:\n]+::")
# ``// studyapp-id: lv-001`` inside a question's lines: the id StudyApp exported it with.
_ID_LINE = re.compile(r"^//\s*studyapp-id\s*:\s*(\S+)\s*$", re.IGNORECASE)


def sniff(name: str, data: bytes) -> bool:
    """GIFT by extension (``.gift``, ``.gift.txt``), or text with GIFT answer blocks."""
    claimed = claimed_by(name)
    if claimed is not None:
        return claimed == NAME
    head = data[:65536].decode("utf-8", "replace")
    return "$CATEGORY:" in head or _has_answer_block(head) or _TITLE_LINE.search(head) is not None


def _has_answer_block(text: str, tries: int = 1000) -> bool:
    """Whether some ``{…}`` holds ``=`` or ``~`` (a bounded scan, no regex backtracking)."""
    start = text.find("{")
    while start >= 0 and tries > 0:
        end = text.find("}", start)
        if end < 0:
            return False
        inner = text[start + 1 : end]
        if "{" not in inner and ("=" in inner or "~" in inner):
            return True
        start, tries = text.find("{", start + 1), tries - 1
    return False


@dataclass(frozen=True, slots=True)
class _Text:
    """Escaped GIFT text: placeholders stand for escaped characters until restored."""

    marks: dict[str, str]

    def restore(self, text: str) -> str:
        for mark, char in self.marks.items():
            text = text.replace(mark, char)
        return text


def _protect(text: str) -> tuple[str, _Text]:
    """Replace every escape by a private character absent from the text (one pass)."""
    base = 0xF0000
    while any(chr(base + i) in text for i in range(len(_ESCAPABLE) + 1)):
        base += len(_ESCAPABLE) + 1
    marks = {chr(base + i): c for i, c in enumerate(_ESCAPABLE)}
    marks[chr(base + _NEWLINE_MARK)] = "\n"
    reverse = {c: m for m, c in marks.items() if c != "\n"}
    reverse["n"] = chr(base + _NEWLINE_MARK)

    def sub(match: re.Match[str]) -> str:
        return reverse[match.group(1)]

    return _ESCAPE.sub(sub, text), _Text(marks)


def _blocks(text: str) -> list[tuple[int, list[str], str]]:
    """Questions as (first line number, trimmed lines, pinned id); comments become blank.

    A ``// studyapp-id: X`` comment among a question's lines is the id StudyApp exported
    it with; it is returned so the question keeps that id (``docs/interchange.md``).
    """
    blocks: list[tuple[int, list[str], str]] = []
    current: list[str] = []
    pinned = ""
    start = 0
    for number, raw in enumerate(split_lines(text), 1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append((start, current, pinned))
            current, pinned = [], ""
            continue
        if not current:
            start = number
        if line.startswith("//"):
            found = _ID_LINE.match(line)
            if found:
                pinned = found.group(1)
            current.append(" ")
        else:
            current.append(line)
    if current:
        blocks.append((start, current, pinned))
    return blocks


def read(
    data: bytes, source_name: str, framework: Framework, skill_override: str | None
) -> InterchangeResult:
    """Read a GIFT file into a pack (see the module docstring for what is kept)."""
    out, text = Collector.for_text(data, source_name)
    category = ""
    for start, lines, pinned in _blocks(text):
        # Keep one line per source line so offsets still give line numbers.
        body = "\n".join(lines)
        first = body.lstrip(" \n")
        first_line = start + body[: len(body) - len(first)].count("\n")
        if not first:
            continue  # only comments
        if first.startswith("$CATEGORY:"):
            head, _, rest = first.partition("\n")
            category = clean_category(head[len("$CATEGORY:") :])
            if not rest.strip():
                continue
            first = rest.lstrip(" \n")
            first_line += 1 + rest[: len(rest) - len(first)].count("\n")
        count = len(out.drafts)
        _question(first, first_line, category, out)
        if pinned and len(out.drafts) > count:
            out.drafts[-1] = replace(out.drafts[-1], key=pinned)
    return build_result(
        out,
        source_name=source_name,
        source_format=NAME,
        framework=framework,
        skill_override=skill_override,
    )


def _split_format(text: str, default: str) -> tuple[str, str]:
    match = _FORMAT.match(text)
    if match:
        return match.group(1).lower(), text[match.end() :]
    return default, text


def _to_markdown(text: str, fmt: str) -> str:
    text = text.strip()
    if fmt in ("markdown", "html"):
        return text
    if fmt == "plain":
        return plain_to_markdown(text)
    return auto_to_markdown(text)


def _question(raw: str, line: int, category: str, out: Collector) -> None:
    text, esc = _protect(raw)

    def line_at(index: int) -> int:
        return line + text[:index].count("\n")

    title, pos = "", 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            out.skip(line, snippet(esc.restore(text)), "the title opened with '::' is not closed.")
            return
        title, pos = esc.restore(text[2:end]).strip(), end + 2
    open_at, close_at = text.find("{", pos), text.find("}", pos)
    name = title or snippet(esc.restore(text[pos : open_at if open_at >= 0 else None]))
    if open_at < 0 and close_at < 0:
        out.skip(line, name, "a description (no answers); StudyApp only imports questions.")
        return
    if close_at < 0:
        out.skip(
            line,
            name,
            f"the answer block opened with '{{' on line {line_at(open_at)} is not closed.",
        )
        return
    if open_at < 0 or close_at < open_at:
        out.skip(
            line,
            name,
            f"the '}}' on line {line_at(close_at)} has no '{{' before it; write a literal "
            "brace as \\} or \\{.",
        )
        return
    text = text[pos:]
    open_at, close_at = open_at - pos, close_at - pos
    qformat, stem_raw = _split_format(text[:open_at].strip(), "moodle")
    inner = text[open_at + 1 : close_at]
    after = text[close_at + 1 :].strip()
    general = ""
    gf_at = inner.rfind("####")
    if gf_at >= 0:
        general, inner = inner[gf_at + 4 :], inner[:gf_at]
    inner = inner.strip()
    kind = _kind(inner)
    if kind not in ("multichoice", "truefalse"):
        out.skip(
            line,
            name,
            f"{kind} questions are not supported; StudyApp imports multiple choice and true/false.",
        )
        return
    if after:
        reason = (
            "has a second answer block; separate questions with a blank line."
            if "{" in after
            else "text follows the answer block (a missing-word question), which StudyApp "
            "does not support."
        )
        out.skip(line, name, reason)
        return
    stem = _to_markdown(esc.restore(stem_raw), qformat)
    gformat, general = _split_format(general.strip(), qformat)
    explanation = _to_markdown(esc.restore(general), gformat)
    if kind == "truefalse":
        draft = _truefalse(inner, esc, qformat)
    else:
        draft_or_reason = _multichoice(inner, esc, qformat, name, out)
        if isinstance(draft_or_reason, str):
            out.skip(line, name, draft_or_reason)
            return
        draft = draft_or_reason
    qtype, options = draft
    out.drafts.append(
        Draft(line, name, title, category, qtype, stem, options, explanation, title=title[:200])
    )


def _kind(inner: str) -> str:
    if not inner:
        return "essay"
    if inner.startswith("#"):
        return "numerical"
    if "~" in inner:
        return "multichoice"
    if "=" in inner and "->" in inner:
        return "matching"
    head = inner.split("#", 1)[0].strip().upper()
    return "truefalse" if head in _TF else "short-answer"


def _feedback(raw: str, esc: _Text, default: str) -> str:
    fmt, text = _split_format(raw.strip(), default)
    return _to_markdown(esc.restore(text), fmt)


def _truefalse(
    inner: str, esc: _Text, qformat: str
) -> tuple[QuestionType, tuple[DraftOption, ...]]:
    head, _, feedback = inner.partition("#")
    value = _TF[head.strip().upper()]
    wrong, _, right = feedback.partition("#")
    wrong_fb, right_fb = _feedback(wrong, esc, qformat), _feedback(right, esc, qformat)
    true_opt = DraftOption("True", value, right_fb if value else wrong_fb)
    false_opt = DraftOption("False", not value, wrong_fb if value else right_fb)
    return "single", (true_opt, false_opt)


def _multichoice(
    inner: str, esc: _Text, qformat: str, name: str, out: Collector
) -> tuple[QuestionType, tuple[DraftOption, ...]] | str:
    pieces = inner.replace("=", "~=").split("~")
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    answers: list[Weighted] = []
    has_equals = False
    for number, piece in enumerate(pieces, 1):
        piece = piece.strip()
        full = piece.startswith("=")
        has_equals = has_equals or full
        piece = piece[1:].strip() if full else piece
        weight = 100.0 if full else 0.0
        match = _WEIGHT.match(piece)
        if match:
            weight = float(match.group(1))
            if not is_moodle_grade(weight):
                return (
                    f"answer {number} has the weight {match.group(1)}%, which is not one of "
                    "Moodle's grades (such as 100, 50, 33.33333, 25, 20); correct it and "
                    "import again."
                )
            piece = piece[match.end() :].strip()
        answer, _, feedback = piece.partition("#")
        afmt, answer = _split_format(answer.strip(), qformat)
        text = _to_markdown(esc.restore(answer), afmt)
        answers.append((weight, text, _feedback(feedback, esc, qformat)))
    return weighted_options(answers, single=has_equals, where=name, out=out, weight_word="weight")


# ------------------------------------------------------------------ writing


def escape(text: str) -> str:
    """GIFT-escape ``text`` and put it on one line (newlines become ``\\n``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPES)


def _field(text: str) -> str:
    """An answer or feedback text, protected from being read as a format or a weight."""
    body = escape(text.strip())
    return f"[markdown]{body}" if body.startswith("[") else body


def category_path(framework: Framework | None, skill: str | None) -> str:
    """``framework/skill area title`` (``/`` inside a name is doubled, as Moodle does)."""
    fw_id = framework.id if framework is not None else "studyapp"
    title = "Unassigned"
    if framework is not None and skill is not None:
        found = framework.find_skill(skill)
        title = found.title if found is not None else skill
    return f"{fw_id.replace('/', '//')}/{title.replace('/', '//')}"


def write(
    manifest: PackManifest,
    questions: tuple[Question, ...],
    framework: Framework | None,
    media: Mapping[str, bytes],
    *,
    pin: bool = True,
) -> bytes:
    """GIFT text (UTF-8) for ``questions``; media cannot travel in GIFT and stay behind.

    With ``pin``, the header names the pack id (``// studyapp-pack: id``), so importing the
    file, edited or not, updates that pack; the title always travels. A question's
    ``::title::`` is its title; its id travels in ``// studyapp-id:`` when the title would
    not give it back.
    """
    del media  # GIFT has no way to carry images; docs/interchange.md says so.
    lines = [f"// studyapp-pack: {manifest.id}"] if pin else []
    lines += [
        f"// studyapp-title: {' '.join(manifest.title.split())}",
        f"// Exported by StudyApp from pack {manifest.id}: {len(questions)} questions.",
        "// Categories are framework/skill area; option feedback is each option's rationale;",
        "// the general feedback (####) is the explanation.",
        "",
    ]
    current = None
    for q in questions:
        path = category_path(framework, q.skill)
        if path != current:
            lines += [f"$CATEGORY: {path}", ""]
            current = path
        meta = f"// {q.id} | {q.type} | difficulty {q.difficulty}"
        if q.tags:
            meta += " | tags: " + ", ".join(q.tags)
        lines.append(meta)
        title = " ".join(q.title.split())
        if not title or question_id_from(title) != q.id:
            lines.append(f"// studyapp-id: {q.id}")
        named = f"::{escape(title)}::" if title else ""
        lines.append(f"{named}[markdown]{escape(q.stem.strip())}{{")
        n_right = sum(o.correct for o in q.options)
        n_wrong = len(q.options) - n_right
        for o in q.options:
            text = _field(o.text)
            if q.type == "multiple":
                share = GRADE_TEXT[n_right] if o.correct else "-" + GRADE_TEXT[max(n_wrong, 1)]
                head = f"~%{share}%"
            else:
                head = "=" if o.correct else "~"
                if text.startswith("%"):
                    head += "%100%" if o.correct else "%0%"
            feedback = f"#{_field(o.rationale)}" if o.rationale.strip() else ""
            lines.append(f"{head}{text}{feedback}")
        if q.explanation.strip():
            lines.append(f"####{_field(q.explanation)}")
        lines += ["}", ""]
    return ("\n".join(lines)).encode("utf-8")


GIFT = InterchangeFormat(
    name=NAME,
    label="Moodle GIFT",
    extensions=(".gift", ".gift.txt"),
    sniff=sniff,
    read=read,
    write=write,
)
