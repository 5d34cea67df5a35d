"""Pack files on their own, without a profile: the frameworks shipped with the app, and
validating, counting and linting a pack file or folder (``studyapp pack validate``,
``pack stats``, ``pack lint``).

Validation without a profile uses the shipped frameworks plus the pack's own
``framework.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from studyapp.config import package_data_dir, shipped_banks_dir
from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.domain.question import Question
from studyapp.packs.framework_files import read_framework_dir
from studyapp.packs.lint import ALLOW_FILE, LintReport, lint_pack, read_allow_list
from studyapp.packs.stats import pack_stats
from studyapp.packs.studypack import LoadResult, load_pack


def shipped_frameworks() -> dict[str, Framework]:
    """The framework definitions shipped with the app, by id."""
    return {fw.id: fw for fw in read_framework_dir(package_data_dir() / "frameworks")}


def validate_pack_file(path: Path) -> LoadResult:
    """Validate a pack file or folder without any profile."""
    known = shipped_frameworks()
    return load_pack(path, known.get)


def stats_of_pack_file(path: Path) -> dict[str, Any]:
    """``pack stats``: counts of a valid pack; PackError listing problems otherwise."""
    result = validate_pack_file(path)
    if result.pack is None:
        raise PackError(problems_line(path, result))
    return pack_stats(result.pack)


def problems_line(path: Path, result: LoadResult) -> str:
    """One line saying why ``path`` is not a valid pack (its first error, and how many more)."""
    errors = [p for p in result.problems if p.severity == "error"]
    first = errors[0] if errors else None
    more = (
        f" (and {len(errors) - 1} more; run 'studyapp pack validate' for all)"
        if len(errors) > 1
        else ""
    )
    return (
        f"{path} is not a valid pack: {first.where}: {first.message}{more}"
        if first
        else f"{path} is not a valid pack."
    )


def lint_pack_file(path: Path, against: Iterable[Path] = ()) -> LintReport:
    """``pack lint``: item-writing warnings for a valid pack.

    Near-duplicates are also sought in the packs named by ``against`` and in the shipped
    banks (other than ``path`` itself), since a study group's pack usually sits beside CETL.
    """
    known = shipped_frameworks()
    result = load_pack(path, known.get)
    if result.pack is None:
        raise PackError(problems_line(path, result))
    pack = result.pack
    framework = pack.framework or known.get(pack.manifest.framework)
    others: list[tuple[str, Question]] = []
    candidates = [*against]
    banks = shipped_banks_dir()
    if banks.is_dir():
        candidates += [p for p in sorted(banks.iterdir()) if (p / "manifest.json").is_file()]
    for other_path in candidates:
        if other_path.resolve() == path.resolve():
            continue
        other = load_pack(other_path, known.get).pack
        if other is not None and other.manifest.id != pack.manifest.id:
            others += [(other.manifest.id, q) for q in other.questions]
    allow = read_allow_list(result.extras.get(ALLOW_FILE))
    return lint_pack(pack, framework, allow, others)
