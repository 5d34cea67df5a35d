"""No button or action hands its ``checked`` flag to a parameter that means something else.

Qt calls a slot connected as ``button.clicked.connect(self.submit)`` with the click's
``checked`` (False) when the method takes an argument, so ``submit(confirm=True)`` was
called with ``confirm=False`` and handed the exam in without asking. This walks every module
of ``studyapp.ui`` so the mistake cannot come back anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import studyapp.ui

SIGNALS = {"clicked", "triggered", "toggled"}
CHECKED_NAMES = {"checked", "_checked", "on", "state", "value", "_"}  # meant to get the flag
UI = Path(studyapp.ui.__file__).parent


def _methods(tree: ast.Module) -> dict[str, dict[str, ast.FunctionDef]]:
    return {
        cls.name: {
            f.name: f for f in cls.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
    }


def misconnected(source: str, name: str = "<source>") -> list[str]:
    """``signal.connect(self.method)`` where ``method``'s first parameter has a default
    and is not named for the checked flag: each as "file:line: signal -> method"."""
    tree = ast.parse(source)
    classes = _methods(tree)
    every = {m: f for methods in classes.values() for m, f in methods.items()}
    found = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        own = classes[cls.name]
        for call in ast.walk(cls):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "connect"
                and isinstance(call.func.value, ast.Attribute)
                and call.func.value.attr in SIGNALS
                and call.args
                and isinstance(call.args[0], ast.Attribute)
                and isinstance(call.args[0].value, ast.Name)
                and call.args[0].value.id == "self"
            ):
                continue
            target = call.args[0].attr
            method = own.get(target) or every.get(target)
            if method is None:
                continue
            params = [*method.args.posonlyargs, *method.args.args][1:]
            if not params:
                continue
            first = params[0]
            n_defaults = len(method.args.defaults)
            has_default = params.index(first) >= len(params) - n_defaults
            if has_default and first.arg not in CHECKED_NAMES:
                found.append(f"{name}:{call.lineno}: {call.func.value.attr} -> {target}")
    return found


def test_the_audit_finds_a_click_that_would_fill_a_parameter():
    """The audit flags ``clicked.connect(self.submit)`` with ``submit(self, confirm=True)``."""
    source = (
        "class Page:\n"
        "    def __init__(self):\n"
        "        self.button.clicked.connect(self.submit)\n"
        "        self.other.clicked.connect(lambda: self.submit())\n"
        "        self.box.toggled.connect(self.show_it)\n"
        "    def submit(self, confirm: bool = True): ...\n"
        "    def show_it(self, checked: bool = False): ...\n"
    )
    assert misconnected(source) == ["<source>:3: clicked -> submit"]


def test_no_ui_signal_fills_a_parameter_with_checked():
    """No clicked / triggered / toggled in studyapp.ui is connected to such a method."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        found += misconnected(path.read_text("utf-8"), str(path.relative_to(UI.parent)))
    assert found == []
