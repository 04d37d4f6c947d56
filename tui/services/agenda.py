"""The agenda use case: what is due, grouped the way a person reads it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tui.core.dates import Clock
from tui.core.rules import AgendaItem, ItemType, agenda
from tui.services.context import Session

# How each type of item is named in a row of the agenda (the CLI's and the app's).
TYPE_LABELS = {
    "promise": "we owe",
    "reply": "reply",
    "follow-up": "follow-up",
    "waiting": "waiting",
    "touch": "touch",
    "invoice": "invoice",
}


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: East Asian wide characters two,
    combining marks, control and format characters none, the rest one. (Rich's own table takes
    25 ms to load; the CLI prints thousands of rows without it.)"""
    if text.isascii() or not _MAYBE_NOT_ONE.search(text):
        return len(text)
    return sum(_cell(ch) for ch in text)


# Characters that may take other than one cell: none in Latin, Greek and Cyrillic text,
# nor in dashes, quotes, "…", "•", the narrow space of amounts, currency signs or "№".
# Written as the complement of those one-cell ranges: the class of the others (up to
# U+10FFFF) takes 15 ms to compile, paid by every command that prints an agenda.
_MAYBE_NOT_ONE = re.compile("[^\x20-\x7e\xa0-\u02ff\u0370-\u0482\u048a-\u0590"
                            "\u2010-\u2027\u202f-\u205f\u20a0-\u20c0\u2100-\u218b]")


def _cell(ch: str) -> int:
    if " " <= ch < "\x7f" or "\xa0" <= ch < "\u0300":
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc") or ch == "\u200b":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to ``width`` terminal cells (a cut ends in "…")."""
    if width <= 0:
        return ""
    used = cells(text)
    if used <= width:
        return text + " " * (width - used)
    out, used = [], 0
    for ch in text:
        w = _cell(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[AgendaItem, ...]


def build(session: Session, days: int = 7, mine: bool = False) -> list[AgendaItem]:
    me = session.require_me() if mine else None
    view = session.view
    return agenda(view.workspace(), session.clock, days=days, mine=me,
                  newest_notes=view.newest_notes, rows=view.promise_rows())


def sections(session: Session, items: list[AgendaItem], days: int) -> list[Section]:
    """Overdue, Today, Next N days — empty sections left out."""
    today = session.clock.today
    overdue = tuple(i for i in items if i.overdue)
    now = tuple(i for i in items if not i.overdue and i.due.day == today)
    later = tuple(i for i in items if not i.overdue and i.due.day > today)
    label = "Tomorrow" if days == 1 else f"Next {days} days"
    groups = [Section("Overdue", overdue), Section("Today", now), Section(label, later)]
    return [g for g in groups if g.items]


def summary(items: list[AgendaItem], clock: Clock) -> str:
    """``3 overdue · 5 today · 2 clients going quiet · 1 invoice late``."""
    overdue = [i for i in items if i.overdue]
    today = sum(1 for i in items if not i.overdue and i.due.day == clock.today)
    quiet = sum(1 for i in overdue if i.type is ItemType.TOUCH)
    late = sum(1 for i in overdue if i.type is ItemType.INVOICE)
    parts = [f"{len(overdue) - quiet - late} overdue", f"{today} today"]
    if quiet:
        parts.append(f"{quiet} client{'s' * (quiet != 1)} going quiet")
    if late:
        parts.append(f"{late} invoice{'s' * (late != 1)} late")
    return " · ".join(parts)
