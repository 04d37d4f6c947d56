"""Values keep their meaning: what a person types goes into the files and comes back
as the same text — never turned into a boolean, a number, a date or null on the way,
by Kept (YAML 1.2) or by another tool reading the file as YAML 1.1.

The YAML 1.1/1.2 traps (``no``, ``on``, ``1.10``, ``0123``, ``~``, ``2026-02-30``...),
backslashes and quotes go through the real actions (``add client``, ``add promise``,
``move``) and are read back by Kept's loader; hypothesis then tries any text at all.
"""

from __future__ import annotations

import string
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import KEPT_YAML, TODAY
from tests.fault.conftest import CLIENT, PROMISES
from tui.errors import InvalidInput
from tui.services import actions
from tui.services.context import Session

TRAPS = [
    "no", "No", "NO", "on", "off", "yes", "y", "n", "true", "False", "null", "Null", "~",
    "1.10", "0123", "0o17", "0x1F", "0b101", "1e3", "1_000", "+1", "-0", ".5", ".inf",
    "-.Inf", ".NaN", "12:30", "1:20:30", "2026-02-30", "2026-11-25", "2026-11-25 14:30",
    "=", "<<", "-", "--", "---", "...", "*ref", "&anchor", "!tag", "!!python/object", "%x",
    "@x", "`x`", "#hash", "a: b", "a #b", "a:b", "key:", "- item", "? q", "| pipe",
    "> fold", "[x]", "{x: y}", "x, y", "]x", "}x", ", x", ":x",
    "back\\slash", "C:\\Users\\anna\\", "\\n",
    'say "hi"', "it's", "''", '""', "'quoted'", '"quoted"', "\\\"", "ёжик", "Ёлка",
    "😀 emoji", "zero\u200bwidth", "nbsp\u00a0inside", "bell\x07", "esc\x1b[31m",
]


def _ws(root: Path) -> Path:
    """A workspace without git: the actions write and read back, nothing to commit."""
    (root / "clients/askona").mkdir(parents=True)
    (root / "kept.yaml").write_text(KEPT_YAML, encoding="utf-8")
    (root / "clients/askona/client.yaml").write_text(CLIENT, encoding="utf-8")
    (root / "clients/askona/promises.yaml").write_text(PROMISES, encoding="utf-8")
    return root


def _session(root: Path) -> Session:
    return Session.at(root, {"KEPT_TODAY": TODAY.isoformat(), "KEPT_USER": "anna"})


def _words(text: str) -> str:
    """What Kept keeps of typed text: its words, single spaces between."""
    return " ".join(text.split())


def _yaml11(path: Path) -> Any:
    """The file as a YAML 1.1 reader sees it: PyYAML when installed (it is not a test
    dependency), else ruamel in its YAML 1.1 mode."""
    text = path.read_text("utf-8")
    try:
        import yaml
    except ImportError:
        from ruamel.yaml import YAML

        reader = YAML(typ="safe", pure=True)
        reader.version = (1, 1)
        return reader.load(text)
    return yaml.safe_load(text)


@pytest.mark.parametrize("value", TRAPS)
def test_a_trap_value_round_trips_as_text(tmp_path: Path, value: str) -> None:
    root = _ws(tmp_path)
    session = _session(root)

    slug = actions.add_client(session, value).value
    pid = actions.add_promise(session, "askona", value, "2026-11-30", to=value).value
    actions.move(session, pid, "2026-12-04", value)

    s = _session(root)
    assert s.loaded.problems == ()
    assert s.ws.clients[slug].name == _words(value)
    [p] = [p for p in s.ws.promises if p.id == pid]
    assert (p.text, p.to, p.history[-1].why) == (_words(value), value, _words(value))
    # Another tool, reading the file as YAML 1.1, sees the same strings.
    card = _yaml11(root / f"clients/{slug}/client.yaml")
    assert card["name"] == _words(value)
    [item] = [i for i in _yaml11(root / "clients/askona/promises.yaml") if i["id"] == pid]
    assert (item["text"], item["to"], item["history"][-1]["why"]) == (
        _words(value), value, _words(value))


@pytest.mark.parametrize("due", ["2026-02-30", "2026-13-01", "0123", "no", "~"])
def test_a_date_that_is_no_date_is_refused_and_nothing_written(tmp_path: Path,
                                                               due: str) -> None:
    root = _ws(tmp_path)
    before = (root / "clients/askona/promises.yaml").read_bytes()
    with pytest.raises(InvalidInput):
        actions.add_promise(_session(root), "askona", "Send the plan", due)
    assert (root / "clients/askona/promises.yaml").read_bytes() == before


HAND_WRITTEN = {"no": "no", "on": "on", "1.10": "1.10", "0123": "0123", "0x1F": "0x1F",
                "1e3": "1e3", "true": "true", "12:30": "12:30", "2026-02-30": "2026-02-30"}


@pytest.mark.parametrize("written", list(HAND_WRITTEN))
def test_a_hand_written_plain_value_is_read_as_its_text(tmp_path: Path, written: str) -> None:
    """YAML 1.2 and the schema: a text field written by hand without quotes is the text
    as typed (``1.10`` stays ``1.10``, not 1.1); and Kept's edit keeps it so."""
    root = _ws(tmp_path)
    path = root / "clients/askona/promises.yaml"
    path.write_text(f"- id: k7m2p9\n  text: {written}\n  to: {written}\n  due: 2026-11-25\n",
                    encoding="utf-8")
    s = _session(root)
    [p] = s.ws.promises
    assert (p.text, p.to) == (HAND_WRITTEN[written], HAND_WRITTEN[written])
    actions.move(s, "k7m2p9", "2026-12-01", "told Olga")
    assert f"  text: {written}\n  to: {written}\n" in path.read_text("utf-8")


def test_null_written_by_hand_is_no_text(tmp_path: Path) -> None:
    root = _ws(tmp_path)
    (root / "clients/askona/promises.yaml").write_text(
        "- id: k7m2p9\n  text: ~\n  due: 2026-11-25\n", encoding="utf-8")
    [problem] = _session(root).loaded.problems
    assert str(problem) == ("clients/askona/promises.yaml:2:9: error: text: is empty; "
                            "text is needed")


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda t: bool(t.split()))
NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=40).filter(lambda t: bool(t.split()))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=NAME, text=TEXT, to=TEXT, why=TEXT,
       kind=st.sampled_from(["task", "reply", "follow-up", "report"]),
       by=st.sampled_from(["us", "client"]),
       due=st.dates(min_value=TODAY.replace(year=2020), max_value=TODAY.replace(year=2035)))
def test_what_kept_writes_it_reads_back_the_same(tmp_path_factory: pytest.TempPathFactory,
                                                 name: str, text: str, to: str, why: str,
                                                 kind: str, by: str, due: Any) -> None:
    root = _ws(tmp_path_factory.mktemp("ws"))
    session = _session(root)
    slug = actions.add_client(session, name, tags=[_words(text)]).value
    pid = actions.add_promise(session, slug, text, due.isoformat(), to=to, kind=kind,
                              by=by).value
    moved_to = due + timedelta(days=400)
    actions.move(session, pid, moved_to.isoformat(), why)

    s = _session(root)
    assert s.loaded.problems == (), [str(p) for p in s.loaded.problems]
    client = s.ws.clients[slug]
    assert (client.name, client.tags) == (_words(name), (_words(text),))
    [p] = [p for p in s.ws.promises if p.id == pid]
    assert (p.text, p.to, str(p.kind), str(p.by), p.due.day) == (
        _words(text), to, kind, by, moved_to)
    assert (p.history[-1].why, p.history[-1].from_.day) == (_words(why), due)  # type: ignore[union-attr]


def test_the_trap_list_covers_every_printable_indicator() -> None:
    """Every character YAML gives a meaning to starts one of the trap values."""
    starts = {v[0] for v in TRAPS}
    assert set("-?:,[]{}#&*!|>'\"%@`~=<") <= starts
    assert set(string.digits[:2]) <= starts
