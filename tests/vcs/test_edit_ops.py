"""The edit operations merges need beside SetKey and Append: DeleteKey and Remove.

Like the other golden edit tests: a hand-written file, the operation, and the exact
text that must come out — only the lines the operation means to touch change.
"""

from __future__ import annotations

from datetime import date

import pytest

from tui.errors import EditConflict
from tui.workspace.edit import Append, DeleteKey, Remove, SetKey, Where, apply

FILE = """\
# Promises
- id: aaaaaa   # first
  text: One
  due: 2026-11-25
  history:   # moves
    - {on: 2026-11-24, event: chased}
    - {on: 2026-11-25, event: chased, why: again}

- id: bbbbbb
  text: Two
  due: 2026-11-26
  tags: [a, b, c]
  meta: {x: 1, y: 2}
- id: cccccc
  text: Three
  due: 2026-11-27
"""


def without(*parts: str) -> str:
    out = FILE
    for part in parts:
        assert part in out
        out = out.replace(part, "", 1)
    return out


def test_remove_a_promise_takes_its_lines_only() -> None:
    out = apply(FILE, [Remove((Where("id", "bbbbbb"),))])
    assert out == without("- id: bbbbbb\n  text: Two\n  due: 2026-11-26\n  tags: [a, b, c]\n"
                          "  meta: {x: 1, y: 2}\n")


def test_remove_every_promise_leaves_an_empty_list() -> None:
    out = apply(FILE, [Remove((Where("id", i),)) for i in ("aaaaaa", "bbbbbb", "cccccc")])
    assert out == "# Promises\n[]\n"


def test_remove_history_entries_by_index() -> None:
    at = (Where("id", "aaaaaa"), "history")
    assert apply(FILE, [Remove((*at, 0))]) == without(
        "    - {on: 2026-11-24, event: chased}\n")
    # Indexes count the entries as they were read; removing all leaves [] by the comment.
    assert apply(FILE, [Remove((*at, 1)), Remove((*at, 0))]) == without(
        "    - {on: 2026-11-24, event: chased}\n",
        "    - {on: 2026-11-25, event: chased, why: again}\n").replace(
        "  history:   # moves", "  history: []   # moves")


def test_remove_from_a_flow_list() -> None:
    out = apply(FILE, [Remove((Where("id", "bbbbbb"), "tags", 0)),
                       Remove((Where("id", "bbbbbb"), "tags", 2))])
    assert out == FILE.replace("tags: [a, b, c]", "tags: [b]")


def test_remove_then_append_to_the_same_list() -> None:
    out = apply(FILE, [Remove((Where("id", "cccccc"),)),
                       Append((), None, {"id": "dddddd", "text": "Four", "due": "2026-12-01"})])
    assert out == FILE.replace("- id: cccccc\n  text: Three\n  due: 2026-11-27\n",
                               "- id: dddddd\n  text: Four\n  due: '2026-12-01'\n")


def test_delete_key_takes_its_line_and_value() -> None:
    at = (Where("id", "aaaaaa"),)
    assert apply(FILE, [DeleteKey(at, "history")]) == without(
        "  history:   # moves\n    - {on: 2026-11-24, event: chased}\n"
        "    - {on: 2026-11-25, event: chased, why: again}\n")
    assert apply(FILE, [DeleteKey(at, "text"), SetKey(at, "due", date(2026, 11, 30))]) == (
        without("  text: One\n").replace("due: 2026-11-25", "due: 2026-11-30"))


def test_delete_the_first_key_of_a_list_item_moves_the_next_onto_the_dash() -> None:
    out = apply(FILE, [DeleteKey((Where("id", "cccccc"),), "id")])
    assert out == FILE.replace("- id: cccccc\n  text: Three", "- text: Three")


def test_delete_a_key_of_a_flow_mapping() -> None:
    out = apply(FILE, [DeleteKey((Where("id", "bbbbbb"), "meta"), "x")])
    assert out == FILE.replace("meta: {x: 1, y: 2}", "meta: {y: 2}")


def test_delete_key_checks_what_was_read_and_ignores_what_is_gone() -> None:
    at = (Where("id", "aaaaaa"),)
    with pytest.raises(EditConflict, match="changed on disk"):
        apply(FILE, [DeleteKey(at, "due", expect="2026-11-24")])
    assert apply(FILE, [DeleteKey(at, "closed")]) == FILE
    assert apply(FILE, [DeleteKey(at, "due", expect="2026-11-25")]) == without(
        "  due: 2026-11-25\n")


def test_remove_needs_a_list_item() -> None:
    with pytest.raises(ValueError, match="list item"):
        apply(FILE, [Remove((Where("id", "aaaaaa"), "text"))])
    with pytest.raises(EditConflict, match="not in the file"):
        apply(FILE, [Remove((Where("id", "zzzzzz"),))])
