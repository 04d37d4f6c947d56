"""What two machines derive alike never doubles after a sync: the next occurrence of a
repeating promise closed on both, and the ids of a note's task lines numbered on both."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tests.vcs.team import NORTHWIND_PROMISES, make_team, starting_files
from tui.services import actions
from tui.services.notetasks import number_task_lines
from tui.workspace.tasks import provisional_id

REPEATING = NORTHWIND_PROMISES + "  repeat: monthly\n"
NOTE = "clients/askona/notes/2026-11-20-kickoff.md"


def test_a_repeating_promise_closed_on_two_machines_has_one_next(tmp_path: Path) -> None:
    files = {**starting_files(), "clients/northwind/promises.yaml": REPEATING}
    team = make_team(tmp_path, files=files)

    first = actions.done(team.session("anna"), "n1w2c3")
    second = actions.done(team.session("ivan"), "n1w2c3")
    assert first.value == second.value  # the same next id on both machines
    team.sync("anna")
    report = team.sync("ivan")
    team.sync("anna")

    assert not report.needs_you
    files_now = team.assert_converged()
    assert files_now["clients/northwind/promises.yaml"].decode() == REPEATING.replace(
        "  kind: report\n", "  status: done\n  closed: 2026-11-23\n  kind: report\n"
    ) + f"""\
- id: {first.value}
  text: Monthly report
  by: us
  owner: ivan
  made: 2026-11-30
  due: 2026-12-30
  kind: report
  repeat: monthly
"""
    session = team.session("ivan")
    assert [p.id for p in session.ws.promises if p.text == "Monthly report"] == [
        "n1w2c3", first.value]
    assert session.loaded.errors == []


def test_task_lines_numbered_on_two_machines_get_the_same_ids(tmp_path: Path) -> None:
    files = {**starting_files(), NOTE: (
        "---\ndate: 2026-11-20\nkind: meeting\ntitle: Kickoff\n---\nWe met.\n\n"
        "- [ ] Send the December media plan due:2026-11-25\n"
        "- [ ] @client Access to Yandex Metrica due:завтра\n")}
    team = make_team(tmp_path, files=files)

    for person in ("anna", "ivan"):
        outcome = number_task_lines(team.session(person))
        assert outcome is not None
    team.sync("anna")
    report = team.sync("ivan")
    team.sync("anna")

    assert not report.needs_you
    after = team.assert_converged()
    plan = provisional_id(NOTE, False, "Send the December media plan", 0)
    access = provisional_id(NOTE, True, "Access to Yandex Metrica", 0)
    assert after[NOTE].decode().endswith(
        f"- [ ] Send the December media plan due:2026-11-25 ^{plan}\n"
        f"- [ ] @client Access to Yandex Metrica due:завтра ^{access}\n")
    assert not [p for p in after if ".conflict-" in p]
    assert git(team.clones["anna"], "log", "--format=%s", "-1", "--", NOTE).startswith(
        "number 2 task lines in askona/2026-11-20-kickoff")
