"""Dialogs for the follow-up ladder and client requests: start a follow-up, record a
request to answer, and say how a chase went."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input

from tui.app.dialogs.base import ClientFormDialog, FormDialog
from tui.core.models import Workspace


@dataclass(frozen=True)
class ChaseRequest:
    client: str
    text: str
    to: str


class ChaseDialog(ClientFormDialog[ChaseRequest]):
    """``kept chase``: something sent, waiting for an answer, on the ladder."""

    TITLE = "Start a follow-up"

    def __init__(self, ws: Workspace, client: str | None) -> None:
        ladder = ", ".join(str(s) for s in ws.settings.follow_up)
        super().__init__(ws, client, subtitle=f"Chased on the ladder: {ladder}")

    def fields(self) -> ComposeResult:
        yield self.client_picker()
        yield Input(placeholder="What was sent: Proposal for 2027, the estimate…", id="text")
        yield Input(placeholder="To whom (a contact; optional)", id="to")

    def collect(self) -> ChaseRequest:
        client = self.picked_client()
        text = self.text("text", required="Say what was sent")
        return ChaseRequest(client, text, self.text("to"))


@dataclass(frozen=True)
class AskRequest:
    client: str
    text: str
    who: str


class AskDialog(ClientFormDialog[AskRequest]):
    """``kept ask``: a client's request, to answer within ``reply_within``."""

    TITLE = "A client's request to answer"

    def __init__(self, ws: Workspace, client: str | None) -> None:
        super().__init__(ws, client,
                         subtitle=f"Due in {ws.settings.reply_within}; if it takes longer, "
                                  "move it with what you told the client")

    def fields(self) -> ComposeResult:
        yield self.client_picker()
        yield Input(placeholder="What they asked", id="text")
        yield Input(placeholder="Who asked (a contact; optional)", id="who")

    def collect(self) -> AskRequest:
        client = self.picked_client()
        text = self.text("text", required="Say what they asked")
        return AskRequest(client, text, self.text("who"))


class ChasedDialog(FormDialog[str]):
    """Chased, no answer: what was done (optional)."""

    TITLE = "Chased, no answer yet"

    def __init__(self, text: str, step: str) -> None:
        super().__init__(subtitle=f"{text}\n{step}; the next step is scheduled from today")

    def fields(self) -> ComposeResult:
        yield Input(placeholder="What you did (optional): called, wrote in Telegram…",
                    id="why")

    def collect(self) -> str:
        return self.text("why")
