"""Follow-ups on the ladder, and client requests to answer fast.

* :func:`chase` starts a follow-up ("proposal sent to Olga, waiting for an answer"):
  ``kind: follow-up``, ``step: 1``, due after the first rung of the ladder.
* :func:`chased` records a chase with no answer: a ``chased`` history entry (from
  and to the due it moves) and the next step, due its rung after today. Chased at
  the last step, the follow-up goes cold: ``status: dropped`` with a ``cold`` entry
  (see :mod:`tui.core.ladder`).
* :func:`answered` closes it: ``status: done`` and an ``answered`` entry.
* :func:`ask` records a client's request: ``kind: reply``, made now and due
  ``reply_within`` from now (a date and time). If the answer will take longer, move
  it with the reason the client was told ("told the client: by Friday").
"""

from __future__ import annotations

from typing import Any

from tui.core import ladder as ladder_rules
from tui.core.dates import Due, Duration
from tui.core.models import PROMISE_ORDER, Client, Promise, PromiseStatus
from tui.core.slugs import fold, new_id
from tui.errors import InvalidInput
from tui.services.actions import (
    EditYaml,
    Outcome,
    _base,
    _close,
    _handle,
    _open,
    _promise_file,
    _required,
    _subject,
    apply_writes,
)
from tui.services.context import Session
from tui.workspace.edit import Append, Op, SetKey, Where
from tui.workspace.layout import PROMISES_FILE, client_dir
from tui.workspace.yamlio import Flow, FlowList


def parse_ladder(text: str) -> tuple[Duration, ...]:
    """``1d,3d,1w`` (or with spaces) -> durations."""
    steps = []
    for part in text.replace(",", " ").split():
        try:
            steps.append(Duration.parse(part))
        except ValueError as exc:
            raise InvalidInput(f"--ladder: {exc}") from None
    if not steps:
        raise InvalidInput("--ladder needs at least one step, like 1d,3d,1w")
    return tuple(steps)


def contact_name(client: Client, name: str | None) -> str:
    """A contact as the card spells it, when ``name`` is one of them (any case)."""
    if not name:
        return ""
    wanted = fold(name.strip())
    for contact in client.contacts:
        if fold(contact.name) == wanted:
            return contact.name
    return " ".join(name.split())


def _new_promise(session: Session, client: Client, item: dict[str, Any], message: str,
                 ) -> Outcome:
    path = client_dir(session.root, client.slug) / PROMISES_FILE
    op = Append((), None, item, unique="id")
    return apply_writes(session, [EditYaml(path, [op], _base(session, path))], message,
                        str(item["id"]))


def _owner(session: Session, client: Client, owner: str | None) -> str | None:
    return _handle(session, owner) if owner else (session.me() or client.owner)


def chase(session: Session, client_ref: str, text: str, *, to: str | None = None,
          ladder: str | None = None, owner: str | None = None) -> Outcome:
    """Start a follow-up on the ladder; the outcome's value is the new id."""
    client = session.client(client_ref)
    text = _required(text, "what to follow up on")
    steps = parse_ladder(ladder) if ladder else session.settings.follow_up
    due = ladder_rules.step_due(steps, 1, session.clock)
    promise_id = new_id(session.taken_ids())
    item: dict[str, Any] = {"id": promise_id, "text": text, "by": "us"}
    who = _owner(session, client, owner)
    if who:
        item["owner"] = who
    name = contact_name(client, to)
    if name:
        item["to"] = name
    item["made"] = session.clock.today
    item["due"] = due
    item["kind"] = "follow-up"
    item["step"] = 1
    if ladder:
        item["ladder"] = FlowList(str(s) for s in steps)
    message = (f"chase {promise_id}: {_subject(text)} ({client.slug}) — step 1/{len(steps)} "
               f"due {due}")
    return _new_promise(session, client, item, message)


def _follow_up(session: Session, promise_id: str) -> Promise:
    promise = session.promise(promise_id)
    _open(promise)
    if not ladder_rules.is_follow_up(promise):
        raise InvalidInput(f"promise {promise.id} is not a follow-up (kind {promise.kind}, "
                           f"by {promise.by}); start one with: kept chase CLIENT TEXT")
    return promise


def chased(session: Session, promise_id: str, why: str = "") -> Outcome:
    """Chased, no answer: the next step from today, or cold after the last one."""
    promise = _follow_up(session, promise_id)
    steps = ladder_rules.ladder_of(promise, session.settings)
    step = min(ladder_rules.step_of(promise), len(steps))
    why = " ".join(why.split()) or "no answer"
    today = session.clock.today
    at = (Where("id", promise.id),)
    total = len(steps)
    ops: list[Op]
    if step < total:
        new_due = ladder_rules.step_due(steps, step + 1, session.clock)
        entry = Flow(on=today, event="chased")
        entry.update({"from": promise.due, "to": new_due, "why": why})
        ops = [
            SetKey(at, "due", new_due, expect=promise.due, order=PROMISE_ORDER),
            SetKey(at, "step", step + 1, expect=promise.step, order=PROMISE_ORDER),
            Append(at, "history", entry),
        ]
        message = (f"chased {promise.id}: step {step}/{total}, {why}; next "
                   f"{step + 1}/{total} due {new_due}: {_subject(promise.text)} "
                   f"({promise.client})")
        value = str(new_due)
    else:
        ops = _close(promise, PromiseStatus.DROPPED, today)
        ops.append(Append(at, "history", Flow(on=today, event="chased", why=why)))
        ops.append(Append(at, "history", Flow(on=today, event="cold",
                                              why=f"no answer after {total} chases")))
        message = (f"cold {promise.id}: no answer after {total} chases: "
                   f"{_subject(promise.text)} ({promise.client})")
        value = "cold"
    path, base = _promise_file(session, promise)
    return apply_writes(session, [EditYaml(path, ops, base)], message, value)


def answered(session: Session, promise_id: str, why: str = "") -> Outcome:
    """The client answered: the follow-up is done."""
    promise = _follow_up(session, promise_id)
    today = session.clock.today
    ops = _close(promise, PromiseStatus.DONE, today)
    entry = Flow(on=today, event="answered")
    why = " ".join(why.split())
    if why:
        entry["why"] = why
    ops.append(Append((Where("id", promise.id),), "history", entry))
    step = ladder_rules.step_of(promise)
    total = len(ladder_rules.ladder_of(promise, session.settings))
    message = (f"answered {promise.id} at step {min(step, total)}/{total}: "
               f"{_subject(promise.text)} ({promise.client})")
    path, base = _promise_file(session, promise)
    return apply_writes(session, [EditYaml(path, ops, base)], message)


def ask(session: Session, client_ref: str, text: str, *, from_: str | None = None,
        within: str | None = None, owner: str | None = None) -> Outcome:
    """A client's request to answer: due ``reply_within`` from now."""
    client = session.client(client_ref)
    text = _required(text, "the client's question")
    try:
        wait = Duration.parse(within) if within else session.settings.reply_within
    except ValueError as exc:
        raise InvalidInput(f"--within: {exc}") from None
    now = session.clock.now
    due = Due.at(wait.add_to_moment(now))
    promise_id = new_id(session.taken_ids())
    item: dict[str, Any] = {"id": promise_id, "text": text, "by": "us"}
    who = _owner(session, client, owner)
    if who:
        item["owner"] = who
    name = contact_name(client, from_)
    if name:
        item["to"] = name
    item["made"] = Due.at(now)  # the minute it was asked: reply times count from it
    item["due"] = due
    item["kind"] = "reply"
    message = f"ask {promise_id}: {_subject(text)} ({client.slug}) — answer by {due}"
    return _new_promise(session, client, item, message)
