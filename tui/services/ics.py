"""Everything due as an iCalendar file (RFC 5545), for calendar apps.

One event per item the agenda knows, however far ahead: open promises both ways,
follow-up steps and replies, the next touch of each client we keep in touch with,
and unpaid invoices. A due date is an all-day event; a due date and time (a reply)
is a 15-minute event at that time, in the workspace's time zone.

UIDs are stable — ``<promise id>@kept``, ``touch-<slug>@kept``,
``invoice-<slug>-<number>@kept`` — so importing the file again updates events
rather than adding them twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import icalendar

from tui.core.dates import Clock
from tui.core.models import Workspace
from tui.core.rules import AgendaItem, ItemType, agenda

FAR = 3660  # days ahead: everything
LABELS = {
    ItemType.PROMISE: "We owe",
    ItemType.REPLY: "Reply",
    ItemType.FOLLOW_UP: "Follow up",
    ItemType.WAITING: "Waiting for",
    ItemType.TOUCH: "Get in touch",
    ItemType.INVOICE: "Collect",
}


def uid(item: AgendaItem) -> str:
    if item.type is ItemType.TOUCH:
        return f"touch-{item.client}@kept"
    if item.type is ItemType.INVOICE:
        number = re.sub(r"[^A-Za-z0-9._-]+", "-", item.id).strip("-") or "x"
        return f"invoice-{item.client}-{number}@kept"
    return f"{item.id}@kept"


def items(ws: Workspace, clock: Clock, client: str | None = None,
          mine: str | None = None) -> list[AgendaItem]:
    return [i for i in agenda(ws, clock, days=FAR, mine=mine)
            if client is None or i.client == client]


def calendar(ws: Workspace, clock: Clock, client: str | None = None,
             mine: str | None = None) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Kept//Kept promise book//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", ws.settings.name)
    tz = ws.settings.timezone
    stamp = clock.now.replace(tzinfo=tz) if tz is not None else clock.now
    for item in items(ws, clock, client, mine):
        event = icalendar.Event()
        event.add("uid", uid(item))
        event.add("dtstamp", stamp)
        event.add("summary", f"{LABELS[item.type]}: {item.text} — {item.client_name}")
        if item.due.time is None:
            event.add("dtstart", item.due.day)
            event.add("dtend", item.due.day + timedelta(days=1))
        else:
            start = datetime.combine(item.due.day, item.due.time, tzinfo=tz)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=15))
        event.add("categories", [str(item.type)])
        who = f"\nWho acts: {item.owner}" if item.owner else ""
        event.add("description", f"{item.client_name} · {item.type}{who}\n"
                                 f"{item.path}:{item.line}")
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        cal.add_component(event)
    if tz is not None:
        cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
