"""What importing a pack does to the installed copy: the pack update policy, as one pure rule.

A pack file meets at most one installed pack with the same id. :func:`decide_pack_update`
says what happens, from the two versions, the two content hashes and the caller's
``allow_downgrade``; ``storage.pack_install.apply_pack`` only carries the decision out (writes
the rows, or raises :class:`~studyapp.domain.errors.PackError` with the reason given
here). Keeping the rule here, apart from SQL, lets it be read and tested in one place,
and lets any other caller (a preview, a backup decision) ask the same question.

The policy (decision 0011 for content-derived versions):

- nothing installed: **install**;
- the installed pack is the user's own ("My questions") and the file is not: **refuse**,
  a file must never replace what the user wrote;
- same version order and same content: **unchanged** (the file's version and title are
  recorded when they differ, so every member holding this content names it alike);
- same version order, different content: **refuse**, a changed pack needs a new version;
- newer: **update**; older: **downgrade** with ``allow_downgrade``, else **refuse**.

A version that is not a version at all raises ``ValueError`` (from
:func:`~studyapp.domain.pack.version_order`), as before: validation rejects such files
earlier, so this is a programming error, not a user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from studyapp.domain.pack import version_order

USER_ORIGIN = "user"


class PackAction(StrEnum):
    """The outcome; its value is the ``ImportReport.status`` word (``refused`` never is one)."""

    INSTALL = "installed"
    UPDATE = "updated"
    UNCHANGED = "unchanged"
    DOWNGRADE = "downgraded"
    REFUSE = "refused"


@dataclass(frozen=True, slots=True)
class InstalledCopy:
    """What the rule needs of the installed pack with the incoming file's id."""

    version: str
    content_hash: str
    title: str
    origin: str


@dataclass(frozen=True, slots=True)
class IncomingPack:
    """What the rule needs of the pack file being imported."""

    pack_id: str
    version: str
    content_hash: str
    title: str
    origin: str


@dataclass(frozen=True, slots=True)
class PackDecision:
    """The decision. ``reason`` is the user-facing message of a refusal ("" otherwise);
    ``record_file`` says an unchanged pack should take the file's version and title."""

    action: PackAction
    reason: str = ""
    record_file: bool = False

    @property
    def replaces(self) -> bool:
        """True when the installed questions are replaced (an update or a downgrade)."""
        return self.action in (PackAction.UPDATE, PackAction.DOWNGRADE)


def decide_pack_update(
    incoming: IncomingPack, installed: InstalledCopy | None, *, allow_downgrade: bool
) -> PackDecision:
    """What importing ``incoming`` over ``installed`` (None: no such pack yet) does.

    Pure: no clock, no I/O; the same inputs always give the same decision.
    """
    if installed is None:
        return PackDecision(PackAction.INSTALL)
    if installed.origin == USER_ORIGIN and incoming.origin != USER_ORIGIN:
        return PackDecision(
            PackAction.REFUSE,
            f"Pack {incoming.pack_id} is where your own questions are kept "
            f"({installed.title}), and this file would replace them. Nothing was changed. "
            "Ask the file's author to give the pack another id.",
        )
    same_content = installed.content_hash == incoming.content_hash
    order = version_order(incoming.version, installed.version, same_content=same_content)
    if order == 0:
        if same_content:
            renamed = (installed.version, installed.title) != (incoming.version, incoming.title)
            return PackDecision(PackAction.UNCHANGED, record_file=renamed)
        return PackDecision(
            PackAction.REFUSE,
            f"Pack {incoming.pack_id} version {incoming.version} is already installed with "
            "different content. A changed pack needs a new version number; ask its author "
            "to raise it.",
        )
    if order > 0:
        return PackDecision(PackAction.UPDATE)
    if allow_downgrade:
        return PackDecision(PackAction.DOWNGRADE)
    return PackDecision(
        PackAction.REFUSE,
        f"Pack {incoming.pack_id} {installed.version} is installed, and this file is the older "
        f"version {incoming.version}. Nothing was changed. To go back anyway, import with "
        "--allow-downgrade.",
    )


def predicted_action(
    incoming_version: str, installed: InstalledCopy | None, *, allow_downgrade: bool
) -> PackAction:
    """What importing a file of ``incoming_version`` over ``installed`` will do, judged
    before the file's content is hashed (to make a backup first when it replaces).

    The same rule as :func:`decide_pack_update`, with the content taken to differ exactly
    when the version does: true for two content-derived versions; for semantic ones the
    content decides only between unchanged and refused, neither of which replaces
    anything. Whose pack it is does not enter: a file that would replace the user's own
    pack is still backed up for, before :func:`decide_pack_update` refuses it.
    """
    if installed is None:
        return PackAction.INSTALL
    same = incoming_version == installed.version
    incoming = IncomingPack(
        "",
        incoming_version,
        installed.content_hash if same else f"not {installed.content_hash}",
        installed.title,
        installed.origin,
    )
    return decide_pack_update(incoming, installed, allow_downgrade=allow_downgrade).action
