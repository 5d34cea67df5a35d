"""``studyapp report``: the facilitator's progress report from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_report_html_after_a_drill(cli, tmp_path):
    """A drilled profile's report is one HTML file with its answers; --json says where."""
    assert cli("--now", "2026-12-01T18:00:00Z", "drill", "--answers", "12").code == 0
    out = tmp_path / "progress.html"
    result = cli("--now", "2026-12-01T19:00:00Z", "report", "--out", str(out), "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc == {"path": str(out), "format": "html", "size": out.stat().st_size}
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "12 in all" in html
    assert "No mock exams yet." in html


def test_report_pdf_by_extension(cli, tmp_path, qapp):
    """FILE.pdf gives a PDF through Qt's engine; the line names the file."""
    out = tmp_path / "progress.pdf"
    result = cli("--now", "2026-12-01T19:00:00Z", "report", "--out", str(out))
    assert result.code == 0, result.err
    assert out.read_bytes().startswith(b"%PDF")
    assert f"Wrote the progress report to {out} (pdf" in result.out


def test_report_pdf_in_a_fresh_process_without_a_display(tmp_path):
    """The CLI starts Qt headless for PDF: no display needed, no traceback."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "r.pdf"
    command = [sys.executable, "-m", "studyapp", "--data-dir", str(tmp_path / "p"), "report"]
    done = subprocess.run(
        [*command, "--out", str(out), "--format", "pdf"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_report_errors_are_one_line(cli, tmp_path):
    """A folder that does not exist, or a bad format: one line on stderr, non-zero exit."""
    missing = cli("report", "--out", str(tmp_path / "nope" / "r.html"))
    assert missing.code == 1
    assert missing.err.startswith("studyapp: error: Could not write")
    assert len(missing.err.strip().splitlines()) == 1
    bad = cli("report", "--out", str(tmp_path / "r.html"), "--format", "docx")
    assert bad.code == 2 and "invalid choice" in bad.err
    assert not (tmp_path / "r.html").exists()
