"""A date typed in words, with what Kept understood shown beside it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from tui.core.dates import Clock, Due, parse_when, relative_due


class WhenInput(Horizontal):
    def __init__(self, clock: Clock, value: str = "", *, id: str | None = None,
                 placeholder: str = "When: fri, +3d, 2026-11-30, завтра, через неделю") -> None:
        super().__init__(id=id, classes="when-input")
        self.clock = clock
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(value=self._value, placeholder=self._placeholder, id="when")
        yield Label("", id="when-preview")

    def on_mount(self) -> None:
        self._preview(self._value)

    @property
    def due(self) -> Due | None:
        try:
            return parse_when(self.query_one("#when", Input).value, self.clock)
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.query_one("#when", Input).value

    @on(Input.Changed, "#when")
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, value: str) -> None:
        label = self.query_one("#when-preview", Label)
        if not value.strip():
            label.update("")
            return
        try:
            due = parse_when(value, self.clock)
        except ValueError:
            label.update("[red]?[/]")
            return
        when = f"{due.day:%a %d %b %Y}" + (f" {due.time:%H:%M}" if due.time else "")
        label.update(f"→ {when} [dim]({relative_due(due, self.clock)})[/]")
