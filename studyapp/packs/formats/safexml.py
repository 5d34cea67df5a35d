"""A small, hardened XML reader for interchange files (standard library expat only).

Untrusted XML is dangerous in known ways; each is closed here:

- entity expansion ("billion laughs") and external entities: any ``<!DOCTYPE`` or
  ``<!ENTITY`` in the prolog is refused before parsing, and expat's DOCTYPE and
  entity-declaration callbacks refuse again should one slip through; parameter entities
  are never parsed and nothing is ever fetched;
- size: the input is refused above :data:`MAX_XML_BYTES`;
- depth and breadth: more than :data:`MAX_DEPTH` nested elements or
  :data:`MAX_ELEMENTS` elements are refused.

Elements come back as :class:`Node` objects that remember their line, so reports can
name lines. Why not ``defusedxml``: these few checks are enough for reading Moodle
files, and the project prefers the standard library (``docs/interchange.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from studyapp.domain.errors import PackError
from studyapp.packs.formats.textutil import decode_text

MAX_XML_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_ELEMENTS = 2_000_000
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


@dataclass(slots=True)
class Node:
    """An element: tag, attributes, children, its own text (joined), and its line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def child(self, tag: str) -> Node | None:
        """The first child with this tag."""
        for node in self.children:
            if node.tag == tag:
                return node
        return None

    def all(self, tag: str) -> list[Node]:
        """Every child with this tag, in order."""
        return [node for node in self.children if node.tag == tag]

    def child_text(self, *path: str) -> str:
        """Text of the element at ``path`` below this one ('' if absent)."""
        node: Node | None = self
        for tag in path:
            node = node.child(tag) if node is not None else None
        return node.text if node is not None else ""


class _RefusedError(Exception):
    """Raised inside expat callbacks to stop parsing; becomes a PackError."""


def parse_xml(data: bytes, source_name: str) -> tuple[Node, str | None]:
    """Parse ``data`` under the limits; returns the root and a decoding warning, if any."""
    if len(data) > MAX_XML_BYTES:
        raise PackError(
            f"{source_name}: is {len(data):,} bytes; interchange files may be at most "
            f"{MAX_XML_BYTES:,} bytes. Split it into smaller files."
        )
    first = _FIRST_ELEMENT.search(data)
    prolog = data[: first.start()] if first else data
    if _DECLARATIONS.search(prolog):
        raise PackError(
            f"{source_name}: declares a DOCTYPE or entities, which StudyApp refuses in XML "
            "files for safety (Moodle never writes them). Remove the <!DOCTYPE …> part."
        )
    warning = None
    declared = _ENCODING.match(data)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")):
        text, warning = decode_text(data, source_name)
        data = text.encode("utf-8")
    root = _parse(data, source_name)
    return root, warning


def _parse(data: bytes, source_name: str) -> Node:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    stack: list[Node] = []
    roots: list[Node] = []
    count = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if len(stack) >= MAX_DEPTH:
            raise _RefusedError(f"elements are nested more than {MAX_DEPTH} deep")
        if count > MAX_ELEMENTS:
            raise _RefusedError(f"it holds more than {MAX_ELEMENTS:,} elements")
        node = Node(tag, dict(attrs), parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    def refuse_doctype(*_args: object) -> None:
        raise _RefusedError("it declares a DOCTYPE")

    def refuse_entity(*_args: object) -> None:
        raise _RefusedError("it declares an entity")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = lambda *_args: 0
    try:
        parser.Parse(data, True)
    except _RefusedError as exc:
        raise PackError(
            f"{source_name}: line {parser.CurrentLineNumber}: refused because {exc}; "
            "this is not a Moodle XML file StudyApp can read safely."
        ) from exc
    except LookupError as exc:  # expat asks Python's codecs for a declared encoding
        raise PackError(
            f"{source_name}: declares a text encoding StudyApp does not know ({exc}). Save "
            "the file as UTF-8 and import it again."
        ) from exc
    except expat.ExpatError as exc:
        raise PackError(
            f"{source_name}: line {exc.lineno}, column {exc.offset + 1}: the XML is not "
            f"well-formed ({expat.ErrorString(exc.code)}). Export it from Moodle again or fix "
            "that spot."
        ) from exc
    if not roots:
        raise PackError(f"{source_name}: holds no XML element.")
    return roots[0]
