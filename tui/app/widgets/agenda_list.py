"""The agenda as a keyboard list: section headings, aligned columns, overdue in red.

Rows are Rich text padded to columns measured over the whole list, so the list
lines up like a table while headings (disabled options) are skipped by the cursor.
Each row's option id is the item's stable key, so a refresh keeps the selection.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.dates import Clock, Due, relative_due
from tui.core.rules import AgendaItem
from tui.services.agenda import Section

TYPE_LABELS = {
    "promise": "we owe",
    "reply": "reply",
    "follow-up": "follow-up",
    "waiting": "waiting",
    "touch": "touch",
    "invoice": "invoice",
}
TYPE_STYLES = {
    "promise": "bold",
    "reply": "bold magenta",
    "follow-up": "cyan",
    "waiting": "yellow",
    "touch": "blue",
    "invoice": "green",
}


def item_key(item: AgendaItem) -> str:
    return f"{item.type}:{item.client}:{item.id}"


def due_text(due: Due) -> str:
    text = f"{due.day:%a %d %b}"
    return f"{text} {due.time:%H:%M}" if due.time else text


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to ``width`` terminal cells."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for ch in text:
        if cell_len(out) + cell_len(ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cell_len(out))


class AgendaList(OptionList):
    """Overdue / Today / Next days, one row per item."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: dict[str, AgendaItem] = {}
        self._sections: list[Section] = []
        self._clock: Clock | None = None

    def show(self, sections: list[Section], clock: Clock) -> None:
        """Show these sections, keeping the highlighted item when it is still there,
        else the row in its place (the next one, after a promise is done)."""
        keep = self.selected_key
        self._sections = sections
        self._clock = clock
        self._render_rows(keep, self.highlighted)

    @property
    def selected_key(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and option.id in self.items else None

    @property
    def selected(self) -> AgendaItem | None:
        key = self.selected_key
        return self.items.get(key) if key else None

    def on_resize(self) -> None:
        if self._clock is not None:
            self._render_rows(self.selected_key, self.highlighted)

    def _render_rows(self, keep: str | None, index: int | None = None) -> None:
        clock = self._clock
        assert clock is not None
        all_items = [i for s in self._sections for i in s.items]
        width = max(self.scrollable_content_region.width, 60)
        client_w = min(max((cell_len(i.client_name) for i in all_items), default=10), 24)
        late_w = 13
        due_w = 16
        text_w = max(width - (11 + client_w + 2 + due_w + 2 + late_w + 2), 12)
        options: list[Option] = []
        self.items = {}
        for section in self._sections:
            heading = Text.assemble(
                (f" {section.title} ", "bold reverse" if section.title == "Overdue" else "bold"),
                (f"  {len(section.items)}", "dim"),
            )
            options.append(Option(heading, id=f"section:{section.title}", disabled=True))
            for item in section.items:
                key = item_key(item)
                self.items[key] = item
                style = "red" if item.overdue else ""
                row = Text.assemble(
                    (fit(TYPE_LABELS[item.type], 10) + " ",
                     "bold red" if item.overdue else TYPE_STYLES[item.type]),
                    (fit(item.client_name, client_w) + "  ", style or "bold"),
                    (fit(item.text, text_w) + "  ", style),
                    (fit(due_text(item.due), due_w) + "  ", style or "dim"),
                    (fit(relative_due(item.due, clock), late_w), "bold red" if item.overdue
                     else "dim"),
                )
                options.append(Option(row, id=key))
        self.set_options(options)
        target = None
        if keep and keep in self.items:
            target = self.get_option_index(keep)
        elif self.items:
            enabled = [i for i, o in enumerate(self.options) if not o.disabled]
            after = [i for i in enabled if index is not None and i >= index]
            target = after[0] if after else enabled[-1] if index is not None else enabled[0]
        self.highlighted = target
