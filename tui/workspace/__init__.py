"""Files to records and back: load, validate, edit round trip, atomic writes.

Submodules are imported where used (``tui.workspace.load`` and so on), so importing
one light module of this package does not load the readers.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Loaded", "load_workspace"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tui.workspace import load

        return getattr(load, name)
    raise AttributeError(name)
