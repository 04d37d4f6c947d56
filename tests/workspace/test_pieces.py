"""A big file the fast reader gives up is read piece by piece: the same nodes, places
and problems as ruamel reading it whole, at the cost of the pieces that need ruamel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workspace.test_fastyaml import documents, shape, yaml_of
from tui.workspace import pieces, ruamel_reader, yamlio
from tui.workspace.nodes import Map, Node, Seq

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def cut_everything(monkeypatch: Any) -> None:
    monkeypatch.setattr(pieces, "CUT_FROM", 0)


def whole(text: str) -> tuple[Node | None, list[Any]]:
    return ruamel_reader.parse(text, "f.yaml")


def assert_same(text: str) -> bool:
    """The pieces read as the whole does; True when the text was cut at all."""
    cut = pieces.cuts(text) is not None
    got, problems = yamlio.parse(text, "f.yaml")
    want, want_problems = whole(text)
    assert problems == want_problems
    assert shape(got) == shape(want)
    if isinstance(want, Seq | Map):
        assert got is not None and got.end == want.end
    return cut


def every_yaml() -> list[str]:
    texts = []
    for path in sorted(DATA.rglob("*")):
        if path.name == "in.yaml" and "yaml-test-suite" in path.parts:
            try:
                texts.append(path.read_text("utf-8"))
            except UnicodeDecodeError:
                continue
        elif path.is_file() and path.suffix in (".yaml", ".md"):
            text = yaml_of(path)
            if text is not None:
                texts.append(text)
    return texts


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
def test_every_corpus_and_yaml_test_suite_file_reads_the_same_in_pieces() -> None:
    cut = sum(assert_same(text) for text in every_yaml())
    assert cut > 150  # most files are cut: the check is not vacuous


@pytest.mark.parametrize("text", [
    "a: [1,\nb]\nc: 3\n",  # a flow list going on at column 0
    "a: {x: 1,\nb: 2}\nc: 3\n",
    "a: 'one\nb: two'\nc: 3\n",  # a quoted text going on at column 0
    '- "one\n- two"\n- three\n',
    "- [a,\n- b, c,\n- d]\n- e\n",
    "key: &x\n!!map\n  a: b\n",  # a tag on its own line belongs to the value above
    "a: |\n  one\n\n  two\nb: >-\n  folded\n  text\nc: 3\n",
    "- a\n-\n- |\n  block\n- b\n",
    "a: 1\nb: 2\na: 3\n",  # a duplicate key across pieces
    "a: 1\n- b\n",  # broken: a list beside a mapping
    "- a\nb: 1\n",
    "a: [1, 2\nb: 3\n",  # broken: never closed
    "a: 'never closed\nb: 1\nc: 2\nd: 3\ne: 4\n",
])
def test_cuts_inside_values_and_broken_files_read_as_whole(text: str) -> None:
    assert_same(text)


def test_a_duplicate_key_across_pieces_keeps_the_first_and_says_where() -> None:
    root, problems = yamlio.parse("a: 1\nb: |\n  x\na: 3\n", "f.yaml")
    assert isinstance(root, Map) and root.broken
    assert root.get("a") is not None and root.keys() == ["a", "b"]
    assert [(p.line, p.col, p.message) for p in problems] == [
        (4, 1, "duplicate key 'a' (first at line 1); keep one of them")]


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # an alias may reach into another item
    "%YAML 1.2\n---\na: 1\nb: 2\n",
    "a: 1\n---\nb: 2\n",
    "? a\n: 1\nb: 2\n",
])
def test_what_items_could_reach_across_is_read_whole(text: str) -> None:
    assert pieces.cuts(text) is None
    assert_same(text)


def test_the_fast_reader_reads_the_pieces_it_can() -> None:
    one = (DATA / "sample/clients/askona/promises.yaml").read_text("utf-8")
    text = "- &first {id: aaaaaa, text: x}\n" + one * 40
    full: list[str] = []

    def counted(piece: str, path: str, line_offset: int) -> Any:
        full.append(piece)
        return ruamel_reader.parse(piece, path, line_offset=line_offset)

    result = pieces.read(text, "f.yaml", 0, counted)
    assert result is not None and result[1] == []
    assert len(full) == 1 and full[0].startswith("- &first")  # ruamel read one piece
    assert shape(result[0]) == shape(whole(text)[0])


def test_aliases_are_never_cut_from_their_anchors() -> None:
    item = "- id: {n}\n  owner: &o{n} anna\n  backup: *o{n}\n"
    own = "".join(item.format(n=n) for n in range(6))
    assert pieces.cuts(own) == [own.index(f"- id: {n}") for n in range(6)]
    assert_same(own)
    back = own + "- id: 6\n  owner: *o2\n- id: 7\n"  # reaches back to item 2
    assert pieces.cuts(back) == [back.index(f"- id: {n}") for n in (0, 1, 2, 7)]
    assert_same(back)
    early = own + "- id: 6\n  owner: *o7\n- id: 7\n  x: &o7 b\n"  # before its anchor
    assert pieces.cuts(early) is None
    assert_same(early)  # the same error as read whole


BITS = ["|\n  block text\n  more\n", ">-\n  folded\n  text\n", "&anchor 1\n", "*anchor\n",
        "!!str 12\n",
        "'two\n  lines'\n", "[a,\n  b]\n"]


@st.composite
def documents_with_bits(draw: st.DrawFn) -> str:
    """Generated documents with values only the full reader reads, here and there."""
    lines = draw(documents()).splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    out = []
    for line in lines:
        stripped = line.rstrip("\r\n")
        if stripped.endswith(":") and draw(st.integers(0, 3)) == 0:
            continue  # its nested block follows; leave it
        if ": " in stripped and "#" not in stripped and draw(st.integers(0, 3)) == 0:
            key = stripped.split(": ", 1)[0]
            indent = len(key) - len(key.lstrip(" -"))
            bit = draw(st.sampled_from(BITS)).replace("\n  ", "\n" + " " * (indent + 2))
            out.append(f"{key}: {bit}".replace("\n", newline))
            continue
        out.append(line)
    return "".join(out)


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_with_bits())
def test_generated_documents_read_the_same_in_pieces(text: str) -> None:
    assert_same(text)
