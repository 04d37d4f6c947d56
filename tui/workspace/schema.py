"""From YAML nodes to records: every field checked, every problem placed.

A record with an error in it is left out (a promise, a contact, an invoice, a history
entry — the smallest thing that holds the error), so one bad field costs only that
record. Settings are the exception: a bad setting falls back to its default, because
the whole workspace depends on them. Unknown keys are warnings.

A ``conflict:`` mapping on a promise, or at the top of client.yaml or kept.yaml, is
what a sync records when both sides changed one field (see :mod:`tui.vcs.merge`): each
entry is an error at its line, and the record itself still loads with the local value.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.dates import Cadence, Due, Duration, parse_date
from tui.core.models import (
    Billing,
    By,
    Client,
    ClientStatus,
    Contact,
    HistoryEntry,
    Invoice,
    Kind,
    Note,
    NoteKind,
    Positions,
    Promise,
    PromiseStatus,
    Settings,
    TeamMember,
)
from tui.core.slugs import ID_RE
from tui.errors import Problem, Severity
from tui.workspace.yamlio import Map, Node, Scalar, Seq, to_python

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

HANDLE_RE = re.compile(r"[a-z0-9_-]+")
KEPT_VERSION = 1

_KIND_WORDS = {
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "true/false",
    "null": "nothing",
    "timestamp": "a date",
}


def describe(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return _KIND_WORDS.get(node.kind, "a value")


@dataclass
class Sink:
    """Where problems of one file go."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: Node | None, severity: Severity, message: str, line: int = 1,
            col: int = 1) -> None:
        if node is not None:
            line, col = node.line, node.col
        self.problems.append(Problem(self.path, line, col, severity, message))


class Fields:
    """Reads the keys of one mapping, noting problems; ``ok`` is False after an error."""

    def __init__(self, sink: Sink, node: Map, known: frozenset[str], what: str) -> None:
        self.sink = sink
        self.node = node
        self.what = what
        self.ok = not node.broken
        for key, _ in node.pairs:
            if key.value not in known:
                sink.add(key, Severity.WARNING, f"unknown key '{key.value}' in {what}; "
                         f"known keys: {', '.join(sorted(known))}")

    def error(self, node: Node | None, message: str) -> None:
        self.ok = False
        if node is None:
            self.sink.add(self.node, Severity.ERROR, message)
        else:
            self.sink.add(node, Severity.ERROR, message)

    def line(self, key: str) -> int:
        k = self.node.key_node(key)
        return k.line if k else self.node.line

    def _scalar(self, key: str, required: bool, expected: str) -> Scalar | None:
        """The scalar under ``key``; None when missing, null or of the wrong shape."""
        node = self.node.get(key)
        if type(node) is Scalar and node.kind != "null" and node.kind != "invalid":
            return node  # nearly every field: then nothing more to ask
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            if required:
                self.error(node, f"{self.what} needs '{key}:'" if node is None
                           else f"{key}: is empty; {expected} is needed")
            return None
        if not isinstance(node, Scalar):
            self.error(node, f"{key}: expected {expected}, found {describe(node)}")
            return None
        if node.kind == "invalid":
            self.ok = False
            return None
        return node

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        node = self._scalar(key, required, "text")
        return default if node is None else node.value

    def optional_text(self, key: str) -> str | None:
        node = self._scalar(key, False, "text")
        return None if node is None else node.value

    def parsed(self, key: str, parse: Callable[[str], T], expected: str,
               required: bool = False) -> T | None:
        node = self._scalar(key, required, expected)
        if node is None:
            return None
        try:
            return parse(node.value)
        except ValueError as exc:
            self.error(node, f"{key}: {exc}")
            return None

    def date(self, key: str, required: bool = False) -> date | None:
        return self.parsed(key, parse_date, "a date", required)

    def day_and_time(self, key: str) -> Due | None:
        """A date, or a date and time (``"2026-11-23 14:05"``: when a reply was asked
        or answered)."""
        return self.parsed(key, Due.parse, "a date")

    def durations(self, key: str) -> tuple[Duration, ...]:
        """A list of durations (``[1d, 3d, 1w]``)."""
        out: list[Duration] = []
        for item in self.seq(key):
            if isinstance(item, Scalar) and item.kind not in ("invalid", "null"):
                try:
                    out.append(Duration.parse(item.value))
                except ValueError as exc:
                    self.error(item, f"{key}: {exc}")
            elif not (isinstance(item, Scalar) and item.kind == "invalid"):
                self.error(item, f"{key}: each step should be a duration, found "
                           f"{describe(item)}")
            else:
                self.ok = False
        return tuple(out)

    def positive(self, key: str) -> int | None:
        node = self.node.get(key)
        value = self.number(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.error(node, f"{key}: '{value}' should be a whole number from 1")
            return None
        return value

    def due(self, key: str, required: bool = False) -> Due | None:
        return self.parsed(key, Due.parse, "a date", required)

    def duration(self, key: str) -> Duration | None:
        return self.parsed(key, Duration.parse, "a duration")

    def cadence(self, key: str) -> Cadence | None:
        return self.parsed(key, Cadence.parse, "a cadence")

    def choice(self, key: str, enum_cls: type[E], default: E) -> E:
        members = _members(enum_cls)
        node = self._scalar(key, False, " | ".join(members))
        if node is None:
            return default
        member = members.get(node.value)
        if member is None:
            self.error(node, f"{key}: '{node.value}' is not one of {' | '.join(members)}")
            return default
        return member  # type: ignore[return-value]

    def flag(self, key: str) -> bool:
        node = self._scalar(key, False, "true or false")
        if node is None:
            return False
        if node.kind != "bool":
            self.error(node, f"{key}: '{node.value}' is not true or false")
            return False
        return node.value.lower() == "true"

    def number(self, key: str, required: bool = False) -> int | float | None:
        node = self._scalar(key, required, "a number")
        if node is None:
            return None
        if node.kind not in ("int", "float"):
            self.error(node, f"{key}: '{node.value}' is not a number; write digits, like 150000")
            return None
        value: int | float = node.to_python()
        return value

    def _reported(self, node: Node) -> bool:
        """True for a value whose problem the YAML reader already reported (a bad tag)."""
        if isinstance(node, Scalar) and node.kind == "invalid":
            self.ok = False
            return True
        return False

    def seq(self, key: str) -> list[Node]:
        node = self.node.get(key)
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return []
        if self._reported(node):
            return []
        if not isinstance(node, Seq):
            self.error(node, f"{key}: expected a list, found {describe(node)}")
            return []
        return node.items

    def text_list(self, key: str) -> tuple[str, ...]:
        out = []
        for item in self.seq(key):
            if isinstance(item, Scalar) and item.kind not in ("null", "invalid"):
                out.append(item.value)
            elif not (isinstance(item, Scalar) and item.kind == "invalid"):
                self.error(item, f"{key}: each item should be text, found {describe(item)}")
            else:
                self.ok = False
        return tuple(out)

    def mapping(self, key: str) -> Map | None:
        node = self.node.get(key)
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return None
        if self._reported(node):
            return None
        if not isinstance(node, Map):
            self.error(node, f"{key}: expected keys and values, found {describe(node)}")
            return None
        return node


def positions(node: Map) -> Positions:
    return {k.value: (v.line, v.col) for k, v in node.pairs}


_MEMBERS: dict[type[enum.Enum], dict[str, enum.Enum]] = {}


def _members(enum_cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    """An enum's members by their text, worked out once per enum."""
    members = _MEMBERS.get(enum_cls)
    if members is None:
        members = _MEMBERS[enum_cls] = {str(e.value): e for e in enum_cls}
    return members


def as_map(sink: Sink, node: Node, what: str) -> Map | None:
    if isinstance(node, Map):
        return node
    if not (isinstance(node, Scalar) and node.kind == "invalid"):
        sink.add(node, Severity.ERROR, f"{what} should be keys and values, found {describe(node)}")
    return None


# --- kept.yaml -----------------------------------------------------------------------

SETTINGS_KEYS = frozenset(
    {"kept", "name", "timezone", "team", "touch", "reply_within", "follow_up", "conflict"}
)
TEAM_KEYS = frozenset({"handle", "name", "email"})


def _timezone(text: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # (only a setting needs it)

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{text}' is not a time zone; write an IANA name like Europe/Moscow"
        ) from None


def read_settings(sink: Sink, root: Node | None, fallback_name: str) -> Settings:
    if root is None:
        sink.add(None, Severity.ERROR, "kept.yaml is empty; it needs at least 'kept: 1'")
        return Settings(name=fallback_name, from_file=False)
    node = as_map(sink, root, "kept.yaml")
    if node is None:
        return Settings(name=fallback_name, from_file=False)
    f = Fields(sink, node, SETTINGS_KEYS, "kept.yaml")
    report_conflicts(sink, node)
    version = f.number("kept", required=True)
    if version is not None and version != KEPT_VERSION:
        f.error(node.get("kept"), f"kept: format version {version} is not supported; "
                f"this Kept reads version {KEPT_VERSION}")
    default = Settings()
    team: list[TeamMember] = []
    seen: dict[str, int] = {}
    for item in f.seq("team"):
        m = as_map(sink, item, "a team member")
        if m is None:
            continue
        tf = Fields(sink, m, TEAM_KEYS, "a team member")
        handle = tf.text("handle", required=True)
        if handle and not HANDLE_RE.fullmatch(handle):
            tf.error(m.get("handle"), f"handle: '{handle}' may only hold a-z, 0-9, _ and -")
        elif handle in seen:
            tf.error(m.get("handle"), f"handle: '{handle}' is already used at line {seen[handle]}")
        if tf.ok:
            seen[handle] = m.line
            team.append(TeamMember(handle, tf.text("name"), tf.text("email")))
    ladder: list[Duration] = []
    for item in f.seq("follow_up"):
        if isinstance(item, Scalar) and item.kind != "invalid":
            try:
                ladder.append(Duration.parse(item.value))
            except ValueError as exc:
                f.error(item, f"follow_up: {exc}")
        else:
            f.error(item, f"follow_up: each step should be a duration, found {describe(item)}")
    return Settings(
        name=f.text("name") or fallback_name,
        version=KEPT_VERSION,
        timezone=f.parsed("timezone", _timezone, "a time zone"),
        team=tuple(team),
        touch=f.cadence("touch") or default.touch,
        reply_within=f.duration("reply_within") or default.reply_within,
        follow_up=tuple(ladder) or default.follow_up,
    )


# --- client.yaml ---------------------------------------------------------------------

CLIENT_KEYS = frozenset(
    {"name", "status", "owner", "backup", "since", "services", "channel", "touch", "report",
     "contacts", "billing", "tags", "until", "conflict"}
)  # fmt: skip
CONTACT_KEYS = frozenset({"name", "role", "decides", "urgent", "email", "phone", "channel"})
BILLING_KEYS = frozenset({"currency", "monthly_fee", "invoices"})
INVOICE_KEYS = frozenset({"number", "amount", "issued", "due", "paid"})


def read_client(sink: Sink, slug: str, root: Node | None) -> tuple[Client | None, bool]:
    """The client card, and whether it is free of errors.

    A card with errors is still returned (when it is a mapping at all) so the checks
    that span files can look at it; it stays out of the workspace.
    """
    if root is None:
        sink.add(None, Severity.ERROR, "client.yaml is empty; it needs at least 'name:'")
        return None, False
    node = as_map(sink, root, "client.yaml")
    if node is None:
        return None, False
    f = Fields(sink, node, CLIENT_KEYS, "client.yaml")
    report_conflicts(sink, node)
    contacts = []
    for item in f.seq("contacts"):
        m = as_map(sink, item, "a contact")
        if m is None:
            continue
        cf = Fields(sink, m, CONTACT_KEYS, "a contact")
        contact = Contact(
            name=cf.text("name", required=True),
            role=cf.text("role"),
            decides=cf.flag("decides"),
            urgent=cf.flag("urgent"),
            email=cf.text("email"),
            phone=cf.text("phone"),
            channel=cf.text("channel"),
            line=m.line,
        )
        if cf.ok:
            contacts.append(contact)
    billing = Billing()
    bnode = f.mapping("billing")
    if bnode is not None:
        bf = Fields(sink, bnode, BILLING_KEYS, "billing")
        invoices = []
        numbers: dict[str, int] = {}
        for item in bf.seq("invoices"):
            m = as_map(sink, item, "an invoice")
            if m is None:
                continue
            inf = Fields(sink, m, INVOICE_KEYS, "an invoice")
            number = inf.text("number", required=True)
            if number in numbers:
                inf.error(m.get("number"), f"number: invoice '{number}' is already listed at "
                          f"line {numbers[number]}")
            invoice = Invoice(
                number=number,
                amount=inf.number("amount") or 0,
                issued=inf.date("issued"),
                due=inf.date("due"),
                paid=inf.date("paid"),
                line=m.line,
            )
            if inf.ok:
                numbers[number] = m.line
                invoices.append(invoice)
        billing = Billing(bf.text("currency"), bf.number("monthly_fee"), tuple(invoices))
    client = Client(
        slug=slug,
        name=f.text("name", required=True),
        path=sink.path,
        status=f.choice("status", ClientStatus, ClientStatus.ACTIVE),
        owner=f.optional_text("owner"),
        backup=f.optional_text("backup"),
        since=f.date("since"),
        services=f.text_list("services"),
        channel=f.text("channel"),
        touch=f.cadence("touch"),
        report=f.cadence("report"),
        contacts=tuple(contacts),
        billing=billing,
        tags=f.text_list("tags"),
        until=f.date("until"),
        pos=positions(node),
    )
    return client, f.ok


# --- promises.yaml -------------------------------------------------------------------

PROMISE_KEYS = frozenset(
    {"id", "text", "by", "owner", "to", "made", "due", "status", "closed", "kind", "repeat",
     "note", "history", "step", "ladder", "conflict"}
)  # fmt: skip
HISTORY_KEYS = frozenset({"on", "event", "from", "to", "why"})
HISTORY_EVENTS = ("moved", "chased", "answered", "dropped", "reopened", "cold")


def _promise_id(f: Fields) -> str:
    node = f.node.get("id")
    value = f.text("id", required=True)
    if value and not ID_RE.fullmatch(value):
        f.error(node, f"id: '{value}' is malformed; an id is 6 lowercase letters and digits, "
                "like 7k3q9m")
    return value


def read_history(sink: Sink, items: list[Node]) -> tuple[HistoryEntry, ...]:
    out = []
    for item in items:
        m = as_map(sink, item, "a history entry")
        if m is None:
            continue
        hf = Fields(sink, m, HISTORY_KEYS, "a history entry")
        on = hf.date("on", required=True)
        event = hf.text("event") or ("moved" if m.get("to") is not None else "")
        if event and event not in HISTORY_EVENTS:
            hf.error(m.get("event"), f"event: '{event}' is not one of {' | '.join(HISTORY_EVENTS)}")
        entry = HistoryEntry(
            on=on or date.min,
            event=event,
            from_=hf.due("from"),
            to=hf.due("to"),
            why=hf.text("why"),
        )
        if hf.ok:
            out.append(entry)
    return tuple(out)


def read_promises(sink: Sink, slug: str, root: Node | None) -> list[tuple[Promise, bool]]:
    """Every promise in the list, each with whether it is free of errors."""
    if root is None:
        return []
    if not isinstance(root, Seq):
        if not (isinstance(root, Scalar) and root.kind == "invalid"):
            sink.add(root, Severity.ERROR,
                     f"promises.yaml should be a list of promises (lines starting with '- '), "
                     f"found {describe(root)}")
        return []
    out = []
    for item in root.items:
        m = as_map(sink, item, "a promise")
        if m is None:
            continue
        f = Fields(sink, m, PROMISE_KEYS, "a promise")
        report_conflicts(sink, m)
        promise_id = _promise_id(f)
        text = f.text("text", required=True)
        due = f.due("due", required=True)
        history = read_history(sink, f.seq("history"))
        made = f.day_and_time("made")
        closed = f.day_and_time("closed")
        promise = Promise(
            id=promise_id,
            client=slug,
            text=text,
            due=due or Due(date.min),
            path=sink.path,
            line=m.line,
            by=f.choice("by", By, By.US),
            owner=f.optional_text("owner"),
            to=f.text("to"),
            made=made.day if made else None,
            status=f.choice("status", PromiseStatus, PromiseStatus.OPEN),
            closed=closed.day if closed else None,
            kind=f.choice("kind", Kind, Kind.TASK),
            repeat=f.cadence("repeat"),
            note=f.optional_text("note"),
            history=history,
            pos=positions(m),
            step=f.positive("step"),
            ladder=f.durations("ladder"),
            made_time=made.time if made else None,
            closed_time=closed.time if closed else None,
        )
        out.append((promise, f.ok))
    return out


# --- conflicts a sync recorded --------------------------------------------------------

CONFLICT_KEY = "conflict"

#: Lists whose items are records named by one of their keys. A merge matches their
#: items by that key, and a conflict entry names a field inside one by it:
#: ``contacts.Ольга Петрова.phone``, ``billing.invoices.2026-118.paid``, ``team.anna.email``.
ITEM_KEYS: dict[str, str] = {"contacts": "name", "invoices": "number", "team": "handle"}

FieldStep = str | tuple[str, str]  # a key, or (item key, its value) for a named list item


def locate_field(record: Map, field: str) -> tuple[list[FieldStep], Map | None, str]:
    """Where a conflict entry's ``field`` lives inside ``record``.

    Returns the steps to the mapping that holds it, that mapping (None when it is no
    longer in the file) and the field's key there. Names may hold dots, so each step
    takes the longest key or item name the file really has.
    """
    steps: list[FieldStep] = []
    node: Node | None = record
    rest = field
    while isinstance(node, Map) and node.get(rest) is None:
        key = _longest(rest, node.keys())
        if key is None:
            break
        steps.append(key)
        rest = rest[len(key) + 1 :]
        child = node.get(key)
        if isinstance(child, Seq) and key in ITEM_KEYS:
            by = ITEM_KEYS[key]
            names = {n: i for i in child.items if (n := _name(i, by)) is not None}
            name = _longest(rest, list(names))
            if name is None:
                return steps, None, rest
            steps.append((by, name))
            rest = rest[len(name) + 1 :]
            child = names[name]
        node = child
    return steps, node if isinstance(node, Map) else None, rest


def _longest(text: str, names: list[str]) -> str | None:
    found = [n for n in names if text.startswith(n + ".")]
    return max(found, key=len) if found else None


def _name(item: Node, key: str) -> str | None:
    node = item.get(key) if isinstance(item, Map) else None
    return node.value if isinstance(node, Scalar) and node.kind != "null" else None


def show_value(value: Any, present: bool = True) -> str:
    """A field's value in a message: as written, or 'not set'."""
    if not present or value is None:
        return "not set"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def report_conflicts(sink: Sink, record: Map) -> None:
    """Each entry of the record's ``conflict:`` mapping is an error at its line.

    The record is not rejected: it keeps the local value until a person picks one.
    """
    node = record.get(CONFLICT_KEY)
    if node is None or (isinstance(node, Scalar) and node.kind == "null"):
        return
    if not isinstance(node, Map) or not node.pairs:
        sink.add(node, Severity.ERROR,
                 "conflict: a sync recorded fields changed on both sides here, but the entry "
                 "cannot be read; fix the record by hand and delete 'conflict:'")
        return
    for key, entry in node.pairs:
        _, holder, name = locate_field(record, key.value)
        mine = holder.get(name) if holder is not None else None
        theirs = entry.get("theirs") if isinstance(entry, Map) else None
        base = entry.get("base") if isinstance(entry, Map) else None
        before = f" (before: {show_value(to_python(base))})" if base is not None else ""
        sink.add(key, Severity.ERROR,
                 f"conflict: {key.value} was changed on both sides: "
                 f"yours {show_value(to_python(mine), mine is not None)}, "
                 f"theirs {show_value(to_python(theirs), theirs is not None)}{before}; "
                 "keep one and delete the conflict entry")


# --- notes ---------------------------------------------------------------------------

NOTE_KEYS = frozenset({"date", "kind", "with", "title"})


def read_note(sink: Sink, slug: str, root: Node | None, fallback_title: str,
              line: int) -> Note | None:
    if root is None:
        sink.add(None, Severity.ERROR, "the front matter is empty; it needs at least "
                 "'date: YYYY-MM-DD'", line=line)
        return None
    node = as_map(sink, root, "the front matter")
    if node is None:
        return None
    f = Fields(sink, node, NOTE_KEYS, "a note's front matter")
    day = f.date("date", required=True)
    with_node = node.get("with")
    with_: tuple[str, ...]
    if isinstance(with_node, Scalar) and with_node.kind == "str":
        with_ = (with_node.value,)  # "with: Ольга" reads naturally; take it as one person
    else:
        with_ = f.text_list("with")
    note = Note(
        client=slug,
        path=sink.path,
        date=day or date.min,
        kind=f.choice("kind", NoteKind, NoteKind.MEETING),
        with_=with_,
        title=f.text("title") or fallback_title,
    )
    return note if f.ok else None


def plain(value: Any) -> Any:
    """Record values as plain YAML-ready values (enums to their text)."""
    if isinstance(value, enum.Enum):
        return value.value
    return value
