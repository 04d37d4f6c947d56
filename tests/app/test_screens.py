"""The other screens and the app around them: clients, client page, problems, help,
jump, notes, the user's key map, live files, first run, broken files."""

from __future__ import annotations

import asyncio
import io
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import DataTable, Markdown, OptionList, Static, TabbedContent

from tests.app.conftest import MakeApp, loaded, settle
from tests.app.test_agenda import agenda_of, select
from tests.conftest import git
from tui.app import KeptApp
from tui.app.dialogs.text_editor import TextEditorDialog
from tui.app.screens.client import ClientScreen
from tui.app.screens.clients import ClientsScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.problems import ProblemsScreen
from tui.app.widgets import StatusBar


def test_clients_filter_as_you_type_and_enter_opens_the_page(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("2")
            await pilot.pause()
            assert isinstance(app.screen, ClientsScreen)
            table = app.screen.query_one("#clients", DataTable)
            assert table.row_count == 11
            await pilot.press(*"gor")  # Горизонт, by its Latin spelling
            await pilot.pause()
            assert table.row_count == 1
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ClientScreen)
            assert app.screen.slug == "gorizont-development"

    asyncio.run(scenario())


def test_clients_sort_cycles_columns(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("2", "down")
            screen = app.screen
            assert isinstance(screen, ClientsScreen)
            table = screen.query_one("#clients", DataTable)

            def first() -> str:
                return str(table.get_row_at(0)[0])

            assert first() == "Blue Harbor Hotels"
            await pilot.press("o")  # name, descending
            assert first() == "ТехноСтрой"
            await pilot.press("o", "o")  # status, descending
            assert str(table.get_row_at(0)[1]) == "paused"

    asyncio.run(scenario())


def test_client_page_shows_card_promises_notes_and_history(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ClientScreen)
            console = Console(width=60, record=True, file=io.StringIO())
            console.print(screen.query_one("#card-text", Static).content)
            card = console.export_text()
            assert "Ольга Петрова" in card and "★ decides" in card
            assert "call when on fire" in card
            assert "late since 15 Nov" in card
            promises = screen.query_one("#promises", DataTable)
            rows = [[str(c) for c in promises.get_row_at(i)] for i in range(promises.row_count)]
            # Ours first: open by due, then closed with how they went; then theirs.
            assert list(screen.promises) == ["a7k3q9", "a5r0t4", "a9p4w2", "a3f6b7",
                                             "a2m8x1"]
            assert rows[1][1].startswith("Answer: can we add VK Clips")
            assert [r[3] for r in rows] == ["2 days late", "1 day late", "in 6 days",
                                            "kept on time", "1 day late"]
            history = screen.query_one("#history", DataTable)
            assert "sample workspace" in str(history.get_row_at(0)[2])
            screen.query_one("#tabs", TabbedContent).active = "tab-notes"
            await pilot.pause()
            notes = screen.query_one("#notes", OptionList)
            assert notes.option_count == 2
            body = screen.query_one("#note-body", Markdown)
            assert "VK Clips" in body.source
            await pilot.press("escape")
            assert app.screen is not screen

    asyncio.run(scenario())


def test_jump_finds_cyrillic_by_latin_and_opens_the_promise(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("slash", *"samples")
            await pilot.pause()
            hits = app.screen.query_one("#hits", OptionList)
            assert hits.highlighted_option is not None
            assert hits.highlighted_option.id == "promise:r2q8s4"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ClientScreen)
            assert app.screen.slug == "romashka-kosmetik"
            assert app.screen.selected_promise is not None
            assert app.screen.selected_promise.id == "r2q8s4"
            await pilot.press("escape", "slash", *"ромашк")
            await pilot.pause()
            hits = app.screen.query_one("#hits", OptionList)
            assert hits.highlighted_option is not None
            assert hits.highlighted_option.id == "client:romashka-kosmetik"

    asyncio.run(scenario())


def test_problems_list_every_problem_and_enter_opens_it(
        sample: Path, make_app: MakeApp, tmp_path: Path) -> None:
    (sample / "clients/urban-bikes/promises.yaml").write_text(
        "- id: u7v3w9\n  text: Broken\n  due: 2026-13-45\n", encoding="utf-8")
    log = tmp_path / "editor.log"
    editor = tmp_path / "nano"
    editor.write_text(f'#!/bin/sh\necho "$@" > {log}\n', encoding="utf-8")
    editor.chmod(0o755)

    async def scenario() -> None:
        app = make_app(sample, EDITOR=str(editor))
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            bar = app.screen.query_one(StatusBar)
            assert bar.errors == 1
            assert "1 problem" in str(bar.render())
            await pilot.press("3")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            table = app.screen.query_one("#problems", DataTable)
            assert str(table.get_row_at(0)[1]) == "clients/urban-bikes/promises.yaml:3:8"
            assert "is not a date" in str(table.get_row_at(0)[2])
            await pilot.press("enter")
            await settle(pilot)

    asyncio.run(scenario())
    assert log.read_text().split() == ["+3", str(sample / "clients/urban-bikes/promises.yaml")]


def test_help_lists_every_binding_with_its_id(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            table = app.screen.query_one("#keys", DataTable)
            rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
            ids = {r[3] for r in rows}
            assert {"done", "move", "drop", "add", "touch", "note", "edit", "undo", "jump",
                    "help", "quit", "agenda", "clients", "problems"} <= ids
            assert ["agenda", "d", "Done", "done"] in rows
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)

    asyncio.run(scenario())


def test_keymap_from_the_user_config_remaps_a_binding(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample, config='[keymap]\ndone = "space"\n')
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            path = sample / "clients/askona/promises.yaml"
            before = path.read_text("utf-8")
            await pilot.press("d")  # no longer bound
            await settle(pilot)
            assert path.read_text("utf-8") == before
            await pilot.press("space")
            await settle(pilot)
            assert path.read_text("utf-8").count("status: done") == before.count(
                "status: done") + 1

    asyncio.run(scenario())


def test_a_broken_config_is_reported_and_the_defaults_used(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample, config="theme = [\n")
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            assert any("using the defaults" in n.message for n in app._notifications)
            assert app.theme == "textual-dark"

    asyncio.run(scenario())


def test_new_note_in_the_built_in_editor_is_committed(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("n", *"Weekly call", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TextEditorDialog)
            await pilot.press(*"Olga approved the plan.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            note = sample / "clients/askona/notes/2026-11-23-weekly-call.md"
            text = note.read_text("utf-8")
            assert text.startswith("---\ndate: 2026-11-23\nkind: meeting\ntitle: Weekly call\n")
            assert "Olga approved the plan." in text
            assert git(sample, "log", "-1", "--format=%s").strip() == "note askona: Weekly call"

    asyncio.run(scenario())


def test_new_note_in_the_users_editor_is_committed(
        sample: Path, make_app: MakeApp, tmp_path: Path) -> None:
    editor = tmp_path / "write-note"
    editor.write_text('#!/bin/sh\nfor f; do :; done\necho "Decided: go." >> "$f"\n',
                      encoding="utf-8")
    editor.chmod(0o755)

    async def scenario() -> None:
        app = make_app(sample, EDITOR=str(editor))
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("n", *"Kickoff 2", "enter")
            await settle(pilot)

    asyncio.run(scenario())
    note = sample / "clients/askona/notes/2026-11-23-kickoff-2.md"
    assert note.read_text("utf-8").endswith("Decided: go.\n")
    assert git(sample, "status", "--porcelain").strip() == ""


def test_edits_made_in_another_editor_show_up_and_keep_the_selection(
        sample: Path, make_app: MakeApp) -> None:
    path = sample / "clients/urban-bikes/promises.yaml"

    async def scenario() -> None:
        app = make_app(sample, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "h4j8k2")
            await pilot.pause(0.3)  # let the watcher start
            # An editor that saves by rename, as vim does.
            text = path.read_text("utf-8").replace('due: "2026-11-24 10:00"',
                                                    'due: "2026-11-25 11:00"')
            tmp = path.with_name(".promises.yaml.swp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            start = time.monotonic()
            while time.monotonic() - start < 3:
                await pilot.pause(0.05)
                items = agenda_of(app).items
                item = items.get("reply:urban-bikes:u7v3w9")
                if item is not None and str(item.due) == "2026-11-25 11:00":
                    break
            assert item is not None and str(item.due) == "2026-11-25 11:00"
            assert time.monotonic() - start < 1.0
            selected = agenda_of(app).selected
            assert selected is not None and selected.id == "h4j8k2"

    asyncio.run(scenario())


def test_an_edit_made_before_the_watch_began_is_caught(
        sample: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher starts a moment after the agenda is painted: a file changed between
    the load and then is found by the one full reload made when the watch begins."""
    import tui.app.app

    monkeypatch.setattr(tui.app.app, "AFTER_FIRST_PAINT", 1.0)  # time to edit before it
    path = sample / "clients/urban-bikes/promises.yaml"

    async def scenario() -> None:
        app = make_app(sample, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.generation:
                await pilot.pause(0.01)
            assert not any(w.group == "watch" for w in app.workers)  # not watching yet
            path.write_text(path.read_text("utf-8").replace(
                'due: "2026-11-24 10:00"', 'due: "2026-11-25 11:00"'), encoding="utf-8")
            start = time.monotonic()
            item = None
            while time.monotonic() - start < 3:
                await pilot.pause(0.05)
                item = agenda_of(app).items.get("reply:urban-bikes:u7v3w9")
                if item is not None and str(item.due) == "2026-11-25 11:00":
                    break
            assert item is not None and str(item.due) == "2026-11-25 11:00"

    asyncio.run(scenario())


def test_a_workers_word_arriving_as_the_app_closes_is_let_go(
        sample: Path, make_app: MakeApp) -> None:
    """Git status and a reload are worked out in threads; their messages can land after
    the last screen is gone, and the app closes without a traceback."""
    from tui.app.messages import GitStatusChanged, WorkspaceLoaded

    async def scenario() -> KeptApp:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
        return app

    app = asyncio.run(scenario())
    assert not app.screen_stack
    app.on_git_status_changed(GitStatusChanged(None))
    app.on_workspace_loaded(WorkspaceLoaded())


def test_client_folders_made_and_removed_in_a_file_manager_show_up(
        sample: Path, make_app: MakeApp) -> None:
    """Folders, not only files: a client folder removed takes its items off the agenda,
    an empty one made is a problem (no client.yaml) — as a full reload would say."""

    async def scenario() -> None:
        app = make_app(sample, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.pause(0.3)  # let the watcher start

            def shown(slug: str) -> bool:
                return any(k.split(":")[1] == slug for k in agenda_of(app).items)

            def problems() -> list[str]:
                assert app.session is not None
                return [p.path for p in app.session.view.problems]

            async def until(done: Callable[[], bool]) -> None:
                start = time.monotonic()
                while not done() and time.monotonic() - start < 3:
                    await pilot.pause(0.05)

            assert shown("urban-bikes")
            shutil.rmtree(sample / "clients/urban-bikes")
            await until(lambda: not shown("urban-bikes"))
            assert not shown("urban-bikes")
            assert app.session is not None and "urban-bikes" not in app.session.clients
            (sample / "clients/new-agency").mkdir()  # a folder alone: no file event
            await until(lambda: "clients/new-agency" in problems())
            assert "clients/new-agency" in problems()

    asyncio.run(scenario())


def test_the_apps_own_writes_are_not_taken_for_outside_edits(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.pause(0.3)
            select(app, "a7k3q9")
            await pilot.press("d")
            for _ in range(30):
                await pilot.pause(0.05)
            messages = [n.message for n in app._notifications]
            assert any(m.startswith("done a7k3q9") for m in messages)
            assert not any("outside" in m for m in messages)

    asyncio.run(scenario())


def test_first_run_on_an_empty_workspace_says_what_to_do(
        tmp_path: Path, make_app: MakeApp, kept: object) -> None:
    from click.testing import Result

    root = tmp_path / "new"
    result = kept("init", root)  # type: ignore[operator]
    assert isinstance(result, Result) and result.exit_code == 0

    async def scenario() -> None:
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            welcome = app.screen.query_one("#welcome")
            assert welcome.display
            assert "no clients yet" in str(welcome.render())
            await pilot.press("c", *"Аскона", "enter")
            await settle(pilot)
            assert (root / "clients/askona/client.yaml").is_file()
            assert not app.screen.query_one("#welcome").display

    asyncio.run(scenario())


def test_broken_files_never_stop_the_app(sample: Path, make_app: MakeApp) -> None:
    (sample / "clients/askona/client.yaml").write_bytes(b"name: [unclosed\n\xff")
    (sample / "kept.yaml").write_text("kept: 1\nteam: {\n", encoding="utf-8")

    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            clients = {i.client for i in agenda_of(app).items.values()}
            assert "northwind-coffee" in clients
            assert app.screen.query_one(StatusBar).errors == 2

    asyncio.run(scenario())


def test_theme_toggles_between_light_and_dark(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample, config='theme = "textual-light"\n')
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            assert app.theme == "textual-light"
            await pilot.press("ctrl+t")
            assert app.current_theme.dark

    asyncio.run(scenario())


def test_the_command_palette_holds_every_action_and_every_client(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            titles = {c.title for c in app.get_system_commands(app.screen)}
            assert {"Agenda", "Clients", "Problems", "Jump", "Add a promise", "Log a touch",
                    "New meeting note", "New client", "Undo", "Keys"} <= titles
            assert "Open Аскона" in titles

    asyncio.run(scenario())


def test_an_edit_goes_on_top_of_an_outside_change_to_another_promise(
        sample: Path, make_app: MakeApp) -> None:
    path = sample / "clients/askona/promises.yaml"

    async def scenario() -> None:
        app = make_app(sample)  # not watching: the app still holds what it read first
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await settle(pilot)  # start-up work (numbering task lines) is done
            outside = path.read_text("utf-8").replace(
                "text: Monthly performance report", "text: Monthly report (with video)")
            path.write_text(outside, encoding="utf-8")
            select(app, "a7k3q9")
            await pilot.press("d")
            await settle(pilot)
            text = path.read_text("utf-8")
            assert "text: Monthly report (with video)" in text
            assert text.count("status: done") == outside.count("status: done") + 1
            assert any("had changed on disk" in n.message for n in app._notifications)

    asyncio.run(scenario())


def test_the_status_bar_shows_ahead_and_behind(sample: Path, make_app: MakeApp,
                                               tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(sample, "remote", "add", "origin", str(remote))
    git(sample, "push", "-q", "-u", "origin", "main")

    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("d")
            await settle(pilot)
            app.refresh_git()
            await settle(pilot)
            bar = str(app.screen.query_one(StatusBar).render())
            assert "main" in bar and "clean" in bar and "↑1 ↓0" in bar

    asyncio.run(scenario())


def test_s_syncs_in_the_background_and_conflicts_are_settled_on_screen_4(
        sample: Path, make_app: MakeApp, tmp_path: Path, kept: object) -> None:
    """Two account managers move the same promise; the second syncs in the app, sees
    the conflict on the conflicts screen and takes theirs."""
    from click.testing import Result

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(sample, "remote", "add", "origin", str(remote))
    git(sample, "push", "-q", "-u", "origin", "main")
    other = tmp_path / "ivan"
    result = kept("clone", remote, other)  # type: ignore[operator]
    assert isinstance(result, Result) and result.exit_code == 0, result.stderr
    assert kept("-w", other, "move", "a7k3q9", "2026-11-28",  # type: ignore[operator]
                "--why", "Ivan: after the holiday").exit_code == 0
    assert kept("-w", other, "sync").exit_code == 0  # type: ignore[operator]

    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("m", *"2026-11-26", "enter", *"Anna: Monday", "enter")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert "synced" in app.sync_note
            assert any("1 conflict needs you" in n.message for n in app._notifications)
            assert "1 conflict (4)" in str(app.screen.query_one(StatusBar).render())
            await pilot.press("4")
            await pilot.pause()
            table = app.screen.query_one("#conflicts", DataTable)
            row = [str(c) for c in table.get_row_at(0)]
            assert row[1:] == ["a7k3q9 due", "2026-11-26", "2026-11-28", "2026-11-21"]
            await pilot.press("t")
            await settle(pilot)
            assert table.row_count == 0
            text = (sample / "clients/askona/promises.yaml").read_text("utf-8")
            assert "  due: 2026-11-28\n" in text and "conflict" not in text
            assert "why: 'Anna: Monday'" in text and "why: 'Ivan: after the holiday'" in text

    asyncio.run(scenario())


def test_a_failed_sync_is_shown_never_silent(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)  # no remote at all
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("s")
            await settle(pilot)
            failed = [n for n in app._notifications if n.title == "Sync failed"]
            assert failed and "remote" in failed[0].message
            assert "sync failed" in str(app.screen.query_one(StatusBar).render())

    asyncio.run(scenario())


def test_background_sync_is_off_unless_the_config_sets_it(tmp_path: Path) -> None:
    from tui.app.config import load_config

    path = tmp_path / "c.toml"
    path.write_text("", encoding="utf-8")
    assert load_config({"KEPT_CONFIG": str(path)}).sync_every is None
    path.write_text('sync_every = "15min"\n', encoding="utf-8")
    every = load_config({"KEPT_CONFIG": str(path)}).sync_every
    assert every is not None and str(every) == "15min"
    path.write_text('sync_every = "often"\n', encoding="utf-8")
    broken = load_config({"KEPT_CONFIG": str(path)})
    assert broken.sync_every is None and "not a duration" in broken.problem
