"""A built-in editor for a note, for when no $VISUAL or $EDITOR is set."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class TextEditorDialog(ModalScreen[str | None]):
    """Edit a text; ctrl+s keeps it, Esc leaves it as it was."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            yield Label(f"{self.path.name}", classes="dialog-title")
            yield TextArea(self.text, language="markdown", id="body", show_line_numbers=True)
            yield Label("[b]ctrl+s[/] save and commit · [b]Esc[/] keep the template as it is",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one("#body", TextArea)
        area.focus()
        area.move_cursor((area.document.line_count - 1, 0))

    def action_save(self) -> None:
        self.dismiss(self.query_one("#body", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
