"""The records of a workspace, as frozen dataclasses.

These are what the files mean, already validated: a date is a ``date``, a cadence a
:class:`~tui.core.dates.Cadence`. Each record remembers where it came from (path
relative to the workspace root, 1-based line) so every face can send a person there.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from tui.core.dates import Cadence, Due, Duration

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

#: Where each field's value sits in its file: key -> (line, column), 1-based.
Positions = Mapping[str, tuple[int, int]]


def no_positions() -> Positions:
    return {}


class ClientStatus(enum.StrEnum):
    LEAD = "lead"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    CHURNED = "churned"


#: Clients we are expected to keep in touch with.
IN_TOUCH = frozenset({ClientStatus.LEAD, ClientStatus.ONBOARDING, ClientStatus.ACTIVE})


class By(enum.StrEnum):
    US = "us"
    CLIENT = "client"


class PromiseStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class Kind(enum.StrEnum):
    TASK = "task"
    REPLY = "reply"
    FOLLOW_UP = "follow-up"
    REPORT = "report"


class NoteKind(enum.StrEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    MESSAGE = "message"
    VISIT = "visit"
    REPORT = "report"
    INTERNAL = "internal"  # for the team (a handover): not a contact with the client


@dataclass(frozen=True)
class TeamMember:
    handle: str
    name: str = ""
    email: str = ""


DEFAULT_TOUCH = Cadence.parse("weekly")
DEFAULT_REPLY = Duration.parse("15min")
DEFAULT_LADDER = tuple(Duration.parse(s) for s in ("1d", "3d", "1w", "2w", "1mo", "3mo"))


@dataclass(frozen=True)
class Settings:
    """kept.yaml."""

    name: str = "Kept workspace"
    version: int = 1
    timezone: ZoneInfo | None = None  # None: the machine's local time
    team: tuple[TeamMember, ...] = ()
    touch: Cadence = DEFAULT_TOUCH
    reply_within: Duration = DEFAULT_REPLY
    follow_up: tuple[Duration, ...] = DEFAULT_LADDER
    from_file: bool = True  # False: kept.yaml could not be read, these are defaults

    def member(self, handle: str | None) -> TeamMember | None:
        return next((m for m in self.team if m.handle == handle), None)

    def member_by_email(self, email: str) -> TeamMember | None:
        wanted = email.strip().lower()
        return next((m for m in self.team if m.email and m.email.lower() == wanted), None)


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    decides: bool = False
    urgent: bool = False
    email: str = ""
    phone: str = ""
    channel: str = ""
    line: int = 0


@dataclass(frozen=True)
class Invoice:
    number: str
    amount: float | int = 0
    issued: date | None = None
    due: date | None = None
    paid: date | None = None
    line: int = 0


@dataclass(frozen=True)
class Billing:
    currency: str = ""
    monthly_fee: float | int | None = None
    invoices: tuple[Invoice, ...] = ()


@dataclass(frozen=True)
class Client:
    """clients/<slug>/client.yaml."""

    slug: str
    name: str
    path: str
    status: ClientStatus = ClientStatus.ACTIVE
    owner: str | None = None
    backup: str | None = None
    since: date | None = None
    services: tuple[str, ...] = ()
    channel: str = ""
    touch: Cadence | None = None  # None: the workspace cadence
    report: Cadence | None = None
    contacts: tuple[Contact, ...] = ()
    billing: Billing = field(default_factory=Billing)
    tags: tuple[str, ...] = ()
    until: date | None = None  # the day a churned client left
    pos: Positions = field(default_factory=no_positions)

    def at(self, key: str) -> tuple[int, int]:
        """Line and column of a field's value, or the top of the file."""
        return self.pos.get(key, (1, 1))


@dataclass(frozen=True)
class HistoryEntry:
    """One move of a due date, one chase, an answer, or why a promise was closed.

    Events: moved, chased, answered, dropped, reopened, cold (a follow-up whose ladder
    ran out), done (only in a note's task line history, where it dates the tick).
    """

    on: date
    event: str = "moved"
    from_: Due | None = None
    to: Due | None = None
    why: str = ""


#: The order Kept writes a promise's keys in (a new key goes to its place).
PROMISE_ORDER = (
    "id", "text", "by", "owner", "to", "made", "due", "status", "closed", "kind", "step",
    "ladder", "repeat", "note", "history",
)  # fmt: skip


@dataclass(frozen=True)
class Promise:
    """One item of clients/<slug>/promises.yaml, or one task line of a note.

    A task line's promise has ``path`` ending in ``.md``; until Kept writes its id
    into the line (`` ^id``), ``pending_id`` is True and ``id`` is the one Kept will
    write (derived from the note's path and the line's text, see
    :mod:`tui.workspace.tasks`).
    """

    id: str
    client: str  # slug
    text: str
    due: Due
    path: str
    line: int
    by: By = By.US
    owner: str | None = None
    to: str = ""
    made: date | None = None
    status: PromiseStatus = PromiseStatus.OPEN
    closed: date | None = None
    kind: Kind = Kind.TASK
    repeat: Cadence | None = None
    note: str | None = None
    history: tuple[HistoryEntry, ...] = ()
    pos: Positions = field(default_factory=no_positions)
    # The follow-up ladder: the step now due (None: 1 + the chases in history) and
    # the promise's own ladder (empty: the workspace's follow_up).
    step: int | None = None
    ladder: tuple[Duration, ...] = ()
    # When the file gives a time with ``made`` or ``closed`` (replies: asked and
    # answered at), for reply times.
    made_time: time | None = None
    closed_time: time | None = None
    pending_id: bool = False

    def at(self, key: str) -> tuple[int, int]:
        """Line and column of a field's value, or of the promise when it has none."""
        return self.pos.get(key, (self.line, 1))

    @property
    def is_open(self) -> bool:
        return self.status is PromiseStatus.OPEN

    @property
    def in_note(self) -> bool:
        """A task line of a meeting note, not an item of promises.yaml."""
        return self.path.endswith(".md")


@dataclass(frozen=True)
class Note:
    """clients/<slug>/notes/*.md — every note but an internal one is a touch."""

    client: str
    path: str
    date: date
    kind: NoteKind = NoteKind.MEETING
    with_: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Workspace:
    """Everything that loaded, by kind. Problems travel beside it, not inside."""

    settings: Settings
    clients: Mapping[str, Client]
    promises: tuple[Promise, ...]
    notes: tuple[Note, ...]

    def client_name(self, slug: str) -> str:
        client = self.clients.get(slug)
        return client.name if client else slug

    def promise(self, promise_id: str) -> list[Promise]:
        return [p for p in self.promises if p.id == promise_id]

    def notes_of(self, slug: str) -> list[Note]:
        return [n for n in self.notes if n.client == slug]
