"""``kept sync`` between account managers, with real git: a bare repository in
tmp_path as the remote and a clone per person (tests/vcs/team.py).

Every scenario ends with every clone holding the same files as the remote, and
asserts that each person's change is in them: nothing lost, no conflict markers,
and nothing left half-merged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import CLOCK, WriteWorkspace, git
from tests.vcs.team import ASKONA_CLIENT, ASKONA_PROMISES, Team, make_team, starting_files
from tui.cli import main
from tui.services import actions
from tui.services.setup import init_workspace
from tui.services.sync import (
    FieldConflict,
    FileConflict,
    SyncError,
    conflicts,
    resolve_conflict,
    resolve_copy,
)
from tui.vcs.sync import driver_command
from tui.workspace.text import conflict_markers

PROMISES = "clients/askona/promises.yaml"
CLIENT = "clients/askona/client.yaml"


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def kept(*args: str | Path) -> tuple[int, str, str]:
    """The command line in-process; (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def no_markers(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        assert not conflict_markers(data.decode("utf-8", "replace")), path


def promise_ids(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.startswith("- id:")]


# --- merges that need nobody ---------------------------------------------------------


def test_both_add_promises_to_the_same_client(team: Team) -> None:
    anna = actions.add_promise(team.session("anna"), "askona", "Call Ольга about Q1",
                               "2026-11-27").value
    ivan = actions.add_promise(team.session("ivan"), "askona", "Fix the pixel",
                               "2026-11-28").value

    first = team.sync("anna")
    second = team.sync("ivan")
    third = team.sync("anna")

    assert first.sent and not first.received and first.exit_code == 0
    assert second.exit_code == 0 and not second.conflicts
    assert [c.new for c in second.incoming] == [("Call Ольга about Q1",)]
    assert [c.name for c in third.incoming] == ["Аскона"]
    files = team.assert_converged()
    no_markers(files)
    text = files[PROMISES].decode()
    # Ivan merged: his promise first, then Anna's, after the two that were there.
    assert promise_ids(text) == ["k7m2p9", "q4h8t2", ivan, anna]
    # Everything that was there is byte for byte as it was, comments included.
    assert text.startswith(ASKONA_PROMISES)


def test_one_closes_a_promise_while_the_other_moves_it(team: Team) -> None:
    actions.done(team.session("anna"), "k7m2p9")
    actions.move(team.session("ivan"), "k7m2p9", "2026-11-27", "waiting for analytics")

    team.sync("anna")
    report = team.sync("ivan")
    team.sync("anna")

    assert report.exit_code == 0 and not report.conflicts
    files = team.assert_converged()
    promise = team.session("anna").promise("k7m2p9")
    assert promise.status.value == "done" and str(promise.closed) == "2026-11-23"
    assert str(promise.due) == "2026-11-27"
    assert [h.event for h in promise.history] == ["chased", "moved"]
    assert "  text: Send the December media plan   # the big one\n" in files[PROMISES].decode()


def test_both_edit_different_contacts_of_one_client(team: Team) -> None:
    team.write("anna", CLIENT, ASKONA_CLIENT.replace('"+7 900 000-00-00"',
                                                     '"+7 900 111-11-11"'))
    team.write("ivan", CLIENT, ASKONA_CLIENT.replace(
        "    email: petr@askona.example\n",
        "    email: petr@askona.example\n    urgent: true\n"))

    anna = team.sync("anna")
    ivan = team.sync("ivan")
    team.sync("anna")

    assert anna.committed is not None  # the hand edit was committed first
    assert ivan.exit_code == 0 and [c.card for c in ivan.incoming] == [True]
    files = team.assert_converged()
    assert files[CLIENT].decode() == ASKONA_CLIENT.replace(
        '"+7 900 000-00-00"', '"+7 900 111-11-11"').replace(
        "    email: petr@askona.example\n",
        "    email: petr@askona.example\n    urgent: true\n")


def test_three_people_three_changes_in_any_order(tmp_path: Path) -> None:
    team = make_team(tmp_path, ["anna", "ivan", "olga"])
    actions.add_promise(team.session("anna"), "northwind", "Beans for the office", "fri")
    actions.drop(team.session("ivan"), "q4h8t2", "they gave us access another way")
    actions.touch(team.session("olga"), "askona", "Called about the plan")

    for person in ("olga", "ivan", "anna", "olga", "ivan"):
        assert team.sync(person).exit_code == 0

    files = team.assert_converged()
    no_markers(files)
    ws = team.session("olga").ws
    assert any(p.text == "Beans for the office" for p in ws.promises)
    assert ws.promise("q4h8t2")[0].status.value == "dropped"
    assert any(n.title == "Called about the plan" for n in ws.notes)


# --- conflicts -----------------------------------------------------------------------


def test_the_same_due_date_moved_differently_is_recorded_and_resolved(team: Team) -> None:
    actions.move(team.session("anna"), "k7m2p9", "2026-11-26", "Ольга asked for Thursday")
    actions.move(team.session("ivan"), "k7m2p9", "2026-11-27", "waiting for analytics")
    team.sync("anna")

    report = team.sync("ivan")

    assert report.exit_code == 1
    assert [(c.record, c.field, c.mine, c.theirs, c.base) for c in report.conflicts] == [
        ("k7m2p9", "due", "2026-11-27", "2026-11-26", "2026-11-25")]
    team.sync("anna")
    files = team.assert_converged()
    no_markers(files)
    text = files[PROMISES].decode()
    assert "  due: 2026-11-27\n" in text  # Ivan merged: his value stays in place
    assert "  conflict:\n    due: {theirs: 2026-11-26, base: 2026-11-25}\n" in text
    # Both reasons are in the history: nothing is lost.
    assert "Ольга asked for Thursday" in text and "waiting for analytics" in text
    # The merge commit says so.
    assert "conflict: clients/askona/promises.yaml: promise k7m2p9 due" in git(
        team.clones["anna"], "log", "-1", "--format=%B", "HEAD")

    # kept check reports it at its line; the agenda still shows the promise.
    line = text.splitlines().index("    due: {theirs: 2026-11-26, base: 2026-11-25}") + 1
    code, out, _ = kept("-w", team.clones["anna"], "check")
    assert code == 1
    assert out.splitlines() == [
        f"{PROMISES}:{line}:5: error: conflict: due was changed on both sides: yours "
        "2026-11-27, theirs 2026-11-26 (before: 2026-11-25); keep one and delete the "
        "conflict entry"]
    code, out, _ = kept("-w", team.clones["anna"], "agenda", "--json", "--days", "30")
    assert code == 0 and "k7m2p9" in [i["id"] for i in json.loads(out)]

    found = conflicts(team.session("anna"))
    assert found == [FieldConflict(PROMISES, line, 5, "k7m2p9", "due", "2026-11-27",
                                   "2026-11-26", "2026-11-25", False)]
    outcome = resolve_conflict(team.session("anna"), PROMISES, "k7m2p9", "due", "theirs")
    assert outcome.commit is not None
    assert git(team.clones["anna"], "log", "-1", "--format=%s") == (
        "resolve conflict k7m2p9 due (askona): kept theirs\n")
    resolved = team.read("anna", PROMISES)
    assert "  due: 2026-11-26\n" in resolved and "conflict" not in resolved
    assert conflicts(team.session("anna")) == []
    assert team.sync("anna").exit_code == 0
    team.sync("ivan")
    team.assert_converged()
    assert kept("-w", team.clones["ivan"], "check")[0] == 0


def test_resolving_mine_keeps_the_value_and_drops_the_entry(team: Team) -> None:
    actions.move(team.session("anna"), "k7m2p9", "2026-11-26", "Thursday")
    actions.move(team.session("ivan"), "k7m2p9", "2026-11-27", "Friday")
    team.sync("anna")
    team.sync("ivan")
    before = team.read("ivan", PROMISES)

    resolve_conflict(team.session("ivan"), PROMISES, "k7m2p9", "due", "mine")

    after = team.read("ivan", PROMISES)
    assert after == before.replace(
        "  conflict:\n    due: {theirs: 2026-11-26, base: 2026-11-25}\n", "")
    assert conflicts(team.session("ivan")) == []


def test_a_contact_field_changed_on_both_sides(team: Team) -> None:
    team.write("anna", CLIENT, ASKONA_CLIENT.replace("Marketing director", "CMO"))
    team.write("ivan", CLIENT, ASKONA_CLIENT.replace("Marketing director", "Head of growth"))
    team.sync("anna")

    report = team.sync("ivan")

    assert [(c.record, c.field) for c in report.conflicts] == [
        (None, "contacts.Ольга Петрова.role")]
    text = team.read("ivan", CLIENT)
    assert text.endswith("conflict:\n  contacts.Ольга Петрова.role: {theirs: CMO, base: "
                         "Marketing director}\n")
    assert "    role: Head of growth   # decides on budgets\n" in text
    resolve_conflict(team.session("ivan"), CLIENT, None, "contacts.Ольга Петрова.role",
                     "theirs")
    assert team.read("ivan", CLIENT) == ASKONA_CLIENT.replace("Marketing director", "CMO")


def test_a_note_edited_on_both_sides_keeps_both_versions(team: Team) -> None:
    note = "clients/askona/notes/2026-11-20-kickoff.md"
    team.write("anna", note, team.read("anna", note).replace("We met.", "We met Ольга."))
    team.write("ivan", note, team.read("ivan", note).replace("We met.", "We met the CMO."))
    team.sync("anna")

    report = team.sync("ivan")

    assert report.exit_code == 1 and len(report.copies) == 1
    copy = report.copies[0].copy
    sha = git(team.clones["anna"], "rev-parse", "--short=7", "origin/main").strip()
    assert copy == f"clients/askona/notes/2026-11-20-kickoff.conflict-{sha}.md"
    team.sync("anna")
    files = team.assert_converged()
    no_markers(files)
    assert b"We met the CMO." in files[note] and b"We met \xd0\x9e" in files[copy]
    code, out, _ = kept("-w", team.clones["anna"], "check")
    assert code == 1 and out.startswith(f"{copy}:1:1: error: conflict: the other side's "
                                        f"version of {note}")
    assert conflicts(team.session("anna")) == [FileConflict(note, copy)]

    resolve_copy(team.session("anna"), copy, "theirs")

    assert "We met Ольга." in team.read("anna", note)
    assert not team.path("anna", copy).exists()
    assert kept("-w", team.clones["anna"], "check")[0] == 0
    assert team.sync("anna").exit_code == 0
    team.sync("ivan")
    team.assert_converged()


def test_a_broken_file_that_git_cannot_merge_keeps_both_versions(team: Team) -> None:
    team.write("anna", PROMISES, ASKONA_PROMISES.replace("  due: 2026-11-25\n",
                                                         "  due: [2026-11-26\n"))
    team.write("ivan", PROMISES, ASKONA_PROMISES.replace("  due: 2026-11-25\n",
                                                         "  due: 2026-11-27\n"))
    team.sync("anna")

    report = team.sync("ivan")

    assert [c.path for c in report.copies] == [PROMISES]
    assert team.read("ivan", PROMISES) == ASKONA_PROMISES.replace("2026-11-25", "2026-11-27")
    team.sync("anna")
    no_markers(team.assert_converged())
    code, out, _ = kept("-w", team.clones["anna"], "check")
    assert code == 1 and "clients/askona/promises.conflict-" in out


# --- deleted on one side, changed on the other ---------------------------------------


@pytest.mark.parametrize("deleter_first", [True, False])
def test_a_client_deleted_on_one_side_and_edited_on_the_other_comes_back(
        team: Team, deleter_first: bool) -> None:
    shutil.rmtree(team.path("anna", "clients/northwind"))
    actions.done(team.session("ivan"), "n1w2c3")
    order = ["anna", "ivan", "anna"] if deleter_first else ["ivan", "anna", "ivan"]

    reports = [team.sync(p, yes=True) for p in order]

    files = team.assert_converged()
    assert reports[1].exit_code == 0
    assert any("client northwind was deleted" in line for line in reports[1].kept)
    assert files["clients/northwind/client.yaml"].decode() == (
        "name: Northwind Coffee\nstatus: active\nowner: ivan\n")
    assert "status: done" in files["clients/northwind/promises.yaml"].decode()
    assert kept("-w", team.clones["anna"], "check")[0] == 0


def test_a_promise_deleted_on_one_side_and_changed_on_the_other_is_kept(team: Team) -> None:
    without = ASKONA_PROMISES.split("\n- id: q4h8t2")[0]
    team.write("anna", PROMISES, without)
    actions.move(team.session("ivan"), "q4h8t2", "2026-11-26", "they are on holiday")
    team.sync("anna")

    report = team.sync("ivan")

    assert report.exit_code == 0
    assert any("promise q4h8t2 was deleted on the other side" in k for k in report.kept)
    team.sync("anna")
    team.assert_converged()
    assert str(team.session("anna").promise("q4h8t2").due) == "2026-11-26"


# --- when the network or the remote gets in the way ----------------------------------


def test_offline_commits_pile_up_and_go_out_later(team: Team) -> None:
    url = git(team.clones["anna"], "remote", "get-url", "origin").strip()
    git(team.clones["anna"], "remote", "set-url", "origin", str(team.base / "nowhere.git"))
    made = [actions.add_promise(team.session("anna"), "askona", f"Offline {n}", "fri").value
            for n in range(3)]
    actions.done(team.session("anna"), "k7m2p9")
    head = git(team.clones["anna"], "rev-parse", "HEAD")

    with pytest.raises(SyncError, match="could not fetch from origin"):
        team.sync("anna")
    code, _, err = kept("-w", team.clones["anna"], "sync")
    assert code == 2 and "could not fetch from origin" in err and "Traceback" not in err
    assert git(team.clones["anna"], "rev-parse", "HEAD") == head  # commits stay

    actions.move(team.session("ivan"), "q4h8t2", "2026-11-25", "holiday")
    team.sync("ivan")
    git(team.clones["anna"], "remote", "set-url", "origin", url)
    report = team.sync("anna")
    team.sync("ivan")

    assert len(report.sent) == 4 and report.received == 1
    files = team.assert_converged()
    text = files[PROMISES].decode()
    assert all(pid in text for pid in made) and "holiday" in text


def test_a_push_rejected_because_the_remote_moved_is_merged_again(team: Team) -> None:
    actions.add_promise(team.session("anna"), "askona", "Anna's", "fri")
    actions.add_promise(team.session("ivan"), "askona", "Ivan's first", "fri")
    team.sync("ivan")
    raced: list[str] = []

    def ivan_pushes_meanwhile() -> None:
        if not raced:  # a teammate pushes between Anna's fetch and her push
            raced.append(actions.add_promise(team.session("ivan"), "northwind",
                                             "Ivan's second", "fri").value)
            team.sync("ivan")

    report = team.sync("anna", before_push=ivan_pushes_meanwhile)
    team.sync("ivan")

    assert report.attempts == 2 and report.exit_code == 0
    files = team.assert_converged()
    assert raced[0] in files["clients/northwind/promises.yaml"].decode()
    assert "Anna's" in files[PROMISES].decode() and "Ivan's first" in files[PROMISES].decode()
    # One merge commit: the rejected attempt left nothing behind.
    merges = git(team.clones["anna"], "log", "--merges", "--format=%s").splitlines()
    assert merges == ["kept sync: merge origin/main"]


def test_a_sync_interrupted_before_its_push_ends_exactly_as_it_began(team: Team) -> None:
    note = "clients/askona/notes/2026-11-20-kickoff.md"
    team.write("anna", note, team.read("anna", note).replace("We met.", "We met Ольга."))
    team.write("ivan", note, team.read("ivan", note).replace("We met.", "We met the CMO."))
    team.sync("anna")
    ivan = team.clones["ivan"]
    team.write("ivan", "scratch.txt", "mine, not Kept's\n")

    def power_cut() -> None:
        assert git(ivan, "log", "-1", "--format=%s").startswith("kept sync: merge")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        team.sync("ivan", before_push=power_cut)

    # Ivan's hand edit was committed first (that stays); the merge is undone.
    assert not (ivan / ".git" / "MERGE_HEAD").exists()
    assert git(ivan, "log", "-1", "--format=%s").startswith("kept sync: changes made")
    assert git(ivan, "status", "--porcelain") == "?? scratch.txt\n"
    assert not list((ivan / "clients/askona/notes").glob("*.conflict-*"))
    assert "We met the CMO." in team.read("ivan", note)
    # The next sync does it all again, and properly.
    assert team.sync("ivan").exit_code == 1


def test_no_remote_is_a_clear_error(write_ws: WriteWorkspace) -> None:
    root = write_ws({"clients/askona/client.yaml": "name: Аскона\n"})
    code, out, err = kept("-w", root, "sync")
    assert code == 2 and out == ""
    assert err.startswith("kept: error: there is no remote to sync with")


def test_a_remote_without_the_branch_gets_it_and_the_upstream_is_set(
        write_ws: WriteWorkspace, tmp_path: Path) -> None:
    root = write_ws({"clients/askona/client.yaml": "name: Аскона\n"})
    remote = tmp_path / "empty.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))

    code, out, _ = kept("-w", root, "sync")

    assert code == 0 and "Out to origin/main (1 commit):" in out
    assert git(root, "rev-parse", "@{upstream}") == git(remote, "rev-parse", "main")


def test_a_sync_that_would_delete_most_clients_stops(team: Team) -> None:
    shutil.rmtree(team.path("ivan", "clients/askona"))
    head = git(team.clones["ivan"], "rev-parse", "HEAD")

    with pytest.raises(SyncError, match=r"1 of 2 clients \(askona\) were deleted here"):
        team.sync("ivan")

    assert git(team.clones["ivan"], "rev-parse", "HEAD") == head
    assert git(team.clones["ivan"], "status", "--porcelain").startswith(" D clients/askona/")
    team.sync("ivan", yes=True)
    # Anna's sync would take the deletion in: it stops too, and changes nothing.
    before = team.files("anna")
    code, _, err = kept("-w", team.clones["anna"], "sync")
    assert code == 2 and "would be deleted by changes from origin/main" in err
    assert "kept sync --yes" in err
    assert team.files("anna") == before
    assert not (team.clones["anna"] / ".git" / "MERGE_HEAD").exists()
    assert kept("-w", team.clones["anna"], "sync", "--yes")[0] == 0
    team.assert_converged()


def test_a_merge_in_progress_is_left_to_the_person(team: Team) -> None:
    (team.clones["anna"] / ".git" / "MERGE_HEAD").write_text(
        git(team.clones["anna"], "rev-parse", "HEAD"))
    with pytest.raises(SyncError, match="in the middle of a merge"):
        team.sync("anna")


def test_only_the_workspace_files_are_committed(team: Team) -> None:
    team.write("anna", "scratch.txt", "not Kept's\n")
    team.write("anna", "clients/askona/.promises.yaml.swp", "vim\n")
    team.write("anna", "clients/askona/notes/2026-11-23-call.md~", "backup\n")
    team.write("anna", "clients/askona/notes/2026-11-23-call.md",
               "---\ndate: 2026-11-23\nkind: call\n---\nQuick call.\n")

    report = team.sync("anna")

    assert report.committed is not None
    assert git(team.clones["anna"], "show", "--name-only", "--format=",
               report.committed.sha) == "clients/askona/notes/2026-11-23-call.md\n"
    assert set(git(team.clones["anna"], "status", "--porcelain", "-uall").splitlines()) == {
        "?? scratch.txt", "?? clients/askona/.promises.yaml.swp",
        "?? clients/askona/notes/2026-11-23-call.md~"}


def test_conflict_markers_by_hand_are_never_committed(team: Team) -> None:
    team.write("anna", PROMISES, "<<<<<<< HEAD\n" + ASKONA_PROMISES + ">>>>>>> x\n")
    head = git(team.clones["anna"], "rev-parse", "HEAD")
    with pytest.raises(SyncError, match="conflict markers"):
        team.sync("anna")
    assert git(team.clones["anna"], "rev-parse", "HEAD") == head


# --- the driver outside kept sync, and setting it up ---------------------------------


def test_git_pull_by_hand_uses_the_merge_driver(team: Team) -> None:
    actions.add_promise(team.session("anna"), "askona", "Anna's", "fri")
    actions.add_promise(team.session("ivan"), "askona", "Ivan's", "fri")
    team.sync("anna")

    pulled = subprocess.run(["git", "pull", "--no-rebase", "--no-edit", "-q"],
                            cwd=team.clones["ivan"], capture_output=True, text=True)

    assert pulled.returncode == 0, pulled.stderr
    text = team.read("ivan", PROMISES)
    assert not conflict_markers(text)
    assert "Anna's" in text and "Ivan's" in text and text.startswith(ASKONA_PROMISES)
    assert git(team.clones["ivan"], "status", "--porcelain") == ""


def test_git_pull_by_hand_with_a_true_conflict_records_it_without_markers(
        team: Team) -> None:
    actions.move(team.session("anna"), "k7m2p9", "2026-11-26", "Thursday")
    actions.move(team.session("ivan"), "k7m2p9", "2026-11-27", "Friday")
    team.sync("anna")

    pulled = subprocess.run(["git", "pull", "--no-rebase", "--no-edit"],
                            cwd=team.clones["ivan"], capture_output=True, text=True)

    assert pulled.returncode == 1  # git says CONFLICT; the file says what it is
    assert "k7m2p9 due was changed on both sides" in pulled.stderr
    text = team.read("ivan", PROMISES)
    assert not conflict_markers(text)
    assert "    due: {theirs: 2026-11-26, base: 2026-11-25}\n" in text


def test_kept_clone_and_init_set_the_driver_up(team: Team, tmp_path: Path) -> None:
    for root in team.clones.values():
        assert git(root, "config", "merge.kept.driver").strip() == driver_command()
    made = init_workspace(tmp_path / "new", CLOCK)
    assert git(made, "config", "merge.kept.driver").strip() == driver_command()
    assert "clients/*/promises.yaml merge=kept" in (made / ".gitattributes").read_text()
    assert git(made, "check-attr", "merge", "clients/x/promises.yaml") == (
        "clients/x/promises.yaml: merge: kept\n")


def test_a_stale_driver_is_repaired_by_the_next_sync(team: Team) -> None:
    git(team.clones["ivan"], "config", "merge.kept.driver", "/old/venv/python -m tui x")
    team.sync("ivan")
    assert git(team.clones["ivan"], "config", "merge.kept.driver").strip() == driver_command()


def test_a_workspace_without_gitattributes_still_merges_by_id(tmp_path: Path) -> None:
    files = starting_files()
    del files[".gitattributes"]
    team = make_team(tmp_path, files=files)
    actions.add_promise(team.session("anna"), "askona", "Anna's", "fri")
    actions.add_promise(team.session("ivan"), "askona", "Ivan's", "fri")
    team.sync("anna")
    assert team.sync("ivan").exit_code == 0
    team.sync("anna")
    assert "Anna's" in team.assert_converged()[PROMISES].decode()
    assert "merge=kept" in (team.clones["ivan"] / ".git/info/attributes").read_text()


def test_kept_clone_command(team: Team, tmp_path: Path) -> None:
    code, out, err = kept("clone", team.remote, tmp_path / "olga")
    assert code == 0 and out.strip() == str((tmp_path / "olga").resolve())
    assert (tmp_path / "olga" / "kept.yaml").is_file()
    code, _, err = kept("clone", team.remote, tmp_path / "olga")
    assert code == 2 and "not an empty folder" in err
    code, _, err = kept("clone", tmp_path / "nothing.git", tmp_path / "x")
    assert code == 2 and err.startswith("kept: error: git clone failed")


def test_kept_sync_prints_what_came_in_and_went_out(team: Team) -> None:
    actions.add_promise(team.session("ivan"), "askona", "Ivan's", "fri")
    actions.done(team.session("ivan"), "k7m2p9")
    actions.touch(team.session("ivan"), "askona", "Called Ольга")
    team.sync("ivan")
    actions.add_promise(team.session("anna"), "northwind", "Beans", "fri")

    code, out, _ = kept("-w", team.clones["anna"], "sync")

    assert code == 0
    assert out.splitlines() == [
        "In from origin/main (3 commits):",
        "  Аскона: 1 new promise, 1 closed, 1 new note",
        "Out to origin/main (1 commit):",
        f"  {git(team.clones['anna'], 'log', '-1', '--format=%s', 'HEAD^1').strip()}",
        "Synced with origin/main.",
    ]
    code, out, _ = kept("-w", team.clones["anna"], "sync")
    assert (code, out) == (0, "Up to date with origin/main.\n")


def test_the_driver_runs_without_kept_on_path(team: Team) -> None:
    command = driver_command()
    assert command.startswith(f'"{sys.executable}" -P -m tui merge-driver')
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = "/usr/bin:/bin"
    actions.add_promise(team.session("anna"), "askona", "Anna's", "fri")
    actions.add_promise(team.session("ivan"), "askona", "Ivan's", "fri")
    team.sync("anna")
    pulled = subprocess.run(["git", "pull", "--no-rebase", "--no-edit", "-q"],
                            cwd=team.clones["ivan"], capture_output=True, text=True, env=env)
    assert pulled.returncode == 0, pulled.stderr

