"""Errors and problems.

Two kinds of trouble, kept apart on purpose:

* a :class:`Problem` is something wrong in the user's files. Loading never raises on
  user data; it returns problems beside the records, each pointing at a file, line and
  column so an editor can jump there.
* a :class:`KeptError` is an action that cannot be done (no such promise, the file
  changed under us, git refused). Faces show its message; the CLI exits non-zero.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at a 1-based line and column."""

    path: str  # relative to the workspace root, with forward slashes
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": str(self.severity),
            "message": self.message,
        }

    def order(self) -> tuple[str, int, int, str, str]:
        """The sort key (the order the dataclass compares in, a tuple at C speed: a
        workspace may have hundreds of thousands of problems)."""
        return (self.path, self.line, self.col, self.severity, self.message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class KeptError(Exception):
    """An action Kept cannot carry out; the message is for the person who asked."""

    title = "Kept"
    exit_code = 2


class WorkspaceNotFound(KeptError):
    title = "No workspace"


class NotFound(KeptError):
    title = "Not found"


class InvalidInput(KeptError):
    """Something typed on the command line or in the app does not make sense."""

    title = "Invalid input"


class EditConflict(KeptError):
    """The file changed on disk in a way the edit cannot be re-applied to."""

    title = "Changed on disk"


class WriteError(KeptError):
    title = "Could not write"


class GitError(KeptError):
    title = "Git"
