"""The shape every form dialog shares: a title, fields, an error line, Enter/Esc."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.app.widgets.client_picker import ClientPicker

if TYPE_CHECKING:
    from tui.core.models import Workspace

T = TypeVar("T")


class FormDialog(ModalScreen[T], Generic[T]):
    """Subclasses compose their fields in :meth:`fields` and build the result in
    :meth:`collect`, raising ValueError with a message for the person."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Save", show=False),
    ]
    TITLE = ""

    def __init__(self, title: str = "", subtitle: str = "") -> None:
        super().__init__()
        self.form_title = title or self.TITLE
        self.form_subtitle = subtitle
        # What was typed, by field id, when the form was sent; and what a reopened
        # form starts with (after a change failed: see KeptApp.ask).
        self.values: dict[str, object] = {}
        self.prefill: dict[str, object] = {}
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.form_title, classes="dialog-title")
            if self.form_subtitle:
                yield Static(self.form_subtitle, classes="dialog-subtitle", markup=False)
            yield from self.fields()
            yield Label("", classes="dialog-error", id="error")
            yield Label("[b]Enter[/] save · [b]Tab[/] next field · [b]Esc[/] cancel",
                        classes="dialog-hint")

    def fields(self) -> ComposeResult:
        yield from ()

    def collect(self) -> T:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        try:
            result = self.collect()
        except ValueError as exc:
            self.query_one("#error", Label).update(str(exc))
            return
        self.values = self.snapshot()
        self.dismiss(result)

    def snapshot(self) -> dict[str, object]:
        """Every field's value by id: inputs, choices and the picked client."""
        values: dict[str, object] = {}
        for field in self.query(Input):
            if field.id:
                values[field.id] = field.value
        for choice in self.query(Select):
            if choice.id:
                values[choice.id] = choice.value
        for picker in self.query(ClientPicker):
            if picker.id and picker.slug is not None:
                values[picker.id] = picker.slug
        return values

    def restore(self, values: dict[str, object]) -> None:
        """Put a snapshot back (the client picker last, so it keeps its pick)."""
        for field in self.query(Input):
            if field.id in values:
                field.value = str(values[field.id])
        for choice in self.query(Select):
            if choice.id in values:
                choice.value = values[choice.id]
        for picker in self.query(ClientPicker):
            slug = values.get(picker.id or "")
            if isinstance(slug, str) and slug in picker.ws.clients:
                picker.choose(slug)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.before_submit(event.input):
            return
        inputs = [i for i in self.query(Input) if i.display]
        if event.input is not inputs[-1]:
            self.focus_next()
            return
        self.action_submit()

    def before_submit(self, source: Input) -> bool:
        """Enter in the client picker takes the highlighted client and moves on."""
        if source.id == "client-input":
            self.query_one(ClientPicker).accept()
            self.focus_next()
            return False
        return True

    def on_mount(self) -> None:
        """With the client already known, start in the field after the picker."""
        if self.prefill:
            self.restore(self.prefill)
        if self.error:
            self.query_one("#error", Label).update(Text(self.error))
        pickers = list(self.query(ClientPicker))
        if pickers and pickers[0].slug is not None:
            inputs = [i for i in self.query(Input) if i.id != "client-input"]
            if inputs:
                inputs[0].focus()

    def text(self, field_id: str, *, required: str = "") -> str:
        """What an input holds, stripped; empty, ``required`` is the message raised."""
        text = self.query_one(f"#{field_id}", Input).value.strip()
        if required and not text:
            raise ValueError(required)
        return text

    def picked_client(self) -> str:
        picker = self.query_one(ClientPicker)
        if picker.slug is None and not picker.accept():
            raise ValueError("Pick a client: type part of a name")
        assert picker.slug is not None
        return picker.slug


class ClientFormDialog(FormDialog[T]):
    """A form about one client: its fields start with the client picker, on
    ``client`` when the selection already names one."""

    def __init__(self, ws: Workspace, client: str | None, subtitle: str = "") -> None:
        super().__init__(subtitle=subtitle)
        self.ws = ws
        self.client = client

    def client_picker(self) -> ClientPicker:
        return ClientPicker(self.ws, self.client, id="client")
