"""Crash safety: ``kill -9`` the real ``kept`` at every step of a write and a commit.

Each named step is a fault point (:mod:`tui.faults`): with ``KEPT_FAULT=<step>=kill``
the process sends itself SIGKILL there — no ``finally``, no cleanup, as with a power
cut or the OOM killer. A second test kills the process group (``kept`` and the git
it runs) at random moments. Afterwards every file is entirely old or entirely new,
the next ``kept`` command succeeds (a lock left by a killed git is cleared, one held
by a running git is waited for), no temp file is left, and ``kept check`` is clean.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import git
from tests.fault.conftest import (
    PROMISES,
    check_clean,
    commits,
    files,
    kept_env,
    promise_texts,
    run_kept,
    spawn_kept,
    temp_files,
)
from tui.errors import GitError, WriteError
from tui.services import actions
from tui.services.context import Session
from tui.vcs import git as git_mod
from tui.workspace import edit as edit_mod

PROMISES_YAML = "clients/askona/promises.yaml"
ADD = ("add", "promise", "askona", "Send the media plan", "--due", "2026-11-30")
RETRY = ("add", "promise", "askona", "Call Olga about the plan", "--due", "2026-12-01")

# step -> (the promise file is new after the crash, a temp file is left behind)
STEPS = {
    "write.tmp": (False, True),
    "write.partial": (False, True),
    "write.data": (False, True),
    "write.fsync": (False, True),
    "write.rename": (False, True),
    "write.renamed": (True, False),
    "commit.add": (True, False),
    "commit.commit": (True, False),
    "commit.done": (True, False),
}


def _is_old_or_new(root: Path, old: bytes) -> bool:
    """promises.yaml is the old file, or the old file with one whole promise appended
    (an append keeps every old byte). Returns whether it is the new one."""
    now = (root / PROMISES_YAML).read_bytes()
    if now == old:
        return False
    assert now.startswith(old), "the old content changed: a torn or rewritten file"
    texts = [t for _, t in promise_texts(root)]
    assert texts == ["Send the December media plan", "Access to Yandex Metrica",
                     "Send the media plan"]
    return True


@pytest.mark.parametrize("step", list(STEPS))
def test_kill_at_each_step_leaves_whole_files_and_the_next_command_works(
        ws: Path, step: str) -> None:
    before = files(ws)
    head = git(ws, "rev-parse", "HEAD")
    new_expected, temp_expected = STEPS[step]

    crashed = run_kept(ws, *ADD, env=kept_env(KEPT_FAULT=f"{step}=kill"))

    assert crashed.returncode == -signal.SIGKILL, crashed.stderr  # it died at that step
    assert _is_old_or_new(ws, before[PROMISES_YAML]) is new_expected
    after = files(ws)
    leftovers = [p for p in after if p.endswith(".kept-tmp")]
    assert len(leftovers) == (1 if temp_expected else 0)
    assert {p: b for p, b in after.items() if p != PROMISES_YAML and p not in leftovers} == {
        p: b for p, b in before.items() if p != PROMISES_YAML}
    committed = git(ws, "rev-parse", "HEAD") != head
    assert committed is (step == "commit.done")

    again = run_kept(ws, *RETRY)

    assert again.returncode == 0, again.stderr
    assert temp_files(ws) == []
    check_clean(ws)
    texts = [t for _, t in promise_texts(ws)]
    assert texts == ["Send the December media plan", "Access to Yandex Metrica",
                     *(["Send the media plan"] if new_expected else []),
                     "Call Olga about the plan"]
    assert git(ws, "status", "--porcelain") == ""
    assert not list((ws / ".git").glob("*.lock"))
    history = commits(ws)
    assert [files_ for _, files_ in history[:-1]] == [[PROMISES_YAML]] * (len(history) - 1)
    assert history[0][0].startswith("add promise ") and "Call Olga" in history[0][0]
    assert len(history) == (3 if step == "commit.done" else 2)


def test_a_torn_temp_file_never_reaches_the_file_or_git(ws: Path) -> None:
    """Killed with half the bytes written: the half lives only in the temp file."""
    old = (ws / PROMISES_YAML).read_bytes()
    crashed = run_kept(ws, *ADD, env=kept_env(KEPT_FAULT="write.partial=kill"))
    assert crashed.returncode == -signal.SIGKILL
    [torn] = temp_files(ws)
    half = (ws / torn).read_bytes()
    assert 0 < len(half) < len(old) + 100 and half == old[: len(half)]
    assert (ws / PROMISES_YAML).read_bytes() == old
    assert git(ws, "status", "--porcelain") == ""  # .kept-tmp files are never committed


def _locked(root: Path, proc: subprocess.Popen[str]) -> float:
    """Wait until ``proc`` holds the workspace lock (it writes its pid into the lock
    file: from here on it writes and commits); the time that took."""
    lock = root / ".kept" / "lock"
    start = time.monotonic()
    while proc.poll() is None:
        with contextlib.suppress(OSError):
            if lock.read_text().strip() == str(proc.pid):
                break
        time.sleep(0.001)
    return time.monotonic() - start


def test_kill_at_random_moments_of_kept_and_its_git(ws: Path) -> None:
    """A bounded, seeded loop: SIGKILL to the whole process group (kept and the git
    it runs) at a random moment after it took the workspace lock — while it writes
    and commits."""
    rng = random.Random(7)
    warm = spawn_kept(ws, "add", "promise", "askona", "Warm-up", "--due", "2026-12-01")
    _locked(ws, warm)
    start = time.monotonic()
    assert warm.wait(timeout=30) == 0, warm.communicate()[1]
    window = time.monotonic() - start
    added = killed = 0
    for attempt in range(12):
        old = (ws / PROMISES_YAML).read_bytes()
        count = len(promise_texts(ws))
        proc = spawn_kept(ws, "add", "promise", "askona", f"Random {attempt}",
                          "--due", "2026-12-02")
        _locked(ws, proc)
        try:
            proc.wait(timeout=rng.uniform(0, window))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.communicate(timeout=30)
        now = (ws / PROMISES_YAML).read_bytes()
        assert now == old or now.startswith(old)  # whole old, or old + a whole promise
        texts = [t for _, t in promise_texts(ws)]
        assert len(texts) in (count, count + 1)
        added += len(texts) - count
        check_clean(ws)  # never a torn or half-written YAML file
    assert killed >= 1  # the loop did kill mid-way, not only after the end

    final = run_kept(ws, *RETRY)

    assert final.returncode == 0, final.stderr
    assert temp_files(ws) == []
    check_clean(ws)
    assert git(ws, "status", "--porcelain") == ""
    assert not list((ws / ".git").glob("*.lock"))
    git(ws, "fsck", "--no-dangling")
    assert len(promise_texts(ws)) == 4 + added  # 2 + warm-up + retry + what got in
    for sha in git(ws, "rev-list", "HEAD").split():  # every commit's file reads whole
        text = git(ws, "show", f"{sha}:{PROMISES_YAML}")
        assert text.startswith(PROMISES)


def _hold_index_lock(root: Path, seconds: float) -> subprocess.Popen[str]:
    """A real git holding index.lock: ``git commit -- file`` waiting on its editor."""
    path = root / "clients/northwind/client.yaml"
    path.write_text(path.read_text("utf-8") + "channel: email\n", encoding="utf-8")
    proc = subprocess.Popen(
        ["git", "-c", f"core.editor=sleep {seconds}; true", "commit", "--",
         "clients/northwind/client.yaml"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "LC_ALL": "C", "LANGUAGE": "C"})
    lock = root / ".git" / "index.lock"
    for _ in range(200):
        if lock.exists():
            return proc
        time.sleep(0.02)
    raise AssertionError("git never took index.lock")


def test_a_stale_index_lock_from_a_killed_git_is_cleared(ws: Path) -> None:
    holder = _hold_index_lock(ws, 60)
    os.killpg(holder.pid, signal.SIGKILL)
    holder.communicate(timeout=10)
    assert (ws / ".git" / "index.lock").exists()  # stale: its git is gone

    result = run_kept(ws, *ADD)

    assert result.returncode == 0, result.stderr
    assert not (ws / ".git" / "index.lock").exists()
    assert commits(ws)[0] == (commits(ws)[0][0], [PROMISES_YAML])
    assert git(ws, "status", "--porcelain") == " M clients/northwind/client.yaml\n"


def test_a_lock_held_by_a_running_git_is_waited_for(ws: Path) -> None:
    holder = _hold_index_lock(ws, 2)

    result = run_kept(ws, *ADD)

    assert holder.wait(timeout=30) == 1
    _, err = holder.communicate()
    # The running git finished undisturbed: its lock was not taken from under it.
    assert "Aborting commit due to empty commit message" in err
    assert result.returncode == 0, result.stderr
    assert commits(ws)[0][1] == [PROMISES_YAML]
    assert git(ws, "status", "--porcelain") == " M clients/northwind/client.yaml\n"


def test_a_lock_held_too_long_fails_clearly_and_changes_nothing(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git_mod, "LOCK_WAIT", 0.3)
    before = (ws / PROMISES_YAML).read_bytes()
    holder = _hold_index_lock(ws, 30)
    try:
        session = Session.at(ws, {"KEPT_TODAY": "2026-11-23"})
        with pytest.raises(GitError) as caught:
            actions.add_promise(session, "askona", "Send the media plan", "2026-11-30")
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.communicate(timeout=10)
    assert str(caught.value).startswith("git is busy in this repository: ")
    assert "index.lock is held by a running git; Kept waited 0.3 s" in str(caught.value)
    assert (ws / PROMISES_YAML).read_bytes() == before
    assert temp_files(ws) == []


def test_a_crash_marker_makes_the_next_writer_sweep_the_whole_workspace(ws: Path) -> None:
    """Killed holding the workspace lock, mid-write in one client's folder: the next
    command, writing somewhere else entirely, still clears what was left."""
    crashed = run_kept(ws, *ADD, env=kept_env(KEPT_FAULT="write.fsync=kill"))
    assert crashed.returncode == -signal.SIGKILL
    assert len(temp_files(ws)) == 1
    assert (ws / ".kept/lock").read_text().strip().isdigit()  # the dead holder's pid

    other = run_kept(ws, "add", "promise", "northwind", "Invoice reminder", "--due", "fri")

    assert other.returncode == 0, other.stderr
    assert temp_files(ws) == []
    assert (ws / ".kept/lock").read_text() == ""  # released, and no crash noted
    check_clean(ws)


def test_a_writer_stuck_holding_the_lock_is_not_waited_for_forever(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``kept`` frozen (SIGSTOP) while it holds the workspace lock: another writer
    gives up after the timeout with a message naming it, and changes nothing; the
    frozen one, thawed, finishes its change."""
    monkeypatch.setattr(edit_mod, "LOCK_TIMEOUT", 0.5)
    before = (ws / PROMISES_YAML).read_bytes()
    stuck = spawn_kept(ws, *ADD)
    _locked(ws, stuck)
    os.kill(stuck.pid, signal.SIGSTOP)
    try:
        session = Session.at(ws, {"KEPT_TODAY": "2026-11-23"})
        with pytest.raises(WriteError) as caught:
            actions.add_promise(session, "askona", "Call Olga", "2026-12-01")
        assert (ws / PROMISES_YAML).read_bytes() == before
    finally:
        os.kill(stuck.pid, signal.SIGCONT)
    assert str(caught.value) == (
        f"another Kept (process {stuck.pid}) has been changing this workspace for over "
        "0.5 s; nothing was written. Try again when it is done")
    assert stuck.wait(timeout=30) == 0
    assert [t for _, t in promise_texts(ws)][-1] == "Send the media plan"
    assert git(ws, "status", "--porcelain") == ""


def test_ref_locks_and_temp_indexes_of_a_killed_git_are_cleared(ws: Path) -> None:
    """What a git killed inside ``commit`` can leave: the branch's and HEAD's lock, and
    the temporary index of ``commit --only`` (named after its dead pid)."""
    gd = ws / ".git"
    left = [gd / "refs/heads/main.lock", gd / "HEAD.lock", gd / "next-index-999999.lock"]
    for lock in left:
        lock.write_text("", encoding="utf-8")
        os.utime(lock, (time.time() - 5, time.time() - 5))

    result = run_kept(ws, *ADD)

    assert result.returncode == 0, result.stderr
    assert [p for p in left if p.exists()] == []
    assert commits(ws)[0][1] == [PROMISES_YAML]
