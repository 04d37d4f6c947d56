"""Every problem in the files, as ``kept check`` lists them; Enter opens the file there."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tui.app.screens.base import KeptScreen
from tui.app.widgets import KeptFooter, StatusBar
from tui.errors import Problem


class ProblemsScreen(KeptScreen):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="screen-title")
        yield DataTable(id="problems", cursor_type="row", zebra_stripes=True)
        yield Static("", id="all-clear", classes="welcome")
        yield StatusBar(id="status")
        yield KeptFooter()

    def on_mount(self) -> None:
        self.query_one("#problems", DataTable).add_columns("", "Where", "Problem")
        self.sync_data()
        self.query_one("#problems", DataTable).focus()

    def refresh_data(self) -> None:
        session = self.kept.session
        assert session is not None
        self.problems = list(session.view.problems)
        table = self.query_one("#problems", DataTable)
        keep = table.cursor_row
        table.clear()
        for i, p in enumerate(self.problems):
            mark = Text("error", style="bold red") if p.is_error else Text("warning",
                                                                             style="yellow")
            table.add_row(mark, Text(f"{p.path}:{p.line}:{p.col}", style="bold"), p.message,
                          key=str(i))
        if self.problems:
            table.move_cursor(row=min(keep, len(self.problems) - 1))
        errors = sum(1 for p in self.problems if p.is_error)
        self.query_one("#title", Static).update(
            f"[b]Problems[/b] · {errors} error{'s' * (errors != 1)}, "
            f"{len(self.problems) - errors} warning{'s' * (len(self.problems) - errors != 1)}"
            "  [dim](Enter opens the file at the line)[/]"
        )
        clear = self.query_one("#all-clear", Static)
        clear.display = not self.problems
        table.display = bool(self.problems)
        clear.update("[green]✓[/] Every file reads cleanly.")
        self.kept.update_status(self.query_one(StatusBar))

    @on(DataTable.RowSelected, "#problems")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return
        p = self.problems[int(event.row_key.value)]
        self.kept.open_in_editor(p.path, p.line)
