"""``kept handover``: the owner changes and the new owner gets a note, in one commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunKept, WriteWorkspace, git

CLIENT = """\
name: Аскона
status: active
owner: anna   # since the pitch
backup: ivan
since: 2024-03-01
services: [seo, smm]
channel: telegram
billing:
  currency: RUB
  monthly_fee: 150000
  invoices:
    - number: "2026-118"
      amount: 150000
      due: 2026-11-15
    - number: "2026-097"
      amount: 150000
      due: 2026-10-16
      paid: 2026-10-18
contacts:
  - name: Дмитрий Волков
    role: Analyst
  - name: Ольга Петрова
    role: Marketing director
    decides: true
    urgent: true
    phone: "+7 900 000-00-00"
"""

PROMISES = """\
- id: k7m2p9
  text: Send the December media plan
  owner: anna
  to: Ольга Петрова
  due: 2026-11-25
- id: f0ll0w
  text: Proposal for 2027
  to: Ольга Петрова
  due: 2026-11-24
  kind: follow-up
  step: 2
- id: q4h8t2
  text: Access to Yandex Metrica
  by: client
  owner: Ольга Петрова
  due: 2026-11-22
- id: d0n3d0
  text: Already done
  due: 2026-11-20
  status: done
  closed: 2026-11-20
"""

NOTE = ("---\ndate: 2026-11-20\nkind: call\nwith: [Ольга Петрова]\ntitle: Weekly call\n---\n"
        "Fine.\n")

HANDOVER = """\
---
date: 2026-11-23
kind: internal
title: Handover to Иван Петров
---

# Аскона: handover from Анна Турбина to Иван Петров

Status active · client since 2024-03-01 · services: seo, smm · channel: telegram · keep in touch weekly · monthly fee 150\u202f000 RUB

## Key contacts

- **Ольга Петрова** — Marketing director · decides · call when on fire · +7 900 000-00-00
- **Дмитрий Волков** — Analyst

## What we owe them

- 2026-11-24 (tomorrow) · Proposal for 2027 — chase 2/6 by telegram, to Ольга Петрова · `f0ll0w`
- 2026-11-25 (in 2 days) · Send the December media plan — to Ольга Петрова · `k7m2p9`

## What they owe us

- 2026-11-22 (1 day late) · Access to Yandex Metrica — from Ольга Петрова · `q4h8t2`

## Last contacts

- 2026-11-20 call with Ольга Петрова: Weekly call (notes/2026-11-20-weekly-call.md)

Last contact 3 days ago.

## Invoices

- 2026-118: 150\u202f000 RUB — **unpaid**, due 2026-11-15, 8 days late
- 2026-097: 150\u202f000 RUB — paid 2026-10-18
"""  # noqa: E501


@pytest.fixture
def root(write_ws: WriteWorkspace) -> Path:
    return write_ws({"clients/askona/client.yaml": CLIENT,
                     "clients/askona/promises.yaml": PROMISES,
                     "clients/askona/notes/2026-11-20-weekly-call.md": NOTE,
                     ".gitignore": ".kept/\n"})


def test_handover_changes_the_owner_and_writes_the_note_in_one_commit(kept: RunKept,
                                                                      root: Path) -> None:
    result = kept("-w", root, "handover", "аскона", "--to", "ivan")

    assert result.exit_code == 0, result.output
    note = "clients/askona/notes/2026-11-23-handover-to-ivan.md"
    assert result.stdout == f"{note}\n"
    assert (root / note).read_text("utf-8") == HANDOVER
    # Only the owner line changes (its comment stays); Ivan is no longer his own backup.
    assert (root / "clients/askona/client.yaml").read_text("utf-8") == CLIENT.replace(
        "owner: anna   # since the pitch\nbackup: ivan\n", "owner: ivan   # since the pitch\n")
    assert git(root, "log", "-1", "--format=%s") == "handover askona: anna → ivan\n"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [
        "clients/askona/client.yaml", note]
    assert git(root, "status", "--porcelain") == ""
    # The handover note is no contact with the client: the last contact stays the 20th.
    stats = kept("-w", root, "stats", "--json")
    assert '"last_contact": "2026-11-20"' in stats.stdout
    assert kept("-w", root, "check").exit_code == 0


def test_handover_refuses_the_same_owner_and_strangers(kept: RunKept, root: Path) -> None:
    same = kept("-w", root, "handover", "askona", "--to", "anna")
    assert (same.exit_code, same.stderr) == (2, "kept: error: Аскона is already anna's\n")
    stranger = kept("-w", root, "handover", "askona", "--to", "olga")
    assert stranger.exit_code == 2
    assert stranger.stderr == ("kept: error: 'olga' is not in the team (kept.yaml team: anna, "
                               "ivan)\n")
    assert len(git(root, "log", "--format=%s").splitlines()) == 1
