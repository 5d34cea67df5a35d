"""Small modules: no module of studyapp/ over 500 lines unless its docstring says why."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIMIT = 500
REASON = "longer than 500 lines"


def long_modules_without_reason(root: Path) -> list[str]:
    """Modules under ``root``/studyapp longer than :data:`LIMIT` lines whose module
    docstring does not say why ("Why this module is longer than 500 lines: ...")."""
    found = []
    for path in sorted((root / "studyapp").rglob("*.py")):
        text = path.read_text("utf-8")
        if text.count("\n") + (not text.endswith("\n")) <= LIMIT:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if REASON not in doc:
            found.append(path.relative_to(root).as_posix())
    return found


def test_no_module_is_over_500_lines_without_saying_why():
    """Every module over 500 lines carries a docstring paragraph saying why it is long."""
    offenders = long_modules_without_reason(REPO)
    assert not offenders, (
        f"Over {LIMIT} lines with no docstring paragraph 'Why this module is {REASON}: ...'"
        f" (split it, or say why one module is right): {offenders}"
    )


@pytest.mark.parametrize(
    ("lines", "doc", "flagged"),
    [
        (LIMIT, "Short.", False),
        (LIMIT + 1, "Long, no reason given.", True),
        (LIMIT + 1, f"Long.\n\nWhy this module is {REASON}: one state machine.", False),
    ],
)
def test_the_check_counts_lines_and_reads_the_docstring(tmp_path, lines, doc, flagged):
    """The check flags a module one line over the limit unless its docstring says why."""
    pkg = tmp_path / "studyapp"
    pkg.mkdir()
    body = f'"""{doc}"""\n' + "x = 1\n" * (lines - doc.count("\n") - 1)
    (pkg / "mod.py").write_text(body, "utf-8")
    assert body.count("\n") == lines
    assert long_modules_without_reason(tmp_path) == (["studyapp/mod.py"] if flagged else [])
