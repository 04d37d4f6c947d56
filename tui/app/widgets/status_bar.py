"""The line above the footer: git branch, uncommitted files, ahead/behind, problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from tui.vcs.git import Status  # GitPython loads when git is first used, not at launch


class StatusBar(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.git: Status | None = None
        self.git_known = False
        self.errors = 0
        self.warnings = 0
        self.note = ""

    def show(self, *, git: Status | bool | None = False, errors: int | None = None,
             warnings: int | None = None, note: str | None = None) -> None:
        if git is not False:
            self.git = None if git is None or isinstance(git, bool) else git
            self.git_known = True
        if errors is not None:
            self.errors = errors
        if warnings is not None:
            self.warnings = warnings
        if note is not None:
            self.note = note
        self.update(self._text())

    def _text(self) -> Text:
        parts: list[tuple[str, str]] = []
        if not self.git_known:
            parts.append(("git …", "dim"))
        elif self.git is None:
            parts.append(("not a git repository: changes are not committed", "yellow"))
        else:
            g = self.git
            parts.append(("on ", "dim"))
            parts.append((g.branch or "(no branch)", "bold"))
            parts.append((f"  {g.uncommitted} uncommitted" if g.uncommitted else "  clean",
                          "yellow" if g.uncommitted else "dim"))
            if g.ahead is not None:
                parts.append((f"  ↑{g.ahead} ↓{g.behind}", "dim"))
            else:
                parts.append(("  no remote", "dim"))
        if self.errors:
            parts.append((f"  ·  {self.errors} problem{'s' * (self.errors != 1)} (3)",
                          "bold red"))
        elif self.warnings:
            parts.append((f"  ·  {self.warnings} warning{'s' * (self.warnings != 1)} (3)",
                          "yellow"))
        else:
            parts.append(("  ·  files ok", "green"))
        if self.note:
            parts.append((f"  ·  {self.note}", "dim"))
        return Text.assemble(*parts)
