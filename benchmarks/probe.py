"""What runs in a fresh process: ``python -m benchmarks.probe MODE [ARGS]``.

Modes (each prints one JSON line on stdout, then exits):

- ``bare``: a bare PySide6 main window of the app's size, shown; "ready" after the first
  event-loop turn that follows ``show()``.
- ``start DATA_DIR``: the real app as ``studyapp`` starts it (controller, main window,
  profile opened on the worker thread); "ready" after the first event-loop turn that
  follows Home showing statistics (those persisted last time, when they still apply),
  "fresh" once Home shows freshly computed ones. Reports the peak resident memory at
  "ready", and after half a second more of idle event loop past "fresh" (the study cache
  filled: the real peak of a session's start).
- ``stall DATA_DIR PACK``: the app started as above; once Home shows fresh statistics, a
  QTimer ticks every 5 ms on the GUI thread while ``controller.run_long`` imports
  ``PACK``; reports the longest gap between ticks.
- ``stall-control DATA_DIR SECONDS``: the same, but for ``SECONDS`` the long operation
  keeps a core busy *outside* the interpreter lock (SHA-256 over 1 MiB blocks, which
  CPython hashes with the lock released): a worker that competes for the CPU as an import
  does but never makes the GUI thread wait for the lock, so its longest gap is what this
  machine's load alone gives, to read the import's figure against on a shared machine.
- ``stall-python DATA_DIR SECONDS``: the same with a worker that computes in plain Python
  for ``SECONDS`` and so holds the interpreter lock all along: the GUI thread then waits
  for the lock every time it needs the interpreter (several times per event-loop turn),
  each time up to the switch interval. Until decision 0017 this was the control; it is
  the worst case of CPU-bound Python work on the worker (planning, validating), not a
  baseline.

The parent measures wall time from just before it starts the process to the line's
arrival. The app runs offscreen with a clock fixed at the benchmark's moment.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

TICK_MS = 5


def _emit(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc) + "\n")
    sys.stdout.flush()


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM).

    Not ``ru_maxrss``: Linux carries it over from the parent across fork and exec, so a
    probe started by a big benchmark process would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text("ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float | None:
    try:
        with Path("/proc/self/statm").open(encoding="ascii") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(["bare"])
    window = QMainWindow()
    window.resize(1100, 720)
    window.show()

    def ready() -> None:
        sys.stdout.write("ready\n")
        _emit({"ready": True, "peak_rss_mb": _peak_rss_mb()})
        os._exit(0)

    QTimer.singleShot(0, ready)
    app.exec()


def _start_app(data_dir: Path, on_home: Any, on_fresh: Any = None) -> Any:
    """Start StudyApp as ``run_gui`` does; call ``on_home(controller)`` once Home shows
    statistics, and ``on_fresh(controller)`` once they are freshly computed ones."""
    from PySide6.QtCore import QTimer

    from benchmarks.textgen import BENCH_NOW
    from studyapp.config import AppPaths
    from studyapp.services.system_clock import OffsetClock
    from studyapp.ui.application import make_application

    app = make_application()
    from studyapp.services.study.home_summary import HomeSummary
    from studyapp.ui.main_window import build_app
    from studyapp.ui.screens.home import HomeScreen

    original = HomeScreen.show_figures
    fired: set[str] = set()

    def show(self: HomeScreen, report: Any) -> None:
        original(self, report)
        if "home" not in fired:
            fired.add("home")
            QTimer.singleShot(0, lambda: on_home(controller))
        if on_fresh is not None and "fresh" not in fired and not isinstance(report, HomeSummary):
            fired.add("fresh")
            QTimer.singleShot(0, lambda: on_fresh(controller))

    HomeScreen.show_figures = show  # type: ignore[method-assign]
    paths = AppPaths(data_dir=data_dir, log_dir=data_dir / "logs")
    controller = build_app(app, paths, OffsetClock(BENCH_NOW))
    controller.profile_failed.connect(lambda exc: _fail(f"profile failed: {exc}"))
    controller.window.show()
    controller.open_profile()
    return app


def _fail(message: str) -> None:
    _emit({"error": message})
    os._exit(2)


def start(data_dir: Path) -> None:
    from PySide6.QtCore import QTimer

    result: dict[str, Any] = {}

    def settled() -> None:
        result["peak_rss_mb_settled"] = _peak_rss_mb()
        result["rss_mb_settled"] = _current_rss_mb()
        _emit(result)
        os._exit(0)

    def home(_controller: Any) -> None:
        result.update(ready=True, peak_rss_mb=_peak_rss_mb())
        sys.stdout.write("ready\n")
        sys.stdout.flush()

    def fresh(_controller: Any) -> None:
        sys.stdout.write("fresh\n")
        sys.stdout.flush()
        QTimer.singleShot(500, settled)

    app = _start_app(data_dir, home, fresh)
    app.exec()


def stall(data_dir: Path, pack: Path) -> None:
    from studyapp.services.packs.service import PackService

    _measure_gaps(
        data_dir,
        "Importing a pack",
        lambda profile, progress: PackService(profile).import_pack(pack, progress=progress),
    )


def _spin(seconds: float) -> int:
    """Compute for ``seconds`` in plain Python, holding the interpreter lock."""
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(i * i for i in range(200))
    return total


_BLOCK = bytes(range(256)) * 4096  # 1 MiB: hashlib releases the lock above 2 KiB


def _hash(seconds: float) -> int:
    """Keep a core busy for ``seconds`` with the interpreter lock released (the control)."""
    end = time.perf_counter() + seconds
    rounds = 0
    while time.perf_counter() < end:
        hashlib.sha256(_BLOCK).digest()
        rounds += 1
    return rounds


def _stall_while(data_dir: Path, compute: Any, seconds: float) -> None:
    from studyapp.services.changes import Change, Outcome

    # A long operation returns an Outcome (it changes nothing here).
    _measure_gaps(
        data_dir, "Working", lambda _profile, _progress: Outcome(compute(seconds), Change.NONE)
    )


def stall_control(data_dir: Path, seconds: float) -> None:
    _stall_while(data_dir, _hash, seconds)


def stall_python(data_dir: Path, seconds: float) -> None:
    _stall_while(data_dir, _spin, seconds)


def _measure_gaps(data_dir: Path, title: str, work: Any) -> None:
    """Once Home shows fresh figures, tick a 5 ms timer on the GUI thread while
    ``controller.run_long(title, work)`` runs; emit the longest gap between ticks."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def done(value: Any) -> None:
        timer.stop()
        ticks.append(time.perf_counter())
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        _emit(
            {
                "ticks": len(ticks),
                "max_gap_ms": max(gaps) * 1000 if gaps else None,
                "switch_interval_s": sys.getswitchinterval(),
                "import_s": ticks[-1] - started[0],
                "added": getattr(value, "added", None),
            }
        )
        os._exit(0)

    started: list[float] = []

    def fresh(controller: Any) -> None:
        controller.report_error = lambda exc: _fail(f"{title} failed: {exc}")
        started.append(time.perf_counter())
        ticks.append(started[0])
        timer.start()
        controller.run_long(title, work, done)

    app = _start_app(data_dir, lambda _controller: None, fresh)
    app.exec()


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    mode = argv[0] if argv else ""
    if mode == "bare":
        bare()
    elif mode == "start" and len(argv) == 2:
        start(Path(argv[1]))
    elif mode == "stall" and len(argv) == 3:
        stall(Path(argv[1]), Path(argv[2]))
    elif mode == "stall-control" and len(argv) == 3:
        stall_control(Path(argv[1]), float(argv[2]))
    elif mode == "stall-python" and len(argv) == 3:
        stall_python(Path(argv[1]), float(argv[2]))
    else:
        sys.stderr.write(
            "usage: python -m benchmarks.probe "
            "bare|start DIR|stall DIR PACK|stall-control DIR S|stall-python DIR S\n"
        )
        return 2
    return 1  # the modes exit by themselves


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
