"""build_installer.spec bundles every file the frozen app opens by path, where it looks.

The bundle itself is built and run by CI (``make installer-check``); these fast checks
read the spec, so that renaming or adding a migration, framework file or pack cannot
silently produce a bundle that lacks it.
"""

from __future__ import annotations

import ast
import fnmatch
import sys
import tomllib
from pathlib import Path, PurePosixPath

import pytest

import studyapp
from studyapp import config
from studyapp.storage.migrate import MIGRATIONS_DIR

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "build_installer.spec"


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text("utf-8"), filename=str(SPEC))


def _spec_literal(name: str) -> list:
    """The value of a module-level ``NAME = [...]`` literal in the spec."""
    for node in _spec_tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"build_installer.spec has no literal {name} = [...]")


def _bundle_folder(path: Path) -> str | None:
    """The folder inside the bundle that DATAS copies the repository file ``path`` to."""
    rel = PurePosixPath(path.relative_to(REPO).as_posix())
    for source, dest in _spec_literal("DATAS"):
        if (REPO / source).is_dir():
            if rel.is_relative_to(source):
                return str(PurePosixPath(dest) / rel.parent.relative_to(source))
        elif fnmatch.fnmatchcase(str(rel), source):
            return dest
    return None


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    found = [p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts]
    assert found, f"nothing matches {pattern} under {folder}"
    return found


def _home(path: Path) -> str:
    """Where the frozen app looks for ``path``: the same place relative to its modules."""
    return path.relative_to(REPO).as_posix()


def test_spec_bundles_the_migration_scripts_alembic_loads_by_path():
    """env.py, script.py.mako and every revision sit beside the migrate module, as files."""
    needed = [MIGRATIONS_DIR / "env.py", MIGRATIONS_DIR / "script.py.mako"]
    needed += _files(MIGRATIONS_DIR / "versions", "*.py")
    for path in needed:
        assert _bundle_folder(path) == _home(path.parent), f"{_home(path)} is not bundled"


def test_spec_bundles_framework_definitions_and_pack_schema():
    """Framework JSON files and the pack schema are where the packs layer reads them."""
    needed = _files(config.package_data_dir() / "frameworks", "*.json")
    needed.append(Path(studyapp.__file__).parent / "packs" / "pack.schema.json")
    for path in needed:
        assert _bundle_folder(path) == _home(path.parent), f"{_home(path)} is not bundled"


def test_spec_bundles_the_shipped_question_banks_where_a_frozen_app_looks(monkeypatch, tmp_path):
    """Every file of every shipped pack lands under the folder shipped_banks_dir() names."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    frozen_home = config.shipped_banks_dir().relative_to(tmp_path).as_posix()
    banks = REPO / "question_banks"
    assert _files(banks, "manifest.json")
    for path in _files(banks):
        expected = str(PurePosixPath(frozen_home) / path.parent.relative_to(banks).as_posix())
        assert _bundle_folder(path) == expected, f"{path} is not bundled"


def test_spec_bundles_icons_and_desktop_file():
    """The icons (PNG, ICO, ICNS) and the Linux .desktop file ship in resources/."""
    for name in ("studyapp.png", "studyapp-512.png", "studyapp.ico", "studyapp.icns"):
        path = REPO / "resources" / name
        assert path.stat().st_size > 1000, f"{name} is missing or empty"
        assert _bundle_folder(path) == "resources", f"{name} is not bundled"
    assert _bundle_folder(REPO / "resources" / "studyapp.desktop") == "resources"


def test_desktop_file_launches_the_bundle_with_its_icon():
    """The .desktop entry runs StudyApp, names the studyapp icon and files under Education."""
    lines = (REPO / "resources" / "studyapp.desktop").read_text("utf-8").splitlines()
    entry = dict(line.split("=", 1) for line in lines if "=" in line)
    assert lines[0] == "[Desktop Entry]"
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "StudyApp"
    assert entry["Icon"] == "studyapp"
    assert "Education" in entry["Categories"].split(";")


def _imported_modules() -> set[str]:
    """Every module named in an import statement anywhere in the studyapp package."""
    names: set[str] = set()
    for path in _files(REPO / "studyapp", "*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _excluded(module: str, excludes: list[str]) -> bool:
    return any(module == ex or module.startswith(ex + ".") for ex in excludes)


def test_spec_excludes_nothing_the_app_imports():
    """A module the app imports, if excluded, would crash the bundle when first used."""
    excludes = _spec_literal("EXCLUDES")
    used = sorted(m for m in _imported_modules() if _excluded(m, excludes))
    assert not used, f"build_installer.spec excludes modules StudyApp imports: {used}"
    runtime = ["PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "sqlalchemy", "alembic"]
    runtime += ["markdown", "nh3", "platformdirs", "fsrs", "fsrs_rs_python", "mako", "sqlite3"]
    assert not [m for m in runtime if _excluded(m, excludes)]


@pytest.mark.parametrize("qt_module", ["PySide6.QtWebEngineCore", "PySide6.QtMultimedia"])
def test_spec_excludes_heavy_unused_qt_modules(qt_module):
    """Qt modules StudyApp never uses stay out of the bundle."""
    assert qt_module in _spec_literal("EXCLUDES")


def test_spec_takes_its_version_from_the_package():
    """The bundle's version (Windows resource, macOS Info.plist) is studyapp.__version__."""
    (func,) = [
        n for n in _spec_tree().body if isinstance(n, ast.FunctionDef) and n.name == "read_version"
    ]
    namespace: dict[str, object] = {"ast": ast, "ROOT": REPO}
    exec(compile(ast.Module([func], []), str(SPEC), "exec"), namespace)
    assert namespace["read_version"]() == studyapp.__version__  # type: ignore[operator]


def test_installer_extra_pins_a_pyinstaller_range():
    """`make installer` installs PyInstaller from the `installer` extra, pinned to one major."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    (pin,) = [r for r in project["optional-dependencies"]["installer"] if r.startswith("pyins")]
    assert ">=" in pin and "<" in pin


def test_spec_names_the_packages_whose_modules_are_imported_by_name():
    """Screens are imported by name when first shown: the spec must collect their package,
    and every screen module must lie in it (a frozen app once lacked Statistics)."""
    from studyapp.ui.main_window import SCREENS

    spec = SPEC.read_text("utf-8")
    assert 'collect_submodules("studyapp.ui.screens")' in spec
    assert all(module.startswith("studyapp.ui.screens.") for _title, module, _n in SCREENS)
