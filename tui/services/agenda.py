"""The agenda use case: what is due, grouped the way a person reads it."""

from __future__ import annotations

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


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to ``width`` terminal cells (a cut ends in "…")."""
    from rich.cells import cell_len

    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for ch in text:
        if cell_len(out) + cell_len(ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cell_len(out))


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[AgendaItem, ...]


def build(session: Session, days: int = 7, mine: bool = False) -> list[AgendaItem]:
    me = session.require_me() if mine else None
    view = session.view
    return agenda(view.workspace(), session.clock, days=days, mine=me,
                  newest_notes=view.newest_notes)


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
