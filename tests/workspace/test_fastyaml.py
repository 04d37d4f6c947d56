"""The fast reader reads what it reads exactly as the full reader does, and gives up
on everything else.

For every file of the test corpus and for generated documents: either the fast reader
gives the file up, or its nodes equal ruamel's — values, kinds, quoting, line, column
and offsets — and the records and problems built from them are the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.workspace import fastyaml, ruamel_reader
from tui.workspace.layout import Entry
from tui.workspace.load import read_entry
from tui.workspace.nodes import Map, Node, Scalar, Seq, walk
from tui.workspace.notes import FrontMatterError, split
from tui.workspace.yamlio import render_flow, render_scalar

DATA = Path(__file__).parent.parent / "data"


def shape(node: Node | None) -> list[tuple[Any, ...]]:
    if node is None:
        return []
    out: list[tuple[Any, ...]] = []
    for n in walk(node):
        if isinstance(n, Scalar):
            out.append(("scalar", n.value, n.kind, n.style, n.line, n.col, n.start, n.end))
        elif isinstance(n, Seq):
            out.append(("seq", n.flow, n.line, n.col, n.start, len(n.items),
                        n.end if n.flow else None))
        else:
            assert isinstance(n, Map)
            out.append(("map", n.flow, n.line, n.col, n.start, len(n.pairs), n.broken,
                        n.end if n.flow else None))
    return out


def same_or_given_up(text: str) -> bool:
    """True when the fast reader read it (and matched); False when it gave up."""
    ok, fast = fastyaml.read(text)
    if not ok:
        return False
    full, problems = ruamel_reader.parse(text, "f.yaml")
    assert problems == [], problems
    assert shape(fast) == shape(full)
    return True


def corpus() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md")
                  and "yaml-test-suite" not in p.parts)


def yaml_of(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    if path.suffix == ".md":
        try:
            return split(text).yaml
        except FrontMatterError:
            return None
    return text


def test_every_corpus_file_reads_the_same_or_is_given_up() -> None:
    read = 0
    for path in corpus():
        text = yaml_of(path)
        if text is not None and same_or_given_up(text):
            read += 1
    assert read >= 100  # the clean files do take the fast path


def test_clean_files_take_the_fast_path() -> None:
    for path in sorted((DATA / "sample").rglob("*")):
        text = yaml_of(path) if path.suffix in (".yaml", ".md") else None
        if text is not None:
            assert fastyaml.read(text)[0], path


def test_records_and_problems_are_the_same_either_way(tmp_path: Path,
                                                      monkeypatch: Any) -> None:
    """read_entry over the corpus with the fast reader, then with it switched off."""
    root = DATA / "broken"
    entries = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        parts = rel.split("/")
        if path.suffix == ".yaml" and len(parts) == 3 and parts[0] == "clients":
            kind = "client" if parts[2] == "client.yaml" else "promises"
            entries.append(Entry(kind, rel, parts[1]))
        elif path.suffix == ".md" and len(parts) >= 4 and parts[2] == "notes":
            entries.append(Entry("note", rel, parts[1]))
    fast = [read_entry(root, e) for e in entries]
    monkeypatch.setattr(fastyaml, "read", lambda text, line_offset=0: (False, None))
    full = [read_entry(root, e) for e in entries]
    for a, b in zip(fast, full, strict=True):
        assert a.problems == b.problems, a.entry.path
        assert a.client == b.client and a.promises == b.promises and a.note == b.note
        assert a.rejected == b.rejected


def test_it_gives_up_on_every_character_yaml_does_not_allow() -> None:
    """Exactly the characters outside YAML's printable set (and a BOM past the start),
    checked over every code point; ruamel then names the character and its place."""
    printable = re.compile("[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe"
                           "\uff00-\ufffd\U00010000-\U0010ffff]")
    refused = fastyaml.NOT_PRINTABLE
    for c in map(chr, range(0x110000)):
        assert (refused.match(c) is None) == (printable.match(c) is not None), hex(ord(c))
    assert fastyaml.read("a: b\x85c\n")[0] and not fastyaml.read("a: b\x84c\n")[0]


def test_it_gives_up_on_what_it_does_not_know() -> None:
    for text in [
        "a: |\n  block\n",
        "a: >\n  folded\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "a:\n\tb: 1\n",
        "a: one\n  two\n",
        "a: [1,\n  2]\n",
        "? a\n: 1\n",
        "---\na: 1\n",
        "a: b: c\n",
        "<<: {a: 1}\n",
        "a: \x07\n",
        "\ufeffa: 1\n",
        "- - a\n",
        "-\n  a: 1\n",
        "a: [?x]\n",
    ]:
        assert fastyaml.read(text) == (False, None), text


# --- generated documents -------------------------------------------------------------

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
keys = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
scalars = st.one_of(words, st.integers(-10**6, 10**6), st.booleans(), st.none(),
                    st.sampled_from(["2026-11-25", "1.10", "0123", "no", "on", "~", "yes",
                                     "Аскона", "O'Neill", "a: b", "#x", "x #y", "1d"]))


def render_value(value: Any, flow: bool) -> str:
    return render_flow(value) if flow else render_scalar(value)


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    newline = draw(st.sampled_from(["\n", "\r\n"]))

    def mapping(indent: int, depth: int, first_prefix: str = "") -> None:
        used: set[str] = set()
        for n in range(draw(st.integers(1, 4))):
            key = draw(keys)
            if key in used:
                continue
            used.add(key)
            pad = first_prefix if n == 0 and first_prefix else " " * indent
            choice = draw(st.integers(0, 4 if depth < 3 else 1))
            comment = draw(st.sampled_from(["", "  # note", " #x"]))
            if choice == 0:
                lines.append(f"{pad}{key}: {render_value(draw(scalars), False)}{comment}")
            elif choice == 1:
                flow = draw(st.lists(scalars, max_size=3))
                lines.append(f"{pad}{key}: {render_flow(flow)}{comment}")
            elif choice == 2:
                lines.append(f"{pad}{key}:{comment}")
                if draw(st.booleans()):
                    mapping(indent + 2, depth + 1)
            elif choice == 3:
                lines.append(f"{pad}{key}:")
                sequence(indent + draw(st.sampled_from([0, 2])), depth + 1)
            else:
                lines.append(f"{pad}{key}: {render_flow({draw(keys): draw(scalars)})}")
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "# a comment", "   "])))

    def sequence(indent: int, depth: int) -> None:
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()) and depth < 3:
                mapping(indent + 2, depth + 1, first_prefix=" " * indent + "- ")
            else:
                lines.append(" " * indent + "- " + render_value(draw(scalars), False))

    if draw(st.booleans()):
        sequence(0, 0)
    else:
        mapping(0, 0)
    return newline.join(lines) + newline


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_the_same(text: str) -> None:
    same_or_given_up(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- #'\"[]{},\n 1x")), max_size=40))
def test_odd_text_never_reads_differently(text: str) -> None:
    ok, fast = fastyaml.read(text)
    if ok:
        full, problems = ruamel_reader.parse(text, "f.yaml")
        assert problems == [] and shape(fast) == shape(full)
