"""Which editor to open, and how to tell it the line."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path

# Editors that take "+LINE path"; VS Code and friends take "-g path:line".
_PLUS_LINE = {"vi", "vim", "nvim", "nano", "emacs", "emacsclient", "micro", "kak", "hx",
              "helix", "joe", "mcedit", "ne", "jed", "gedit", "kate"}
_GOTO = {"code", "codium", "code-insiders", "cursor", "subl", "zed"}


def editor_from_env(env: Mapping[str, str]) -> list[str] | None:
    """``$VISUAL``, else ``$EDITOR``, split like a shell would; None when unset."""
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return shlex.split(value)
    return None


def command(editor: list[str], path: Path, line: int | None = None) -> list[str]:
    """The argv that opens ``path`` at ``line`` in ``editor``."""
    name = os.path.basename(editor[0]).removesuffix(".exe")
    if line and name in _PLUS_LINE:
        return [*editor, f"+{line}", str(path)]
    if line and name in _GOTO:
        return [*editor, "-g", f"{path}:{line}"]
    return [*editor, str(path)]
