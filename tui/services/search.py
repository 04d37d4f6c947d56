"""Jump anywhere: one search over clients, contacts, promises and notes.

Both the query and every candidate are folded to lower-case Latin
(:func:`tui.core.slugs.fold`), so "ask" finds "Аскона" and "аск" finds "Askona".
Every word of the query must be found in a candidate: best at its start, then at the
start of one of its words ("plan" finds "Send the media plan", "med pl" too), then as
its initials ("gd" for Greenfield Dental), then inside a word. A word found nowhere
may still be its letters in order inside one word, a letter left out here and there
("askna" for Askona); letters scattered over a whole sentence are no match.

:class:`SearchIndex` folds a workspace's candidates once and keeps them in one
string, so a key typed in the jump dialog is a scan of that string in C, not 60,000
texts folded again.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from tui.core.models import Client, Note, Promise, Workspace
from tui.core.slugs import fold, fold_all

# How a query was found; a better tier always ranks first, and within one the kind
# and then how much of the candidate the query covers (both worth less than a tier).
AT_START, AT_WORD, INITIALS, INSIDE, IN_ORDER = 5, 4, 3, 2, 1
KIND_BONUS = {"client": 0.3, "contact": 0.2, "promise": 0.1, "note": 0.0}
_WORDS = re.compile(r"[^\W_]+")
_APART = str.maketrans("\t\n\r", "   ")  # the index's separators, inside a text


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
    """How well ``query`` matches ``text`` (both folded); 0 for no match."""
    words = query.split()
    if not words:
        return 0.0
    tier = min(_found(word, text) for word in words)
    if len(words) > 1:
        tier = max(tier, _found(" ".join(words), text))  # the words together, in order
    elif tier < INITIALS and len(query) > 1 and _initials_of(text).startswith(query):
        tier = INITIALS
    elif not tier and len(query) > 2 and _in_order(query).search(text):
        tier = IN_ORDER
    return tier + 0.5 * len(query) / (len(text) + 1) if tier else 0.0


def _found(word: str, text: str) -> int:
    at = text.find(word)
    if at < 0:
        return 0
    if at == 0:
        return AT_START
    while at > 0:
        if not text[at - 1].isalnum():
            return AT_WORD
        at = text.find(word, at + 1)
    return INSIDE


def _initials_of(text: str) -> str:
    return "".join(w[0] for w in _WORDS.findall(text))


@functools.lru_cache(maxsize=64)
def _in_order(word: str) -> re.Pattern[str]:
    """The letters of ``word`` in order inside one word, at most one more between two."""
    return re.compile(r"[^\W_]?".join(map(re.escape, word)))


class _Candidate(NamedTuple):
    kind: str
    title: str
    client: str
    path: str
    line: int
    key: str
    record: Client | Promise | Note | str  # what the detail is made from (a contact's role)


class SearchIndex:
    """A workspace's candidates, folded once: ``search(query)`` answers as one types
    (on 1,000 clients, 50,000 promises and 10,000 notes: built in ~0.4 s, a query
    answered in tens of milliseconds)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._candidates: list[_Candidate] = []
        texts: list[str] = []

        def add(candidate: _Candidate, *extra: str) -> None:
            self._candidates.append(candidate)
            # One line each: the title and what else finds it (a slug, an id), apart.
            texts.append("\t".join(t.translate(_APART) for t in (candidate.title, *extra)))

        for slug, c in ws.clients.items():
            add(_Candidate("client", c.name, slug, c.path, 1, slug, c), slug)
            for contact in c.contacts:
                add(_Candidate("contact", contact.name, slug, c.path, contact.line,
                               f"{slug}/{contact.name}", contact.role))
        for p in ws.promises:
            add(_Candidate("promise", p.text, p.client, p.path, p.line, p.id, p), p.id)
        for n in ws.notes:
            add(_Candidate("note", n.title, n.client, n.path, 1, n.path, n))
        texts = fold_all(texts)
        self._texts = texts
        self._all, self._starts = _lines(texts)
        # Every candidate's initials, a line each: asked for from the second letter
        # typed, so made here (in the app's worker), not on the first key.
        self._initials = _lines([_initials_of(t) for t in texts])

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        q = " ".join(fold(query).split())
        if not q:
            return []
        single = " " not in q
        found = dict.fromkeys(self._candidates_for(q, limit))
        if single and len(q) > 1:
            found.update(dict.fromkeys(self._by_initials(q)))
        ranked = self._ranked(q, found)
        if len(ranked) < limit and single and len(q) > 2:  # a typo, maybe
            ranked += self._ranked(q, (i for i in self._in_order(q) if i not in found))
        ranked.sort(key=lambda r: (-r[0], self._candidates[r[1]].kind,
                                   self._candidates[r[1]].title))
        return [self._hit(i, s) for s, i in ranked[:limit]]

    def _candidates_for(self, q: str, limit: int) -> Iterable[int]:
        """The candidates that may match ``q``: those that hold its longest word."""
        if len(q) <= 2:
            # Found in most texts: when enough candidates start with it, or have a word
            # that does, nothing found later outranks them (a regex scan costs more
            # than finding a longer query, which few texts hold).
            word = re.escape(q)
            for pattern in (f"^{word}", rf"(?<![^\W_]){word}"):
                found = _lines_matching(re.compile(pattern, re.MULTILINE), self._all,
                                        self._starts)
                if len(found) >= limit:
                    return found
        return self._containing(max(q.split(), key=len))

    def _ranked(self, q: str, candidates: Iterable[int]) -> list[tuple[float, int]]:
        ranked = []
        for i in candidates:
            found = score(q, self._texts[i])
            if found:
                ranked.append((found + KIND_BONUS[self._candidates[i].kind], i))
        return ranked

    def _containing(self, word: str) -> Iterator[int]:
        """The candidates whose text holds ``word``, each once, by a scan in C."""
        text, starts = self._all, self._starts
        at = text.find(word)
        while at >= 0:
            i = bisect.bisect_right(starts, at) - 1
            yield i
            after = starts[i + 1] if i + 1 < len(starts) else len(text)
            at = text.find(word, after)

    def _by_initials(self, word: str) -> list[int]:
        """The candidates whose initials start with ``word``."""
        return _lines_matching(re.compile(f"^{re.escape(word)}", re.MULTILINE),
                               *self._initials)

    def _in_order(self, word: str) -> list[int]:
        """The candidates with ``word``'s letters in order inside one of their words."""
        return _lines_matching(_in_order(word), self._all, self._starts)

    def _hit(self, i: int, found: float) -> Hit:
        c = self._candidates[i]
        ws = self.ws
        record = c.record
        if isinstance(record, Client):
            detail = record.status.value
        elif isinstance(record, Promise):
            detail = f"{ws.client_name(record.client)} · due {record.due}"
        elif isinstance(record, Note):
            detail = f"{ws.client_name(record.client)} · {record.date}"
        else:
            detail = f"{record} · {ws.client_name(c.client)}".strip(" ·")
        return Hit(c.kind, c.title, detail, c.client, c.path, c.line, c.key, found)


def _lines_matching(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[int]:
    """The lines of ``text`` (made by :func:`_lines`) in which ``pattern`` is found,
    each once, in order."""
    return list(dict.fromkeys(bisect.bisect_right(starts, m.start()) - 1
                              for m in pattern.finditer(text)))


def _lines(texts: list[str]) -> tuple[str, list[int]]:
    """The texts as one string, a line each, and where each line starts."""
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    return "\n".join(texts), starts


def search(ws: Workspace, query: str, limit: int = 50) -> list[Hit]:
    """:meth:`SearchIndex.search` over ``ws`` (an index made for this one query)."""
    return SearchIndex(ws).search(query, limit)
