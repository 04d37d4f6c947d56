"""The direct readers give exactly the records the general way gives, or decline.

For every promises file and note of the test corpus, and for generated ones: either
:mod:`tui.workspace.direct` declines the file, or the full reader (ruamel, then the
schema) finds no problem in it and makes records equal to the direct reader's —
every field, line and column. And the files Kept writes do take the direct path.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.models import PROMISE_ORDER, Note, Promise
from tui.workspace import direct, ruamel_reader
from tui.workspace.layout import Entry
from tui.workspace.load import read_entry
from tui.workspace.notes import FrontMatterError, split
from tui.workspace.schema import Sink, read_note, read_promises
from tui.workspace.yamlio import Flow, render_block, render_flow, render_scalar

DATA = Path(__file__).parent.parent / "data"
PATH = "clients/askona/promises.yaml"


def general_promises(text: str) -> tuple[list[tuple[Promise, bool]], list[Any]]:
    """The records and problems of the full reader, the oracle."""
    node, problems = ruamel_reader.parse(text, PATH)
    sink = Sink(PATH, list(problems))
    return read_promises(sink, "askona", node), sink.problems


def same_or_declined(text: str) -> bool:
    """True when the direct reader took the file (and agreed); False when it declined."""
    got = direct.promises(text, PATH, "askona")
    if got is None:
        return False
    read, problems = general_promises(text)
    assert problems == [], problems
    assert all(ok for _, ok in read)
    assert got == [p for p, _ in read]
    return True


def general_note(front: str) -> tuple[Note | None, list[Any]]:
    node, problems = ruamel_reader.parse(front, "n.md", line_offset=1)
    sink = Sink("n.md", list(problems))
    if node is None and problems:
        return None, sink.problems
    return read_note(sink, "askona", node, "fallback", 2), sink.problems


def note_same_or_declined(front: str) -> bool:
    got = direct.note(front, "n.md", "askona", "fallback")
    if got is None:
        return False
    note, problems = general_note(front)
    assert problems == [], problems
    assert got == note
    return True


# --- the corpus ----------------------------------------------------------------------


def test_every_promises_file_of_the_corpus_reads_the_same_or_is_declined() -> None:
    taken = 0
    for path in sorted(DATA.rglob("promises.yaml")):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        taken += same_or_declined(text)
    assert taken >= 5  # the clean ones do take the direct path


def test_clean_promises_files_take_the_direct_path() -> None:
    for path in sorted((DATA / "sample").rglob("promises.yaml")):
        assert direct.promises(path.read_text("utf-8"), PATH, "askona") is not None, path


def test_every_note_of_the_corpus_reads_the_same_or_is_declined() -> None:
    taken = 0
    for path in sorted(DATA.rglob("*.md")):
        try:
            front = split(path.read_bytes().decode("utf-8")).yaml
        except (UnicodeDecodeError, FrontMatterError):
            continue
        taken += note_same_or_declined(front)
    assert taken >= 10


def test_a_broken_file_is_declined_and_its_problems_named(tmp_path: Path) -> None:
    """What the direct reader declines, the general way reads with every problem."""
    for name, text in {
        "unknown key": "- id: k7m2p9\n  text: a\n  due: 2026-11-25\n  colour: red\n",
        "bad date": "- id: k7m2p9\n  text: a\n  due: 2026-13-45\n",
        "no due": "- id: k7m2p9\n  text: a\n",
        "bad by": "- id: k7m2p9\n  text: a\n  due: 2026-11-25\n  by: them\n",
        "bad id": "- id: K7M2P9\n  text: a\n  due: 2026-11-25\n",
        "duplicate key": "- id: k7m2p9\n  text: a\n  text: b\n  due: 2026-11-25\n",
        "null text": "- id: k7m2p9\n  text: ~\n  due: 2026-11-25\n",
        "bad event": "- id: k7m2p9\n  text: a\n  due: 2026-11-25\n  history:\n"
                     "    - {on: 2026-11-24, event: lost}\n",
        "conflict": "- id: k7m2p9\n  text: a\n  due: 2026-11-25\n  conflict:\n"
                    "    due: {theirs: 2026-11-27, base: 2026-11-25}\n",
        "bad step": "- id: k7m2p9\n  text: a\n  due: 2026-11-25\n  step: 0\n",
        "control character": "- id: k7m2p9\n  text: a\x07b\n  due: 2026-11-25\n",
    }.items():
        assert direct.promises(text, PATH, "askona") is None, name
        folder = tmp_path / name.replace(" ", "-")
        (folder / "clients" / "askona").mkdir(parents=True)
        (folder / PATH).write_text(text, encoding="utf-8")
        result = read_entry(folder, Entry("promises", PATH, "askona"))
        assert result.problems, name


def test_it_declines_what_is_not_its_shape() -> None:
    base = "- id: k7m2p9\n  text: a\n  due: 2026-11-25\n"
    for text in [
        "",
        "# only a comment\n",
        "---\n" + base,
        "  " + base.replace("\n  ", "\n    "),  # the list indented
        base + "  note: |\n    more\n",
        base + "  owner: anna\n    ivan\n",  # a value on two lines
        base.replace("text: a", "text: 'a'\t"),
        base.replace("\n", "\r\n"),
        "\ufeff" + base,
        base + "  history: []\n",
        base + "  history:\n  - {on: 2026-11-24}\n",  # the list at its key's column
        base.replace("text: a", 'text: "a\\tb"'),  # an escape
        base + "- just text\n",
        base + "top: level\n",
    ]:
        assert direct.promises(text, PATH, "askona") is None, repr(text)
        same_or_declined(text)


# --- what Kept writes ----------------------------------------------------------------

TODAY = date(2026, 11, 23)


def test_the_benchmark_workspace_takes_the_direct_path(tmp_path: Path) -> None:
    """The generated agency (Cyrillic, comments, every state, histories): every file
    is read directly, and the same as the full reader reads it."""
    from tests.bench.generate import generate

    generate("S", tmp_path, TODAY)
    files = sorted(tmp_path.glob("clients/*/promises.yaml"))[:20]
    for path in files:
        assert same_or_declined(path.read_text("utf-8")), path
    notes = sorted(tmp_path.glob("clients/*/notes/*.md"))[:50]
    for path in notes:
        assert note_same_or_declined(split(path.read_text("utf-8")).yaml), path


# Values as a person or Kept may write them: every YAML type, quotes, Cyrillic,
# indicators, what looks like a comment or a key.
tricky = st.sampled_from([
    "Send the plan", "Подготовить отчёт", "O'Neill", 'say "hi"', "a: b", "a:b", "#x",
    "x #y", "x#y", "~", "null", "Null", "no", "yes", "on", "true", "1", "0123", "1.10",
    "1e3", "0x1f", ".inf", "2026-11-25", "2026-11-25 14:30", "<<", "=", "-x", "- x", "?x",
    "[a]", "{a}", "a, b", "trailing ", " lead", "", "x:", "@user", "`cmd`", "%x", "*x",
    "&x", "!x", "|", ">", "Ёлка", "a\\b", "tab\there", "emoji 🎯",
])
# What Kept writes without escapes (an escape in quotes is the general reader's).
plain_words = tricky.filter(lambda w: "\\" not in w and "\t" not in w)
# In a flow mapping, a ':' inside a plain value is left to the general reader.
flow_words = plain_words.filter(lambda w: ":" not in w)
days = st.dates(date(2020, 1, 1), date(2030, 12, 31))
dues = st.one_of(days.map(str), st.builds(
    lambda d, h, m: f"{d} {h:02d}:{m:02d}", days, st.integers(0, 23), st.integers(0, 59)))


def value_text(draw: st.DrawFn, key: str) -> str:
    """How a value is written: what Kept renders, or a hand-written form."""
    pools: dict[str, Any] = {
        "id": st.one_of(st.from_regex(r"[a-z0-9]{6}", fullmatch=True), tricky),
        "by": st.sampled_from(["us", "client", "them", "null"]),
        "status": st.sampled_from(["open", "done", "dropped", "closed", "~"]),
        "kind": st.sampled_from(["task", "reply", "follow-up", "report", "chore"]),
        "made": dues, "due": dues, "closed": st.one_of(days.map(str), st.just("null")),
        "repeat": st.sampled_from(["monthly", "2w", "weekly", "sometimes"]),
        "step": st.sampled_from(["1", "2", "0", "x", "1.5"]),
    }
    value = draw(pools.get(key, tricky))
    form = draw(st.integers(0, 9))
    if form == 0:
        return value  # as typed, plain
    if form == 1:
        return "'" + value.replace("'", "''") + "'"
    if form == 2:
        return value + "  # a comment"
    return render_scalar(value)


def history_line(draw: st.DrawFn, clean: bool = False) -> str:
    entry: dict[str, Any] = {"on": draw(days)}
    events = ["moved", "chased", "answered", "cold"] + ([] if clean else ["lost"])
    for key in ("event", "from", "to", "why"):
        if draw(st.booleans()):
            entry[key] = draw({"event": st.sampled_from(events), "from": dues, "to": dues,
                               "why": flow_words if clean else tricky}[key])
    if not clean and draw(st.integers(0, 4)) == 0:  # another order, or an unknown key
        items = list(entry.items())
        draw(st.randoms()).shuffle(items)
        entry = dict(items)
        if draw(st.booleans()):
            entry["by"] = "anna"
    return "    - " + render_flow(Flow(entry))


@st.composite
def promises_files(draw: st.DrawFn, clean: bool = False) -> str:
    lines = [draw(st.sampled_from(["", "# Promises to Аскона", "# a: b"]))]
    for n in range(draw(st.integers(1, 5))):
        keys = ["id", "text", "due"] + [k for k in PROMISE_ORDER[1:]
                                         if k not in ("text", "due") and draw(st.booleans())]
        if clean:
            keys = [k for k in PROMISE_ORDER if k in keys and k not in ("step", "ladder")]
        elif draw(st.integers(0, 3)) == 0:
            draw(st.randoms()).shuffle(keys)
        if not clean and draw(st.integers(0, 9)) == 0:
            keys.append(draw(st.sampled_from(["colour", "text", "conflict"])))
        item: list[str] = []
        for key in keys:
            if key == "history":
                item.append("  history:")
                item += [history_line(draw, clean) for _ in range(draw(st.integers(1, 3)))]
            elif key == "ladder":
                steps = draw(st.lists(st.sampled_from(["1d", "3d", "1w", "x", "~"]),
                                      min_size=1, max_size=4))
                if draw(st.booleans()):
                    item.append(f"  ladder: [{', '.join(steps)}]")
                else:
                    item.append("  ladder:")
                    item += [f"    - {s}" for s in steps]
            elif clean:
                value = {"id": f"p{n:05d}", "by": "client", "status": "done",
                         "kind": "reply", "repeat": "monthly", "closed": "2026-11-20",
                         "made": "2026-11-01"}.get(key)
                if value is None:
                    value = draw(dues) if key == "due" else render_scalar(draw(plain_words))
                    if value.endswith(("''", '""')) and key == "text":
                        value = "x"
                item.append(f"  {key}: {value}")
            elif draw(st.integers(0, 12)) == 0:
                item.append(f"  {key}:")  # nothing: null
            else:
                item.append(f"  {key}: {value_text(draw, key)}")
        item[0] = "- " + item[0][2:]
        lines += item
        lines.append(draw(st.sampled_from(["", "", "  # between", "   "])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(promises_files())
def test_generated_promises_files_read_the_same(text: str) -> None:
    same_or_declined(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(promises_files(clean=True))
def test_what_kept_writes_is_read_directly(text: str) -> None:
    assert same_or_declined(text), text


def test_kept_s_own_rendering_of_a_promise_is_read_directly() -> None:
    """A promise with every field, rendered by the writer the actions use."""
    item = {"id": "k7m2p9", "text": "Answer: can we add VK Clips?", "by": "client",
            "owner": "Ольга Петрова", "to": "anna", "made": "2026-11-20 09:15",
            "due": TODAY + timedelta(days=2), "status": "done", "closed": TODAY,
            "kind": "reply", "repeat": "monthly", "note": "notes/2026-11-20-kickoff.md",
            "history": [Flow(on=TODAY, event="moved", **{"from": "2026-11-24"}, to=TODAY,
                             why="waiting for access, again"),
                        Flow(on=TODAY, event="chased")]}
    text = "\n".join(render_block([item], 0)) + "\n"
    assert same_or_declined(text), text


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.permutations(["date", "kind", "with", "title", "where"])):
        if draw(st.integers(0, 2)) == 0:
            continue
        if key == "date":
            value = draw(st.one_of(days.map(str), tricky))
        elif key == "kind":
            value = draw(st.sampled_from(["meeting", "call", "email", "lunch", "~"]))
        elif key == "with":
            people = draw(st.lists(tricky, max_size=3))
            value = draw(st.sampled_from([render_flow(people), render_scalar(
                people[0] if people else "")]))
        else:
            value = value_text(draw, key)
        lines.append(f"{key}: {value}" if draw(st.integers(0, 9)) else f"{key}:")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "  - x", "  more"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters())
def test_generated_front_matters_read_the_same(front: str) -> None:
    note_same_or_declined(front)
