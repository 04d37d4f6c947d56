"""Shared fixtures: a pinned day, an isolated git identity, and workspaces in tmp_path.

Every test runs with its own HOME and global git config, so nothing on the machine
(or in CI) leaks in: the git user is Анна Турбина <anna@acme.example>, who is
``anna`` in the workspaces these fixtures write.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tui.cli import main
from tui.core.dates import Clock
from tui.services.context import Session

TODAY = date(2026, 11, 23)
CLOCK = Clock.on(TODAY)

KEPT_YAML = """\
kept: 1
name: Acme Digital accounts
timezone: Europe/Moscow
team:
  - handle: anna
    name: Анна Турбина
    email: anna@acme.example
  - handle: ivan
    name: Иван Петров
    email: ivan@acme.example
touch: weekly
reply_within: 15min
follow_up: [1d, 3d, 1w, 2w, 1mo, 3mo]
"""


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Анна Турбина\n\temail = anna@acme.example\n"
        "[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("KEPT_TODAY", TODAY.isoformat())
    for name in ("KEPT_WORKSPACE", "KEPT_USER", "VISUAL", "EDITOR", "GIT_AUTHOR_NAME",
                 "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR",
                 "GIT_WORK_TREE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "KEPT_CONFIG",
                 "KEPT_CACHE_DIR", "KEPT_SERVER", "KEPT_SERVER_DIR"):
        monkeypatch.delenv(name, raising=False)


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` and return its stdout (the test's view, not Kept's)."""
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


WriteWorkspace = Callable[..., Path]


@pytest.fixture
def write_ws(tmp_path: Path) -> WriteWorkspace:
    """Write a workspace from ``{relative path: text}``; commit it unless git=False."""

    def make(files: Mapping[str, str | bytes], *, git_repo: bool = True,
             kept_yaml: str = KEPT_YAML, name: str = "ws") -> Path:
        root = tmp_path / name
        root.mkdir()
        everything: dict[str, str | bytes] = {"kept.yaml": kept_yaml, **files}
        for relative, content in everything.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))
        if git_repo:
            git(root, "init", "-q")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "test workspace")
        return root

    return make


@pytest.fixture
def session_at() -> Callable[[Path], Session]:
    def make(root: Path, **env: str) -> Session:
        return Session.at(root, {"KEPT_TODAY": TODAY.isoformat(), **env})

    return make


RunKept = Callable[..., Result]


@pytest.fixture
def kept() -> RunKept:
    """Run the ``kept`` command line in-process: ``kept("-w", root, "agenda")``."""
    runner = CliRunner()

    def run(*args: str | os.PathLike[str], input: str | None = None,
            env: Mapping[str, str] | None = None) -> Result:
        return runner.invoke(main, [str(a) for a in args], input=input,
                             env=dict(env or {}), catch_exceptions=False)

    return run
