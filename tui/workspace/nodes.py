"""The nodes YAML is read into: every value with its text and its place in the file.

Both readers produce them — the fast one (:mod:`tui.workspace.fastyaml`) and the full
one (:mod:`tui.workspace.ruamel_reader`) — and everything after reading works on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


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
                return to_int(self.value)
            case "float":
                return to_float(self.value)
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


def to_int(text: str) -> int:
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


def to_float(text: str) -> float:
    t = text.replace("_", "").lower()
    if t.endswith(".inf"):
        return float("-inf") if t.startswith("-") else float("inf")
    if t.endswith(".nan"):
        return float("nan")
    return float(t)


def as_text(node: Node) -> Node:
    """``<<`` anywhere but as a key is plain text."""
    if isinstance(node, Scalar) and node.kind == "merge":
        node.kind = "str"
    return node


def fits(scalar: Scalar) -> bool:
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


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Seq):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Map):
        for key, value in node.pairs:
            yield key
            yield from walk(value)
