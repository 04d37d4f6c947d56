"""Dates, due moments, durations and cadences — and dates as people type them.

Nothing here reads the clock: "today" and "now" arrive in a :class:`Clock` that the
faces build once (see ``tui.services.context``), so every rule is testable with a
fixed date. All times are local wall-clock times in the workspace's time zone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

DATE_HINT = "write YYYY-MM-DD or '2026-11-23 14:30'"
DURATION_HINT = "write 15min, 2h, 3d, 1w, 1mo or 1y"
CADENCE_HINT = "write daily, weekly, biweekly, monthly, quarterly or a duration like 10d"


@dataclass(frozen=True)
class Clock:
    """The one reading of the clock a command or a screen works with."""

    today: date
    now: datetime  # naive, local to the workspace

    @classmethod
    def at(cls, moment: datetime) -> Clock:
        return cls(moment.date(), moment.replace(tzinfo=None))

    @classmethod
    def on(cls, day: date, hour: int = 12) -> Clock:
        """A clock pinned to a day, at midday unless told otherwise."""
        return cls(day, datetime.combine(day, time(hour)))


_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATETIME_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


@functools.lru_cache(maxsize=65536)
def parse_date(text: str) -> date:
    """A strict ISO date, as written in the files. Raises ValueError with a hint.

    Remembered: a workspace writes the same few thousand dates again and again."""
    m = _DATE_RE.fullmatch(text.strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD")


@dataclass(frozen=True)
class Due:
    """A due date (due by the end of that day) or a due date and time."""

    day: date
    time: time | None = None

    @classmethod
    def parse(cls, text: str) -> Due:
        """The file form: ``2026-11-25`` or ``2026-11-25 14:30``."""
        return _parse_due(text)

    @classmethod
    def _parse(cls, text: str) -> Due:
        s = text.strip()
        m = _DATETIME_RE.fullmatch(s)
        if m:
            try:
                return cls(
                    date(int(m[1]), int(m[2]), int(m[3])),
                    time(int(m[4]), int(m[5]), int(m[6] or 0)),
                )
            except ValueError:
                pass
        else:
            m = _DATE_RE.fullmatch(s)
            if m:
                try:
                    return cls(date(int(m[1]), int(m[2]), int(m[3])))
                except ValueError:
                    pass
        raise ValueError(f"'{text}' is not a date; {DATE_HINT}")

    @classmethod
    def at(cls, moment: datetime) -> Due:
        return cls(moment.date(), moment.time().replace(second=0, microsecond=0))

    def moment(self) -> datetime:
        """The instant this is due: the given time, or the very end of the day."""
        return _moment(self.day, self.time)

    def is_overdue(self, clock: Clock) -> bool:
        return self.moment() < clock.now

    def __str__(self) -> str:
        if self.time is None:
            return self.day.isoformat()
        fmt = "%Y-%m-%d %H:%M:%S" if self.time.second else "%Y-%m-%d %H:%M"
        return datetime.combine(self.day, self.time).strftime(fmt)


@functools.lru_cache(maxsize=65536)
def _moment(day: date, at: time | None) -> datetime:
    """Due.moment, remembered: the agenda asks it of thousands of items, a few days."""
    return datetime.combine(day, time.max if at is None else at)


@functools.lru_cache(maxsize=65536)
def _parse_due(text: str) -> Due:
    """Due.parse, remembered (a Due is immutable, so sharing one is safe)."""
    return Due._parse(text)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def add_months(day: date, months: int) -> date:
    """Calendar months; the 31st lands on the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _days_in_month(year, month + 1)
    return date(year, month + 1, min(day.day, last))


_UNITS = {"min": "min", "h": "h", "d": "d", "w": "w", "mo": "mo", "y": "y"}
_DURATION_RE = re.compile(r"(\d+)\s*(min|h|d|w|mo|y)")


@dataclass(frozen=True)
class Duration:
    """``15min``, ``2h``, ``3d``, ``1w``, ``1mo``, ``1y``."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _DURATION_RE.fullmatch(text.strip().lower())
        if not m or int(m[1]) == 0:
            raise ValueError(f"'{text}' is not a duration; {DURATION_HINT}")
        return cls(int(m[1]), _UNITS[m[2]])

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def has_time(self) -> bool:
        return self.unit in ("min", "h")

    def add_to_date(self, day: date, times: int = 1) -> date:
        n = self.amount * times
        match self.unit:
            case "d":
                return day + timedelta(days=n)
            case "w":
                return day + timedelta(weeks=n)
            case "mo":
                return add_months(day, n)
            case "y":
                return add_months(day, 12 * n)
            case "h":
                return day + timedelta(hours=n)
            case _:
                return day + timedelta(minutes=n)

    def add_to_moment(self, moment: datetime) -> datetime:
        match self.unit:
            case "min":
                return moment + timedelta(minutes=self.amount)
            case "h":
                return moment + timedelta(hours=self.amount)
            case _:
                return datetime.combine(self.add_to_date(moment.date()), moment.time())

    def add_to_due(self, due: Due) -> Due:
        if self.has_time:
            base = datetime.combine(due.day, due.time or time(0))
            return Due.at(self.add_to_moment(base))
        return Due(self.add_to_date(due.day), due.time)

    def approx_days(self) -> float:
        return {"min": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "mo": 30.4, "y": 365.25}[
            self.unit
        ] * self.amount


CADENCE_NAMES = {
    "daily": Duration(1, "d"),
    "weekly": Duration(1, "w"),
    "biweekly": Duration(2, "w"),
    "monthly": Duration(1, "mo"),
    "quarterly": Duration(3, "mo"),
    "yearly": Duration(1, "y"),
}


@dataclass(frozen=True)
class Cadence:
    """How often something recurs: a name (``weekly``) or a duration (``10d``)."""

    text: str
    every: Duration

    @classmethod
    def parse(cls, text: str) -> Cadence:
        key = text.strip().lower()
        if key in CADENCE_NAMES:
            return cls(key, CADENCE_NAMES[key])
        try:
            return cls(key, Duration.parse(key))
        except ValueError:
            raise ValueError(f"'{text}' is not a cadence; {CADENCE_HINT}") from None

    def __str__(self) -> str:
        return self.text


# --- dates as people type them -------------------------------------------------------

_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "mon monday понедельник понедельника понедельнику пн",
        "tue tues tuesday вторник вторника вторнику вт",
        "wed wednesday среда среду среды среде ср",
        "thu thur thurs thursday четверг четверга четвергу чт",
        "fri friday пятница пятницу пятницы пятнице пт",
        "sat saturday суббота субботу субботы субботе сб",
        "sun sunday воскресенье воскресенья воскресенью вс",
    ]
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _i

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4,
    "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
}  # fmt: skip

_UNIT_WORDS = {
    "min": "min minute minutes mins минута минуту минуты минут мин",
    "h": "h hour hours hr hrs час часа часов ч",
    "d": "d day days день дня дней дн",
    "w": "w week weeks wk неделя неделю недели недель нед",
    "mo": "mo month months мес месяц месяца месяцев",
    "y": "y year years год года лет",
}
_UNIT_OF: dict[str, str] = {w: u for u, ws in _UNIT_WORDS.items() for w in ws.split()}

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "jan january января январь янв",
        "feb february февраля февраль фев",
        "mar march марта март мар",
        "apr april апреля апрель апр",
        "may мая май",
        "jun june июня июнь",
        "jul july июля июль",
        "aug august августа август авг",
        "sep sept september сентября сентябрь сен",
        "oct october октября октябрь окт",
        "nov november ноября ноябрь ноя",
        "dec december декабря декабрь дек",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _i

_DAY_WORDS = {
    "today": 0, "tod": 0, "сегодня": 0,
    "tomorrow": 1, "tmr": 1, "tom": 1, "завтра": 1,
    "послезавтра": 2,
    "yesterday": -1, "вчера": -1,
}  # fmt: skip

_PREFIXES = ("by ", "on ", "next ", "this ", "в ", "во ", "к ", "ко ", "до ", "на ")
_TIME_RE = re.compile(r"(?:^|\s)(?:at |в )?(\d{1,2})[:.](\d{2})$")

WHEN_HINT = (
    "try 2026-11-25, today, tomorrow, fri, +3d, 'in 2 weeks', 25.11, завтра, "
    "'в пятницу', 'через 3 дня' — add a time like 14:30 if it matters"
)


def _amount(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _relative(words: list[str]) -> Duration | None:
    """``3 days``, ``a week``, ``неделю``, ``2 недели`` -> a duration."""
    if len(words) == 1:
        m = re.fullmatch(r"(\d+)\s*([a-zа-яё]+)", words[0])
        if m:
            words = [m[1], m[2]]
        elif words[0] in _UNIT_OF:
            words = ["1", words[0]]
    if len(words) != 2:
        return None
    n, unit = _amount(words[0]), _UNIT_OF.get(words[1])
    if n is None or unit is None or n <= 0:
        return None
    return Duration(n, unit)


def parse_when(text: str, clock: Clock) -> Due:
    """A due date typed by a person, in English or Russian, relative to ``clock``.

    Weekday names mean the next such day after today. A day-month without a year
    means its next occurrence (today included). Raises ValueError with a hint.
    """
    original = text
    s = " ".join(text.strip().lower().replace("ё", "е").split())
    if not s:
        raise ValueError(f"a date is needed; {WHEN_HINT}")
    try:
        return Due.parse(s.upper())
    except ValueError:
        pass

    # A trailing time: "tomorrow 14:30", "в пятницу в 10:00".
    at: time | None = None
    m = _TIME_RE.search(s)
    if m and m.start() > 0:
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"'{original}': {hour}:{minute:02d} is not a time of day")
        at = time(hour, minute)
        s = s[: m.start()].strip()

    day = _parse_day(s, clock)
    if isinstance(day, Due):
        if at is not None:
            raise ValueError(f"'{original}' already says the time; {WHEN_HINT}")
        return day
    if day is None:
        raise ValueError(f"'{original}' is not a date Kept understands; {WHEN_HINT}")
    return Due(day, at)


def _parse_day(s: str, clock: Clock) -> date | Due | None:
    today = clock.today
    if s in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[s])

    # +3d, +2w, +1mo, +2h, 3d
    m = re.fullmatch(r"\+?\s*(\d+)\s*(min|h|d|w|mo|y)", s)
    if m:
        return _advance(Duration(int(m[1]), m[2]), clock)

    # in 2 weeks, in a week, через 3 дня, через неделю
    for lead in ("in ", "через "):
        if s.startswith(lead):
            dur = _relative(s[len(lead) :].split())
            return _advance(dur, clock) if dur else None
    dur = _relative(s.split())
    if dur is not None and s.split()[0] not in _UNIT_OF:
        return _advance(dur, clock)

    if s in ("next week", "на следующей неделе", "следующая неделя"):
        return today + timedelta(days=7 - today.weekday())
    if s in ("next month", "в следующем месяце"):
        return add_months(today.replace(day=1), 1)
    if s in ("eow", "end of week", "конец недели", "в конце недели", "к концу недели"):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if s in ("eom", "end of month", "конец месяца", "в конце месяца", "к концу месяца"):
        return add_months(today.replace(day=1), 1) - timedelta(days=1)

    # fri, friday, в пятницу, к пятнице, next friday
    word = s
    for prefix in _PREFIXES:
        if word.startswith(prefix):
            word = word[len(prefix) :]
            break
    if word in _WEEKDAYS:
        ahead = (_WEEKDAYS[word] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)

    # 25.11, 25.11.2026, 25/11, 25 nov, nov 25, 25 ноября
    m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?", word)
    if m:
        return _day_month(int(m[1]), int(m[2]), m[3], today)
    m = re.fullmatch(r"(\d{1,2})\s+([a-zа-я]+)\.?(?:\s+(\d{4}))?", word) or re.fullmatch(
        r"([a-z]+)\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?", word
    )
    if m:
        a, b, year = m[1], m[2], m[3]
        day_s, month_s = (a, b) if a.isdigit() else (b, a)
        if month_s in _MONTHS:
            return _day_month(int(day_s), _MONTHS[month_s], year, today)
    return None


def _advance(dur: Duration | None, clock: Clock) -> date | Due | None:
    if dur is None:
        return None
    if dur.has_time:
        return Due.at(dur.add_to_moment(clock.now))
    return dur.add_to_date(clock.today)


def _day_month(day: int, month: int, year: str | None, today: date) -> date | None:
    try:
        if year is not None:
            y = int(year)
            return date(y + 2000 if y < 100 else y, month, day)
        candidate = date(today.year, month, day)
        if candidate < today:
            candidate = date(today.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def parse_day(text: str, clock: Clock) -> date:
    """Like :func:`parse_when` but for a plain day (``--since``, ``made``)."""
    due = parse_when(text, clock)
    if due.time is not None:
        raise ValueError(f"'{text}' has a time; a day is needed here")
    return due.day


def humanize_days(days: int) -> str:
    """``0 -> today``, ``1 -> 1 day``, ``12 -> 12 days``."""
    n = abs(days)
    return f"{n} day" if n == 1 else f"{n} days"


@functools.lru_cache(maxsize=4096)
def _day_text(day: date) -> str:
    return f"{day:%a %d %b}"  # strftime is slow, and thousands of rows share a few days


def due_text(due: Due) -> str:
    """A due moment as the agenda shows it: ``Mon 23 Nov`` or ``Mon 23 Nov 14:30``."""
    text = _day_text(due.day)
    return f"{text} {due.time:%H:%M}" if due.time else text


def relative_due(due: Due, clock: Clock) -> str:
    """How a due moment reads against now: ``3 days late``, ``today 14:30``, ``in 2 days``."""
    delta = (due.day - clock.today).days
    if due.time is not None and delta == 0:
        minutes = int((due.moment() - clock.now).total_seconds() // 60)
        if minutes < 0:
            late = -minutes
            return f"{late} min late" if late < 60 else f"{late // 60} h late"
        return f"today {due.time:%H:%M}"
    if delta < 0:
        return f"{humanize_days(delta)} late"
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    return f"in {humanize_days(delta)}"
