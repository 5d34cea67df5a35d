"""Interchange files in the pack use cases: recognise, read, version, export.

:class:`~studyapp.services.packs.PackService` routes a GIFT, Moodle XML, Aiken or CSV
file through here and then through the same all-or-nothing ``apply`` as a native pack.
What is decided here, and why:

- **format**: a folder, a ZIP or a ``.studypack`` is a native pack; anything else is
  sniffed by the interchange formats (extension first, then content);
- **framework**: interchange files name none, so questions go to ``cetl`` when the
  profile has it, else to the profile's only framework;
- **version**: the reader's ``1.0.0-sha.<hash>`` is rebased on the installed version
  (:func:`~studyapp.packs.formats.interchange_version`) so a corrected file always
  updates, and the same file again changes nothing;
- **ids**: a pack installed from a native pack file is never overwritten by an
  interchange file that happens to share its file name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

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
    interchange_version,
    remap,
)

STUDYPACK = "studypack"
INTERCHANGE_ORIGIN = "interchange"
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
    """The result's pack with its final version, given what is installed."""
    pack = result.pack
    current = next((p for p in installed if p.id == pack.manifest.id), None)
    if current is not None and current.origin != INTERCHANGE_ORIGIN:
        raise PackError(
            f"A pack with the id {current.id!r} is already installed from a StudyApp pack "
            f"file, and importing {result.source_name} would replace it. The id comes from "
            "the file name: rename the file and import it again. Nothing was changed."
        )
    version = interchange_version(
        pack.manifest.version, current.version if current is not None else None
    )
    return replace(pack, manifest=replace(pack.manifest, version=version))


def write_interchange(out: Path, fmt_name: str, pack: Pack, framework: Framework | None) -> None:
    """Write ``pack`` as a GIFT or Moodle XML file, atomically (temp file, then rename)."""
    fmt = by_name(fmt_name)
    if fmt.write is None:
        raise PackError(
            f"StudyApp reads {fmt.label} but cannot write it; export as "
            + ", ".join(EXPORT_FORMATS)
            + "."
        )
    data = fmt.write(pack.manifest.id, pack.questions, framework, pack.media)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with tmp.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PackError(f"{out}: could not be written ({exc.strerror or exc}).") from exc
