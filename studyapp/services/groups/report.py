"""The facilitator's group report: one self-contained HTML document (or PDF from it).

It shows what the Group screen shows, from the same :class:`GroupStatus`: the group's
name, the date in the local time zone, the members who share, members × skill areas
(mastery with its 80% range, or "too few answers"), the agenda for the next meeting,
and per scheduled exam the score distribution and the item analysis with its flags.
Like the progress report it has inline CSS only, and every value from a card (names,
titles, codes) is escaped: cards come from other people.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from html import escape
from pathlib import Path

from studyapp.domain.group import MemberCard, Membership
from studyapp.domain.item_analysis import FLAG_TEXT, ExamAnalysis
from studyapp.domain.words import plural
from studyapp.services.changes import Change, Outcome
from studyapp.services.groups.service import SyncFailure
from studyapp.services.groups.status import GroupStatus
from studyapp.services.reports.html import STYLE, nobreak
from studyapp.services.reports.service import (
    ExportedFile,
    PdfWriter,
    ReportError,
    report_format,
    write_report_file,
    write_report_pdf,
)

MEMBERS_PER_TABLE = 6
# Numbers, ranges and exam codes never break across lines: ``nowrap`` (in STYLE) on
# their cells and spans.
# Member columns in a smaller type so that six of them and the area titles share a
# portrait page (the PDF cannot scroll sideways).
EXTRA_STYLE = "p.big { margin-top: 12px; } .member { font-size: 8.5pt; }"


def pct(x: float) -> str:
    """A share as a whole percentage."""
    return f"{x * 100:.0f}%"


def _moment(iso: str, now: datetime, tz: tzinfo) -> str:
    """An ISO moment as people say it, in the user's time zone: "today at 14:05",
    "yesterday at 09:30", "on 3 December at 14:05" (with the year when not this year)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the app writes UTC moments
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday at {clock}"
    year = "" if local.year == today.year else f" {local.year}"
    return f"on {local.day} {local.strftime('%B')}{year} at {clock}"


def _sentence_tail(text: str) -> str:
    """``text`` to follow a colon: its first word lower-cased when it is an ordinary
    capitalised word ("The hub…" -> "the hub…"; "PostgreSQL…" stays)."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        return text[:1].lower() + text[1:]
    return text


def sync_line(
    membership: Membership, failure: SyncFailure | None, now: datetime, tz: tzinfo
) -> str:
    """One line on this profile's last sync with its group (one source for the Group
    screen and ``group status``): when it last synced, or, when the last sync failed
    (``failure``), when and why."""
    try:
        if failure is not None:
            when = _moment(failure.at, now, tz)
            return f"Last sync failed {when}: {_sentence_tail(failure.reason)}"
        if membership.last_sync:
            return f"Last synced {_moment(membership.last_sync, now, tz)}."
    except ValueError:  # a moment the profile holds that is not ISO: say nothing wrong
        pass
    return "Not synced yet."


def skill_cell(card: MemberCard, skill_id: str, *, compact: bool = False) -> str:
    """A member's figure in one skill area, in words (one rule for screen and report);
    ``compact`` for the printed report's narrow columns."""
    for s in card.skills:
        if s.id == skill_id:
            if s.answers == 0:
                return "–" if compact else "not practised yet"
            if not s.enough:
                return f"{s.answers} answers" if compact else f"too few answers ({s.answers})"
            return f"{pct(s.mastery)} ({pct(s.low)}–{pct(s.high)})"
    return "not shared"


def skill_columns(status: GroupStatus) -> list[tuple[str, str, float]]:
    """(id, title, weight) of every skill area any member shares, heaviest first."""
    seen: dict[str, tuple[str, str, float]] = {}
    for card in status.members:
        for s in card.skills:
            seen.setdefault(s.id, (s.id, s.title, s.weight))
    return sorted(seen.values(), key=lambda t: (-t[2], t[1]))


def agenda_lines(status: GroupStatus) -> list[str]:
    """The suggested agenda for the next meeting, one line per area."""
    lines = []
    for n, area in enumerate(status.agenda, 1):
        few = f"; too few answers yet: {', '.join(area.too_few)}" if area.too_few else ""
        lines.append(
            f"{n}. {area.title}: group mastery {pct(area.mean)} over "
            f"{plural(area.members, 'member')}, {pct(area.weight)} of the exam{few}."
        )
    if not lines:
        lines.append("No skill area has enough answers from the group yet.")
    return lines


def distribution(analysis: ExamAnalysis) -> str:
    """The score distribution in words, e.g. ``3 sat: 9/10, 7/10, 4/10``."""
    if not analysis.sat:
        return "Nobody has shared a result yet."
    scores = ", ".join(f"{s}/{analysis.length}" for s in analysis.scores)
    return f"{plural(analysis.sat, 'member')} sat it: {scores}."


def skipped_line(count: int) -> str:
    """The files of the group folder a read passed over, in one sentence (``group status``
    and the Group screen say it the same way)."""
    verb = "was" if count == 1 else "were"
    return f"{plural(count, 'file')} in the group folder could not be read and {verb} skipped."


def flag_words(flags: tuple[str, ...]) -> str:
    """The flags of a question in words ('' when none)."""
    return "; ".join(FLAG_TEXT.get(f, f) for f in flags)


def render_group_html(status: GroupStatus, tz: tzinfo) -> str:
    """The whole report as one UTF-8 HTML document."""
    local = status.as_of.astimezone(tz)
    when = nobreak(f"{local.day} {local:%B %Y, %H:%M}") + escape(
        f" ({local.tzname() or 'local time'})"
    )
    title = f"Study group report — {status.name}"
    names = ", ".join(escape(c.name) for c in status.members) or "nobody yet"
    matrix = _matrix_html(status) or "<p>No member has shared progress yet.</p>"
    agenda = "".join(f"<p>{escape(line)}</p>" for line in agenda_lines(status))
    exams = "".join(_exam_html(e.analysis, e.date) for e in status.exams) or (
        "<p>No mock exam is scheduled.</p>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}{EXTRA_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="muted">Prepared with StudyApp on {when}. Facilitator: '
        f"{escape(status.facilitator)}. Members who share: {names}.</p>"
        f"<h2>Members and skill areas</h2>{matrix}"
        '<p class="caption">Mastery: the estimated chance of answering an exam question of '
        "the area right, with its 80% range. With fewer than 10 answers in an area the "
        "number of answers is shown instead (too few to tell); –: not practised yet.</p>"
        f"<h2>Suggested agenda for the next meeting</h2>{agenda}"
        f"<h2>Mock exams</h2>{exams}"
        "</body></html>\n"
    )


def _matrix_html(status: GroupStatus) -> str:
    """Skill areas down, members across (at most :data:`MEMBERS_PER_TABLE` per table), so
    the report fits a portrait page whatever the number of skill areas."""
    columns = skill_columns(status)
    members = status.members
    tables = []
    for start in range(0, len(members), MEMBERS_PER_TABLE):
        chunk = members[start : start + MEMBERS_PER_TABLE]
        share = 76 // len(chunk)  # of the page's width, the area titles taking 24%
        head = "".join(
            f'<th class="num member" width="{share}%">{escape(c.name)}</th>' for c in chunk
        )
        ready = "".join(
            f'<td class="num nowrap member">{"–" if c.readiness is None else pct(c.readiness)}</td>'
            for c in chunk
        )
        rows = "".join(
            f'<tr><td>{escape(title)} <span class="caption">{pct(weight)}</span></td>'
            + "".join(
                '<td class="num nowrap member">'
                f"{escape(skill_cell(c, skill_id, compact=True))}</td>"
                for c in chunk
            )
            + "</tr>"
            for skill_id, title, weight in columns
        )
        tables.append(
            '<table width="100%"><tr><th width="24%">Skill area '
            '<span class="caption">share of the exam</span></th>'
            f"{head}</tr><tr><td><b>Readiness</b></td>{ready}</tr>{rows}</table>"
        )
    return "<br>".join(tables)


def _exam_html(analysis: ExamAnalysis, day: str | None) -> str:
    when = f" (scheduled for {nobreak(day)})" if day else ""
    rows = "".join(
        f'<tr><td class="nowrap">{n}. <span class="caption">{escape(i.id)}</span></td>'
        f'<td class="num nowrap">{pct(i.p_correct)}</td><td class="num nowrap">'
        + ("–" if i.discrimination is None else f"{i.discrimination:+.2f}")
        + "</td><td>"
        + escape(", ".join(f"{o}: {n}" for o, n in i.choices.items()) or "–")
        + "</td><td>"
        + (f'<span class="fail">{escape(flag_words(i.flags))}</span>' if i.flags else "")
        + "</td></tr>"
        for n, i in enumerate(analysis.items, 1)
    )
    table = (
        '<table><tr><th>Question</th><th class="num">Right</th>'
        '<th class="num nowrap">Discrimination</th><th>Options chosen</th>'
        "<th>Looks flawed?</th></tr>"
        f"{rows}</table>"
        if analysis.items
        else ""
    )
    flagged = len(analysis.flagged)
    note = (
        f'<p class="caption">{plural(flagged, "question")} flagged. Discrimination: the '
        "correlation between getting the question right and the score on the rest of the "
        "exam; below zero, stronger members did worse.</p>"
        if analysis.items
        else ""
    )
    return (
        f'<p class="big nowrap">{nobreak(analysis.code)}{when}</p><p>'
        f"{escape(distribution(analysis))}</p>"
        f"{table}{note}"
    )


def write_group_report(
    status: GroupStatus,
    path: Path,
    fmt: str | None,
    tz: tzinfo,
    pdf_writer: PdfWriter | None = None,
) -> Outcome[ExportedFile]:
    """Write the group report as HTML or PDF (``fmt``, else by the file's extension)."""
    kind = report_format(path, fmt)
    if status.role != "facilitator":
        raise ReportError("Only the facilitator's profile writes the group report.")
    document = render_group_html(status, tz)
    if kind == "html":
        write_report_file(path, document.encode("utf-8"))
    else:
        if pdf_writer is None:
            raise ReportError(
                f"This StudyApp cannot write PDF here; save {path.name} as HTML instead "
                "(--format html) and print it from a browser."
            )
        write_report_pdf(path, document, pdf_writer)
    return Outcome(ExportedFile(path, kind, path.stat().st_size), Change.NONE)
