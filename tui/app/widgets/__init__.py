"""Widgets the screens are built from."""

from tui.app.widgets.agenda_list import AgendaList
from tui.app.widgets.footer import KeptFooter
from tui.app.widgets.status_bar import StatusBar

__all__ = ["AgendaList", "KeptFooter", "StatusBar"]
