"""Kept's git layer against real git in tmp_path: what a commit takes, and what it never does.

``Repo.commit`` must commit exactly the files an action wrote — never what the person
has changed or staged by hand, never a file with conflict markers — without running
any hook, and even on a machine where git does not know who the user is.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import git
from tui.errors import GitError
from tui.vcs.git import Repo, global_identity


def _repo_with(root: Path, files: dict[str, str]) -> Repo:
    """A git repository in ``root`` with ``files`` committed; Kept's view of it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    repo = Repo.open(root)
    assert repo is not None
    return repo


def _files_in_head(root: Path) -> list[str]:
    out = git(root, "show", "--name-only", "--format=", "HEAD")
    return sorted(line for line in out.splitlines() if line)


def _hook(folder: Path, name: str, canary: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    hook = folder / name
    hook.write_text(f"#!/bin/sh\ntouch '{canary}'\nexit 0\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_commit_takes_exactly_the_named_paths(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    repo = _repo_with(root, {"ours.yaml": "a: 1\n", "theirs.md": "draft\n",
                             "staged.md": "old\n"})
    (root / "ours.yaml").write_text("a: 2\n", encoding="utf-8")
    (root / "theirs.md").write_text("draft, edited by hand\n", encoding="utf-8")
    (root / "staged.md").write_text("new, staged by hand\n", encoding="utf-8")
    git(root, "add", "staged.md")
    (root / "clients").mkdir()
    (root / "clients" / "new.yaml").write_text("name: New\n", encoding="utf-8")

    commit = repo.commit([root / "ours.yaml", root / "clients" / "new.yaml"],
                         "done 7k3q9m: Send the December media plan (askona)")

    assert _files_in_head(root) == ["clients/new.yaml", "ours.yaml"]
    assert git(root, "log", "-1", "--format=%s") == (
        "done 7k3q9m: Send the December media plan (askona)\n")
    assert commit.sha == git(root, "rev-parse", "HEAD").strip()
    assert commit.fallback_identity is False
    assert git(root, "show", "HEAD:ours.yaml") == "a: 2\n"
    assert git(root, "show", "HEAD:clients/new.yaml") == "name: New\n"
    # What the person had changed or staged is exactly as they left it.
    assert git(root, "status", "--porcelain") == "M  staged.md\n M theirs.md\n"
    assert git(root, "diff", "--cached", "--name-only") == "staged.md\n"
    assert git(root, "show", ":staged.md") == "new, staged by hand\n"
    assert git(root, "show", "HEAD:staged.md") == "old\n"
    assert len(git(root, "rev-list", "HEAD").split()) == 2


def test_commit_of_tracked_files_changed_and_deleted(tmp_path: Path) -> None:
    """The common case (one git, no staging first) keeps the same promises."""
    root = tmp_path / "ws"
    repo = _repo_with(root, {"ours.yaml": "a: 1\n", "gone.md": "bye\n",
                             "staged.md": "old\n"})
    (root / "ours.yaml").write_text("a: 2\n", encoding="utf-8")
    (root / "gone.md").unlink()
    (root / "staged.md").write_text("new, staged by hand\n", encoding="utf-8")
    git(root, "add", "staged.md")

    commit = repo.commit([root / "ours.yaml", root / "gone.md"], "done: Аскона")

    assert _files_in_head(root) == ["gone.md", "ours.yaml"]
    assert git(root, "ls-tree", "--name-only", "HEAD") == "ours.yaml\nstaged.md\n"
    assert commit.sha == git(root, "rev-parse", "HEAD").strip()
    assert git(root, "log", "-1", "--format=%s") == "done: Аскона\n"
    assert git(root, "status", "--porcelain") == "M  staged.md\n"
    assert git(root, "show", "HEAD:staged.md") == "old\n"


def test_commit_refuses_a_file_with_conflict_markers(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    repo = _repo_with(root, {"promises.yaml": "- id: a1b2c3\n"})
    before = git(root, "rev-parse", "HEAD")
    (root / "promises.yaml").write_text(
        "<<<<<<< HEAD\n- id: a1b2c3\n=======\n- id: d4e5f6\n>>>>>>> theirs\n",
        encoding="utf-8",
    )

    with pytest.raises(GitError, match="conflict markers"):
        repo.commit([root / "promises.yaml"], "done a1b2c3")

    assert git(root, "rev-parse", "HEAD") == before
    assert git(root, "status", "--porcelain") == " M promises.yaml\n"


def test_hooks_never_run(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    repo = _repo_with(root, {"kept.yaml": "kept: 1\n"})
    canary = tmp_path / "hook-ran"
    _hook(root / ".git" / "hooks", "pre-commit", canary)
    _hook(root / ".git" / "hooks", "post-commit", canary)
    configured = tmp_path / "shared-hooks"
    _hook(configured, "pre-commit", canary)
    _hook(configured, "commit-msg", canary)
    git(root, "config", "core.hooksPath", str(configured))
    (root / "kept.yaml").write_text("kept: 1\nname: x\n", encoding="utf-8")

    repo.commit([root / "kept.yaml"], "settings")

    assert not canary.exists()
    assert _files_in_head(root) == ["kept.yaml"]
    # The hooks are real: plain git runs them.
    git(root, "commit", "-q", "--allow-empty", "-m", "by hand")
    assert canary.exists()


def _without_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user.name or user.email anywhere git would look."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def test_a_long_lived_repo_sees_the_identity_change(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The app keeps its Repo open for hours: git's config is asked again, not the
    entries read when it opened."""
    root = tmp_path / "ws"
    repo = _repo_with(root, {"kept.yaml": "kept: 1\n"})
    assert repo.user_email()
    monkeypatch.setattr("tui.vcs.git.ENTRIES_FRESH", 0.0)
    _without_identity(tmp_path, monkeypatch)

    assert repo.user_email() is None


def test_commit_without_a_git_identity_uses_kept(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    _repo_with(root, {"kept.yaml": "kept: 1\n"})
    _without_identity(tmp_path, monkeypatch)
    repo = Repo.open(root)
    assert repo is not None and repo.user_email() is None
    (root / "kept.yaml").write_text("kept: 1\nname: x\n", encoding="utf-8")

    commit = repo.commit([root / "kept.yaml"], "settings")

    assert commit.fallback_identity is True
    assert git(root, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == (
        "Kept <kept@localhost>|Kept <kept@localhost>\n")
    # Nothing was written into the repository's own configuration.
    assert "user" not in git(root, "config", "--local", "--list")


def test_open_outside_a_repository_is_none(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert Repo.open(plain) is None


def test_open_from_a_subfolder_finds_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _repo_with(root, {"clients/askona/client.yaml": "name: Аскона\n"})

    repo = Repo.open(root / "clients" / "askona")

    assert repo is not None
    assert repo.workdir == root.resolve()
    assert repo.head() == git(root, "rev-parse", "HEAD").strip()


def test_global_identity_reads_the_global_user() -> None:
    assert global_identity() == ("Анна Турбина", "anna@acme.example")


def test_global_identity_without_a_user(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    assert global_identity() == (None, None)
