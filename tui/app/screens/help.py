"""``?``: every key, what it does, and the id to remap it with."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]], config_path: str) -> None:
        super().__init__()
        self.groups = groups
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            yield Label(
                f"Remap a key in {self.config_path}:  [b]\\[keymap][/]  move = \"M\"   ·   "
                "dates: fri, +3d, in 2 weeks, 25.11, завтра, через 3 дня   ·   Esc closes",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_columns("Where", "Key", "Does", "Id")
        keymap = self.app._keymap  # the user's remaps, to show the keys in use
        for where, bindings in self.groups:
            for b in bindings:
                if not b.description:
                    continue
                key = keymap.get(b.id, b.key) if b.id else b.key
                table.add_row(Text(where, style="dim"), Text(self.app.get_key_display(
                    Binding(key.split(",")[0], "")), style="bold"), b.description,
                    Text(b.id or "", style="dim"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
