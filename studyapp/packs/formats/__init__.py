"""Interchange formats: GIFT, Moodle XML, Aiken and CSV in; GIFT and Moodle XML out.

:data:`FORMATS` is the explicit registry (no lookups by module path);
:data:`SNIFF_ORDER` is the order in which file contents are tried. Every reader returns
an :class:`InterchangeResult`: a pack ready for the same all-or-nothing import as a native
pack, plus what was skipped and why, warnings, and the category -> skill-area mapping
used. The field-by-field mapping, and what each
direction loses, is ``docs/interchange.md``.
"""

from __future__ import annotations

from studyapp.domain.errors import PackError
from studyapp.packs.formats.aiken import AIKEN
from studyapp.packs.formats.build import readable_name, remap
from studyapp.packs.formats.common import (
    MAX_INPUT_BYTES,
    Draft,
    DraftOption,
    InterchangeFormat,
    InterchangeResult,
    PackHeader,
    SkippedItem,
)
from studyapp.packs.formats.csv_format import CSV
from studyapp.packs.formats.gift import GIFT
from studyapp.packs.formats.moodle_xml import MOODLE_XML

FORMATS: tuple[InterchangeFormat, ...] = (GIFT, MOODLE_XML, AIKEN, CSV)
# Content sniffing tries the most specific signatures first (a <quiz> root, a CSV header)
# so that, say, a CSV cell holding "{a=b}" does not make the file look like GIFT.
SNIFF_ORDER: tuple[InterchangeFormat, ...] = (MOODLE_XML, CSV, AIKEN, GIFT)
WRITABLE: tuple[InterchangeFormat, ...] = tuple(f for f in FORMATS if f.write is not None)

__all__ = [
    "FORMATS",
    "MAX_INPUT_BYTES",
    "SNIFF_ORDER",
    "WRITABLE",
    "Draft",
    "DraftOption",
    "InterchangeFormat",
    "InterchangeResult",
    "PackHeader",
    "SkippedItem",
    "by_name",
    "detect",
    "readable_name",
    "remap",
]


def by_name(name: str) -> InterchangeFormat:
    """The format called ``name`` (``gift``, ``moodle-xml``, ``aiken``, ``csv``)."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise PackError(
        f"Unknown question file format {name!r}; use one of: "
        + ", ".join(f.name for f in FORMATS)
        + "."
    )


def detect(name: str, data: bytes) -> InterchangeFormat | None:
    """The first format whose sniffer recognises the file (extension, then content)."""
    for fmt in SNIFF_ORDER:
        if fmt.sniff(name, data):
            return fmt
    return None
