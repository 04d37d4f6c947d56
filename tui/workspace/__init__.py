"""Files to records and back: load, validate, edit round trip, atomic writes."""

from tui.workspace.load import Loaded, load_workspace

__all__ = ["Loaded", "load_workspace"]
