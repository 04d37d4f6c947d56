"""Bytes to text and back, keeping what a person's editor put there.

A file remembers its byte-order mark and its line ending, so a file Kept edits
goes back to disk the way it came: UTF-8 with or without BOM, LF or CRLF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOM = "\ufeff"

_MARKER_RE = re.compile(r"^(<{7}|>{7}|\|{7})(?: |$)", re.MULTILINE)


@dataclass(frozen=True)
class Decoded:
    text: str  # without the BOM; line endings as in the file
    bom: bool
    newline: str  # "\n" or "\r\n": what new lines should use


class DecodeError(ValueError):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


def decode(data: bytes) -> Decoded:
    """UTF-8 (with an optional BOM) to text; bad bytes raise with their position."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :].removeprefix(b"\xef\xbb\xbf")
        col = len(line_start.decode("utf-8", "replace")) + 1
        raise DecodeError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be read; save the file as UTF-8",
            line,
            col,
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        raise DecodeError("the file holds a NUL byte: it is not a text file", line, col)
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
    return Decoded(text, bom, newline)


def encode(decoded: Decoded, text: str) -> bytes:
    return ((BOM if decoded.bom else "") + text).encode("utf-8")


def conflict_markers(text: str) -> list[tuple[int, int]]:
    """(line, col) of every git conflict marker line: ``<<<<<<<``, ``|||||||``, ``>>>>>>>``.

    ``=======`` alone is a Markdown heading underline, so only the unmistakable
    markers count.
    """
    if "<<<<<<<" not in text and ">>>>>>>" not in text and "|||||||" not in text:
        return []  # (three scans for a string: a sixth of the line-by-line pattern's)
    return [(text.count("\n", 0, m.start()) + 1, 1) for m in _MARKER_RE.finditer(text)]


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
