"""What every Kept screen shares: its data comes from the app's session, and it
refreshes when the workspace is reloaded (at once if shown, else when shown next)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app.app import KeptApp


class KeptScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen_generation = -1

    @property
    def kept(self) -> KeptApp:
        return cast("KeptApp", self.app)

    def refresh_data(self) -> None:
        """Show the app's current workspace; subclasses draw themselves here."""

    def sync_data(self) -> None:
        if self.kept.session is not None and self.seen_generation != self.kept.generation:
            self.seen_generation = self.kept.generation
            self.refresh_data()

    def on_screen_resume(self) -> None:
        self.sync_data()
