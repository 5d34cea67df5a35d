"""Fitting personal FSRS parameters with fsrs-rs-python (the reference Rust optimizer).

Each question's history of scheduling answers becomes training items the way fsrs-rs
expects: for every review after the first, the sequence of (rating, days since the
previous review) up to and including it. Days are counted in study days (04:00 local
rollover), as FSRS counts days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from itertools import groupby

from fsrs_rs_python import DEFAULT_PARAMETERS as RS_DEFAULTS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from studyapp.domain.study_calendar import StudyCalendar


def training_items(history: Sequence[tuple[int, datetime, int]], tz: tzinfo) -> list[FSRSItem]:
    """fsrs-rs training items from (question id, time, rating) rows sorted by question, time."""
    items: list[FSRSItem] = []
    calendar = StudyCalendar(tz)  # the app's one study-day rule
    for _qid, rows in groupby(history, key=lambda r: r[0]):
        days = [(calendar.day_of(t), rating) for _q, t, rating in rows]
        reviews: list[FSRSReview] = []
        previous = None
        for day, rating in days:
            delta = 0 if previous is None else (day - previous).days
            reviews.append(FSRSReview(rating, delta))
            previous = day
            if len(reviews) > 1 and delta > 0:
                items.append(FSRSItem(list(reviews)))
    return items


def fit_parameters(history: Sequence[tuple[int, datetime, int]], tz: tzinfo) -> tuple[float, ...]:
    """Personal parameters (21 floats, FSRS-6) fitted to ``history``."""
    items = training_items(history, tz)
    if not items:
        return tuple(float(x) for x in RS_DEFAULTS)
    model = FSRS(list(RS_DEFAULTS))
    return tuple(float(x) for x in model.compute_parameters(items))
