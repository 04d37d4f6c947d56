"""Tests for tui.core.dates: due moments, durations, cadences and dates as people type them.

Every expectation is worked out by hand against the pinned day, Monday 2026-11-23;
``Clock.on`` puts "now" at 12:00 of that day.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.dates import (
    Cadence,
    Clock,
    Due,
    Duration,
    add_months,
    parse_when,
    relative_due,
)

TODAY = date(2026, 11, 23)  # a Monday
CLOCK = Clock.on(TODAY)  # 2026-11-23 12:00


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# --- Clock -------------------------------------------------------------------------


def test_clock_on_a_day_is_midday_unless_told() -> None:
    assert CLOCK.today == TODAY
    assert CLOCK.now == datetime(2026, 11, 23, 12, 0)
    assert Clock.on(TODAY, hour=9).now == datetime(2026, 11, 23, 9, 0)


# --- Due.parse ----------------------------------------------------------------------


def test_due_parse_a_date_is_due_by_that_day() -> None:
    assert Due.parse("2026-11-23") == Due(d(11, 23))
    assert Due.parse("2026-11-23").time is None


@pytest.mark.parametrize("text", ["2026-11-23 14:30", "2026-11-23T14:30", "  2026-11-23 14:30 "])
def test_due_parse_a_date_and_time(text: str) -> None:
    assert Due.parse(text) == Due(d(11, 23), time(14, 30))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("2026-11-25", "2026-11-25"),
        ("2026-11-25 09:05", "2026-11-25 09:05"),
        ("2026-11-25T09:05", "2026-11-25 09:05"),
    ],
)
def test_due_is_written_back_in_the_file_form(text: str, written: str) -> None:
    assert str(Due.parse(text)) == written


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-45",
        "2026-02-30",
        "2026-11-31",
        "2026-11-23 24:00",
        "2026-11-23 14:60",
        "23.11.2026",
        "tomorrow",
        "",
        "2026-11",
    ],
)
def test_due_parse_rejects_what_is_not_a_date_and_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError) as err:
        Due.parse(text)
    message = str(err.value)
    assert f"'{text}'" in message
    assert "YYYY-MM-DD" in message


# --- Due.moment / is_overdue ------------------------------------------------------------


def test_a_date_is_due_by_the_end_of_the_day() -> None:
    moment = Due(d(11, 23)).moment()
    assert moment.date() == d(11, 23)
    assert moment > datetime(2026, 11, 23, 23, 59, 59)
    assert moment < datetime(2026, 11, 24, 0, 0)


def test_a_datetime_is_due_at_its_time() -> None:
    assert Due(d(11, 23), time(14, 30)).moment() == datetime(2026, 11, 23, 14, 30)


@pytest.mark.parametrize(
    ("due", "clock", "overdue"),
    [
        (Due(d(11, 23)), CLOCK, False),  # due today: not late until the day is over
        (Due(d(11, 23)), Clock.at(datetime(2026, 11, 23, 23, 59, 59)), False),
        (Due(d(11, 23)), Clock.on(d(11, 24), hour=0), True),
        (Due(d(11, 22)), CLOCK, True),
        (Due(d(11, 24)), CLOCK, False),
        (Due(d(11, 23), time(10, 0)), CLOCK, True),
        (Due(d(11, 23), time(11, 59)), CLOCK, True),
        (Due(d(11, 23), time(12, 0)), CLOCK, False),  # exactly now is not yet late
        (Due(d(11, 23), time(14, 0)), CLOCK, False),
        (Due(d(11, 22), time(23, 0)), Clock.on(TODAY, hour=0), True),
    ],
)
def test_is_overdue_only_once_the_due_moment_has_passed(
    due: Due, clock: Clock, overdue: bool
) -> None:
    assert due.is_overdue(clock) is overdue


# --- Duration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("15min", 15, "min"),
        ("2h", 2, "h"),
        ("3d", 3, "d"),
        ("1w", 1, "w"),
        ("1mo", 1, "mo"),
        ("1y", 1, "y"),
        ("10d", 10, "d"),
        (" 2w ", 2, "w"),
    ],
)
def test_duration_parse(text: str, amount: int, unit: str) -> None:
    duration = Duration.parse(text)
    assert (duration.amount, duration.unit) == (amount, unit)
    assert str(duration) == text.strip()


@pytest.mark.parametrize("text", ["0d", "15m", "week", "", "d", "-3d", "1.5h", "3 days", "2x"])
def test_duration_parse_rejects_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError) as err:
        Duration.parse(text)
    message = str(err.value)
    assert f"'{text}'" in message
    assert "15min" in message and "1mo" in message


@pytest.mark.parametrize(
    ("text", "due", "expected"),
    [
        ("3d", Due(d(11, 23)), Due(d(11, 26))),
        ("1w", Due(d(11, 23)), Due(d(11, 30))),
        ("2w", Due(d(12, 28)), Due(d(1, 11, 2027))),
        ("1mo", Due(d(10, 31)), Due(d(11, 30))),
        ("1mo", Due(d(1, 31)), Due(d(2, 28))),
        ("1y", Due(d(2, 29, 2028)), Due(d(2, 28, 2029))),
        ("1w", Due(d(11, 23), time(14, 30)), Due(d(11, 30), time(14, 30))),
        ("1mo", Due(d(11, 23), time(9, 0)), Due(d(12, 23), time(9, 0))),
        ("2h", Due(d(11, 23), time(14, 30)), Due(d(11, 23), time(16, 30))),
        ("15min", Due(d(11, 23), time(23, 50)), Due(d(11, 24), time(0, 5))),
    ],
)
def test_duration_add_to_due(text: str, due: Due, expected: Due) -> None:
    assert Duration.parse(text).add_to_due(due) == expected


# --- add_months ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (d(1, 31), 1, d(2, 28)),  # 2026 is not a leap year
        (d(1, 31, 2028), 1, d(2, 29, 2028)),  # 2028 is
        (d(2, 29, 2028), 12, d(2, 28, 2029)),
        (d(2, 29, 2028), 48, d(2, 29, 2032)),
        (d(3, 31), 1, d(4, 30)),
        (d(10, 31), 1, d(11, 30)),
        (d(11, 23), 1, d(12, 23)),
        (d(12, 15), 1, d(1, 15, 2027)),
        (d(11, 30), 3, d(2, 28, 2027)),
        (d(3, 31), -1, d(2, 28)),
        (d(1, 15), -1, d(12, 15, 2025)),
    ],
)
def test_add_months_keeps_the_day_or_lands_on_the_last_one(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


# --- Cadence -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("daily", Duration(1, "d")),
        ("weekly", Duration(1, "w")),
        ("biweekly", Duration(2, "w")),
        ("monthly", Duration(1, "mo")),
        ("quarterly", Duration(3, "mo")),
        ("10d", Duration(10, "d")),
        ("2w", Duration(2, "w")),
        ("6mo", Duration(6, "mo")),
    ],
)
def test_cadence_parse(text: str, every: Duration) -> None:
    cadence = Cadence.parse(text)
    assert cadence.every == every
    assert str(cadence) == text


def test_cadence_names_ignore_case_and_spaces() -> None:
    cadence = Cadence.parse("  Weekly ")
    assert cadence.every == Duration(1, "w")
    assert str(cadence) == "weekly"


def test_a_quarterly_cadence_is_three_calendar_months() -> None:
    assert Cadence.parse("quarterly").every.add_to_date(d(11, 30)) == d(2, 28, 2027)


@pytest.mark.parametrize("text", ["fortnightly", "every week", "0d", "", "15m"])
def test_cadence_parse_rejects_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError) as err:
        Cadence.parse(text)
    message = str(err.value)
    assert f"'{text}'" in message
    assert "weekly" in message and "monthly" in message


# --- parse_when ----------------------------------------------------------------------------


def when(text: str, clock: Clock = CLOCK) -> Due:
    return parse_when(text, clock)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", Due(d(11, 25))),
        ("2026-11-25 14:30", Due(d(11, 25), time(14, 30))),
        ("2027-01-05", Due(d(1, 5, 2027))),
        ("2025-06-01", Due(d(6, 1, 2025))),  # a past ISO date is taken as written
    ],
)
def test_parse_when_iso(text: str, expected: Due) -> None:
    assert when(text) == expected


def test_parse_when_iso_with_t_separator() -> None:
    # Due.parse (the file form) accepts "T"; what a person pastes must too.
    assert when("2026-11-25T14:30") == Due(d(11, 25), time(14, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", d(11, 23)),
        ("tomorrow", d(11, 24)),
        ("yesterday", d(11, 22)),
        ("сегодня", d(11, 23)),
        ("завтра", d(11, 24)),
        ("послезавтра", d(11, 25)),
        ("вчера", d(11, 22)),
    ],
)
def test_parse_when_day_words(text: str, expected: date) -> None:
    assert when(text) == Due(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue", d(11, 24)),
        ("wed", d(11, 25)),
        ("thu", d(11, 26)),
        ("fri", d(11, 27)),
        ("friday", d(11, 27)),
        ("sat", d(11, 28)),
        ("sun", d(11, 29)),
        ("mon", d(11, 30)),  # today is Monday: "mon" is the next one, not today
        ("monday", d(11, 30)),
        ("next friday", d(11, 27)),
        ("on mon", d(11, 30)),
        ("by wednesday", d(11, 25)),
    ],
)
def test_parse_when_english_weekdays_mean_the_next_such_day_after_today(
    text: str, expected: date
) -> None:
    assert when(text) == Due(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в пятницу", d(11, 27)),
        ("во вторник", d(11, 24)),
        ("к пятнице", d(11, 27)),
        ("до среды", d(11, 25)),
        ("в понедельник", d(11, 30)),
        ("в воскресенье", d(11, 29)),
        ("пятница", d(11, 27)),
    ],
)
def test_parse_when_russian_weekdays(text: str, expected: date) -> None:
    assert when(text) == Due(expected)


def test_parse_when_weekday_from_a_friday_is_a_week_ahead() -> None:
    friday = Clock.on(d(11, 27))
    assert when("fri", friday) == Due(d(12, 4))
    assert when("в пятницу", friday) == Due(d(12, 4))
    assert when("mon", friday) == Due(d(11, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3d", d(11, 26)),
        ("+2w", d(12, 7)),
        ("+1mo", d(12, 23)),
        ("+1y", d(11, 23, 2027)),
        ("3d", d(11, 26)),
        ("in 2 weeks", d(12, 7)),
        ("in a week", d(11, 30)),
        ("in 3 days", d(11, 26)),
        ("in one month", d(12, 23)),
        ("3 days", d(11, 26)),
        ("2 weeks", d(12, 7)),
        ("через 3 дня", d(11, 26)),
        ("через неделю", d(11, 30)),
        ("через 2 недели", d(12, 7)),
        ("через месяц", d(12, 23)),
        ("через два дня", d(11, 25)),
        ("через 5 дней", d(11, 28)),
        ("через год", d(11, 23, 2027)),
    ],
)
def test_parse_when_relative_days(text: str, expected: date) -> None:
    assert when(text) == Due(expected)


def test_parse_when_a_month_ahead_from_the_31st_lands_on_the_last_day() -> None:
    assert when("+1mo", Clock.on(d(1, 31))) == Due(d(2, 28))
    assert when("через месяц", Clock.on(d(10, 31))) == Due(d(11, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.11", d(11, 25)),
        ("25.11.2026", d(11, 25)),
        ("25.11.2027", d(11, 25, 2027)),
        ("25/11", d(11, 25)),
        ("25 nov", d(11, 25)),
        ("nov 25", d(11, 25)),
        ("25 november", d(11, 25)),
        ("25 ноября", d(11, 25)),
        ("1 декабря", d(12, 1)),
        ("23.11", d(11, 23)),  # today counts as the next occurrence
        ("20.11", d(11, 20, 2027)),  # already past this year: next year
        ("1 jan", d(1, 1, 2027)),
        ("15 марта", d(3, 15, 2027)),
    ],
)
def test_parse_when_day_month(text: str, expected: date) -> None:
    assert when(text) == Due(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 14:30", Due(d(11, 24), time(14, 30))),
        ("tomorrow at 9:00", Due(d(11, 24), time(9, 0))),
        ("fri 09:05", Due(d(11, 27), time(9, 5))),
        ("в пятницу в 10:00", Due(d(11, 27), time(10, 0))),
        ("завтра в 18:00", Due(d(11, 24), time(18, 0))),
        ("25.11 14:30", Due(d(11, 25), time(14, 30))),
        ("today 17:00", Due(d(11, 23), time(17, 0))),
    ],
)
def test_parse_when_with_a_trailing_time(text: str, expected: Due) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+2h", Due(d(11, 23), time(14, 0))),
        ("+15min", Due(d(11, 23), time(12, 15))),
        ("in 2 hours", Due(d(11, 23), time(14, 0))),
        ("через 15 минут", Due(d(11, 23), time(12, 15))),
        ("через 3 часа", Due(d(11, 23), time(15, 0))),
    ],
)
def test_parse_when_relative_hours_count_from_now(text: str, expected: Due) -> None:
    assert when(text) == expected


def test_parse_when_relative_hours_cross_midnight() -> None:
    late = Clock.at(datetime(2026, 11, 23, 23, 30))
    assert when("+2h", late) == Due(d(11, 24), time(1, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TOMORROW", Due(d(11, 24))),
        ("  Tomorrow   14:30 ", Due(d(11, 24), time(14, 30))),
        ("Next   Friday", Due(d(11, 27))),
        ("В  ПЯТНИЦУ", Due(d(11, 27))),
        ("Через   3   дня", Due(d(11, 26))),
        ("25 Nov", Due(d(11, 25))),
        ("25 Ноября", Due(d(11, 25))),
    ],
)
def test_parse_when_ignores_case_and_extra_spaces(text: str, expected: Due) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "someday",
        "31.02",
        "soon",
        "в пятьницу",
        "in 0 days",
        "через 0 дней",
        "32.11",
        "31 nov",
        "week",
        "fri fri",
    ],
)
def test_parse_when_rejects_nonsense_with_examples(text: str) -> None:
    with pytest.raises(ValueError) as err:
        when(text)
    message = str(err.value)
    assert f"'{text}'" in message
    assert "tomorrow" in message and "завтра" in message  # shows what does work


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_when_empty_asks_for_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="date is needed"):
        when(text)


@pytest.mark.parametrize(("text", "bad"), [("tomorrow 25:00", "25:00"), ("fri 12:60", "12:60")])
def test_parse_when_rejects_an_impossible_time_of_day(text: str, bad: str) -> None:
    with pytest.raises(ValueError) as err:
        when(text)
    message = str(err.value)
    assert bad in message
    assert "not a time of day" in message


def test_parse_when_refuses_two_times() -> None:
    with pytest.raises(ValueError, match="already says the time"):
        when("+2h 14:00")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_when_takes_any_iso_date_as_written(day: date) -> None:
    assert parse_when(day.isoformat(), CLOCK) == Due(day)
    assert Due.parse(str(Due(day))) == Due(day)


# --- relative_due -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (Due(d(11, 21)), "2 days late"),
        (Due(d(11, 22)), "1 day late"),
        (Due(d(11, 22), time(14, 30)), "1 day late"),
        (Due(d(11, 23)), "today"),
        (Due(d(11, 23), time(14, 30)), "today 14:30"),
        (Due(d(11, 23), time(12, 0)), "today 12:00"),
        (Due(d(11, 24)), "tomorrow"),
        (Due(d(11, 26)), "in 3 days"),
        (Due(d(11, 23), time(11, 30)), "30 min late"),
        (Due(d(11, 23), time(11, 59)), "1 min late"),
        (Due(d(11, 23), time(10, 0)), "2 h late"),
        (Due(d(11, 23), time(9, 30)), "2 h late"),  # whole hours, rounded down
    ],
)
def test_relative_due(due: Due, text: str) -> None:
    assert relative_due(due, CLOCK) == text
