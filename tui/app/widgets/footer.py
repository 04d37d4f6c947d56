"""Textual's footer, rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds itself (a widget per key) each
time the screen says its bindings may have changed: on every focus change and every
change to the screen stack. Opening the agenda does that four times over, with the
same keys each time; on a large workspace those rebuilds were a sixth of the time to
the first paint. This footer compares the keys it would show with the ones it shows
and rebuilds only when they differ.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[Any, ...], ...]


def shown_keys(screen: Screen[Any]) -> Shown:
    """What a footer on ``screen`` shows: each shown key with its label and state."""
    app = screen.app
    return tuple(
        (key, binding.action, app.get_key_display(binding), binding.description,
         binding.group, enabled, tooltip, binding.show)
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show or key == app.COMMAND_PALETTE_BINDING
    )


class KeptFooter(Footer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: Shown | None = None  # the keys of the last rebuild
        self._pending = False  # a rebuild is asked for: it will read the newest keys

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._pending or (self._shown is not None and screen is self.screen
                             and shown_keys(screen) == self._shown):
            return
        super().bindings_changed(screen)  # asks for a rebuild after the next refresh
        self._pending = self.app.app_focus and self.is_attached and screen is self.screen

    async def recompose(self) -> None:
        self._pending = False
        await super().recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = shown_keys(self.screen)
        return super().compose()
