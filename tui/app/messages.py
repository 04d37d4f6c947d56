"""Messages the app's workers post back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.vcs.git import Status


@dataclass
class WorkspaceLoaded(Message):
    """The workspace was (re)loaded; ``outside`` when an editor elsewhere changed it."""

    outside: bool = False


@dataclass
class GitStatusChanged(Message):
    status: Status | None


@dataclass
class LoadProgress(Message):
    done: int
    total: int
