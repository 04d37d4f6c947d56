"""I/O faults: a full disk or an I/O error while writing, syncing, renaming or
committing. The person gets a clear error naming the file; the file, the index and
the history are as they were; the next try works; in the app, the form comes back
with what was typed.

A real fault where one can be made without privileges (a file size limit: the kernel
refuses the write with EFBIG; a commit signer that fails), the fault points of
:mod:`tui.faults` where not (ENOSPC and EIO at an exact step).
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, git
from tests.fault.conftest import commits, kept_env, promise_texts, temp_files
from tui import faults
from tui.errors import GitError, WriteError
from tui.services import actions
from tui.services.actions import EditYaml
from tui.services.context import Session
from tui.workspace.edit import Append, SetKey, Where

PROMISES_YAML = "clients/askona/promises.yaml"


def _session(root: Path) -> Session:
    return Session.at(root, {"KEPT_TODAY": TODAY.isoformat()})


def _untouched(root: Path, before: bytes, head: str) -> None:
    assert (root / PROMISES_YAML).read_bytes() == before
    assert temp_files(root) == []
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""  # nothing left staged either


@pytest.mark.parametrize(("step", "errno_name", "reason"), [
    ("write.tmp", "ENOSPC", "No space left on device"),
    ("write.data", "ENOSPC", "No space left on device"),
    ("write.fsync", "EIO", "Input/output error"),
    ("write.rename", "EIO", "Input/output error"),
])
def test_a_write_fault_names_the_file_and_leaves_it_as_it_was(
        ws: Path, step: str, errno_name: str, reason: str) -> None:
    before = (ws / PROMISES_YAML).read_bytes()
    head = git(ws, "rev-parse", "HEAD")
    session = _session(ws)

    with faults.inject(f"{step}={errno_name}"), pytest.raises(WriteError) as caught:
        actions.add_promise(session, "askona", "Send the media plan", "2026-11-30")

    assert str(caught.value) == (f"could not write {ws / PROMISES_YAML}: {reason}; "
                                 "the file was left as it was")
    _untouched(ws, before, head)
    # The next try, with the disk healthy again, goes through.
    actions.add_promise(_session(ws), "askona", "Send the media plan", "2026-11-30")
    assert [t for _, t in promise_texts(ws)][-1] == "Send the media plan"
    assert git(ws, "status", "--porcelain") == ""


def test_a_commit_fault_puts_the_file_and_the_index_back(ws: Path) -> None:
    before = (ws / PROMISES_YAML).read_bytes()
    head = git(ws, "rev-parse", "HEAD")

    with faults.inject("commit.commit=EIO"), pytest.raises(GitError) as caught:
        actions.add_promise(_session(ws), "askona", "Send the media plan", "2026-11-30")

    assert str(caught.value) == ("git could not commit clients/askona/promises.yaml: "
                                 "Input/output error; nothing was committed")
    _untouched(ws, before, head)  # git add had run: the index is as it was too


def test_a_commit_git_itself_refuses_changes_nothing(ws: Path) -> None:
    """A real failure: commits must be signed, and the signer fails (a locked key)."""
    git(ws, "config", "--global", "commit.gpgSign", "true")
    git(ws, "config", "--global", "gpg.program", "false")
    before = (ws / PROMISES_YAML).read_bytes()
    head = git(ws, "rev-parse", "HEAD")

    with pytest.raises(GitError) as caught:
        actions.add_promise(_session(ws), "askona", "Send the media plan", "2026-11-30")

    assert str(caught.value).startswith("git could not commit clients/askona/promises.yaml: ")
    assert "gpg failed to sign the data" in str(caught.value)
    _untouched(ws, before, head)


def test_a_second_file_failing_puts_the_first_back(ws: Path) -> None:
    """One action, two files; the disk fills up on the second: neither changes."""
    session = _session(ws)
    first = ws / "clients/northwind/promises.yaml"
    second = ws / PROMISES_YAML
    before = {first: first.read_bytes(), second: second.read_bytes()}
    head = git(ws, "rev-parse", "HEAD")
    writes = [
        EditYaml(first, [SetKey((Where("id", "n1w2c3"),), "due", "2026-12-05",
                                expect="2026-11-30")]),
        EditYaml(second, [Append((), None, {"id": "z9z9z9", "text": "x", "due": "2026-12-01"})]),
    ]

    with faults.inject("write.data#2=ENOSPC"), pytest.raises(WriteError) as caught:
        actions.apply_writes(session, writes, "two files")

    assert str(caught.value).startswith(f"could not write {second}: No space left")
    assert {p: p.read_bytes() for p in before} == before
    assert temp_files(ws) == []
    assert git(ws, "rev-parse", "HEAD") == head


def _fsize_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_real_write_refused_by_the_kernel(ws: Path) -> None:
    """RLIMIT_FSIZE: the kernel refuses to grow a file past the limit (EFBIG), as a
    quota or a full disk would; the real ``kept`` process reports it and exits 2."""
    before = (ws / PROMISES_YAML).read_bytes()
    head = git(ws, "rev-parse", "HEAD")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "-w", str(ws), "add", "promise", "askona",
         "Send the media plan", "--due", "2026-11-30"],
        env=kept_env(), capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: _fsize_limit(len(before) + 16))

    assert result.returncode == 2
    assert result.stderr == (f"kept: error: could not write {ws / PROMISES_YAML}: File too "
                             "large; the file was left as it was\n")
    _untouched(ws, before, head)


def test_in_the_app_a_failed_edit_comes_back_to_retry(ws: Path, make_app: Any) -> None:
    """The disk is full when the move is saved: the form comes back with the date and
    the reason as typed and the error; Enter again, with room on the disk, saves it."""

    from tests.app.conftest import loaded, settle
    from tui.app.dialogs.promise import MoveDialog

    async def scenario() -> None:
        app = make_app(ws)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            app.start_move("k7m2p9")
            await pilot.pause()
            await pilot.press(*"2026-12-04", "tab", *"waiting for analytics access")
            with faults.inject("write.fsync=ENOSPC"):
                await pilot.press("enter")
                await settle(pilot)
            assert isinstance(app.screen, MoveDialog)
            assert app.screen.query_one("#when").value == "2026-12-04"  # type: ignore[attr-defined]
            assert app.screen.query_one("#why").value == "waiting for analytics access"  # type: ignore[attr-defined]
            error = str(app.screen.query_one("#error").render())
            assert error.startswith(f"could not write {ws / PROMISES_YAML}: No space left")
            assert "due: 2026-11-25\n" in (ws / PROMISES_YAML).read_text("utf-8")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, MoveDialog)
            text = (ws / PROMISES_YAML).read_text("utf-8")
            assert "  due: 2026-12-04\n" in text
            assert "why: waiting for analytics access}" in text
            assert commits(ws)[0][0].startswith("move k7m2p9 to 2026-12-04")

    asyncio.run(scenario())


def test_in_the_app_a_failed_add_keeps_the_client_and_text(ws: Path, make_app: Any) -> None:
    from tests.app.conftest import loaded, settle
    from tui.app.dialogs.promise import AddPromiseDialog

    async def scenario() -> None:
        app = make_app(ws)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            app.start_add_promise("askona")
            await pilot.pause()
            await pilot.press(*"Send the media plan", "tab", *"2026-11-30")
            with faults.inject("commit.commit=EIO"):
                await pilot.press("ctrl+s")
                await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, AddPromiseDialog)
            assert dialog.snapshot() == {"client-input": "Аскона", "text": "Send the media plan",
                                         "when": "2026-11-30", "by": "us", "kind": "task",
                                         "client": "askona"}
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert [t for _, t in promise_texts(ws)][-1] == "Send the media plan"
            assert git(ws, "status", "--porcelain") == ""

    asyncio.run(scenario())
