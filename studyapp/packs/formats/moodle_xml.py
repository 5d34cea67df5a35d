"""Moodle XML question files: read and write.

Read through :mod:`studyapp.packs.formats.safexml` (no DTDs or entities, size and depth
limits). Imported: ``multichoice`` (single and multiple answer) and ``truefalse``, with
their category (nested paths), per-answer feedback (the rationale), general feedback
(the explanation), tags, and images embedded as base64 (``<file>``), which become pack
media ``media/<sha256>.<ext>`` with every ``@@PLUGINFILE@@/name`` reference rewritten.
HTML text is kept as written; rendering sanitises it. Other question types are skipped
and listed, as are answers whose grade Moodle itself would reject.

Writing gives one category per skill area (``framework/skill area title``), the text in
Moodle's Markdown format, rationales as answer feedback, the explanation as general
feedback, tags, ``difficulty:N`` as a tag, and images as embedded files.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import quote, unquote

from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.domain.media import sniff_image_type
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
    PackHeader,
    Weighted,
    claimed_by,
    clean_category,
    clean_tags,
    content_key,
    is_moodle_grade,
    pin_from,
    pin_in_text,
    weighted_options,
)
from studyapp.packs.formats.gift import category_path
from studyapp.packs.formats.safexml import Node, parse_xml
from studyapp.packs.formats.textutil import auto_to_markdown, plain_to_markdown, snippet
from studyapp.packs.limits import DEFAULT_LIMITS

NAME = "moodle-xml"
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s)<>]+)")
_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
_DIFFICULTY_TAG = re.compile(r"^difficulty:([123])$", re.IGNORECASE)
_INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_QUIZ = re.compile(rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<quiz[\s>]", re.DOTALL)
_SUPPORTED = ("multichoice", "truefalse")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_DIRECTIVE_COMMENT = re.compile(r"<!--\s*studyapp-(pack|title)\s*:(.*?)-->", re.DOTALL | re.I)


def sniff(name: str, data: bytes) -> bool:
    """Moodle XML by extension (``.xml``) or by a ``<quiz>`` root element."""
    claimed = claimed_by(name)
    if claimed is not None:
        return claimed == NAME
    return _QUIZ.match(data[:65536]) is not None


def read(
    data: bytes, source_name: str, framework: Framework, skill_override: str | None
) -> InterchangeResult:
    """Read a Moodle XML file into a pack (see the module docstring for what is kept)."""
    root, warning = parse_xml(data, source_name)
    out = Collector.with_warning(warning)
    if root.tag != "quiz":
        raise PackError(
            f"{source_name}: is XML but not a Moodle question file (its root element is "
            f"<{root.tag}>, not <quiz>)."
        )
    out.header = _header(data, root, source_name)
    category = ""
    for node in root.all("question"):
        qtype = node.attrs.get("type", "")
        if qtype == "category":
            cat = node.child("category")
            path = (cat.child_text("text") or cat.text) if cat is not None else ""
            category = clean_category(path)
            continue
        name = snippet(node.child_text("name", "text")) or snippet(
            node.child_text("questiontext", "text")
        )
        if qtype not in _SUPPORTED:
            out.skip(
                node.line,
                name,
                f"'{qtype or 'untyped'}' questions are not supported; StudyApp imports "
                "multichoice and truefalse.",
            )
            continue
        draft_or_reason = _question(node, qtype, name, category, out)
        if isinstance(draft_or_reason, str):
            out.skip(node.line, name, draft_or_reason)
        else:
            out.drafts.append(draft_or_reason)
    return build_result(
        out,
        source_name=source_name,
        source_format=NAME,
        framework=framework,
        skill_override=skill_override,
    )


def _header(data: bytes, root: Node, source_name: str) -> PackHeader:
    """Pinned id/version and title: ``<!-- studyapp-pack: id [version] -->`` and
    ``<!-- studyapp-title: … -->`` before the first question, or ``studyapp-pack:`` in the
    first category's ``<info>`` (where Moodle keeps a category's description)."""
    head = data[:65536].decode("utf-8", "replace")
    cut = head.find("<question")
    pack_id = version = title = ""
    for kind, value in _DIRECTIVE_COMMENT.findall(head if cut < 0 else head[:cut]):
        if kind.lower() == "pack":
            pack_id, version = pin_from(value.strip(), "comment", source_name)
        else:
            title = " ".join(value.split())[:200]
    if not pack_id:
        for node in root.all("question"):
            if node.attrs.get("type") != "category":
                break
            info = node.child("info")
            found = (
                pin_in_text(info.child_text("text"), f"line {node.line}", source_name)
                if (info is not None)
                else None
            )
            if found is not None:
                pack_id, version = found
                break
    return PackHeader(pack_id, version, title)


def _title(name: str, stem: str) -> str:
    """The question's ``<name>`` as its title, unless it only repeats the text's first
    words (as Moodle and StudyApp write for unnamed questions): that says nothing more."""
    title = " ".join(name.split())[:200]
    start = title.rstrip("…").strip()
    if start and snippet(_IMAGE.sub(" ", stem), 100_000).startswith(start):
        return ""
    return title


def _text_field(node: Node | None, where: str, out: Collector) -> str:
    """Markdown for a text element (questiontext, answer, feedback…), images resolved."""
    if node is None:
        return ""
    fmt = node.attrs.get("format", "html")
    text = node.child_text("text")
    files: dict[str, str | None] = {}
    for f in node.all("file"):
        fname = f.attrs.get("name", "")
        files[fname] = _media(f, fname, where, out)

    def swap(match: re.Match[str]) -> str:
        fname = unquote(match.group(1))
        if fname in files:
            return files[fname] or match.group(0)  # a file left out was reported already
        out.warn(f"{where}: refers to {fname!r}, which is not an embedded image; it is not shown.")
        return match.group(0)

    text = _PLUGINFILE.sub(swap, text).strip()
    if fmt == "plain_text":
        return plain_to_markdown(text)
    if fmt == "moodle_auto_format":
        return auto_to_markdown(text)
    return text  # html and markdown are kept as written


def _media(f: Node, fname: str, where: str, out: Collector) -> str | None:
    if f.attrs.get("encoding", "base64") != "base64":
        out.warn(f"{where}: file {fname!r} is not base64-encoded; left out.")
        return None
    try:
        data = base64.b64decode(re.sub(r"\s+", "", f.text), validate=True)
    except (binascii.Error, ValueError):
        out.warn(f"{where}: file {fname!r} is not valid base64; left out.")
        return None
    mime = sniff_image_type(data)
    if mime is None:
        out.warn(
            f"{where}: file {fname!r} is not a PNG, JPEG, GIF or WebP image; left out "
            "(StudyApp shows images only)."
        )
        return None
    if len(data) > DEFAULT_LIMITS.max_media_bytes:
        out.warn(f"{where}: image {fname!r} is larger than 10 MiB; left out.")
        return None
    name = f"media/{content_key(data)}.{_EXT[mime]}"
    out.media[name] = data
    return name


def _question(node: Node, qtype: str, name: str, category: str, out: Collector) -> Draft | str:
    where = f"line {node.line} ({name})" if name else f"line {node.line}"
    stem = _text_field(node.child("questiontext"), where, out)
    explanation = _text_field(node.child("generalfeedback"), where, out)
    answers: list[Weighted] = []
    for number, answer in enumerate(node.all("answer"), 1):
        raw = answer.attrs.get("fraction", "0").strip() or "0"
        try:
            fraction = float(raw)
        except ValueError:
            return f"answer {number} has the grade {raw!r}, which is not a number."
        if not is_moodle_grade(fraction):
            return (
                f"answer {number} (line {answer.line}) has the grade {raw}%, which is not one "
                "of Moodle's grades (such as 100, 50, 33.33333, 25, 20); Moodle rejects it "
                "too. Correct the grade and export again."
            )
        text = _text_field(answer, where, out)
        feedback = _text_field(answer.child("feedback"), where, out)
        answers.append((fraction, text, feedback))
    tags_raw = [t.child_text("text") for t in (node.child("tags") or Node("", {}, 0)).all("tag")]
    difficulty = 2
    plain_tags = []
    for tag in tags_raw:
        match = _DIFFICULTY_TAG.match(tag.strip())
        if match:
            difficulty = int(match.group(1))
        else:
            plain_tags.append(tag)
    tags = clean_tags(plain_tags, where, out.warnings)
    key = node.child_text("idnumber").strip()
    title = _title(node.child_text("name", "text"), stem)

    def draft(kind: QuestionType, options: tuple[DraftOption, ...]) -> Draft:
        return Draft(
            node.line,
            name,
            key,
            category,
            kind,
            stem,
            options,
            explanation,
            difficulty,
            tags,
            title,
        )

    if qtype == "truefalse":
        by_text = {a[1].strip().lower(): a for a in answers}
        if set(by_text) != {"true", "false"}:
            return "a true/false question needs exactly the answers 'true' and 'false'."
        options = tuple(
            DraftOption(label, by_text[label.lower()][0] > 0, by_text[label.lower()][2])
            for label in ("True", "False")
        )
        return draft("single", options)
    single = node.child_text("single").strip().lower() not in ("false", "0", "no")
    answers = [a for a in answers if a[1].strip() or a[0] > 0]  # Moodle drops blank answers
    chosen = weighted_options(answers, single=single, where=where, out=out, weight_word="grade")
    return chosen if isinstance(chosen, str) else draft(*chosen)


# ------------------------------------------------------------------ writing


def _clean(text: str) -> str:
    return _INVALID_XML_CHARS.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _file_name(media_name: str) -> str:
    return media_name.removeprefix("media/").replace("/", "_")


def _text(
    parent: ET.Element, tag: str, text: str, media: Mapping[str, bytes], fmt: str = "markdown"
) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt})
    for name in sorted(media, key=len, reverse=True):
        if name in text:
            text = text.replace(name, "@@PLUGINFILE@@/" + quote(_file_name(name)))
            ET.SubElement(
                element, "file", {"name": _file_name(name), "path": "/", "encoding": "base64"}
            ).text = base64.b64encode(media[name]).decode("ascii")
    text_el = ET.Element("text")
    text_el.text = _clean(text)
    element.insert(0, text_el)
    return element


def _comment(text: str) -> str:
    return " " + _clean(" ".join(text.split())).replace("--", "- -") + " "


def write(
    manifest: PackManifest,
    questions: tuple[Question, ...],
    framework: Framework | None,
    media: Mapping[str, bytes],
    *,
    pin: bool = True,
) -> bytes:
    """Moodle XML (UTF-8) for ``questions``, images embedded.

    With ``pin``, a comment names the pack id (``studyapp-pack: id``) so importing the
    file updates that pack; the title travels in a ``studyapp-title`` comment. Each
    question's ``<name>`` is its title (else the first words of its text) and its
    ``<idnumber>`` its id.
    """
    quiz = ET.Element("quiz")
    if pin:
        quiz.append(ET.Comment(_comment(f"studyapp-pack: {manifest.id}")))
    quiz.append(ET.Comment(_comment(f"studyapp-title: {manifest.title}")))
    quiz.append(
        ET.Comment(
            _comment(f"Exported by StudyApp from pack {manifest.id}: {len(questions)} questions.")
        )
    )
    current = None
    for q in questions:
        path = category_path(framework, q.skill)
        if path != current:
            cat = ET.SubElement(quiz, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(cat, "category"), "text").text = f"$course$/top/{path}"
            current = path
        el = ET.SubElement(quiz, "question", {"type": "multichoice"})
        name = " ".join(q.title.split()) or snippet(_IMAGE.sub(" ", q.stem), 80)
        ET.SubElement(ET.SubElement(el, "name"), "text").text = _clean(name)
        _text(el, "questiontext", q.stem, media)
        _text(el, "generalfeedback", q.explanation, media)
        ET.SubElement(el, "defaultgrade").text = "1.0000000"
        ET.SubElement(el, "penalty").text = "0.3333333"
        ET.SubElement(el, "hidden").text = "0"
        ET.SubElement(el, "idnumber").text = _clean(q.id)
        ET.SubElement(el, "single").text = "true" if q.type == "single" else "false"
        ET.SubElement(el, "shuffleanswers").text = "true"
        ET.SubElement(el, "answernumbering").text = "abc"
        n_right = sum(o.correct for o in q.options)
        n_wrong = max(len(q.options) - n_right, 1)
        for o in q.options:
            if q.type == "single":
                fraction = "100" if o.correct else "0"
            else:
                fraction = GRADE_TEXT[n_right] if o.correct else "-" + GRADE_TEXT[n_wrong]
            answer = _text(el, "answer", o.text, media)
            answer.set("fraction", fraction)
            _text(answer, "feedback", o.rationale, media)
        tags = ET.SubElement(el, "tags")
        for tag in [*q.tags, f"difficulty:{q.difficulty}"]:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = _clean(tag)
    ET.indent(quiz, space="  ")
    body = ET.tostring(quiz, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


MOODLE_XML = InterchangeFormat(
    name=NAME,
    label="Moodle XML",
    extensions=(".xml",),
    sniff=sniff,
    read=read,
    write=write,
)
