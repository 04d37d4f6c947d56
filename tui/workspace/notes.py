"""Markdown notes with YAML front matter: splitting, and writing new ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE_RE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    yaml: str  # the text between the fences
    first_line: int  # 1-based line of the first YAML line
    body: str


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def split(text: str) -> FrontMatter:
    """The front matter and body of a note; raises FrontMatterError when there is none."""
    first = FENCE_RE.match(text)
    if first is None:
        raise FrontMatterError(
            "the note has no front matter; start it with '---', then 'date: YYYY-MM-DD', "
            "then '---'",
            1,
        )
    end = _END_RE.search(text, first.end())
    if end is None:
        raise FrontMatterError("the front matter is not closed; add a line '---' after it", 1)
    start = first.end() + 1
    return FrontMatter(
        yaml=text[start : end.start()],
        first_line=2,
        body=text[end.end() + 1 :] if end.end() < len(text) else "",
    )


def note_filename(day: str, title_slug: str) -> str:
    return f"{day}-{title_slug}.md" if title_slug else f"{day}.md"


def fill(template: str, values: dict[str, str]) -> str:
    """``{{name}}`` placeholders replaced; unknown ones are left for the person to see."""
    return re.sub(
        r"\{\{\s*([a-z_]+)\s*\}\}", lambda m: values.get(m[1], m[0]), template
    )
