"""The rules of the promise book: what is due, who is going quiet, what repeats.

Pure functions over records and a :class:`~tui.core.dates.Clock`; no IO.
"""

from __future__ import annotations

import bisect
import enum
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from tui.core import ladder
from tui.core.dates import Clock, Due, humanize_days
from tui.core.models import (
    IN_TOUCH,
    By,
    Client,
    Kind,
    Note,
    NoteKind,
    Promise,
    Workspace,
)

SortKey = tuple[bool, bool, datetime, str, str]  # see item_order


class ItemType(enum.StrEnum):
    PROMISE = "promise"
    REPLY = "reply"
    FOLLOW_UP = "follow-up"
    WAITING = "waiting"
    TOUCH = "touch"
    INVOICE = "invoice"


class AgendaItem(NamedTuple):
    """One row of the agenda. A named tuple rather than a frozen dataclass: every
    agenda makes two per open promise (on time and overdue), and a tuple is made in a
    fifth of the time."""

    type: ItemType
    id: str  # promise id, client slug (touch) or invoice number
    client: str
    client_name: str
    text: str
    due: Due
    overdue: bool
    path: str
    line: int
    owner: str | None  # the team member who should act

    def sort_key(self) -> SortKey:
        return item_order(self.type, self.overdue, self.due.moment(), self.client, self.id)

    def as_dict(self) -> dict[str, object]:
        return {
            "type": str(self.type),
            "id": self.id,
            "client": self.client,
            "client_name": self.client_name,
            "text": self.text,
            "due": str(self.due),
            "overdue": self.overdue,
            "path": self.path,
            "line": self.line,
            "owner": self.owner,
        }


def promise_type(promise: Promise) -> ItemType:
    if promise.by is By.CLIENT:
        return ItemType.WAITING
    if promise.kind is Kind.REPLY:
        return ItemType.REPLY
    if promise.kind is Kind.FOLLOW_UP:
        return ItemType.FOLLOW_UP
    return ItemType.PROMISE


def responsible(promise: Promise, client: Client | None) -> str | None:
    """Who on the team acts on a promise: its owner, else the client's owner.

    For the client's promises the one who chases them is the client's owner.
    """
    if promise.by is By.US and promise.owner:
        return promise.owner
    return client.owner if client else None


def last_contact(client: Client, newest_notes: dict[str, date]) -> date | None:
    """The newest note date; with no notes, the day the client came."""
    return newest_notes.get(client.slug) or client.since


def touch_due(ws: Workspace, client: Client, last: date | None, clock: Clock) -> Due:
    """When the client should next hear from us. No contact on record: today."""
    if last is None:
        return Due(clock.today)
    cadence = client.touch or ws.settings.touch
    return Due(cadence.every.add_to_date(last))


def next_occurrence(promise: Promise) -> Due | None:
    """The next due of a repeating promise: from the old due, not from today."""
    if promise.repeat is None:
        return None
    return promise.repeat.every.add_to_due(promise.due)


def last_contacts(ws: Workspace) -> dict[str, date]:
    """The newest note date of each client that has notes (internal notes, written
    for the team, are no contact with the client)."""
    newest: dict[str, date] = {}
    for note in ws.notes:
        if not counts_as_contact(note):
            continue
        if note.client not in newest or note.date > newest[note.client]:
            newest[note.client] = note.date
    return newest


def item_order(kind: ItemType, overdue: bool, moment: datetime, client: str, item_id: str
               ) -> SortKey:
    """An agenda item's sort key: overdue first, and among them overdue replies first
    (a client waiting for an answer comes before everything else); then by due moment,
    client, id."""
    return (not overdue, not (overdue and kind is ItemType.REPLY), moment, client, item_id)


# One open promise's agenda row on time and overdue, each with its sort key.
AgendaRow = tuple[SortKey, AgendaItem, SortKey, AgendaItem]


@dataclass(frozen=True)
class PromiseRows:
    """The agenda rows of open promises, made once per state of the files and used
    for every agenda after (a long-lived process asks for one every few seconds).

    Each row is made twice, on time and overdue, the only part that moves with the
    clock; they are in order of due moment, client and id, so the overdue ones are a
    prefix (cut with a bisect at "now") and the horizon another cut (at its last day).
    Their sort keys are made here too."""

    days: tuple[date, ...]
    moments: tuple[datetime, ...]
    on_time: tuple[AgendaItem, ...]
    late: tuple[AgendaItem, ...]
    on_time_keys: tuple[SortKey, ...]
    late_keys: tuple[SortKey, ...]

    @classmethod
    def of(cls, rows: Iterable[AgendaRow], ordered: bool = False) -> PromiseRows:
        """The rows of some open promises (:func:`rows_of`), put in :func:`row_order`
        (``ordered``: they are already)."""
        rows = list(rows) if ordered else sorted(rows, key=row_order)
        # The due moment is the sort key's third part.
        return cls(tuple(r[1].due.day for r in rows), tuple(r[0][2] for r in rows),
                   tuple(r[1] for r in rows), tuple(r[3] for r in rows),
                   tuple(r[0] for r in rows), tuple(r[2] for r in rows))


def row_order(row: AgendaRow) -> tuple[SortKey, str, int]:
    """Rows by due moment, client and id (the on-time sort key), then where they are
    written (the same id twice in one client's file is a problem, but still shown)."""
    return row[0], row[1].path, row[1].line


def rows_of(promises: Iterable[Promise], ws: Workspace) -> list[AgendaRow]:
    """The agenda rows of these open promises (a caller may keep them per file)."""
    rows: list[AgendaRow] = []
    for p in promises:
        client = ws.clients.get(p.client)
        text = p.text
        if ladder.is_follow_up(p):
            text = f"{ladder.chase_label(p, client, ws.settings)} · {p.text}"
        kind = promise_type(p)
        name = ws.client_name(p.client)
        owner = responsible(p, client)
        on_time = AgendaItem(kind, p.id, p.client, name, text, p.due, False, p.path, p.line,
                             owner)
        late = AgendaItem(kind, p.id, p.client, name, text, p.due, True, p.path, p.line,
                          owner)
        moment = p.due.moment()
        rows.append((item_order(kind, False, moment, p.client, p.id), on_time,
                     item_order(kind, True, moment, p.client, p.id), late))
    return rows


def promise_rows(ws: Workspace) -> PromiseRows:
    return PromiseRows.of(rows_of((p for p in ws.promises if p.is_open), ws))


def agenda(
    ws: Workspace,
    clock: Clock,
    days: int = 7,
    mine: str | None = None,
    newest_notes: dict[str, date] | None = None,
    rows: PromiseRows | None = None,
) -> list[AgendaItem]:
    """Everything overdue, due today, or due in the next ``days`` days.

    ``mine`` keeps what that team member must act on; ``newest_notes`` (each client's
    last contact) saves reading every note when the caller has them, ``rows`` (the
    :func:`promise_rows` of ``ws``) working out the open promises' rows again.
    Ordered overdue first (overdue replies ahead of the rest), then by due, client
    slug and id. A follow-up shows its ladder step (``chase 3/6 by telegram · ...``);
    one that went cold today is shown once, today.
    """
    last_day = clock.today + timedelta(days=days)  # to the very end of it
    items: list[AgendaItem] = []

    def add(item: AgendaItem) -> None:
        if item.due.day <= last_day and (mine is None or item.owner == mine):
            items.append(item)

    if rows is None:
        rows = promise_rows(ws)
    late = bisect.bisect_left(rows.moments, clock.now)  # due before now: overdue
    cut = max(bisect.bisect_right(rows.days, last_day), late)
    keyed = [*zip(rows.late_keys[:late], rows.late[:late], strict=True),
             *zip(rows.on_time_keys[late:cut], rows.on_time[late:cut], strict=True)]
    if mine is not None:
        keyed = [pair for pair in keyed if pair[1].owner == mine]
    for p in ws.promises:
        if not p.is_open and ladder.is_follow_up(p) and ladder.went_cold(p) == clock.today:
            total = len(ladder.ladder_of(p, ws.settings))
            add(
                AgendaItem(
                    type=ItemType.FOLLOW_UP,
                    id=p.id,
                    client=p.client,
                    client_name=ws.client_name(p.client),
                    text=f"gone cold after {total} chases · {p.text}",
                    due=Due(clock.today),
                    overdue=False,
                    path=p.path,
                    line=p.line,
                    owner=responsible(p, ws.clients.get(p.client)),
                )
            )

    contacts = last_contacts(ws) if newest_notes is None else newest_notes
    for slug, client in ws.clients.items():
        if client.status in IN_TOUCH:
            last = last_contact(client, contacts)
            due = touch_due(ws, client, last, clock)
            add(
                AgendaItem(
                    type=ItemType.TOUCH,
                    id=slug,
                    client=slug,
                    client_name=client.name,
                    text=touch_text(client, last, clock, ws),
                    due=due,
                    overdue=due.is_overdue(clock),
                    path=client.path,
                    line=client.at("touch")[0],
                    owner=client.owner,
                )
            )
        for inv in client.billing.invoices:
            if inv.paid is None and inv.due is not None:
                due = Due(inv.due)
                add(
                    AgendaItem(
                        type=ItemType.INVOICE,
                        id=inv.number,
                        client=slug,
                        client_name=client.name,
                        text=invoice_text(inv.number, inv.amount, client.billing.currency),
                        due=due,
                        overdue=due.is_overdue(clock),
                        path=client.path,
                        line=inv.line,
                        owner=client.owner,
                    )
                )
    # The rows come with their keys; a sort of (key, item) pairs by key alone.
    keyed += [(i.sort_key(), i) for i in items]
    keyed.sort(key=operator.itemgetter(0))
    return [item for _, item in keyed]


def touch_text(client: Client, last: date | None, clock: Clock, ws: Workspace) -> str:
    cadence = client.touch or ws.settings.touch
    if last is None:
        return f"No contact on record (keep in touch {cadence})"
    ago = (clock.today - last).days
    when = "today" if ago == 0 else f"{humanize_days(ago)} ago"
    return f"Last contact {when} (keep in touch {cadence})"


def format_money(amount: float | int, currency: str = "") -> str:
    """``150000`` -> ``150 000 RUB``: thin groups read the same in English and Russian."""
    whole = int(amount)
    text = f"{whole:,}".replace(",", "\u202f")
    if amount != whole:
        text += f".{round(abs(amount - whole) * 100):02d}"
    return f"{text} {currency}".strip()


def invoice_text(number: str, amount: float | int, currency: str) -> str:
    return f"Invoice {number}: {format_money(amount, currency)}"


def may_show(promise: Promise) -> bool:
    """Whether the agenda could ever show this promise: an open one, or a follow-up
    that went cold (shown once, the day it did). The index keeps just these."""
    return promise.is_open or (ladder.is_follow_up(promise)
                               and ladder.went_cold(promise) is not None)


def counts_as_contact(note: Note) -> bool:
    """A note is a touch, unless it is internal (written for the team)."""
    return note.kind is not NoteKind.INTERNAL


def needs_first_sight(promise: Promise) -> bool:
    """A task line of a note Kept has yet to write its id into, or a box ticked by hand
    that has no date yet (see tui.services.notetasks)."""
    return promise.in_note and (promise.pending_id
                                or (not promise.is_open and promise.closed is None))
