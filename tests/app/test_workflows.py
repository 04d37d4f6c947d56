"""The account manager's workflows in the app: follow-up keys, a client's request,
notes' task lines kept in step with the app, and the KPI screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.app.conftest import MakeApp, loaded, settle
from tests.app.test_agenda import agenda_of, select
from tests.conftest import git
from tui.workspace.tasks import provisional_id

GREENFIELD = "clients/greenfield-dental/promises.yaml"


def test_k_chases_a_follow_up_and_d_means_they_answered(sample: Path,
                                                        make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            item = next(i for i in agenda_of(app).items.values() if i.id == "g3x7y1")
            assert item.text.startswith("chase 2/6 by email · Proposal")
            select(app, "g3x7y1")
            await pilot.press("k")
            await pilot.press(*"wrote to Paul")
            await pilot.press("enter")
            await settle(pilot)
            text = (sample / GREENFIELD).read_text("utf-8")
            assert text.endswith(
                "  due: 2026-11-30\n  kind: follow-up\n  step: 3\n  history:\n"
                "    - {on: 2026-11-22, event: chased, why: 'chase 2/6: no answer yet'}\n"
                "    - {on: 2026-11-23, event: chased, from: 2026-11-24, to: 2026-11-30, "
                "why: wrote to Paul}\n")
            assert git(sample, "log", "-1", "--format=%s").startswith(
                "chased g3x7y1: step 2/6, wrote to Paul; next 3/6 due 2026-11-30")
            item = next(i for i in agenda_of(app).items.values() if i.id == "g3x7y1")
            assert item.text.startswith("chase 3/6 by email · ")

            select(app, "n4c8d2")  # Northwind's follow-up, due today
            await pilot.press("d")
            await settle(pilot)
            northwind = (sample / "clients/northwind-coffee/promises.yaml").read_text("utf-8")
            assert ("  status: done\n  closed: 2026-11-23\n  kind: follow-up\n  history:\n"
                    "    - {on: 2026-11-23, event: answered}\n") in northwind
            assert not any(i.id == "n4c8d2" for i in agenda_of(app).items.values())

            select(app, "a7k3q9")
            await pilot.press("k")  # not a follow-up: a warning, no dialog
            await pilot.pause()
            assert app.screen.id != "dialog" and len(app.screen_stack) == 1

    asyncio.run(scenario())


def test_r_records_a_request_and_l_starts_a_follow_up(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "urban-bikes")  # a touch row: its client is picked already
            await pilot.press("r")
            await pilot.press(*"Can we pause the brand campaign?")
            await pilot.press("tab")
            await pilot.press(*"Tom Becker")
            await pilot.press("enter")
            await settle(pilot)
            urban = (sample / "clients/urban-bikes/promises.yaml").read_text("utf-8")
            assert ("  text: Can we pause the brand campaign?\n  by: us\n  owner: anna\n"
                    "  to: Tom Becker\n  made: '2026-11-23 12:00'\n  due: '2026-11-23 12:15'\n"
                    "  kind: reply\n") in urban

            await pilot.press("l")
            await pilot.press(*"Estimate for the spring video")
            await pilot.press("enter", "enter")
            await settle(pilot)
            urban = (sample / "clients/urban-bikes/promises.yaml").read_text("utf-8")
            assert ("  text: Estimate for the spring video\n  by: us\n  owner: anna\n"
                    "  made: 2026-11-23\n  due: 2026-11-24\n  kind: follow-up\n  step: 1\n"
                    ) in urban
            texts = [i.text for i in agenda_of(app).items.values()]
            assert "chase 1/6 by slack · Estimate for the spring video" in texts
            assert len(git(sample, "log", "--format=%s").splitlines()) == 3

    asyncio.run(scenario())


NOTE = "clients/urban-bikes/notes/2026-11-20-weekly-sync.md"


def test_a_note_edited_by_hand_and_in_the_app_stays_in_step(sample: Path,
                                                           make_app: MakeApp) -> None:
    path = sample / NOTE
    original = path.read_text("utf-8")
    path.write_text(original + "\n- [ ] Audience warm-up plan due:в пятницу\n"
                    "- [x] @client Spring collection photos due:2026-11-21\n", "utf-8")
    git(sample, "commit", "-q", "-am", "notes from the weekly sync")
    plan = provisional_id(NOTE, False, "Audience warm-up plan", 0)
    photos = provisional_id(NOTE, True, "Spring collection photos", 0)

    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await settle(pilot)
            # First sight: ids written on those lines only, the tick dated, one commit.
            assert path.read_text("utf-8") == original + (
                f"\n- [ ] Audience warm-up plan due:в пятницу ^{plan}\n"
                f"- [x] @client Spring collection photos due:2026-11-21 ^{photos}\n"
                "  - 2026-11-23 done\n")
            assert git(sample, "log", "-1", "--format=%s").strip() == (
                "number 2 task lines and date 1 ticked box in urban-bikes/2026-11-20-weekly-sync")
            assert git(sample, "status", "--porcelain") == ""

            # In the app: m rewrites the due word, d ticks the box.
            select(app, plan)
            await pilot.press("m")
            await pilot.press(*"2026-11-30")
            await pilot.press("enter")
            await pilot.press(*"Tom is away")
            await pilot.press("enter")
            await settle(pilot)
            assert (f"- [ ] Audience warm-up plan due:2026-11-30 ^{plan}\n"
                    "  - 2026-11-23 moved from 2026-11-27 to 2026-11-30: Tom is away\n"
                    ) in path.read_text("utf-8")

            # By hand in an editor: untick the photos, tick the plan.
            text = path.read_text("utf-8").replace("- [x] @client Spring", "- [ ] @client Spring")
            path.write_text(text.replace("- [ ] Audience", "- [x] Audience"), "utf-8")
            app.reload_workspace(outside=True)
            await settle(pilot)
            ids = {i.id for i in agenda_of(app).items.values()}
            assert photos in ids and plan not in ids
            assert (f"- [x] Audience warm-up plan due:2026-11-30 ^{plan}\n"
                    "  - 2026-11-23 moved from 2026-11-27 to 2026-11-30: Tom is away\n"
                    "  - 2026-11-23 done\n") in path.read_text("utf-8")
            assert git(sample, "status", "--porcelain") == ""

            select(app, photos)
            await pilot.press("d")
            await settle(pilot)
            assert (f"- [x] @client Spring collection photos due:2026-11-21 ^{photos}\n"
                    "  - 2026-11-23 done\n  - 2026-11-23 done\n") in path.read_text("utf-8")
            assert photos not in {i.id for i in agenda_of(app).items.values()}

    asyncio.run(scenario())


def test_5_shows_the_kpis_and_b_switches_to_clients(sample: Path, make_app: MakeApp) -> None:
    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("5")
            await settle(pilot)
            title = str(app.screen.query_one("#title").render())
            assert "KPIs — 2026-10-24 to 2026-11-23 · by AM" in title
            ours = str(app.screen.query_one("#tile-ours").render())
            assert ours == "Kept on time, ours\n50.0 %\n3 of 6\n1 moved, 2 days lost"
            chart = str(app.screen.query_one("#chart-kept").render())
            assert "Анна Турбина" in chart and "33.3 %" in chart
            await pilot.press("b")
            await pilot.pause()
            chart = str(app.screen.query_one("#chart-kept").render())
            assert "Аскона" in chart
            assert "by client" in str(app.screen.query_one("#title").render())

    asyncio.run(scenario())


def test_a_follow_up_that_cannot_be_written_comes_back_with_what_was_typed(
        sample: Path, make_app: MakeApp) -> None:
    from textual.widgets import Input, Label

    from tui.app.dialogs.workflows import ChaseDialog

    urban = sample / "clients/urban-bikes/promises.yaml"
    urban.write_text(urban.read_text("utf-8") + "- id: [broken\n", encoding="utf-8")

    async def scenario() -> None:
        app = make_app(sample)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            select(app, "urban-bikes")
            await pilot.press("l")
            await pilot.press(*"Estimate for the spring video")
            await pilot.press("enter", "enter")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ChaseDialog)
            assert dialog.query_one("#text", Input).value == "Estimate for the spring video"
            error = str(dialog.query_one("#error", Label).render())
            assert "promises.yaml" in error and "Fix it first" in error
            assert git(sample, "log", "--format=%s").splitlines() == ["sample workspace"]

    asyncio.run(scenario())
