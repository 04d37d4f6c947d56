"""Task lines in notes: reading them as promises, and patching them as text."""

from __future__ import annotations

from datetime import date

import pytest

from tui.core.dates import Due
from tui.core.models import By, HistoryEntry, PromiseStatus
from tui.errors import EditConflict
from tui.workspace.tasks import TaskEdit, apply_edits, provisional_id, read_tasks

PATH = "clients/askona/notes/2026-11-18-kickoff.md"
DAY = date(2026, 11, 18)  # a Wednesday

NOTE = """\
---
date: 2026-11-18
title: Kickoff
---
Budget stays; focus on mattresses.

- [ ] Send the December media plan due:2026-11-25 ^k7m2p9
- [ ] @client Access to Yandex Metrica due:завтра
- [x] Call Olga back due:в пятницу ^q4h8t2
  - 2026-11-19 done
  - she was happy
* [-] Banner set B due:+3d ^x1y2z3
  - 2026-11-19 moved from 2026-11-21 to 2026-11-22: waiting for the brand book
  - 2026-11-20 dropped: the client cancelled the set
1. [ ] @клиент Approve the budget due:2026-11-30 14:30 ^b4d9e2
- [ ] Just a checklist item
- not a task due:fri
```
- [ ] code, not a task due:fri
```
<!-- a comment
- [ ] not a task either due:fri
-->
"""


def test_task_lines_are_promises_with_their_dates_relative_to_the_note() -> None:
    read, problems = read_tasks(PATH, "askona", NOTE, DAY)
    got = [(p.id, p.by, p.text, str(p.due), p.status, p.closed, p.line, p.pending_id)
           for p, ok in read if ok]
    metrica = provisional_id(PATH, True, "Access to Yandex Metrica", 0)
    assert got == [
        ("k7m2p9", By.US, "Send the December media plan", "2026-11-25", PromiseStatus.OPEN,
         None, 7, False),
        (metrica, By.CLIENT, "Access to Yandex Metrica", "2026-11-19", PromiseStatus.OPEN,
         None, 8, True),
        ("q4h8t2", By.US, "Call Olga back", "2026-11-20", PromiseStatus.DONE,
         date(2026, 11, 19), 9, False),
        ("x1y2z3", By.US, "Banner set B", "2026-11-21", PromiseStatus.DROPPED,
         date(2026, 11, 20), 12, False),
        ("b4d9e2", By.CLIENT, "Approve the budget", "2026-11-30 14:30", PromiseStatus.OPEN,
         None, 15, False),
    ]
    assert [str(p) for p in problems] == [
        f"{PATH}:16:28: warning: a task line without due:WHEN is not a promise; add one, like "
        "due:fri or due:2026-11-25",
    ]
    banner = read[3][0]
    assert banner.history == (
        HistoryEntry(date(2026, 11, 19), "moved", Due(date(2026, 11, 21)),
                     Due(date(2026, 11, 22)), "waiting for the brand book"),
        HistoryEntry(date(2026, 11, 20), "dropped", why="the client cancelled the set"),
    )
    first = read[0][0]
    assert (first.note, first.made, first.client) == ("notes/2026-11-18-kickoff.md", DAY,
                                                      "askona")
    assert dict(first.pos) == {"text": (7, 7), "status": (7, 4), "due": (7, 40),
                               "id": (7, 51)}


def test_the_id_kept_will_write_is_the_same_everywhere_and_apart_for_twins() -> None:
    twins = "---\ndate: 2026-11-18\n---\n- [ ] Call back due:fri\n- [ ] Call back due:mon\n"
    read, _ = read_tasks(PATH, "askona", twins, DAY)
    ids = [p.id for p, _ in read]
    assert ids == [provisional_id(PATH, False, "Call back", 0),
                   provisional_id(PATH, False, "Call back", 1)]
    assert ids[0] != ids[1]
    assert [p.id for p, _ in read_tasks(PATH, "askona", twins, DAY)[0]] == ids
    elsewhere = read_tasks(PATH.replace("kickoff", "weekly"), "askona", twins, DAY)[0]
    assert {p.id for p, _ in elsewhere}.isdisjoint(ids)


@pytest.mark.parametrize(("line", "col", "message"), [
    ("- [ ] Send it due:someday", 19, "due:someday: 'someday' is not a date Kept understands"),
    ("- [ ] Send it due:", 19, "due: is empty; write a date or a word"),
    ("- [ ] due:fri", 7, "a task line needs text: what was promised"),
    ("- [ ] Send it due:fri ^K7M2P9", 23, "task line id '^K7M2P9' is malformed"),
    ("- [ ] Send it ^k7m2p9", 14, "this task line has an id but no due:WHEN"),
])
def test_malformed_task_lines_are_errors_at_their_column(line: str, col: int,
                                                         message: str) -> None:
    text = f"---\ndate: 2026-11-18\n---\n\n{line}\n"
    read, problems = read_tasks(PATH, "askona", text, DAY)
    assert [ok for _, ok in read] == [False]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.col, problem.severity) == (5, col, "error")
    assert problem.message.startswith(message), problem.message


def test_a_bad_history_line_costs_only_itself() -> None:
    text = ("---\ndate: 2026-11-18\n---\n- [ ] Plan due:2026-11-25 ^k7m2p9\n"
            "  - 2026-11-19 moved to 2026-11-26\n  - 2026-11-20 chased: no answer\n")
    read, problems = read_tasks(PATH, "askona", text, DAY)
    assert [(p.id, ok, [h.event for h in p.history]) for p, ok in read] == [
        ("k7m2p9", True, ["chased"])]
    assert [(p.line, p.col) for p in problems] == [(5, 21)]
    assert problems[0].message.startswith("history line: a move needs 'from DATE to DATE'")


# --- patching ------------------------------------------------------------------------


def test_done_ticks_the_box_writes_the_id_and_a_history_line_only() -> None:
    metrica = provisional_id(PATH, True, "Access to Yandex Metrica", 0)
    edit = TaskEdit(metrica, DAY, new_id="m3tr1c", status=PromiseStatus.DONE,
                    history=(HistoryEntry(date(2026, 11, 23), "done"),),
                    expect_status=PromiseStatus.OPEN)
    after = apply_edits(NOTE, [edit], PATH)
    assert after == NOTE.replace(
        "- [ ] @client Access to Yandex Metrica due:завтра\n",
        "- [x] @client Access to Yandex Metrica due:завтра ^m3tr1c\n  - 2026-11-23 done\n")


def test_move_rewrites_the_due_word_and_adds_under_the_existing_history() -> None:
    edit = TaskEdit("q4h8t2", DAY, due=Due(date(2026, 11, 27)),
                    history=(HistoryEntry(date(2026, 11, 23), "moved", Due(date(2026, 11, 20)),
                                          Due(date(2026, 11, 27)), "waiting for  access"),),
                    expect_due=Due(date(2026, 11, 20)))
    after = apply_edits(NOTE, [edit], PATH)
    assert after == NOTE.replace(
        "- [x] Call Olga back due:в пятницу ^q4h8t2\n  - 2026-11-19 done\n"
        "  - she was happy\n",
        "- [x] Call Olga back due:2026-11-27 ^q4h8t2\n  - 2026-11-19 done\n"
        "  - she was happy\n"
        "  - 2026-11-23 moved from 2026-11-20 to 2026-11-27: waiting for access\n")


def test_crlf_notes_stay_crlf() -> None:
    crlf = NOTE.replace("\n", "\r\n")
    edit = TaskEdit("k7m2p9", DAY, status=PromiseStatus.DROPPED,
                    history=(HistoryEntry(date(2026, 11, 23), "dropped", why="cancelled"),),
                    expect_status=PromiseStatus.OPEN)
    after = apply_edits(crlf, [edit], PATH)
    assert after == crlf.replace(
        "- [ ] Send the December media plan due:2026-11-25 ^k7m2p9\r\n",
        "- [-] Send the December media plan due:2026-11-25 ^k7m2p9\r\n"
        "  - 2026-11-23 dropped: cancelled\r\n")


def test_an_edit_is_refused_when_the_line_changed_since_it_was_read() -> None:
    ticked = NOTE.replace("- [ ] Send the December", "- [x] Send the December")
    done = TaskEdit("k7m2p9", DAY, status=PromiseStatus.DONE, expect_status=PromiseStatus.OPEN)
    with pytest.raises(EditConflict, match=r"now '\[x\]' \(done\), not open"):
        apply_edits(ticked, [done], PATH)
    redated = NOTE.replace("due:2026-11-25 ^k7m2p9", "due:2026-11-26 ^k7m2p9")
    move = TaskEdit("k7m2p9", DAY, due=Due(date(2026, 11, 30)),
                    expect_due=Due(date(2026, 11, 25)))
    with pytest.raises(EditConflict, match="due changed on disk"):
        apply_edits(redated, [move], PATH)
    retyped = NOTE.replace("Access to Yandex Metrica", "Access to Metrica")
    metrica = provisional_id(PATH, True, "Access to Yandex Metrica", 0)
    with pytest.raises(EditConflict, match="is not in the note any more"):
        apply_edits(retyped, [TaskEdit(metrica, DAY, new_id="m3tr1c")], PATH)
