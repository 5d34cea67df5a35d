"""Study groups: a port (:mod:`.port`) with a shared-folder adapter (:mod:`.folder`), the
use cases (:mod:`.service`), what a profile may see (:mod:`.status`) and the facilitator's
report (:mod:`.report`). See ``docs/study-groups.md``."""

from studyapp.services.groups.adapters import open_port
from studyapp.services.groups.port import GroupPort
from studyapp.services.groups.service import (
    GroupService,
    SyncFailure,
    SyncReport,
    last_failure,
    read_membership,
    scheduled_exams,
)
from studyapp.services.groups.status import GroupStatus

__all__ = [
    "GroupPort",
    "GroupService",
    "GroupStatus",
    "SyncFailure",
    "SyncReport",
    "last_failure",
    "open_port",
    "read_membership",
    "scheduled_exams",
]
