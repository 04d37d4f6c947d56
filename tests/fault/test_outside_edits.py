"""Outside edits while the app runs: an editor that saves in place and one that saves
by rename (vim's way), 100 rapid saves each, with the app's file watcher on.

The app ends up showing what is on disk; its own writes go on top of the outside
ones (never over them); and its own writes are not taken for outside edits.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.app.conftest import loaded
from tests.conftest import git
from tests.fault.conftest import commits, quiet, until
from tui.app import KeptApp

PROMISES_YAML = "clients/askona/promises.yaml"


def _edit(path: Path, pattern: str, replacement: str) -> bytes:
    text = path.read_text("utf-8")
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert n == 1, (pattern, text)
    return new.encode("utf-8")


def save_in_place(path: Path, data: bytes) -> None:
    """What most editors do: truncate the file and write the buffer into it."""
    with open(path, "r+b") as fh:
        fh.truncate(0)
        fh.write(data)


def save_by_rename(path: Path, data: bytes) -> None:
    """What vim does by default: write a new file beside it, rename it over."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _editor(path: Path, save: Callable[[Path, bytes], None], pattern: str,
            text: Callable[[int], str], saves: range) -> None:
    for i in saves:
        save(path, _edit(path, pattern, text(i)))
        time.sleep(0.003)


def _spy(app: KeptApp) -> tuple[list[str], list[bool]]:
    """Record the app's notifications and its reloads (True: for an outside edit)."""
    notes: list[str] = []
    reloads: list[bool] = []
    notify, reload = app.notify, app.reload_workspace

    def spy_notify(message: str, *args: Any, **kwargs: Any) -> None:
        notes.append(str(message))
        notify(message, *args, **kwargs)

    def spy_reload(outside: bool = False, *args: Any, **kwargs: Any) -> Any:
        reloads.append(outside)
        return reload(outside, *args, **kwargs)

    app.notify = spy_notify  # type: ignore[method-assign]
    app.reload_workspace = spy_reload  # type: ignore[method-assign]
    return notes, reloads


def _shown(app: KeptApp) -> dict[str, Any]:
    assert app.session is not None
    return {p.id: p for p in app.session.ws.promises}


def test_rapid_outside_saves_are_shown_and_never_overwritten(
        ws: Path, make_app: Any) -> None:
    path = ws / PROMISES_YAML

    async def scenario() -> None:
        app = make_app(ws, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            notes, reloads = _spy(app)
            await pilot.pause(0.3)  # the watcher is up

            # 100 saves in place, as fast as an editor's autosave can go.
            await asyncio.to_thread(_editor, path, save_in_place, r"^  text: Access to .*$",
                                    lambda i: f"  text: Access to Yandex Metrica, try {i}",
                                    range(1, 101))
            # (A save in place empties the file for a moment: the app may see it so.)
            await until(pilot, lambda: getattr(_shown(app).get("q4h8t2"), "text", None)
                        == "Access to Yandex Metrica, try 100")
            assert any(reloads) and "Files changed outside Kept: the view is up to date" in notes

            # The app's own write: not an outside edit.
            notes.clear()
            reloads.clear()
            app.promise_done("n1w2c3")
            await quiet(pilot)
            await pilot.pause(0.6)  # longer than the watcher's debounce
            await quiet(pilot)
            assert True not in reloads
            assert "Files changed outside Kept: the view is up to date" not in notes
            assert str(_shown(app)["n1w2c3"].status) == "done"

            # 100 saves by rename; halfway, the app moves a promise of that very file
            # while the watcher may still be catching up: the move goes on top.
            await asyncio.to_thread(_editor, path, save_by_rename, r"^  to: .*$",
                                    lambda i: f"  to: Ольга Петрова, save {i}", range(1, 51))
            app.start_move("k7m2p9")
            await pilot.pause()
            await pilot.press(*"2026-12-04", "tab", *"waiting for analytics access", "enter")
            await quiet(pilot)
            await asyncio.to_thread(_editor, path, save_by_rename, r"^  to: .*$",
                                    lambda i: f"  to: Ольга Петрова, save {i}",
                                    range(51, 101))
            await until(pilot, lambda: getattr(_shown(app).get("k7m2p9"), "to", None)
                        == "Ольга Петрова, save 100")
            shown = _shown(app)["k7m2p9"]
            assert (shown.to, str(shown.due)) == ("Ольга Петрова, save 100", "2026-12-04")

    asyncio.run(scenario())
    text = path.read_text("utf-8")
    assert "  to: Ольга Петрова, save 100\n" in text
    assert "  due: 2026-12-04\n" in text
    assert "  text: Access to Yandex Metrica, try 100\n" in text
    # The move's commit took the file as it was then: the 50 saves before it, and
    # its own change, nothing else; the saves after it are still to commit.
    moved = git(ws, "show", f"HEAD:{PROMISES_YAML}")
    assert "  to: Ольга Петрова, save 50\n" in moved and "  due: 2026-12-04\n" in moved
    assert [s.split(" ")[0] for s, _ in commits(ws)] == ["move", "done", "test"]
    assert git(ws, "status", "--porcelain") == f" M {PROMISES_YAML}\n"
