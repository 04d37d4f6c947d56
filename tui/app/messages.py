"""Messages the app's workers post back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.vcs.git import Status  # GitPython loads when git is first used, not at launch


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


@dataclass
class LoadFailed(Message):
    message: str
