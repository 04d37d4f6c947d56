"""KPIs: promises kept on time, moves, reply times, contact, money, clients, services.

Every number is defined here once, for ``kept stats`` and the app's stats screen:

* **Promises** (each side apart, ``us`` and ``client``) *due* in the period (due day
  from ``since`` to today), dropped ones left out of the rate: ``on_time`` (done on
  or before the due day), ``late`` (done after it), ``open_late`` (still open, past
  due: broken so far), ``undated`` (ticked in a note, date not known yet),
  ``due_today`` (open, due today). ``on_time_pct`` = on_time / (on_time + late +
  open_late), one decimal; None with nothing to count. ``dropped`` counts those
  dropped among them.
* **Moves**: ``moves`` = history ``moved`` entries dated in the period, ``days_lost``
  = the days they pushed dues later (moves earlier count 0).
* **Replies** answered in the period (``closed`` in it, kind reply, by us): ``count``,
  ``timed`` (asked and answered times both known), ``avg_minutes`` over those,
  ``within`` (answered within ``reply_within``) and ``late``; ``open_late`` = replies
  open past due now.
* **Contact**: per client we keep in touch with, the last contact, days since, its
  cadence and whether it is ``quiet`` (the next touch is overdue, as on the agenda).
* **Money**, per currency: ``receivables`` (unpaid invoices), ``overdue`` (unpaid and
  past due: count and amount), ``collected`` (paid in the period), ``turnover`` (the
  monthly fees of onboarding and active clients).
* **Clients** by status; ``churned`` = churned clients whose ``until`` is in the
  period (a churned client without ``until`` counts in ``churned_undated``).
* **Services**: per client (not churned) and in total; ``per_active_client`` is
  the average over onboarding and active clients (upsell shows as it grows).

``by="client"`` or ``by="owner"`` adds the promise, move and reply numbers per group
(owner: the team member who acts on the promise, as on the agenda) and money per
group (owner: the client's owner).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tui.core.dates import Clock
from tui.core.models import (
    IN_TOUCH,
    By,
    Client,
    ClientStatus,
    Kind,
    Promise,
    PromiseStatus,
    Workspace,
)
from tui.core.rules import last_contact, last_contacts, responsible, touch_due
from tui.errors import InvalidInput

DEFAULT_DAYS = 30
PAYING = frozenset({ClientStatus.ONBOARDING, ClientStatus.ACTIVE})


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    def has(self, day: date | None) -> bool:
        return day is not None and self.since <= day <= self.until


def period(clock: Clock, since: date | None) -> Period:
    """From ``since`` (default: 30 days ago) to today."""
    start = since if since is not None else clock.today - timedelta(days=DEFAULT_DAYS)
    if start > clock.today:
        raise InvalidInput(f"--since {start} is after today ({clock.today})")
    return Period(start, clock.today)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def promise_numbers(promises: Iterable[Promise], p: Period, clock: Clock) -> dict[str, Any]:
    """The promise and move numbers of one side."""
    n = {"due": 0, "on_time": 0, "late": 0, "open_late": 0, "undated": 0, "due_today": 0,
         "dropped": 0}
    moves = 0
    days_lost = 0
    for promise in promises:
        for h in promise.history:
            if h.event == "moved" and p.has(h.on):
                moves += 1
                if h.from_ is not None and h.to is not None:
                    days_lost += max((h.to.day - h.from_.day).days, 0)
        if not p.has(promise.due.day):
            continue
        n["due"] += 1
        if promise.status is PromiseStatus.DROPPED:
            n["dropped"] += 1
        elif promise.status is PromiseStatus.DONE:
            if promise.closed is None:
                n["undated"] += 1
            elif promise.closed <= promise.due.day:
                n["on_time"] += 1
            else:
                n["late"] += 1
        elif promise.due.is_overdue(clock):
            n["open_late"] += 1
        else:
            n["due_today"] += 1
    counted = n["on_time"] + n["late"] + n["open_late"]
    return {**n, "on_time_pct": _pct(n["on_time"], counted), "moves": moves,
            "days_lost": days_lost}


def reply_numbers(promises: Iterable[Promise], p: Period, clock: Clock,
                  within_minutes: float) -> dict[str, Any]:
    count = timed = within = 0
    minutes_total = 0.0
    open_late = 0
    for promise in promises:
        if promise.kind is not Kind.REPLY or promise.by is not By.US:
            continue
        if promise.is_open:
            open_late += promise.due.is_overdue(clock)
            continue
        if promise.status is not PromiseStatus.DONE or not p.has(promise.closed):
            continue
        count += 1
        if promise.made is None or promise.made_time is None or promise.closed_time is None:
            continue
        assert promise.closed is not None
        asked = datetime.combine(promise.made, promise.made_time)
        answered = datetime.combine(promise.closed, promise.closed_time)
        minutes = (answered - asked).total_seconds() / 60
        timed += 1
        minutes_total += minutes
        within += minutes <= within_minutes
    return {"count": count, "timed": timed,
            "avg_minutes": round(minutes_total / timed, 1) if timed else None,
            "within": within, "late": timed - within, "open_late": open_late}


def _money(clients: Iterable[Client], p: Period) -> dict[str, Any]:
    receivables: dict[str, float] = defaultdict(float)
    overdue_amount: dict[str, float] = defaultdict(float)
    collected: dict[str, float] = defaultdict(float)
    turnover: dict[str, float] = defaultdict(float)
    overdue = 0
    for client in clients:
        currency = client.billing.currency or "?"
        if client.status in PAYING and client.billing.monthly_fee:
            turnover[currency] += client.billing.monthly_fee
        for inv in client.billing.invoices:
            if inv.paid is None:
                receivables[currency] += inv.amount
                if inv.due is not None and inv.due < p.until:
                    overdue += 1
                    overdue_amount[currency] += inv.amount
            elif p.has(inv.paid):
                collected[currency] += inv.amount
    return {
        "receivables": _plain(receivables),
        "overdue": {"count": overdue, "amount": _plain(overdue_amount)},
        "collected": _plain(collected),
        "turnover": _plain(turnover),
    }


def _plain(amounts: dict[str, float]) -> dict[str, float | int]:
    """Sorted by currency; whole amounts as ints so JSON reads ``150000``."""
    return {c: int(v) if float(v).is_integer() else round(v, 2)
            for c, v in sorted(amounts.items()) if v}


def _touch(ws: Workspace, clock: Clock) -> list[dict[str, Any]]:
    contacts = last_contacts(ws)
    out = []
    for slug, client in sorted(ws.clients.items()):
        if client.status not in IN_TOUCH:
            continue
        last = last_contact(client, contacts)
        due = touch_due(ws, client, last, clock)
        out.append({
            "client": slug,
            "last_contact": last.isoformat() if last else None,
            "days_since": (clock.today - last).days if last else None,
            "cadence": str(client.touch or ws.settings.touch),
            "quiet": due.is_overdue(clock),
        })
    return out


def compute(ws: Workspace, clock: Clock, since: date | None = None,
            by: str | None = None) -> dict[str, Any]:
    """Every KPI, as plain data (what ``kept stats --json`` prints)."""
    p = period(clock, since)
    within = ws.settings.reply_within.approx_days() * 1440
    promises = list(ws.promises)
    statuses = {s.value: 0 for s in ClientStatus}
    for client in ws.clients.values():
        statuses[client.status.value] += 1
    churned = sorted(c.slug for c in ws.clients.values()
                     if c.status is ClientStatus.CHURNED and p.has(c.until))
    undated = sorted(c.slug for c in ws.clients.values()
                     if c.status is ClientStatus.CHURNED and c.until is None)
    services = {slug: list(c.services) for slug, c in sorted(ws.clients.items())
                if c.status is not ClientStatus.CHURNED}
    paying = [c for c in ws.clients.values() if c.status in PAYING]
    out: dict[str, Any] = {
        "since": p.since.isoformat(),
        "until": p.until.isoformat(),
        "promises": {
            "us": promise_numbers((x for x in promises if x.by is By.US), p, clock),
            "client": promise_numbers((x for x in promises if x.by is By.CLIENT), p, clock),
        },
        "replies": {"reply_within": str(ws.settings.reply_within),
                    **reply_numbers(promises, p, clock, within)},
        "touch": _touch(ws, clock),
        "money": _money(ws.clients.values(), p),
        "clients": {"by_status": statuses, "churned": churned, "churned_undated": undated},
        "services": {
            "per_client": services,
            "total": sum(len(s) for s in services.values()),
            "per_active_client": round(sum(len(c.services) for c in paying) / len(paying), 2)
            if paying else None,
        },
    }
    if by is not None:
        out["by"] = by
        out["groups"] = groups(ws, clock, p, by, within)
    return out


def groups(ws: Workspace, clock: Clock, p: Period, by: str,
           within: float) -> list[dict[str, Any]]:
    key_of: Callable[[Promise], str]
    client_key: Callable[[Client], str]
    if by == "client":
        def key_of(x: Promise) -> str:
            return x.client

        def client_key(c: Client) -> str:
            return c.slug
    elif by == "owner":
        def key_of(x: Promise) -> str:
            return responsible(x, ws.clients.get(x.client)) or ""

        def client_key(c: Client) -> str:
            return c.owner or ""
    else:
        raise InvalidInput(f"--by '{by}' is not one of client | owner")
    promises: dict[str, list[Promise]] = defaultdict(list)
    for x in ws.promises:
        promises[key_of(x)].append(x)
    clients: dict[str, list[Client]] = defaultdict(list)
    for c in ws.clients.values():
        clients[client_key(c)].append(c)
    out = []
    for key in sorted(set(promises) | set(clients)):
        mine = promises.get(key, [])
        out.append({
            "key": key,
            "name": ws.client_name(key) if by == "client" else (
                (m.name if (m := ws.settings.member(key)) else key) or "(no owner)"),
            "promises": {
                "us": promise_numbers((x for x in mine if x.by is By.US), p, clock),
                "client": promise_numbers((x for x in mine if x.by is By.CLIENT), p, clock),
            },
            "replies": reply_numbers(mine, p, clock, within),
            "money": _money(clients.get(key, []), p),
        })
    return out
