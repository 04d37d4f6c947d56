"""Dialogs for contacts with a client: log a touch, start a meeting note, add a client."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Select

from tui.app.dialogs.base import ClientFormDialog, FormDialog

NOTE_KINDS = [(k, k) for k in ("call", "meeting", "email", "message", "visit", "report")]


@dataclass(frozen=True)
class TouchRequest:
    client: str
    kind: str
    text: str


class TouchDialog(ClientFormDialog[TouchRequest]):
    TITLE = "Log a touch"

    def fields(self) -> ComposeResult:
        yield self.client_picker()
        yield Select(NOTE_KINDS, value="call", allow_blank=False, id="kind", compact=True)
        yield Input(placeholder="In one line: what was it about", id="text")

    def collect(self) -> TouchRequest:
        client = self.picked_client()
        text = self.text("text", required="Say in a few words what the contact was about")
        return TouchRequest(client, str(self.query_one("#kind", Select).value), text)


@dataclass(frozen=True)
class NoteRequest:
    client: str
    kind: str
    title: str


class NoteDialog(ClientFormDialog[NoteRequest]):
    TITLE = "New meeting note"

    def fields(self) -> ComposeResult:
        yield self.client_picker()
        yield Select(NOTE_KINDS, value="meeting", allow_blank=False, id="kind", compact=True)
        yield Input(placeholder="Title: Kickoff, Weekly call, Monthly report…", id="title")

    def collect(self) -> NoteRequest:
        client = self.picked_client()
        title = self.text("title", required="Give the note a title")
        return NoteRequest(client, str(self.query_one("#kind", Select).value), title)


@dataclass(frozen=True)
class ClientRequest:
    name: str
    status: str


STATUSES = [(s, s) for s in ("lead", "onboarding", "active", "paused", "churned")]


class AddClientDialog(FormDialog[ClientRequest]):
    TITLE = "Add a client"

    def fields(self) -> ComposeResult:
        yield Input(placeholder="Name: Аскона, Northwind Coffee…", id="name")
        yield Select(STATUSES, value="active", allow_blank=False, id="status", compact=True)

    def collect(self) -> ClientRequest:
        name = self.text("name", required="A client needs a name")
        return ClientRequest(name, str(self.query_one("#status", Select).value))
