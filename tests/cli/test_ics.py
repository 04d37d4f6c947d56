"""``kept export ics``: every due item as an event with a stable UID, read back with
the icalendar library."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.conftest import RunKept, git

SAMPLE = Path(__file__).parent.parent / "data" / "sample"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "agency"
    shutil.copytree(SAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample")
    return root


def events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    found = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(list(cal.walk("VEVENT")))  # no UID twice
    return found


def test_every_due_item_is_an_event_with_a_stable_uid(kept: RunKept, root: Path,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "kept.ics"
    result = kept("-w", root, "export", "ics", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out}\n"
    got = events(out.read_bytes())

    agenda = json.loads(kept("-w", root, "agenda", "--json", "--days", "3660").stdout)
    expected = set()
    for item in agenda:
        if item["type"] == "touch":
            expected.add(f"touch-{item['client']}@kept")
        elif item["type"] == "invoice":
            expected.add(f"invoice-{item['client']}-{item['id']}@kept")
        else:
            expected.add(f"{item['id']}@kept")
    assert set(got) == expected
    assert len(got) == len(agenda) == 31

    plan = got["a7k3q9@kept"]
    assert str(plan["summary"]) == "We owe: Send the December media plan — Аскона"
    assert plan.decoded("dtstart") == date(2026, 11, 21)
    assert plan.decoded("dtend") == date(2026, 11, 22)
    reply = got["a5r0t4@kept"]
    assert str(reply["summary"]) == "Reply: Answer: can we add VK Clips to the plan? — Аскона"
    assert reply.decoded("dtstart") == datetime(2026, 11, 22, 18, 30,
                                                tzinfo=ZoneInfo("Europe/Moscow"))
    assert got["invoice-askona-2026-118@kept"].decoded("dtstart") == date(2026, 11, 15)
    assert str(got["touch-northwind-coffee@kept"]["summary"]).startswith(
        "Get in touch: Last contact 12 days ago")

    # The same workspace exports the same bytes; a moved promise keeps its UID.
    assert kept("-w", root, "export", "ics").stdout_bytes == out.read_bytes()
    moved = kept("-w", root, "move", "a7k3q9", "2026-11-27", "--why", "analytics access")
    assert moved.exit_code == 0, moved.output
    again = events(kept("-w", root, "export", "ics").stdout_bytes)
    assert set(again) == set(got)
    assert again["a7k3q9@kept"].decoded("dtstart") == date(2026, 11, 27)


def test_only_one_client_or_only_mine(kept: RunKept, root: Path) -> None:
    askona = events(kept("-w", root, "export", "ics", "--client", "аскона").stdout_bytes)
    assert sorted(askona) == ["a2m8x1@kept", "a5r0t4@kept", "a7k3q9@kept", "a9p4w2@kept",
                              "invoice-askona-2026-118@kept", "touch-askona@kept"]
    mine = events(kept("-w", root, "export", "ics", "--mine",
                       env={"KEPT_USER": "maria"}).stdout_bytes)
    assert sorted(mine) == [
        "g3x7y1@kept", "invoice-romashka-kosmetik-2026-121@kept", "r2q8s4@kept",
        "r6t0u2@kept", "touch-greenfield-dental@kept", "touch-lumen-fintech@kept",
        "touch-romashka-kosmetik@kept", "touch-urban-bikes@kept", "u7v3w9@kept"]
    assert mine["u7v3w9@kept"].decoded("dtend") == datetime(2026, 11, 24, 10, 15,
                                                             tzinfo=ZoneInfo("Europe/Moscow"))
