"""The Textual face of Kept: screens over the same library the CLI uses."""

from tui.app.app import KeptApp, run

__all__ = ["KeptApp", "run"]
