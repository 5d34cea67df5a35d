"""Composition root: parse the command line, set up logging, then run the GUI or a command.

Only here do the GUI and the CLI meet. Errors that are the user's (``StudyAppError``)
become one line on stderr; anything else is logged with its traceback and reported as
one line naming the log file. Every exit status is an :class:`ExitCode`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from studyapp.cli import build_parser, handler_of, run_headless
from studyapp.config import DATA_DIR_ENV, AppPaths
from studyapp.domain.clock import Clock
from studyapp.domain.errors import ExitCode, StudyAppError, command_line_text
from studyapp.services.system_clock import OffsetClock, SystemClock

NO_DISPLAY_MESSAGE = (
    "StudyApp needs a desktop session (no display found). Start it from your desktop, "
    "or use the command line: studyapp --help."
)
log = logging.getLogger("studyapp")


LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


def setup_logging(paths: AppPaths) -> None:
    """A rotating log file in the log folder; silently none if it cannot be created.

    ``studyapp.log`` grows to :data:`LOG_MAX_BYTES`, then becomes ``studyapp.log.1`` (and
    so on up to :data:`LOG_BACKUPS` old files), so the log never grows without bound.
    Called again for another profile in the same process (tests, the in-process CLI), the
    handler moves to that profile's log, so error messages always name the file written.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_studyapp", False)]:
        if getattr(old, "baseFilename", None) == str(paths.log_file.absolute()):
            return
        root.removeHandler(old)
        old.close()
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._studyapp = True  # type: ignore[attr-defined]  # marks our handler
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _fail(message: str, code: ExitCode) -> ExitCode:
    sys.stderr.write(f"studyapp: error: {message}\n")
    sys.stderr.flush()
    return code


def display_missing(environ: Mapping[str, str], platform: str) -> bool:
    """True when a GUI could not open a window here: Linux (or another X11/Wayland
    system) with neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` and no Qt platform chosen.

    Checked before Qt is loaded, because Qt's own failure is a multi-line plugin message
    and an abort. Windows and macOS always have their native platform.
    """
    if platform.startswith(("win", "darwin", "cygwin")):
        return False
    return not any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _write_pdf(html: str, path: Path) -> None:
    """The CLI's PDF engine: Qt's, loaded only when a PDF is asked for."""
    from studyapp.ui.pdf import write_pdf

    write_pdf(html, path)


def main(argv: list[str]) -> int:
    """Entry point shared by ``studyapp`` and ``python -m studyapp``."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except StudyAppError as exc:
        return _fail(command_line_text(exc), exc.exit_code)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if isinstance(exc.code, int) else ExitCode.USAGE
    command = args.command or "gui"
    demo_dir: tempfile.TemporaryDirectory[str] | None = None
    if (
        command == "selftest"
        and args.screenshots
        and not (args.data_dir or os.environ.get(DATA_DIR_ENV))
    ):
        # Screenshots come from a temporary demo profile, never from the user's own.
        demo_dir = tempfile.TemporaryDirectory(prefix="studyapp-demo-")
        args.data_dir = demo_dir.name
    paths = AppPaths.resolve(args.data_dir)
    setup_logging(paths)
    clock: Clock = OffsetClock(args.now) if args.now else SystemClock()
    try:
        if command == "gui" and display_missing(os.environ, sys.platform):
            return _fail(NO_DISPLAY_MESSAGE, ExitCode.NO_DISPLAY)
        if handler_of(args) is None:  # gui and selftest
            from studyapp.ui.application import run_gui  # Qt only when needed

            return run_gui(
                paths,
                clock,
                selftest=command == "selftest",
                screenshots=getattr(args, "screenshots", None),
                demo=demo_dir is not None,
            )
        return run_headless(args, paths, clock, pdf_writer=_write_pdf)
    except StudyAppError as exc:
        log.warning("%s failed: %s", command, exc)
        return _fail(command_line_text(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except Exception as exc:
        log.exception("unexpected error in %s", command)
        first_line = (str(exc).strip().splitlines() or [""])[0][:160]
        return _fail(
            f"unexpected {type(exc).__name__} ({first_line}). This is a bug; your data is "
            f"unchanged and details are in {paths.log_file}",
            ExitCode.UNEXPECTED,
        )
