"""Files in the shape Kept writes them, read straight into records.

Promises files and notes are nearly all a start with no cache reads (50 promises in
450 lines a client, 10 notes), and the general way — text to positioned nodes
(:mod:`tui.workspace.fastyaml`), nodes to records (:mod:`tui.workspace.schema`) —
builds a node for every key and value only to look each one up again. These readers
know the shapes Kept writes::

    # a comment                                 ---
    - id: k7m2p9                                date: 2026-11-20
      text: "Answer: can we add VK Clips?"      kind: meeting
      due: 2026-11-25                           with: [Ольга Петрова]
      history:                                  title: Kickoff
        - {on: 2026-11-24, to: 2026-11-27}      ---

promises at column 0, their keys at column 2 with one-line plain or quoted values,
``history`` / ``ladder`` lists of one-line flow mappings or plain scalars at column 4;
a note's front matter of one-line ``key: value`` pairs. A promise whose keys come in
Kept's order is read in one match, any other a line a match.

They are accelerators, not a second schema: they answer only for a file free of
problems (no unknown key, no bad value, no conflict a sync recorded), and then with
exactly the records :mod:`tui.workspace.schema` makes — the same values, lines and
columns. At the first thing they are not sure of they return None, and the caller
reads the file the general way, which also names every problem. Tests hold the two
ways to the same records over the corpus and generated files.
"""

from __future__ import annotations

import re
from typing import TypeVar

from tui.core.dates import Cadence, Due, Duration, parse_date
from tui.core.models import (
    PROMISE_ORDER,
    By,
    HistoryEntry,
    Kind,
    Note,
    NoteKind,
    Promise,
    PromiseStatus,
)
from tui.core.slugs import ID_RE
from tui.workspace.fastyaml import NOT_PRINTABLE, plain_kind
from tui.workspace.nodes import to_int
from tui.workspace.schema import (
    CONFLICT_KEY,
    HISTORY_EVENTS,
    HISTORY_KEYS,
    NOTE_KEYS,
    PROMISE_KEYS,
)

# The keys a promise may have, but "conflict" (a sync's record: an error to report).
_KEYS = PROMISE_KEYS - {CONFLICT_KEY}
_EVENTS = frozenset(HISTORY_EVENTS)
_BY = {str(e.value): e for e in By}
_STATUS = {str(e.value): e for e in PromiseStatus}
_KIND = {str(e.value): e for e in Kind}
_NOTE_KIND = {str(e.value): e for e in NoteKind}
E = TypeVar("E", By, PromiseStatus, Kind, NoteKind)

# "key: value" after the item's dash or indent: the key, the spaces, the value (or
# nothing, when the line ends at the colon), and maybe a comment after it. No
# trailing space: the general reader judges those.
_FIELD = re.compile(r"([a-z]+):(?:( +)('(?:[^']|'')*'|\"(?:[^\"\\\\]|\\\\.)*\""
                    r"|[^\s'\"](?:.*?\S)?))?(?: +#.*)?\Z")
# A plain scalar on its own: not starting with an indicator, no ": " nor " #" inside,
# not ending in ":" (what fastyaml reads as a plain value, in one test).
_PLAIN = re.compile(r"[^\s'\"\[\]{},&*!|>%@`#?:-](?:(?!: | #).)*(?<!:)\Z")
_DOUBLE = re.compile(r'"([^"\\]*)"\Z')  # no escapes: those are the general reader's
_SINGLE = re.compile(r"'((?:[^']|'')*)'\Z")
# One pair of a flow mapping, then the comma or brace after it. Plain values hold no
# ':' nor ' #' and start with no indicator; quoted ones no escapes.
_FLOW_VALUE = (r"(?:([^\s'\"\[\]{},&*!|>%@`#?:-](?:[^,\[\]{}:#]|#(?<! #))*?)"
               r"|\"([^\"\\]*)\"|'((?:[^']|'')*)') *")
_FLOW_PAIR = re.compile(rf" *([a-z]+): +{_FLOW_VALUE}([,}}])")
_FLOW_ITEM = re.compile(r" *([^\s'\"\[\]{},&*!|>%@`#?:-][^,\[\]{}:#]*?) *([,\]])")

# A value as read: its text (None for null) and its YAML type (str for quoted ones).
_Value = tuple[str | None, str]


class _NotMine(Exception):
    """Outside the shape, or a problem to report: the general reader's file."""


def promises(text: str, path: str, slug: str) -> list[Promise] | None:
    """Every promise of a promises.yaml, when the file is in the shape Kept writes and
    free of problems; None otherwise (the caller reads it the general way).

    Items whose keys come in Kept's order (:data:`PROMISE_ORDER`), as Kept writes
    them, are read a promise a match (:func:`_in_order`); a file with any other item
    a line a match (:class:`_Reader`)."""
    if ("\t" in text or "\r" in text or "- " not in text
            or NOT_PRINTABLE.search(text) is not None):
        return None  # tabs, CRs, a BOM, control characters: the general reader's
    try:
        return _in_order(text, path, slug)
    except _OutOfOrder:
        pass
    except (_NotMine, ValueError, KeyError):
        return None
    try:
        return _Reader(path, slug).read(text)
    except (_NotMine, ValueError, KeyError):
        return None


def note(front: str, path: str, slug: str, fallback_title: str) -> Note | None:
    """A note's record from its front matter (the text between the fences), when it
    is one-line ``key: value`` pairs free of problems; None otherwise."""
    if "\t" in front or "\r" in front or NOT_PRINTABLE.search(front) is not None:
        return None
    values: dict[str, _Value | list[_Value]] = {}
    field = _FIELD.match
    try:
        for line in front.split("\n"):
            if not line or line[0] == "#":
                continue
            m = field(line)
            if m is None:
                raise _NotMine  # indented, quoted keys, a list: the general reader's
            key = m.group(1)
            value = m.group(3)
            if key not in NOTE_KEYS or key in values or value is None:
                raise _NotMine
            if key == "with" and value[0] == "[":
                values[key] = [] if value == "[]" else _flow_list(value)
            else:
                values[key] = _scalar(value)
        day = values.get("date")
        if not isinstance(day, tuple) or day[0] is None:
            raise _NotMine
        with_ = values.get("with", (None, "null"))
        if isinstance(with_, list):
            people = tuple(_text(item) for item in with_)
        elif with_[1] == "str":
            people = (with_[0],)  # type: ignore[assignment]
        elif with_[0] is None:
            people = ()
        else:
            raise _NotMine  # a number or a date where names go
        kind = values.get("kind", (None, "null"))
        title = values.get("title", (None, "null"))
        if isinstance(kind, list) or isinstance(title, list):
            raise _NotMine
        return Note(
            client=slug,
            path=path,
            date=parse_date(day[0]),
            kind=_choice(_NOTE_KIND, kind[0], NoteKind.MEETING),
            with_=people,
            title=title[0] or fallback_title,
        )
    except (_NotMine, ValueError, KeyError):
        return None


def _text(value: _Value) -> str:
    if value[0] is None:
        raise _NotMine
    return value[0]


# --- a promise a match ---------------------------------------------------------------


class _OutOfOrder(Exception):
    """An item this path cannot take in one match: the line reader's."""


# A one-line value: single-quoted, double-quoted without escapes, or plain: not
# starting with an indicator, no ": " nor " #" inside, not ending in ":" or a space
# (a run of ordinary characters at a time, then one ':' or '#' that is allowed, and so
# on); then maybe a comment.
_VALUE = (r"(?:'((?:[^'\n]|'')*)'"
          r'|"([^"\\\n]*)"'
          r"|([^\s'\"\[\]{},&*!|>%@`#?:\-][^\n#:]*(?:(?:#(?<! #)|:(?![ \n]))[^\n#:]*)*"
          r"(?<! )))(?: +#[^\n]*)?\n")  # then a comment, or not
_GAP = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")  # blank and comment lines
# A plain value whose YAML type is to be asked: it may be null, a number or a word the
# full reader judges ('<<', '='). Every other one is text, or a date to parse.
_ASK_FIRST = frozenset("0123456789+.~nN<=")
# Keys whose value is parsed (dates, members of a choice, a cadence): a null or odd
# word fails that parse, so their YAML type need not be asked; the rest are text.
_PARSED = frozenset({"made", "due", "closed", "by", "status", "kind", "repeat"})
# A history entry as Kept writes it, keys in Kept's order, in one match: the day, the
# event, from, to, and why (double-quoted without escapes, or plain).
_DAY = r"\d{4}-\d\d-\d\d"
_DUE = rf"(?:'({_DAY} \d\d:\d\d)'|({_DAY}(?: \d\d:\d\d)?))"
_ENTRY = re.compile(
    rf"    - \{{on: ({_DAY})(?:, event: ([a-z]+))?(?:, from: {_DUE})?(?:, to: {_DUE})?"
    r"(?:, why: (?:'((?:[^'\n]|'')*)'|\"([^\"\\\n]*)\""
    r"|([^\s'\"\[\]{},&*!|>%@`#?:\-](?:[^,\[\]{}:#\n]|#(?<! #))*?) *))?\}(?: +#[^\n]*)?\n")


def _item_pattern() -> tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]]:
    """One promise with its keys in Kept's order, each optional but the id; the key of
    each group (three for most keys: single-quoted, double-quoted, plain) and its form
    (``'`` single-quoted, ``p`` plain, else as it is)."""
    parts = [r"- id: ([a-z0-9]{6})(?: +#[^\n]*)?\n"]
    keys = ["id"]
    forms = [""]
    for key in PROMISE_ORDER[1:]:
        if key == "history":
            parts.append(r"(?:  history:\n((?:    - \{[^\n]*\}(?: +#[^\n]*)?\n)+))?")
        elif key == "ladder":
            parts.append(r"(?:  ladder: (\[[^\n]*\])\n)?")
        else:
            parts.append(f"(?:  {key}: {_VALUE})?")
            keys += [key, key, key]
            forms += ["'", "", "p"]
            continue
        keys.append(key)
        forms.append("")
    return re.compile("".join(parts)), tuple(keys), tuple(forms)


_ITEM, _GROUP_KEYS, _GROUP_FORMS = _item_pattern()


class _Plan:
    """For one set of keys present (most items of a file share a few): each key's
    group and what its form asks (``'``: undouble the quotes, ``p``: a plain text
    whose YAML type may matter), and its line below the item's and column."""

    def __init__(self, groups: tuple[str | None, ...]) -> None:
        self.fields: list[tuple[str, int, str]] = []
        self.pos: list[tuple[str, int, int]] = []
        below = 0
        for i, (key, value) in enumerate(zip(_GROUP_KEYS, groups, strict=True)):
            if value is None:
                continue
            form = _GROUP_FORMS[i]
            if form == "p" and key in _PARSED:
                form = ""
            self.fields.append((key, i, form))
            if key == "history":  # the list's place is its first item's
                self.pos.append((key, below + 1, 5))
            else:
                self.pos.append((key, below, len(key) + 5 if key != "id" else 7))
            below += 1


_PLANS: dict[tuple[type, ...], _Plan] = {}


def _in_order(text: str, path: str, slug: str) -> list[Promise]:
    if not text.endswith("\n"):
        text += "\n"  # the last line's value ends there all the same
    out: list[Promise] = []
    gap = _GAP.match
    item = _ITEM.match
    plans = _PLANS
    count = text.count
    end = len(text)
    g = gap(text, 0)
    assert g is not None  # (it matches nothing at all, too)
    line = 1 + count("\n", 0, g.end())
    at = g.end()
    while at < end:
        m = item(text, at)
        if m is None:
            raise _OutOfOrder
        g = gap(text, m.end())  # what follows the item: the next one, or the end
        assert g is not None
        if g.end() < end and text[g.end()] != "-":
            raise _OutOfOrder  # a line of the item the match did not take
        groups = m.groups()
        plan = plans.get(shape := tuple(map(type, groups)))
        if plan is None:
            plan = plans[shape] = _Plan(groups)
        values: dict[str, str | None] = {}
        for key, i, form in plan.fields:
            value = groups[i]
            if form:
                if form == "'":
                    value = value.replace("''", "'")
                elif value[0] in _ASK_FIRST:
                    value = _text_or_null(value)
            values[key] = value
        if "step" in values:
            raise _OutOfOrder  # a number to check: the line reader's
        history = values.pop("history", None)
        ladder = values.pop("ladder", None)
        out.append(_promise(
            values, {key: (line + below, col) for key, below, col in plan.pos}, line, path,
            slug, () if history is None else _entries(history),
            () if ladder is None else _ladder(_flow_list(ladder)), None))
        line += count("\n", at, g.end())
        at = g.end()
    return out


def _text_or_null(value: str) -> str | None:
    """A plain text value that may be of another YAML type: None for null."""
    kind = plain_kind(value)
    if kind is None:
        raise _NotMine
    return None if kind == "null" else value


def _promise(values: dict[str, str | None], pos: dict[str, tuple[int, int]], line: int,
             path: str, slug: str, history: tuple[HistoryEntry, ...],
             ladder: tuple[Duration, ...], step: int | None) -> Promise:
    """The promise of one item, from the text of each scalar key (None for null) and
    the lists and step already read: what :func:`schema.read_promises` makes of it
    (or _NotMine for anything it would report)."""
    get = values.get
    promise_id = get("id")
    text = get("text")
    due = get("due")
    if text is None or due is None or promise_id is None or not ID_RE.fullmatch(promise_id):
        raise _NotMine
    made = get("made")
    closed = get("closed")
    by = get("by")
    status = get("status")
    kind = get("kind")
    repeat = get("repeat")
    made_at = None if made is None else Due.parse(made)
    closed_at = None if closed is None else Due.parse(closed)
    return Promise(
        id=promise_id,
        client=slug,
        text=text,
        due=Due.parse(due),
        path=path,
        line=line,
        by=By.US if by is None else _BY[by],
        owner=get("owner"),
        to=get("to") or "",
        made=None if made_at is None else made_at.day,
        status=PromiseStatus.OPEN if status is None else _STATUS[status],
        closed=None if closed_at is None else closed_at.day,
        kind=Kind.TASK if kind is None else _KIND[kind],
        repeat=None if repeat is None else Cadence.parse(repeat),
        note=get("note"),
        history=history,
        pos=pos,
        step=step,
        ladder=ladder,
        made_time=None if made_at is None else made_at.time,
        closed_time=None if closed_at is None else closed_at.time,
    )


def _entries(lines: str) -> tuple[HistoryEntry, ...]:
    """The history entries of an item read in order: each in one match when Kept wrote
    it, else as any flow mapping."""
    out: list[HistoryEntry] = []
    at = 0
    match = _ENTRY.match
    while at < len(lines):
        m = match(lines, at)
        if m is None:
            end = lines.index("\n", at)
            out.append(_flow_entry(lines[at + 6 : end]))
            at = end + 1
            continue
        on, event, from_at, from_day, to_at, to_day, single, double, plain = m.groups()
        from_ = from_at or from_day
        to = to_at or to_day
        why = double
        if single is not None:
            why = single.replace("''", "'")
        elif plain is not None:
            why = _text_or_null(plain) if plain[0] in _ASK_FIRST else plain
        out.append(_entry(on, event, from_, to, why, to is not None))
        at = m.end()
    return tuple(out)


def _entry(on: str | None, event: str | None, from_: str | None, to: str | None,
           why: str | None, has_to: bool) -> HistoryEntry:
    """One history entry from the text of its keys (None: absent or null); ``has_to``:
    it names a ``to`` (null or not), which makes a move of an entry with no event."""
    if on is None:
        raise _NotMine
    event = event or ("moved" if has_to else "")
    if event and event not in _EVENTS:
        raise _NotMine
    return HistoryEntry(on=parse_date(on), event=event, from_=_due_or_none(from_),
                        to=_due_or_none(to), why=why or "")


# --- a line a match ------------------------------------------------------------------


class _Reader:
    def __init__(self, path: str, slug: str) -> None:
        self.path = path
        self.slug = slug

    def read(self, text: str) -> list[Promise]:
        out: list[Promise] = []
        fields: dict[str, tuple[int, int, _Value | list[_Value]]] | None = None
        item_line = 0
        pending: str | None = None  # a key whose value is on the lines below
        pending_at = (0, 0)
        items: list[_Value] | None = None  # the list under that key, once it started
        number = 0
        field = _FIELD.match
        for line in text.split("\n"):
            number += 1
            first = line[:1]
            if first == "-":
                if line[1:2] != " ":
                    raise _NotMine
                if fields is not None:
                    self._end(fields, pending, pending_at, items)
                    out.append(self._promise(fields, item_line))
                fields = {}
                item_line = number
                pending, items = None, None
                at = 2
            elif first == " ":
                rest = line.lstrip(" ")
                if not rest or rest[0] == "#":
                    continue  # blank, or a comment (at any indent)
                indent = len(line) - len(rest)
                if fields is None:
                    raise _NotMine
                if indent == 2:
                    at = 2
                elif indent == 4 and rest[:2] == "- " and pending is not None and (
                        rest[2:3] != " "):
                    if items is None:
                        items = []
                        fields[pending] = (number, 5, items)
                    items.append(self._item(pending, rest[2:]))
                    continue
                else:
                    raise _NotMine  # a value on more lines, a nested mapping, odd indent
            elif not first or first == "#":
                continue
            else:
                raise _NotMine  # a top-level mapping, a document marker, a scalar
            m = field(line, at)
            if m is None:
                raise _NotMine
            if pending is not None:
                self._end(fields, pending, pending_at, items)
                pending, items = None, None
            key = m.group(1)
            if key not in _KEYS or key in fields:
                raise _NotMine
            value = m.group(3)
            if value is None:
                pending = key
                pending_at = (number, at + len(key) + 2)
                continue
            col = at + len(key) + 1 + len(m.group(2))
            if key == "ladder" and value[0] == "[":
                fields[key] = (number, col + 1, _flow_list(value))
            else:
                fields[key] = (number, col + 1, _scalar(value))
        if fields is None:
            raise _NotMine  # no promise at all: the general reader says what it is
        self._end(fields, pending, pending_at, items)
        out.append(self._promise(fields, item_line))
        return out

    @staticmethod
    def _end(fields: dict[str, tuple[int, int, _Value | list[_Value]]], pending: str | None,
             at: tuple[int, int], items: list[_Value] | None) -> None:
        """Close the key whose value was to come below: a list, or nothing (null)."""
        if pending is not None and items is None:
            fields[pending] = (*at, (None, "null"))

    @staticmethod
    def _item(key: str, text: str) -> _Value:
        if key == "history" and text[:1] == "{":
            return ("{", text)  # read into an entry by _history
        if key == "ladder":
            return _scalar(text)
        raise _NotMine

    def _promise(self, fields: dict[str, tuple[int, int, _Value | list[_Value]]],
                 line: int) -> Promise:
        lists = ("history", "ladder", "step")
        values: dict[str, str | None] = {}
        for key, (_, _, value) in fields.items():
            if key not in lists:
                if isinstance(value, list):
                    raise _NotMine  # (only history and ladder take items)
                values[key] = value[0]
        history = fields.get("history")
        ladder = fields.get("ladder")
        step = fields.get("step")
        return _promise(
            values, {key: (at[0], at[1]) for key, at in fields.items()}, line, self.path,
            self.slug, () if history is None else _history(history[2]),
            () if ladder is None else _ladder(ladder[2]),
            None if step is None else _step(step[2]))


def _scalar(value: str) -> _Value:
    """A one-line value: its text (None for null) and its YAML kind."""
    first = value[0]
    if first == '"':
        m = _DOUBLE.match(value)
        if m is None:
            raise _NotMine
        return m.group(1), "str"
    if first == "'":
        m = _SINGLE.match(value)
        if m is None:
            raise _NotMine
        return m.group(1).replace("''", "'"), "str"
    if _PLAIN.match(value) is None:
        raise _NotMine
    kind = plain_kind(value)
    if kind is None:
        raise _NotMine
    return (None if kind == "null" else value), kind


def _flow_items(pattern: re.Pattern[str], value: str, closer: str) -> list[re.Match[str]]:
    """The items of a one-line flow collection, one match each (its last group is the
    comma or the closing bracket after it); the whole value or _NotMine."""
    out = []
    i = 1
    while True:
        m = pattern.match(value, i)
        if m is None:
            raise _NotMine
        out.append(m)
        i = m.end()
        if m.group(m.lastindex or 0) == closer:
            break
    if i != len(value):
        raise _NotMine
    return out


def _flow_list(value: str) -> list[_Value]:
    """``[1d, 3d, 1w]``: plain scalars only (an empty list is the general reader's)."""
    return [_scalar(m.group(1)) for m in _flow_items(_FLOW_ITEM, value, "]")]


def _flow_map(value: str) -> dict[str, _Value]:
    """``{on: 2026-11-24, why: waiting}``: one pair a match, no duplicate keys."""
    out: dict[str, _Value] = {}
    for m in _flow_items(_FLOW_PAIR, value, "}"):
        key = m.group(1)
        if key in out:
            raise _NotMine
        plain, double, single = m.group(2, 3, 4)
        if plain is not None:
            out[key] = _scalar(plain)
        elif double is not None:
            out[key] = (double, "str")
        else:
            out[key] = (single.replace("''", "'"), "str")
    return out


def _list(value: _Value | list[_Value]) -> list[_Value]:
    """The items of a list value; none for null (any other scalar: _NotMine)."""
    if isinstance(value, list):
        return value
    if value[0] is None:
        return []
    raise _NotMine


def _history(value: _Value | list[_Value]) -> tuple[HistoryEntry, ...]:
    out = []
    for item in _list(value):
        if item[0] != "{":
            raise _NotMine
        out.append(_flow_entry(item[1]))
    return tuple(out)


def _flow_entry(text: str) -> HistoryEntry:
    """A history entry written as any one-line flow mapping of known keys."""
    entry = _flow_map(text)
    if not entry.keys() <= HISTORY_KEYS:
        raise _NotMine

    def of(key: str) -> str | None:
        return entry[key][0] if key in entry else None

    return _entry(of("on"), of("event"), of("from"), of("to"), of("why"), "to" in entry)


def _ladder(value: _Value | list[_Value]) -> tuple[Duration, ...]:
    out = []
    for text, _kind in _list(value):
        if text is None:
            raise _NotMine
        out.append(Duration.parse(text))
    return tuple(out)


def _step(value: _Value | list[_Value]) -> int | None:
    if isinstance(value, list):
        raise _NotMine
    text, kind = value
    if text is None:
        return None
    if kind != "int":
        raise _NotMine
    step = to_int(text)
    if step < 1:
        raise _NotMine
    return step


def _due_or_none(text: str | None) -> Due | None:
    return None if text is None else Due.parse(text)


def _choice(members: dict[str, E], text: str | None, default: E) -> E:
    if text is None:
        return default
    return members[text]  # KeyError: not a member, the general reader says so
