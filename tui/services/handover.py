"""Handing a client over to another account manager.

:func:`handover` sets the client's ``owner`` (one edit of client.yaml; a ``backup``
who becomes the owner is no longer their own backup) and writes a handover note for
the new owner — ``notes/<date>-handover-to-<handle>.md``, ``kind: internal`` so it is
no contact with the client and never goes into a client report — with the card at a
glance, the key contacts, the open promises both ways, the last contacts and the
invoices. Both go in one commit.

The note lists promises as plain bullets with their ids, never as task lines: the
promises stay where they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.core import ladder
from tui.core.dates import Clock, humanize_days, relative_due
from tui.core.models import By, Client, Kind, NoteKind, Promise, Workspace
from tui.core.rules import format_money, last_contacts
from tui.errors import InvalidInput
from tui.services.actions import (
    CLIENT_ORDER,
    EditYaml,
    NewFile,
    Outcome,
    _base,
    _front_matter,
    _handle,
    _note_path,
    apply_writes,
)
from tui.services.context import Session
from tui.workspace.edit import AnyOp, DeleteKey, SetKey

LAST_CONTACTS = 5
KIND_LABELS = {Kind.REPLY: "reply", Kind.FOLLOW_UP: "follow-up", Kind.REPORT: "report"}


def _who(ws: Workspace, handle: str | None) -> str:
    member = ws.settings.member(handle)
    return member.name if member and member.name else (handle or "nobody")


def _promise_line(p: Promise, client: Client, ws: Workspace, clock: Clock) -> str:
    parts = [f"{p.due} ({relative_due(p.due, clock)})", p.text]
    kind = KIND_LABELS.get(p.kind)
    if p.kind is Kind.FOLLOW_UP and p.by is By.US:
        kind = ladder.chase_label(p, client, ws.settings)
    extra = [x for x in (kind, f"to {p.to}" if p.to and p.by is By.US else "",
                         f"from {p.owner}" if p.owner and p.by is By.CLIENT else "") if x]
    tail = f" — {', '.join(extra)}" if extra else ""
    return f"- {' · '.join(parts)}{tail} · `{p.id}`"


def note_body(ws: Workspace, client: Client, clock: Clock, old: str | None,
              new: str) -> str:
    """The handover note's Markdown, after the front matter."""
    out = [f"# {client.name}: handover from {_who(ws, old)} to {_who(ws, new)}", ""]
    card = [f"status {client.status.value}"]
    if client.since:
        card.append(f"client since {client.since}")
    if client.services:
        card.append(f"services: {', '.join(client.services)}")
    if client.channel:
        card.append(f"channel: {client.channel}")
    card.append(f"keep in touch {client.touch or ws.settings.touch}")
    if client.report:
        card.append(f"report {client.report}")
    if client.billing.monthly_fee:
        fee = format_money(client.billing.monthly_fee, client.billing.currency)
        card.append(f"monthly fee {fee}")
    line = " · ".join(card)
    out += [line[:1].upper() + line[1:], ""]

    out += ["## Key contacts", ""]
    contacts = sorted(client.contacts, key=lambda c: (not c.decides, not c.urgent))
    for c in contacts:
        flags = [f for f, on in (("decides", c.decides), ("call when on fire", c.urgent)) if on]
        bits = [b for b in (c.role, *flags, c.channel, c.email, c.phone) if b]
        out.append(f"- **{c.name}**" + (f" — {' · '.join(bits)}" if bits else ""))
    if not contacts:
        out.append("_No contacts on the card yet._")
    out.append("")

    promises = sorted((p for p in ws.promises if p.client == client.slug and p.is_open),
                      key=lambda p: (p.due.moment(), p.id))
    for title, side, empty in (("What we owe them", By.US, "Nothing open."),
                               ("What they owe us", By.CLIENT, "Nothing open.")):
        out += [f"## {title}", ""]
        mine = [p for p in promises if p.by is side]
        out += [_promise_line(p, client, ws, clock) for p in mine] or [f"_{empty}_"]
        out.append("")

    out += ["## Last contacts", ""]
    notes = sorted((n for n in ws.notes_of(client.slug) if n.kind is not NoteKind.INTERNAL),
                   key=lambda n: (n.date, n.path), reverse=True)[:LAST_CONTACTS]
    for n in notes:
        with_ = f" with {', '.join(n.with_)}" if n.with_ else ""
        out.append(f"- {n.date} {n.kind.value}{with_}: {n.title} ({n.path.split('/', 2)[2]})")
    if not notes:
        out.append("_None on record._")
    last = last_contacts(ws).get(client.slug)
    if last is not None:
        ago = (clock.today - last).days
        out += ["", "Last contact today." if ago == 0 else
                f"Last contact {humanize_days(ago)} ago."]
    out.append("")

    out += ["## Invoices", ""]
    currency = client.billing.currency
    invoices = sorted(client.billing.invoices, key=lambda i: (i.paid is not None,
                                                              str(i.due or "")))
    for inv in invoices:
        money = format_money(inv.amount, currency)
        if inv.paid is None:
            late = ""
            if inv.due is not None and inv.due < clock.today:
                late = f", {(clock.today - inv.due).days} days late"
            due = f"due {inv.due}" if inv.due else "no due date"
            out.append(f"- {inv.number}: {money} — **unpaid**, {due}{late}")
        else:
            out.append(f"- {inv.number}: {money} — paid {inv.paid}")
    if not invoices:
        out.append("_No invoices on the card._")
    out.append("")
    return "\n".join(out)


def handover(session: Session, client_ref: str, to: str) -> Outcome:
    client = session.client(client_ref)
    new = _handle(session, to)
    old = client.owner
    if old == new:
        raise InvalidInput(f"{client.name} is already {new}'s")
    ws = session.client_workspace(client.slug)
    ops: list[AnyOp] = [SetKey((), "owner", new, expect=old, order=CLIENT_ORDER)]
    if client.backup == new:
        ops.append(DeleteKey((), "backup", expect=new))
    card = session.root / client.path
    name = _who(ws, new)
    title = f"Handover to {name}"
    day = session.clock.today
    path = _note_path(session, client.slug, day, f"handover to {new}")
    with_: Sequence[str] = ()
    text = (_front_matter(day, NoteKind.INTERNAL, with_, title) + "\n"
            + note_body(ws, client, session.clock, old, new))
    writes: list[Any] = [EditYaml(card, ops, _base(session, card)), NewFile(path, text)]
    message = f"handover {client.slug}: {old or 'nobody'} → {new}"
    return apply_writes(session, writes, message,
                        path.relative_to(session.root).as_posix())
