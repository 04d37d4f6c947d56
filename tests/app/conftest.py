"""Fixtures for the app: the committed sample workspace, copied and committed in
tmp_path, and a KeptApp on it with the day pinned and no user config."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import TODAY, git
from tui.app import KeptApp

SAMPLE = Path(__file__).parent.parent / "data" / "sample"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "agency"
    shutil.copytree(SAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample workspace")
    return root


MakeApp = Callable[..., KeptApp]


@pytest.fixture
def make_app(tmp_path: Path) -> MakeApp:
    def make(root: Path, watch: bool = False, config: str = "", **env: str) -> KeptApp:
        # The user config where it normally lives, under the test's own HOME.
        config_file = Path.home() / ".config" / "kept" / "config.toml"
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(config, encoding="utf-8")
        full_env = {"KEPT_TODAY": TODAY.isoformat(), "KEPT_USER": "anna", **env}
        return KeptApp(root, full_env, watch=watch)

    return make


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until the workspace is on screen (and git status has come in)."""
    app = pilot.app
    assert isinstance(app, KeptApp)
    for _ in range(200):
        if app.generation and app.git_known:
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Wait for every worker (a write, a reload, git status) to finish."""
    app = pilot.app
    for _ in range(5):
        busy = [w for w in app.workers if w.group != "watch"]
        await app.workers.wait_for_complete(busy)
        await pilot.pause()
