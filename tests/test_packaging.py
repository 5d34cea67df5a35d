"""Packaging: every subpackage is listed for setuptools, and shipped data is found."""

from __future__ import annotations

import fnmatch
import tomllib
from itertools import takewhile
from pathlib import Path

from studyapp.config import package_data_dir, shipped_banks_dir

REPO = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def _source_roots() -> dict[str, Path]:
    """Package name -> its folder, for every package that is not simply under studyapp/."""
    mapped = _setuptools().get("package-dir", {})
    return {"studyapp": REPO / "studyapp", **{k: REPO / v for k, v in mapped.items()}}


def _shipped_files() -> list[tuple[str, Path]]:
    """(root package, file) for every file in the source trees, caches left out."""
    out = []
    for package, root in _source_roots().items():
        for path in root.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                out.append((package, path))
    return out


def test_every_subpackage_is_in_the_explicit_package_list():
    """A new subpackage that is not listed would be missing from wheels and bundles."""
    listed = set(_setuptools()["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "studyapp").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def _package_folder(package: str, roots: dict[str, Path]) -> Path:
    """Where setuptools looks for ``package`` (the longest mapped prefix wins)."""
    parts = package.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in roots:
            return roots[prefix].joinpath(*parts[depth:])
    raise AssertionError(f"no folder for {package}")


def test_every_data_folder_that_looks_importable_is_listed():
    """setuptools' rule: a data file in a folder whose path reads as a package name (e.g.
    studyapp/data/frameworks) makes the install print a 40-line deprecation warning unless
    that folder is listed in `packages`. The same rule, applied to our source trees."""
    roots = _source_roots()
    folders = {_package_folder(p, roots): p for p in _setuptools()["packages"]}
    warned = set()
    for _root, path in _shipped_files():
        if path.suffix == ".py" and path.stem.isidentifier():
            continue  # a module, not data
        folder = path.parent
        while folder not in folders and folder != REPO:
            folder = folder.parent
        assert folder in folders, f"{path} is in no listed package"
        parts = list(takewhile(str.isidentifier, path.parent.relative_to(folder).parts))
        if parts:
            warned.add(".".join([folders[folder], *parts]))
    assert not warned, f"add to [tool.setuptools] packages: {sorted(warned)}"


def test_package_data_covers_the_framework_definitions():
    """Every framework file is matched by a package-data pattern of a listed package, so
    an installed copy has what `package_data_dir()` looks for."""
    setup = _setuptools()
    roots = _source_roots()
    patterns = setup["package-data"]
    assert set(patterns) <= set(setup["packages"])
    frameworks = sorted((package_data_dir() / "frameworks").glob("*.json"))
    assert frameworks
    for path in frameworks:
        matched = False
        for package, globs in patterns.items():
            folder = _package_folder(package, roots)
            if folder in path.parents:
                rel = path.relative_to(folder).as_posix()
                matched |= any(fnmatch.fnmatch(rel, g) for g in globs)
        assert matched, f"{path} is matched by no package-data pattern"


def test_shipped_data_is_found():
    """Framework definitions and question banks are where the app looks for them."""
    assert (package_data_dir() / "frameworks" / "cetl.json").is_file()
    assert (shipped_banks_dir() / "cetl-core").is_dir()
