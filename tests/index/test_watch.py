"""The inotify watch (tui.index.watch): every kind of change made before the question
is in the answer, and what it cannot say exactly comes back as "unknown"."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.index.watch import Watch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    for rel, text in {
        "kept.yaml": "name: Agency\n",
        "clients/askona/client.yaml": "name: Аскона\n",
        "clients/askona/promises.yaml": "[]\n",
        "clients/askona/notes/2026-11-20-kickoff.md": "---\ndate: 2026-11-20\n---\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


@pytest.fixture
def watch(ws: Path) -> Iterator[Watch]:
    w = Watch(ws)
    assert w.start()
    yield w
    w.close()


def test_nothing_changed_is_an_empty_answer(watch: Watch) -> None:
    assert watch.changes() == set()


def test_each_kind_of_file_change_names_the_file(ws: Path, watch: Watch) -> None:
    promises = ws / "clients/askona/promises.yaml"
    with promises.open("a", encoding="utf-8") as fh:  # in place, as `>>` does
        fh.write("# more\n")
    assert watch.changes() == {"clients/askona/promises.yaml"}

    tmp = ws / "clients/askona/.client.yaml.kept-tmp"  # as Kept's atomic write does
    tmp.write_text("name: Аскона 2\n", "utf-8")
    os.replace(tmp, ws / "clients/askona/client.yaml")
    assert watch.changes() == {"clients/askona/client.yaml"}

    (ws / "clients/askona/notes/2026-11-23-call.md").write_text("---\n", "utf-8")
    (ws / "clients/askona/notes/2026-11-20-kickoff.md").unlink()
    os.utime(ws / "kept.yaml", ns=(0, 0))  # touched: its mtime moved back
    assert watch.changes() == {"clients/askona/notes/2026-11-23-call.md",
                               "clients/askona/notes/2026-11-20-kickoff.md", "kept.yaml"}

    (ws / "clients/askona/promises.yaml").unlink()
    (ws / "clients/askona/promises.yaml").symlink_to("/etc/hostname")
    assert watch.changes() == {"clients/askona/promises.yaml"}
    assert watch.changes() == set()


@pytest.mark.parametrize("change", ["new client", "removed notes", "renamed client",
                                    "folder in notes"])
def test_a_change_of_folders_is_unknown(ws: Path, watch: Watch, change: str) -> None:
    if change == "new client":
        (ws / "clients/northwind").mkdir()
    elif change == "removed notes":
        for p in (ws / "clients/askona/notes").iterdir():
            p.unlink()
        (ws / "clients/askona/notes").rmdir()
    elif change == "renamed client":
        (ws / "clients/askona").rename(ws / "clients/askona-2")
    else:
        (ws / "clients/askona/notes/2025").mkdir()

    assert watch.changes() is None


def test_a_watch_not_started_knows_nothing(ws: Path) -> None:
    assert Watch(ws).changes() is None
