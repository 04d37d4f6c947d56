"""A change from the command line (``kept done``, ``kept add promise``…) after files
were edited by hand in another editor: the index last saw the old files, and the change
must see the new ones. Each test warms the index with ``kept agenda``, edits by hand,
then changes."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import KEPT_YAML, RunKept, WriteWorkspace, git

ASKONA = "name: Аскона\nstatus: active\nowner: anna\nsince: 2024-03-01\n"
PROMISES = """\
- id: k7m2p9
  text: Send the December media plan
  owner: anna
  due: 2026-11-25
"""

TWO_CLIENTS = {"clients/askona/client.yaml": ASKONA, "clients/askona/promises.yaml": PROMISES,
               "clients/romashka/client.yaml": "name: Ромашка\n"}


def warm(kept: RunKept, root: Path) -> None:
    """The files as written a while ago (not racy: the index trusts their stat), then
    an agenda that indexes them."""
    for path in root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, ns=(path.stat().st_mtime_ns - 60_000_000_000,) * 2)
    result = kept("-w", root, "agenda")
    assert result.exit_code == 0, result.output


def hand_edit(path: Path, text: str) -> None:
    """An edit in another editor, a little later than the index's look at the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))


def test_a_team_member_added_by_hand_is_known_to_the_next_change(
        write_ws: WriteWorkspace, kept: RunKept) -> None:
    root = write_ws({"clients/askona/client.yaml": ASKONA})
    warm(kept, root)
    hand_edit(root / "kept.yaml", KEPT_YAML.replace(
        "touch: weekly", "  - handle: olga\n    name: Ольга\n    email: olga@acme.example\n"
        "touch: weekly"))

    result = kept("-w", root, "add", "promise", "askona", "Call Ольга back", "--due", "fri",
                  "--owner", "olga")

    assert result.exit_code == 0, result.output
    assert "owner: olga" in (root / "clients/askona/promises.yaml").read_text("utf-8")


def test_a_client_added_by_hand_takes_promises_at_once(write_ws: WriteWorkspace,
                                                       kept: RunKept) -> None:
    root = write_ws({"clients/askona/client.yaml": ASKONA})
    warm(kept, root)
    hand_edit(root / "clients/romashka/client.yaml", "name: Ромашка\nstatus: active\n")

    result = kept("-w", root, "add", "promise", "Ромашка", "Send the brief", "--due", "fri")

    assert result.exit_code == 0, result.output
    assert (root / "clients/romashka/promises.yaml").read_text("utf-8").startswith(
        "- id: ")


def test_a_promise_written_or_moved_by_hand_is_found_by_id(write_ws: WriteWorkspace,
                                                           kept: RunKept) -> None:
    root = write_ws(TWO_CLIENTS)
    warm(kept, root)
    # k7m2p9 moved to another client, and a new promise written, both by hand
    hand_edit(root / "clients/askona/promises.yaml", "")
    hand_edit(root / "clients/romashka/promises.yaml", PROMISES + PROMISES.replace(
        "k7m2p9", "b3n8v2").replace("December media plan", "estimate"))

    for promise_id in ("k7m2p9", "b3n8v2"):
        result = kept("-w", root, "done", promise_id)
        assert result.exit_code == 0, result.output

    text = (root / "clients/romashka/promises.yaml").read_text("utf-8")
    assert text.count("status: done") == 2
    assert git(root, "status", "--porcelain", "clients/askona") == " M clients/askona/" \
        "promises.yaml\n"  # the hand edit there is left for its owner to commit


def test_an_id_written_twice_by_hand_is_refused_not_guessed(write_ws: WriteWorkspace,
                                                           kept: RunKept) -> None:
    root = write_ws(TWO_CLIENTS)
    warm(kept, root)
    hand_edit(root / "clients/romashka/promises.yaml", PROMISES)

    result = kept("-w", root, "done", "k7m2p9")

    assert result.exit_code != 0
    assert "more than one place" in result.output
    assert "status: done" not in (root / "clients/askona/promises.yaml").read_text("utf-8")
