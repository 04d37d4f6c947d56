"""Records, dates, durations and the rules of the promise book: no IO, no Textual."""

from tui.core.dates import Cadence, Clock, Due, Duration, parse_when
from tui.core.models import Client, Note, Promise, Settings, Workspace
from tui.core.rules import AgendaItem, ItemType, agenda

__all__ = [
    "AgendaItem",
    "Cadence",
    "Client",
    "Clock",
    "Due",
    "Duration",
    "ItemType",
    "Note",
    "Promise",
    "Settings",
    "Workspace",
    "agenda",
    "parse_when",
]
