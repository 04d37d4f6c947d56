"""A fast reader for the plain subset of YAML that Kept and people usually write.

Block mappings and lists nested by indentation, ``key: value`` and ``- item`` lines,
plain and quoted one-line scalars, one-line flow lists and mappings, comments and
blank lines, LF or CRLF: that is nearly every file in a workspace. This reader turns
such text into the same :mod:`tui.workspace.yamlio` nodes, with the same values,
kinds and positions, as ruamel's composer would — in a fraction of the time.

It never guesses. At the first thing outside that subset (a block scalar, a tag, an
anchor, a multi-line value, odd indentation, a duplicate key, anything it is not
sure ruamel would read the same way) it gives up and the caller uses the full
parser, which also reports every problem. A test holds the two readers to the same
results on the whole test corpus and on generated documents.
"""

from __future__ import annotations

import re
from typing import Any

from tui.workspace.nodes import Map, Node, Scalar, Seq, to_float, to_int

# YAML 1.2 implicit types, as ruamel.yaml's VersionedResolver resolves plain scalars
# (first matching pattern wins, tried in this order for the scalar's first character).
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_FLOAT = re.compile(
    r"""(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))\Z""",
    re.X,
)
_INT = re.compile(
    r"""(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)\Z""",
    re.X,
)
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_TIMESTAMP = re.compile(
    r"""(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\Z""",
    re.X,
)
_RESOLVERS: dict[str, list[tuple[re.Pattern[str], str]]] = {}
for _pattern, _kind_name, _first in (
    (_BOOL, "bool", "tTfF"),
    (_FLOAT, "float", "-+0123456789."),
    (_INT, "int", "-+0123456789"),
    (_NULL, "null", "~nN"),
    (_TIMESTAMP, "timestamp", "0123456789"),
):
    for _ch in _first:
        _RESOLVERS.setdefault(_ch, []).append((_pattern, _kind_name))

# "key: rest" with a plain key: the key, the spaces before the colon, then the value.
_KEY_LINE = re.compile(r"([^\s#'\"\[\]{},&*!|>%@`:?-][^:#]*?)( *):(?: +|\Z)")
# The commonest line: "key: value" with a plain key and value, no comment. The key,
# the spaces before the colon, the value (None when the line ends at the colon).
_SIMPLE = re.compile(r"([^\s#'\"\[\]{},&*!|>%@`:?-][^:#]*?)( *):"
                     r"(?: +([^\s#'\"\[\]{},&*!|>%@`:?-][^#]*)|)\Z")
# The same line as it sits in the text: its indent, the key, the spaces before the
# colon, the value (None when none), trailing spaces and a CR left out.
_SIMPLE_LINE = re.compile(r"( *)([^\s#'\"\[\]{},&*!|>%@`:?-][^:#]*?)( *):"
                          r"(?: +([^\s#'\"\[\]{},&*!|>%@`:?-][^#]*?)|) *\r?\Z")
_KEY_RE = re.compile(r"(?:[^\s#'\"\[\]{},&*!|>%@`:?-][^:#]*?|-[^\s:#][^:#]*?)(?=:(?:\s|$))")
_FLOW_PLAIN_END = re.compile(r"[,\[\]{}]|:\s| #|:$")
# The items of a flow collection whose scalars are all plain and hold no ':' nor '#'
# ("{on: 2026-11-21, why: waiting for access}", "[seo, smm]"): one item and the comma
# or bracket after it. A plain scalar here cannot start with an indicator, '-' or '?'.
_FLOW_SCALAR = r"([^\s'\"\[\]{},&*!|>%@`#?:-][^,\[\]{}:#]*?) *"
_FLOW_PAIR = re.compile(f" *{_FLOW_SCALAR}: +{_FLOW_SCALAR}([,}}])")
_FLOW_ITEM = re.compile(rf" *{_FLOW_SCALAR}([,\]])")
_MAX_FLOW_DEPTH = 16
# Escapes of double-quoted scalars this reader knows; anything else goes to ruamel.
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "/": "/", "0": "\0", "r": "\r",
            " ": " ", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


# A plain scalar cannot start with these (or it starts with "- ", "? ", ": ").
_NOT_PLAIN_FIRST = frozenset("'\"[]{},&*!|>%@`#-?:")


# What YAML does not allow in a stream (a BOM only at its start), written as the few
# ranges it is: the complement of the printable set compiles 20 times slower, and
# every command that reads a file pays for the compiling.
NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
                           "\ud800-\udfff\ufeff\ufffe\uffff]")


class _GiveUp(Exception):
    """Outside the subset: the full parser takes over."""


_KINDS: dict[str, str] = {}


def _kind(text: str) -> str:
    """The YAML 1.2 type of a plain scalar, remembered: most values repeat."""
    kind = _KINDS.get(text)
    if kind is None:
        kind = _resolve(text)
        if len(_KINDS) > 100_000:
            _KINDS.clear()
        _KINDS[text] = kind
    return kind


def plain_kind(text: str) -> str | None:
    """The YAML 1.2 type of a plain scalar; None for one the full reader must judge
    (empty, a merge key, a number too big to read)."""
    try:
        return _KINDS.get(text) or _kind(text)
    except _GiveUp:
        return None


def _resolve(text: str) -> str:
    resolvers = _RESOLVERS.get(text[:1])
    if resolvers is None:
        if text == "" or text == "<<" or text == "=":
            raise _GiveUp  # empty, merge keys and '=' are the full reader's to judge
        return "str"
    for pattern, kind in resolvers:
        if pattern.match(text):
            if kind in ("int", "float") and not _fits_number(text):
                raise _GiveUp
            return kind
    return "str"


class _Line:
    __slots__ = ("content", "indent", "number", "start")

    def __init__(self, number: int, start: int, indent: int, content: str) -> None:
        self.number = number  # 1-based
        self.start = start  # offset of the line in the text
        self.indent = indent  # columns of leading spaces
        self.content = content  # from the indent on, comment and trailing space removed


def _strip_comment(s: str) -> str:
    """The content before a comment; quotes are respected. Trailing spaces go."""
    if "#" not in s:
        return s.rstrip(" ")
    quote = ""
    prev = " "
    for i, ch in enumerate(s):
        if quote:
            if ch == quote:
                if quote == "'" and s[i + 1 : i + 2] == "'":
                    continue
                if quote == '"' and _escaped(s, i):
                    continue
                quote = ""
        elif ch in "'\"" and (prev in " \t[{,:-" or i == 0):
            quote = ch
        elif ch == "#" and prev in " \t":
            return s[:i].rstrip(" ")
        prev = ch
    return s.rstrip(" ")


def _escaped(s: str, i: int) -> bool:
    n = 0
    j = i - 1
    while j >= 0 and s[j] == "\\":
        n += 1
        j -= 1
    return n % 2 == 1


class _Reader:
    def __init__(self, text: str, line_offset: int = 0) -> None:
        self.text = text
        self.line_offset = line_offset
        if "\t" in text or "\x00" in text or text.count("\r") != text.count("\r\n"):
            raise _GiveUp  # tabs, lone CRs, NULs: the full reader's to judge

    @staticmethod
    def line(raw: str, number: int, start: int) -> _Line | None:
        """A line with its comment and trailing spaces removed; None when nothing is
        left (blank, or a comment)."""
        content = raw.lstrip(" ")
        if not content or content[0] == "#" or content == "\r":
            return None
        indent = len(raw) - len(content)
        if content[-1] == "\r":
            content = content[:-1]
        content = _strip_comment(content) if "#" in content else content.rstrip(" ")
        if (indent == 0 and content[:3] in ("---", "...")) or content[0] == "%":
            raise _GiveUp
        return _Line(number, start, indent, content)

    # --- scalars -----------------------------------------------------------------

    def scalar(self, line: _Line, col: int, text: str, flow: bool = False) -> tuple[Scalar, int]:
        """The scalar that starts ``text`` (at 0-based column ``col`` of ``line``), and
        how many characters of ``text`` it took."""
        start = line.start + col
        first = text[:1]
        if first == "'":
            i = 1
            out = []
            while True:
                j = text.find("'", i)
                if j < 0:
                    raise _GiveUp
                out.append(text[i:j])
                if text[j + 1 : j + 2] == "'":
                    out.append("'")
                    i = j + 2
                    continue
                end = j + 1
                break
            return Scalar("".join(out), "str", "'", line.number, col + 1, start,
                          start + end), end
        if first == '"':
            i = 1
            out = []
            while True:
                if i >= len(text):
                    raise _GiveUp
                ch = text[i]
                if ch == '"':
                    end = i + 1
                    break
                if ch == "\\":
                    code = text[i + 1 : i + 2]
                    if code in _ESCAPES:
                        out.append(_ESCAPES[code])
                        i += 2
                        continue
                    if code in ("x", "u", "U"):
                        width = {"x": 2, "u": 4, "U": 8}[code]
                        digits = text[i + 2 : i + 2 + width]
                        if len(digits) != width or not all(
                            c in "0123456789abcdefABCDEF" for c in digits
                        ):
                            raise _GiveUp
                        code_point = int(digits, 16)
                        if 0xD800 <= code_point <= 0xDFFF or code_point > 0x10FFFF:
                            raise _GiveUp
                        out.append(chr(code_point))
                        i += 2 + width
                        continue
                    raise _GiveUp
                out.append(ch)
                i += 1
            return Scalar("".join(out), "str", '"', line.number, col + 1, start,
                          start + end), end
        if first and first in "[]{},#&*!|>%@`":
            raise _GiveUp  # indicators no plain scalar starts with
        if first in ("-", "?", ":") and text[1:2] in ("", " "):
            raise _GiveUp
        if flow:
            if first == "?":
                raise _GiveUp  # ruamel reads '[?x]' as a mapping (the spec: the text ?x)
            m = _FLOW_PLAIN_END.search(text)
            taken = m.start() if m else len(text)
            value = text[:taken].rstrip(" ")
            if ":" in value or "#" in value:
                raise _GiveUp
        else:
            value = text
            if ": " in value or value.endswith(":") or " #" in value:
                raise _GiveUp
            taken = len(text)
        if not value:
            raise _GiveUp
        return Scalar(value, _kind(value), None, line.number, col + 1, start,
                      start + len(value)), taken

    # --- flow collections ----------------------------------------------------------

    def flow(self, line: _Line, col: int, text: str, depth: int = 0) -> tuple[Node, int]:
        """A ``[...]`` or ``{...}`` on one line, from ``text[0]``; returns it and its length."""
        if depth > _MAX_FLOW_DEPTH:
            raise _GiveUp
        plain = self.plain_flow(line, col, text)
        if plain is not None:
            return plain
        opener = text[0]
        closer = "]" if opener == "[" else "}"
        i = 1
        items: list[Node] = []
        pairs: list[tuple[Scalar, Node]] = []
        keys: set[str] = set()
        expect_item = True
        while True:
            while i < len(text) and text[i] == " ":
                i += 1
            if i >= len(text):
                raise _GiveUp  # not closed on this line
            ch = text[i]
            if ch == closer:
                i += 1
                break
            if ch == ",":
                if expect_item:
                    raise _GiveUp
                expect_item = True
                i += 1
                continue
            if not expect_item:
                raise _GiveUp
            node, used = self.flow_node(line, col + i, text[i:], depth)
            i += used
            if opener == "{":
                if not isinstance(node, Scalar):
                    raise _GiveUp
                while i < len(text) and text[i] == " ":
                    i += 1
                if text[i : i + 1] != ":" or text[i + 1 : i + 2] not in (" ",):
                    raise _GiveUp
                i += 2
                while i < len(text) and text[i] == " ":
                    i += 1
                if text[i : i + 1] in (",", "}"):
                    raise _GiveUp
                value, used = self.flow_node(line, col + i, text[i:], depth)
                i += used
                if node.value in keys:
                    raise _GiveUp
                keys.add(node.value)
                pairs.append((node, value))
            else:
                if isinstance(node, Scalar) and node.style is None:
                    rest = text[i:].lstrip(" ")
                    if rest.startswith(":"):
                        raise _GiveUp  # a single-pair mapping in a list: rare, full reader
                items.append(node)
            expect_item = False
        start = line.start + col
        if opener == "[":
            return Seq(items, True, line.number, col + 1, start, start + i), i
        result = Map(pairs, True, line.number, col + 1, start, start + i)
        result._index = {k.value: n for n, (k, _) in enumerate(pairs)}
        return result, i

    def plain_flow(self, line: _Line, col: int, text: str) -> tuple[Node, int] | None:
        """:meth:`flow` for a collection of plain scalars only, an item a match (the
        character loop below takes a tenth of a promise file's reading for its
        history); None when it is anything else. The nodes are the loop's own."""
        pairs = text[0] == "{"
        pattern, groups, closer = (_FLOW_PAIR, (1, 2), "}") if pairs else (_FLOW_ITEM, (1,), "]")
        base = line.start + col
        scalars: list[Scalar] = []
        i = 1
        while True:
            m = pattern.match(text, i)
            if m is None:
                return None  # empty, a trailing comma, quotes, nesting: the loop's
            for group in groups:
                value = m.group(group)
                at = m.start(group)
                scalars.append(Scalar(value, _kind(value), None, line.number, col + at + 1,
                                      base + at, base + at + len(value)))
            i = m.end()
            if text[i - 1] == closer:
                break
        if not pairs:
            return Seq([*scalars], True, line.number, col + 1, base, base + i), i
        result = Map(list(zip(scalars[::2], scalars[1::2], strict=True)), True, line.number,
                     col + 1, base, base + i)
        result._index = {k.value: n for n, (k, _) in enumerate(result.pairs)}
        if len(result._index) < len(result.pairs):
            raise _GiveUp  # a duplicate key: the full reader reports it
        return result, i

    def flow_node(self, line: _Line, col: int, text: str, depth: int) -> tuple[Node, int]:
        if text[:1] in ("[", "{"):
            return self.flow(line, col, text, depth + 1)
        return self.scalar(line, col, text, flow=True)

    def inline(self, line: _Line, col: int, text: str) -> Node:
        """A value that sits on its key's (or dash's) line."""
        first = text[0]
        if first not in _NOT_PLAIN_FIRST and ": " not in text and text[-1] != ":" and (
                " #" not in text):
            start = line.start + col
            return Scalar(text, _kind(text), None, line.number, col + 1, start,
                          start + len(text))
        if first in ("[", "{"):
            node, used = self.flow(line, col, text)
        else:
            node, used = self.scalar(line, col, text)
        if text[used:].strip(" "):
            raise _GiveUp  # something after the value: the full reader decides
        return node

    # --- block collections ---------------------------------------------------------

    def document(self) -> Node | None:
        """The whole document, line by line, with a stack of the open collections.

        Most lines are ``key: value`` with a plain key and a plain value and no
        comment. Those at the column of the mapping open last are read first, straight
        from the text in one match (``_SIMPLE_LINE``); the other lines of that kind in
        one match of their content (``_SIMPLE``); the rest by :meth:`_pair` and
        :meth:`inline`. Both short paths make exactly the nodes those two would (the
        equivalence tests run every path): they are their plain case inlined, as
        the calls and line objects cost most of the reading."""
        simple = _SIMPLE.match
        simple_line = _SIMPLE_LINE.match
        # Each open collection: [column, node, pending key (empty value so far) or None]
        stack: list[list[Any]] = []
        root: Node | None = None
        lone: _Line | None = None  # a first line that is neither a key nor an item
        frame: list[Any]
        last: list[Any] | None = None  # the top of the stack, when it is a mapping
        number = self.line_offset
        offset = 0
        for raw in self.text.split("\n"):
            number += 1
            start = offset
            offset += len(raw) + 1
            if last is None and stack and isinstance(stack[-1][1], Map):
                last = stack[-1]
            if last is not None and last[2] is None and (m := simple_line(raw)) is not None:
                col = m.end(1)
                value = m.group(4)
                text = m.group(2)
                if (col == last[0] and value is not None and ": " not in value
                        and value[-1] != ":" and (col or text[:3] != "...")):
                    key = _plain_key(last[1], text, number, start, col)
                    _plain_value(last[1], key, value, number, start, m.start(4))
                    continue
            line = self.line(raw, number, start)
            if line is None:
                continue
            last = None  # what follows may open and close collections
            if lone is not None:
                raise _GiveUp  # a scalar document of more than one line: the full reader's
            indent = line.indent
            content = line.content
            while stack and stack[-1][0] > indent:
                self._close(stack.pop(), line)
            item = content == "-" or content[:2] == "- "
            # A key at the column of a list that hangs under a key of the same column
            # ("history:" then "- ..." then "status: done") ends that list.
            if not item and stack and stack[-1][0] == indent and isinstance(
                    stack[-1][1], Seq):
                self._close(stack.pop(), line)
            top = stack[-1] if stack else None
            if item:
                if top is not None and top[0] == indent and isinstance(top[1], Seq):
                    seq = top[1]
                elif top is None and root is None:
                    seq = root = Seq([], False, line.number, indent + 1, line.start + indent, 0)
                    stack.append([indent, seq, None])
                elif top is not None and top[2] is not None and top[0] <= indent:
                    seq = Seq([], False, line.number, indent + 1, line.start + indent, 0)
                    self._attach(top, seq)
                    stack.append([indent, seq, None])
                else:
                    raise _GiveUp
                rest = content[1:]
                stripped = rest.lstrip(" ")
                if not stripped or stripped == "-" or stripped[:2] == "- ":
                    raise _GiveUp  # empty items and lists in lists: the full reader's
                col = indent + 1 + len(rest) - len(stripped)
                m = simple(stripped)
                if m is not None or self._is_key(stripped):
                    node = Map([], False, line.number, col + 1, line.start + col, 0)
                    seq.items.append(node)
                    frame = [col, node, None]
                    stack.append(frame)
                else:
                    seq.items.append(self.inline(line, col, stripped))
                    continue
            else:
                if top is not None and top[0] == indent and isinstance(top[1], Map):
                    if top[2] is not None:
                        self._attach(top, None)  # the key before had no value: null
                    frame = top
                elif top is not None and top[2] is not None and top[0] < indent:
                    node = Map([], False, line.number, indent + 1, line.start + indent, 0)
                    self._attach(top, node)
                    frame = [indent, node, None]
                    stack.append(frame)
                elif top is None and root is None:
                    if not self._is_key(content):
                        lone = line
                        continue
                    root = Map([], False, line.number, indent + 1, line.start + indent, 0)
                    frame = [indent, root, None]
                    stack.append(frame)
                else:
                    raise _GiveUp
                col = indent
                stripped = content
                m = simple(content)
            if m is None or ": " in (value := m.group(3) or "") or value[-1:] == ":":
                self._pair(frame, line, col, stripped)
                continue
            # The commonest line, read here: a plain key, and a plain value or none.
            key = _plain_key(frame[1], m.group(1), line.number, line.start, col)
            if value:
                _plain_value(frame[1], key, value, line.number, line.start, col + m.start(3))
            else:
                frame[2] = (key, line, col + m.end(2))
        if lone is not None:
            return self.inline(lone, lone.indent, lone.content)
        while stack:
            self._close(stack.pop(), None)
        return root

    def key(self, line: _Line, col: int, text: str) -> tuple[Scalar, int]:
        if text[:1] in ("'", '"'):
            return self.scalar(line, col, text)
        m = _KEY_RE.match(text)
        if m is None:
            raise _GiveUp
        value = m.group(0).rstrip(" ")
        kind = _kind(value)
        start = line.start + col
        return Scalar(value, kind, None, line.number, col + 1, start, start + len(value)), len(
            value)

    def _is_key(self, text: str) -> bool:
        if text[:1] in ("'", '"'):
            quote = text[0]
            end = 1
            while True:
                j = text.find(quote, end)
                if j < 0:
                    return False
                if quote == "'" and text[j + 1 : j + 2] == "'":
                    end = j + 2
                    continue
                if quote == '"' and _escaped(text, j):
                    end = j + 1
                    continue
                break
            after = text[j + 1 :]
            return after == ":" or after.startswith(": ")
        return bool(_KEY_RE.match(text))

    def _pair(self, frame: list[Any], line: _Line, col: int, content: str) -> None:
        """Read ``key: value`` into the mapping of ``frame``; an empty value waits."""
        node: Map = frame[1]
        m = _KEY_LINE.match(content)
        if m is not None:
            text = m.group(1)
            start = line.start + col
            key = Scalar(text, _kind(text), None, line.number, col + 1, start,
                         start + len(text))
            colon = m.end(1) + len(m.group(2))
            rest = content[m.end():]
            value_col = col + m.end()
        else:
            if not self._is_key(content):
                raise _GiveUp
            key, used = self.key(line, col, content)
            colon = used
            while content[colon : colon + 1] == " ":
                colon += 1
            rest = content[colon + 1 :].lstrip(" ")
            value_col = col + len(content) - len(rest)
        if key.value in node._index or key.kind == "null":
            raise _GiveUp  # duplicate or empty key: the full reader reports it
        if rest:
            node._index[key.value] = len(node.pairs)
            node.pairs.append((key, self.inline(line, value_col, rest)))
        else:
            frame[2] = (key, line, col + colon)

    def _attach(self, frame: list[Any], value: Node | None) -> None:
        """Give the pending key of ``frame`` its value (None: empty, so null)."""
        key, line, colon = frame[2]
        frame[2] = None
        if value is None:
            at = line.start + colon + 1
            value = Scalar("", "null", None, line.number, colon + 2, at, at)
        node: Map = frame[1]
        node._index[key.value] = len(node.pairs)
        node.pairs.append((key, value))

    def _close(self, frame: list[Any], next_line: _Line | None) -> None:
        if frame[2] is not None:
            self._attach(frame, None)
        node = frame[1]
        node.end = (next_line.start + next_line.indent if next_line is not None
                    else len(self.text))


def _plain_key(mapping: Map, text: str, number: int, start: int, col: int) -> Scalar:
    """The node of a plain key at 0-based column ``col`` of the line at offset
    ``start``, one ``mapping`` does not have yet (what :meth:`_Reader.key` makes)."""
    kind = _KINDS.get(text) or _kind(text)
    if kind == "null" or text in mapping._index:
        raise _GiveUp  # duplicate or empty key: the full reader reports it
    at = start + col
    return Scalar(text, kind, None, number, col + 1, at, at + len(text))


def _plain_value(mapping: Map, key: Scalar, value: str, number: int, start: int,
                 col: int) -> None:
    """Give ``key`` its plain ``value``, at 0-based column ``col`` of the same line
    (what :meth:`_Reader.inline` makes of it)."""
    at = start + col
    mapping._index[key.value] = len(mapping.pairs)
    mapping.pairs.append((key, Scalar(value, _KINDS.get(value) or _kind(value), None, number,
                                      col + 1, at, at + len(value))))


def _fits_number(text: str) -> bool:
    try:
        if _INT.match(text):
            to_int(text)
        else:
            to_float(text)
    except ValueError:
        return False
    return True


def read(text: str, line_offset: int = 0) -> tuple[bool, Node | None]:
    """``(True, node)`` when the text is in the subset (``node`` is None for an empty
    document); ``(False, None)`` when the full parser must read it. ``line_offset``
    shifts the line numbers, as for front matter below its ``---``."""
    if text.startswith("\ufeff") or NOT_PRINTABLE.search(text):
        return False, None  # the full reader names the character and its place
    try:
        return True, _Reader(text, line_offset).document()
    except (_GiveUp, RecursionError, IndexError):
        return False, None
