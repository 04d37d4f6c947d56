"""Jump anywhere: type a few letters, pick a client, contact, promise or note."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.services.search import Hit, SearchIndex

ICONS = {"client": "◆", "contact": "☺", "promise": "•", "note": "✎"}


class JumpDialog(ModalScreen[Hit | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        self.index = index
        self.hits: dict[str, Hit] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog jump"):
            yield Label("Jump to a client, contact, promise or note", classes="dialog-title")
            yield Input(placeholder="Type a few letters — Cyrillic or Latin", id="query")
            yield OptionList(id="hits")
            yield Label("[b]↑↓[/] choose · [b]Enter[/] open · [b]Esc[/] close",
                        classes="dialog-hint")

    @on(Input.Changed, "#query")
    def _search(self, event: Input.Changed) -> None:
        hits = self.index.search(event.value, limit=40)
        self.hits = {f"{h.kind}:{h.key}": h for h in hits}
        options = [
            Option(Text.assemble((f"{ICONS[h.kind]} ", "bold"), (h.title, "bold"),
                                 (f"  {h.detail}", "dim")), id=key)
            for key, h in self.hits.items()
        ]
        found = self.query_one("#hits", OptionList)
        found.set_options(options)
        found.highlighted = 0 if options else None

    def action_move(self, step: int) -> None:
        found = self.query_one("#hits", OptionList)
        if found.option_count:
            found.highlighted = ((found.highlighted or 0) + step) % found.option_count

    @on(Input.Submitted, "#query")
    def _enter(self) -> None:
        option = self.query_one("#hits", OptionList).highlighted_option
        if option is not None and option.id:
            self.dismiss(self.hits[option.id])

    @on(OptionList.OptionSelected, "#hits")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(self.hits[event.option.id])

    def action_cancel(self) -> None:
        self.dismiss(None)
