"""The follow-up ladder and the agenda's order for replies (tui.core.ladder, rules)."""

from __future__ import annotations

from datetime import date

from tests.core.test_rules import CLOCK, client, d, promise, rows, workspace
from tui.core import ladder
from tui.core.dates import Clock, Due, Duration
from tui.core.models import By, Contact, HistoryEntry, Kind, Note, NoteKind, PromiseStatus
from tui.core.rules import agenda, last_contacts

LADDER = tuple(Duration.parse(s) for s in ("1d", "3d", "1w", "2w", "1mo", "3mo"))


def test_the_step_is_written_or_counted_from_the_chases() -> None:
    fresh = promise("f00001", "askona", "2026-11-24", kind=Kind.FOLLOW_UP)
    assert ladder.step_of(fresh) == 1
    chased = promise("f00002", "askona", "2026-11-24", kind=Kind.FOLLOW_UP, history=(
        HistoryEntry(d(11, 20), "chased"), HistoryEntry(d(11, 21), "moved"),
        HistoryEntry(d(11, 22), "chased")))
    assert ladder.step_of(chased) == 3
    assert ladder.step_of(promise("f00003", "askona", "2026-11-24", step=5,
                                  history=chased.history)) == 5


def test_each_rung_counts_from_now() -> None:
    assert [ladder.step_due(LADDER, n, CLOCK) for n in range(1, 7)] == [
        Due(d(11, 24)), Due(d(11, 26)), Due(d(11, 30)), Due(d(12, 7)), Due(d(12, 23)),
        Due(date(2027, 2, 23))]
    hours = (Duration.parse("2h"),)
    assert ladder.step_due(hours, 1, CLOCK) == Due.parse("2026-11-23 14:00")


def test_the_agenda_shows_the_step_and_the_channel() -> None:
    askona = client("askona", channel="email", contacts=(
        Contact("Ольга Петрова", channel="telegram"), Contact("Пётр")))
    ws = workspace([askona], [
        promise("f00001", "askona", "2026-11-24", kind=Kind.FOLLOW_UP, to="ольга петрова",
                step=3, text="Proposal"),
        promise("f00002", "askona", "2026-11-25", kind=Kind.FOLLOW_UP, to="Пётр",
                ladder=(Duration.parse("2d"), Duration.parse("1w")), text="Estimate"),
        promise("w00001", "askona", "2026-11-25", kind=Kind.FOLLOW_UP, by=By.CLIENT,
                text="Their follow-up is just waiting"),
    ])
    texts = {i.id: i.text for i in agenda(ws, CLOCK)}
    assert texts == {"f00001": "chase 3/6 by telegram · Proposal",
                     "f00002": "chase 1/2 by email · Estimate",
                     "w00001": "Their follow-up is just waiting"}


def test_a_cold_follow_up_is_shown_once_on_the_day_it_went_cold() -> None:
    cold = promise("c00001", "askona", "2026-11-20", kind=Kind.FOLLOW_UP, text="Proposal",
                   status=PromiseStatus.DROPPED, closed=d(11, 23),
                   history=(HistoryEntry(d(11, 23), "chased"), HistoryEntry(d(11, 23), "cold")))
    ws = workspace([client("askona")], [cold])
    [item] = agenda(ws, CLOCK)
    assert (item.type, item.id, item.text, item.due, item.overdue) == (
        "follow-up", "c00001", "gone cold after 6 chases · Proposal", Due(d(11, 23)), False)
    assert agenda(ws, Clock.on(d(11, 24))) == []
    assert ladder.went_cold(cold) == d(11, 23)


def test_overdue_replies_head_the_agenda_and_the_rest_keeps_its_order() -> None:
    ws = workspace([client("askona"), client("beta")], [
        promise("p-old", "askona", "2026-11-10"),
        promise("r-late", "beta", "2026-11-23 11:00", kind=Kind.REPLY),
        promise("r-late2", "askona", "2026-11-22 18:30", kind=Kind.REPLY),
        promise("p-yest", "askona", "2026-11-22"),
        promise("r-soon", "askona", "2026-11-23 12:15", kind=Kind.REPLY),
        promise("p-tod", "askona", "2026-11-23"),
    ])
    assert rows(agenda(ws, CLOCK)) == [
        ("reply", "r-late2"), ("reply", "r-late"),  # overdue replies, by due
        ("promise", "p-old"), ("promise", "p-yest"),  # then the rest overdue, by due
        ("reply", "r-soon"), ("promise", "p-tod"),  # then today, by due as before
    ]


def test_internal_notes_are_no_contact() -> None:
    ws = workspace([client("askona")], notes=[
        Note("askona", "clients/askona/notes/a.md", d(11, 20), NoteKind.CALL),
        Note("askona", "clients/askona/notes/b.md", d(11, 22), NoteKind.INTERNAL),
    ])
    assert last_contacts(ws) == {"askona": d(11, 20)}
