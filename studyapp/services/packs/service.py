"""Pack use cases on one profile: import (all or nothing), seed the shipped packs, list,
remove, export.

Importing uses the profile's frameworks (which include those earlier packs defined);
pack files on their own, without a profile, are :mod:`.files`; writing an export is
:mod:`.export`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studyapp.config import shipped_banks_dir
from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.domain.pack import (
    ImportReport,
    InstalledPack,
    Pack,
    PackManifest,
    display_version,
    version_order,
)
from studyapp.domain.pack_update import InstalledCopy, PackAction, predicted_action
from studyapp.packs.formats import InterchangeResult, by_name
from studyapp.packs.hashing import question_hashes
from studyapp.packs.studypack import LoadResult, load_pack
from studyapp.services.backups import BackupService
from studyapp.services.changes import Change, Outcome
from studyapp.services.gcpause import gc_paused, release_gently
from studyapp.services.packs.export import ExportReport, export
from studyapp.services.packs.files import problems_line
from studyapp.services.packs.interchange import (
    INTERCHANGE_ORIGIN,
    STUDYPACK,
    detect_format,
    pack_to_install,
    pinned_bytes,
    read_file,
    read_interchange,
    write_atomically,
)
from studyapp.services.profile import Profile
from studyapp.storage.frameworks import load_frameworks
from studyapp.storage.pack_install import apply_pack
from studyapp.storage.packs import list_packs, remove_pack
from studyapp.storage.settings import read_settings, write_settings

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
SEEDED_KEY = "shipped_packs_seeded"


def _quiet(_done: int, _total: int, _text: str = "") -> None:
    return None


@dataclass(frozen=True, slots=True)
class PackIdentity:
    """What a pack file is, read without installing it: the id and version it installs
    as (the same on every machine, decision 0011), its title and its question count."""

    id: str
    version: str
    title: str
    format: str
    questions: int

    @property
    def display_version(self) -> str:
        """The version as people read it (never a hash)."""
        return display_version(self.version)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "display_version": self.display_version,
            "title": self.title,
            "format": self.format,
            "questions": self.questions,
        }


class PackService:
    """Pack operations on one profile."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def _lookup(self) -> Callable[[str], Framework | None]:
        with self.profile.db.reader() as session:
            known = {fw.id: fw for fw in load_frameworks(session)}
        return known.get

    def validate(self, path: Path) -> LoadResult:
        """Validate against the profile's frameworks."""
        return load_pack(path, self._lookup())

    def import_pack(
        self,
        path: Path,
        *,
        allow_downgrade: bool = False,
        progress: Progress = _quiet,
        origin: str = "imported",
        format: str | None = None,
        skill: str | None = None,
        category_skills: Mapping[str, str | None] | None = None,
    ) -> Outcome[ImportReport]:
        """Validate, then apply in one transaction; PackError (nothing changed) on any problem.

        ``format`` (default: recognised by content and extension) may name an interchange
        format (GIFT, Moodle XML, Aiken, CSV); such a file is read into a pack and applied
        the same way, its report listing what was skipped and the category mapping.
        ``skill`` assigns every imported question to that skill area; ``category_skills``
        overrides the mapping of single categories (as the GUI lets users do).
        The cyclic garbage collector is paused meanwhile (see
        :mod:`studyapp.services.gcpause`): a large import allocates many objects that live to
        the end, and collecting them mid-import only costs time (decision 0016).
        """
        with gc_paused():
            return self._import_pack(
                path, allow_downgrade, progress, origin, format, skill, category_skills
            )

    def _import_pack(
        self,
        path: Path,
        allow_downgrade: bool,
        progress: Progress,
        origin: str,
        format: str | None,
        skill: str | None,
        category_skills: Mapping[str, str | None] | None,
    ) -> Outcome[ImportReport]:
        progress(0, 0, "Checking the pack")
        fmt = format or detect_format(path)
        if fmt != STUDYPACK:
            return self._import_interchange(
                path,
                fmt,
                skill=skill,
                category_skills=category_skills,
                progress=progress,
                allow_downgrade=allow_downgrade,
            )
        if skill is not None:
            raise PackError(
                f"{path}: --skill applies to GIFT, Moodle XML, Aiken and CSV files; a StudyApp "
                "pack names the skill area of each question itself."
            )
        result = self.validate(path)
        pack = result.pack
        if pack is None:
            raise PackError(problems_line(path, result))
        warnings = tuple(
            f"{p.where}: {p.message}" for p in result.problems if p.severity == "warning"
        )
        del result
        questions = list(pack.questions)
        try:
            return self.apply(
                pack,
                allow_downgrade=allow_downgrade,
                progress=progress,
                origin=origin,
                warnings=warnings,
            )
        finally:
            # This frame holds the last references to the parsed pack: free its questions
            # in steps rather than in one pause of the GUI thread (see gcpause).
            del pack
            release_gently(questions)

    def identify(
        self, path: Path, *, format: str | None = None, skill: str | None = None
    ) -> PackIdentity:
        """The id, version and title ``path`` would install as; nothing is written.

        For a group's facilitator publishing a file: members importing the same file
        (``import_pack``) get exactly this id and version. PackError if it is not a valid
        pack or question file.
        """
        fmt = format or detect_format(path)
        if fmt == STUDYPACK:
            result = self.validate(path)
            if result.pack is None:
                raise PackError(problems_line(path, result))
            pack = result.pack
        else:
            pack = self.read_interchange(path, fmt, skill=skill).pack
        m = pack.manifest
        return PackIdentity(m.id, m.version, m.title, fmt, len(pack.questions))

    def publish_copy(self, path: Path, folder: Path, *, format: str | None = None) -> Path:
        """Copy a pack or question file into ``folder`` as ``<pack id>.<ext>`` for sharing.

        The copy installs as exactly the same pack (id, version, title, question ids) as
        ``path`` does: a question file gets ``studyapp-pack: <id>`` and ``studyapp-title:``
        header lines (comments, not content), so its name no longer matters. Written
        atomically; PackError (nothing written) if the file is not valid or the copy would
        differ. Returns the copy's path; :meth:`identify` tells its id and version.
        """
        fmt = format or detect_format(path)
        identity = self.identify(path, format=fmt)
        if fmt == STUDYPACK:
            if path.is_dir():
                raise PackError(
                    f"{path} is a pack folder; export it as a .studypack file "
                    "('studyapp pack export') to share it."
                )
            out, data = folder / f"{identity.id}.studypack", read_file(path)
        else:
            header = self.read_interchange(path, fmt).header
            data = pinned_bytes(
                read_file(path),
                fmt,
                "" if header.pack_id else identity.id,
                "" if header.title else identity.title,
            )
            out = folder / f"{identity.id}{by_name(fmt).extensions[0]}"
        if out.resolve() == path.resolve():
            raise PackError(f"{path} is already in {folder}; nothing was copied.")
        write_atomically(out, data)
        copied = self.identify(out, format=fmt)
        if (copied.id, copied.version) != (identity.id, identity.version):
            out.unlink(missing_ok=True)
            raise PackError(
                f"{path.name} could not be copied as the same pack ({copied.id} "
                f"{copied.version} instead of {identity.id} {identity.version}); nothing was "
                "copied."
            )
        return out

    def read_interchange(
        self,
        path: Path,
        format: str,
        *,
        skill: str | None = None,
        category_skills: Mapping[str, str | None] | None = None,
    ) -> InterchangeResult:
        """Read an interchange file into a pack without writing anything (for previews)."""
        return read_interchange(
            path,
            format,
            self.profile.frameworks(),
            skill=skill,
            category_skills=category_skills,
        )

    def _import_interchange(
        self,
        path: Path,
        format: str,
        *,
        skill: str | None = None,
        category_skills: Mapping[str, str | None] | None = None,
        progress: Progress = _quiet,
        allow_downgrade: bool = False,
    ) -> Outcome[ImportReport]:
        """Import a GIFT, Moodle XML, Aiken or CSV file: all or nothing, like a pack.

        ``allow_downgrade`` matters only for a file pinning an older semantic version.
        """
        result = self.read_interchange(path, format, skill=skill, category_skills=category_skills)
        pack = pack_to_install(result, self.list())
        outcome = self.apply(
            pack,
            allow_downgrade=allow_downgrade,
            progress=progress,
            origin=INTERCHANGE_ORIGIN,
            skipped_items=result.skipped_items,
            warnings=result.warnings,
        )
        report = replace(outcome.value, categories=dict(result.categories))
        return Outcome(report, outcome.changes)

    def apply(
        self,
        pack: Pack,
        *,
        allow_downgrade: bool = False,
        progress: Progress = _quiet,
        origin: str = "imported",
        skipped_items: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> Outcome[ImportReport]:
        """Store an already validated pack (all or nothing).

        Replacing an installed version (update, or downgrade when allowed) first makes an
        automatic backup; if that cannot be written, nothing is imported.
        """
        self._backup_before_replacing(pack.manifest, allow_downgrade)
        now = self.profile.clock.now()
        hashes = question_hashes(pack.questions)  # once each: for the pack and its rows
        with self.profile.db.unit_of_work() as session:
            report = apply_pack(
                session,
                pack,
                origin=origin,
                now=now,
                allow_downgrade=allow_downgrade,
                progress=progress,
                skipped_items=skipped_items,
                warnings=warnings,
                question_hashes=hashes,
            )
        log.info("%s", report.summary())
        renamed = report.version != report.previous_version
        changes = (
            Change.NONE
            if report.status == "unchanged" and not renamed
            else Change.PACKS | Change.QUESTIONS
        )
        if pack.framework is not None:
            changes |= Change.FRAMEWORKS
        return Outcome(report, changes)

    def seed_shipped(self, progress: Progress = _quiet) -> list[ImportReport]:
        """Import every shipped pack on a profile's first start (once, ever); on later
        starts, update an installed shipped pack when this app ships a newer version of it,
        progress kept as in any update (a new release of the app brings its bigger bank).

        A user who later removes the CETL pack does not get it back at the next start;
        ``studyapp pack import`` of the shipped folder brings it back on purpose.
        """
        with self.profile.db.reader() as session:
            seeded = bool(read_settings(session).get(SEEDED_KEY))
        installed = {p.id: p.version for p in self.list()} if seeded else {}
        reports = []
        for folder in sorted(
            p for p in shipped_banks_dir().iterdir() if (p / "manifest.json").is_file()
        ):
            if seeded and not _ships_newer(folder, installed):
                continue
            reports.append(self.import_pack(folder, progress=progress, origin="shipped").value)
        if not seeded:
            with self.profile.db.unit_of_work() as session:
                write_settings(session, {SEEDED_KEY: True})
        return reports

    def list(self) -> list[InstalledPack]:
        """Installed packs."""
        with self.profile.db.reader() as session:
            return list_packs(session)

    def _backup_before_replacing(self, manifest: PackManifest, allow_downgrade: bool) -> None:
        """An automatic backup when this import will update or downgrade an installed pack."""
        installed = next((p for p in self.list() if p.id == manifest.id), None)
        if installed is None:
            return
        copy = InstalledCopy(installed.version, "", installed.title, installed.origin)
        try:
            action = predicted_action(manifest.version, copy, allow_downgrade=allow_downgrade)
        except ValueError:
            return  # apply_pack reports the bad version; nothing will be replaced
        if action is PackAction.UPDATE:
            BackupService(self.profile).backup_before("pack-update")
        elif action is PackAction.DOWNGRADE:
            BackupService(self.profile).backup_before("pack-downgrade")

    def remove(self, pack_id: str) -> Outcome[int]:
        """Remove a pack and its questions; the review log keeps their history.

        An automatic backup is made first; if it cannot be written, nothing is removed.
        """
        if any(p.id == pack_id for p in self.list()):
            BackupService(self.profile).backup_before("pack-remove")
        with self.profile.db.unit_of_work() as session:
            count = remove_pack(session, pack_id)
        return Outcome(count, Change.PACKS | Change.QUESTIONS)

    def export(
        self,
        out: Path,
        *,
        pack_id: str | None = None,
        skills: Iterable[str] = (),
        tags: Iterable[str] = (),
        format: str = STUDYPACK,
    ) -> ExportReport:
        """Write the selection as a native pack, or as GIFT / Moodle XML: :func:`.export.export`."""
        installed = {p.id: p for p in self.list()}
        return export(
            self.profile.db,
            installed,
            out,
            pack_id=pack_id,
            skills=skills,
            tags=tags,
            format=format,
        )


def _ships_newer(folder: Path, installed: Mapping[str, str]) -> bool:
    """Whether the shipped pack in ``folder`` is a newer version of an installed pack (its
    manifest alone is read: the import that follows validates everything)."""
    try:
        head = json.loads((folder / "manifest.json").read_text("utf-8"))
        have = installed.get(str(head["id"]))
        return (
            have is not None and version_order(str(head["version"]), have, same_content=False) > 0
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False  # an unreadable shipped manifest is the import's to report, not here
