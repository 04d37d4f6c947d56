"""One client: the card and contacts, promises both ways, the notes, the git history."""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    DataTable,
    Markdown,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from tui.app.screens.base import KeptScreen
from tui.app.widgets import KeptFooter, StatusBar
from tui.core.dates import due_text, humanize_days, relative_due
from tui.core.models import By, Promise
from tui.core.rules import format_money, last_contact, last_contacts
from tui.services.clients import ClientPage, closed_text, page
from tui.services.context import Session
from tui.vcs.git import LogEntry
from tui.workspace import notes as notes_mod

CARD_WIDTH = 40  # as #card in kept.tcss


class ClientScreen(KeptScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("d", "done", "Done", id="client_done"),
        Binding("m", "move", "Move", id="client_move"),
        Binding("x", "drop", "Drop", id="client_drop"),
        Binding("a", "add", "Add", id="client_add"),
        Binding("t", "touch", "Touch", id="client_touch"),
        Binding("n", "note", "Note", id="client_note"),
        Binding("e", "edit", "Edit", id="client_edit"),
    ]

    def __init__(self, slug: str, focus: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.slug = slug
        self.focus_on = focus  # ("promise", id) or ("note", path): where to start
        self.view: ClientPage | None = None
        self.promises: dict[str, Promise] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="screen-title")
        with Horizontal(id="client-body"):
            with VerticalScroll(id="card"):
                yield Static("", id="card-text")
            with TabbedContent(id="tabs"):
                with TabPane("Promises", id="tab-promises"):
                    yield DataTable(id="promises", cursor_type="row", zebra_stripes=True)
                with TabPane("Notes", id="tab-notes"), Vertical():
                    yield OptionList(id="notes")
                    with VerticalScroll(id="note-view"):
                        yield Markdown("", id="note-body")
                with TabPane("History", id="tab-history"):
                    yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield StatusBar(id="status")
        yield KeptFooter()

    def on_mount(self) -> None:
        table = self.query_one("#promises", DataTable)
        for title, width in (("", 10), ("Promise", None), ("Due", 16), ("State", 12)):
            table.add_column(title, key=title or "side", width=width)
        self.query_one("#history", DataTable).add_columns("Date", "Who", "What")
        self.sync_data()
        self.query_one("#promises", DataTable).focus()
        self.load_history()
        if self.focus_on is not None:
            kind, key = self.focus_on
            if kind == "promise" and key in self.promises:
                table = self.query_one("#promises", DataTable)
                table.move_cursor(row=table.get_row_index(key))
            elif kind == "note":
                self.query_one("#tabs", TabbedContent).active = "tab-notes"
                notes = self.query_one("#notes", OptionList)
                notes.highlighted = notes.get_option_index(key)
                notes.focus()

    def refresh_data(self) -> None:
        session = self.kept.session
        assert session is not None
        ws = session.client_workspace(self.slug)  # this client's records only
        if self.slug not in ws.clients:
            self.notify("This client is gone from the files (or has an error: see problems)",
                        severity="warning")
            self.app.pop_screen()
            return
        self.view = view = page(ws, self.slug)
        client = view.client
        self.query_one("#title", Static).update(
            f"[b]{client.name}[/b] · {client.status} · {client.slug}"
        )
        last = last_contact(client, last_contacts(ws))
        self.query_one("#card-text", Static).update(self._card(view, last, session))
        self._fill_promises(view, session)
        self._fill_notes(view)
        self.kept.update_status(self.query_one(StatusBar))

    def _card(self, view: ClientPage, last: date | None, session: Session) -> Group:
        c = view.client
        ws = session.view.workspace()
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", justify="right")
        grid.add_column()

        def member(handle: str | None) -> str:
            m = ws.settings.member(handle)
            return f"{m.name} ({handle})" if m and m.name else (handle or "—")

        cadence = c.touch or ws.settings.touch
        quiet = ""
        if last is not None:
            days = (session.clock.today - last).days
            quiet = f"{last:%d %b %Y} · {'today' if days == 0 else f'{humanize_days(days)} ago'}"
        rows = [
            ("Owner", member(c.owner)),
            ("Backup", member(c.backup) if c.backup else ""),
            ("Since", f"{c.since:%d %b %Y}" if c.since else ""),
            ("Services", ", ".join(c.services)),
            ("Channel", c.channel),
            ("Keep in touch", str(cadence)),
            ("Last contact", quiet or "none on record"),
            ("Reports", str(c.report) if c.report else ""),
            ("Tags", ", ".join(c.tags)),
        ]
        for label, value in rows:
            if value:
                grid.add_row(label, value)
        parts: list[RenderableType] = [grid]
        if c.contacts:
            parts.append(Text("\nContacts", style="bold"))
            for contact in c.contacts:
                marks = "  ".join(m for m, on in (("★ decides", contact.decides),
                                                   ("☎ call when on fire", contact.urgent)) if on)
                line = Text.assemble((contact.name, "bold"), (f"  {contact.role}", "dim"))
                parts.append(line)
                if marks:
                    parts.append(Text(f"  {marks}", style="yellow"))
                reach = " · ".join(x for x in (contact.phone, contact.email, contact.channel) if x)
                if reach:
                    parts.append(Text(f"  {reach}", style="dim"))
        billing = c.billing
        if billing.monthly_fee or billing.invoices:
            parts.append(Text("\nBilling", style="bold"))
            if billing.monthly_fee:
                parts.append(Text(f"{format_money(billing.monthly_fee, billing.currency)}"
                                  " a month"))
            for inv in billing.invoices:
                if inv.paid:
                    state, style = f"paid {inv.paid:%d %b}", "dim"
                elif inv.due and inv.due < session.clock.today:
                    state, style = f"late since {inv.due:%d %b}", "bold red"
                else:
                    state, style = (f"due {inv.due:%d %b}" if inv.due else "unpaid"), ""
                parts.append(Text(f"{inv.number}  {format_money(inv.amount, billing.currency)}"
                                  f"  {state}", style=style))
        return Group(*parts)

    def _fill_promises(self, view: ClientPage, session: Session) -> None:
        table = self.query_one("#promises", DataTable)
        keep = self.selected_promise.id if self.selected_promise else None
        table.clear()
        # The text takes what the card and other columns leave: nothing scrolls sideways.
        text_width = max(self.app.size.width - CARD_WIDTH - 10 - 16 - 12 - 12, 16)
        self.promises = {}
        for side, promises in ((By.US, view.ours), (By.CLIENT, view.theirs)):
            for p in promises:
                self.promises[p.id] = p
                arrow = "→ we owe" if side is By.US else "← they owe"
                if p.is_open:
                    late = p.due.is_overdue(session.clock)
                    state = Text(relative_due(p.due, session.clock),
                                 style="bold red" if late else "")
                    text = Text(p.text, style="red" if late else "bold")
                else:
                    label = closed_text(p)
                    state = Text(label, style="green" if label == "kept on time" else "dim")
                    text = Text(p.text, style="dim")
                text.truncate(text_width, overflow="ellipsis")
                table.add_row(Text(arrow, style="cyan" if side is By.US else "yellow"),
                              text, due_text(p.due), state, key=p.id)
        if keep in self.promises:
            table.move_cursor(row=table.get_row_index(keep))

    def _fill_notes(self, view: ClientPage) -> None:
        notes = self.query_one("#notes", OptionList)
        notes.set_options(
            Option(Text.assemble((f"{n.date:%d %b %Y}  ", "dim"), (n.kind.value + "  ", "cyan"),
                                 (n.title, "bold")), id=n.path)
            for n in view.notes
        )
        if view.notes:
            notes.highlighted = 0
        else:
            self.query_one("#note-body", Markdown).update("_No notes yet — press **n** to "
                                                          "write one, **t** to log a touch._")

    @on(OptionList.OptionHighlighted, "#notes")
    def _show_note(self, event: OptionList.OptionHighlighted) -> None:
        session = self.kept.session
        if session is None or event.option.id is None:
            return
        path = session.root / event.option.id
        try:
            text = path.read_text("utf-8")
            body = notes_mod.split(text).body
        except (OSError, UnicodeDecodeError, ValueError):
            body = "_This note cannot be read; see the problems list (3)._"
        self.query_one("#note-body", Markdown).update(body)

    @work(thread=True, exclusive=True, group="client-history")
    def load_history(self) -> None:
        session = self.kept.session
        repo = session.repo if session else None
        entries: list[LogEntry] = []
        if repo is not None and session is not None:
            entries = repo.history(session.root / "clients" / self.slug)
        self.app.call_from_thread(self._fill_history, entries, repo is not None)

    def _fill_history(self, entries: list[LogEntry], has_git: bool) -> None:
        table = self.query_one("#history", DataTable)
        table.clear()
        for e in entries:
            table.add_row(e.date, e.author, e.subject, key=e.sha)
        if not entries:
            table.add_row("", "", "no history: " + ("nothing committed yet" if has_git
                                                   else "not a git repository"))

    # actions

    @property
    def selected_promise(self) -> Promise | None:
        table = self.query_one("#promises", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.promises.get(str(key)) if key is not None else None

    def _open_promise(self, verb: str) -> Promise | None:
        p = self.selected_promise
        if p is None or self.query_one("#tabs", TabbedContent).active != "tab-promises":
            self.notify(f"{verb}: pick a promise in the Promises tab", severity="warning")
            return None
        if not p.is_open:
            self.notify(f"'{p.text}' is already {p.status}", severity="warning")
            return None
        return p

    def action_done(self) -> None:
        if (p := self._open_promise("Done")) is not None:
            self.kept.promise_done(p.id)

    def action_move(self) -> None:
        if (p := self._open_promise("Move")) is not None:
            self.kept.start_move(p.id)

    def action_drop(self) -> None:
        if (p := self._open_promise("Drop")) is not None:
            self.kept.start_drop(p.id)

    def action_add(self) -> None:
        self.kept.start_add_promise(self.slug)

    def action_touch(self) -> None:
        self.kept.start_touch(self.slug)

    def action_note(self) -> None:
        self.kept.start_note(self.slug)

    def action_edit(self) -> None:
        view = self.view
        if view is None:
            return
        tab = self.query_one("#tabs", TabbedContent).active
        if tab == "tab-notes":
            option = self.query_one("#notes", OptionList).highlighted_option
            if option is not None and option.id:
                self.kept.open_in_editor(option.id, 1)
                return
        p = self.selected_promise
        if tab == "tab-promises" and p is not None:
            self.kept.open_in_editor(p.path, p.line)
        else:
            self.kept.open_in_editor(view.client.path, 1)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.load_history()

