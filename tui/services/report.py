"""A status report to send to a client: Markdown, or one self-contained HTML page.

What it holds, for the period from ``since`` to today:

* **Delivered**: our promises done in the period, with the day.
* **In progress**: our open promises, with their due dates.
* **What we need from you**: the client's open promises, due dates, and how long we
  have been waiting (since the promise was made, else since it was due).
* **Coming up**: our open reports (``kind: report``) and meetings on the calendar
  (notes dated after today).
* **Meetings and calls** in the period: the date, the kind and who took part.
* **Open invoices**: number, amount, due date.

What it never holds — the report goes outside the agency: the text of notes (their
bodies) and their titles (AMs title notes for themselves), history reasons (``why``),
team handles, dropped promises. Every text that does go in is escaped for its format,
and the HTML page loads nothing from anywhere (inline CSS, no scripts, no images).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tui.core.dates import Clock, Due, humanize_days
from tui.core.models import By, Client, Kind, NoteKind, Promise, PromiseStatus, Workspace
from tui.core.rules import format_money
from tui.errors import InvalidInput

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Line:
    text: str
    detail: str  # "14 Nov", "due 21 Nov", "due 22 Nov · waiting 5 days"
    late: bool = False


@dataclass(frozen=True)
class Report:
    agency: str
    client: str
    since: date
    until: date
    delivered: tuple[Line, ...]
    in_progress: tuple[Line, ...]
    needed: tuple[Line, ...]
    coming: tuple[Line, ...]
    meetings: tuple[Line, ...]
    invoices: tuple[Line, ...]

    @property
    def sections(self) -> list[tuple[str, tuple[Line, ...], str]]:
        """(title, lines, what to say when there are none)."""
        return [
            ("Delivered", self.delivered, "Nothing closed in this period."),
            ("In progress", self.in_progress, "Nothing open on our side."),
            ("What we need from you", self.needed, "Nothing: thank you!"),
            ("Coming up", self.coming, "Nothing scheduled yet."),
            ("Meetings and calls", self.meetings, "None in this period."),
            ("Open invoices", self.invoices, "None."),
        ]


def _day(day: date, today: date) -> str:
    """``21 Nov``, with the year when it is not this year's."""
    return f"{day.day} {day:%b}" if day.year == today.year else f"{day.day} {day:%b %Y}"


def _due(due: Due, today: date) -> str:
    text = _day(due.day, today)
    return f"{text} {due.time:%H:%M}" if due.time else text


def default_since(client: Client, clock: Clock) -> date:
    """The client's reporting period back from today (``report: monthly``), else 30 days."""
    if client.report is not None:
        return client.report.every.add_to_date(clock.today, times=-1)
    return clock.today - timedelta(days=DEFAULT_DAYS)


_MEETING_KINDS = {NoteKind.MEETING, NoteKind.CALL, NoteKind.VISIT}


def build(ws: Workspace, slug: str, clock: Clock, since: date | None = None) -> Report:
    client = ws.clients[slug]
    today = clock.today
    start = since if since is not None else default_since(client, clock)
    if start > today:
        raise InvalidInput(f"--since {start} is after today ({today})")
    promises = [p for p in ws.promises if p.client == slug]
    ours = [p for p in promises if p.by is By.US]
    theirs = [p for p in promises if p.by is By.CLIENT]

    def by_due(p: Promise) -> tuple[datetime, str]:
        return (p.due.moment(), p.text)

    delivered = sorted(
        (p for p in ours if p.status is PromiseStatus.DONE and p.closed is not None
         and start <= p.closed <= today),
        key=lambda p: (p.closed, p.text),
    )
    open_ours = sorted((p for p in ours if p.is_open and p.kind is not Kind.REPORT), key=by_due)
    needed = sorted((p for p in theirs if p.is_open), key=by_due)
    reports = sorted((p for p in ours if p.is_open and p.kind is Kind.REPORT), key=by_due)
    notes = ws.notes_of(slug)
    upcoming_meetings = sorted((n for n in notes if n.date > today
                                and n.kind is not NoteKind.INTERNAL), key=lambda n: n.date)
    past_meetings = sorted((n for n in notes if start <= n.date <= today
                            and n.kind in _MEETING_KINDS), key=lambda n: n.date)

    def waiting(p: Promise) -> str:
        since_day = p.made if p.made is not None and p.made <= today else p.due.day
        days = (today - since_day).days
        return f" · waiting {humanize_days(days)}" if days > 0 else ""

    invoices = [
        Line(f"Invoice {inv.number}: {format_money(inv.amount, client.billing.currency)}",
             f"due {_day(inv.due, today)}" if inv.due else "no due date",
             late=inv.due is not None and inv.due < today)
        for inv in client.billing.invoices if inv.paid is None
    ]
    return Report(
        agency=ws.settings.name,
        client=client.name,
        since=start,
        until=today,
        delivered=tuple(Line(p.text, _day(p.closed, today)) for p in delivered
                        if p.closed is not None),
        in_progress=tuple(Line(p.text, f"due {_due(p.due, today)}", p.due.is_overdue(clock))
                          for p in open_ours),
        needed=tuple(Line(p.text, f"due {_due(p.due, today)}{waiting(p)}",
                          p.due.is_overdue(clock)) for p in needed),
        coming=tuple(
            [Line(p.text, _due(p.due, today)) for p in reports]
            + [Line(f"{n.kind.value.capitalize()}" + (f" with {', '.join(n.with_)}"
                                                       if n.with_ else ""),
                    _day(n.date, today)) for n in upcoming_meetings]
        ),
        meetings=tuple(
            Line(n.kind.value.capitalize() + (f" with {', '.join(n.with_)}" if n.with_ else ""),
                 _day(n.date, today)) for n in past_meetings
        ),
        invoices=tuple(invoices),
    )


def period_text(report: Report) -> str:
    a, b = report.since, report.until
    return f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"


# --- Markdown ------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md_escape(text: str) -> str:
    """Plain text that Markdown shows as written (no links, emphasis or HTML)."""
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", text).strip()
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def markdown(report: Report) -> str:
    out = [f"# {md_escape(report.client)} — status report", "",
           f"{md_escape(report.agency)} · {period_text(report)}", ""]
    for title, lines, empty in report.sections:
        out.append(f"## {title}")
        out.append("")
        if not lines:
            out.append(f"_{empty}_")
        for line in lines:
            out.append(f"- {md_escape(line.text)} — {md_escape(line.detail)}")
        out.append("")
    return "\n".join(out)


# --- HTML ----------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d2330; background: #f4f5f8; margin: 0; }
main { max-width: 46rem; margin: 2.5rem auto; background: #fff; padding: 2.5rem 3rem;
       border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
header { border-bottom: 3px solid #3d5afe; padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
.period { color: #5b6475; margin: 0; }
h2 { font-size: 1.05rem; text-transform: uppercase; letter-spacing: .06em; color: #3d5afe;
     margin: 2rem 0 .5rem; }
ul { list-style: none; padding: 0; margin: 0; }
li { display: flex; justify-content: space-between; gap: 1.5rem; padding: .55rem 0;
     border-bottom: 1px solid #eceef3; }
li .detail { color: #5b6475; white-space: nowrap; }
li.late .detail { color: #c62828; font-weight: 600; }
.empty { color: #8a93a5; font-style: italic; margin: 0; }
footer { margin-top: 2.5rem; color: #8a93a5; font-size: .85rem; }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; } }
"""


def to_html(report: Report) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may load from anywhere: the page is sent as a file.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f"<title>{e(report.client)} — status report</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{e(report.client)} — status report</h1>",
        f'<p class="period">{e(report.agency)} · {e(period_text(report))}</p>',
        "</header>",
    ]
    for title, lines, empty in report.sections:
        parts.append(f"<section><h2>{e(title)}</h2>")
        if not lines:
            parts.append(f'<p class="empty">{e(empty)}</p>')
        else:
            parts.append("<ul>")
            for line in lines:
                cls = ' class="late"' if line.late else ""
                parts.append(f'<li{cls}><span class="text">{e(line.text)}</span>'
                             f'<span class="detail">{e(line.detail)}</span></li>')
            parts.append("</ul>")
        parts.append("</section>")
    parts += [
        f"<footer>Prepared by {e(report.agency)} on {e(period_text(report).split(' – ')[1])}"
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)
