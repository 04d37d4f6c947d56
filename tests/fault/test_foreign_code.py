"""No foreign code: a workspace received as a copy (a zip, a shared folder) carries its
``.git`` — and a ``.git/config`` and hooks that name commands: an fsmonitor, a hooks
folder, an ssh command, clean/smudge filters, diff and merge drivers, a credential
helper, an askpass, an upload-pack, an ``ext::`` remote; its YAML may hold a
``!!python/object/apply`` tag. Every such command here touches a canary file; the
canary proves nothing ran while Kept read, checked, committed and synced the copy.
User strings (a client named ``--upload-pack=...``) never reach git as options.
"""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from pathlib import Path

import git as gitpython
import pytest

from tests.conftest import TODAY, RunKept, git
from tests.fault.conftest import commits, run_kept
from tui.errors import GitError
from tui.services import actions
from tui.services import sync as sync_service
from tui.services.context import Session
from tui.vcs.git import SAFE_OPTIONS, TEXT_MERGE, Repo, neutralise

HOOKS = ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "pre-push",
         "post-checkout", "post-merge", "pre-merge-commit", "reference-transaction",
         "post-index-change", "pre-auto-gc", "fsmonitor-watchman", "post-rewrite"]


#: How the test itself runs git in the poisoned copy without setting anything off.
SAFE_GIT = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
            "-c", "filter.evil.clean=cat", "-c", "filter.evil.smudge=cat",
            "-c", "filter.evil.process=", "-c", "filter.evil.required=false"]


def _touch(canary: Path, name: str) -> str:
    return f"touch '{canary / name}'"


def _remote(ws: Path) -> Path:
    remote = ws.parent / "remote.git"
    git(ws.parent, "clone", "-q", "--bare", str(ws), str(remote))
    git(ws, "remote", "add", "origin", str(remote))
    git(ws, "fetch", "-q", "origin")
    git(ws, "branch", "-q", "--set-upstream-to", "origin/main")
    return remote


def _poison(ws: Path, canary: Path) -> None:
    """Everything a received .git can carry that makes git run a command."""
    canary.mkdir()
    hooks = ws.parent / "evil-hooks"
    hooks.mkdir()
    for folder in (hooks, ws / ".git" / "hooks"):
        for hook in HOOKS:
            script = folder / hook
            script.write_text(f"#!/bin/sh\n{_touch(canary, 'hook-' + hook)}\n", encoding="utf-8")
            script.chmod(script.stat().st_mode | stat.S_IXUSR)
    include = ws.parent / "included.cfg"
    include.write_text(f'[core]\n\tpager = {_touch(canary, "pager")}\n'
                       f'[credential "https://example.com"]\n\thelper = '
                       f'"!{_touch(canary, "credential-url")}"\n', encoding="utf-8")
    settings = {
        "core.fsmonitor": _touch(canary, "fsmonitor"),
        "core.hooksPath": str(hooks),
        "core.sshCommand": _touch(canary, "ssh"),
        "core.askPass": _touch(canary, "askpass"),
        "core.editor": _touch(canary, "editor"),
        "sequence.editor": _touch(canary, "sequence-editor"),
        "core.alternateRefsCommand": _touch(canary, "alternate-refs"),
        "credential.helper": f"!{_touch(canary, 'credential')}",
        "filter.evil.clean": f"{_touch(canary, 'filter-clean')}; cat",
        "filter.evil.smudge": f"{_touch(canary, 'filter-smudge')}; cat",
        "filter.evil.process": _touch(canary, "filter-process"),
        "filter.evil.required": "true",
        "diff.external": _touch(canary, "diff-external"),
        "diff.evil.textconv": f"{_touch(canary, 'textconv')}; cat",
        "diff.evil.command": _touch(canary, "diff-command"),
        "merge.evil.driver": _touch(canary, "merge-driver"),
        "gpg.program": _touch(canary, "gpg"),
        "gpg.ssh.program": _touch(canary, "gpg-ssh"),
        "remote.origin.uploadpack": f"{_touch(canary, 'upload-pack')}; git-upload-pack",
        "remote.origin.receivepack": f"{_touch(canary, 'receive-pack')}; git-receive-pack",
        "protocol.ext.allow": "always",
        "include.path": str(include),
    }
    for key, value in settings.items():
        git(ws, "config", key, value)
    (ws / ".gitattributes").write_text("* filter=evil diff=evil\n*.md merge=evil\n",
                                       encoding="utf-8")
    git(ws, *SAFE_GIT, "add", ".gitattributes")
    git(ws, *SAFE_GIT, "commit", "-q", "-m", "attributes")
    assert sorted(p.name for p in canary.iterdir()) == []


@pytest.fixture
def evil(ws: Path) -> tuple[Path, Path, Path]:
    """A workspace with a remote, then poisoned; (workspace, remote, canary folder)."""
    remote = _remote(ws)
    canary = ws.parent / "canary"
    _poison(ws, canary)
    git(ws, *SAFE_GIT, "push", "-q", "--receive-pack=git-receive-pack", "origin", "main")
    return ws, remote, canary


def _ran(canary: Path) -> list[str]:
    return sorted(p.name for p in canary.iterdir())


def test_the_poison_is_real(evil: tuple[Path, Path, Path]) -> None:
    """Plain git in the copy does run it: the canary works."""
    ws, _, canary = evil
    (ws / "clients/askona/client.yaml").write_text("name: Аскона\n", encoding="utf-8")
    subprocess.run(["git", "status", "--porcelain"], cwd=ws, capture_output=True, check=False)
    subprocess.run(["git", "add", "clients/askona/client.yaml"], cwd=ws,  # cleans it
                   capture_output=True, check=False)
    subprocess.run(["git", "push", "--dry-run", "origin", "main"], cwd=ws,
                   capture_output=True, check=False)
    assert {"fsmonitor", "filter-process", "receive-pack"} <= set(_ran(canary))


def test_reading_checking_committing_and_syncing_run_nothing(
        evil: tuple[Path, Path, Path], kept: RunKept) -> None:
    ws, remote, canary = evil
    (ws / "clients/askona/promises.yaml").write_text(
        (ws / "clients/askona/promises.yaml").read_text("utf-8")
        + "- id: b0mb00\n  text: !!python/object/apply:os.system [\"touch "
        + str(canary / "yaml") + "\"]\n  due: 2026-11-30\n", encoding="utf-8")
    git(ws, *SAFE_GIT, "commit", "-q", "-am", "x")

    checked = kept("-w", ws, "check")
    assert checked.exit_code == 1
    assert ("clients/askona/promises.yaml:17:9: error: the tag "
            "!!python/object/apply:os.system is not allowed: Kept reads plain values only"
            ) in checked.stdout
    session = Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()})
    repo = session.repo
    assert repo is not None
    repo.status()
    repo.history(ws / "clients/askona")
    added = actions.add_promise(session, "northwind", "Send the plan", "2026-11-30")
    assert added.commit is not None
    (ws / "clients/askona/notes/2026-11-20-kickoff.md").write_text(
        "---\ndate: 2026-11-20\nkind: meeting\ntitle: Kickoff\n---\nWe met twice.\n",
        encoding="utf-8")
    report = sync_service.sync(Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}))
    assert report.committed is not None and len(report.sent) == 3
    assert git(remote, "rev-parse", "main") == git(ws, "rev-parse", "HEAD")
    # What went in is the file as it is: no filter touched it on the way.
    assert git(ws, "show", "HEAD:clients/askona/notes/2026-11-20-kickoff.md").endswith(
        "We met twice.\n")

    assert _ran(canary) == []


def test_a_merge_with_the_copys_own_merge_driver_runs_git_s_line_merge(
        evil: tuple[Path, Path, Path]) -> None:
    """The copy names a merge driver for notes; a sync that merges a note changed on
    both sides uses git's own line merge instead (and keeps both versions)."""
    ws, remote, canary = evil
    other = ws.parent / "other"
    git(ws.parent, "clone", "-q", str(remote), str(other))
    note = "clients/askona/notes/2026-11-20-kickoff.md"
    (other / note).write_text("---\ndate: 2026-11-20\nkind: meeting\ntitle: Kickoff\n---\n"
                              "Theirs.\n", encoding="utf-8")
    git(other, "commit", "-q", "-am", "their note")
    git(other, "push", "-q", "origin", "main")
    (ws / note).write_text("---\ndate: 2026-11-20\nkind: meeting\ntitle: Kickoff\n---\n"
                           "Ours.\n", encoding="utf-8")

    report = sync_service.sync(Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}))

    assert [str(c) for c in report.copies] == [
        f"{note}: kept yours; theirs is in {c.copy}" for c in report.copies]
    assert len(report.copies) == 1
    assert (ws / note).read_text("utf-8").endswith("Ours.\n")
    assert _ran(canary) == []


def test_an_ext_remote_is_refused_and_runs_nothing(evil: tuple[Path, Path, Path]) -> None:
    ws, _, canary = evil
    git(ws, "remote", "set-url", "origin", f"ext::sh -c {_touch(canary, 'ext')}")
    with pytest.raises(GitError) as caught:
        sync_service.sync(Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}))
    assert "could not fetch from origin" in str(caught.value)
    assert _ran(canary) == []


def test_a_remote_name_that_looks_like_an_option_is_not_one(
        evil: tuple[Path, Path, Path]) -> None:
    ws, _, canary = evil
    evil_name = f"--upload-pack={_touch(canary, 'remote-name')}"
    git(ws, "config", "branch.main.remote", evil_name)
    git(ws, "config", "branch.main.merge", "refs/heads/main")
    with pytest.raises(GitError):
        sync_service.sync(Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}))
    assert _ran(canary) == []


def test_user_strings_never_reach_git_as_options(evil: tuple[Path, Path, Path]) -> None:
    ws, remote, canary = evil
    session = Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()})
    name = f"--upload-pack={_touch(canary, 'client-name')}"
    slug = actions.add_client(session, name).value
    text = f"-c core.fsmonitor={_touch(canary, 'promise-text')}"
    actions.add_promise(session, slug, text, "2026-11-30")
    actions.touch(session, slug, f"--exec={_touch(canary, 'touch-text')}")
    sync_service.sync(Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}))

    subjects = [s for s, _ in commits(ws)[:3]]
    assert subjects[2] == f"add client {slug}: {name}"
    assert re.fullmatch(r"add promise [a-z0-9]{6}: -c core\.fsmonitor=touch '.*… \(.*\)",
                        subjects[1])
    assert subjects[0].startswith(f"touch {slug}: call — --exec=")
    assert git(remote, "rev-parse", "main") == git(ws, "rev-parse", "HEAD")
    assert _ran(canary) == []


def test_a_config_key_that_cannot_be_neutralised_stops_git_not_reading(
        ws: Path, kept: RunKept) -> None:
    """A filter whose name holds '=' cannot be overridden with -c: Kept runs no git
    there at all, says why, and still reads and checks the files."""
    canary = ws.parent / "canary"
    canary.mkdir()
    (ws / ".git" / "config").write_text(
        (ws / ".git" / "config").read_text("utf-8")
        + f'[filter "a=b"]\n\tclean = {_touch(canary, "filter")}; cat\n'
        f'\tprocess = {_touch(canary, "process")}\n', encoding="utf-8")
    (ws / ".gitattributes").write_text("* filter=a=b\n", encoding="utf-8")
    before = (ws / "clients/askona/promises.yaml").read_bytes()

    checked = kept("-w", ws, "check")
    added = run_kept(ws, "add", "promise", "askona", "Send the plan", "--due", "fri")
    synced = run_kept(ws, "sync")

    assert checked.exit_code == 0, checked.output
    assert added.returncode == 2
    assert added.stderr == (
        "kept: error: this repository's .git/config (or a file it includes) sets "
        "filter.a=b.clean, which can make git run a command and which Kept cannot switch "
        "off; "
"Kept runs no git here. Remove it (git config --local --list shows it), then "
        "try again\n")
    assert synced.returncode == 2 and "filter.a=b" in synced.stderr
    assert (ws / "clients/askona/promises.yaml").read_bytes() == before
    assert _ran(canary) == []


def test_the_overrides_put_back_the_person_s_own_settings(ws: Path) -> None:
    """Global settings are the person's own and stay; only the copy's are replaced."""
    guard = neutralise([
        ("global", "core.sshcommand", "ssh -i ~/.ssh/work"),
        ("global", "credential.helper", "osxkeychain"),
        ("global", "credential.https://git.example.com.helper", "store"),
        ("global", "gpg.program", "/usr/local/bin/gpg2"),
        ("local", "core.sshcommand", "touch x"),
        ("local", "credential.helper", "!touch x"),
        ("local", "gpg.program", "touch x"),
        ("local", "gpg.x509.program", "touch x"),
        ("local", "merge.evil.driver", "touch x"),
        ("local", "merge.kept.driver", "touch x"),
        ("local", "filter.lfs.clean", "touch x"),
        ("local", "core.gitproxy", "touch x"),
        ("local", "user.name", "Mallory"),
    ], env={})
    assert guard.refusal is None
    assert guard.options == (
        "core.sshcommand=ssh -i ~/.ssh/work", "gpg.program=/usr/local/bin/gpg2",
        "gpg.x509.program=gpgsm", f"merge.evil.driver={TEXT_MERGE}",
        "protocol.git.allow=never", "filter.lfs.clean=cat", "filter.lfs.smudge=cat",
        "filter.lfs.process=", "filter.lfs.required=false", "credential.helper=",
        "credential.helper=osxkeychain",
        "credential.https://git.example.com.helper=store")
    # merge.kept.driver is Kept's own: every merge Kept runs passes it on the command line.
    repo = Repo.open(ws)
    assert repo is not None and repo.guard.options == ()
    assert {"core.hooksPath=/dev/null", "core.fsmonitor=false",
            "protocol.ext.allow=never"} <= set(SAFE_OPTIONS)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def test_gitpython_is_at_a_version_with_the_advisories_fixed() -> None:
    """pyproject's floor is past every known GitPython advisory (3.1.61, 2026), and the
    installed one is at least that."""
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8")
    floor = re.search(r'"gitpython>=([0-9.]+)"', pyproject, re.IGNORECASE)
    assert floor is not None
    assert _version(floor[1]) >= (3, 1, 61)
    assert _version(gitpython.__version__) >= _version(floor[1])


def test_a_clone_runs_nothing_from_an_ext_url(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    canary.mkdir()
    with pytest.raises(GitError):
        sync_service.clone_workspace(f"ext::sh -c {_touch(canary, 'clone')}",
                                     tmp_path / "new")
    assert _ran(canary) == []
    shutil.rmtree(tmp_path / "new", ignore_errors=True)
