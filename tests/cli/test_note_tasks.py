"""Promises in meeting notes, end to end: the note is the source of truth, and the
command line and a person's editor keep it in step both ways."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, RunKept, WriteWorkspace, git
from tui.services.context import Session
from tui.services.notetasks import number_task_lines
from tui.workspace.tasks import provisional_id

NOTE = "clients/askona/notes/2026-11-18-kickoff.md"
KICKOFF = """\
---
date: 2026-11-18
kind: meeting
with: [Ольга Петрова]
title: Kickoff
---
Budget stays at last month's level.

- [ ] Send the December media plan due:в пятницу
- [ ] @client Access to Yandex Metrica due:2026-11-22 ^a2m8x1

Next call on Friday.
"""
PLAN = provisional_id(NOTE, False, "Send the December media plan", 0)


@pytest.fixture
def root(write_ws: WriteWorkspace) -> Path:
    return write_ws({
        "clients/askona/client.yaml": "name: Аскона\nowner: anna\nsince: 2026-11-01\n",
        NOTE: KICKOFF,
        ".gitignore": ".kept/\n",
    })


def agenda(kept: RunKept, root: Path) -> list[dict[str, Any]]:
    result = kept("-w", root, "agenda", "--json")
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return [i for i in items if i["type"] != "touch"]


def test_task_lines_are_on_the_agenda_at_their_line(kept: RunKept, root: Path) -> None:
    items = agenda(kept, root)
    assert [(i["type"], i["id"], i["text"], i["due"], i["overdue"], i["path"], i["line"])
            for i in items] == [
        ("promise", PLAN, "Send the December media plan", "2026-11-20", True, NOTE, 9),
        ("waiting", "a2m8x1", "Access to Yandex Metrica", "2026-11-22", True, NOTE, 10),
    ]
    check = kept("-w", root, "check")
    assert check.exit_code == 0, check.output
    assert "ok: 1 clients, 2 open promises, 1 notes" in check.stderr


def test_done_ticks_the_box_and_writes_the_id_on_that_line_only(kept: RunKept,
                                                                root: Path) -> None:
    result = kept("-w", root, "done", PLAN)

    assert result.exit_code == 0, result.output
    assert (root / NOTE).read_text("utf-8") == KICKOFF.replace(
        "- [ ] Send the December media plan due:в пятницу\n",
        f"- [x] Send the December media plan due:в пятницу ^{PLAN}\n  - 2026-11-23 done\n")
    assert git(root, "log", "-1", "--format=%s") == (
        f"done {PLAN}: Send the December media plan (askona)\n")
    assert git(root, "status", "--porcelain") == ""
    assert [i["id"] for i in agenda(kept, root)] == ["a2m8x1"]
    again = kept("-w", root, "done", PLAN)
    assert again.stderr == f"kept: error: promise {PLAN} is already done on 2026-11-23\n"


def test_move_rewrites_the_due_word_and_keeps_why_under_the_line(kept: RunKept,
                                                                 root: Path) -> None:
    result = kept("-w", root, "move", "a2m8x1", "через 3 дня", "--why", "Olga is on leave")

    assert result.exit_code == 0, result.output
    assert (root / NOTE).read_text("utf-8") == KICKOFF.replace(
        "- [ ] @client Access to Yandex Metrica due:2026-11-22 ^a2m8x1\n",
        "- [ ] @client Access to Yandex Metrica due:2026-11-26 ^a2m8x1\n"
        "  - 2026-11-23 moved from 2026-11-22 to 2026-11-26: Olga is on leave\n")
    assert [(i["id"], i["due"]) for i in agenda(kept, root)] == [
        (PLAN, "2026-11-20"), ("a2m8x1", "2026-11-26")]
    dropped = kept("-w", root, "drop", "a2m8x1", "--why", "they gave us a login instead")
    assert dropped.exit_code == 0, dropped.output
    assert "- [-] @client Access to Yandex Metrica due:2026-11-26 ^a2m8x1\n" \
           "  - 2026-11-23 moved from 2026-11-22 to 2026-11-26: Olga is on leave\n" \
           "  - 2026-11-23 dropped: they gave us a login instead\n" in \
           (root / NOTE).read_text("utf-8")
    session = Session.at(root, {"KEPT_TODAY": TODAY.isoformat()})
    [metrica] = session.ws.promise("a2m8x1")
    assert (metrica.status, metrica.closed, [h.event for h in metrica.history]) == (
        "dropped", TODAY, ["moved", "dropped"])
    assert len(git(root, "log", "--format=%s").splitlines()) == 3


def test_ticking_the_box_in_an_editor_closes_the_promise(kept: RunKept, root: Path) -> None:
    (root / NOTE).write_text(KICKOFF.replace("- [ ] @client", "- [x] @client"), "utf-8")
    assert [i["id"] for i in agenda(kept, root)] == [PLAN]

    # First sight (the app on load, kept sync, kept note): ids written, the tick dated.
    session = Session.at(root, {"KEPT_TODAY": "2026-11-24"})
    outcome = number_task_lines(session)

    assert outcome is not None
    assert outcome.message == ("number 1 task line and date 1 ticked box in "
                               "askona/2026-11-18-kickoff")
    assert (root / NOTE).read_text("utf-8") == KICKOFF.replace(
        "- [ ] Send the December media plan due:в пятницу\n",
        f"- [ ] Send the December media plan due:в пятницу ^{PLAN}\n").replace(
        "- [ ] @client Access to Yandex Metrica due:2026-11-22 ^a2m8x1\n",
        "- [x] @client Access to Yandex Metrica due:2026-11-22 ^a2m8x1\n  - 2026-11-24 done\n")
    assert git(root, "status", "--porcelain") == ""
    assert number_task_lines(session) is None  # nothing left to do
    [metrica] = session.ws.promise("a2m8x1")
    assert (metrica.status, metrica.closed) == ("done", TODAY.replace(day=24))


def test_check_reports_malformed_task_lines_and_ids_used_twice(kept: RunKept,
                                                               write_ws: WriteWorkspace) -> None:
    root = write_ws({
        "clients/askona/client.yaml": "name: Аскона\n",
        "clients/askona/promises.yaml": "- id: a2m8x1\n  text: Metrica\n  due: 2026-11-22\n",
        NOTE: KICKOFF.replace("due:в пятницу", "due:когда-нибудь"),
    })
    result = kept("-w", root, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{NOTE}:9:40: error: due:когда-нибудь: 'когда-нибудь' is not a "
                               "date Kept understands")
    assert lines[1:] == [
        f"{NOTE}:10:55: error: id 'a2m8x1' is used more than once (also at "
        "clients/askona/promises.yaml:1); give one of them a new id",
        "clients/askona/promises.yaml:1:7: error: id 'a2m8x1' is used more than once (also at "
        f"{NOTE}:10); give one of them a new id",
    ]


def test_kept_note_numbers_the_task_lines_it_commits(kept: RunKept, root: Path,
                                                     tmp_path: Path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf -- '- [ ] Send the brief due:завтра\\n' >> \"$1\"\n",
                      "utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)

    result = kept("-w", root, "note", "askona", "Weekly call",
                  env={"EDITOR": str(editor), "PATH": os.environ["PATH"]})

    assert result.exit_code == 0, result.output
    path = root / "clients/askona/notes/2026-11-23-weekly-call.md"
    rel = "clients/askona/notes/2026-11-23-weekly-call.md"
    brief = provisional_id(rel, False, "Send the brief", 0)
    assert path.read_text("utf-8").endswith(f"- [ ] Send the brief due:завтра ^{brief}\n")
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%s") == "note askona: Weekly call\n"
    assert ("promise", brief, "2026-11-24") in [(i["type"], i["id"], i["due"])
                                                for i in agenda(kept, root)]
