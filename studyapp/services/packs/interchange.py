"""Interchange files in the pack use cases: recognise, read, version, export.

:class:`~studyapp.services.packs.service.PackService` routes a GIFT, Moodle XML, Aiken or CSV
file through here and then through the same all-or-nothing ``apply`` as a native pack.
What is decided here, and why:

- **format**: a folder, a ZIP or a ``.studypack`` is a native pack; anything else is
  sniffed by the interchange formats (extension first, then content);
- **framework**: interchange files name none, so questions go to ``cetl`` when the
  profile has it, else to the profile's only framework;
- **identity** (decision 0011): the reader gives the pack id, version and question ids
  from the file alone (pinned by the file, else from its name and content), so the same
  file gives the same pack on every machine whatever was imported before; a changed file
  replaces the installed pack with the same id, whatever format that came in;
- **safety**: a pack shipped with the app is only replaced by a file that names its id
  itself (``studyapp-pack: cetl-core``), never by one that merely shares its file name;
  the user's own questions are never replaced (``apply_pack`` refuses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PurePath

from studyapp import fsutil
from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.domain.pack import InstalledPack, Pack
from studyapp.packs.formats import (
    FORMATS,
    MAX_INPUT_BYTES,
    WRITABLE,
    InterchangeResult,
    by_name,
    detect,
    remap,
)

STUDYPACK = "studypack"
INTERCHANGE_ORIGIN = "interchange"
SHIPPED_ORIGIN = "shipped"
DEFAULT_FRAMEWORK = "cetl"
IMPORT_FORMATS: tuple[str, ...] = (STUDYPACK, *(f.name for f in FORMATS))
EXPORT_FORMATS: tuple[str, ...] = (STUDYPACK, *(f.name for f in WRITABLE))
_SNIFF_BYTES = 65536


def detect_format(path: Path) -> str:
    """``studypack`` or the name of the interchange format ``path`` is written in."""
    if path.is_dir() or path.suffix.lower() == ".studypack":
        return STUDYPACK
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
    except OSError as exc:
        raise PackError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    if head.startswith(b"PK\x03\x04"):
        return STUDYPACK
    fmt = detect(path.name, head)
    if fmt is None:
        raise PackError(
            f"{path}: is not a file StudyApp recognises (a StudyApp pack, GIFT, Moodle XML, "
            "Aiken or CSV); name the format with --format."
        )
    return fmt.name


def read_file(path: Path) -> bytes:
    """The bytes of an interchange file, under the size limit."""
    if path.is_symlink():
        raise PackError(f"{path}: is a symbolic link; import the file it points to instead.")
    if not path.is_file():
        raise PackError(f"{path}: no such file.")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise PackError(
                f"{path}: is {size:,} bytes; question files may be at most "
                f"{MAX_INPUT_BYTES:,} bytes. Split it into smaller files."
            )
        return path.read_bytes()
    except OSError as exc:
        raise PackError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc


def choose_framework(frameworks: list[Framework]) -> Framework:
    """The framework imported questions belong to: CETL, else the only one installed."""
    by_id = {fw.id: fw for fw in frameworks}
    if DEFAULT_FRAMEWORK in by_id:
        return by_id[DEFAULT_FRAMEWORK]
    if len(by_id) == 1:
        return next(iter(by_id.values()))
    raise PackError(
        "This profile has no CETL framework and several others, so an imported question "
        "file cannot tell which one its questions belong to."
    )


def read_interchange(
    path: Path,
    fmt_name: str,
    frameworks: list[Framework],
    *,
    skill: str | None = None,
    category_skills: Mapping[str, str | None] | None = None,
) -> InterchangeResult:
    """Read an interchange file into a pack (nothing is written); PackError if unusable."""
    fmt = by_name(fmt_name)
    framework = choose_framework(frameworks)
    result = fmt.read(read_file(path), str(path), framework, skill)
    if category_skills:
        result = remap(result, framework, category_skills, skill)
    return result


def pack_to_install(result: InterchangeResult, installed: list[InstalledPack]) -> Pack:
    """The result's pack, checked against what is installed; PackError if it may not replace.

    The id, version and question ids are the file's own (nothing depends on the profile's
    history). A pack shipped with the app is replaced only when the file pins its id.
    """
    pack = result.pack
    current = next((p for p in installed if p.id == pack.manifest.id), None)
    if current is not None and current.origin == SHIPPED_ORIGIN and not result.pinned_id:
        raise PackError(
            f"The pack {current.title!r} ({current.id}) comes with StudyApp, and importing "
            f"{PurePath(result.source_name).name} would replace it only because of the file's "
            "name. Nothing was changed. Rename the file to import it as a pack of its own, or "
            f"put the line '// studyapp-pack: {current.id}' at its top to replace that pack "
            "on purpose."
        )
    return pack


def write_interchange(
    out: Path, fmt_name: str, pack: Pack, framework: Framework | None, *, pin: bool = True
) -> None:
    """Write ``pack`` as a GIFT or Moodle XML file, atomically (temp file, then rename).

    ``pin`` writes the pack id into the file, so importing it (edited or not) updates
    that pack anywhere; exports of a shipped pack leave it out (see decision 0011).
    """
    fmt = by_name(fmt_name)
    if fmt.write is None:
        raise PackError(
            f"StudyApp reads {fmt.label} but cannot write it; export as "
            + ", ".join(EXPORT_FORMATS)
            + "."
        )
    write_atomically(out, fmt.write(pack.manifest, pack.questions, framework, pack.media, pin=pin))


_XML_DECL = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_BOM = b"\xef\xbb\xbf"


def pinned_bytes(data: bytes, fmt_name: str, pack_id: str, title: str) -> bytes:
    """``data`` with ``studyapp-pack: <id>`` and ``studyapp-title:`` header lines added
    (either left out when empty: the file names it already).

    The lines are comments in every format and are not content, so the pack keeps its
    version; they make the id and title the file's own, whatever it is called later (a
    group folder stores files under names of its choosing). No version is pinned. Moodle
    XML gets comments after its declaration (the title only when the file is UTF-8 or the
    title plain ASCII).
    """
    title = " ".join(title.split())
    if fmt_name == "moodle-xml":
        decl = _XML_DECL.match(data)
        utf8 = decl is None or b"utf-8" in decl.group(0).lower() or b"encoding" not in decl.group(0)
        lines = [f"<!-- studyapp-pack: {pack_id} -->"] if pack_id else []
        if title and (utf8 or title.isascii()):
            lines.append(f"<!-- studyapp-title: {title.replace('--', '- -')} -->")
        if not lines:
            return data
        block = ("\n" + "\n".join(lines) + "\n").encode("utf-8")
        cut = decl.end() if decl else (len(_BOM) if data.startswith(_BOM) else 0)
        return data[:cut] + block + data[cut:]
    mark = "//" if fmt_name == "gift" else "#"
    text_block = "".join(
        f"{mark} studyapp-{kind}: {value}\n"
        for kind, value in (("pack", pack_id), ("title", title))
        if value
    )
    if data.startswith(_BOM):
        return _BOM + text_block.encode("utf-8") + data[len(_BOM) :]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 files are read as such only when they are not UTF-8 at all.
        return text_block.encode("cp1252", "replace") + data
    return text_block.encode("utf-8") + data


def write_atomically(out: Path, data: bytes) -> None:
    """Write ``data`` whole (:func:`studyapp.fsutil.write_atomically`); a PackError if not."""
    try:
        fsutil.write_atomically(out, data)
    except OSError as exc:
        raise PackError(f"{out}: could not be written ({exc.strerror or exc}).") from exc
