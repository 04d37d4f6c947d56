"""The index cache is invalidated by every kind of change, and trusted otherwise.

Each test builds the index (filling the cache), changes the workspace the way a
person, an editor or git would, refreshes a *new* index (as the next command does)
and compares what it says with a fresh read of every file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git
from tui.core.rules import agenda
from tui.index import Index, View
from tui.index import index as index_module
from tui.index.cache import cache_path
from tui.services.context import clock_from_env
from tui.workspace.load import load_workspace

SAMPLE = Path(__file__).parent.parent / "data" / "sample"
ENV = {"KEPT_TODAY": "2026-11-23"}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "agency"
    shutil.copytree(SAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample")
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the index reads (parses), in order."""
    seen: list[str] = []
    real = index_module.read_entry

    def counting(root: Path, entry: Any) -> Any:
        seen.append(entry.path)
        return real(root, entry)

    monkeypatch.setattr(index_module, "read_entry", counting)
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 10**9)  # count in this process
    return seen


def agenda_of(view: View) -> list[tuple[str, str, str, bool]]:
    clock = clock_from_env(ENV, None)
    items = agenda(view.workspace(), clock, days=30, newest_notes=view.newest_notes)
    return [(str(i.type), i.id, str(i.due), i.overdue) for i in items]


def truth(root: Path) -> tuple[list[tuple[str, str, str, bool]], list[str]]:
    """What a full read of every file says: the agenda and the problems."""
    loaded = load_workspace(root)
    clock = clock_from_env(ENV, None)
    items = agenda(loaded.workspace, clock, days=30)
    return ([(str(i.type), i.id, str(i.due), i.overdue) for i in items],
            sorted(str(p) for p in loaded.problems))


def fresh_view(root: Path) -> View:
    """What the next command would see: a new index over the same cache."""
    return Index(root, ENV).refresh()


def assert_true_to_disk(root: Path) -> None:
    view = fresh_view(root)
    items, problems = truth(root)
    assert agenda_of(view) == items
    assert sorted(str(p) for p in view.problems) == problems


def backdate(path: Path, seconds: int = 10) -> None:
    """Make a file look written long ago, so its key alone is trusted."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - seconds * 10**9, st.st_mtime_ns - seconds * 10**9))


def settle_all(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            backdate(path)


def test_a_warm_start_reads_no_file(ws: Path, reads: list[str]) -> None:
    settle_all(ws)
    fresh_view(ws)
    assert len(reads) > 30
    reads.clear()
    view = fresh_view(ws)
    assert reads == []
    assert agenda_of(view) == truth(ws)[0]


def test_one_edited_file_is_the_only_one_read(ws: Path, reads: list[str]) -> None:
    settle_all(ws)
    fresh_view(ws)
    path = ws / "clients/askona/promises.yaml"
    path.write_text(path.read_text("utf-8").replace("  due: 2026-11-21\n",
                                                   "  due: 2026-11-29\n"), encoding="utf-8")
    reads.clear()
    view = fresh_view(ws)
    assert reads == ["clients/askona/promises.yaml"]
    assert ("promise", "a7k3q9", "2026-11-29", False) in agenda_of(view)
    assert_true_to_disk(ws)


def test_settings_and_a_new_client_edited_by_hand_are_seen(ws: Path, reads: list[str]) -> None:
    """kept.yaml edited and a client added by hand: the next view has both, and reads
    only those two files."""
    settle_all(ws)
    fresh_view(ws)
    kept_yaml = ws / "kept.yaml"
    kept_yaml.write_text(kept_yaml.read_text("utf-8").replace(
        "name: Северный ветер · accounts", "name: Nordwind"), encoding="utf-8")
    (ws / "clients/romashka").mkdir()
    (ws / "clients/romashka/client.yaml").write_text("name: Ромашка\n", encoding="utf-8")
    reads.clear()

    view = fresh_view(ws)

    assert view.settings.name == "Nordwind"
    assert view.clients["romashka"].name == "Ромашка" and "askona" in view.clients
    assert sorted(reads) == ["clients/romashka/client.yaml", "kept.yaml"]


def test_a_same_size_edit_racing_the_cache_write_is_caught(ws: Path) -> None:
    """Racily clean: rewritten with the same size within the same clock tick."""
    path = ws / "clients/askona/promises.yaml"
    fresh_view(ws)  # reads it now: its mtime is within the racy window of the read
    before = path.stat()
    text = path.read_text("utf-8").replace("due: 2026-11-21", "due: 2026-11-28")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same tick
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert ("promise", "a7k3q9", "2026-11-28", False) in agenda_of(fresh_view(ws))
    assert_true_to_disk(ws)


def test_a_same_size_edit_with_the_same_mtime_after_settling_is_caught_by_ctime(
        ws: Path) -> None:
    settle_all(ws)
    fresh_view(ws)
    path = ws / "clients/askona/promises.yaml"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("due: 2026-11-21", "due: 2026-11-27"),
                    encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back
    assert ("promise", "a7k3q9", "2026-11-27", False) in agenda_of(fresh_view(ws))


def test_rename_delete_and_new_files(ws: Path) -> None:
    settle_all(ws)
    fresh_view(ws)
    notes = ws / "clients/northwind-coffee/notes"
    old = next(notes.glob("*.md"))
    old.rename(notes / "2026-11-23-renamed.md")  # the date in the name is not the date
    shutil.rmtree(ws / "clients/lumen-fintech")
    (ws / "clients/new-client").mkdir()
    (ws / "clients/new-client/client.yaml").write_text("name: New\nowner: anna\n",
                                                       encoding="utf-8")
    (ws / "clients/new-client/promises.yaml").write_text(
        "- id: nw1234\n  text: Brand new\n  due: 2026-11-24\n", encoding="utf-8")
    view = fresh_view(ws)
    assert "lumen-fintech" not in view.clients and "new-client" in view.clients
    assert ("promise", "nw1234", "2026-11-24", False) in agenda_of(view)
    assert_true_to_disk(ws)


def test_a_broken_file_then_mended(ws: Path) -> None:
    settle_all(ws)
    fresh_view(ws)
    path = ws / "clients/askona/promises.yaml"
    good = path.read_text("utf-8")
    path.write_text(good + "- id: [broken\n", encoding="utf-8")
    assert any(p.path == "clients/askona/promises.yaml" for p in fresh_view(ws).problems)
    assert_true_to_disk(ws)
    path.write_text(good, encoding="utf-8")
    assert not any(p.path == "clients/askona/promises.yaml" for p in fresh_view(ws).problems)
    assert_true_to_disk(ws)


def test_a_branch_switch(ws: Path) -> None:
    git(ws, "checkout", "-q", "-b", "other")
    path = ws / "clients/askona/promises.yaml"
    path.write_text(path.read_text("utf-8").replace("due: 2026-11-21", "due: 2026-12-01"),
                    encoding="utf-8")
    (ws / "clients/askona/notes/2026-11-23-branch.md").write_text(
        "---\ndate: 2026-11-23\nkind: call\n---\nOn the branch.\n", encoding="utf-8")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "on the branch")
    fresh_view(ws)
    git(ws, "checkout", "-q", "main")
    view = fresh_view(ws)
    assert ("promise", "a7k3q9", "2026-11-21", True) in agenda_of(view)
    assert view.newest_notes["askona"].isoformat() == "2026-11-22"
    assert_true_to_disk(ws)


def test_a_git_pull(ws: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(ws, "remote", "add", "origin", str(remote))
    git(ws, "push", "-q", "-u", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    path = other / "clients/urban-bikes/promises.yaml"
    path.write_text(path.read_text("utf-8").replace("Why did cost per lead", "Why did CPL"),
                    encoding="utf-8")
    git(other, "commit", "-q", "-am", "their edit")
    git(other, "push", "-q")
    fresh_view(ws)
    git(ws, "pull", "-q", "--no-rebase")
    view = fresh_view(ws)
    texts = [p.text for p in view.open_promises if p.id == "u7v3w9"]
    assert texts == ["Why did CPL jump last week?"]
    assert_true_to_disk(ws)


def test_a_file_replaced_by_a_symlink(ws: Path) -> None:
    settle_all(ws)
    fresh_view(ws)
    target = ws / "clients/urban-bikes/promises.yaml"
    path = ws / "clients/askona/promises.yaml"
    path.unlink()
    path.symlink_to(target)
    view = fresh_view(ws)
    assert "a7k3q9" not in {p.id for p in view.open_promises}
    assert_true_to_disk(ws)


def test_a_corrupt_cache_is_rebuilt_silently(ws: Path, reads: list[str]) -> None:
    fresh_view(ws)
    cache = cache_path(ws.resolve(), ENV)
    assert cache.is_file()
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database" * 100)
    reads.clear()
    view = fresh_view(ws)
    assert len(reads) > 30  # everything read again
    assert agenda_of(view) == truth(ws)[0]
    reads.clear()
    settle_all(ws)
    fresh_view(ws)
    reads.clear()
    fresh_view(ws)
    assert reads == []  # and trusted again afterwards


def test_a_cache_of_another_version_is_not_trusted(ws: Path, reads: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settle_all(ws)
    fresh_view(ws)
    from tui.index import cache

    monkeypatch.setattr(cache, "VERSION", "0:older")
    reads.clear()
    fresh_view(ws)
    assert len(reads) > 30


def test_reading_never_writes_into_the_workspace(ws: Path) -> None:
    before = sorted(p.relative_to(ws).as_posix() for p in ws.rglob("*")
                    if ".git" not in p.parts)
    fresh_view(ws)
    fresh_view(ws)
    after = sorted(p.relative_to(ws).as_posix() for p in ws.rglob("*")
                   if ".git" not in p.parts)
    assert after == before


def test_the_full_records_match_a_full_read(ws: Path) -> None:
    settle_all(ws)
    fresh_view(ws)
    index = Index(ws, ENV)
    view = index.refresh()
    full = index.full(view)
    fresh = load_workspace(ws)
    assert full.workspace.promises == fresh.workspace.promises
    assert full.workspace.clients == fresh.workspace.clients
    assert full.workspace.notes == fresh.workspace.notes
    assert sorted(full.problems) == sorted(fresh.problems)


def test_parallel_reading_gives_the_same_view(ws: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 5)
    view = fresh_view(ws)
    assert agenda_of(view) == truth(ws)[0]
    assert sorted(str(p) for p in view.problems) == truth(ws)[1]


def _records_kept(index: Index) -> dict[str, bool]:
    """Per file in the cache: whether its full records are kept."""
    return {str(path): bool(kept) for path, kept in
            index.cache.query("SELECT path, length(full) > 0 FROM files")}


def test_a_first_start_on_every_core_keeps_the_full_records_when_first_asked(
        ws: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    settle_all(ws)
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 5)
    view = fresh_view(ws)  # every file read on every core, for its light part only
    index = Index(ws, ENV)
    assert not any(_records_kept(index).values())
    view = index.refresh()
    fresh = load_workspace(ws)
    full = index.full(view)
    assert full.workspace.promises == fresh.workspace.promises
    assert full.workspace.clients == fresh.workspace.clients
    assert full.workspace.notes == fresh.workspace.notes
    assert sorted(full.problems) == sorted(fresh.problems)
    kept = _records_kept(index)
    assert kept and all(kept.values())
    # The next command finds them all in the cache: it reads no file.
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 10**9)
    reads.clear()
    again = Index(ws, ENV)
    assert again.full(again.refresh()).workspace == full.workspace
    assert reads == []


def test_full_records_read_after_a_file_changed_are_not_kept_for_its_old_row(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle_all(ws)
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 5)
    index = Index(ws, ENV)
    view = index.refresh()
    promises = ws / "clients/askona/promises.yaml"
    promises.write_text(promises.read_text("utf-8").replace(
        "due: 2026-11-21", "due: 2026-12-02"), "utf-8")
    # The edit came after the refresh: what is read now is newer than the row.
    full = index.full(view)
    assert "2026-12-02" in {str(p.due) for p in full.workspace.promises}
    kept = _records_kept(index)
    assert kept["clients/askona/promises.yaml"] is False
    assert kept["clients/askona/client.yaml"] is True
    # The next refresh sees the edit; its full records are then the file's.
    again = Index(ws, ENV)
    view = again.refresh()
    assert again.full(view).workspace.promises == load_workspace(ws).workspace.promises
    assert _records_kept(again)["clients/askona/promises.yaml"] is True


def _what_it_says(view: View) -> tuple[Any, ...]:
    return (view.settings.name, sorted(view.clients),
            sorted((p.id, p.text, str(p.due)) for p in view.open_promises),
            sorted(view.newest_notes.items()), sorted(str(p) for p in view.problems),
            list(view.entries), agenda_of(view))


def _change(ws: Path, kind: str) -> None:
    askona = ws / "clients/askona"
    promises = askona / "promises.yaml"
    note = next((askona / "notes").glob("*.md"))
    if kind == "edit":
        promises.write_text(promises.read_text("utf-8").replace(
            "due: 2026-11-21", "due: 2026-12-02"), "utf-8")
    elif kind == "same-size edit":
        text = promises.read_text("utf-8")
        promises.write_text(text.replace("2026-11-21", "2026-11-28"), "utf-8")
    elif kind == "broken":
        promises.write_text(promises.read_text("utf-8") + "- id: [broken\n", "utf-8")
    elif kind == "new note":
        (askona / "notes/2026-11-23-call.md").write_text(
            "---\ndate: 2026-11-23\nkind: call\n---\nCalled.\n", "utf-8")
    elif kind == "deleted note":
        note.unlink()
    elif kind == "renamed note":
        note.rename(askona / "notes/2026-11-23-renamed.md")
    elif kind == "deleted promises":
        promises.unlink()
    elif kind == "symlink":
        promises.unlink()
        promises.symlink_to(ws / "clients/urban-bikes/promises.yaml")
    elif kind == "conflict copy":
        (askona / "promises.yaml.conflict-20261123").write_text("- id: x\n", "utf-8")
    elif kind == "settings":
        settings = ws / "kept.yaml"
        settings.write_text(settings.read_text("utf-8").replace("name: ", "name: The ", 1),
                            "utf-8")
    elif kind == "new client":
        (ws / "clients/new-client").mkdir()
        (ws / "clients/new-client/client.yaml").write_text("name: New\n", "utf-8")
    else:
        shutil.rmtree(ws / "clients/lumen-fintech")


@pytest.mark.parametrize("kind", ["edit", "same-size edit", "broken", "new note",
                                  "deleted note", "renamed note", "deleted promises",
                                  "symlink", "conflict copy", "settings", "new client",
                                  "deleted client"])
def test_a_refresh_of_what_a_watch_saw_equals_a_full_one(ws: Path, kind: str,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A long-lived index told which paths changed (by the kernel's watch, as the
    server is, or by the app's watcher) says what a new index over every file says."""
    from tui.index.watch import Watch

    settle_all(ws)
    index = Index(ws, ENV)
    watch = Watch(index.root)
    assert watch.start()
    before = index.refresh()
    try:
        _change(ws, kind)
        changed = watch.changes()
    finally:
        watch.close()
    if kind in ("new client", "deleted client"):
        assert changed is None  # folders: the watch cannot say; everything is stated
    else:
        assert changed
    scans: list[Path] = []
    real_scan = index_module.scan_stat
    monkeypatch.setattr(index_module, "scan_stat",
                        lambda root: scans.append(root) or real_scan(root))
    view = index.refresh(changed=changed)
    # Within client folders only those folders are listed again; else everything.
    assert len(scans) == (1 if kind in ("settings", "new client", "deleted client") else 0)
    monkeypatch.undo()
    assert _what_it_says(view) == _what_it_says(Index(ws, ENV).refresh())
    assert _what_it_says(view) != _what_it_says(before)
    assert_true_to_disk(ws)


def test_the_checks_across_files_are_redone_only_when_their_facts_change(ws: Path) -> None:
    settle_all(ws)
    fresh_view(ws)
    cache = Index(ws, ENV).cache
    start = cache.generation()
    path = ws / "clients/askona/promises.yaml"
    path.write_text(path.read_text("utf-8").replace("due: 2026-11-21", "due: 2026-11-26")
                    + "# a comment\n", "utf-8")
    fresh_view(ws)
    assert cache.generation() == start  # same ids, owners and links where they were
    assert_true_to_disk(ws)

    path.write_text("# moved down a line\n" + path.read_text("utf-8"), "utf-8")
    fresh_view(ws)
    assert cache.generation() != start  # the lines of every id moved
    assert_true_to_disk(ws)


@pytest.mark.parametrize("where", ["owner", "team"])
def test_an_owner_left_out_of_the_team_is_found_after_either_file_changes(
        ws: Path, where: str) -> None:
    settle_all(ws)
    assert not any("not in the team" in p.message for p in fresh_view(ws).problems)
    if where == "owner":
        path = ws / "clients/askona/promises.yaml"
        path.write_text(path.read_text("utf-8").replace("owner: anna", "owner: zoya", 1),
                        "utf-8")
    else:
        path = ws / "kept.yaml"
        path.write_text(path.read_text("utf-8").replace("handle: anna", "handle: anya"),
                        "utf-8")
    assert any("not in the team" in p.message for p in fresh_view(ws).problems)
    assert_true_to_disk(ws)


@pytest.mark.parametrize("hour", [0, 9, 12, 14, 18, 23])
def test_the_agenda_from_the_views_kept_rows_is_the_agenda_made_afresh(ws: Path,
                                                                      hour: int) -> None:
    """A long-lived process keeps the clock-free part of the promise rows with its
    view; only ``overdue`` moves with the clock, at any hour of any day."""
    from datetime import datetime, timedelta

    from tui.core.dates import Clock

    view = fresh_view(ws)
    rows = view.promise_rows()
    for day in range(-3, 20, 2):
        clock = Clock.at(datetime(2026, 11, 23, hour, 30) + timedelta(days=day))
        for mine in (None, "anna", "ivan"):
            kept = agenda(view.workspace(), clock, days=7, mine=mine,
                          newest_notes=view.newest_notes, rows=rows)
            afresh = agenda(view.workspace(), clock, days=7, mine=mine,
                            newest_notes=view.newest_notes)
            assert kept == afresh
            assert [i.overdue for i in kept] == [i.due.moment() < clock.now for i in kept]


def _change_as_the_app_sees_it(ws: Path, kind: str, tmp_path: Path) -> list[str]:
    """Make one kind of change; return the paths the app's watcher reports for it
    (files, and folders made, moved or removed), relative to the workspace."""
    askona = "clients/askona"
    promises = ws / askona / "promises.yaml"
    note = sorted((ws / askona / "notes").glob("*.md"))[0]
    old_note = note.relative_to(ws).as_posix()
    if kind == "edit":
        promises.write_text(promises.read_text("utf-8").replace(
            "due: 2026-11-21", "due: 2026-12-02"), "utf-8")
        return [f"{askona}/promises.yaml"]
    if kind == "same-size edit":
        promises.write_text(promises.read_text("utf-8").replace("2026-11-21", "2026-11-28"),
                            "utf-8")
        return [f"{askona}/promises.yaml"]
    if kind == "new file":
        (ws / askona / "notes/2026-11-23-call.md").write_text(
            "---\ndate: 2026-11-23\nkind: call\n---\nCalled.\n", "utf-8")
        return [f"{askona}/notes/2026-11-23-call.md"]
    if kind == "deleted file":
        note.unlink()
        return [old_note]
    if kind == "renamed file":
        note.rename(ws / askona / "notes/2026-11-24-renamed.md")
        return [old_note, f"{askona}/notes/2026-11-24-renamed.md"]
    if kind == "card deleted":  # the folder is left without client.yaml: a scan problem
        (ws / askona / "client.yaml").unlink()
        return [f"{askona}/client.yaml"]
    if kind == "symlink inside":
        promises.unlink()
        promises.symlink_to(ws / "clients/urban-bikes/promises.yaml")
        return [f"{askona}/promises.yaml"]
    if kind == "symlink outside":
        outside = tmp_path / "elsewhere.yaml"
        outside.write_text(promises.read_text("utf-8"), "utf-8")
        promises.unlink()
        promises.symlink_to(outside)
        return [f"{askona}/promises.yaml"]
    if kind == "notes folder renamed":
        (ws / askona / "notes").rename(ws / askona / "old-notes")
        return [f"{askona}/notes", f"{askona}/old-notes"]
    if kind == "new client folder":
        (ws / "clients/new-client").mkdir()
        (ws / "clients/new-client/client.yaml").write_text("name: New\n", "utf-8")
        return ["clients/new-client", "clients/new-client/client.yaml"]
    if kind == "empty client folder":
        (ws / "clients/empty").mkdir()
        return ["clients/empty"]
    if kind == "client folder renamed":
        (ws / askona).rename(ws / "clients/askona-2")
        return [askona, "clients/askona-2"]
    assert kind == "deleted client folder"
    gone = ws / "clients/lumen-fintech"
    paths = [p.relative_to(ws).as_posix() for p in gone.rglob("*")]
    shutil.rmtree(gone)
    return ["clients/lumen-fintech", *paths]


ONE_FOLDER = ["edit", "same-size edit", "new file", "deleted file", "renamed file",
              "card deleted", "symlink inside", "symlink outside", "notes folder renamed"]
EVERY_FILE = ["new client folder", "empty client folder", "client folder renamed",
              "deleted client folder"]


@pytest.mark.parametrize("kind", ONE_FOLDER + EVERY_FILE)
def test_a_refresh_of_the_paths_the_app_saw_equals_a_full_one_in_a_new_index(
        ws: Path, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's watcher hands the index the paths it saw change. Whatever the change,
    the view (clients, open promises, newest notes, problems, entries) and the cache's
    rows come out as a new index reading every file into a cache of its own says;
    within one client folder only that folder is listed again."""
    settle_all(ws)
    index = Index(ws, ENV)
    before = index.refresh()
    changed = _change_as_the_app_sees_it(ws, kind, tmp_path)
    scans: list[Path] = []
    real_scan = index_module.scan_stat
    monkeypatch.setattr(index_module, "scan_stat",
                        lambda root: scans.append(root) or real_scan(root))
    view = index.refresh(changed=changed)
    assert len(scans) == (0 if kind in ONE_FOLDER else 1)
    monkeypatch.undo()

    new = Index(ws, {**ENV, "KEPT_CACHE_DIR": str(tmp_path / "another-cache")})
    assert _what_it_says(view) == _what_it_says(new.refresh())
    assert _what_it_says(view) != _what_it_says(before)
    rows = "SELECT path, size, sha FROM files ORDER BY path"
    assert index.cache.query(rows) == new.cache.query(rows)
    assert sorted(index.all_ids()) == sorted(new.all_ids())
    items, problems = truth(ws)
    assert agenda_of(view) == items
    assert sorted(str(p) for p in view.problems) == problems


def test_a_refresh_of_paths_in_a_clients_folder_that_is_gone_falls_back(ws: Path,
                                                                     tmp_path: Path) -> None:
    """The watcher may report a deleted file before the folders above it: when the
    client folders cannot be listed at all, every file is stated (no error)."""
    index = Index(ws, ENV)
    index.refresh()
    shutil.rmtree(ws / "clients")
    view = index.refresh(changed=["clients/askona/client.yaml"])
    new = Index(ws, {**ENV, "KEPT_CACHE_DIR": str(tmp_path / "another-cache")})
    assert _what_it_says(view) == _what_it_says(new.refresh())
    assert not view.clients


def test_the_rows_a_long_lived_index_keeps_follow_every_change(ws: Path) -> None:
    """Rows are kept per file and merged into the last order: after each change they
    are what rows made afresh from the same view are."""
    from tui.core.rules import promise_rows

    settle_all(ws)
    index = Index(ws, ENV)
    index.refresh().promise_rows()
    askona = ws / "clients/askona"
    changes = [
        lambda: (askona / "promises.yaml").write_text((askona / "promises.yaml").read_text(
            "utf-8").replace("due: 2026-11-21", "due: 2026-12-03"), "utf-8"),
        lambda: (askona / "client.yaml").write_text((askona / "client.yaml").read_text(
            "utf-8").replace("name: ", "name: Новая ", 1), "utf-8"),
        lambda: (ws / "clients/urban-bikes/promises.yaml").unlink(),
        lambda: (askona / "notes/2026-11-23-call.md").write_text(
            "---\ndate: 2026-11-23\nkind: call\n---\n- [ ] Send the slides due:2026-11-24\n",
            "utf-8"),
        lambda: (ws / "kept.yaml").write_text((ws / "kept.yaml").read_text("utf-8").replace(
            "name: ", "name: The ", 1), "utf-8"),
    ]
    for change in changes:
        change()
        view = index.refresh()
        assert view.promise_rows() == promise_rows(view.workspace())
        assert agenda_of(view) == truth(ws)[0]
