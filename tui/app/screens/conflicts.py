"""Conflicts a sync recorded: each field changed on both sides, and each note git could
not merge. Pick yours or theirs per field, or open the file there."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui.app.screens.base import KeptScreen
from tui.app.widgets import KeptFooter, StatusBar
from tui.errors import KeptError
from tui.services import sync as sync_service
from tui.services.sync import FieldConflict, FileConflict, Pick


def shown(value: Any, removed: bool = False) -> str:
    if removed:
        return "(removed)"
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictsScreen(KeptScreen):
    BINDINGS = [
        Binding("y", "pick('mine')", "Keep yours", id="keep_mine"),
        Binding("t", "pick('theirs')", "Take theirs", id="take_theirs"),
        Binding("e", "edit", "Edit", id="conflict_edit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[FieldConflict | FileConflict] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="screen-title")
        yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="none", classes="welcome")
        yield StatusBar(id="status")
        yield KeptFooter()

    def on_mount(self) -> None:
        self.query_one("#conflicts", DataTable).add_columns(
            "Where", "What", "Yours", "Theirs", "Before")
        self.sync_data()
        self.query_one("#conflicts", DataTable).focus()

    def refresh_data(self) -> None:
        session = self.kept.session
        assert session is not None
        try:
            self.found = sync_service.conflicts(session)
        except KeptError as exc:
            self.found = []
            self.notify(str(exc), severity="error")
        table = self.query_one("#conflicts", DataTable)
        keep = table.cursor_row
        table.clear()
        for i, c in enumerate(self.found):
            if isinstance(c, FieldConflict):
                what = f"{c.record} {c.field}" if c.record else c.field
                table.add_row(Text(f"{c.path}:{c.line}", style="bold"), what,
                              Text(shown(c.mine), style="cyan"),
                              Text(shown(c.theirs, c.theirs_removed), style="yellow"),
                              Text(shown(c.base), style="dim"), key=str(i))
            else:
                table.add_row(Text(c.path, style="bold"), "the whole note",
                              Text("in the file", style="cyan"),
                              Text(c.copy, style="yellow"), "", key=str(i))
        if self.found:
            table.move_cursor(row=min(keep, len(self.found) - 1))
        none = self.query_one("#none", Static)
        none.display = not self.found
        table.display = bool(self.found)
        none.update("[green]✓[/] No conflicts. [b]s[/] syncs with the team.")
        count = len(self.found)
        self.query_one("#title", Static).update(
            f"[b]Conflicts[/b] · {count} · both sides changed these; yours stays until you "
            "pick  [dim](y yours · t theirs · e edit)[/]")
        self.kept.update_status(self.query_one(StatusBar))

    @property
    def selected(self) -> FieldConflict | FileConflict | None:
        table = self.query_one("#conflicts", DataTable)
        if not self.found or not table.row_count:
            return None
        return self.found[table.cursor_row]

    def action_pick(self, pick: str) -> None:
        c = self.selected
        if c is None:
            return
        side: Pick = "mine" if pick == "mine" else "theirs"
        if isinstance(c, FieldConflict):
            self.kept.run_change("Resolve", lambda s: sync_service.resolve_conflict(
                s, c.path, c.record, c.field, side))
        else:
            self.kept.run_change("Resolve", lambda s: sync_service.resolve_copy(
                s, c.copy, side))

    def action_edit(self) -> None:
        c = self.selected
        if isinstance(c, FieldConflict):
            self.kept.open_in_editor(c.path, c.line)
        elif c is not None:
            self.kept.open_in_editor(c.copy, 1)

    @on(DataTable.RowSelected, "#conflicts")
    def _open(self) -> None:
        self.action_edit()
