"""The agenda as a keyboard list: section headings, aligned columns, overdue in red.

A line-API widget (a ScrollView): it draws only the rows on screen, so an agenda of
thousands of overdue items opens as fast as one of ten. Rows are Rich text padded to
columns measured over the whole list; headings are skipped by the cursor. Each row's
key is the item's stable key, so a refresh keeps the selection.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.dates import Clock, due_text, relative_due
from tui.core.rules import AgendaItem
from tui.services.agenda import TYPE_LABELS, Section, cells, fit

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


class Row(NamedTuple):
    """One line of the list: a section heading (``id`` starts with ``section:``,
    ``disabled``) or an item. A named tuple: every refresh makes one per item (4,000
    on a large agenda), 4x faster than a frozen dataclass."""

    id: str
    disabled: bool
    item: AgendaItem | None
    title: str = ""
    total: int = 0  # a heading: how many items are under it


class AgendaList(ScrollView, can_focus=True):
    """Overdue / Today / Next days, one row per item, drawn only where visible."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES = {"agenda-list--cursor", "agenda-list--heading"}
    DEFAULT_CSS = """
    AgendaList > .agenda-list--cursor { background: $block-cursor-background; }
    AgendaList:blur > .agenda-list--cursor { background: $block-cursor-blurred-background; }
    AgendaList > .agenda-list--heading { text-style: bold; }
    """

    highlighted: reactive[int | None] = reactive(None)

    class Selected(Message):
        """Enter, or a click, on an item."""

        def __init__(self, agenda: AgendaList, item: AgendaItem) -> None:
            super().__init__()
            self.agenda = agenda
            self.item = item

        @property
        def control(self) -> AgendaList:
            return self.agenda

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: dict[str, AgendaItem] = {}
        self.options: list[Row] = []
        self._index: dict[str, int] = {}
        self._sections: list[Section] = []
        self._clock: Clock | None = None
        self._columns: tuple[int, int, int] = (10, 40, 16)
        self._cache: dict[int, list[Segment]] = {}

    # --- content -------------------------------------------------------------------

    def show(self, sections: list[Section], clock: Clock) -> None:
        """Show these sections, keeping the highlighted item when it is still there,
        else the row in its place (the next one, after a promise is done)."""
        keep, at = self.selected_key, self.highlighted
        self._sections = sections
        self._clock = clock
        self.options = []
        self.items = {}
        for section in sections:
            self.options.append(Row(f"section:{section.title}", True, None, section.title,
                                    len(section.items)))
            for item in section.items:
                key = item_key(item)
                self.items[key] = item
                self.options.append(Row(key, False, item))
        self._index = {row.id: i for i, row in enumerate(self.options)}
        self._measure()
        self.virtual_size = Size(self.size.width, len(self.options))
        target = None
        if keep is not None and keep in self._index:
            target = self._index[keep]
        elif self.items:
            enabled = [i for i, row in enumerate(self.options) if not row.disabled]
            after = [i for i in enabled if at is not None and i >= at]
            target = after[0] if after else enabled[-1] if at is not None else enabled[0]
        self.highlighted = target
        self._cache.clear()
        self.refresh()

    @property
    def option_count(self) -> int:
        return len(self.options)

    def get_option_index(self, key: str) -> int:
        return self._index[key]

    @property
    def selected_key(self) -> str | None:
        i = self.highlighted
        if i is None or not 0 <= i < len(self.options):
            return None
        row = self.options[i]
        return None if row.disabled else row.id

    @property
    def selected(self) -> AgendaItem | None:
        key = self.selected_key
        return self.items.get(key) if key else None

    def _measure(self) -> None:
        """Column widths from every item (cheap: numbers, not drawing)."""
        width = max(self.scrollable_content_region.width, 60)
        names = [cells(i.client_name) for i in self.items.values()]
        client_w = min(max(names, default=10), 24)
        due_w, late_w = 16, 13
        # 1 space of margin, the type (10 + 1), then the columns with 2 spaces between.
        text_w = max(width - (12 + client_w + 2 + due_w + 2 + late_w + 2), 12)
        self._columns = (client_w, text_w, due_w)

    def on_resize(self) -> None:
        if self._clock is not None:
            self._measure()
            self._cache.clear()
            self.virtual_size = Size(self.size.width, len(self.options))
            self.refresh()

    # --- drawing -------------------------------------------------------------------

    def _text(self, row: Row) -> Text:
        if row.disabled:
            return Text.assemble(
                (f" {row.title} ", "bold reverse" if row.title == "Overdue" else "bold"),
                (f"  {row.total}", "dim"),
            )
        item = row.item
        assert item is not None and self._clock is not None
        client_w, text_w, due_w = self._columns
        style = "red" if item.overdue else ""
        return Text.assemble(
            (fit(TYPE_LABELS[item.type], 10) + " ",
             "bold red" if item.overdue else TYPE_STYLES[item.type]),
            (fit(item.client_name, client_w) + "  ", style or "bold"),
            (fit(item.text, text_w) + "  ", style),
            (fit(due_text(item.due), due_w) + "  ", style or "dim"),
            (fit(relative_due(item.due, self._clock), 13),
             "bold red" if item.overdue else "dim"),
        )

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if not 0 <= index < len(self.options):
            return Strip.blank(width, base)
        segments = self._cache.get(index)
        if segments is None:
            text = Text(" ")
            text.append_text(self._text(self.options[index]))
            segments = list(text.render(self.app.console))
            segments = [s for s in segments if s.text != "\n"]
            self._cache[index] = segments
        strip = Strip(segments)
        fill = base
        if index == self.highlighted:
            cursor = Style(bgcolor=self.get_component_rich_style("agenda-list--cursor").bgcolor)
            strip = strip.apply_style(cursor)  # under the row's own colours
            fill = base + cursor
        return strip.apply_style(base).crop_extend(0, width, fill)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for row in (old, new):
            if row is not None:
                self.refresh_line(row)
        if new is not None:
            self.scroll_to_region_of(new)

    def refresh_line(self, index: int) -> None:
        self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))

    def scroll_to_region_of(self, index: int) -> None:
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    # --- moving --------------------------------------------------------------------

    def _step(self, start: int, direction: int) -> int | None:
        i = start
        while 0 <= i < len(self.options):
            if not self.options[i].disabled:
                return i
            i += direction
        return None

    def action_cursor(self, direction: int) -> None:
        if not self.items:
            return
        start = (self.highlighted if self.highlighted is not None else -direction) + direction
        found = self._step(start, direction)
        if found is not None:
            self.highlighted = found

    def action_page(self, direction: int) -> None:
        if not self.items:
            return
        height = max(self.scrollable_content_region.height - 1, 1)
        start = min(max((self.highlighted or 0) + direction * height, 0), len(self.options) - 1)
        found = self._step(start, direction) or self._step(start, -direction)
        if found is not None:
            self.highlighted = found

    def action_edge(self, last: int) -> None:
        if self.items:
            self.highlighted = (self._step(len(self.options) - 1, -1) if last
                                else self._step(0, 1))

    def action_select(self) -> None:
        item = self.selected
        if item is not None:
            self.post_message(self.Selected(self, item))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.options) and not self.options[index].disabled:
            if self.highlighted == index and event.chain >= 2:
                self.action_select()
            self.highlighted = index
