"""PyInstaller runtime hook: runs in the frozen app before ``studyapp`` is imported.

- A windowed build (Windows, macOS) may start with ``sys.stdout`` and ``sys.stderr`` set to
  ``None``; StudyApp writes its one-line errors there, so they get a sink instead of an
  ``AttributeError`` (the log file still records everything).
- Alembic loads the migration scripts from files inside the bundle; no ``__pycache__`` is
  written there, so an installed (possibly read-only, possibly code-signed) bundle stays
  exactly as it was shipped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.dont_write_bytecode = True
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        # Open for the life of the process, like the streams it stands in for.
        setattr(sys, _name, Path(os.devnull).open("w", encoding="utf-8"))  # noqa: SIM115
