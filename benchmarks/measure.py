"""Samples, summaries, results, and the machine they were measured on."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Summary:
    """min / median / p99 / max of repeated measurements, in one unit."""

    n: int
    min: float
    median: float
    p99: float
    max: float

    @classmethod
    def of(cls, samples: list[float]) -> Summary:
        if not samples:
            raise ValueError("no samples")
        ordered = sorted(samples)
        # Nearest-rank p99: with fewer than 100 samples it is the maximum.
        rank = max(1, -(-99 * len(ordered) // 100))
        return cls(
            len(ordered), ordered[0], statistics.median(ordered), ordered[rank - 1], ordered[-1]
        )

    def to_json(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "min": round(self.min, 4),
            "median": round(self.median, 4),
            "p99": round(self.p99, 4),
            "max": round(self.max, 4),
        }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


@dataclass(slots=True)
class Result:
    """One line of the report (the ``results`` items of ``--json``)."""

    workload: str
    size: str
    value: float | None
    unit: str
    target: str
    met: bool | None
    anki: float | None = None
    ratio_to_anki: float | None = None
    summary: Summary | None = None
    anki_summary: Summary | None = None
    status: str = "measured"  # measured | pending | unavailable
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "workload": self.workload,
            "size": self.size,
            "value": None if self.value is None else round(self.value, 4),
            "unit": self.unit,
            "target": self.target,
            "met": self.met,
            "anki": None if self.anki is None else round(self.anki, 4),
            "ratio_to_anki": None if self.ratio_to_anki is None else round(self.ratio_to_anki, 3),
            "status": self.status,
        }
        if self.summary is not None:
            doc["samples"] = self.summary.to_json()
        if self.anki_summary is not None:
            doc["anki_samples"] = self.anki_summary.to_json()
        if self.note:
            doc["note"] = self.note
        doc.update(self.extra)
        return doc


def ratio(value: float | None, anki: float | None) -> float | None:
    """value / anki, or None when either is missing."""
    if value is None or anki is None or anki <= 0:
        return None
    return value / anki


def _memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _cpu_model() -> str:
    try:
        with Path("/proc/cpuinfo").open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """The figures of the machine the run measured."""
    mem = _memory_bytes()
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 2**30, 1) if mem else None,
        "cpu": _cpu_model(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
    }


def versions() -> dict[str, str | None]:
    """Versions of StudyApp and of the libraries the measured code runs on."""
    out: dict[str, str | None] = {}
    for dist in (
        "studyapp",
        "PySide6-Essentials",
        "SQLAlchemy",
        "alembic",
        "fsrs",
        "fsrs-rs-python",
        "anki",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    import sqlite3

    out["sqlite"] = sqlite3.sqlite_version
    return out
