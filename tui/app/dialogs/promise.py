"""Dialogs for promises: move (when + why), drop (why), add (client, text, due...)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select

from tui.app.dialogs.base import ClientFormDialog, FormDialog
from tui.app.widgets.when_input import WhenInput
from tui.core.dates import Clock
from tui.core.models import Workspace


@dataclass(frozen=True)
class MoveRequest:
    when: str
    why: str


class MoveDialog(FormDialog[MoveRequest]):
    TITLE = "Move the due date"

    def __init__(self, clock: Clock, text: str, due: str) -> None:
        super().__init__(subtitle=f"{text}\nnow due {due}")
        self.clock = clock

    def fields(self) -> ComposeResult:
        yield WhenInput(self.clock, id="when-field")
        yield Input(placeholder="Why — as the client was told it", id="why")

    def collect(self) -> MoveRequest:
        when = self.query_one(WhenInput)
        why = self.text("why")
        if when.due is None:
            raise ValueError("Kept cannot read that date; try fri, +3d, 2026-11-30, завтра")
        if not why:
            raise ValueError("A reason is needed: the client hears it too")
        return MoveRequest(when.text, why)


class ReasonDialog(FormDialog[str]):
    """Why a promise is dropped."""

    TITLE = "Drop the promise"

    def __init__(self, text: str) -> None:
        super().__init__(subtitle=text)

    def fields(self) -> ComposeResult:
        yield Input(placeholder="Why it will not be done", id="why")

    def collect(self) -> str:
        why = self.text("why", required="A reason is needed")
        return why


@dataclass(frozen=True)
class PromiseRequest:
    client: str
    text: str
    due: str
    by: str
    kind: str


KINDS = [("task", "task"), ("reply", "reply"), ("follow-up", "follow-up"),
         ("report", "report")]


class AddPromiseDialog(ClientFormDialog[PromiseRequest]):
    TITLE = "Add a promise"

    def __init__(self, ws: Workspace, clock: Clock, client: str | None) -> None:
        super().__init__(ws, client)
        self.clock = clock

    def fields(self) -> ComposeResult:
        yield self.client_picker()
        yield Input(placeholder="What was promised", id="text")
        yield WhenInput(self.clock, id="due-field")
        yield Select([("we owe it", "us"), ("the client owes it", "client")], value="us",
                     allow_blank=False, id="by", compact=True)
        yield Select(KINDS, value="task", allow_blank=False, id="kind", compact=True)

    def collect(self) -> PromiseRequest:
        client = self.picked_client()
        text = self.text("text", required="Say what was promised")
        due = self.query_one(WhenInput)
        if due.due is None:
            raise ValueError("When is it due? fri, +3d, 2026-11-30, завтра…")
        by = self.query_one("#by", Select).value
        kind = self.query_one("#kind", Select).value
        return PromiseRequest(client, text, due.text, str(by), str(kind))
