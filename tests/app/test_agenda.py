"""The agenda screen: what it shows, and every action from the keyboard, checked in
the files and in git."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.app.conftest import MakeApp, loaded, settle
from tests.conftest import git
from tui.app.widgets import AgendaList


def agenda_of(app: object) -> AgendaList:
    from tui.app import KeptApp

    assert isinstance(app, KeptApp)
    return app.screen.query_one("#agenda", AgendaList)


def select(app: object, key: str) -> None:
    """Highlight the agenda row whose item key ends with ``key`` (an id or slug)."""
    agenda = agenda_of(app)
    matches = [k for k in agenda.items if k.endswith(f":{key}")]
    assert len(matches) == 1, matches
    agenda.highlighted = agenda.get_option_index(matches[0])


def test_agenda_shows_every_type_and_the_summary(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            items = agenda_of(app).items.values()
            assert {str(i.type) for i in items} == {
                "promise", "reply", "follow-up", "waiting", "touch", "invoice"}
            summary = str(app.screen.query_one("#summary").render())
            assert "5 overdue · 5 today · 2 clients going quiet · 2 invoices late" in summary
            sections = [o.id for o in agenda_of(app).options if o.disabled]
            assert sections == ["section:Overdue", "section:Today", "section:Next 7 days"]

    asyncio.run(scenario())


def test_d_marks_an_overdue_promise_done(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("d")
            await settle(pilot)
            assert not any(k.endswith(":a7k3q9") for k in agenda_of(app).items)
            text = (sample / "clients/askona/promises.yaml").read_text("utf-8")
            assert "  status: done\n  closed: 2026-11-23\n" in text
            assert git(sample, "log", "-1", "--format=%s").strip() == (
                "done a7k3q9: Send the December media plan (askona)")
            # The next row takes the place of the one that went.
            assert agenda_of(app).selected is not None

    asyncio.run(scenario())


def test_m_moves_with_a_date_in_words_and_a_reason(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("m")
            await pilot.press(*"в пятницу")
            await pilot.press("enter")
            await pilot.press("enter")  # no reason yet: refused, the dialog stays
            await pilot.pause()
            assert "reason" in str(app.screen.query_one("#error").render())
            await pilot.press(*"told Olga")
            await pilot.press("enter")
            await settle(pilot)
            text = (sample / "clients/askona/promises.yaml").read_text("utf-8")
            assert "  due: 2026-11-27\n" in text
            assert "{on: 2026-11-23, from: 2026-11-21, to: 2026-11-27, why: told Olga}" in text
            assert git(sample, "log", "-1", "--format=%s").strip().startswith(
                "move a7k3q9 to 2026-11-27")
            item = next(i for k, i in agenda_of(app).items.items() if k.endswith(":a7k3q9"))
            assert str(item.due) == "2026-11-27" and not item.overdue

    asyncio.run(scenario())


def test_x_drops_with_a_reason(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "n1h5j7")
            await pilot.press("x")
            await pilot.press(*"client changed plans", "enter")
            await settle(pilot)
            text = (sample / "clients/northwind-coffee/promises.yaml").read_text("utf-8")
            assert "  status: dropped\n  closed: 2026-11-23\n" in text
            assert "event: dropped, why: client changed plans}" in text

    asyncio.run(scenario())


def test_a_adds_a_promise_picking_the_client_by_transliteration(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "n1h5j7")  # a Northwind row: the dialog starts with Northwind...
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("shift+tab")  # ...so go back to the client field
            await pilot.press("ctrl+a", "ctrl+k")
            await pilot.press(*"ask", "enter")
            await pilot.press(*"Медиаплан на январь", "enter")
            await pilot.press(*"завтра", "enter")
            await settle(pilot)
            text = (sample / "clients/askona/promises.yaml").read_text("utf-8")
            assert "  text: Медиаплан на январь\n" in text
            assert "  due: 2026-11-24\n" in text
            assert git(sample, "log", "-1", "--format=%s").strip().endswith(
                ": Медиаплан на январь (askona)")
            texts = [i.text for i in agenda_of(app).items.values()]
            assert "Медиаплан на январь" in texts

    asyncio.run(scenario())


def test_t_logs_a_touch_and_the_client_stops_being_quiet(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "northwind-coffee")  # the touch item: 12 days quiet
            await pilot.press("t")
            await pilot.press(*"Called Sarah about spring", "enter")
            await settle(pilot)
            note = sample / "clients/northwind-coffee/notes/2026-11-23-called-sarah-about-spring.md"
            assert note.is_file()
            assert "kind: call" in note.read_text("utf-8")
            touches = [k for k in agenda_of(app).items if k == "touch:northwind-coffee:"
                       "northwind-coffee"]
            item = agenda_of(app).items[touches[0]]
            assert str(item.due) == "2026-11-30" and not item.overdue

    asyncio.run(scenario())


def test_d_on_an_invoice_marks_it_paid(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "BH-0931")
            await pilot.press("d")
            await settle(pilot)
            card = (sample / "clients/blue-harbor-hotels/client.yaml").read_text("utf-8")
            assert "      paid: 2026-11-23                 # the last one: chase it\n" in card
            assert not any(k.endswith(":BH-0931") for k in agenda_of(app).items)

    asyncio.run(scenario())


def test_u_undoes_the_last_change_in_a_new_commit(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        before = (sample / "clients/askona/promises.yaml").read_bytes()
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("d")
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert (sample / "clients/askona/promises.yaml").read_bytes() == before
            assert git(sample, "log", "-1", "--format=%s").strip() == (
                "undo: done a7k3q9: Send the December media plan (askona)")
            assert any(k.endswith(":a7k3q9") for k in agenda_of(app).items)
            await pilot.press("u")  # only one step back
            await settle(pilot)
            assert git(sample, "log", "-1", "--format=%s").strip().startswith("undo: ")
            assert git(sample, "rev-list", "--count", "HEAD").strip() == "3"

    asyncio.run(scenario())


def test_undo_is_refused_when_another_commit_came_after(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("d")
            await settle(pilot)
            (sample / "notes.txt").write_text("x", encoding="utf-8")
            git(sample, "add", "notes.txt")
            git(sample, "commit", "-q", "-m", "someone else")
            await pilot.press("u")
            await settle(pilot)
            assert git(sample, "log", "-1", "--format=%s").strip() == "someone else"
            assert "status: done" in (sample / "clients/askona/promises.yaml").read_text()

    asyncio.run(scenario())


def test_an_edit_refused_when_the_file_changed_the_same_field(
        sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)  # not watching: the app still shows what it read
        path = sample / "clients/askona/promises.yaml"
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            text = path.read_text("utf-8").replace(
                "  due: 2026-11-21\n", "  due: 2026-11-21\n  status: dropped\n", 1)
            path.write_text(text, encoding="utf-8")
            select(app, "a7k3q9")
            await pilot.press("d")
            await settle(pilot)
            assert path.read_text("utf-8") == text
            assert git(sample, "log", "-1", "--format=%s").strip() == "sample workspace"

    asyncio.run(scenario())


def test_e_opens_the_file_at_the_line_in_the_editor(
        sample: Path, make_app: MakeApp, tmp_path: Path) -> None:
    log = tmp_path / "editor.log"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$@" > {log}\n', encoding="utf-8")
    editor.chmod(0o755)

    async def scenario() -> None:
        app = make_app(sample, EDITOR=f"{editor} --wait")
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("e")
            await settle(pilot)

    asyncio.run(scenario())
    assert log.read_text().split() == ["--wait", str(sample / "clients/askona/promises.yaml")]


def test_e_uses_plus_line_for_vim_like_editors(
        sample: Path, make_app: MakeApp, tmp_path: Path) -> None:
    log = tmp_path / "editor.log"
    vim = tmp_path / "bin" / "vim"
    vim.parent.mkdir()
    vim.write_text(f'#!/bin/sh\necho "$@" > {log}\n', encoding="utf-8")
    vim.chmod(0o755)

    async def scenario() -> None:
        app = make_app(sample, VISUAL=str(vim))
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "a7k3q9")
            await pilot.press("e")
            await settle(pilot)

    asyncio.run(scenario())
    assert log.read_text().split() == ["+3", str(sample / "clients/askona/promises.yaml")]
