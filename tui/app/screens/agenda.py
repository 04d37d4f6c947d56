"""The home screen: what is due — overdue, today, the next days — and the keys to act."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.app.screens.base import KeptScreen
from tui.app.widgets import AgendaList, KeptFooter, StatusBar
from tui.core.rules import AgendaItem, ItemType, agenda
from tui.services import agenda as agenda_service

PROMISE_TYPES = {ItemType.PROMISE, ItemType.REPLY, ItemType.FOLLOW_UP, ItemType.WAITING}

WELCOME = """\
[b]Welcome to Kept.[/b] This workspace has no clients yet.

  [b]c[/]  add your first client          [b]a[/]  add a promise to a client
  [b]t[/]  log a call or a message         [b]n[/]  write a meeting note
  [b]?[/]  every key                      [b]ctrl+p[/]  every command

Your files live in [b]{root}[/] — plain YAML and Markdown you can also edit by hand;
Kept commits every change it makes.
"""


class AgendaScreen(KeptScreen):
    BINDINGS = [
        Binding("d", "done", "Done", id="done"),
        Binding("m", "move", "Move", id="move"),
        Binding("x", "drop", "Drop", id="drop"),
        Binding("a", "add", "Add", id="add"),
        Binding("t", "touch", "Touch", id="touch"),
        Binding("n", "note", "Note", id="note"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("enter", "open", "Client", id="open", show=False),
        Binding("f", "mine", "Mine/all", id="mine"),
        Binding("w", "horizon", "7/30 days", id="horizon", show=False),
        Binding("k", "chased", "Chased, no answer (follow-up)", id="chased", show=False),
        Binding("l", "chase", "Start a follow-up", id="chase", show=False),
        Binding("r", "ask", "A client's request to answer", id="ask", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mine = False
        self.days = 7

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="screen-title")
        yield Static("", id="summary", classes="summary")
        yield Static("", id="welcome", classes="welcome")
        yield AgendaList(id="agenda")
        yield StatusBar(id="status")
        yield KeptFooter()

    def on_mount(self) -> None:
        self.query_one("#welcome").display = False
        if self.kept.session is None:  # the first screen: the workspace is still loading
            self.query_one("#summary", Static).update("Reading the workspace…")
        self.sync_data()

    @property
    def agenda_list(self) -> AgendaList:
        return self.query_one("#agenda", AgendaList)

    @property
    def selected(self) -> AgendaItem | None:
        return self.agenda_list.selected

    def refresh_data(self) -> None:
        session = self.kept.session
        assert session is not None
        view = session.view  # the index's view: no need for every record here
        ws = view.workspace()
        me = session.me() if self.mine else None
        items = agenda(ws, session.clock, days=self.days, mine=me,
                       newest_notes=view.newest_notes, rows=view.promise_rows())
        who = f" · mine ({me})" if self.mine else ""
        self.query_one("#title", Static).update(
            f"[b]{ws.settings.name}[/b] — {session.clock.today:%A %d %B %Y}{who}"
        )
        summary = agenda_service.summary(items, session.clock)
        self.query_one("#summary", Static).update(summary)
        welcome = self.query_one("#welcome", Static)
        welcome.display = not ws.clients
        if not ws.clients:
            welcome.update(WELCOME.format(root=session.root))
        sections = agenda_service.sections(session, items, self.days)
        self.agenda_list.show(sections, session.clock)
        if not items and ws.clients:
            self.query_one("#summary", Static).update(
                f"{summary} — nothing due in the next {self.days} days. "
                "[b]a[/] adds a promise."
            )
        self.kept.update_status(self.query_one(StatusBar))

    # actions on the selected item

    def _promise_item(self, verb: str) -> AgendaItem | None:
        item = self.selected
        if item is None:
            self.notify("Nothing selected", severity="warning")
            return None
        if item.type not in PROMISE_TYPES:
            self.notify(f"{verb} works on promises; this is a {item.type}",
                        severity="warning")
            return None
        return item

    def action_done(self) -> None:
        item = self.selected
        if item is not None and item.type is ItemType.TOUCH:
            self.kept.start_touch(item.client)
        elif item is not None and item.type is ItemType.INVOICE:
            self.kept.invoice_paid(item.client, item.id)
        elif item is not None and item.type is ItemType.FOLLOW_UP:
            self.kept.follow_up_answered(item.id)  # done, for a follow-up: they answered
        elif (item := self._promise_item("Done")) is not None:
            self.kept.promise_done(item.id)

    def action_move(self) -> None:
        if (item := self._promise_item("Move")) is not None:
            self.kept.start_move(item.id)

    def action_drop(self) -> None:
        if (item := self._promise_item("Drop")) is not None:
            self.kept.start_drop(item.id)

    def action_chased(self) -> None:
        item = self.selected
        if item is None or item.type is not ItemType.FOLLOW_UP:
            self.notify("k works on follow-ups: start one with l", severity="warning")
            return
        self.kept.start_chased(item.id)

    def action_chase(self) -> None:
        self.kept.start_chase(self.selected.client if self.selected else None)

    def action_ask(self) -> None:
        self.kept.start_ask(self.selected.client if self.selected else None)

    def action_add(self) -> None:
        self.kept.start_add_promise(self.selected.client if self.selected else None)

    def action_touch(self) -> None:
        self.kept.start_touch(self.selected.client if self.selected else None)

    def action_note(self) -> None:
        self.kept.start_note(self.selected.client if self.selected else None)

    def action_edit(self) -> None:
        if self.selected is not None:
            self.kept.open_in_editor(self.selected.path, self.selected.line)

    def action_open(self) -> None:
        if self.selected is not None:
            self.kept.open_client(self.selected.client)

    @on(AgendaList.Selected, "#agenda")
    def _selected(self) -> None:
        self.action_open()

    def action_mine(self) -> None:
        session = self.kept.session
        if session is None:
            return
        if not self.mine and session.me() is None:
            self.notify("Kept does not know who you are: set KEPT_USER to your handle, or "
                        "git config user.email to your email in kept.yaml", severity="warning")
            return
        self.mine = not self.mine
        self.refresh_data()

    def action_horizon(self) -> None:
        self.days = 30 if self.days == 7 else 7
        self.refresh_data()
