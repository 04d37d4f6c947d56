"""The full YAML reader: ruamel.yaml's composer, the only place Kept uses ruamel.

Reading goes through the *composer* only, never its constructor: the result is the
tree of :mod:`tui.workspace.nodes` that keeps the text of every value and where it
stands. Nothing in a file can become code or a custom object (any tag beyond YAML's
core ones is a problem), a duplicate key is a problem rather than a silent overwrite,
and alias bombs stop at a size bound. Values follow YAML 1.2, so ``no``, ``on`` and
``0123`` stay what the person wrote. Syntax errors come back as problems in words.

Imported only when the fast reader gives a file up, so the common path never pays
for loading ruamel.
"""

from __future__ import annotations

import re

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.nodes import Node as RNode
from ruamel.yaml.reader import ReaderError

from tui.errors import Problem, Severity
from tui.workspace.nodes import Map, Node, Scalar, Seq, as_text, fits

_CORE = "tag:yaml.org,2002:"
_SCALAR_KINDS = {f"{_CORE}{k}": k for k in ("str", "int", "float", "bool", "null", "timestamp")}
_SCALAR_KINDS[f"{_CORE}value"] = "str"  # a plain '=' (YAML 1.1's "value" type) is text
_SCALAR_KINDS[f"{_CORE}merge"] = "merge"  # '<<': an error as a key, text as a value
MAX_DEPTH = 100
_REFUSE_DEPTH = 4 * MAX_DEPTH  # flow nesting refused before ruamel scans it


def _composer() -> YAML:
    return YAML(typ="safe", pure=True)


class _TooBig(Exception):
    pass


class _Converter:
    def __init__(self, text: str, path: str, line_offset: int, budget: int) -> None:
        self.text = text
        self.path = path
        self.line_offset = line_offset
        self.budget = budget
        self.problems: list[Problem] = []
        self.open: set[int] = set()  # collections being converted: an alias loop check

    def problem(self, node: RNode, message: str) -> None:
        m = node.start_mark
        self.problems.append(
            Problem(self.path, m.line + 1 + self.line_offset, m.column + 1, Severity.ERROR, message)
        )

    def pos(self, node: RNode) -> tuple[int, int, int, int]:
        return (
            node.start_mark.line + 1 + self.line_offset,
            node.start_mark.column + 1,
            node.start_mark.index,
            node.end_mark.index,
        )

    def convert(self, node: RNode, depth: int = 0) -> Node:
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig
        if depth > MAX_DEPTH:
            self.problem(node, f"nested more than {MAX_DEPTH} levels deep")
            return Scalar("", "invalid", None, *self.pos(node))
        if id(node) in self.open:
            self.problem(node, "an alias that contains itself (&a [*a]); write the value out")
            return Scalar("", "invalid", None, *self.pos(node))
        self.open.add(id(node))
        try:
            return self._convert(node, depth)
        finally:
            self.open.discard(id(node))

    def _convert(self, node: RNode, depth: int) -> Node:
        tag = node.tag or ""
        if isinstance(node, ScalarNode):
            kind = _SCALAR_KINDS.get(tag)
            if kind is None:
                self.problem(node, f"the tag {_short_tag(tag)} is not allowed: Kept reads "
                             "plain values only")
                kind = "invalid"
            scalar = Scalar(node.value, kind, node.style or None, *self.pos(node))
            if kind in ("int", "float", "bool") and not fits(scalar):
                if self.text.startswith("!", node.start_mark.index):
                    self.problem(node, f"'{node.value}' is not a valid {_short_tag(tag)}")
                    scalar.kind = "invalid"
                else:  # the resolver's guess was loose: '0x_' is text, not a number
                    scalar.kind = "str"
            return scalar
        if isinstance(node, SequenceNode):
            if tag != f"{_CORE}seq":
                self.problem(node, f"the tag {_short_tag(tag)} is not allowed: Kept reads "
                             "plain values only")
                return Scalar("", "invalid", None, *self.pos(node))
            items = [as_text(self.convert(i, depth + 1)) for i in node.value]
            return Seq(items, bool(node.flow_style), *self.pos(node))
        assert isinstance(node, MappingNode)
        if tag != f"{_CORE}map":
            self.problem(node, f"the tag {_short_tag(tag)} is not allowed: Kept reads "
                         "plain values only")
            return Scalar("", "invalid", None, *self.pos(node))
        result = Map([], bool(node.flow_style), *self.pos(node))
        for knode, vnode in node.value:
            key = self.convert(knode, depth + 1)
            value = as_text(self.convert(vnode, depth + 1))
            if isinstance(value, Scalar) and value.start == value.end and isinstance(key, Scalar):
                self._place_empty(key, value)
            if isinstance(key, Scalar) and key.kind == "merge":
                self.problem(knode, "merge keys (<<) are not supported; write the keys out")
                result.broken = True
                continue
            if not isinstance(key, Scalar) or key.kind == "invalid":
                if isinstance(key, Scalar):
                    result.broken = True
                else:
                    self.problem(knode, "a key must be a plain word, not a list or mapping")
                    result.broken = True
                continue
            if key.value in result._index:
                first = result.pairs[result._index[key.value]][0]
                self.problem(
                    knode, f"duplicate key '{key.value}' (first at line {first.line}); "
                    "keep one of them"
                )
                result.broken = True
                continue
            result._index[key.value] = len(result.pairs)
            result.pairs.append((key, value))
        return result


    def _place_empty(self, key: Scalar, value: Scalar) -> None:
        """An empty value (``closed:``) sits right after its colon, not at the next token.

        ruamel marks it where the next key starts; problems and edits need the spot
        the person would type into.
        """
        colon = self.text.find(":", key.end)
        if colon < 0 or colon > value.start:
            return
        at = colon + 1
        value.start = value.end = at
        value.line = key.line + self.text.count("\n", key.start, at)
        value.col = at - (self.text.rfind("\n", 0, at) + 1) + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


_FRIENDLY = [
    ("found character '\\t' that cannot start any token",
     "a tab character where YAML needs spaces (indent with spaces only)"),
    ("mapping values are not allowed here",
     "a ':' where YAML does not expect one; put quotes around text that holds ': '"),
    ("found undefined alias", "an alias (*name) with no anchor (&name) before it"),
    ("but found another document", "more than one YAML document; remove the extra '---'"),
    ("expected <block end>",
     "this line is indented differently from the lines around it; line up the keys "
     "of one mapping, and the '- ' of one list"),
    ("could not find expected ':'", "a line that is neither 'key: value' nor '- item'; "
     "is a ':' missing, or a quote left open?"),
    ("while scanning a quoted scalar", "a quote is opened here and never closed"),
    ("while parsing a flow sequence", "a '[' is opened here and never closed with ']'"),
    ("while parsing a flow mapping", "a '{' is opened here and never closed with '}'"),
]  # fmt: skip

# ruamel's token names, in words a person knows.
_TOKENS = {
    "'<stream end>'": "the end of the file",
    "<stream end>": "the end of the file",
    "'<block end>'": "the end of an indented block",
    "<block end>": "the end of an indented block",
    "'<block sequence start>'": "a list item",
    "'<block mapping start>'": "a key",
    "'<scalar>'": "a value",
    "'<document start>'": "'---'",
    "'<block entry>'": "'- '",
    "'<key>'": "a key",
    "'<value>'": "a ':'",
}


def _words(text: str) -> str:
    for token, words in _TOKENS.items():
        text = text.replace(token, words)
    return text


def _syntax_error(exc: MarkedYAMLError, text: str, line_offset: int) -> tuple[int, int, str]:
    """Where a syntax error is (0-based) and what to tell the person about it.

    When the parser only notices the trouble at the end of the file (an unclosed
    quote or bracket), the place it started is the useful one.
    """
    problem = str(exc.problem or "broken YAML")
    context = str(exc.context or "")
    mark, other = exc.problem_mark, exc.context_mark
    at_end = mark is None or mark.index >= len(text.rstrip())
    if other is not None and (at_end or "quoted scalar" in context):
        mark, other = other, None
    line, col = (mark.line, mark.column) if mark is not None else (0, 0)
    for needle, friendly in _FRIENDLY:
        if needle in problem or (needle in context and mark is exc.context_mark):
            return line, col, f"YAML syntax: {friendly}"
    message = f"YAML syntax: {_words(problem)}"
    if context and other is not None and other.line != line:
        message += f" ({_words(context)} at line {other.line + 1 + line_offset})"
    return line, col, message


def parse(text: str, path: str, *, line_offset: int = 0) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text into nodes with ruamel. Never raises on bad input.

    ``line_offset`` shifts reported lines (front matter below a ``---`` line).
    """

    def at(line: int, col: int, message: str) -> list[Problem]:
        return [Problem(path, line + 1 + line_offset, col + 1, Severity.ERROR, message)]

    deep = _too_deep(text)
    if deep is not None:
        before = text[:deep]
        return None, at(before.count("\n"), deep - (before.rfind("\n") + 1),
                        f"nested more than {MAX_DEPTH} levels deep")
    text, warnings = _later_version(text, path, line_offset)
    try:
        composed = _composer().compose(text)
    except MarkedYAMLError as exc:
        return None, at(*_syntax_error(exc, text, line_offset))
    except ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n")
        col = len(before) - (before.rfind("\n") + 1)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, at(line, col, f"character U+{char:04X} is not allowed in YAML")
    except RecursionError:
        return None, at(0, 0, f"nested more than {MAX_DEPTH} levels deep")
    except (YAMLError, AssertionError) as exc:  # anything else ruamel finds in the text
        return None, at(0, 0, f"YAML: {exc}")
    if composed is None:
        return None, warnings
    conv = _Converter(text, path, line_offset, budget=len(text) // 2 + 1000)
    try:
        root = conv.convert(composed)
    except _TooBig:
        return None, at(0, 0, "the file expands to far more values than it has text "
                        "(YAML aliases); Kept does not read it")
    except RecursionError:
        return None, at(0, 0, f"nested more than {MAX_DEPTH} levels deep")
    return root, warnings + conv.problems


# Brackets, and what may hide them: quoted text and comments.
_FLOW = re.compile(r"""[\[\]{}]|"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|(?:^|(?<=\s))#[^\n]*""",
                   re.M)


def _too_deep(text: str) -> int | None:
    """Where flow brackets first nest deeper than MAX_DEPTH, when they go on far deeper
    than that, found in one pass: ruamel's scanner is quadratic in flow depth (2 KB of
    '[' would take seconds). A little too deep is left to the converter, which keeps
    the rest of the file."""
    if text.count("[") + text.count("{") <= _REFUSE_DEPTH:
        return None
    depth = 0
    first = None
    for m in _FLOW.finditer(text):
        ch = text[m.start()]
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH and first is None:
                first = m.start()
            if depth > _REFUSE_DEPTH:
                return first
        elif ch in "]}":
            depth = max(depth - 1, 0)
            if depth <= MAX_DEPTH:
                first = None
    return None


_VERSION = re.compile(r"^%YAML[ \t]+1\.([0-9]+)(?=[ \t]|\r?$)", re.M)


def _later_version(text: str, path: str, line_offset: int) -> tuple[str, list[Problem]]:
    """``%YAML 1.3`` and later: read as 1.2 with a warning, as the YAML spec asks (ruamel
    would fail an assert)."""
    warnings: list[Problem] = []
    for m in reversed(list(_VERSION.finditer(text))):
        if int(m.group(1)) <= 2:
            continue
        line = text.count("\n", 0, m.start()) + 1 + line_offset
        warnings.append(Problem(path, line, 1, Severity.WARNING,
                                f"{m.group(0).strip()}: a later YAML version than Kept "
                                "knows; read as YAML 1.2"))
        text = text[:m.start(1)] + "2".ljust(m.end(1) - m.start(1)) + text[m.end(1):]
    return text, warnings[::-1]
