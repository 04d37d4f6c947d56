"""Clients and contacts from elsewhere: a CRM or spreadsheet export (CSV), and vCards.

CSV: one row per client, or per contact of a client (rows that name the same client
add contacts to it). Columns are recognised by their headers in English and Russian
(``Name``/``Название``/``Клиент``, ``Email``/``Почта``, ``Phone``/``Телефон``,
``Contact``/``Контакт``, ``Status``/``Статус``, ``Owner``/``Менеджер``...; see
:data:`HEADERS`), and ``--map COLUMN=FIELD`` says what a header means (``FIELD`` ``-``
skips the column). The delimiter (``,`` ``;`` or tab) and the encoding (UTF-8, else
Windows-1251 as Russian Excel saves) are found on their own.

An import is all or nothing: every bad row is reported with its row number (the
header is row 1, as a spreadsheet shows it) and nothing is written; otherwise every
new client file and every contact added to an existing card go in one commit.
Clients are matched by name (any case) and contacts by name or email, so importing
the same file again adds nothing.
"""

from __future__ import annotations

import csv
import io
import quopri
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.dates import Cadence, parse_day
from tui.core.models import Client, ClientStatus
from tui.core.slugs import fold, unique_slug
from tui.errors import InvalidInput, KeptError
from tui.services.actions import (
    EditYaml,
    NewFile,
    Outcome,
    Write,
    _base,
    apply_writes,
)
from tui.services.context import Session
from tui.workspace.edit import Append
from tui.workspace.layout import CLIENT_FILE, CLIENTS, client_dir
from tui.workspace.yamlio import FlowList, render_block

CLIENT_FIELDS = ("name", "status", "owner", "since", "channel", "touch", "services", "tags",
                 "monthly_fee", "currency")
CONTACT_FIELDS = ("contact", "role", "email", "phone", "contact_channel")
FIELDS = CLIENT_FIELDS + CONTACT_FIELDS

#: Header words (folded: lower case, Latin) -> field. Longer headers are tried whole.
HEADERS: dict[str, str] = {}
for _field, _words in {
    "name": ["name", "client", "client name", "company", "company name", "account",
             "organization", "organisation", "nazvanie", "klient", "kompaniya",
             "organizatsiya", "naimenovanie"],
    "status": ["status", "stage", "state", "status klienta", "etap"],
    "owner": ["owner", "manager", "account manager", "am", "responsible", "menedzher",
              "otvetstvennyy", "vladelets"],
    "contact": ["contact", "contact name", "contact person", "person", "full name",
                "kontakt", "kontaktnoe litso", "fio", "imya"],
    "role": ["role", "title", "job title", "position", "dolzhnost", "rol"],
    "email": ["email", "e-mail", "mail", "email address", "pochta", "el. pochta",
              "elektronnaya pochta", "e-mail adres"],
    "phone": ["phone", "telephone", "tel", "mobile", "phone number", "telefon",
              "mobilnyy", "nomer telefona"],
    "channel": ["channel", "preferred channel", "kanal"],
    "services": ["services", "service", "uslugi", "usluga"],
    "tags": ["tags", "tag", "labels", "tegi", "metki"],
    "since": ["since", "client since", "start", "start date", "data nachala", "nachalo",
              "klient s"],
    "touch": ["touch", "cadence", "contact cadence"],
    "monthly_fee": ["monthly fee", "fee", "retainer", "mrr", "abonentskaya plata",
                    "ezhemesyachnyy platezh"],
    "currency": ["currency", "valyuta"],
}.items():
    for _word in _words:
        HEADERS[_word] = _field

#: A header that names the company makes a plain "Name"/"Имя" column the contact's.
_STRONG_NAME = {"client", "client name", "company", "company name", "account",
                "organization", "organisation", "nazvanie", "klient", "kompaniya",
                "organizatsiya", "naimenovanie"}

STATUS_WORDS: dict[str, ClientStatus] = {}
for _state, _words in {
    ClientStatus.LEAD: ["lead", "prospect", "lid", "potentsialnyy", "novyy"],
    ClientStatus.ONBOARDING: ["onboarding", "onbording", "podklyuchenie", "zapusk"],
    ClientStatus.ACTIVE: ["active", "client", "customer", "aktivnyy", "v rabote", "klient",
                          "deystvuyushchiy"],
    ClientStatus.PAUSED: ["paused", "pause", "on hold", "pauza", "na pauze",
                          "priostanovlen"],
    ClientStatus.CHURNED: ["churned", "lost", "former", "ushel", "otkaz", "ottok",
                           "byvshiy"],
}.items():
    for _word in _words:
        STATUS_WORDS[_word] = _state


class ImportProblem(KeptError):
    """Rows that cannot be imported; nothing was written."""

    title = "Import"


def _key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").split()).strip(" :*")


@dataclass
class NewContact:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    channel: str = ""

    def as_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        for key in ("role", "email", "phone", "channel"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass
class Planned:
    """One client the import makes or adds contacts to."""

    name: str
    slug: str
    existing: bool
    card: dict[str, Any] = field(default_factory=dict)
    contacts: list[NewContact] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def describe(self) -> str:
        names = ", ".join(c.name for c in self.contacts)
        if self.existing:
            return f"{self.slug}: {len(self.contacts)} new contact" \
                   f"{'s' * (len(self.contacts) != 1)} ({names})"
        status = self.card.get("status", "active")
        owner = f", owner {self.card['owner']}" if self.card.get("owner") else ""
        extra = f"; contacts: {names}" if names else ""
        return f"{self.slug}: new client {self.name} ({status}{owner}){extra}"


@dataclass(frozen=True)
class Plan:
    clients: tuple[Planned, ...]
    columns: tuple[tuple[str, str], ...]  # (header, field or "-")
    source: str

    @property
    def new_clients(self) -> int:
        return sum(1 for c in self.clients if not c.existing)

    @property
    def new_contacts(self) -> int:
        return sum(len(c.contacts) for c in self.clients)

    def summary(self) -> str:
        return (f"{self.new_clients} new client{'s' * (self.new_clients != 1)}, "
                f"{self.new_contacts} new contact{'s' * (self.new_contacts != 1)}")


# --- reading files -------------------------------------------------------------------


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{path} is neither UTF-8 nor Windows-1251 text")


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``--map 'Клиент=name'`` -> {folded header: field}."""
    out: dict[str, str] = {}
    for item in items:
        header, sep, target = item.partition("=")
        target = target.strip().lower().replace("-", "_") if target.strip() != "-" else "-"
        if not sep or not header.strip():
            raise InvalidInput(f"--map '{item}': write COLUMN=FIELD, like 'Клиент=name'")
        if target != "-" and target not in FIELDS:
            raise InvalidInput(f"--map '{item}': '{target}' is not a field; fields: "
                               f"{', '.join(FIELDS)} (or - to skip the column)")
        out[_key(header)] = target
    return out


def guess_columns(headers: Sequence[str], overrides: dict[str, str]) -> list[str]:
    """The field of each column ("-": not imported)."""
    keys = [_key(h) for h in headers]
    strong = any(k in _STRONG_NAME for k in keys)
    fields: list[str] = []
    for key in keys:
        if key in overrides:
            fields.append(overrides[key])
            continue
        found = HEADERS.get(key, "-")
        if found == "name" and key in ("name", "imya") and strong:
            found = "contact"
        fields.append(found)
    taken: dict[str, int] = {}
    for i, f in enumerate(fields):
        if f == "-":
            continue
        if f in taken:
            raise InvalidInput(f"columns '{headers[taken[f]]}' and '{headers[i]}' both look "
                               f"like {f}; say which with --map, e.g. --map "
                               f"'{headers[i]}=-'")
        taken[f] = i
    if "name" not in taken:
        raise InvalidInput("no column looks like the client's name (Name, Client, Company, "
                           "Название, Клиент...); say which with --map 'COLUMN=name'")
    return fields


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _status(value: str) -> ClientStatus | None:
    return STATUS_WORDS.get(_key(value)) if value.strip() else None


def _owner(session: Session, value: str) -> str | None:
    wanted = _key(value)
    for m in session.settings.team:
        if wanted in (m.handle, _key(m.name), _key(m.email)) or (
            m.name and wanted == _key(m.name.split()[0])
        ):
            return m.handle
    return None


def _list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,;/|]", value) if v.strip()]


def plan_csv(session: Session, path: Path, mapping: Sequence[str] = ()) -> Plan:
    """What importing ``path`` would do; raises with every bad row."""
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text), _sniff(text)))
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise InvalidInput(f"{path} is empty")
    headers = [h.strip() for h in rows[0]]
    fields = guess_columns(headers, parse_map(mapping))
    existing = {fold(c.name): c for c in session.view.clients.values()}
    taken_slugs = [*session.view.clients]
    clients_dir = session.root / CLIENTS
    if clients_dir.is_dir():
        taken_slugs += [p.name for p in clients_dir.iterdir()]
    planned: dict[str, Planned] = {}
    errors: list[str] = []
    default_owner = session.me()
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        values = {f: (row[i].strip() if i < len(row) else "") for i, f in enumerate(fields)
                  if f != "-"}
        problems: list[str] = []
        name = " ".join(values.get("name", "").split())
        if not name:
            problems.append("no client name")
        status = _status(values.get("status", ""))
        if values.get("status") and status is None:
            problems.append(f"status '{values['status']}' is not lead, onboarding, active, "
                            "paused or churned (or their Russian names)")
        owner = None
        if values.get("owner"):
            owner = _owner(session, values["owner"])
            if owner is None:
                team = ", ".join(m.handle for m in session.settings.team) or "nobody"
                problems.append(f"owner '{values['owner']}' is not in the team ({team})")
        since = None
        if values.get("since"):
            try:
                since = parse_day(values["since"], session.clock)
            except ValueError as exc:
                problems.append(f"since: {exc}")
        touch = None
        if values.get("touch"):
            try:
                touch = str(Cadence.parse(values["touch"]))
            except ValueError as exc:
                problems.append(f"touch: {exc}")
        fee: int | float | None = None
        if values.get("monthly_fee"):
            raw = re.sub(r"[\s\u00a0\u202f]", "", values["monthly_fee"]).replace(",", ".")
            try:
                fee = float(raw)
                fee = int(fee) if fee.is_integer() else fee
            except ValueError:
                problems.append(f"monthly fee '{values['monthly_fee']}' is not a number")
        email = values.get("email", "")
        if email and "@" not in email:
            problems.append(f"email '{email}' has no @")
        if problems:
            errors.append(f"row {number}: " + "; ".join(problems))
            continue
        key = fold(name)
        plan = planned.get(key)
        if plan is None:
            client = existing.get(key)
            if client is not None:
                plan = Planned(client.name, client.slug, True)
            else:
                slug = unique_slug(name, taken_slugs)
                taken_slugs.append(slug)
                card: dict[str, Any] = {"name": name,
                                        "status": (status or ClientStatus.ACTIVE).value}
                who = owner or default_owner
                if who:
                    card["owner"] = who
                card["since"] = since or session.clock.today
                if values.get("services"):
                    card["services"] = FlowList(_list(values["services"]))
                if values.get("channel"):
                    card["channel"] = values["channel"]
                if touch:
                    card["touch"] = touch
                if fee is not None or values.get("currency"):
                    billing: dict[str, Any] = {}
                    if values.get("currency"):
                        billing["currency"] = values["currency"].upper()
                    if fee is not None:
                        billing["monthly_fee"] = fee
                    card["billing"] = billing
                if values.get("tags"):
                    card["tags"] = FlowList(_list(values["tags"]))
                plan = Planned(name, slug, False, card)
            planned[key] = plan
        plan.rows.append(number)
        contact_name = " ".join(values.get("contact", "").split())
        if contact_name or email or values.get("phone"):
            contact = NewContact(contact_name or email or values.get("phone", ""),
                                 values.get("role", ""), email, values.get("phone", ""),
                                 values.get("contact_channel", ""))
            known = existing.get(key)
            if not _has_contact(known, plan.contacts, contact):
                plan.contacts.append(contact)
    if errors:
        raise ImportProblem(f"{path.name}: nothing was imported; fix these rows and run it "
                           "again:\n  " + "\n  ".join(errors))
    columns = tuple(zip(headers, fields, strict=True))
    return Plan(tuple(p for p in planned.values() if not p.existing or p.contacts), columns,
                path.name)


def _has_contact(client: Client | None, planned: list[NewContact], new: NewContact) -> bool:
    names = {fold(c.name) for c in planned}
    emails = {c.email.lower() for c in planned if c.email}
    if client is not None:
        names |= {fold(c.name) for c in client.contacts}
        emails |= {c.email.lower() for c in client.contacts if c.email}
    return fold(new.name) in names or (bool(new.email) and new.email.lower() in emails)


def apply_plan(session: Session, plan: Plan, what: str) -> Outcome | None:
    """Write every planned client and contact in one commit; None: nothing to do."""
    writes: list[Write] = []
    for p in plan.clients:
        folder = client_dir(session.root, p.slug)
        path = folder / CLIENT_FILE
        if p.existing:
            ops = [Append((), "contacts", c.as_yaml(), unique="name") for c in p.contacts]
            writes.append(EditYaml(path, ops, _base(session, path)))
        else:
            card = dict(p.card)
            if p.contacts:
                card["contacts"] = [c.as_yaml() for c in p.contacts]
            writes.append(NewFile(path, "\n".join(render_block(card, 0)) + "\n"))
    if not writes:
        return None
    return apply_writes(session, writes, f"import {what} {plan.source}: {plan.summary()}")


def import_csv(session: Session, path: Path, mapping: Sequence[str] = (),
               dry_run: bool = False) -> tuple[Plan, Outcome | None]:
    plan = plan_csv(session, path, mapping)
    return plan, None if dry_run else apply_plan(session, plan, "csv")


# --- vCard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    line: int  # where BEGIN:VCARD is
    props: tuple[tuple[str, dict[str, str], str], ...]

    def first(self, name: str) -> str:
        return next((v for n, _, v in self.props if n == name), "")


def _unfold(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif lines and lines[-1][1].endswith("=") and "QUOTED-PRINTABLE" in (
            lines[-1][1].split(":", 1)[0].upper()
        ):  # vCard 2.1: a quoted-printable value goes on after a soft line break
            lines[-1] = (lines[-1][0], lines[-1][1][:-1] + raw)
        else:
            lines.append((number, raw))
    return lines


def _value(params: dict[str, str], raw: str) -> str:
    if params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "QP"):
        data = quopri.decodestring(raw.encode("latin-1", "replace"))
        try:
            raw = data.decode(params.get("CHARSET", "utf-8"))
        except (LookupError, UnicodeDecodeError):
            raw = data.decode("utf-8", "replace")
    out = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).strip()


def parse_vcards(text: str) -> list[Card]:
    """vCard 2.1, 3.0 and 4.0, as much as a contact list needs."""
    cards: list[Card] = []
    current: list[tuple[str, dict[str, str], str]] | None = None
    start = 0
    for number, line in _unfold(text):
        if not line.strip():
            continue
        head, sep, raw = line.partition(":")
        if not sep:
            continue
        name, *param_parts = head.split(";")
        name = name.split(".")[-1].upper()  # item1.EMAIL -> EMAIL
        params: dict[str, str] = {}
        for part in param_parts:
            key, eq, val = part.partition("=")
            params[key.upper() if eq else "TYPE"] = val if eq else key
        if name == "BEGIN" and raw.strip().upper() == "VCARD":
            current, start = [], number
        elif name == "END" and raw.strip().upper() == "VCARD":
            if current is not None:
                cards.append(Card(start, tuple(current)))
            current = None
        elif current is not None:
            current.append((name, params, _value(params, raw)))
    return cards


def _card_name(card: Card) -> str:
    full = card.first("FN")
    if full:
        return " ".join(full.split())
    parts = card.first("N").split(";")
    # N: family;given;additional;prefix;suffix
    given = parts[1] if len(parts) > 1 else ""
    return " ".join(f"{given} {parts[0]}".split())


def plan_vcards(session: Session, path: Path, client_ref: str) -> Plan:
    client = session.client(client_ref)
    cards = parse_vcards(read_text(path))
    if not cards:
        raise InvalidInput(f"{path.name} holds no vCards (BEGIN:VCARD ... END:VCARD)")
    plan = Planned(client.name, client.slug, True)
    errors = []
    for i, card in enumerate(cards, start=1):
        name = _card_name(card)
        if not name:
            errors.append(f"card {i} (line {card.line}): no name (FN or N)")
            continue
        role = card.first("TITLE") or card.first("ROLE")
        contact = NewContact(name, role, card.first("EMAIL"), card.first("TEL"))
        if not _has_contact(client, plan.contacts, contact):
            plan.contacts.append(contact)
    if errors:
        raise ImportProblem(f"{path.name}: nothing was imported; fix these cards and run it "
                           "again:\n  " + "\n  ".join(errors))
    return Plan((plan,) if plan.contacts else (), (), path.name)


def import_vcard(session: Session, path: Path, client_ref: str,
                 dry_run: bool = False) -> tuple[Plan, Outcome | None]:
    plan = plan_vcards(session, path, client_ref)
    return plan, None if dry_run else apply_plan(session, plan, "vcard")
