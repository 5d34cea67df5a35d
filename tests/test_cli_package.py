"""The CLI package's shape (issue 19): one module per command group, each binding its
parsers to handlers with ``set_defaults``; groups independent of each other; no question
asked on the terminal outside :mod:`studyapp.cli.prompt`."""

from __future__ import annotations

import argparse
import ast
import importlib
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from studyapp.cli import build_parser, handler_of
from studyapp.cli.parser import COMMAND_MODULES
from tests.conftest import REPO, SHARED

STUDYAPP = Path(__file__).resolve().parent.parent / "studyapp"
COMMAND_GROUPS = ("profile", "pack", "exam", "study", "progress", "simulate", "settings", "group")
# Higher layers may import lower ones, never the reverse; a layer's modules are independent.
CLI_LAYERS: tuple[tuple[str, ...], ...] = (
    ("parser",),
    COMMAND_GROUPS,
    ("drill", "exam_sitting"),
    ("base",),
    ("prompt",),
)
GUI_COMMANDS = {("gui",), ("selftest",)}
# The shared docs sit beside the main checkout; from a worktree in wt/ one level further up.
CONTRACT = next(
    (
        folder / "docs" / "cli-contract.md"
        for folder in (SHARED, REPO.parent.parent / "shared")
        if (folder / "docs" / "cli-contract.md").is_file()
    ),
    None,
)


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple]:
    """Every runnable command path with its parser (``("pack", "list")``, …)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from _leaves(sub, (*path, name))


def test_every_command_module_exists_and_registers() -> None:
    """Each command group is its own module in studyapp.cli with a register function."""
    for name in COMMAND_GROUPS:
        module = importlib.import_module(f"studyapp.cli.{name}")
        assert callable(module.register), name
    assert {m.__name__.rsplit(".", 1)[1] for m in COMMAND_MODULES} == set(COMMAND_GROUPS)


def test_every_headless_command_is_bound_to_a_handler() -> None:
    """Every command but the GUI ones carries its handler (set_defaults), no string registry."""
    leaves = dict(_leaves(build_parser()))
    assert len(leaves) > 30
    for path, parser in leaves.items():
        bound = parser.get_default("handler")
        if path in GUI_COMMANDS:
            assert bound is None, path
        else:
            assert callable(bound), f"'{' '.join(path)}' has no handler"
    args = build_parser().parse_args(["pack", "list"])
    assert handler_of(args) is leaves[("pack", "list")].get_default("handler")


def test_command_groups_do_not_import_each_other() -> None:
    """parser -> command groups (independent) -> protocols -> base -> prompt, no other way."""
    graph = grimp.build_graph("studyapp", cache_dir=None)
    for layer in CLI_LAYERS:
        for name in layer:
            assert f"studyapp.cli.{name}" in graph.modules, name
    illegal = graph.find_illegal_dependencies_for_layers(
        layers=[grimp.Layer(*layer, independent=True) for layer in CLI_LAYERS],
        containers={"studyapp.cli"},
    )
    assert not illegal, [(d.importer, d.imported) for d in illegal]


def test_the_layer_check_sees_an_import_between_command_groups() -> None:
    """The check above fails when one command group imports another (it can fail)."""
    graph = grimp.build_graph("studyapp", cache_dir=None)
    graph.add_import(
        importer="studyapp.cli.pack", imported="studyapp.cli.exam", line_number=1, line_contents="x"
    )
    illegal = graph.find_illegal_dependencies_for_layers(
        layers=[grimp.Layer(*layer, independent=True) for layer in CLI_LAYERS],
        containers={"studyapp.cli"},
    )
    assert illegal


def _terminal_reads(path: Path) -> list[str]:
    """Calls of ``input(…)`` or ``getpass(…)`` in one source file, as ``file:line``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("input", "getpass"):
                found.append(f"{path.relative_to(STUDYAPP)}:{node.lineno}")
    return found


def test_only_the_prompt_module_reads_the_terminal() -> None:
    """No input() or getpass() outside studyapp/cli/prompt.py (tests drive that one)."""
    reads = [
        where
        for path in sorted(STUDYAPP.rglob("*.py"))
        if path != STUDYAPP / "cli" / "prompt.py"
        for where in _terminal_reads(path)
    ]
    assert reads == []


# Commands whose output is a line protocol (drill, exam sit) or the GUI: no --json.
NO_JSON = {("gui",), ("selftest",), ("drill",), ("exam", "sit")}


def test_every_command_that_prints_data_takes_json() -> None:
    """Every headless command but the line protocols has a --json flag."""
    missing = [
        " ".join(path)
        for path, parser in _leaves(build_parser())
        if path not in NO_JSON and "--json" not in parser._option_string_actions
    ]
    assert missing == []


def _contract_commands() -> list[str]:
    """The ``studyapp`` commands of ``../shared/docs/cli-contract.md``'s table, as written."""
    assert CONTRACT is not None
    text = CONTRACT.read_text(encoding="utf-8")
    commands = []
    for line in text.splitlines():
        if not line.startswith("| `") and not line.startswith("| global"):
            continue
        first_cell = line.split(" | ")[0].removeprefix("| ")
        commands += [c.replace("\\|", "|") for c in re.findall(r"`([^`]+)`", first_cell)]
    return commands


@pytest.mark.skipif(CONTRACT is None, reason=f"cli-contract.md is not in {SHARED}/docs")
def test_every_command_and_option_of_the_cli_contract_exists() -> None:
    """Each command of cli-contract.md parses to its handler (or the GUI) and has every
    option the contract names for it; the global options are on the root parser."""
    root = build_parser()
    leaves = dict(_leaves(root))
    commands = _contract_commands()
    assert len(commands) > 25
    checked = 0
    for command in commands:
        words = command.split()
        if words[0] == "python" or command.startswith("STUDYAPP_"):
            continue  # the benchmark harness, an environment variable
        words = words[1:] if words[0] == "studyapp" else words
        path = tuple(itertools.takewhile(lambda w: re.fullmatch(r"[a-z][a-z-]*", w), words))
        options = set(re.findall(r"--[a-z][a-z-]*", command))
        if not path:  # `studyapp`, `studyapp --version`, global --data-dir / --now
            assert options <= set(root._option_string_actions), command
            continue
        assert path in leaves, f"cli-contract.md's {command!r} is not a command"
        assert options <= set(leaves[path]._option_string_actions), command
        checked += 1
    assert checked > 25
