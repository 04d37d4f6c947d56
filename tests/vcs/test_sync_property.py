"""A property of sync: whatever two account managers do offline, in whatever order
they sync, nothing is lost.

Hypothesis plays random sequences of add / done / move / drop (through the same use
cases the CLI and the app call) on two clones, with syncs in between in random order,
then both sync twice. Afterwards: every promise anyone added is there, every history
entry anyone wrote is there, a promise anyone closed is closed, no file holds a
conflict marker, the only problems ``kept check`` reports are recorded conflicts, and
both clones and the remote hold the same files.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import git
from tests.vcs.team import Team, make_team
from tui.errors import KeptError
from tui.services import actions
from tui.workspace.text import conflict_markers

PEOPLE = ("anna", "ivan")
CLIENTS = ("askona", "northwind")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    """One remote with two clones, copied for every example (cloning is the slow part)."""
    with pytest.MonkeyPatch.context() as mp:
        home = tmp_path_factory.mktemp("home")
        (home / ".gitconfig").write_text("[user]\n\tname = T\n\temail = t@acme.example\n"
                                         "[init]\n\tdefaultBranch = main\n")
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        yield make_team(tmp_path_factory.mktemp("template"), list(PEOPLE))


def copy_team(template: Team, into: Path) -> Team:
    shutil.copytree(template.base, into, dirs_exist_ok=True, symlinks=True)
    team = Team(into, into / "remote.git")
    for person in PEOPLE:
        team.clones[person] = into / person
        git(into / person, "remote", "set-url", "origin", str(team.remote))
    return team


@dataclass
class Expected:
    """What must survive: ids added, history reasons written, promises closed."""

    ids: set[str] = field(default_factory=lambda: {"k7m2p9", "q4h8t2", "n1w2c3"})
    reasons: dict[str, set[str]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    counter: int = 0

    def reason(self) -> str:
        self.counter += 1
        return f"reason {self.counter}"


Step = tuple[str, str, int, int]  # (person, what, pick, days)

steps = st.lists(
    st.tuples(st.sampled_from(PEOPLE),
              st.sampled_from(["add", "done", "move", "drop", "sync", "sync"]),
              st.integers(0, 3), st.integers(1, 20)),
    min_size=2, max_size=9,
)


def play(team: Team, step: Step, expected: Expected) -> None:
    person, what, pick, days = step
    if what == "sync":
        team.sync(person, yes=True)
        return
    session = team.session(person)
    if what == "add":
        made = actions.add_promise(session, CLIENTS[pick % 2], f"Promise {pick}",
                                   f"+{days}d").value
        expected.ids.add(made)
        return
    promises = sorted(session.ws.promises, key=lambda p: p.id)
    promise = promises[pick % len(promises)]
    why = expected.reason()
    try:
        if what == "done":
            actions.done(session, promise.id)
            expected.closed.add(promise.id)
        elif what == "move":
            actions.move(session, promise.id, f"+{days}d", why)
            expected.reasons.setdefault(promise.id, set()).add(why)
        else:
            actions.drop(session, promise.id, why)
            expected.closed.add(promise.id)
            expected.reasons.setdefault(promise.id, set()).add(why)
    except KeptError:
        pass  # already closed, or moved to the day it is due: nothing happened


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(steps)
def test_random_concurrent_edits_never_lose_anything(template: Team,
                                                     played: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        team = copy_team(template, Path(folder))
        expected = Expected()
        for step in played:
            play(team, step, expected)
        for person in (*PEOPLE, *PEOPLE):
            team.sync(person, yes=True)

        files = team.assert_converged()
        for path, data in files.items():
            assert not conflict_markers(data.decode("utf-8", "replace")), path
        session = team.session("anna")
        ws = session.ws
        assert expected.ids <= {p.id for p in ws.promises}
        for promise_id, reasons in expected.reasons.items():
            [promise] = ws.promise(promise_id)
            assert reasons <= {h.why for h in promise.history}, promise_id
        for promise_id in expected.closed:
            assert not ws.promise(promise_id)[0].is_open, promise_id
        problems = [p for p in session.loaded.problems if p.is_error]
        assert all(p.message.startswith("conflict:") for p in problems), problems
