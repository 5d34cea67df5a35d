"""Packaging: every subpackage is listed for setuptools, and shipped data is found."""

from __future__ import annotations

import tomllib
from pathlib import Path

from studyapp.config import package_data_dir, shipped_banks_dir

REPO = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_in_the_explicit_package_list():
    """A new subpackage that is not listed would be missing from wheels and bundles."""
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "studyapp").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_shipped_data_is_found():
    """Framework definitions and question banks are where the app looks for them."""
    assert (package_data_dir() / "frameworks" / "cetl.json").is_file()
    assert (shipped_banks_dir() / "cetl-core").is_dir()
