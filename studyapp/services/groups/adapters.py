"""Which adapter serves a group location: a hub URL or a shared folder.

Apart from :mod:`.port` so that the port (which both adapters implement and import) does
not import the adapters back: no import circle inside ``services.groups``.
"""

from __future__ import annotations

from pathlib import Path

from studyapp.domain.group import GroupError
from studyapp.services.groups.port import GroupPort
from studyapp.storage.hub.connect import is_hub_url  # standard library only: no psycopg yet


def open_port(location: str) -> GroupPort:
    """The adapter for ``location``: a hub URL or a folder path.

    The hub adapter (and with it psycopg) is imported only for a hub URL, so the folder
    back end needs nothing installed.
    """
    if is_hub_url(location):
        from studyapp.services.groups.hub import HubGroup

        return HubGroup(location)
    if "://" in location:
        raise GroupError(
            f"{location!r} is not a folder; give the path of the group's shared folder "
            "(or a postgresql:// group hub address)."
        )
    from studyapp.services.groups.folder import FolderGroup

    return FolderGroup(Path(location))
