"""The one call through which the group layer imports a pack file.

Publishing (the facilitator's own profile) and syncing (every member's) both import
through :func:`import_group_pack`, so the pack identity rules of the import service
(same file -> same pack id, version and question ids on every machine) apply to groups
unchanged. An update keeps progress, as any pack update does.
"""

from __future__ import annotations

from pathlib import Path

from studyapp.domain.pack import ImportReport
from studyapp.services.changes import Outcome
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile


def import_group_pack(profile: Profile, path: Path) -> Outcome[ImportReport]:
    """Import (or update from) a group pack file: all or nothing, PackError on a bad one."""
    return PackService(profile).import_pack(path)


def pack_title(profile: Profile, pack_id: str) -> str:
    """The installed pack's title (its id when it has none)."""
    for pack in PackService(profile).list():
        if pack.id == pack_id:
            return pack.title or pack.id
    return pack_id
