"""Follow-up ladders and replies, end to end: kept chase / chased / answered / ask.

The ladder is walked through all six steps on the days each comes due, then goes cold;
every step is one commit, and the file is compared whole at the end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunKept, WriteWorkspace, git

CLIENT = """\
name: Аскона
status: active
owner: anna
since: 2024-03-01
channel: email
touch: monthly
contacts:
  - name: Ольга Петрова
    channel: telegram
  - name: Пётр Иванов
"""

PROMISES = """\
# Promises to and from Аскона
- id: k7m2p9
  text: Send the December media plan
  owner: anna
  due: 2026-11-25
"""

PATH = "clients/askona/promises.yaml"


@pytest.fixture
def root(write_ws: WriteWorkspace) -> Path:
    return write_ws({"clients/askona/client.yaml": CLIENT, PATH: PROMISES,
                     ".gitignore": ".kept/\n"})


def on(day: str) -> dict[str, str]:
    return {"KEPT_TODAY": day}


def agenda(kept: RunKept, root: Path, day: str, days: int = 7) -> list[dict[str, Any]]:
    result = kept("-w", root, "agenda", "--json", "--days", str(days), env=on(day))
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def follow_ups(kept: RunKept, root: Path, day: str) -> list[tuple[str, str, str]]:
    return [(i["id"], i["text"], i["due"]) for i in agenda(kept, root, day, days=120)
            if i["type"] == "follow-up"]


def test_the_ladder_walked_through_all_six_steps_then_cold(kept: RunKept, root: Path) -> None:
    started = kept("-w", root, "chase", "askona", "Proposal: SEO for 2027",
                   "--to", "ольга петрова")
    assert started.exit_code == 0, started.output
    fid = started.stdout.strip()
    assert len(fid) == 6
    assert follow_ups(kept, root, "2026-11-23") == [
        (fid, "chase 1/6 by telegram · Proposal: SEO for 2027", "2026-11-24")]

    # Each step is chased on the day it comes due; the next is due its rung after that.
    walk = [
        ("2026-11-24", "2026-11-27", "chase 2/6"),  # +3d
        ("2026-11-27", "2026-12-04", "chase 3/6"),  # +1w
        ("2026-12-04", "2026-12-18", "chase 4/6"),  # +2w
        ("2026-12-18", "2027-01-18", "chase 5/6"),  # +1mo
        ("2027-01-18", "2027-04-18", "chase 6/6"),  # +3mo
    ]
    for day, next_due, label in walk:
        result = kept("-w", root, "chased", fid, "--why", f"no answer on {day}", env=on(day))
        assert result.exit_code == 0, result.output
        assert result.stdout == f"{next_due}\n"
        assert follow_ups(kept, root, day) == [
            (fid, f"{label} by telegram · Proposal: SEO for 2027", next_due)]

    cold = kept("-w", root, "chased", fid, env=on("2027-04-18"))
    assert cold.exit_code == 0, cold.output
    assert cold.stdout == "cold\n"
    assert f"cold {fid}: no answer after 6 chases" in cold.stderr

    # Reported once: on the day it went cold, never again.
    assert follow_ups(kept, root, "2027-04-18") == [
        (fid, "gone cold after 6 chases · Proposal: SEO for 2027", "2027-04-18")]
    assert follow_ups(kept, root, "2027-04-19") == []

    text = (root / PATH).read_text("utf-8")
    assert text == PROMISES + f"""\
- id: {fid}
  text: 'Proposal: SEO for 2027'
  by: us
  owner: anna
  to: Ольга Петрова
  made: 2026-11-23
  due: 2027-04-18
  status: dropped
  closed: 2027-04-18
  kind: follow-up
  step: 6
  history:
    - {{on: 2026-11-24, event: chased, from: 2026-11-24, to: 2026-11-27, why: no answer on 2026-11-24}}
    - {{on: 2026-11-27, event: chased, from: 2026-11-27, to: 2026-12-04, why: no answer on 2026-11-27}}
    - {{on: 2026-12-04, event: chased, from: 2026-12-04, to: 2026-12-18, why: no answer on 2026-12-04}}
    - {{on: 2026-12-18, event: chased, from: 2026-12-18, to: 2027-01-18, why: no answer on 2026-12-18}}
    - {{on: 2027-01-18, event: chased, from: 2027-01-18, to: 2027-04-18, why: no answer on 2027-01-18}}
    - {{on: 2027-04-18, event: chased, why: no answer}}
    - {{on: 2027-04-18, event: cold, why: no answer after 6 chases}}
"""  # noqa: E501
    subjects = git(root, "log", "--format=%s").splitlines()
    assert len(subjects) == 8  # the workspace, the start, five chases, cold
    assert subjects[0] == f"cold {fid}: no answer after 6 chases: Proposal: SEO for 2027 (askona)"
    assert subjects[1].startswith(f"chased {fid}: step 5/6, no answer on 2027-01-18; next 6/6 "
                                  "due 2027-04-18")
    assert subjects[-2] == (f"chase {fid}: Proposal: SEO for 2027 (askona) — step 1/6 due "
                            "2026-11-24")
    assert git(root, "status", "--porcelain") == ""
    again = kept("-w", root, "chased", fid, env=on("2027-04-19"))
    assert again.exit_code == 2
    assert again.stderr == f"kept: error: promise {fid} is already dropped on 2027-04-18\n"


def test_a_follow_up_with_its_own_ladder_and_the_client_channel(kept: RunKept,
                                                                root: Path) -> None:
    started = kept("-w", root, "chase", "askona", "Estimate for the video",
                   "--to", "Пётр Иванов", "--ladder", "2d, 1w")
    assert started.exit_code == 0, started.output
    fid = started.stdout.strip()
    assert "  ladder: [2d, 1w]\n" in (root / PATH).read_text("utf-8")
    # Пётр has no channel of his own: the client's.
    assert follow_ups(kept, root, "2026-11-23") == [
        (fid, "chase 1/2 by email · Estimate for the video", "2026-11-25")]
    assert kept("-w", root, "chased", fid, env=on("2026-11-26")).stdout == "2026-12-03\n"
    assert follow_ups(kept, root, "2026-11-26") == [
        (fid, "chase 2/2 by email · Estimate for the video", "2026-12-03")]
    assert kept("-w", root, "chased", fid, env=on("2026-12-03")).stdout == "cold\n"


def test_answered_closes_a_follow_up(kept: RunKept, root: Path) -> None:
    fid = kept("-w", root, "chase", "askona", "Proposal sent").stdout.strip()
    kept("-w", root, "chased", fid, env=on("2026-11-24"))

    result = kept("-w", root, "answered", fid, "--why", "yes, from January", env=on("2026-11-25"))

    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"answered {fid} at step 2/6: Proposal sent (askona) [")
    text = (root / PATH).read_text("utf-8")
    assert text.endswith(
        "  status: done\n  closed: 2026-11-25\n  kind: follow-up\n  step: 2\n  history:\n"
        "    - {on: 2026-11-24, event: chased, from: 2026-11-24, to: 2026-11-27, "
        "why: no answer}\n"
        "    - {on: 2026-11-25, event: answered, why: 'yes, from January'}\n")
    assert follow_ups(kept, root, "2026-11-25") == []


def test_a_hand_written_follow_up_counts_its_chases(kept: RunKept,
                                                    write_ws: WriteWorkspace) -> None:
    root = write_ws({"clients/askona/client.yaml": CLIENT, PATH: """\
- id: g3x7y1
  text: Proposal — did it arrive?
  to: Ольга Петрова
  due: 2026-11-24
  kind: follow-up
  history:
    - {on: 2026-11-22, event: chased, why: no answer yet}
"""})
    assert follow_ups(kept, root, "2026-11-23") == [
        ("g3x7y1", "chase 2/6 by telegram · Proposal — did it arrive?", "2026-11-24")]
    assert kept("-w", root, "chased", "g3x7y1").stdout == "2026-11-30\n"  # step 3: +1w
    assert "  step: 3\n" in (root / PATH).read_text("utf-8")


def test_chased_and_answered_refuse_what_is_not_a_follow_up(kept: RunKept, root: Path) -> None:
    before = (root / PATH).read_bytes()
    for command in ("chased", "answered"):
        result = kept("-w", root, command, "k7m2p9")
        assert result.exit_code == 2
        assert result.stderr == ("kept: error: promise k7m2p9 is not a follow-up (kind task, "
                                 "by us); start one with: kept chase CLIENT TEXT\n")
        assert "Traceback" not in result.output
    bad = kept("-w", root, "chase", "askona", "x", "--ladder", "1d,soon")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("kept: error: --ladder: 'soon' is not a duration")
    assert (root / PATH).read_bytes() == before
    assert len(git(root, "log", "--format=%s").splitlines()) == 1


# --- replies -------------------------------------------------------------------------


def test_ask_records_a_reply_due_within_reply_within(kept: RunKept, root: Path) -> None:
    result = kept("-w", root, "ask", "askona", "Can we add VK Clips?", "--from", "ольга петрова",
                  env=on("2026-11-23 14:05"))

    assert result.exit_code == 0, result.output
    rid = result.stdout.strip()
    assert (root / PATH).read_text("utf-8") == PROMISES + f"""\
- id: {rid}
  text: Can we add VK Clips?
  by: us
  owner: anna
  to: Ольга Петрова
  made: '2026-11-23 14:05'
  due: '2026-11-23 14:20'
  kind: reply
"""
    assert f"ask {rid}: Can we add VK Clips? (askona) — answer by 2026-11-23 14:20" in result.stderr
    replies = [i for i in agenda(kept, root, "2026-11-23 14:10") if i["type"] == "reply"]
    assert [(i["id"], i["due"], i["overdue"]) for i in replies] == [
        (rid, "2026-11-23 14:20", False)]
    late = [i for i in agenda(kept, root, "2026-11-23 14:21") if i["type"] == "reply"]
    assert [(i["id"], i["overdue"]) for i in late] == [(rid, True)]


def test_overdue_replies_head_the_agenda(kept: RunKept, root: Path) -> None:
    rid = kept("-w", root, "ask", "askona", "Why did CPL jump?",
               env=on("2026-11-26 10:00")).stdout.strip()
    items = agenda(kept, root, "2026-11-26 11:00")
    # The reply was due today 10:15, the plan and the touch earlier: the reply comes first.
    assert [(i["type"], i["id"], i["overdue"]) for i in items] == [
        ("reply", rid, True), ("touch", "askona", True), ("promise", "k7m2p9", True)]


def test_done_on_a_reply_records_the_minute_it_was_answered(kept: RunKept, root: Path) -> None:
    rid = kept("-w", root, "ask", "askona", "Budget split?",
               env=on("2026-11-23 14:05")).stdout.strip()
    done = kept("-w", root, "done", rid, env=on("2026-11-23 14:17"))
    assert done.exit_code == 0, done.output
    assert (root / PATH).read_text("utf-8").endswith(
        "  due: '2026-11-23 14:20'\n  status: done\n  closed: '2026-11-23 14:17'\n"
        "  kind: reply\n")
    assert kept("-w", root, "check").exit_code == 0
