"""Personal FSRS parameters: where they are stored, reading them back, and fitting them.

The fitting itself is :mod:`.optimizer` (fsrs-rs-python, a native library loaded only
when fitting); this module decides whether there is enough history, and stores the
result in the settings under :data:`PARAMETERS_KEY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from studyapp.domain.memory import DEFAULT_PARAMETERS
from studyapp.services.changes import Change, Outcome
from studyapp.services.profile import Profile
from studyapp.storage.review_log import review_log_for_fitting
from studyapp.storage.settings import write_settings

PARAMETERS_KEY = "fsrs_parameters"
MIN_REVIEWS_TO_FIT = 400


@dataclass(frozen=True, slots=True)
class OptimizeReport:
    """Whether parameters were fitted, from how many answers, and which."""

    fitted: bool
    reviews: int
    parameters: tuple[float, ...]
    message: str


def fitted_parameters(stored: Any) -> tuple[float, ...]:
    """Stored personal FSRS parameters if they are well formed, else the defaults."""
    if isinstance(stored, list) and len(stored) == len(DEFAULT_PARAMETERS):
        return tuple(float(x) for x in stored)
    return DEFAULT_PARAMETERS


def optimize(profile: Profile, tz: tzinfo) -> Outcome[OptimizeReport]:
    """Fit personal FSRS parameters from the review log (fsrs-rs-python) and store them;
    with fewer than :data:`MIN_REVIEWS_TO_FIT` answers the defaults stay."""
    from studyapp.services.study.optimizer import (
        fit_parameters,
    )  # loads a native library only when fitting

    with profile.db.reader() as session:
        history = review_log_for_fitting(session)
    if len(history) < MIN_REVIEWS_TO_FIT:
        return Outcome(
            OptimizeReport(
                False,
                len(history),
                DEFAULT_PARAMETERS,
                f"Personal parameters need at least {MIN_REVIEWS_TO_FIT} "
                f"answers; there are {len(history)}. The defaults stay.",
            )
        )
    params = fit_parameters(history, tz)
    with profile.db.unit_of_work() as session:
        write_settings(session, {PARAMETERS_KEY: list(params)})
    return Outcome(
        OptimizeReport(True, len(history), params, "Personal FSRS parameters fitted."),
        Change.SETTINGS,
    )
