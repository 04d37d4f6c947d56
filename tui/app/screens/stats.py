"""``5``: the KPIs of ``kept stats`` at a glance — tiles for the headline numbers and
simple bar charts (promises kept on time per AM or client, receivables, clients by
status, who is going quiet). ``b`` switches AM/client, ``p`` 30/90 days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui.app.screens.base import KeptScreen
from tui.app.widgets import KeptFooter, StatusBar
from tui.core.models import Workspace
from tui.core.rules import format_money
from tui.services import stats

BAR = 36


def bar(value: float, top: float, style: str) -> Text:
    """A horizontal bar of ``value`` against ``top``, in eighths of a cell."""
    if top <= 0 or value <= 0:
        return Text("·".ljust(BAR), style="dim")
    eighths = round(BAR * 8 * min(value / top, 1))
    full, part = divmod(eighths, 8)
    text = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return Text(text.ljust(BAR), style=style)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


class StatsScreen(KeptScreen):
    CSS_PATH = "../styles/stats.tcss"
    BINDINGS = [
        Binding("b", "by", "AM/client", id="stats_by"),
        Binding("p", "period", "30/90 days", id="stats_period"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.by = "owner"
        self.days = 30
        self.client_name: Callable[[str], str] = str

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="screen-title")
        with Horizontal(id="tiles"):
            for tile in ("ours", "theirs", "replies", "money"):
                yield Static("", id=f"tile-{tile}", classes="tile")
        with VerticalScroll(id="charts"):
            yield Static("", id="chart-kept", classes="chart")
            yield Static("", id="chart-money", classes="chart")
            yield Static("", id="chart-clients", classes="chart")
        yield StatusBar(id="status")
        yield KeptFooter()

    def on_mount(self) -> None:
        self.sync_data()

    def refresh_data(self) -> None:
        self.kept.with_everything(self._show, "the KPIs")

    def _show(self, ws: Workspace) -> None:
        session = self.kept.session
        if session is None or not self.is_attached:
            return
        since = session.clock.today - timedelta(days=self.days)
        data = stats.compute(ws, session.clock, since, self.by)
        self.data = data
        self.client_name = ws.client_name
        who = "AM" if self.by == "owner" else "client"
        self.query_one("#title", Static).update(
            f"[b]KPIs[/b] — {data['since']} to {data['until']} · by {who} "
            "([b]b[/] switches) · [b]p[/] 30/90 days")
        ours, theirs = data["promises"]["us"], data["promises"]["client"]
        counted = ours["on_time"] + ours["late"] + ours["open_late"]
        self._tile("ours", "Kept on time, ours", _pct(ours["on_time_pct"]),
                   f"{ours['on_time']} of {counted}",
                   f"{ours['moves']} moved, {ours['days_lost']} days lost")
        self._tile("theirs", "Theirs on time", _pct(theirs["on_time_pct"]),
                   f"{theirs['on_time']} of "
                   f"{theirs['on_time'] + theirs['late'] + theirs['open_late']}",
                   f"{theirs['open_late']} overdue: chase them")
        r = data["replies"]
        avg = "—" if r["avg_minutes"] is None else f"{r['avg_minutes']:g} min"
        self._tile("replies", f"Replies (within {r['reply_within']})", avg,
                   f"{r['count']} answered, {r['late']} late",
                   f"{r['open_late']} waiting past due")
        m = data["money"]
        owed = list(m["receivables"].items())
        big = format_money(owed[0][1], owed[0][0]) if owed else "0"
        more = f" (+{len(owed) - 1} currencies)" if len(owed) > 1 else ""
        self._tile("money", "Receivables", big + more,
                   f"{m['overdue']['count']} invoices overdue",
                   "collected " + (", ".join(format_money(v, c)
                                             for c, v in m["collected"].items()) or "0"))
        self.query_one("#chart-kept", Static).update(self._kept_chart(data))
        self.query_one("#chart-money", Static).update(self._money_chart(data))
        self.query_one("#chart-clients", Static).update(self._clients_chart(data))
        self.kept.update_status(self.query_one(StatusBar))

    def _tile(self, name: str, title: str, big: str, *small: str) -> None:
        self.query_one(f"#tile-{name}", Static).update(
            Text.assemble((title + "\n", "dim"), (big, "bold"),
                          *(("\n" + line, "dim") for line in small)))

    def _kept_chart(self, data: dict[str, Any]) -> Text:
        rows: list[Text] = [Text("Our promises kept on time", style="bold")]
        groups = [g for g in data.get("groups", []) if g["promises"]["us"]["due"]]
        width = max((len(g["name"]) for g in groups), default=10)
        for g in groups:
            n = g["promises"]["us"]
            pct = n["on_time_pct"] or 0.0
            style = "green" if pct >= 90 else "yellow" if pct >= 70 else "red"
            rows.append(Text.assemble(
                (g["name"][:24].ljust(min(width, 24)) + "  ", ""), bar(pct, 100, style),
                (f" {_pct(n['on_time_pct']):>8}  {n['due']} due, {n['moves']} moved", "dim"),
            ))
        if not groups:
            rows.append(Text("Nothing was due in this period.", style="dim"))
        return Text("\n").join(rows)

    def _money_chart(self, data: dict[str, Any]) -> Text:
        rows: list[Text] = [Text("Receivables (unpaid invoices)", style="bold")]
        owed: list[tuple[str, str, float]] = []
        for g in data.get("groups", []):
            for currency, amount in g["money"]["receivables"].items():
                owed.append((g["name"], currency, amount))
        owed.sort(key=lambda x: (x[1], -x[2]))
        tops: dict[str, float] = {}
        for _, currency, amount in owed:
            tops[currency] = max(tops.get(currency, 0), amount)
        width = min(max((len(n) for n, _, _ in owed), default=10), 24)
        for name, currency, amount in owed:
            rows.append(Text.assemble((name[:24].ljust(width) + "  ", ""),
                                      bar(amount, tops[currency], "cyan"),
                                      (f" {format_money(amount, currency)}", "dim")))
        if not owed:
            rows.append(Text("Nothing to collect.", style="dim"))
        return Text("\n").join(rows)

    def _clients_chart(self, data: dict[str, Any]) -> Text:
        rows: list[Text] = [Text("Clients by status", style="bold")]
        counts = data["clients"]["by_status"]
        top = max(counts.values(), default=0)
        for status, n in counts.items():
            rows.append(Text.assemble((status.ljust(12), ""), bar(n, top, "magenta"),
                                      (f" {n}", "dim")))
        churned = ", ".join(data["clients"]["churned"]) or "none"
        quiet = [t for t in data["touch"] if t["quiet"]]
        name = self.client_name
        rows.append(Text(f"Churned in the period: {churned}", style="dim"))
        rows.append(Text(""))
        rows.append(Text("Going quiet", style="bold"))
        for t in quiet:
            since = "no contact" if t["days_since"] is None else f"{t['days_since']} days"
            rows.append(Text(f"{name(t['client'])}: {since} (keep in touch {t['cadence']})",
                             style="red"))
        if not quiet:
            rows.append(Text("Every client heard from us in time.", style="dim"))
        return Text("\n").join(rows)

    def action_by(self) -> None:
        self.by = "client" if self.by == "owner" else "owner"
        self.refresh_data()

    def action_period(self) -> None:
        self.days = 90 if self.days == 30 else 30
        self.refresh_data()
