"""Shared pieces for the fault, fuzz and attack tests: a small committed workspace,
the real ``kept`` as a separate process, and looks at what is on disk and in git.

The process runs this checkout's ``tui`` (``PYTHONPATH``) with the isolated HOME and
git identity of ``tests/conftest.py``, and ``KEPT_TODAY`` pinned.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

import tui
from tests.conftest import TODAY, WriteWorkspace, git
from tests.vcs.team import ASKONA_PROMISES, NORTHWIND_CLIENT, NORTHWIND_PROMISES
from tui.services.setup import template_dir
from tui.workspace.load import load_workspace

PROJECT = Path(tui.__file__).resolve().parent.parent

CLIENT = """\
# The key account. Call Ольга first.
name: Аскона
status: active
owner: anna
since: 2024-03-01
services: [seo, smm]
contacts:
  - name: Ольга Петрова
    role: Marketing director   # decides on budgets
    phone: "+7 900 000-00-00"
"""

# The same promises the team tests start from (comments, flow history, both directions).
PROMISES = ASKONA_PROMISES
NORTHWIND = NORTHWIND_CLIENT

FILES = {
    ".gitignore": (template_dir() / ".gitignore").read_text("utf-8"),
    "clients/askona/client.yaml": CLIENT,
    "clients/askona/promises.yaml": PROMISES,
    "clients/askona/notes/2026-11-20-kickoff.md": (
        "---\ndate: 2026-11-20\nkind: meeting\ntitle: Kickoff\n---\nWe met.\n"),
    "clients/northwind/client.yaml": NORTHWIND,
    "clients/northwind/promises.yaml": NORTHWIND_PROMISES,
}


@pytest.fixture
def ws(write_ws: WriteWorkspace) -> Path:
    """A small committed workspace: two clients, three promises, one note."""
    return write_ws(FILES)


def kept_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT)
    env["KEPT_TODAY"] = TODAY.isoformat()
    env.pop("KEPT_FAULT", None)
    env.update(extra)
    return env


def run_kept(root: Path, *args: str, env: Mapping[str, str] | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real ``kept`` in its own process: ``python -m tui -w ROOT args``."""
    return subprocess.run([sys.executable, "-m", "tui", "-w", str(root), *args],
                          env=dict(env) if env is not None else kept_env(),
                          capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)


def spawn_kept(root: Path, *args: str, env: Mapping[str, str] | None = None,
               ) -> subprocess.Popen[str]:
    """Start ``kept`` in a new process group (so a test can kill it and its git)."""
    return subprocess.Popen([sys.executable, "-m", "tui", "-w", str(root), *args],
                            env=dict(env) if env is not None else kept_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace except git's and Kept's own state."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".git", ".kept"} & set(p.relative_to(root).parts)
    }


def temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.kept-tmp"))


def check_clean(root: Path) -> None:
    """What ``kept check`` reads has no problem at all."""
    loaded = load_workspace(root)
    assert loaded.problems == (), "\n".join(str(p) for p in loaded.problems)


def promise_texts(root: Path, slug: str = "askona") -> list[tuple[str, str]]:
    """(id, text) of a client's promises as Kept reads them now."""
    loaded = load_workspace(root)
    return [(p.id, p.text) for p in loaded.workspace.promises if p.client == slug]


def commits(root: Path) -> list[tuple[str, list[str]]]:
    """(subject, files) of every commit, newest first."""
    out = git(root, "log", "--format=%x00%s", "--name-only")
    result = []
    for chunk in out.split("\x00")[1:]:
        lines = [line for line in chunk.splitlines() if line]
        result.append((lines[0], lines[1:]))
    return result


async def quiet(pilot: Pilot[None], timeout: float = 30) -> None:
    """Wait until the app has no work running (writes, reloads, git status) twice in a
    row — a newer reload cancelling an older one is fine here."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 2:
        busy = [w for w in app.workers if w.group != "watch"
                and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        calm = 0 if busy or getattr(app, "writing", 0) else calm + 1
        assert time.monotonic() < deadline, f"the app stayed busy: {busy}"
        await pilot.pause(0.05)


@pytest.fixture
def make_app() -> Any:
    """A KeptApp on a workspace, the day pinned, no user config (as tests/app does);
    the app is imported here, so a broken app fails only the tests that use it."""
    from tui.app import KeptApp

    def make(root: Path, watch: bool = False, **env: str) -> KeptApp:
        config_file = Path.home() / ".config" / "kept" / "config.toml"
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text("", encoding="utf-8")
        return KeptApp(root, {"KEPT_TODAY": TODAY.isoformat(), "KEPT_USER": "anna", **env},
                       watch=watch)

    return make


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 15) -> None:
    """Wait until ``condition()`` holds (the app caught up), then until it is quiet."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never caught up"
        await pilot.pause(0.05)
    await quiet(pilot, timeout)
