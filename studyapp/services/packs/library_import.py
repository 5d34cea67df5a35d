"""Importing from the Library: recognise a file, preview an interchange file's categories
and their skill-area mapping without writing anything, then import or update (all or
nothing, through :class:`~studyapp.services.packs.service.PackService`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from studyapp.domain.errors import PackError
from studyapp.domain.pack import ImportReport, display_version
from studyapp.packs.formats import by_name
from studyapp.services.changes import Outcome
from studyapp.services.packs.interchange import STUDYPACK, choose_framework, detect_format
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile

Progress = Callable[[int, int, str], None]


def _quiet(_done: int, _total: int, _text: str = "") -> None:
    return None


@dataclass(frozen=True, slots=True)
class SkillChoice:
    """A skill area offered in filters and combo boxes."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class CategoryPreview:
    """One category of an interchange file: its questions and the skill area they get."""

    category: str
    questions: int
    skill: str | None


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """A file about to be imported, read without writing anything.

    For a native pack only ``format`` is filled (it is validated when imported); for an
    interchange file, the categories with their mapping, what will be skipped and why.
    """

    path: Path
    format: str
    format_label: str = ""
    pack_id: str = ""
    questions: int = 0
    categories: tuple[CategoryPreview, ...] = ()
    skills: tuple[SkillChoice, ...] = ()
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # The installed pack's version as people read it (never a hash), None if not installed.
    installed_version: str | None = None
    pack_title: str = ""
    display_version: str = ""  # the version the file installs as, for people

    @property
    def needs_mapping(self) -> bool:
        return self.format != STUDYPACK


def preview_import(profile: Profile, path: Path, format: str | None = None) -> ImportPreview:
    """Recognise ``path``; for an interchange file, read its categories and mapping."""
    fmt = format or detect_format(path)
    if fmt == STUDYPACK:
        return ImportPreview(path, fmt, "StudyApp pack")
    result = PackService(profile).read_interchange(path, fmt)
    counts: dict[str, int] = {}
    for q in result.pack.questions:
        category = str(q.extra.get("category", ""))
        counts[category] = counts.get(category, 0) + 1
    framework = choose_framework(profile.frameworks())
    installed = {p.id: p for p in PackService(profile).list()}
    pack_id = result.pack.manifest.id
    return ImportPreview(
        path=path,
        format=fmt,
        format_label=by_name(fmt).label,
        pack_id=pack_id,
        questions=len(result.pack.questions),
        categories=tuple(
            CategoryPreview(c, counts.get(c, 0), skill) for c, skill in result.categories.items()
        ),
        skills=tuple(SkillChoice(s.id, s.title) for s in framework.skill_areas),
        skipped=tuple(str(s) for s in result.skipped),
        warnings=result.warnings,
        installed_version=installed[pack_id].display_version if pack_id in installed else None,
        pack_title=result.pack.manifest.title,
        display_version=display_version(result.pack.manifest.version),
    )


def import_file(
    profile: Profile,
    path: Path,
    *,
    format: str | None = None,
    expected_pack: str | None = None,
    category_skills: Mapping[str, str | None] | None = None,
    progress: Progress = _quiet,
) -> Outcome[ImportReport]:
    """Import (or, with ``expected_pack``, update) from a file: all or nothing.

    An update whose file holds another pack is refused before anything is written.
    """
    packs = PackService(profile)
    progress(0, 0, "Checking the file")
    fmt = format or detect_format(path)
    if expected_pack is None:
        return packs.import_pack(
            path, format=fmt, category_skills=category_skills, progress=progress
        )
    if fmt != STUDYPACK:
        found = packs.read_interchange(path, fmt).pack.manifest.id
        _check_same_pack(path, found, expected_pack)
        return packs.import_pack(
            path, format=fmt, category_skills=category_skills, progress=progress
        )
    result = packs.validate(path)
    if result.pack is None:
        errors = [p for p in result.problems if p.severity == "error"]
        first = f": {errors[0].where}: {errors[0].message}" if errors else "."
        raise PackError(f"{path} is not a valid pack{first} Nothing was changed.")
    _check_same_pack(path, result.pack.manifest.id, expected_pack)
    warnings = tuple(f"{p.where}: {p.message}" for p in result.problems if p.severity == "warning")
    return packs.apply(result.pack, progress=progress, warnings=warnings)


def _check_same_pack(path: Path, found: str, expected: str) -> None:
    if found != expected:
        raise PackError(
            f"{path.name} holds the pack {found!r}, not {expected!r}; nothing was changed. "
            "Use Import to add it as a pack of its own."
        )
