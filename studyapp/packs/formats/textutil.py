"""Text helpers shared by the interchange formats: decoding, ids, plain text to Markdown.

Interchange files come from other programs, so their text is decoded defensively
(:func:`decode_text`) and their identifiers are turned into StudyApp ids by one
documented rule (:func:`question_id_from`, :func:`stem_id`, :func:`pack_id_from_name`;
``docs/interchange.md``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePath

from studyapp.domain.errors import PackError
from studyapp.domain.pack import PACK_ID_RE, QUESTION_ID_RE

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TAG = re.compile(r"<[A-Za-z/!][^>]*>")
_SPACE = re.compile(r"\s+")


def decode_text(data: bytes, source_name: str) -> tuple[str, str | None]:
    """Decode an interchange file; returns the text and a warning (None if UTF-8).

    UTF-8, with or without a byte-order mark, is expected. Anything else is read as
    Windows-1252 only when that is unambiguous: no byte Windows-1252 leaves undefined,
    no control characters, and no valid UTF-8 multi-byte sequences (a file mixing both is
    damaged, and guessing would corrupt it). UTF-16 and other encodings are refused.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PackError(
            f"{source_name}: is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8') "
            "and import it again."
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    line = data.count(b"\n", 0, bad_at) + 1
    refuse = PackError(
        f"{source_name}: line {line}: is not UTF-8 text (byte {bad_at}), and it is not "
        "clearly Windows-1252 either; save it as UTF-8 and import it again."
    )
    if b"\x00" in data or _UTF8_MULTIBYTE.search(data):
        raise refuse
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise refuse from exc
    if _BAD_CONTROLS.search(text):
        raise refuse
    return text, (
        f"{source_name}: is not UTF-8 (first at line {line}); it was read as Windows-1252. "
        "Check accented letters and symbols, and save the file as UTF-8 to be sure."
    )


def split_lines(text: str) -> list[str]:
    """Split on CR, LF or CRLF only (never on the other Unicode line separators)."""
    return _LINE_BREAK.split(text)


def plain_to_markdown(text: str) -> str:
    """Markdown that renders as exactly ``text`` (plain text in, literal text out).

    Characters Markdown would interpret are escaped; ``<`` and ``&`` become entities so
    that text such as ``<html class="cool"> &`` shows as written instead of being
    treated as markup (the sanitiser would otherwise drop it).
    """
    out_lines = []
    for line in split_lines(text):
        line = line.strip()
        line = line.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
        line = re.sub(r"([`*_\[\]|])", r"\\\1", line)
        line = re.sub(r"^([#>+-])", r"\\\1", line)
        line = re.sub(r"^=(=*)$", r"&#61;\1", line)  # '===' would underline a heading
        line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
        out_lines.append(line)
    return "\n".join(out_lines)


def auto_to_markdown(text: str) -> str:
    """Moodle's auto format: text that may hold HTML. Kept as written when it holds tags
    (rendering sanitises them); otherwise it is plain text and escaped as such."""
    return text.strip() if _TAG.search(text) else plain_to_markdown(text)


def snippet(text: str, limit: int = 60) -> str:
    """A short one-line label for reports: tags removed, spaces collapsed."""
    flat = _SPACE.sub(" ", _TAG.sub(" ", text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def question_id_from(key: str) -> str:
    """A question id from a title, idnumber or id column (the stable-id rule).

    A key that is already a valid id is kept exactly, so ids survive export and import.
    Otherwise accents are removed, every run of other characters becomes ``-``, and the
    result is cut to 120 characters. A key with no usable letters (for example one
    written entirely in another script) becomes ``t-`` and 12 hex digits of its SHA-256.
    """
    key = key.strip()
    if QUESTION_ID_RE.match(key):
        return key
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9._:-]+", "-", ascii_text)
    slug = re.sub(r"-{2,}", "-", slug)
    slug = re.sub(r"^[^A-Za-z0-9]+", "", slug)[:120].rstrip("-.:_")
    if slug and QUESTION_ID_RE.match(slug):
        return slug
    return "t-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def normalise_stem(stem: str) -> str:
    """The stem as compared for identity: NFKC, case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", stem).casefold()).strip()


def stem_id(stem: str) -> str:
    """The id of a question with no title or idnumber: ``h-`` + 12 hex of its stem."""
    return "h-" + hashlib.sha256(normalise_stem(stem).encode("utf-8")).hexdigest()[:12]


def pack_id_from_name(source_name: str) -> str:
    """The pack id of an imported file: its name without the last extension, lower-case,
    with every run of characters a pack id may not hold replaced by ``-``."""
    name = PurePath(source_name).name
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9._-]+", "-", ascii_text.lower()).strip("-._")[:100]
    if not slug or not PACK_ID_RE.match(slug):
        slug = "import-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug
