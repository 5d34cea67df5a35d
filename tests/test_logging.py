"""The log: a rotating file in the log folder, where unexpected errors are written and named."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs
import pytest

from studyapp import app
from studyapp.config import APP_NAME, DATA_DIR_ENV, LOG_DIR_ENV, AppPaths
from studyapp.domain.errors import ExitCode


@pytest.fixture
def app_log(paths):
    """StudyApp's own log handler, pointed at this test's log folder, removed afterwards."""
    app.setup_logging(paths)
    yield paths.log_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_studyapp", False)]:
        root.removeHandler(handler)
        handler.close()


def test_log_file_is_in_the_log_folder_and_rotates(app_log, paths):
    """Records go to <log folder>/studyapp.log, which rotates at its size limit and keeps
    only LOG_BACKUPS old files: the log never grows without bound."""
    logger = logging.getLogger("studyapp.test")
    logger.info("first record")
    line = "x" * 1000
    records = (app.LOG_MAX_BYTES * (app.LOG_BACKUPS + 2)) // len(line)
    for i in range(records):
        logger.info("record %d %s", i, line)
    logger.info("last record")
    names = sorted(p.name for p in paths.log_dir.iterdir())
    expected = ["studyapp.log", *(f"studyapp.log.{n}" for n in range(1, app.LOG_BACKUPS + 1))]
    assert names == expected
    for path in paths.log_dir.iterdir():
        assert path.stat().st_size <= app.LOG_MAX_BYTES
    assert "last record" in app_log.read_text("utf-8")
    assert not any("first record" in p.read_text("utf-8") for p in paths.log_dir.iterdir())


def test_setup_logging_follows_the_profile(tmp_path):
    """Set up again for another profile, the log moves there (messages name the real file)."""
    first = AppPaths(tmp_path / "a", tmp_path / "a-logs")
    second = AppPaths(tmp_path / "b", tmp_path / "b-logs")
    root = logging.getLogger()
    try:
        app.setup_logging(first)
        app.setup_logging(first)
        assert len([h for h in root.handlers if getattr(h, "_studyapp", False)]) == 1
        app.setup_logging(second)
        logging.getLogger("studyapp.test").warning("goes to the second profile")
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_studyapp", False)]:
            root.removeHandler(handler)
            handler.close()
    assert "goes to the second profile" in second.log_file.read_text("utf-8")
    assert "goes to the second profile" not in first.log_file.read_text("utf-8")


def test_default_log_folder_is_the_platforms(monkeypatch):
    """Without --data-dir or environment overrides the log lives in the platform's log
    folder (platformdirs), not beside the database."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(LOG_DIR_ENV, raising=False)
    paths = AppPaths.resolve()
    assert paths.log_dir == Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    assert paths.log_file.parent == paths.log_dir


def test_unexpected_cli_error_is_logged_with_traceback_and_names_the_log(cli, monkeypatch):
    """A bug in a command: one line naming the log file, exit 70, the traceback in that log."""
    from studyapp.services.profile import Profile

    def broken_info(self):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(Profile, "info", broken_info)
    result = cli("info")
    log_file = cli.data_dir / "logs" / "studyapp.log"
    assert result.code == ExitCode.UNEXPECTED == 70
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert str(log_file) in result.err and "your data is unchanged" in result.err
    text = log_file.read_text("utf-8")
    assert "Traceback" in text and "ZeroDivisionError: simulated bug" in text
