"""Tests for tui.core.rules: the agenda (what is due, for whom) and repeating promises.

The records are built inline, as the loader would hand them over. "Now" is Monday
2026-11-23 12:00; the default horizon of 7 days runs to the end of 2026-11-30.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest

from tui.core.dates import Cadence, Clock, Due
from tui.core.models import (
    Billing,
    By,
    Client,
    ClientStatus,
    Invoice,
    Kind,
    Note,
    Promise,
    PromiseStatus,
    Settings,
    TeamMember,
    Workspace,
)
from tui.core.rules import AgendaItem, ItemType, agenda, next_occurrence

TODAY = date(2026, 11, 23)  # a Monday
CLOCK = Clock.on(TODAY)  # 12:00
SETTINGS = Settings(
    name="Acme Digital accounts",
    team=(TeamMember("anna", "Анна Турбина"), TeamMember("ivan", "Иван Петров")),
)
QUARTERLY = Cadence.parse("quarterly")


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def client(slug: str, **fields: Any) -> Client:
    """A client; unless told otherwise, one in touch today on a quarterly cadence,
    so it brings no touch item into a horizon shorter than three months."""
    fields.setdefault("name", slug.capitalize())
    fields.setdefault("owner", "anna")
    fields.setdefault("since", TODAY)
    fields.setdefault("touch", QUARTERLY)
    return Client(slug=slug, path=f"clients/{slug}/client.yaml", **fields)


def promise(pid: str, client_slug: str, due: str, **fields: Any) -> Promise:
    fields.setdefault("text", f"Promise {pid}")
    fields.setdefault("line", 1)
    return Promise(
        id=pid,
        client=client_slug,
        due=Due.parse(due),
        path=f"clients/{client_slug}/promises.yaml",
        **fields,
    )


def note(client_slug: str, day: date) -> Note:
    return Note(client=client_slug, path=f"clients/{client_slug}/notes/{day}-call.md", date=day)


def invoice(number: str, due: date | None, paid: date | None = None, line: int = 1) -> Invoice:
    return Invoice(number=number, amount=150000, issued=d(11, 1), due=due, paid=paid, line=line)


def billing(*invoices: Invoice) -> Billing:
    return Billing(currency="RUB", monthly_fee=150000, invoices=invoices)


def workspace(
    clients: Iterable[Client],
    promises: Iterable[Promise] = (),
    notes: Iterable[Note] = (),
    settings: Settings = SETTINGS,
) -> Workspace:
    return Workspace(
        settings=settings,
        clients={c.slug: c for c in clients},
        promises=tuple(promises),
        notes=tuple(notes),
    )


def rows(items: list[AgendaItem]) -> list[tuple[str, str]]:
    return [(str(i.type), i.id) for i in items]


def by_id(items: list[AgendaItem]) -> dict[str, AgendaItem]:
    return {i.id: i for i in items}


# --- the six kinds of item ----------------------------------------------------------------


def test_agenda_has_each_of_the_six_item_types() -> None:
    ws = workspace(
        [
            client("askona", billing=billing(invoice("2026-118", d(11, 28)))),
            client("zerno", since=d(11, 10), touch=None),  # weekly: due 11-17
        ],
        [
            promise("task01", "askona", "2026-11-25", kind=Kind.TASK),
            promise("rep001", "askona", "2026-11-26", kind=Kind.REPORT),
            promise("rpl001", "askona", "2026-11-23 14:30", kind=Kind.REPLY),
            promise("fol001", "askona", "2026-11-24", kind=Kind.FOLLOW_UP),
            promise("wai001", "askona", "2026-11-27", by=By.CLIENT, owner="Ольга Петрова"),
        ],
    )
    assert rows(agenda(ws, CLOCK)) == [
        ("touch", "zerno"),  # 2026-11-17, overdue
        ("reply", "rpl001"),  # 2026-11-23 14:30
        ("follow-up", "fol001"),  # 2026-11-24
        ("promise", "task01"),  # 2026-11-25
        ("promise", "rep001"),  # 2026-11-26
        ("waiting", "wai001"),  # 2026-11-27
        ("invoice", "2026-118"),  # 2026-11-28
    ]


@pytest.mark.parametrize("kind", list(Kind))
def test_every_open_promise_the_client_owes_is_waiting(kind: Kind) -> None:
    ws = workspace(
        [client("askona")], [promise("acc001", "askona", "2026-11-24", by=By.CLIENT, kind=kind)]
    )
    assert rows(agenda(ws, CLOCK)) == [("waiting", "acc001")]


def test_agenda_items_carry_text_and_where_they_come_from() -> None:
    ws = workspace(
        [client("askona", name="Аскона", billing=billing(invoice("2026-118", d(11, 15), line=24)))],
        [promise("k7q9m2", "askona", "2026-11-25", text="Send the December media plan", line=7)],
    )
    items = by_id(agenda(ws, CLOCK))
    plan = items["k7q9m2"]
    assert (plan.client, plan.client_name, plan.text) == (
        "askona",
        "Аскона",
        "Send the December media plan",
    )
    assert (plan.path, plan.line) == ("clients/askona/promises.yaml", 7)
    bill = items["2026-118"]
    assert bill.text == "Invoice 2026-118: 150\u202f000 RUB"
    assert (bill.path, bill.line) == ("clients/askona/client.yaml", 24)
    assert bill.due == Due(d(11, 15))
    assert bill.overdue is True


# --- the horizon -----------------------------------------------------------------------------


def test_horizon_is_today_to_today_plus_days_and_everything_overdue() -> None:
    ws = workspace(
        [client("askona")],
        [
            promise("old001", "askona", "2025-01-10"),  # long overdue: still shown
            promise("yes001", "askona", "2026-11-22"),
            promise("tod001", "askona", "2026-11-23"),
            promise("las001", "askona", "2026-11-30"),  # today + 7: in
            promise("lat001", "askona", "2026-11-30 23:59"),
            promise("out001", "askona", "2026-12-01"),  # today + 8: out
            promise("out002", "askona", "2026-12-01 00:00"),
            promise("far001", "askona", "2027-03-01"),
        ],
    )
    assert [i.id for i in agenda(ws, CLOCK)] == [
        "old001", "yes001", "tod001", "lat001", "las001",  # 23:59 comes before end of day
    ]  # fmt: skip


def test_horizon_follows_days() -> None:
    ws = workspace(
        [client("askona")],
        [
            promise("yes001", "askona", "2026-11-22"),
            promise("tod001", "askona", "2026-11-23 18:00"),
            promise("tom001", "askona", "2026-11-24"),
            promise("mon001", "askona", "2026-12-23"),
        ],
    )
    assert [i.id for i in agenda(ws, CLOCK, days=0)] == ["yes001", "tod001"]
    assert [i.id for i in agenda(ws, CLOCK, days=1)] == ["yes001", "tod001", "tom001"]
    assert [i.id for i in agenda(ws, CLOCK, days=29)] == ["yes001", "tod001", "tom001"]
    assert [i.id for i in agenda(ws, CLOCK, days=30)] == [
        "yes001", "tod001", "tom001", "mon001",
    ]  # fmt: skip


def test_horizon_applies_to_touches_and_invoices() -> None:
    ws = workspace(
        [
            client(
                "inside",
                since=d(11, 23),
                touch=Cadence.parse("1w"),
                billing=billing(invoice("in-1", d(11, 30))),
            ),
            client(
                "outside",
                since=d(11, 24),
                touch=Cadence.parse("1w"),
                billing=billing(invoice("out-1", d(12, 1))),
            ),
        ]
    )
    assert rows(agenda(ws, CLOCK)) == [
        ("invoice", "in-1"),  # both due 2026-11-30: client slug equal, id "in-1" < "inside"
        ("touch", "inside"),
    ]


# --- closed promises -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PromiseStatus.DONE, PromiseStatus.DROPPED])
@pytest.mark.parametrize("due", ["2026-11-01", "2026-11-23", "2026-11-23 10:00", "2026-11-25"])
def test_closed_promises_never_appear(status: PromiseStatus, due: str) -> None:
    ws = workspace(
        [client("askona")],
        [
            promise("closed", "askona", due, status=status, closed=d(11, 20)),
            promise("closed2", "askona", due, status=status, by=By.CLIENT, closed=d(11, 20)),
            promise("open01", "askona", due),
        ],
    )
    assert [i.id for i in agenda(ws, CLOCK)] == ["open01"]


# --- order -------------------------------------------------------------------------------------


def test_order_is_by_due_moment_with_overdue_first() -> None:
    ws = workspace(
        [client("askona")],
        [
            promise("p-late", "askona", "2026-11-30"),
            promise("p-eod", "askona", "2026-11-23"),  # end of today
            promise("p-1400", "askona", "2026-11-23 14:00"),
            promise("p-1000", "askona", "2026-11-23 10:00"),  # overdue at 12:00
            promise("p-yest", "askona", "2026-11-22"),
            promise("p-tom9", "askona", "2026-11-24 09:00"),
        ],
    )
    items = agenda(ws, CLOCK)
    assert [i.id for i in items] == ["p-yest", "p-1000", "p-1400", "p-eod", "p-tom9", "p-late"]
    assert [i.overdue for i in items] == [True, True, False, False, False, False]


def test_ties_on_due_go_by_client_slug_then_id() -> None:
    ws = workspace(
        [client("zerno"), client("askona"), client("beta")],
        [
            promise("aaaaa1", "zerno", "2026-11-25"),
            promise("zzzzz1", "askona", "2026-11-25"),
            promise("bbbbb2", "beta", "2026-11-25"),
            promise("aaaaa2", "beta", "2026-11-25"),
            promise("yyyyy1", "askona", "2026-11-25"),
            promise("ccccc1", "zerno", "2026-11-24"),
        ],
    )
    assert [(i.client, i.id) for i in agenda(ws, CLOCK)] == [
        ("zerno", "ccccc1"),
        ("askona", "yyyyy1"),
        ("askona", "zzzzz1"),
        ("beta", "aaaaa2"),
        ("beta", "bbbbb2"),
        ("zerno", "aaaaa1"),
    ]


def test_ties_between_item_types_go_by_client_then_id() -> None:
    # All due 2026-11-25: a touch (id = slug), an invoice (id = number), a promise.
    ws = workspace(
        [
            client("beta", since=d(11, 18), touch=Cadence.parse("1w")),
            client("alpha", billing=billing(invoice("2026-007", d(11, 25)))),
        ],
        [promise("m3k9q2", "alpha", "2026-11-25")],
    )
    assert rows(agenda(ws, CLOCK)) == [
        ("invoice", "2026-007"),
        ("promise", "m3k9q2"),
        ("touch", "beta"),
    ]


# --- overdue -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "overdue"),
    [
        ("2026-11-22", True),
        ("2026-11-22 23:59", True),
        ("2026-11-23", False),  # a date is due by the end of the day
        ("2026-11-23 10:00", True),  # a time today that has passed
        ("2026-11-23 12:00", False),  # due this very minute
        ("2026-11-23 14:00", False),
        ("2026-11-24", False),
    ],
)
def test_overdue_only_once_the_due_moment_has_passed(due: str, overdue: bool) -> None:
    ws = workspace([client("askona")], [promise("p00001", "askona", due)])
    (item,) = agenda(ws, CLOCK)
    assert item.overdue is overdue


def test_a_date_due_today_becomes_overdue_tomorrow() -> None:
    ws = workspace([client("askona")], [promise("p00001", "askona", "2026-11-23")])
    (item,) = agenda(ws, Clock.on(d(11, 24), hour=0))
    assert item.overdue is True


# --- touch -------------------------------------------------------------------------------------


def test_touch_is_due_a_cadence_after_the_newest_note() -> None:
    ws = workspace(
        [client("askona", since=d(1, 10), touch=None)],  # workspace cadence: weekly
        notes=[
            note("askona", d(11, 20)),
            note("askona", d(11, 2)),
            note("zerno", d(11, 22)),  # another client's note is not a touch of askona
        ],
    )
    (item,) = agenda(ws, CLOCK)
    assert (item.type, item.id, item.client) == (ItemType.TOUCH, "askona", "askona")
    assert item.due == Due(d(11, 27))
    assert item.overdue is False
    assert item.text == "Last contact 3 days ago (keep in touch weekly)"
    assert (item.path, item.owner) == ("clients/askona/client.yaml", "anna")


def test_touch_without_notes_counts_from_since() -> None:
    ws = workspace([client("askona", since=d(11, 10), touch=None)])
    (item,) = agenda(ws, CLOCK)
    assert item.due == Due(d(11, 17))
    assert item.overdue is True
    assert item.text == "Last contact 13 days ago (keep in touch weekly)"


def test_the_client_cadence_overrides_the_workspace_one() -> None:
    ws = workspace(
        [client("askona", touch=Cadence.parse("daily"))],
        notes=[note("askona", d(11, 20))],
    )
    (item,) = agenda(ws, CLOCK)
    assert item.due == Due(d(11, 21))
    assert item.overdue is True
    assert item.text == "Last contact 3 days ago (keep in touch daily)"


def test_the_workspace_cadence_applies_when_the_client_has_none() -> None:
    settings = Settings(touch=Cadence.parse("biweekly"))
    ws = workspace(
        [client("askona", touch=None)], notes=[note("askona", d(11, 10))], settings=settings
    )
    (item,) = agenda(ws, CLOCK)
    assert item.due == Due(d(11, 24))
    assert item.overdue is False


def test_a_monthly_touch_from_the_31st_lands_on_the_last_day() -> None:
    ws = workspace([client("askona", since=d(10, 31), touch=Cadence.parse("monthly"))])
    (item,) = agenda(ws, CLOCK)
    assert item.due == Due(d(11, 30))


def test_touch_after_contact_today_is_a_cadence_away() -> None:
    ws = workspace([client("askona", touch=None)], notes=[note("askona", TODAY)])
    (item,) = agenda(ws, CLOCK)
    assert item.due == Due(d(11, 30))
    assert item.text == "Last contact today (keep in touch weekly)"


def test_no_contact_at_all_is_due_today() -> None:
    ws = workspace([client("askona", since=None, touch=None)])
    (item,) = agenda(ws, CLOCK)
    assert item.type is ItemType.TOUCH
    assert item.due == Due(TODAY)
    assert item.overdue is False
    assert item.text == "No contact on record (keep in touch weekly)"


def test_touch_line_points_at_the_touch_key() -> None:
    ws = workspace([client("askona", since=None, pos={"touch": (9, 8)})])
    (item,) = agenda(ws, CLOCK)
    assert item.line == 9


@pytest.mark.parametrize(
    ("status", "touched"),
    [
        (ClientStatus.LEAD, True),
        (ClientStatus.ONBOARDING, True),
        (ClientStatus.ACTIVE, True),
        (ClientStatus.PAUSED, False),
        (ClientStatus.CHURNED, False),
    ],
)
def test_only_clients_in_touch_get_a_touch_item(status: ClientStatus, touched: bool) -> None:
    ws = workspace([client("askona", status=status, since=d(11, 1), touch=None)])
    assert rows(agenda(ws, CLOCK)) == ([("touch", "askona")] if touched else [])


@pytest.mark.parametrize("status", [ClientStatus.PAUSED, ClientStatus.CHURNED])
def test_paused_and_churned_clients_still_owe_their_invoices(status: ClientStatus) -> None:
    ws = workspace(
        [
            client(
                "askona",
                status=status,
                since=d(1, 1),
                touch=None,
                billing=billing(invoice("2026-118", d(11, 15)), invoice("2026-131", d(11, 25))),
            )
        ]
    )
    items = agenda(ws, CLOCK)
    assert rows(items) == [("invoice", "2026-118"), ("invoice", "2026-131")]
    assert [i.overdue for i in items] == [True, False]


# --- invoices ----------------------------------------------------------------------------------


def test_paid_invoices_never_appear() -> None:
    ws = workspace(
        [
            client(
                "askona",
                billing=billing(
                    invoice("paid-old", d(10, 15), paid=d(10, 20)),
                    invoice("paid-late", d(11, 15), paid=d(11, 22)),
                    invoice("paid-early", d(11, 25), paid=d(11, 10)),
                    invoice("unpaid", d(11, 25)),
                ),
            )
        ]
    )
    assert rows(agenda(ws, CLOCK)) == [("invoice", "unpaid")]


# --- mine --------------------------------------------------------------------------------------


def mine_ws() -> Workspace:
    return workspace(
        [
            client(
                "askona",
                owner="anna",
                since=d(11, 20),
                touch=None,
                billing=billing(invoice("a-1", d(11, 20))),
            ),
            client(
                "zerno",
                owner="ivan",
                since=d(11, 21),
                touch=None,
                billing=billing(invoice("z-1", d(11, 21))),
            ),
        ],
        [
            promise("a-ivan", "askona", "2026-11-24", owner="ivan"),  # anna's client, ivan's task
            promise("a-none", "askona", "2026-11-24"),  # no owner: the client's owner
            promise("a-olga", "askona", "2026-11-25", by=By.CLIENT, owner="Ольга Петрова"),
            promise("a-anna", "askona", "2026-11-25", owner="anna", kind=Kind.REPLY),
            promise("z-none", "zerno", "2026-11-24", kind=Kind.FOLLOW_UP),
            promise("z-anna", "zerno", "2026-11-26", owner="anna"),
            promise("z-cli", "zerno", "2026-11-26", by=By.CLIENT),
        ],
    )


def test_mine_keeps_what_that_person_must_act_on() -> None:
    ws = mine_ws()
    assert rows(agenda(ws, CLOCK, mine="anna")) == [
        ("invoice", "a-1"),  # 11-20, overdue
        ("promise", "a-none"),  # 11-24
        ("reply", "a-anna"),  # 11-25
        ("waiting", "a-olga"),  # 11-25: anna chases her client's promises
        ("promise", "z-anna"),  # 11-26: anna's own task at ivan's client
        ("touch", "askona"),  # 11-27
    ]
    assert rows(agenda(ws, CLOCK, mine="ivan")) == [
        ("invoice", "z-1"),  # 11-21, overdue
        ("promise", "a-ivan"),  # 11-24
        ("follow-up", "z-none"),  # 11-24
        ("waiting", "z-cli"),  # 11-26
        ("touch", "zerno"),  # 11-28
    ]


def test_mine_for_someone_with_nothing_is_empty() -> None:
    assert agenda(mine_ws(), CLOCK, mine="olga") == []


def test_without_mine_everything_is_shown_with_its_owner() -> None:
    items = agenda(mine_ws(), CLOCK)
    owners = {i.id: i.owner for i in items}
    assert owners == {
        "a-1": "anna", "z-1": "ivan", "a-ivan": "ivan", "a-none": "anna", "a-olga": "anna",
        "a-anna": "anna", "z-none": "ivan", "z-anna": "anna", "z-cli": "ivan",
        "askona": "anna", "zerno": "ivan",
    }  # fmt: skip


def test_mine_skips_items_of_a_client_without_an_owner() -> None:
    ws = workspace(
        [client("askona", owner=None, since=None)], [promise("p00001", "askona", "2026-11-24")]
    )
    assert agenda(ws, CLOCK, mine="anna") == []
    assert rows(agenda(ws, CLOCK)) == [("touch", "askona"), ("promise", "p00001")]


# --- repeating promises ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "repeat", "expected"),
    [
        ("2026-10-31", "monthly", "2026-11-30"),
        ("2026-11-30", "monthly", "2026-12-30"),
        ("2026-01-31", "monthly", "2026-02-28"),
        ("2026-11-02", "weekly", "2026-11-09"),  # from the old due, though today is 11-23
        ("2026-11-23 14:30", "weekly", "2026-11-30 14:30"),
        ("2026-11-23 09:00", "daily", "2026-11-24 09:00"),
        ("2026-11-23", "2w", "2026-12-07"),
        ("2026-11-23", "biweekly", "2026-12-07"),
        ("2026-09-30", "quarterly", "2026-12-30"),
        ("2026-11-23", "10d", "2026-12-03"),
    ],
)
def test_next_occurrence_advances_from_the_old_due(due: str, repeat: str, expected: str) -> None:
    p = promise("rep001", "askona", due, repeat=Cadence.parse(repeat))
    assert next_occurrence(p) == Due.parse(expected)


def test_next_occurrence_of_a_one_off_promise_is_none() -> None:
    assert next_occurrence(promise("one001", "askona", "2026-11-23")) is None


# --- as_dict -----------------------------------------------------------------------------------


def test_as_dict_of_a_promise_item() -> None:
    ws = workspace(
        [client("askona", name="Аскона")],
        [
            promise(
                "k7q9m2",
                "askona",
                "2026-11-23 10:00",
                text="Answer about the pixel",
                kind=Kind.REPLY,
                line=12,
            )
        ],
    )
    (item,) = agenda(ws, CLOCK)
    data = item.as_dict()
    assert {
        k: data[k] for k in ("type", "id", "client", "text", "due", "overdue", "path", "line")
    } == {
        "type": "reply",
        "id": "k7q9m2",
        "client": "askona",
        "text": "Answer about the pixel",
        "due": "2026-11-23 10:00",
        "overdue": True,
        "path": "clients/askona/promises.yaml",
        "line": 12,
    }
    assert json.loads(json.dumps(data)) == data  # plain JSON values only


def test_as_dict_of_touch_and_invoice_items() -> None:
    ws = workspace(
        [
            client(
                "askona",
                since=d(11, 10),
                touch=None,
                pos={"touch": (9, 8)},
                billing=billing(invoice("2026-118", d(11, 25), line=31)),
            )
        ]
    )
    touch, bill = (i.as_dict() for i in agenda(ws, CLOCK))
    assert (touch["type"], touch["id"], touch["client"], touch["due"], touch["overdue"],
            touch["path"], touch["line"]) == (
        "touch", "askona", "askona", "2026-11-17", True, "clients/askona/client.yaml", 9,
    )  # fmt: skip
    assert (bill["type"], bill["id"], bill["client"], bill["due"], bill["overdue"],
            bill["path"], bill["line"]) == (
        "invoice", "2026-118", "askona", "2026-11-25", False, "clients/askona/client.yaml", 31,
    )  # fmt: skip
    assert isinstance(touch["overdue"], bool)
