"""A mock exam's result as a self-contained HTML report a facilitator can read or print.

Every piece of text is escaped; there are no scripts, no external resources, no links
to follow: the file can be emailed and opened anywhere.
"""

from __future__ import annotations

import html
from datetime import tzinfo
from pathlib import Path

from studyapp import fsutil
from studyapp.domain.errors import StudyAppError
from studyapp.domain.exam_sitting import EndedBy
from studyapp.domain.words import duration, plural
from studyapp.services.exams.views import ExamResult
from studyapp.services.reports.html import local_time_text
from studyapp.services.settings import local_tz

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24;max-width:860px;
margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}.muted{color:#4f5864}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{text-align:left;padding:.35em .5em;
border-bottom:1px solid #d7dbe0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eef1f5;height:.7em;border-radius:.35em;width:14em}.fill{background:#1f5fbf;height:.7em;
border-radius:.35em}.pass{color:#1b7a3d;font-weight:600}.fail{color:#b3261e;font-weight:600}
@media print{body{margin:0}}
"""


def _row(title: str, correct: int, total: int) -> str:
    share = correct / total if total else 0.0
    return (
        f"<tr><td>{html.escape(title)}</td><td class='n'>{correct} / {total}</td>"
        f"<td class='n'>{share:.0%}</td><td><div class='bar'><div class='fill' "
        f"style='width:{share * 100:.0f}%'></div></div></td></tr>"
    )


def exam_report_html(result: ExamResult, profile_name: str, tz: tzinfo | None = None) -> str:
    """The HTML document for one submitted exam; times in ``tz`` (default: the local zone)."""
    s, e = result.score, result.exam
    verdict = (
        "<span class='pass'>at or above the pass line</span>"
        if s.passed
        else "<span class='fail'>below the pass line</span>"
    )
    zone = tz or local_tz()
    when = local_time_text(result.submitted_at, zone) if result.submitted_at else ""
    ended = (
        " The time ran out, so the exam was handed in automatically."
        if e.ended_by == EndedBy.TIME
        else ""
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Mock exam {html.escape(e.code)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Mock exam result — {html.escape(e.title)}</h1>",
        f"<p class='muted'>{html.escape(profile_name)} · exam code {html.escape(e.code)} · "
        f"{plural(e.length, 'question')} · handed in {html.escape(when)}</p>",
        f"<p><b>Raw score: {s.raw} of {s.length} ({s.percent:.0f}%).</b> Estimated scaled score "
        f"<b>{s.scaled}</b> of {s.scale_max}, {verdict} of {s.pass_scaled}.</p>",
        f"<p class='muted'>The scaled score is an estimate: CoSN publishes the pass mark "
        f"({s.pass_scaled} of {s.scale_max}) but not the raw cut; this report assumes "
        f"{s.cut_raw} of {s.length} correct ({s.cut_fraction:.0%}). Time used: "
        f"{duration(s.total_time_ms / 1000)}, "
        f"{duration(s.mean_time_ms / 1000)} per question on average."
        f"{ended}</p>",
        "<h2>By category</h2><table><tr><th>Category</th><th>Correct</th><th></th><th></th></tr>",
        *(_row(t.title, t.correct, t.total) for t in s.by_category),
        "</table><h2>By skill area</h2><table><tr><th>Skill area</th><th>Correct</th><th></th>"
        "<th></th></tr>",
        *(_row(t.title, t.correct, t.total) for t in s.by_skill),
        "</table><p class='muted'>Made by StudyApp (unofficial practice for the CoSN CETL exam; "
        "not affiliated with CoSN).</p></body></html>",
    ]
    return "".join(parts)


def write_exam_report(
    result: ExamResult, profile_name: str, target: Path, tz: tzinfo | None = None
) -> Path:
    """Write the report atomically; a clear error when the file cannot be written."""
    data = exam_report_html(result, profile_name, tz).encode("utf-8")
    try:
        fsutil.write_atomically(target, data)
    except OSError as exc:
        raise StudyAppError(
            f"{target}: the report could not be written ({exc.strerror or exc})."
        ) from exc
    return target
