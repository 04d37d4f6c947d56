"""What a person sees, as SVG snapshots (pytest-textual-snapshot), on the committed
sample workspace at the pinned day. Update with ``pytest --snapshot-update`` after a
deliberate change, and look at the SVGs before committing them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import MakeApp, loaded, settle

SIZE = (120, 40)


def before(*keys: str) -> Callable[[Pilot[None]], Any]:
    async def run(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        if keys:
            await pilot.press(*keys)
        await settle(pilot)

    return run


def test_agenda(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    assert snap_compare(make_app(sample), terminal_size=SIZE, run_before=before())


def test_clients(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    assert snap_compare(make_app(sample), terminal_size=SIZE, run_before=before("2"))


def test_client_page(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    assert snap_compare(make_app(sample), terminal_size=SIZE,
                        run_before=before("2", *"ask", "down", "enter"))


def test_problems(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    (sample / "clients/urban-bikes/promises.yaml").write_text(
        "- id: u7v3w9\n  text: Broken\n  due: 2026-13-45\n  colour: red\n", encoding="utf-8")
    assert snap_compare(make_app(sample), terminal_size=SIZE, run_before=before("3"))


def test_help(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    assert snap_compare(make_app(sample), terminal_size=SIZE,
                        run_before=before("question_mark"))


def test_move_dialog(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    keys = ["down"] * 7 + ["m", *"в пятницу"]  # the 8th row: a7k3q9, ours, overdue
    assert snap_compare(make_app(sample), terminal_size=SIZE, run_before=before(*keys))


def test_stats(sample: Path, make_app: MakeApp, snap_compare: Any) -> None:
    assert snap_compare(make_app(sample), terminal_size=SIZE, run_before=before("5"))
