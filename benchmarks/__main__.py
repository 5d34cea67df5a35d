"""``python -m benchmarks [--quick] [--json OUT]``: measure every workload of issue 9.

Progress goes to stderr; the table (one line per workload: median, p99, max, target,
whether it is met, Anki's figure and the ratio) is the last thing on stdout. A missed
target never changes the exit code (timings vary between machines); a workload that
cannot run at all does (exit 1), so the harness cannot rot silently in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from benchmarks.generator import SIZES
from benchmarks.measure import Result, machine, versions
from benchmarks.report import document, print_table, scaling_rows, scaling_table, write_json
from benchmarks.workloads import SCALING_WORKLOADS, WORKLOADS, Context


def _log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="the small size only, in under two minutes (CI)"
    )
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help="comma-separated workloads: " + ",".join(name for name, _ in WORKLOADS),
    )
    parser.add_argument(
        "--work",
        metavar="DIR",
        help="keep generated packs and profiles in DIR and reuse them (default: a temp folder)",
    )
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        help="run every workload at this size instead of the default (large; small with --quick)",
    )
    parser.add_argument(
        "--scaling",
        metavar="SIZES",
        help="comma-separated sizes (e.g. small,medium,large,xlarge): run the scaling "
        f"workloads ({','.join(SCALING_WORKLOADS)}, or those of --only) at each and add the "
        "scaling table to the output and the JSON",
    )
    parser.add_argument("--no-anki", action="store_true", help="skip the Anki side")
    parser.add_argument("--seed", type=int, default=None, help="generator seed")
    return parser.parse_args(argv)


def _anki_side(ctx: Context, skip: bool) -> tuple[object | None, str]:
    if skip:
        return None, "skipped (--no-anki)"
    try:
        from benchmarks.anki_side import AnkiSide
    except ImportError as exc:
        return None, f"not importable ({exc}); install the 'bench' extra"
    return AnkiSide(ctx), "ok"


def main(argv: list[str]) -> int:
    args = parse(argv)
    wanted = set(args.only.split(",")) if args.only else {name for name, _ in WORKLOADS}
    unknown = wanted - {name for name, _ in WORKLOADS}
    if unknown:
        sys.stderr.write(f"benchmarks: unknown workload(s): {', '.join(sorted(unknown))}\n")
        return 2
    sizes: list[str | None] = [args.size]
    if args.scaling:
        sizes = list(dict.fromkeys(args.scaling.split(",")))
        bad = [s for s in sizes if s not in SIZES]
        if bad:
            sys.stderr.write(f"benchmarks: unknown size(s): {', '.join(bad)}\n")
            return 2
        if not args.only:
            wanted = set(SCALING_WORKLOADS)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="studyapp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ctx = Context(work=work, quick=args.quick, log=_log)
    if args.seed is not None:
        ctx.seed = args.seed
    ctx.anki, anki_status = _anki_side(ctx, args.no_anki)
    _log(f"Anki side: {anki_status}; work folder {work}")
    started = time.perf_counter()
    results: list[Result] = []
    failed = False
    try:
        for size in sizes:
            ctx.size = size
            for name, workload in WORKLOADS:
                if name not in wanted:
                    continue
                _log(f"workload {name} ({ctx.main_size})")
                t0 = time.perf_counter()
                try:
                    results.extend(workload(ctx))
                except Exception as exc:  # noqa: BLE001  # reported as that workload's line
                    failed = True
                    traceback.print_exc(file=sys.stderr)
                    results.append(
                        Result(
                            name, ctx.main_size, None, "", "", None, status="error", note=str(exc)
                        )
                    )
                _log(f"  {name} took {time.perf_counter() - t0:.1f} s")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    mach, vers = machine(), versions()
    doc = document(
        mach,
        vers,
        results,
        run={
            "quick": args.quick,
            "seed": ctx.seed,
            "seconds": round(elapsed, 1),
            "anki": anki_status,
            "offscreen": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        },
    )
    if args.scaling:
        doc["scaling"] = scaling_rows(results, [s for s in sizes if s is not None])
    if args.json:
        write_json(doc, Path(args.json))
    out = sys.stdout
    out.write(
        f"StudyApp {vers.get('studyapp')} · {mach['cores']} cores, {mach['memory_gb']} GB, "
        f"{mach['os']}, Python {mach['python']} · SQLite {vers['sqlite']} · "
        f"anki {vers.get('anki') or 'absent'} · run {elapsed:.0f} s"
        f"{' (--quick: timings reported, never failing)' if args.quick else ''}\n"
    )
    print_table(results, out)
    if args.scaling:
        out.write("\n" + scaling_table(doc["scaling"]) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
