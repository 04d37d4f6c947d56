"""Pick a client by typing any part of its name, in Cyrillic or Latin."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.core.models import Workspace
from tui.core.slugs import fold
from tui.services.search import score


class ClientPicker(Vertical):
    """An input with a list of matching clients below it; ``slug`` is the choice."""

    BINDINGS = [
        Binding("down", "move(1)", "Next match", show=False),
        Binding("up", "move(-1)", "Previous match", show=False),
    ]

    def __init__(self, ws: Workspace, slug: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="client-picker")
        self.ws = ws
        self.slug = slug if slug in ws.clients else None

    def compose(self) -> ComposeResult:
        name = self.ws.clients[self.slug].name if self.slug else ""
        yield Input(value=name, placeholder="Client: type a few letters (ask → Аскона)",
                    id="client-input")
        yield OptionList(id="client-matches")

    def on_mount(self) -> None:
        self.query_one("#client-matches", OptionList).display = False

    @on(Input.Changed, "#client-input")
    def _typed(self, event: Input.Changed) -> None:
        matches = self.query_one("#client-matches", OptionList)
        query = fold(event.value.strip())
        chosen = self.ws.clients.get(self.slug or "")
        if chosen and event.value == chosen.name:
            matches.display = False
            return
        self.slug = None
        ranked = sorted(
            ((score(query, fold(c.name)) or score(query, c.slug), c) for c in
             self.ws.clients.values()),
            key=lambda pair: (-pair[0], pair[1].name),
        )
        found = [c for s, c in ranked if s > 0 or not query][:6]
        matches.set_options(Option(c.name, id=c.slug) for c in found)
        matches.display = bool(found)
        if found:
            matches.highlighted = 0
            exact = [c for c in found if fold(c.name) == query or c.slug == query]
            if len(found) == 1 or exact:
                self.slug = (exact or found)[0].slug

    def action_move(self, step: int) -> None:
        matches = self.query_one("#client-matches", OptionList)
        if matches.display and matches.option_count:
            current = matches.highlighted or 0
            matches.highlighted = (current + step) % matches.option_count

    def accept(self) -> bool:
        """Take the highlighted match; False when nothing matches."""
        matches = self.query_one("#client-matches", OptionList)
        option = matches.highlighted_option if matches.display else None
        if option is not None and option.id:
            self.choose(option.id)
        return self.slug is not None

    def choose(self, slug: str) -> None:
        self.slug = slug
        field = self.query_one("#client-input", Input)
        with field.prevent(Input.Changed):
            field.value = self.ws.clients[slug].name
        self.query_one("#client-matches", OptionList).display = False

    @on(OptionList.OptionSelected, "#client-matches")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.choose(event.option.id)
            self.screen.focus_next()
