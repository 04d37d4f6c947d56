"""YAML in and out: reading picks a reader, writing renders values as YAML text.

:func:`parse` tries the fast reader first (:mod:`tui.workspace.fastyaml`, the plain
subset nearly every file is written in) and falls back to the full one
(:mod:`tui.workspace.ruamel_reader`) for anything else, which also reports every
problem with its line and column; a big file goes to it a top-level item at a time
(:mod:`tui.workspace.pieces`). All give the same nodes (:mod:`tui.workspace.nodes`).

Writing renders plain values as YAML text, quoting only where a reader would otherwise
see another type; :mod:`tui.workspace.edit` splices that text into files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from typing import Any

from tui.core.dates import Due
from tui.errors import Problem
from tui.workspace import fastyaml, pieces
from tui.workspace.nodes import Map, Node, Scalar, Seq, to_python, walk

__all__ = [
    "Flow", "FlowList", "Map", "Node", "Scalar", "Seq", "parse", "render_block",
    "render_flow", "render_inline", "render_scalar", "to_python", "walk",
]  # fmt: skip


def parse(text: str, path: str, *, line_offset: int = 0) -> tuple[Node | None, list[Problem]]:
    """Read YAML text into nodes. Never raises on bad input; returns problems.

    ``line_offset`` shifts reported lines (front matter below a ``---`` line).
    """
    ok, node = fastyaml.read(text, line_offset)
    if ok:
        return node, []
    from tui.workspace import ruamel_reader

    def full(piece: str, path: str, line_offset: int) -> tuple[Node | None, list[Problem]]:
        return ruamel_reader.parse(piece, path, line_offset=line_offset)

    if len(text) >= pieces.CUT_FROM:
        read = pieces.read(text, path, line_offset, full)
        if read is not None:
            return read
    return full(text, path, line_offset)


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
