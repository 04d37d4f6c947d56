"""``kept stats`` on the committed fixture tests/data/stats, against answers worked out
by hand below (today 2026-11-23 at midday, the period from 2026-11-01)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import RunKept

FIXTURE = Path(__file__).parent.parent / "data" / "stats"


def stats(kept: RunKept, *args: str) -> dict[str, Any]:
    result = kept("-w", FIXTURE, "stats", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def side(due: int, on_time: int, late: int, open_late: int, due_today: int, dropped: int,
         moves: int, days_lost: int) -> dict[str, Any]:
    counted = on_time + late + open_late
    return {"due": due, "on_time": on_time, "late": late, "open_late": open_late,
            "undated": 0, "due_today": due_today, "dropped": dropped,
            "on_time_pct": round(100 * on_time / counted, 1) if counted else None,
            "moves": moves, "days_lost": days_lost}


# Ours, due 1-23 Nov: aaaa01 on time; aaaa02 done 12th for the 10th (late); aaaa03 open
# since the 15th; aaaa04 due today; aaaa06 dropped; the replies rrrr01-03 done on their
# day; rrrr04 due today 11:00, past due at noon; bbbb01 early; bbbb02 open since the 21st.
# aaaa05 was due in October. Moves in the period: aaaa02 (8th -> 10th: 2 days) and
# bbbb02 (25th -> 21st: earlier, 0 days); aaaa05's move was in October.
OURS = side(due=11, on_time=5, late=1, open_late=3, due_today=1, dropped=1, moves=2,
            days_lost=2)
# Theirs: aaaa07 done the 14th for the 12th (late, moved 9th -> 12th: 3 days), aaaa08
# open since the 20th, and the note's task line bbbb04 (due 12 Nov + 2d, done the 13th).
THEIRS = side(due=3, on_time=1, late=1, open_late=1, due_today=0, dropped=0, moves=1,
              days_lost=3)
# rrrr01 took 10 minutes, rrrr02 40 (avg 25); rrrr03 has no times; rrrr04 is late.
REPLIES = {"count": 3, "timed": 2, "avg_minutes": 25.0, "within": 1, "late": 1,
           "open_late": 1}
# Unpaid: A-2 (due the 20th, overdue) and A-3 (December) at alpha, G-9 at gamma
# (overdue); A-1 was paid on the 12th; fees of the onboarding and active clients.
MONEY = {"receivables": {"RUB": 200000, "USD": 3000},
         "overdue": {"count": 2, "amount": {"RUB": 100000, "USD": 3000}},
         "collected": {"RUB": 100000},
         "turnover": {"RUB": 150000}}


def test_stats_json_equals_the_hand_computed_answers(kept: RunKept) -> None:
    assert stats(kept, "--since", "2026-11-01") == {
        "since": "2026-11-01",
        "until": "2026-11-23",
        "promises": {"us": OURS, "client": THEIRS},
        "replies": {"reply_within": "15min", **REPLIES},
        "touch": [
            {"client": "alpha", "last_contact": "2026-11-20", "days_since": 3,
             "cadence": "weekly", "quiet": False},
            # No contact since the intro note of the 12th: weekly, due the 19th.
            {"client": "beta", "last_contact": "2026-11-12", "days_since": 11,
             "cadence": "weekly", "quiet": True},
            # A lead since the 21st, nothing logged: the day it came counts.
            {"client": "epsilon", "last_contact": "2026-11-21", "days_since": 2,
             "cadence": "weekly", "quiet": False},
        ],
        "money": MONEY,
        "clients": {
            "by_status": {"lead": 1, "onboarding": 1, "active": 1, "paused": 1,
                          "churned": 2},
            "churned": ["gamma"],  # until 15 Nov; delta left in September
            "churned_undated": [],
        },
        "services": {
            "per_client": {"alpha": ["seo", "smm"], "beta": ["smm"], "epsilon": [],
                           "zeta": []},
            "total": 3,
            "per_active_client": 1.5,  # alpha 2 and beta 1
        },
    }


def test_stats_by_owner_split_the_same_numbers(kept: RunKept) -> None:
    data = stats(kept, "--since", "1 nov", "--by", "owner")
    assert data["by"] == "owner"
    anna, ivan = data["groups"]
    # Anna: everything at alpha (the client's promises too: she chases them) and
    # bbbb02 at Ivan's client.
    assert anna == {
        "key": "anna", "name": "Анна Турбина",
        "promises": {"us": side(10, 4, 1, 3, 1, 1, 2, 2), "client": side(2, 0, 1, 1, 0, 0, 1, 3)},
        "replies": REPLIES,
        "money": {"receivables": {"RUB": 200000},
                  "overdue": {"count": 1, "amount": {"RUB": 100000}},
                  "collected": {"RUB": 100000}, "turnover": {"RUB": 100000}},
    }
    assert ivan == {
        "key": "ivan", "name": "Иван Петров",
        "promises": {"us": side(1, 1, 0, 0, 0, 0, 0, 0), "client": side(1, 1, 0, 0, 0, 0, 0, 0)},
        "replies": {"count": 0, "timed": 0, "avg_minutes": None, "within": 0, "late": 0,
                    "open_late": 0},
        "money": {"receivables": {"USD": 3000},
                  "overdue": {"count": 1, "amount": {"USD": 3000}},
                  "collected": {}, "turnover": {"RUB": 50000}},
    }


def test_stats_by_client_and_the_default_period(kept: RunKept) -> None:
    data = stats(kept, "--by", "client")
    assert data["since"] == "2026-10-24"  # 30 days back
    assert [g["key"] for g in data["groups"]] == ["alpha", "beta", "delta", "epsilon",
                                                  "gamma", "zeta"]
    alpha = data["groups"][0]
    assert alpha["name"] == "Alpha Foods"
    # From 24 Oct nothing more is due than from 1 Nov.
    assert alpha["promises"]["us"]["due"] == 9


def test_stats_as_text(kept: RunKept) -> None:
    result = kept("-w", FIXTURE, "stats", "--since", "2026-11-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Stats fixture — KPIs 2026-11-01 to 2026-11-23"
    assert lines[3] == ("  ours             11        5     1          3        1        "
                        "55.6 %      2          2")
    assert ("Replies: 3 answered, average 25 min against 15min (1 within, 1 late); "
            "1 open past due") in lines
    assert "Contact: 1 of 3 clients going quiet: beta (11 days, weekly)" in lines


def test_stats_refuses_a_bad_period(kept: RunKept) -> None:
    future = kept("-w", FIXTURE, "stats", "--since", "2027-01-01")
    assert future.exit_code == 2
    assert future.stderr == "kept: error: --since 2027-01-01 is after today (2026-11-23)\n"
    garbled = kept("-w", FIXTURE, "stats", "--since", "someday")
    assert garbled.exit_code == 2
    assert garbled.stderr.startswith("kept: error: --since: 'someday' is not a date")
