"""All clients in a table: filter as you type, sort by any column, Enter opens one."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from tui.app.screens.base import KeptScreen
from tui.app.widgets import KeptFooter, StatusBar
from tui.core.dates import due_text
from tui.core.slugs import fold
from tui.services.clients import ClientRow, rows
from tui.services.search import score

STATUS_STYLES = {"lead": "cyan", "onboarding": "magenta", "active": "green",
                 "paused": "yellow", "churned": "dim"}

# column title -> sort key
COLUMNS: list[tuple[str, Callable[[ClientRow], Any]]] = [
    ("Client", lambda r: r.name.casefold()),
    ("Status", lambda r: r.status),
    ("Owner", lambda r: r.owner),
    ("Last contact", lambda r: -(r.days_quiet if r.days_quiet is not None else 10**6)),
    ("Next due", lambda r: r.next_due.moment() if r.next_due else ""),
    ("Open", lambda r: r.open),
    ("Overdue", lambda r: r.overdue),
    ("Receivables", lambda r: sum(r.receivables.values())),
]


class ClientsScreen(KeptScreen):
    BINDINGS = [
        Binding("down", "to_table", "Down to the list", show=False),
        Binding("o", "sort", "Sort", id="sort"),
        Binding("escape", "clear", "Clear filter", id="clear_filter", show=False),
        Binding("a", "add", "Add promise", id="clients_add"),
        Binding("t", "touch", "Touch", id="clients_touch"),
        Binding("e", "edit", "Edit card", id="clients_edit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 0
        self.reverse = False
        self.all_rows: list[ClientRow] = []

    def compose(self) -> ComposeResult:
        yield Static("[b]Clients[/b]", id="title", classes="screen-title")
        yield Input(placeholder="Filter: type part of a name, status or owner (ask → Аскона)",
                    id="filter")
        yield DataTable(id="clients", cursor_type="row", zebra_stripes=True)
        yield StatusBar(id="status")
        yield KeptFooter()

    def on_mount(self) -> None:
        table = self.query_one("#clients", DataTable)
        for title, _ in COLUMNS:
            table.add_column(title, key=title)
        self.sync_data()
        self.query_one("#filter", Input).focus()

    def refresh_data(self) -> None:
        session = self.kept.session
        assert session is not None
        view = session.view
        self.all_rows = rows(view.workspace(), session.clock, view.newest_notes)
        self._fill()
        self.kept.update_status(self.query_one(StatusBar))

    def _visible(self) -> list[ClientRow]:
        query = fold(self.query_one("#filter", Input).value.strip())
        shown = [r for r in self.all_rows if not query or max(
            score(query, fold(r.name)), score(query, r.slug), score(query, r.status),
            score(query, r.owner)) > 0]
        key = COLUMNS[self.sort_column][1]
        return sorted(shown, key=key, reverse=self.reverse)

    def _fill(self) -> None:
        table = self.query_one("#clients", DataTable)
        keep = self.selected_slug
        table.clear()
        session = self.kept.session
        assert session is not None
        for r in self._visible():
            quiet = "" if r.days_quiet is None else (
                "today" if r.days_quiet == 0 else f"{r.days_quiet} d ago")
            last = Text(f"{r.last_contact:%d %b}  {quiet}" if r.last_contact else "never",
                        style="red" if r.days_quiet is not None and r.days_quiet > 14 else "")
            table.add_row(
                Text(r.name, style="bold"),
                Text(r.status, style=STATUS_STYLES.get(r.status, "")),
                r.owner,
                last,
                due_text(r.next_due) if r.next_due else "",
                str(r.open),
                Text(str(r.overdue), style="bold red" if r.overdue else "dim"),
                r.receivables_text,
                key=r.slug,
            )
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):  # the row was filtered out
                table.move_cursor(row=table.get_row_index(keep))
        sort_title = COLUMNS[self.sort_column][0]
        arrow = "↓" if self.reverse else "↑"
        self.query_one("#title", Static).update(
            f"[b]Clients[/b] · {table.row_count} of {len(self.all_rows)} · sorted by "
            f"{sort_title.lower()} {arrow}  [dim](o to change, Enter opens)[/]"
        )

    @property
    def selected_slug(self) -> str | None:
        table = self.query_one("#clients", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self._fill()

    @on(Input.Submitted, "#filter")
    def _to_table(self) -> None:
        self.query_one("#clients", DataTable).focus()

    def action_sort(self) -> None:
        if self.reverse:
            self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.reverse = not self.reverse
        self._fill()

    @on(DataTable.HeaderSelected, "#clients")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        index = event.column_index
        self.reverse = not self.reverse if index == self.sort_column else False
        self.sort_column = index
        self._fill()

    def action_to_table(self) -> None:
        """Down from the filter goes into the list (typing filters, arrows choose)."""
        self.query_one("#clients", DataTable).focus()

    def action_clear(self) -> None:
        field = self.query_one("#filter", Input)
        if field.value:
            field.value = ""
        else:
            self.query_one("#clients", DataTable).focus()

    @on(DataTable.RowSelected, "#clients")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.kept.open_client(str(event.row_key.value))

    def action_add(self) -> None:
        self.kept.start_add_promise(self.selected_slug)

    def action_touch(self) -> None:
        self.kept.start_touch(self.selected_slug)

    def action_edit(self) -> None:
        slug = self.selected_slug
        session = self.kept.session
        if slug and session and slug in session.view.clients:
            self.kept.open_in_editor(session.view.clients[slug].path, 1)
