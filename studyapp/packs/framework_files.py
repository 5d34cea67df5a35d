"""Reading framework definition files (``*.json`` in the studyapp-framework format)."""

from __future__ import annotations

import json
from pathlib import Path

from studyapp.domain.errors import FrameworkError
from studyapp.domain.framework import Framework, framework_from_dict

MAX_FRAMEWORK_BYTES = 1_000_000


def read_framework_file(path: Path) -> Framework:
    """Parse and validate one framework definition file."""
    try:
        if path.stat().st_size > MAX_FRAMEWORK_BYTES:
            raise FrameworkError(f"{path}: a framework file may be at most 1 MB.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FrameworkError(f"{path}: cannot read the framework definition ({exc}).") from exc
    return framework_from_dict(data, str(path))


def read_framework_dir(folder: Path) -> list[Framework]:
    """Every ``*.json`` framework definition in ``folder``, sorted by file name."""
    return [read_framework_file(p) for p in sorted(folder.glob("*.json"))]
