"""Reading a big file one top-level item at a time.

The fast reader gives a whole file up at the first thing outside its subset, and
ruamel's pure-Python composer reads about 100 KB a second: one block scalar or anchor
in a 300 KB promises.yaml would cost seconds on every change. A file is a list of
promises or a mapping of keys, and its top-level items stand alone, so a big file is
cut where a line starts at column 0 (``- `` in a list, ``key:`` in a mapping): each
piece goes to the fast reader, only the pieces it gives up go to ruamel, and the
nodes are put back together with their places in the whole file.

Nothing here guesses either. A file that items could reach across (a directive, a
second document, an explicit ``?`` key) is not cut, and an alias is never cut from
the item whose anchor it names: the items between are kept in one piece. A cut that lands in
the middle of a value (a flow collection or a quoted text may go on at column 0) makes
its piece fail, and that piece is read again joined to the next one. A piece that is
truly broken gives the same problem, at the same place, as reading the whole file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from tui.errors import Problem, Severity
from tui.workspace import fastyaml
from tui.workspace.nodes import Map, Node, Seq, walk

#: Below this size a file the fast reader gives up goes to ruamel whole.
CUT_FROM = 48 * 1024

# Anything that lets one top-level item depend on another, or on the document.
# An anchor or alias (a text like "Tom &Jerry" may match too: that only cuts less).
_MARK = re.compile(r"(?:^|(?<=[\s\[{,]))([&*])([^\s,\[\]{}]+)", re.M)
_DOCUMENT = re.compile(r"^(?:%|---|\.\.\.|\?|:)", re.M)
_TOP = re.compile(r"^[^\s#]", re.M)
# A line that starts a top-level key: a plain or quoted key, then ': ' or ':' at the end.
_KEY = re.compile(r"""(?:[^\s#&!*|>%@`'"\[\]{},?:-][^\n]*?|"[^"\n]*"|'[^'\n]*')
                      [ \t]*:(?:[ \t]|\r?$)""", re.M | re.X)

FullReader = Callable[[str, str, int], tuple[Node | None, list[Problem]]]


def cuts(text: str) -> list[int] | None:
    """Where each top-level item starts (character offsets), or None when the text
    must be read whole."""
    if _DOCUMENT.search(text):
        return None
    starts = [m.start() for m in _TOP.finditer(text)]
    if not starts:
        return None
    if text.startswith("-", starts[0]):  # a list: an item starts at each '- '
        starts = [s for s in starts if text.startswith(("- ", "-\n", "-\r\n"), s)]
    else:  # a mapping: at each line that is a key (a list may sit at column 0)
        starts = [s for s in starts if _KEY.match(text, s)]
    if len(starts) < 2:
        return None
    starts[0] = 0  # comments and blank lines before the first item go with it
    if "&" in text and "*" in text:
        return _keep_aliases_with_anchors(text, starts)
    return starts


def _keep_aliases_with_anchors(text: str, starts: list[int]) -> list[int] | None:
    """The cuts left when no alias is parted from the latest anchor of its name
    before it (None: an alias names no anchor, so the whole file says so)."""
    anchored: dict[str, int] = {}  # name -> the item its latest anchor is in
    keep = [True] * len(starts)
    item = 0
    for mark in _MARK.finditer(text):
        while item + 1 < len(starts) and starts[item + 1] <= mark.start():
            item += 1
        sign, name = mark.groups()
        if sign == "&":
            anchored[name] = item
        elif name not in anchored:
            return None
        else:
            for joined in range(anchored[name] + 1, item + 1):
                keep[joined] = False
    kept = [s for s, k in zip(starts, keep, strict=True) if k]
    return kept if len(kept) >= 2 else None


def read(text: str, path: str, line_offset: int, full: FullReader
         ) -> tuple[Node | None, list[Problem]] | None:
    """The nodes of a big file read piece by piece (None: read it whole)."""
    starts = cuts(text)
    if starts is None:
        return None
    bounds = [*starts, len(text)]
    lines = [line_offset]
    for a, b in itertools.pairwise(bounds):
        lines.append(lines[-1] + text.count("\n", a, b))
    root: Seq | Map | None = None
    problems: list[Problem] = []
    i = 0
    while i < len(starts):
        node, found, used = _piece(text, bounds, lines, i, path, full)
        i += used
        if node is None:
            if found:
                return None, found  # a syntax error: the file is unreadable, as whole
            continue  # comments only
        if not isinstance(node, Seq | Map) or node.flow:
            return None  # not a block list or mapping: read whole
        if root is None:
            root = node
        elif type(node) is not type(root):
            return None
        else:
            _join(root, node, path, problems)
        problems.extend(found)
    return root, sorted(problems, key=lambda p: (p.line, p.col))


def _piece(text: str, bounds: list[int], lines: list[int], i: int, path: str,
           full: FullReader) -> tuple[Node | None, list[Problem], int]:
    """Piece ``i`` read, joined to twice as many following pieces each time while it
    does not parse (a cut inside a value): its node, problems, and how many pieces it
    took. The last try runs to the end of the file, as reading it whole would."""
    last = len(bounds) - 1
    used = 1
    while True:
        start, end = bounds[i], bounds[min(i + used, last)]
        piece = text[start:end]
        ok, node = fastyaml.read(piece, lines[i])
        found: list[Problem] = []
        if not ok:
            node, found = full(piece, path, lines[i])
        if node is not None or not found or i + used >= last:
            if start:
                _shift(node, start)
            return node, found, min(used, last - i)
        used *= 2


def _shift(node: Node | None, by: int) -> None:
    if node is None:
        return
    for n in walk(node):
        n.start += by
        n.end += by


def _join(root: Seq | Map, node: Seq | Map, path: str, problems: list[Problem]) -> None:
    root.end = node.end
    if isinstance(root, Seq):
        assert isinstance(node, Seq)
        root.items.extend(node.items)
        return
    assert isinstance(node, Map)
    root.broken |= node.broken
    for key, value in node.pairs:
        if key.value in root._index:
            first = root.pairs[root._index[key.value]][0]
            problems.append(Problem(path, key.line, key.col, Severity.ERROR,
                                    f"duplicate key '{key.value}' (first at line "
                                    f"{first.line}); keep one of them"))
            root.broken = True
            continue
        root._index[key.value] = len(root.pairs)
        root.pairs.append((key, value))
