"""YAML in and out: the only module that talks to ruamel.yaml.

Reading goes through ruamel's *composer* only, never its constructor: the result is a
small tree of :class:`Scalar`, :class:`Seq` and :class:`Map` nodes that keep the text
of every value and where it stands in the file. Nothing in a file can become code or a
custom object (any tag beyond YAML's core ones is a problem), a duplicate key is a
problem rather than a silent overwrite, and alias bombs stop at a size bound.

Values follow YAML 1.2, so ``no``, ``on`` and ``0123`` stay what the person wrote.

Writing renders plain values as YAML text, quoting only where a reader would otherwise
see another type; :mod:`tui.workspace.edit` splices that text into files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.nodes import Node as RNode
from ruamel.yaml.reader import ReaderError

from tui.core.dates import Due
from tui.errors import Problem, Severity

_CORE = "tag:yaml.org,2002:"
_SCALAR_KINDS = {f"{_CORE}{k}": k for k in ("str", "int", "float", "bool", "null", "timestamp")}
_SCALAR_KINDS[f"{_CORE}value"] = "str"  # a plain '=' (YAML 1.1's "value" type) is text
_SCALAR_KINDS[f"{_CORE}merge"] = "merge"  # '<<': an error as a key, text as a value
MAX_DEPTH = 100


@dataclass(eq=False, slots=True)
class Scalar:
    value: str  # the text as written, quotes and escapes resolved
    kind: str  # str | int | float | bool | null | timestamp | invalid
    style: str | None  # None for plain, else ' " | >
    line: int
    col: int
    start: int
    end: int

    def to_python(self) -> Any:
        match self.kind:
            case "null":
                return None
            case "bool":
                return self.value.lower() == "true"
            case "int":
                return _to_int(self.value)
            case "float":
                return _to_float(self.value)
            case _:
                return self.value


@dataclass(eq=False, slots=True)
class Seq:
    items: list[Node]
    flow: bool
    line: int
    col: int
    start: int
    end: int


@dataclass(eq=False, slots=True)
class Map:
    pairs: list[tuple[Scalar, Node]]
    flow: bool
    line: int
    col: int
    start: int
    end: int
    broken: bool = False  # a problem inside it was already reported (duplicate key...)
    _index: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        i = self._index.get(key)
        return None if i is None else self.pairs[i][1]

    def key_node(self, key: str) -> Scalar | None:
        i = self._index.get(key)
        return None if i is None else self.pairs[i][0]

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.pairs]


Node = Scalar | Seq | Map


def _to_int(text: str) -> int:
    t = text.replace("_", "")
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    if t[:2] in ("0x", "0X"):
        return sign * int(t[2:], 16)
    if t[:2] in ("0o", "0O"):
        return sign * int(t[2:], 8)
    if t[:2] in ("0b", "0B"):
        return sign * int(t[2:], 2)
    return sign * int(t or "0")


def _to_float(text: str) -> float:
    t = text.replace("_", "").lower()
    if t.endswith(".inf"):
        return float("-inf") if t.startswith("-") else float("inf")
    if t.endswith(".nan"):
        return float("nan")
    return float(t)


def _as_text(node: Node) -> Node:
    """``<<`` anywhere but as a key is plain text."""
    if isinstance(node, Scalar) and node.kind == "merge":
        node.kind = "str"
    return node


def _fits(scalar: Scalar) -> bool:
    """Whether a scalar's text really is the number or boolean it was tagged as."""
    if scalar.kind == "bool":
        return scalar.value.lower() in ("true", "false")
    try:
        scalar.to_python()
    except ValueError:
        return False
    return True


def to_python(node: Node | None) -> Any:
    """Plain Python values: dicts, lists, str, int, float, bool, None (dates as text)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.to_python()
    if isinstance(node, Seq):
        return [to_python(i) for i in node.items]
    return {k.value: to_python(v) for k, v in node.pairs}


# --- reading -------------------------------------------------------------------------


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
            if kind in ("int", "float", "bool") and not _fits(scalar):
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
            items = [_as_text(self.convert(i, depth + 1)) for i in node.value]
            return Seq(items, bool(node.flow_style), *self.pos(node))
        assert isinstance(node, MappingNode)
        if tag != f"{_CORE}map":
            self.problem(node, f"the tag {_short_tag(tag)} is not allowed: Kept reads "
                         "plain values only")
            return Scalar("", "invalid", None, *self.pos(node))
        result = Map([], bool(node.flow_style), *self.pos(node))
        for knode, vnode in node.value:
            key = self.convert(knode, depth + 1)
            value = _as_text(self.convert(vnode, depth + 1))
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
    """Compose YAML text into nodes. Never raises on bad input; returns problems.

    ``line_offset`` shifts reported lines (front matter below a ``---`` line).
    """

    def at(line: int, col: int, message: str) -> list[Problem]:
        return [Problem(path, line + 1 + line_offset, col + 1, Severity.ERROR, message)]

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
    except YAMLError as exc:  # anything else ruamel reports about the text
        return None, at(0, 0, f"YAML: {exc}")
    if composed is None:
        return None, []
    conv = _Converter(text, path, line_offset, budget=len(text) // 2 + 1000)
    try:
        root = conv.convert(composed)
    except _TooBig:
        return None, at(0, 0, "the file expands to far more values than it has text "
                        "(YAML aliases); Kept does not read it")
    except RecursionError:
        return None, at(0, 0, f"nested more than {MAX_DEPTH} levels deep")
    return root, conv.problems


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Seq):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Map):
        for key, value in node.pairs:
            yield key
            yield from walk(value)


# --- writing -------------------------------------------------------------------------


class Flow(dict[str, Any]):
    """A mapping to render in flow style: ``{on: 2026-11-24, why: ...}``."""


class FlowList(list[Any]):
    """A list to render in flow style: ``[seo, smm]``."""


_TYPED_WORDS = frozenset(
    ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
     ".inf", "-.inf", "+.inf", ".nan", "<<", "="]
)
# Anything YAML 1.1 or 1.2 reads as a number: decimal, float, hex, octal, binary and
# the old base-60 form (1:20). "1d" or "3mo" stay plain.
_NUMBERISH = re.compile(
    r"""[-+]?(
        [0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?
      | \.[0-9][0-9_]*([eE][-+]?[0-9]+)?
      | 0[xX][0-9a-fA-F_]+ | 0[oO][0-7_]+ | 0[bB][01_]+
      | [0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?
    )""",
    re.VERBOSE,
)
_DATEISH = re.compile(r"\d{4}-\d\d?-\d\d?")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = frozenset(",[]{}")


def _printable(ch: str) -> bool:
    o = ord(ch)
    if ch in "\ufeff\u2028\u2029\x85":
        return False
    return (
        o in (0x09, 0x0A, 0x0D)
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or 0xE000 <= o <= 0xFFFD
        or 0x10000 <= o <= 0x10FFFF
    )


# Words YAML 1.1 readers take as booleans. Quoted as values, so other tools read
# the same text; as keys (``on:`` in a history entry) they stay plain, as PRODUCT.md
# writes them, since YAML 1.2 — what Kept reads — takes them as text.
_YAML11_WORDS = frozenset(["yes", "no", "on", "off", "y", "n"])


def _plain_ok(s: str, flow: bool, key: bool = False) -> bool:
    if not s or s != s.strip() or s[0] in _INDICATORS:
        return False
    low = s.lower()
    if (low in _TYPED_WORDS and not (key and low in _YAML11_WORDS)) or (
        _NUMBERISH.fullmatch(s) or _DATEISH.match(s)
    ):
        return False
    if ": " in s or " #" in s or s.endswith(":") or "\t" in s:
        return False
    if flow and any(c in _FLOW_CHARS for c in s):
        return False
    return all(_printable(c) and c not in "\n\r" for c in s) and unicodedata.category(
        s[-1]
    ) != "Zs"


def _double_quoted(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not _printable(ch) or ch == "\r":
            o = ord(ch)
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def render_scalar(value: Any, *, flow: bool = False, key: bool = False) -> str:
    """One value as YAML text that reads back as the same value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json.dumps(value) if value == value and abs(value) != float("inf") else (
            ".nan" if value != value else (".inf" if value > 0 else "-.inf")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Due):
        return str(value) if value.time is None else f"'{value}'"
    s = str(value)
    if _plain_ok(s, flow, key):
        return s
    if all(_printable(c) and c not in "\n\r" for c in s):
        return "'" + s.replace("'", "''") + "'"
    return _double_quoted(s)


def render_flow(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(
            f"{render_scalar(k, flow=True, key=True)}: {render_flow(v)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render_flow(v) for v in value) + "]"
    return render_scalar(value, flow=True)


def _is_collection(value: Any) -> bool:
    return isinstance(value, dict | list | tuple) and not isinstance(value, Flow | FlowList)


def render_inline(value: Any) -> str | None:
    """The text after ``key: `` when a value fits on the key's line, else None."""
    if isinstance(value, Flow | FlowList):
        return render_flow(value)
    if _is_collection(value):
        return None if value else ("{}" if isinstance(value, dict) else "[]")
    return render_scalar(value)


def render_block(value: dict[str, Any] | list[Any], indent: int, seq_indent: int = 2) -> list[str]:
    """Lines (without line endings) for a block mapping or sequence at ``indent``.

    Nested sequences are indented ``seq_indent`` past their key (``history:`` then
    ``  - ...``), the way PRODUCT.md writes them.
    """
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inline = render_inline(item)
            if inline is not None:
                lines.append(f"{pad}{render_scalar(key, key=True)}: {inline}")
            else:
                lines.append(f"{pad}{render_scalar(key, key=True)}:")
                nested = indent + (seq_indent if isinstance(item, list | tuple) else 2)
                lines.extend(render_block(item, nested, seq_indent))
        return lines
    for item in value:
        inline = render_inline(item)
        if inline is not None:
            lines.append(f"{pad}- {inline}")
            continue
        body = render_block(item, indent + 2, seq_indent)
        lines.append(f"{pad}- {body[0][indent + 2 :]}")
        lines.extend(body[1:])
    return lines
