"""The background server (tui.server): a command it answers behaves exactly as the
same command run in its own process — output, errors, exit code, files and commits —
and a missing, dead or foreign server never stops a command.

The server is real: started by a first command (KEPT_SERVER=1 serves a workspace of
any size), answering over a Unix socket in a folder of the test's own, killed at the
end. Each served command leaves a line in the server's log; that is how a test knows
the server, not a fresh process, answered.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git
from tests.fault.conftest import FILES, files, kept_env, run_kept
from tui import server

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32",
                                reason="the server forks and passes descriptors (POSIX)")


@pytest.fixture
def served() -> Iterator[dict[str, str]]:
    """The environment of commands that use a server of their own; it is stopped after."""
    folder = Path(tempfile.mkdtemp(prefix="ks"))  # short: socket paths are limited
    folder.chmod(0o700)
    env = kept_env(KEPT_SERVER="1", KEPT_SERVER_DIR=str(folder))
    yield env
    for lock in folder.glob("*.lock"):
        with contextlib.suppress(ValueError, OSError):
            os.kill(int(lock.read_text().strip()), signal.SIGTERM)
    shutil.rmtree(folder, ignore_errors=True)


def socket_of(env: dict[str, str]) -> Path:
    [sock] = Path(env["KEPT_SERVER_DIR"]).glob("*.sock")
    return sock


def wait_for_server(env: dict[str, str]) -> None:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        with contextlib.suppress(ValueError, OSError), socket.socket(socket.AF_UNIX) as s:
            s.connect(str(socket_of(env)))
            return
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def served_lines(env: dict[str, str]) -> list[str]:
    logs = list(Path(env["KEPT_SERVER_DIR"]).glob("*.log"))
    return logs[0].read_text("utf-8").splitlines() if logs else []


MANY_NOTES = {f"clients/askona/notes/2026-10-{1 + i % 28:02d}-call-{i}.md":
              f"---\ndate: 2026-10-{1 + i % 28:02d}\nkind: call\n---\nЗвонок {i}.\n"
              for i in range(250)}  # enough files for a first start on every core


def lacking_full(env: dict[str, str]) -> int:
    """How many files' full records the cache (in KEPT_CACHE_DIR) has yet to keep."""
    [db] = Path(env["KEPT_CACHE_DIR"]).glob("*.sqlite")
    with contextlib.closing(sqlite3.connect(db)) as con:
        return int(con.execute("SELECT count(*) FROM files "
                               "WHERE length(full) = 0 AND sha != ''").fetchone()[0])


def wait_until_kept(env: dict[str, str]) -> None:
    end = time.monotonic() + 30
    while lacking_full(env) and time.monotonic() < end:
        time.sleep(0.1)
    assert lacking_full(env) == 0


def test_a_served_command_answers_as_its_own_process_would(ws: Path,
                                                           served: dict[str, str]) -> None:
    own = run_kept(ws, "agenda", "--json", env={**served, "KEPT_SERVER": "0"})
    first = run_kept(ws, "agenda", "--json", env=served)  # runs here, starts the server
    wait_for_server(served)
    assert served_lines(served) == []

    again = run_kept(ws, "agenda", "--json", env=served)
    table = run_kept(ws, "agenda", "--ids", env=served)

    assert [line.split()[2:5] for line in served_lines(served)] == [
        ["agenda", "exit", "0"], ["agenda", "exit", "0"]]
    assert own.returncode == first.returncode == again.returncode == table.returncode == 0
    assert own.stdout == first.stdout == again.stdout
    assert "k7m2p9" in table.stdout and "Аскона" in table.stdout
    assert table.stdout == run_kept(ws, "agenda", "--ids",
                                    env={**served, "KEPT_SERVER": "0"}).stdout


def test_an_outside_edit_between_served_commands_is_seen(ws: Path,
                                                         served: dict[str, str]) -> None:
    run_kept(ws, "agenda", env=served)
    wait_for_server(served)
    assert "Send the December media plan" in run_kept(ws, "agenda", env=served).stdout
    path = ws / "clients/askona/promises.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "Send the December media plan", "Послать медиаплан"), "utf-8")

    shown = run_kept(ws, "agenda", env=served).stdout

    assert "Послать медиаплан" in shown and "December media plan" not in shown
    assert len(served_lines(served)) == 2


def test_errors_and_exit_codes_reach_the_caller(ws: Path, served: dict[str, str]) -> None:
    run_kept(ws, "agenda", env=served)
    wait_for_server(served)
    (ws / "clients/askona/client.yaml").write_text("name: [Аскона\n", "utf-8")

    for args in (("check",), ("done", "nosuch"), ("move", "k7m2p9", "tomorrow")):
        got = run_kept(ws, *args, env=served)
        own = run_kept(ws, *args, env={**served, "KEPT_SERVER": "0"})
        assert (got.returncode, got.stdout, got.stderr) == (
            own.returncode, own.stdout, own.stderr), args
        assert got.returncode != 0 and got.stderr, args
    assert "clients/askona/client.yaml:1:7: error" in run_kept(ws, "check", env=served).stdout
    assert [line.split()[2:5] for line in served_lines(served)] == [
        ["check", "exit", "1"], ["done", "exit", str(run_kept(
            ws, "done", "nosuch", env={**served, "KEPT_SERVER": "0"}).returncode)],
        ["move", "exit", "2"], ["check", "exit", "1"]]


def test_a_served_change_writes_its_lines_and_commits_once(ws: Path,
                                                           served: dict[str, str]) -> None:
    run_kept(ws, "agenda", env=served)
    wait_for_server(served)
    before = files(ws)
    commits = git(ws, "rev-list", "--count", "HEAD")

    done = run_kept(ws, "done", "k7m2p9", env=served)
    touched = run_kept(ws, "touch", "аскона", "Звонок Ольге", env=served)

    assert done.returncode == 0 and touched.returncode == 0, (done.stderr, touched.stderr)
    assert int(git(ws, "rev-list", "--count", "HEAD")) == int(commits) + 2
    assert git(ws, "status", "--porcelain") == ""
    after = files(ws)
    changed = {p for p in after if before.get(p) != after[p]}
    assert "clients/askona/promises.yaml" in changed
    assert "k7m2p9" not in run_kept(ws, "agenda", "--ids", env=served).stdout
    assert len(served_lines(served)) == 3


def test_what_a_process_reads_at_start_is_the_callers(ws: Path,
                                                      served: dict[str, str]) -> None:
    """The fork was started long ago, by another command: what a process reads when it
    starts (here the fault plan the fault tests use) is the caller's."""
    run_kept(ws, "agenda", env=served)
    wait_for_server(served)
    before = files(ws)

    failed = run_kept(ws, "done", "k7m2p9", env={**served, "KEPT_FAULT": "commit.commit=EIO"})

    assert failed.returncode != 0 and "nothing was committed" in failed.stderr
    assert files(ws) == before  # the edit was undone, as the fault tests demand
    assert served_lines(served)[-1].split()[2:5] == ["done", "exit", str(failed.returncode)]


def test_kept_server_shows_and_stops_it(ws: Path, served: dict[str, str]) -> None:
    assert run_kept(ws, "server", env=served).stdout == "no server is running\n"
    run_kept(ws, "agenda", env=served)
    wait_for_server(served)
    [lock] = Path(served["KEPT_SERVER_DIR"]).glob("*.lock")
    pid = lock.read_text().strip()

    shown = run_kept(ws, "server", env=served).stdout
    stopped = run_kept(ws, "server", "--stop", env=served).stdout

    assert shown.startswith(f"running, pid {pid};") and ".log" in shown
    assert stopped == f"stopped the server (pid {pid})\n"
    assert run_kept(ws, "server", env=served).stdout == "no server is running\n"


def test_a_dead_server_does_not_stop_a_command(ws: Path, served: dict[str, str]) -> None:
    run_kept(ws, "agenda", env=served)
    wait_for_server(served)
    [lock] = Path(served["KEPT_SERVER_DIR"]).glob("*.lock")
    os.kill(int(lock.read_text()), signal.SIGKILL)
    time.sleep(0.2)
    assert socket_of(served).exists()  # left behind by the killed server

    got = run_kept(ws, "agenda", "--json", env=served)

    assert got.returncode == 0 and '"k7m2p9"' in got.stdout
    wait_for_server(served)  # and a new one took its place
    assert run_kept(ws, "agenda", "--json", env=served).stdout == got.stdout


def test_a_folder_others_can_write_into_is_not_used(ws: Path,
                                                    served: dict[str, str]) -> None:
    Path(served["KEPT_SERVER_DIR"]).chmod(0o777)

    got = run_kept(ws, "agenda", env=served)

    assert got.returncode == 0
    time.sleep(0.5)
    assert list(Path(served["KEPT_SERVER_DIR"]).iterdir()) == []


def test_a_changed_kept_gets_a_server_of_its_own(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("KEPT_SERVER_DIR", str(tmp_path / "s"))
    before = server.socket_path()
    source = Path(server.__file__)
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        after = server.socket_path()
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert before is not None and after is not None and before != after
    assert server.socket_path() == before


@pytest.mark.parametrize(("args", "word"), [
    (["agenda"], "agenda"), (["-w", "x", "done", "id"], "done"),
    (["--workspace=x", "check"], "check"), (["-wx", "stats"], "stats"),
    (["--version"], None), ([], None), (["-w"], None)])
def test_the_command_word_is_found_past_the_workspace_option(args: list[str],
                                                             word: str | None) -> None:
    assert server._command(args) == word


def leaving(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """A process that runs ``body`` as a command through tui.server's outcome and
    leave, as ``kept`` does in a process of its own."""
    script = ("import sys, threading, time\n"
              "from tui.server import leave, outcome\n"
              "def command():\n" + textwrap.indent(textwrap.dedent(body), "    ") +
              "leave(outcome(command))\n")
    env = kept_env()
    env.pop("PYTHONUNBUFFERED", None)  # its output buffered, as a user's is
    return subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_command_leaves_with_its_exit_code_and_everything_it_wrote(tmp_path: Path) -> None:
    # More than a pipe and a buffer hold, written without a flush: leave skips the
    # interpreter's own exit, so the outcome must have flushed it.
    done = leaving("""
        print("Ё" * 100_000)
        sys.stderr.write("kept: error: no such promise")
        sys.exit(2)
    """, tmp_path)
    assert (done.returncode, len(done.stdout), done.stderr) == (
        2, 100_001, "kept: error: no such promise")

    crashed = leaving("raise RuntimeError('a bug')\n", tmp_path)
    assert crashed.returncode == 1
    assert "Traceback" in crashed.stderr and "RuntimeError: a bug" in crashed.stderr


def test_a_command_leaves_only_when_no_thread_still_works(tmp_path: Path) -> None:
    done = leaving("""
        def write():
            time.sleep(0.3)
            open("written", "w").write("all of it")
        threading.Thread(target=write).start()
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "written").read_text() == "all of it"


def test_an_idle_server_keeps_the_full_records_a_first_start_left_for_later(
        write_ws: Any, served: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_ws({**FILES, **MANY_NOTES})
    env = {**served, "KEPT_CACHE_DIR": str(tmp_path / "cache")}

    assert run_kept(root, "agenda", env=env).returncode == 0  # a first start: light only
    assert lacking_full(env) > 250
    wait_for_server(env)  # it warms that workspace and fills in while idle, unasked
    wait_until_kept(env)
    # What it kept is what the files say, and the next search reads no file for it.
    from tui.index import Index
    from tui.index import index as index_module
    from tui.workspace.load import load_workspace

    read: list[str] = []
    real = index_module.read_entry
    monkeypatch.setattr(index_module, "read_entry",
                        lambda r, e: read.append(e.path) or real(r, e))
    index = Index(root, env)
    full = index.full(index.refresh())
    assert read == []
    assert full.workspace == load_workspace(root).workspace
    answer = run_kept(root, "agenda", "--json", env=env)  # and it answers all the same
    assert answer.stdout == run_kept(root, "agenda", "--json",
                                     env={**env, "KEPT_SERVER": "0"}).stdout
    assert [line.split()[2:5] for line in served_lines(env)] == [["agenda", "exit", "0"]]


def open_app(app: Any) -> None:
    """Open the app, wait for the end of its start (the server's part among it), quit."""
    import asyncio

    from tests.fault.conftest import quiet, until

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.git_known)
            await quiet(pilot)

    asyncio.run(scenario())


def test_the_app_on_a_large_workspace_has_a_server_keep_the_full_records(
        write_ws: Any, served: dict[str, str], tmp_path: Path, make_app: Any) -> None:
    """The app's first start keeps what the agenda needs; once the agenda is up it
    starts the server, which keeps the rest in a process of its own, so the app's first
    search reads no file again, and the commands typed meanwhile are answered warm."""
    root = write_ws({**FILES, **MANY_NOTES})
    env = {**served, "KEPT_CACHE_DIR": str(tmp_path / "cache")}
    open_app(make_app(root, **env))
    wait_for_server(env)
    wait_until_kept(env)
    assert run_kept(root, "agenda", env=env).returncode == 0
    assert [line.split()[2:5] for line in served_lines(env)] == [["agenda", "exit", "0"]]


def test_a_server_is_worth_it_for_a_large_workspace_unless_turned_off() -> None:
    assert not server.worth_serving({}, server.SERVE_FROM - 1)
    assert server.worth_serving({}, server.SERVE_FROM)
    assert server.worth_serving({"KEPT_SERVER": "1"}, 3)
    assert not server.worth_serving({"KEPT_SERVER": "0"}, 100_000)


def test_the_app_has_a_running_server_keep_its_workspace_too(
        write_ws: Any, served: dict[str, str], tmp_path: Path, make_app: Any) -> None:
    """A server already runs for another workspace: the app asks it to warm this one,
    and it keeps this one's full records as well."""
    other = write_ws(FILES, name="other")
    assert run_kept(other, "agenda", env={
        **served, "KEPT_CACHE_DIR": str(tmp_path / "other-cache")}).returncode == 0
    wait_for_server(served)
    root = write_ws({**FILES, **MANY_NOTES})
    env = {**served, "KEPT_CACHE_DIR": str(tmp_path / "cache")}
    open_app(make_app(root, **env))
    wait_until_kept(env)
    assert [line.split()[2] for line in served_lines(env)] == ["warm"]


def test_files_a_pull_brings_are_kept_in_full_by_the_server_too(
        write_ws: Any, served: dict[str, str], tmp_path: Path) -> None:
    """Many files arriving at once are read for their light parts, on every core, by
    the command that meets them; the server keeps their full records afterwards."""
    root = write_ws(FILES)
    env = {**served, "KEPT_CACHE_DIR": str(tmp_path / "cache")}
    assert run_kept(root, "agenda", env=env).returncode == 0
    wait_for_server(env)
    wait_until_kept(env)
    for name, text in MANY_NOTES.items():  # as a pull writes them
        (root / name).write_text(text, encoding="utf-8")
    assert run_kept(root, "agenda", env=env).returncode == 0  # served: it reads them
    wait_until_kept(env)
    assert lacking_full(env) == 0 and len(served_lines(env)) == 1
