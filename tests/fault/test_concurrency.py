"""Concurrent writers on one workspace: ``kept`` processes, sessions in threads (what
two app windows do) and the app itself, all at once.

No lost update (every change is in the file, applied on top of the others or refused
with a message), no interleaved commits (each action is one commit with exactly its
files, and each commit's tree holds one more change than its parent), no deadlock
(every wait here has a timeout).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from pathlib import Path
from typing import Any

from tests.conftest import TODAY, git
from tests.fault.conftest import check_clean, commits, promise_texts, spawn_kept, until
from tui.errors import EditConflict
from tui.services import actions
from tui.services.context import Session

PROMISES_YAML = "clients/askona/promises.yaml"


def _promise_ids_per_commit(root: Path, path: str) -> list[set[str]]:
    """The promise ids in ``path`` at every commit, oldest first."""
    out = []
    for sha in reversed(git(root, "rev-list", "HEAD").split()):
        text = git(root, "show", f"{sha}:{path}")
        out.append({line.split("id:")[1].strip() for line in text.splitlines()
                    if line.startswith("- id:")})
    return out


def _assert_one_promise_per_commit(root: Path, path: str) -> None:
    """Each commit adds exactly one promise to ``path``, and loses none."""
    trees = _promise_ids_per_commit(root, path)
    for older, newer in itertools.pairwise(trees):
        if newer != older:
            assert older < newer and len(newer - older) == 1


def test_two_kept_processes_adding_to_one_file_lose_nothing(ws: Path) -> None:
    texts = []
    for round_ in range(4):
        procs = []
        for who in ("anna", "ivan"):
            text = f"{who} round {round_}"
            texts.append(text)
            procs.append(spawn_kept(ws, "add", "promise", "askona", text, "--due", "2026-12-01"))
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err

    got = [t for _, t in promise_texts(ws)][2:]
    assert sorted(got) == sorted(texts)  # all eight, once each
    history = commits(ws)
    assert len(history) == 9
    assert sorted(s.split(": ", 1)[1].removesuffix(" (askona)") for s, _ in history[:8]) == (
        sorted(texts))
    assert all(f == [PROMISES_YAML] for _, f in history[:8])
    _assert_one_promise_per_commit(ws, PROMISES_YAML)
    assert git(ws, "status", "--porcelain") == ""
    check_clean(ws)


def test_sessions_in_threads_on_one_file_lose_nothing(ws: Path) -> None:
    """Four sessions (as four app windows would hold) add five promises each, all
    started together; each read the file before the others wrote it."""
    sessions = [Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}) for _ in range(4)]
    start = threading.Barrier(4, timeout=30)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                actions.add_promise(sessions[n], "askona", f"thread {n} promise {i}",
                                    "2026-12-01")
        except BaseException as exc:  # reported below, with the thread's name
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,), name=f"t{n}") for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive(), "a writer hung"
    assert errors == []

    got = [t for _, t in promise_texts(ws)][2:]
    assert sorted(got) == sorted(f"thread {n} promise {i}" for n in range(4) for i in range(5))
    history = commits(ws)
    assert len(history) == 21 and all(f == [PROMISES_YAML] for _, f in history[:20])
    _assert_one_promise_per_commit(ws, PROMISES_YAML)
    assert git(ws, "status", "--porcelain") == ""


def test_the_same_field_changed_at_once_one_wins_the_other_is_refused(ws: Path) -> None:
    sessions = [Session.at(ws, {"KEPT_TODAY": TODAY.isoformat()}) for _ in range(2)]
    start = threading.Barrier(2, timeout=30)
    results: dict[int, object] = {}

    def move(n: int, when: str) -> None:
        start.wait()
        try:
            results[n] = actions.move(sessions[n], "k7m2p9", when, f"reason {n}")
        except EditConflict as exc:
            results[n] = exc

    threads = [threading.Thread(target=move, args=(n, w))
               for n, w in ((0, "2026-12-01"), (1, "2026-12-02"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    refused = [r for r in results.values() if isinstance(r, EditConflict)]
    assert len(refused) == 1
    assert "'due' changed on disk since Kept read it" in str(refused[0])
    text = (ws / PROMISES_YAML).read_text("utf-8")
    winner = 0 if isinstance(results[1], EditConflict) else 1
    assert f"  due: 2026-12-0{winner + 1}\n" in text
    assert text.count("why: reason") == 1  # the refused move left no trace
    assert len(commits(ws)) == 2


def test_the_app_and_kept_processes_at_once(ws: Path, make_app: Any) -> None:
    """While three ``kept add`` processes run, the app moves one promise and closes
    another: every change lands, each in its own commit."""

    from tests.app.conftest import loaded

    async def scenario() -> None:
        app = make_app(ws, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            procs = [spawn_kept(ws, "add", "promise", "askona", f"from the shell {i}",
                                "--due", "2026-12-01") for i in range(3)]
            app.start_move("k7m2p9")
            await pilot.pause()
            await pilot.press(*"2026-12-04", "tab", *"waiting for access", "enter")
            await pilot.pause(0.4)
            app.promise_done("q4h8t2")
            for proc in procs:
                _, err = await asyncio.to_thread(proc.communicate, timeout=60)
                assert proc.returncode == 0, err

            def caught_up() -> bool:
                assert app.session is not None
                texts = [p.text for p in app.session.ws.promises]
                return sum(t.startswith("from the shell") for t in texts) == 3

            await until(pilot, caught_up)  # the watcher's last reload
            shown = {p.id: p for p in app.session.ws.promises}  # type: ignore[union-attr]
            assert str(shown["k7m2p9"].due) == "2026-12-04"
            assert str(shown["q4h8t2"].status) == "done"
            assert sum(p.text.startswith("from the shell") for p in shown.values()) == 3

    asyncio.run(scenario())
    text = (ws / PROMISES_YAML).read_text("utf-8")
    assert "  due: 2026-12-04\n" in text and "  status: done\n" in text
    assert sum(f"from the shell {i}" in text for i in range(3)) == 3
    history = commits(ws)
    assert len(history) == 6 and all(f == [PROMISES_YAML] for _, f in history[:5])
    subjects = sorted(s.split(" ", 1)[0] for s, _ in history[:5])
    assert subjects == ["add", "add", "add", "done", "move"]
    assert git(ws, "status", "--porcelain") == ""
    check_clean(ws)
