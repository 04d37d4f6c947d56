"""The layers point one way: the library never imports Textual or the faces."""

from __future__ import annotations

import subprocess
import sys

LIBRARY = ["tui.core", "tui.workspace", "tui.vcs", "tui.vcs.merge", "tui.vcs.sync",
           "tui.services.agenda", "tui.services.actions", "tui.services.setup",
           "tui.services.sync", "tui.services.clients", "tui.services.search",
           "tui.services.editor", "tui.services.chase", "tui.services.notetasks",
           "tui.services.stats", "tui.services.report", "tui.services.ics",
           "tui.services.importers", "tui.services.handover", "tui.cli"]


def test_library_and_cli_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        f"for name in {LIBRARY!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_core_does_no_io_imports() -> None:
    code = (
        "import sys\n"
        "import tui.core, tui.core.rules, tui.core.slugs\n"
        "bad = [m for m in ('ruamel', 'git', 'click', 'tui.workspace', 'tui.vcs', "
        "'tui.services') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
