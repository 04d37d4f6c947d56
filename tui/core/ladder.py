"""The follow-up ladder: which step a follow-up is on, when the next one comes, and
when it goes cold.

A follow-up (``kind: follow-up``, by us) chases something we sent — a proposal, an
estimate — until the client answers. Its ladder is the workspace's ``follow_up`` list
(``[1d, 3d, 1w, 2w, 1mo, 3mo]``) unless the promise has its own ``ladder:``. Step
``n`` of ``N`` is due the ``n``-th duration after the previous step was chased (the
first: after the follow-up started). The step is the promise's ``step:`` when written,
else one more than the ``chased`` entries in its history, so a follow-up written by
hand starts at 1.

Chased at the last step with still no answer, the follow-up goes *cold*: it is
closed as ``dropped`` with a ``cold`` history entry, and the agenda shows it once,
on that day.

Pure functions over records and a clock; no IO.
"""

from __future__ import annotations

from datetime import date

from tui.core.dates import Clock, Due, Duration
from tui.core.models import By, Client, Kind, Promise, PromiseStatus, Settings
from tui.core.slugs import fold


def is_follow_up(promise: Promise) -> bool:
    return promise.kind is Kind.FOLLOW_UP and promise.by is By.US


def ladder_of(promise: Promise, settings: Settings) -> tuple[Duration, ...]:
    """The promise's own ladder, else the workspace's."""
    return promise.ladder or settings.follow_up


def step_of(promise: Promise) -> int:
    """The step now due, counting from 1."""
    if promise.step is not None and promise.step > 0:
        return promise.step
    return 1 + sum(1 for h in promise.history if h.event == "chased")


def step_due(ladder: tuple[Duration, ...], step: int, clock: Clock) -> Due:
    """When step ``step`` (1-based) is due, counted from now."""
    wait = ladder[min(step, len(ladder)) - 1]
    if wait.has_time:
        return Due.at(wait.add_to_moment(clock.now))
    return Due(wait.add_to_date(clock.today))


def channel_of(promise: Promise, client: Client | None) -> str:
    """How to chase: the channel of the contact it was promised to, else the client's."""
    if client is None:
        return ""
    wanted = fold(promise.to.strip())
    if wanted:
        for contact in client.contacts:
            if fold(contact.name) == wanted and contact.channel:
                return contact.channel
    return client.channel


def chase_label(promise: Promise, client: Client | None, settings: Settings) -> str:
    """``chase 3/6 by telegram``."""
    total = len(ladder_of(promise, settings))
    label = f"chase {min(step_of(promise), total)}/{total}"
    channel = channel_of(promise, client)
    return f"{label} by {channel}" if channel else label


def went_cold(promise: Promise) -> date | None:
    """The day a follow-up went cold, or None."""
    if promise.status is not PromiseStatus.DROPPED or not promise.history:
        return None
    last = promise.history[-1]
    return last.on if last.event == "cold" else None


def is_last_step(promise: Promise, settings: Settings) -> bool:
    return step_of(promise) >= len(ladder_of(promise, settings))
