"""The ``kept`` command line, end to end: real files, real git, click's CliRunner.

Each test runs a command the way a person types it and then looks at what a person
would look at: the files, ``git log`` and ``git diff``, stdout for scripts and stderr
for messages. Today is pinned to Monday 2026-11-23 (conftest); the git user is
Анна Турбина <anna@acme.example>, the team member ``anna``.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click
import pytest
from ruamel.yaml import YAML

from tests.conftest import RunKept, WriteWorkspace, git
from tui.cli import main
from tui.core.dates import Due
from tui.errors import EditConflict, InvalidInput
from tui.services import actions
from tui.services.agenda import cells, fit
from tui.services.context import Session

TODAY = date(2026, 11, 23)
PROMISES = "clients/askona/promises.yaml"
GITIGNORE = ".kept/\n"

ASKONA = """\
name: Аскона
status: active
owner: anna
since: 2024-03-01
touch: biweekly
"""

ASTRA = """\
name: Астра
status: active
owner: ivan
since: 2025-01-10
touch: monthly
"""

SIMPLE = """\
- id: 7k3q9m
  text: Send the December media plan
  by: us
  owner: anna
  made: 2026-11-20
  due: 2026-11-25
  status: open

- id: d0n3d0
  text: Fix the conversion pixel
  by: us
  owner: anna
  due: 2026-11-14
  status: done
  closed: 2026-11-20

- id: r1p2t3
  text: Monthly performance report
  by: us
  owner: anna
  to: Ольга Петрова
  due: 2026-10-31
  status: open
  kind: report
  repeat: monthly
"""

# A promises.yaml written by hand: comments everywhere, mixed quoting, extra spaces,
# null and ~, flow history, blank lines and a comment line between items.
HAND_WRITTEN = """\
# Аскона — what we promised, and what they owe us.
# Keep the newest at the bottom.

- id: 7k3q9m          # from the kickoff
  text: 'Send the December media plan'
  by:   us
  owner: anna
  to: "Ольга Петрова"
  made: 2026-11-20
  due: 2026-11-25     # end of day
  status: open
  closed: null
  kind: task
  repeat: ~
  history:
    - {on: 2026-11-21, from: 2026-11-24, to: 2026-11-25, why: 'waiting for analytics access'}

# --- theirs ---
- id: m2x8p4
  text: "Access to Yandex Metrica"
  by: client
  owner:  Ольга Петрова
  made: 2026-11-20
  due: 2026-11-22   # they are late
  status: open
  history: [{on: 2026-11-23, event: chased, why: "reminded in Telegram"}]

- id: q5w1e9
  text: Weekly report   # every Friday
  by: us
  due: 2026-11-27
"""


# --- helpers -------------------------------------------------------------------------


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


def promise_in(root: Path, promise_id: str, relative: str = PROMISES) -> dict[str, Any]:
    found = [p for p in load_yaml(root / relative) if p["id"] == promise_id]
    assert len(found) == 1, f"{promise_id} is in {relative} {len(found)} times"
    return found[0]  # type: ignore[no-any-return]


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def subject(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").rstrip("\n")


def files_in_head(root: Path) -> list[str]:
    out = git(root, "show", "--name-only", "--format=", "HEAD")
    return sorted(line for line in out.splitlines() if line)


def changed_lines(root: Path) -> list[str]:
    """The + and - lines of the last commit's diff, without headers or context."""
    out = git(root, "diff", "HEAD~1", "HEAD", "-U0")
    lines, in_hunk = [], False
    for line in out.splitlines():
        if line.startswith("@@"):
            in_hunk = True
        elif line.startswith("diff --git"):
            in_hunk = False
        elif in_hunk and line[:1] in ("+", "-"):
            lines.append(line)
    return lines


def workspace(write_ws: WriteWorkspace, promises: str = SIMPLE,
              more: dict[str, str] | None = None) -> Path:
    """Аскона with ``promises``, plus any other files; committed."""
    files = {".gitignore": GITIGNORE, "clients/askona/client.yaml": ASKONA,
             PROMISES: promises, **(more or {})}
    return write_ws(files)


def agenda(kept: RunKept, root: Path, *args: str,
           env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    result = kept("-w", root, "agenda", "--json", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


# --- help ----------------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...],
                                                                           click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


ALL_COMMANDS = _commands(main)


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path, _ in ALL_COMMANDS}
    assert {"init", "demo", "check", "agenda", "add", "add client", "add promise", "done",
            "move", "drop", "touch", "note"} <= names


@pytest.mark.parametrize("path", [p for p, _ in ALL_COMMANDS], ids=" ".join)
def test_every_command_has_help(kept: RunKept, path: tuple[str, ...]) -> None:
    command = dict(ALL_COMMANDS)[path]
    assert (command.help or "").strip(), f"kept {' '.join(path)} has no help text"
    result = kept(*path, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.stdout
    first_paragraph = (command.help or "").strip().split("\n\n")[0]
    assert " ".join(first_paragraph.split()) in " ".join(result.stdout.split())


def test_the_main_command_has_help(kept: RunKept) -> None:
    assert (main.help or "").strip()
    result = kept("--help")
    assert result.exit_code == 0
    for name in ("agenda", "done", "move", "drop", "touch", "note", "init", "check"):
        assert f"  {name}" in result.stdout


# --- init and the demo ---------------------------------------------------------------


def _due_moment(due: str) -> datetime:
    """A date means the end of that day; a date and time means that minute."""
    if " " in due:
        return datetime.fromisoformat(due)
    return datetime.combine(date.fromisoformat(due), time.max)


def test_demo_agenda_shows_every_type_in_the_documented_order(kept: RunKept,
                                                              tmp_path: Path) -> None:
    root = tmp_path / "demo"
    made = kept("init", root, "--demo")
    assert made.exit_code == 0, made.stderr
    assert git(root, "status", "--porcelain") == ""

    items = agenda(kept, root)

    assert {i["type"] for i in items} == {"promise", "reply", "follow-up", "waiting",
                                          "touch", "invoice"}
    # Overdue first, overdue replies ahead of the rest (a client waits for an answer),
    # then by due moment, client and id.
    keys = [(not i["overdue"], not (i["overdue"] and i["type"] == "reply"),
             _due_moment(i["due"]), i["client"], i["id"]) for i in items]
    assert keys == sorted(keys)
    assert items[0]["type"] == "reply"
    flags = [i["overdue"] for i in items]
    assert True in flags and False in flags
    assert flags == sorted(flags, reverse=True)  # every overdue item comes first
    horizon = datetime.combine(date(2026, 11, 30), time.max)
    for item in items:
        assert {"type", "id", "client", "text", "due", "overdue", "path", "line"} <= set(item)
        assert item["text"]
        assert _due_moment(item["due"]) <= horizon
        if " " not in item["due"] and date.fromisoformat(item["due"]) != TODAY:
            assert item["overdue"] == (date.fromisoformat(item["due"]) < TODAY), item
        assert item["path"].startswith(f"clients/{item['client']}/")
        lines = (root / item["path"]).read_text("utf-8").splitlines()
        assert 1 <= item["line"] <= len(lines), item
        at = lines[item["line"] - 1]
        if item["type"] == "invoice":
            assert item["path"].endswith("client.yaml")
            assert item["id"] in at, (item, at)
        elif item["type"] == "touch":
            assert item["path"] == f"clients/{item['id']}/client.yaml"
        elif item["path"].endswith(".md"):  # a task line in a meeting note
            assert at.startswith("- [ ] ") and at.endswith(f" ^{item['id']}"), (item, at)
        else:
            assert item["path"].endswith("promises.yaml")
            assert f"id: {item['id']}" in at, (item, at)


@pytest.mark.parametrize("text", ["Аскона", "Northwind", "北京烤鸭店", "Cafe\u0301 ☕ 👍",
                                  "a\u200bb\u00ad", "ＡＢＣ", "Ёлки-палки",
                                  "Счёт № 5: 150\u202f000 ₽ — «срочно»…", "x\u2060\u200fy"])
@pytest.mark.parametrize("width", [1, 4, 7, 30])
def test_agenda_columns_measure_text_as_the_terminal_shows_it(text: str, width: int) -> None:
    from rich.cells import cell_len  # what the app's renderer measures

    assert cells(text) == cell_len(text)
    fitted = fit(text, width)
    assert cell_len(fitted) == width
    assert fitted == text + " " * (width - cell_len(text)) or fitted.rstrip().endswith("…")


def test_init_refuses_a_folder_that_is_not_empty(kept: RunKept, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "plan.txt").write_text("my own notes\n", encoding="utf-8")

    result = kept("init", target)

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: ")
    assert "not empty" in result.stderr
    assert result.stdout == ""
    no_traceback(result)
    assert sorted(p.name for p in target.iterdir()) == ["plan.txt"]
    assert (target / "plan.txt").read_text("utf-8") == "my own notes\n"


def test_init_makes_a_committed_workspace_with_me_in_the_team(kept: RunKept,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "acme"

    result = kept("init", target)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{target}\n"
    settings = load_yaml(target / "kept.yaml")
    assert settings["team"] == [
        {"handle": "anna", "name": "Анна Турбина", "email": "anna@acme.example"}
    ]
    assert settings["name"] == "acme"
    assert (target / "templates" / "note.md").is_file()
    assert git(target, "log", "--format=%s") == "kept init\n"
    assert git(target, "status", "--porcelain") == ""
    check = kept("-w", target, "check")
    assert check.exit_code == 0, check.output
    assert check.stdout == ""


# --- the round trip on a hand-written file -------------------------------------------


def test_done_move_add_change_only_their_lines_one_commit_each(
        kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws, HAND_WRITTEN)

    done = kept("-w", root, "done", "7k3q9m")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""
    assert commits(root) == 2
    assert subject(root) == "done 7k3q9m: Send the December media plan (askona)"
    assert files_in_head(root) == [PROMISES]
    assert changed_lines(root) == [
        "-  status: open",
        "-  closed: null",
        "+  status: done",
        "+  closed: 2026-11-23",
    ]

    moved = kept("-w", root, "move", "m2x8p4", "в пятницу", "--why", "Ольга в отпуске")
    assert moved.exit_code == 0, moved.stderr
    assert moved.stdout == "2026-11-27\n"
    assert commits(root) == 3
    assert subject(root) == (
        "move m2x8p4 to 2026-11-27: Access to Yandex Metrica (askona) — Ольга в отпуске")
    assert files_in_head(root) == [PROMISES]
    assert changed_lines(root) == [
        "-  due: 2026-11-22   # they are late",
        "+  due: 2026-11-27   # they are late",
        '-  history: [{on: 2026-11-23, event: chased, why: "reminded in Telegram"}]',
        '+  history: [{on: 2026-11-23, event: chased, why: "reminded in Telegram"}, '
        "{on: 2026-11-23, from: 2026-11-22, to: 2026-11-27, why: Ольга в отпуске}]",
    ]

    added = kept("-w", root, "add", "promise", "askona", "Call about the Q1 budget",
                 "--due", "2026-11-26", "--to", "Ольга Петрова")
    assert added.exit_code == 0, added.stderr
    new_id = added.stdout.strip()
    assert added.stdout == f"{new_id}\n"
    assert len(new_id) == 6 and new_id.isalnum() and new_id == new_id.lower()
    assert new_id not in {"7k3q9m", "m2x8p4", "q5w1e9"}
    assert commits(root) == 4
    assert subject(root) == f"add promise {new_id}: Call about the Q1 budget (askona)"
    assert files_in_head(root) == [PROMISES]
    assert changed_lines(root) == [
        "+",
        f"+- id: {new_id}",
        "+  text: Call about the Q1 budget",
        "+  by: us",
        "+  owner: anna",
        "+  to: Ольга Петрова",
        "+  made: 2026-11-23",
        "+  due: 2026-11-26",
    ]
    # Everything else is still exactly as the person wrote it.
    expected = (HAND_WRITTEN
                .replace("  status: open\n  closed: null\n",
                         "  status: done\n  closed: 2026-11-23\n")
                .replace("due: 2026-11-22   # they are late", "due: 2026-11-27   # they are late")
                .replace('"reminded in Telegram"}]',
                         '"reminded in Telegram"}, {on: 2026-11-23, from: 2026-11-22, '
                         "to: 2026-11-27, why: Ольга в отпуске}]")
                + f"\n- id: {new_id}\n  text: Call about the Q1 budget\n  by: us\n"
                  "  owner: anna\n  to: Ольга Петрова\n  made: 2026-11-23\n"
                  "  due: 2026-11-26\n")
    assert (root / PROMISES).read_text("utf-8") == expected
    assert git(root, "status", "--porcelain") == ""


def test_add_client_prints_only_the_slug(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "add", "client", "Ромашка Косметик", "--owner", "ivan")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "romashka-kosmetik\n"
    card = load_yaml(root / "clients/romashka-kosmetik/client.yaml")
    assert card == {"name": "Ромашка Косметик", "status": "active", "owner": "ivan",
                    "since": TODAY}
    assert subject(root) == "add client romashka-kosmetik: Ромашка Косметик"
    assert files_in_head(root) == ["clients/romashka-kosmetik/client.yaml"]
    assert git(root, "status", "--porcelain") == ""


# --- done ----------------------------------------------------------------------------


def test_done_on_a_repeating_promise_adds_the_next_one(kept: RunKept,
                                                       write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "done", "r1p2t3")

    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert result.stdout == f"{new_id}\n"
    assert len(new_id) == 6 and new_id not in {"7k3q9m", "d0n3d0", "r1p2t3"}
    old = promise_in(root, "r1p2t3")
    assert (old["status"], old["closed"], old["due"]) == ("done", TODAY, date(2026, 10, 31))
    assert promise_in(root, new_id) == {
        "id": new_id,
        "text": "Monthly performance report",
        "by": "us",
        "owner": "anna",
        "to": "Ольга Петрова",
        # The day the previous one was due, so whoever closes it writes the same one.
        "made": date(2026, 10, 31),
        "due": date(2026, 11, 30),
        "kind": "report",
        "repeat": "monthly",
    }
    closed = Session.at(root, {}).promise("r1p2t3")
    assert new_id == actions.next_id(closed, Due(date(2026, 11, 30)), set())
    assert subject(root) == (
        f"done r1p2t3: Monthly performance report (askona); next {new_id} due 2026-11-30")
    assert files_in_head(root) == [PROMISES]
    assert git(root, "status", "--porcelain") == ""


def test_done_twice_is_refused_and_changes_nothing(kept: RunKept,
                                                   write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)
    before = (root / PROMISES).read_bytes()

    result = kept("-w", root, "done", "d0n3d0")

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: ")
    assert "d0n3d0" in result.stderr
    assert "already done" in result.stderr
    assert result.stdout == ""
    no_traceback(result)
    assert (root / PROMISES).read_bytes() == before
    assert commits(root) == 1
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize(("command", "status"), [(("done",), "done"),
                                                 (("drop", "--why", "not needed"), "dropped")])
def test_close_a_promise_added_by_kept(kept: RunKept, write_ws: WriteWorkspace,
                                       command: tuple[str, ...], status: str) -> None:
    """``kept add promise`` writes no ``status`` (it defaults to open); closing must work."""
    root = workspace(write_ws)
    new_id = kept("-w", root, "add", "promise", "askona", "Send the brief",
                  "--due", "tomorrow").stdout.strip()

    result = kept("-w", root, command[0], new_id, *command[1:])

    assert result.exit_code == 0, result.stderr
    assert subject(root).startswith(f"{command[0]} {new_id}: Send the brief (askona)")
    item = promise_in(root, new_id)
    assert (item["status"], item["closed"]) == (status, TODAY)
    assert commits(root) == 3


def test_done_on_a_minimal_hand_written_promise(kept: RunKept,
                                                write_ws: WriteWorkspace) -> None:
    """Only id, text and due are needed by hand (PRODUCT.md); the rest has defaults."""
    root = workspace(write_ws, "- id: h4nd01\n  text: Call Olga\n  due: 2026-11-24\n")

    result = kept("-w", root, "done", "h4nd01")

    assert result.exit_code == 0, result.stderr
    assert (root / PROMISES).read_text("utf-8") == (
        "- id: h4nd01\n  text: Call Olga\n  due: 2026-11-24\n"
        "  status: done\n  closed: 2026-11-23\n")
    assert changed_lines(root) == ["+  status: done", "+  closed: 2026-11-23"]


# --- move ----------------------------------------------------------------------------


def test_move_needs_a_reason(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)
    before = (root / PROMISES).read_bytes()

    result = kept("-w", root, "move", "7k3q9m", "2026-11-27")

    assert result.exit_code == 2
    assert "Missing option '--why'" in result.stderr
    assert (root / PROMISES).read_bytes() == before
    assert commits(root) == 1


def test_move_to_a_date_kept_cannot_read_shows_examples(kept: RunKept,
                                                        write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)
    before = (root / PROMISES).read_bytes()

    result = kept("-w", root, "move", "7k3q9m", "when pigs fly", "--why", "asked")

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: 'when pigs fly'")
    for example in ("2026-11-25", "tomorrow", "+3d", "завтра", "через 3 дня"):
        assert example in result.stderr
    no_traceback(result)
    assert (root / PROMISES).read_bytes() == before
    assert commits(root) == 1


def test_move_records_the_reason_in_history(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "move", "7k3q9m", "2026-11-27", "--why",
                  "waiting for analytics access")

    assert result.exit_code == 0, result.stderr
    item = promise_in(root, "7k3q9m")
    assert item["due"] == date(2026, 11, 27)
    assert item["history"] == [{"on": TODAY, "from": date(2026, 11, 25),
                                "to": date(2026, 11, 27),
                                "why": "waiting for analytics access"}]
    assert changed_lines(root) == [
        "-  due: 2026-11-25",
        "+  due: 2026-11-27",
        "+  history:",
        "+    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-27, why: waiting for "
        "analytics access}",
    ]
    assert subject(root) == ("move 7k3q9m to 2026-11-27: Send the December media plan "
                             "(askona) — waiting for analytics access")


@pytest.mark.parametrize(("when", "expected"), [
    ("через 3 дня", "2026-11-26"),
    ("в пятницу", "2026-11-27"),
    ("+1w", "2026-11-30"),
    ("завтра", "2026-11-24"),
    ("in 2 weeks", "2026-12-07"),
    ("fri", "2026-11-27"),
    ("через неделю", "2026-11-30"),
])
def test_move_understands_dates_as_people_type_them(kept: RunKept, write_ws: WriteWorkspace,
                                                     when: str, expected: str) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "move", "7k3q9m", when, "--why", "client asked")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{expected}\n"
    item = promise_in(root, "7k3q9m")
    assert item["due"] == date.fromisoformat(expected)
    assert item["history"][-1]["to"] == date.fromisoformat(expected)


# --- drop ----------------------------------------------------------------------------


def test_drop_closes_with_a_reason(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "drop", "7k3q9m", "--why", "client paused advertising")

    assert result.exit_code == 0, result.stderr
    item = promise_in(root, "7k3q9m")
    assert item["status"] == "dropped"
    assert item["closed"] == TODAY
    assert item["history"] == [{"on": TODAY, "event": "dropped",
                                "why": "client paused advertising"}]
    assert subject(root) == ("drop 7k3q9m: Send the December media plan (askona) — "
                             "client paused advertising")
    assert files_in_head(root) == [PROMISES]
    assert "7k3q9m" not in {i["id"] for i in agenda(kept, root)}


def test_drop_needs_a_reason(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "drop", "7k3q9m")

    assert result.exit_code == 2
    assert "Missing option '--why'" in result.stderr
    assert commits(root) == 1


# --- touch and note ------------------------------------------------------------------


def test_touch_logs_a_contact_and_the_client_leaves_the_agenda(
        kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)
    touches = [i for i in agenda(kept, root) if i["type"] == "touch"]
    assert [(i["id"], i["overdue"]) for i in touches] == [("askona", True)]

    result = kept("-w", root, "touch", "askona", "Обсудили бюджет на январь",
                  "--kind", "call", "--with", "Ольга Петрова")

    assert result.exit_code == 0, result.stderr
    note = "clients/askona/notes/2026-11-23-obsudili-byudzhet-na-yanvar.md"
    assert result.stdout == f"{note}\n"
    assert (root / note).read_text("utf-8") == (
        "---\n"
        "date: 2026-11-23\n"
        "kind: call\n"
        "with: [Ольга Петрова]\n"
        "title: Обсудили бюджет на январь\n"
        "---\n"
        "\n"
        "Обсудили бюджет на январь\n"
    )
    assert files_in_head(root) == [note]
    assert subject(root) == "touch askona: call — Обсудили бюджет на январь"
    assert git(root, "status", "--porcelain") == ""
    assert [i for i in agenda(kept, root) if i["type"] == "touch"] == []


NOTE_TEMPLATE = """\
---
date: 2026-01-01
kind: meeting
title: Meeting
---
# {{title}} — {{client}}

Agenda for {{title}} with {{client}}.
"""


def test_note_is_made_from_the_template(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws, more={"templates/note.md": NOTE_TEMPLATE})

    result = kept("-w", root, "note", "Аскона", "Kickoff Q1", "--no-edit")

    assert result.exit_code == 0, result.stderr
    note = "clients/askona/notes/2026-11-23-kickoff-q1.md"
    assert result.stdout == f"{note}\n"
    text = (root / note).read_text("utf-8")
    assert text.startswith("---\ndate: 2026-11-23\nkind: meeting\n")
    assert "title: Kickoff Q1\n---\n" in text
    assert "# Kickoff Q1 — Аскона\n" in text
    assert "Agenda for Kickoff Q1 with Аскона.\n" in text
    assert "{{" not in text
    assert files_in_head(root) == [note]
    assert subject(root) == "note askona: Kickoff Q1"
    assert git(root, "status", "--porcelain") == ""


def test_note_opens_the_editor_and_commits_what_was_written(
        kept: RunKept, write_ws: WriteWorkspace, tmp_path: Path) -> None:
    root = workspace(write_ws, more={"templates/note.md": NOTE_TEMPLATE})
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf '%s\\n' 'Olga approved the budget.' >> \"$1\"\n",
                      encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)

    result = kept("-w", root, "note", "askona", "Weekly sync", env={"EDITOR": str(editor)})

    assert result.exit_code == 0, result.stderr
    note = "clients/askona/notes/2026-11-23-weekly-sync.md"
    assert result.stdout == f"{note}\n"
    committed = git(root, "show", f"HEAD:{note}")
    assert committed.endswith("Agenda for Weekly sync with Аскона.\nOlga approved the budget.\n")
    assert files_in_head(root) == [note]
    assert git(root, "status", "--porcelain") == ""


# --- finding clients -----------------------------------------------------------------


@pytest.mark.parametrize("ref", ["askona", "Аскона", "ask", "аско", "АСКОНА"])
def test_a_client_is_found_by_slug_name_or_beginning(kept: RunKept, write_ws: WriteWorkspace,
                                                     ref: str) -> None:
    root = workspace(write_ws, more={"clients/astra/client.yaml": ASTRA})

    result = kept("-w", root, "add", "promise", ref, "Send the brief", "--due", "2026-11-26")

    assert result.exit_code == 0, result.stderr
    assert promise_in(root, result.stdout.strip())["text"] == "Send the brief"
    assert files_in_head(root) == [PROMISES]


def test_an_ambiguous_beginning_lists_the_candidates(kept: RunKept,
                                                     write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws, more={"clients/astra/client.yaml": ASTRA})

    result = kept("-w", root, "add", "promise", "as", "Send the brief", "--due", "2026-11-26")

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: 'as' could be several clients")
    assert "Аскона (askona)" in result.stderr
    assert "Астра (astra)" in result.stderr
    no_traceback(result)
    assert commits(root) == 1
    assert not (root / "clients/astra/promises.yaml").exists()


def test_an_unknown_client_is_a_clear_error(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)

    result = kept("-w", root, "touch", "Ромашка", "Called about the samples")

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: no client 'Ромашка'")
    no_traceback(result)
    assert commits(root) == 1
    assert not (root / "clients/askona/notes").exists()


def test_a_client_cannot_be_added_twice(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = write_ws({".gitignore": GITIGNORE})

    first = kept("-w", root, "add", "client", "Аскона")
    second = kept("-w", root, "add", "client", "Аскона")

    assert first.exit_code == 0 and first.stdout == "askona\n"
    assert second.exit_code != 0
    assert "already exists" in second.stderr
    assert "askona" in second.stderr
    assert second.stdout == ""
    assert sorted(p.name for p in (root / "clients").iterdir()) == ["askona"]
    assert commits(root) == 2


@pytest.mark.parametrize(("name", "slug"), [("../../etc", "etc"), ("..", "client"),
                                            ("a/../../b", "a-b")])
def test_a_hostile_name_stays_inside_clients(kept: RunKept, write_ws: WriteWorkspace,
                                             tmp_path: Path, name: str, slug: str) -> None:
    root = write_ws({".gitignore": GITIGNORE})

    result = kept("-w", root, "add", "client", name)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{slug}\n"
    card = root / "clients" / slug / "client.yaml"
    assert card.resolve().is_relative_to((root / "clients").resolve())
    assert load_yaml(card)["name"] == name
    assert files_in_head(root) == [f"clients/{slug}/client.yaml"]
    assert not (tmp_path / "etc").exists() and not (tmp_path / "b").exists()


# --- --mine --------------------------------------------------------------------------

MINE_ASKONA = """\
- id: an1111
  text: Anna's task
  by: us
  owner: anna
  due: 2026-11-24
- id: iv2222
  text: Ivan's task
  by: us
  owner: ivan
  due: 2026-11-25
- id: wt3333
  text: Access to Metrica
  by: client
  owner: Ольга Петрова
  due: 2026-11-22
"""

NORTHWIND = """\
name: Northwind Coffee
status: paused
owner: ivan
since: 2025-06-01
billing:
  currency: EUR
  invoices:
    - number: NW-2211
      amount: 4200
      due: 2026-11-26
      paid: null
"""

NORTHWIND_PROMISES = """\
- id: nw4444
  text: Carousel drafts
  by: us
  due: 2026-11-27
"""


@pytest.fixture
def team_ws(write_ws: WriteWorkspace) -> Path:
    return workspace(write_ws, MINE_ASKONA,
                     {"clients/northwind/client.yaml": NORTHWIND,
                      "clients/northwind/promises.yaml": NORTHWIND_PROMISES})


def test_mine_with_kept_user(kept: RunKept, team_ws: Path) -> None:
    items = agenda(kept, team_ws, "--mine", env={"KEPT_USER": "ivan"})
    assert [(i["type"], i["id"]) for i in items] == [
        ("promise", "iv2222"), ("invoice", "NW-2211"), ("promise", "nw4444")]


def test_mine_from_the_git_email(kept: RunKept, team_ws: Path) -> None:
    everything = agenda(kept, team_ws)
    assert len(everything) == 6
    items = agenda(kept, team_ws, "--mine")
    assert [(i["type"], i["id"]) for i in items] == [
        ("touch", "askona"), ("waiting", "wt3333"), ("promise", "an1111")]


def test_mine_when_git_email_is_not_in_the_team(kept: RunKept, team_ws: Path,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    stranger = tmp_path / "stranger-gitconfig"
    stranger.write_text("[user]\n\tname = Someone\n\temail = someone@else.example\n",
                        encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(stranger))

    result = kept("-w", team_ws, "agenda", "--mine")

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: ")
    assert "KEPT_USER" in result.stderr
    no_traceback(result)


# --- errors and finding the workspace ------------------------------------------------


def test_no_workspace_is_a_clear_error(kept: RunKept, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    result = kept("-w", empty, "agenda")

    assert result.exit_code != 0
    assert result.stderr.startswith("kept: error: ")
    assert "not a Kept workspace" in result.stderr
    assert result.stdout == ""
    no_traceback(result)
    assert list(empty.iterdir()) == []


def test_an_unknown_promise_is_a_clear_error(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = workspace(write_ws)
    before = (root / PROMISES).read_bytes()

    result = kept("-w", root, "done", "zz9zz9")

    assert result.exit_code != 0
    assert result.stderr == "kept: error: no promise with id 'zz9zz9'\n"
    no_traceback(result)
    assert (root / PROMISES).read_bytes() == before
    assert commits(root) == 1


def test_kept_workspace_is_honoured(kept: RunKept, write_ws: WriteWorkspace, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(write_ws)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert kept("agenda", "--json").exit_code != 0

    result = kept("agenda", "--json", env={"KEPT_WORKSPACE": str(root)})

    assert result.exit_code == 0, result.stderr
    assert [i["id"] for i in json.loads(result.stdout)] == ["askona", "r1p2t3", "7k3q9m"]


def test_the_workspace_is_found_from_a_subfolder(kept: RunKept, write_ws: WriteWorkspace,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(write_ws)
    monkeypatch.chdir(root / "clients" / "askona")

    result = kept("done", "7k3q9m")

    assert result.exit_code == 0, result.stderr
    assert promise_in(root, "7k3q9m")["status"] == "done"
    assert subject(root) == "done 7k3q9m: Send the December media plan (askona)"


def test_a_workspace_without_git_works_and_says_so(kept: RunKept,
                                                   write_ws: WriteWorkspace) -> None:
    root = write_ws({"clients/askona/client.yaml": ASKONA, PROMISES: SIMPLE}, git_repo=False)

    result = kept("-w", root, "done", "7k3q9m")

    assert result.exit_code == 0, result.stderr
    assert "kept: warning: " in result.stderr
    assert "nothing was committed" in result.stderr
    item = promise_in(root, "7k3q9m")
    assert (item["status"], item["closed"]) == ("done", TODAY)
    assert not (root / ".git").exists()


# --- a file changed on disk while Kept held it ---------------------------------------

CONCURRENT = """\
- id: 7k3q9m
  text: Send the December media plan
  by: us
  due: 2026-11-25
  status: open
  closed: null

- id: q5w1e9
  text: Weekly report
  by: us
  due: 2026-11-27
  status: open
"""


def test_an_outside_edit_to_another_promise_survives(
        write_ws: WriteWorkspace, session_at: Callable[[Path], Session]) -> None:
    root = workspace(write_ws, CONCURRENT)
    session = session_at(root)
    outside = CONCURRENT.replace("text: Weekly report", "text: Weekly report (Fridays)")
    (root / PROMISES).write_text(outside, encoding="utf-8")

    outcome = actions.done(session, "7k3q9m")

    assert (root / PROMISES).read_text("utf-8") == outside.replace(
        "  status: open\n  closed: null\n", "  status: done\n  closed: 2026-11-23\n")
    assert any("changed on disk" in w for w in outcome.warnings), outcome.warnings
    assert outcome.commit is not None
    assert subject(root) == "done 7k3q9m: Send the December media plan (askona)"


def test_an_outside_edit_to_the_same_promise_is_refused(
        write_ws: WriteWorkspace, session_at: Callable[[Path], Session]) -> None:
    root = workspace(write_ws, CONCURRENT)
    session = session_at(root)
    outside = CONCURRENT.replace("  status: open\n  closed: null\n",
                                 "  status: done\n  closed: 2026-11-22\n")
    (root / PROMISES).write_text(outside, encoding="utf-8")

    with pytest.raises((EditConflict, InvalidInput)):
        actions.done(session, "7k3q9m")

    assert (root / PROMISES).read_text("utf-8") == outside
    assert commits(root) == 1
    assert git(root, "status", "--porcelain") == f" M {PROMISES}\n"


def test_a_command_leaves_the_collector_on_with_what_it_made_counted_as_old(
        kept: RunKept, write_ws: WriteWorkspace) -> None:
    """A command runs with the cycle collector off; switched back on plainly, its first
    pass would walk every object the command made, just before the process exits."""
    import gc

    from tui.cli import _collector_back_on

    assert kept("-w", write_ws({}), "agenda").exit_code == 0
    assert gc.isenabled()
    gc.disable()
    try:
        made = [[i] for i in range(20_000)]
        assert gc.get_count()[0] > 19_000
        _collector_back_on()
        assert gc.isenabled()
        assert gc.get_count()[0] < 100  # nothing young left for a first pass to walk
        assert any(o is made[-1] for o in gc.get_objects(generation=2))  # still tracked
    finally:
        gc.enable()
