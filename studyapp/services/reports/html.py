"""The progress report as one self-contained HTML document.

A study-group facilitator receives this file by mail or on a stick and opens or prints
it anywhere, offline: all CSS is inline in the document, and there are no scripts,
images, fonts or links to fetch. Every value from the profile or a pack (skill titles,
exam codes) is escaped. The markup keeps to what both browsers and Qt's rich-text engine
(which prints the PDF version) understand: tables, ``bgcolor`` bars, simple CSS.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from html import escape

from studyapp.domain.figures import mastery_text
from studyapp.domain.words import duration
from studyapp.services.reports.model import ProgressReport, SkillSeries

INK = "#1b1f24"
MUTED = "#4f5864"
RULE = "#c9d1db"
HEAD = "#eef1f5"
SOLID = "#1f5fbf"
MID = "#7fa6de"
PALE = "#cddcf3"
TRACK = "#eef1f5"
GOOD = "#1b7a3d"
BAD = "#b3261e"

STYLE = f"""
body {{ font-family: "Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif;
  color: {INK}; background: #ffffff; margin: 24px; font-size: 10pt;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
h1 {{ font-size: 18pt; margin: 0 0 2px 0; }}
h2 {{ font-size: 12.5pt; margin: 18px 0 6px 0; color: {INK}; }}
p {{ margin: 4px 0; }}
table {{ border-collapse: collapse; }}
th {{ background-color: {HEAD}; text-align: left; font-weight: 600; padding: 4px 6px; }}
td {{ padding: 3px 6px; vertical-align: middle; border-bottom: 1px solid {RULE}; }}
td.num, th.num {{ text-align: right; }}
td.cat {{ font-weight: 600; padding-top: 8px; border-bottom: 1px solid {RULE}; }}
td.bar {{ padding: 0; border: none; font-size: 5pt; }}
.muted {{ color: {MUTED}; }}
.caption {{ color: {MUTED}; font-size: 8.5pt; }}
.big {{ font-size: 13pt; font-weight: 600; }}
.pass {{ color: {GOOD}; font-weight: 600; }}
.fail {{ color: {BAD}; font-weight: 600; }}
.nowrap {{ white-space: nowrap; }}
@media print {{ body {{ margin: 0; }} }}
"""


def _pct(x: float) -> str:
    return f"{x:.0%}"


def nobreak(text: str) -> str:
    """``text`` escaped and kept on one line: a number, range, date or exam code.

    Browsers and Qt's rich text (the PDF) both honour ``white-space: nowrap`` on a span;
    Qt turns its spaces into no-break spaces, and the PDF writer wraps only at word
    boundaries, so "62% (42%–82%)" or "562–665" is never cut in two.
    """
    return f'<span class="nowrap">{escape(text)}</span>'


def local_time_text(moment: datetime, tz: tzinfo) -> str:
    """A moment as people read it in their own time zone: "7 December 2026, 14:05".

    Stored moments are UTC; every report a person reads shows them in ``tz`` (the
    user's local zone), never as UTC.
    """
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y, %H:%M}"


def _bar(low: float, mean: float, high: float) -> str:
    """A mastery bar: solid to the low end, darker then paler tint to the high end."""
    parts = [
        (max(low, 0.0), SOLID),
        (max(mean - low, 0.0), MID),
        (max(high - mean, 0.0), PALE),
        (max(1.0 - high, 0.0), TRACK),
    ]
    cells = "".join(
        f'<td class="bar" width="{round(share * 100)}%" bgcolor="{colour}" '
        f'style="background-color: {colour};">&nbsp;</td>'
        for share, colour in parts
        if round(share * 100) > 0
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="0" '
        f'style="border-collapse: collapse;"><tr>{cells}</tr></table>'
    )


def _recent(series: SkillSeries, weeks: int = 4) -> tuple[int, float | None]:
    recent = series.weeks[-weeks:]
    answers = sum(w.answers for w in recent)
    correct = sum(w.correct for w in recent)
    return answers, (correct / answers if answers else None)


def _glance(report: ProgressReport) -> str:
    stats, st = report.stats, report.statistics
    r = stats.readiness
    last7 = st.days[-7:]
    last30 = st.days[-30:]
    seen = sum(s.seen for s in stats.skills)
    total = sum(s.questions for s in stats.skills)
    view = stats.view
    estimated = view.estimated if view is not None else bool(stats.reviews)
    exam = stats.framework.exam
    pass_of_max = nobreak(f"{exam.pass_scaled} of {exam.scale_max}")
    rows = [
        (
            "Readiness",
            f'<span class="big">{_pct(r.probability)}</span> estimated chance of passing'
            if estimated
            else "not estimated yet: too few answers",
        ),
        (
            "Estimated score",
            f"{nobreak(f'{r.expected_scaled} of {exam.scale_max}')} "
            f"(likely {nobreak(f'{r.scaled_low}–{r.scaled_high}')}; the pass mark is "
            f"{exam.pass_scaled})"
            if estimated
            else f"not estimated yet (the pass mark is {pass_of_max})",
        ),
        (
            "Why",
            "<br>".join(escape(w.text) for w in view.why) if view is not None else "—",
        ),
        (
            "Answers",
            f"{stats.reviews:,} in all · {sum(d.answers for d in last7):,} in the last 7 days",
        ),
        (
            "Study time",
            f"{duration(st.total_minutes * 60)} in all · "
            f"{duration(sum(d.minutes for d in last7) * 60)} "
            f"in the last 7 days · {duration(sum(d.minutes for d in last30) * 60)} in the last 30",
        ),
        (
            "Streak",
            f"{stats.streak} day{'s' if stats.streak != 1 else ''} · studied on "
            f"{sum(1 for d in last30 if d.answers)} of the last 30 days",
        ),
        ("Questions seen", f"{seen:,} of {total:,}"),
    ]
    if stats.exam_date is not None:
        days = stats.days_to_exam
        when = nobreak(f"{stats.exam_date.day} {stats.exam_date:%B %Y}")
        rows.append(
            (
                "Exam date",
                f"{when} ({nobreak(f'{days} days')} from now)" if days and days >= 0 else when,
            )
        )
    body = "".join(
        f'<tr><td class="muted" width="22%">{escape(k)}</td><td>{v}</td></tr>' for k, v in rows
    )
    return f'<table width="100%">{body}</table>'


def _caption(report: ProgressReport) -> str:
    r = report.stats.readiness
    fw = report.stats.framework
    return (
        '<p class="caption">Readiness and scores are estimates from this learner’s answers in '
        f"StudyApp, assuming a raw pass mark of {r.cut} of {r.length} questions. CoSN "
        f"publishes the pass line ({fw.exam.pass_scaled} of {fw.exam.scale_max}) but not the "
        "raw cut, so the assumption is a setting. Mastery is the estimated chance of "
        "answering an exam question of the skill area correctly today; the range is where it "
        "lies with 80% probability. Time is time spent answering questions.</p>"
    )


def _skills(report: ProgressReport) -> str:
    stats, st = report.stats, report.statistics
    head = (
        "<tr><th width='25%'>Skill area</th><th class='num' width='10%'>Weight</th>"
        "<th class='num nowrap' width='11%'>Mastery</th><th class='num' width='12%'>80% range</th>"
        "<th width='12%'>&nbsp;</th><th class='num' width='11%'>Seen</th>"
        "<th class='num' width='19%'>Right, last 4 weeks</th></tr>"
    )
    rows = []
    for cat in stats.framework.categories:
        members = [s for s in stats.skills if s.category == cat.id]
        mean = stats.category_mastery(cat.id)
        shown = f"mastery {_pct(mean)}" if mean is not None else "too few answers for mastery"
        rows.append(
            f'<tr><td class="cat" colspan="7">{escape(cat.title)} — {_pct(cat.weight)} of the '
            f"exam · {shown}</td></tr>"
        )
        for s in members:
            m = s.mastery
            answers, accuracy = _recent(st.series(s.id))
            recent = f"{_pct(accuracy)} of {answers}" if accuracy is not None else "no answers"
            if s.evidence == "enough":
                figure = (
                    f"<td class='num nowrap'><b>{_pct(m.mean)}</b></td>"
                    f"<td class='num nowrap'>{_pct(m.low)}–{_pct(m.high)}</td>"
                    f"<td>{_bar(m.low, m.mean, m.high)}</td>"
                )
            else:
                figure = f"<td class='muted' colspan='3'>{escape(mastery_text(s.figure))}</td>"
            rows.append(
                f"<tr><td>{escape(s.title)}</td><td class='num nowrap'>{_pct(s.weight)}</td>"
                f"{figure}"
                f"<td class='num nowrap'>{s.seen} of {s.questions}</td>"
                f"<td class='num nowrap'>{recent}</td></tr>"
            )
    return f'<table width="100%">{head}{"".join(rows)}</table>'


def _exams(report: ProgressReport) -> str:
    if not report.exams:
        return '<p class="muted">No mock exams yet.</p>'
    pass_mark = report.stats.framework.exam.pass_scaled
    head = (
        "<tr><th>Date</th><th>Exam code</th><th class='num'>Questions</th>"
        "<th class='num'>Right</th><th class='num'>Estimated scaled score</th></tr>"
    )
    rows = []
    for e in report.exams:
        day = e.submitted_at.astimezone(report.tz)
        raw = (
            f"{e.raw_correct} ({e.raw_correct / e.length:.0%})"
            if e.raw_correct is not None and e.length
            else "—"
        )
        if e.scaled_score is None:
            scaled = "—"
        else:
            verdict = "pass" if e.scaled_score >= pass_mark else "fail"
            label = "above the pass mark" if verdict == "pass" else "below the pass mark"
            scaled = f'{e.scaled_score} <span class="{verdict}">({label})</span>'
        rows.append(
            f"<tr><td class='nowrap'>{day.day} {day:%b %Y}</td>"
            f"<td class='nowrap'>{escape(e.code)}</td>"
            f"<td class='num nowrap'>{e.length}</td><td class='num nowrap'>{raw}</td>"
            f"<td class='num'>{scaled}</td></tr>"
        )
    return (
        f'<table width="100%">{head}{"".join(rows)}</table>'
        '<p class="caption">Scaled scores of mock exams are estimates under the same assumed '
        "raw pass mark.</p>"
    )


def _weeks(report: ProgressReport, count: int = 8) -> str:
    head = (
        "<tr><th>Week of</th><th class='num'>Answers</th><th class='num'>Right</th>"
        "<th class='num'>Study time</th></tr>"
    )
    rows = []
    for w in reversed(report.statistics.overall.weeks[-count:]):
        right = _pct(w.accuracy) if w.accuracy is not None else "—"
        end = w.week + timedelta(days=6)
        rows.append(
            f"<tr><td class='nowrap'>{w.week.day} {w.week:%b} – {end.day} {end:%b %Y}</td>"
            f"<td class='num nowrap'>{w.answers:,}</td><td class='num nowrap'>{right}</td>"
            f"<td class='num nowrap'>{duration(w.minutes * 60)}</td></tr>"
        )
    return f'<table width="100%">{head}{"".join(rows)}</table>'


def render_report_html(report: ProgressReport) -> str:
    """The whole report: one UTF-8 HTML document with its CSS inline."""
    fw = report.stats.framework
    title = f"Progress report — {fw.title}"
    made = local_time_text(report.generated_at, report.tz)
    learner = f"<p><b>{escape(report.learner)}</b></p>" if report.learner else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"{learner}"
        f'<p class="muted">Prepared with StudyApp on {made} (local time). '
        "Offline practice and estimates; StudyApp is not affiliated with CoSN.</p>"
        f"<h2>At a glance</h2>{_glance(report)}{_caption(report)}"
        f"<h2>Mastery by skill area</h2>{_skills(report)}"
        f"<h2>Mock exams</h2>{_exams(report)}"
        f"<h2>Recent weeks</h2>{_weeks(report)}"
        f'<p class="caption">StudyApp {escape(report.app_version)} · {escape(fw.id)} '
        f"framework version {escape(fw.version)}.</p>"
        "</body></html>\n"
    )
