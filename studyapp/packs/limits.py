"""Limits that keep a hostile pack from exhausting memory or disk.

A pack is read entirely into memory, never extracted, so these bound what reading costs.
They are documented in ``docs/pack-format.md``; a pack over any of them is refused.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Bounds on a pack archive or folder."""

    max_files: int = 10_000
    max_file_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 512 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, per entry
    max_path_length: int = 240
    max_media_bytes: int = 10 * 1024 * 1024


DEFAULT_LIMITS = ArchiveLimits()
