"""Jump anywhere: one fuzzy search over clients, contacts, promises and notes.

Both the query and every candidate are folded to lower-case Latin
(:func:`tui.core.slugs.fold`), so "ask" finds "Аскона" and "аск" finds "Askona".
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.models import Workspace
from tui.core.slugs import fold


@dataclass(frozen=True)
class Hit:
    kind: str  # client | contact | promise | note
    title: str
    detail: str
    client: str  # slug
    path: str
    line: int
    key: str  # a stable id: promise id, client slug, note path...
    score: float


def score(query: str, text: str) -> float:
    """How well ``query`` matches ``text`` (both folded); 0 for no match.

    A whole-word start beats a substring, which beats letters in order.
    """
    if not query:
        return 0.0
    at = text.find(query)
    if at == 0:
        return 3.0 + len(query) / (len(text) + 1)
    if at > 0:
        word_start = not text[at - 1].isalnum()
        return (2.5 if word_start else 2.0) + len(query) / (len(text) + 1)
    i = 0
    gaps = 0
    for ch in text:
        if i < len(query) and ch == query[i]:
            i += 1
        elif i:
            gaps += 1
    if i < len(query):
        return 0.0
    return 1.0 / (1 + gaps / 4)


def search(ws: Workspace, query: str, limit: int = 50) -> list[Hit]:
    q = fold(query.strip())
    if not q:
        return []
    hits: list[Hit] = []

    def consider(kind: str, title: str, detail: str, client: str, path: str, line: int,
                 key: str, *extra: str) -> None:
        best = max(score(q, fold(t)) for t in (title, *extra))
        if best > 0:
            bonus = {"client": 0.3, "contact": 0.2, "promise": 0.1, "note": 0.0}[kind]
            hits.append(Hit(kind, title, detail, client, path, line, key, best + bonus))

    for slug, c in ws.clients.items():
        consider("client", c.name, c.status.value, slug, c.path, 1, slug, slug)
        for contact in c.contacts:
            consider("contact", contact.name, f"{contact.role} · {c.name}".strip(" ·"),
                     slug, c.path, contact.line, f"{slug}/{contact.name}")
    for p in ws.promises:
        consider("promise", p.text, f"{ws.client_name(p.client)} · due {p.due}", p.client,
                 p.path, p.line, p.id, p.id)
    for n in ws.notes:
        consider("note", n.title, f"{ws.client_name(n.client)} · {n.date}", n.client, n.path,
                 1, n.path)
    hits.sort(key=lambda h: (-h.score, h.kind, h.title))
    return hits[:limit]
