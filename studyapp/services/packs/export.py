"""Exporting installed questions: a whole pack (keeping its id and version) or a
selection by pack, skill area and tag, as a native pack or an interchange file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studyapp.domain.errors import PackError
from studyapp.domain.pack import InstalledPack, Pack, PackManifest, display_version
from studyapp.packs.studypack import write_pack_zip
from studyapp.services.packs.files import shipped_frameworks
from studyapp.services.packs.interchange import SHIPPED_ORIGIN, STUDYPACK, write_interchange
from studyapp.storage.database import Database
from studyapp.storage.frameworks import load_frameworks
from studyapp.storage.packs import load_media, load_questions


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    pack_id: str
    version: str
    questions: int

    @property
    def display_version(self) -> str:
        """The version as people read it (never a hash)."""
        return display_version(self.version)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "pack": self.pack_id,
            "version": self.version,
            "questions": self.questions,
        }


def export(
    db: Database,
    installed: Mapping[str, InstalledPack],
    out: Path,
    *,
    pack_id: str | None = None,
    skills: Iterable[str] = (),
    tags: Iterable[str] = (),
    format: str = STUDYPACK,
) -> ExportReport:
    """Write the selection of ``installed`` packs as a native pack, or as GIFT / Moodle XML
    (``format``).

    The whole of one pack keeps its id and version, so importing it elsewhere updates
    that pack; any other selection becomes a new pack whose id names the selection.
    """
    skills, tags = list(skills), list(tags)
    if pack_id is not None and pack_id not in installed:
        raise PackError(
            f"No pack with id {pack_id!r} is installed; 'studyapp pack list' shows the ids."
        )
    with db.reader() as session:
        pairs = load_questions(
            session, pack_keys=[pack_id] if pack_id else [], skills=skills, tags=tags
        )
        packs_used = sorted({p for p, _ in pairs})
        media: dict[str, bytes] = {}
        for key in packs_used:
            for name, data in load_media(session, key).items():
                if media.get(name, data) != data:
                    raise PackError(
                        f"Two packs in the selection have different images named {name}; "
                        "export them separately."
                    )
                media[name] = data
        frameworks = {fw.id: fw for fw in load_frameworks(session)}
    if not pairs:
        raise PackError("Nothing to export: no installed question matches that selection.")
    whole = pack_id is not None and not skills and not tags
    if whole:
        src = installed[pack_id]  # type: ignore[index]
        manifest = PackManifest(
            id=src.id,
            version=src.version,
            title=src.title,
            framework=src.framework,
            authors=src.authors,
            license=src.license,
            description=f"Exported from StudyApp ({src.title}).",
        )
        questions = tuple(q for _p, q in pairs)
    else:
        fw_ids = {installed[p].framework for p in packs_used}
        if len(fw_ids) != 1:
            raise PackError(
                "The selection spans several frameworks; export one framework at a time."
            )
        selector = "|".join(
            [",".join(packs_used), ",".join(sorted(skills)), ",".join(sorted(tags))]
        )
        digest = hashlib.sha256(selector.encode()).hexdigest()[:8]
        base = pack_id or (packs_used[0] if len(packs_used) == 1 else "selection")
        multi = len(packs_used) > 1
        questions = tuple(replace(q, id=f"{p}:{q.id}") if multi else q for p, q in pairs)
        manifest = PackManifest(
            id=f"{base}-sel-{digest}",
            version="1.0.0",
            title=f"Selection from {', '.join(installed[p].title for p in packs_used)}",
            framework=fw_ids.pop(),
            authors=tuple(sorted({a for p in packs_used for a in installed[p].authors})),
            description=(
                f"Skill areas: {', '.join(skills) or 'all'}; tags: {', '.join(tags) or 'any'}."
            ),
            license=installed[packs_used[0]].license if len(packs_used) == 1 else "",
        )
    fw = frameworks.get(manifest.framework)
    bundle_fw = fw if fw is not None and fw.id not in shipped_frameworks() else None
    used_media = (
        media
        if whole
        else {n: d for n, d in media.items() if any(n in _texts(q) for q in questions)}
    )
    pack = Pack(manifest, questions, used_media, bundle_fw)
    if format == STUDYPACK:
        write_pack_zip(pack, out)
    else:
        shipped = whole and installed[manifest.id].origin == SHIPPED_ORIGIN
        write_interchange(out, format, pack, fw, pin=not shipped)
    return ExportReport(out, manifest.id, manifest.version, len(questions))


def _texts(q: Any) -> str:
    return "\n".join(
        [q.stem, q.explanation, *(o.text for o in q.options), *(o.rationale for o in q.options)]
    )
