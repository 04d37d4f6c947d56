"""The client list and the client page, as plain rows a face can show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tui.core.dates import Clock, Due
from tui.core.models import By, Client, Note, Promise, Workspace
from tui.core.rules import format_money, last_contact, last_contacts


@dataclass(frozen=True)
class ClientRow:
    slug: str
    name: str
    status: str
    owner: str
    last_contact: date | None
    days_quiet: int | None  # days since the last contact
    next_due: Due | None  # the earliest open promise either way
    open: int
    overdue: int
    receivables: dict[str, float]  # unpaid invoices, by currency

    @property
    def receivables_text(self) -> str:
        return ", ".join(format_money(v, c) for c, v in sorted(self.receivables.items()))


def rows(ws: Workspace, clock: Clock,
         newest_notes: dict[str, date] | None = None) -> list[ClientRow]:
    """One row per client, by name. Only open promises count, so the index's light
    workspace (with ``newest_notes``) is enough."""
    contacts = last_contacts(ws) if newest_notes is None else newest_notes
    open_by_client: dict[str, list[Promise]] = {}
    for p in ws.promises:
        if p.is_open:
            open_by_client.setdefault(p.client, []).append(p)
    out = []
    for slug, client in ws.clients.items():
        promises = open_by_client.get(slug, [])
        last = last_contact(client, contacts)
        owed: dict[str, float] = {}
        for inv in client.billing.invoices:
            if inv.paid is None:
                currency = client.billing.currency
                owed[currency] = owed.get(currency, 0) + inv.amount
        out.append(
            ClientRow(
                slug=slug,
                name=client.name,
                status=client.status.value,
                owner=client.owner or "",
                last_contact=last,
                days_quiet=(clock.today - last).days if last else None,
                next_due=min((p.due for p in promises), key=Due.moment, default=None),
                open=len(promises),
                overdue=sum(1 for p in promises if p.due.is_overdue(clock)),
                receivables=owed,
            )
        )
    return sorted(out, key=lambda r: r.name.casefold())


@dataclass(frozen=True)
class ClientPage:
    client: Client
    ours: list[Promise]  # open first (by due), then closed (newest first)
    theirs: list[Promise]
    notes: list[Note]  # newest first


def page(ws: Workspace, slug: str) -> ClientPage:
    client = ws.clients[slug]
    promises = [p for p in ws.promises if p.client == slug]

    def ordered(side: By) -> list[Promise]:
        mine = [p for p in promises if p.by is side]
        open_ = sorted((p for p in mine if p.is_open), key=lambda p: p.due.moment())
        closed = sorted((p for p in mine if not p.is_open),
                        key=lambda p: p.closed or p.due.day, reverse=True)
        return open_ + closed

    notes = sorted(ws.notes_of(slug), key=lambda n: (n.date, n.path), reverse=True)
    return ClientPage(client, ordered(By.US), ordered(By.CLIENT), notes)


def closed_text(p: Promise) -> str:
    """``kept on time``, ``2 days late``, or ``dropped`` for a closed promise."""
    if p.status.value == "dropped":
        return "dropped"
    if p.closed is None:
        return "done"
    late = (p.closed - p.due.day).days
    return "kept on time" if late <= 0 else f"done {late} day{'s' * (late != 1)} late"
