"""Slugs from names, ids for promises, and transliteration for search.

A slug names a client's folder, so it must be safe on every file system:
``[a-z0-9-]``, never empty, never ``.``/``..``, never a reserved device name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence

# Russian, Ukrainian and Belarusian letters, transliterated the way people write
# them in Latin (close to the passport standard, ``х`` -> ``kh``, ``ц`` -> ``ts``).
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
    # Latin letters that do not decompose into a letter and an accent.
    "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th", "ð": "d",
    "ı": "i",
}  # fmt: skip

# Windows device names: a folder called "con" cannot be created there.
RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)
MAX_SLUG = 60
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_RE = re.compile(r"[a-z0-9]{6}")


def transliterate(text: str) -> str:
    """Latin letters for Cyrillic ones; other letters lose their accents."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        if low in _TRANSLIT:
            tr = _TRANSLIT[low]
            out.append(tr.capitalize() if ch != low else tr)
        else:
            out.append(ch)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(name: str) -> str:
    """``Аскона`` -> ``askona``; ``Coffee & Co.`` -> ``coffee-co``; never empty."""
    latin = transliterate(name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    if not slug:
        slug = "client"
    if slug in RESERVED:
        slug += "-client"
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.fullmatch(slug)) and slug not in RESERVED and len(slug) <= MAX_SLUG


def unique_slug(name: str, taken: Collection[str]) -> str:
    """A slug for ``name`` that no taken slug equals, ignoring case."""
    base = slugify(name)
    lowered = {t.lower() for t in taken}
    slug, n = base, 2
    while slug in lowered:
        suffix = f"-{n}"
        slug = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug


_ID_FIRST = "abcdefghijklmnopqrstuvwxyz"
_ID_REST = _ID_FIRST + "0123456789"


def new_id(taken: Collection[str]) -> str:
    """A fresh promise id: six of ``[a-z0-9]``, starting with a letter.

    The leading letter keeps YAML from reading an id as a number (``123456``,
    ``1e5000``) in any tool that opens the file.
    """
    import secrets  # here: it brings random and hmac, which reading never needs

    while True:
        candidate = secrets.choice(_ID_FIRST) + "".join(
            secrets.choice(_ID_REST) for _ in range(5)
        )
        if candidate not in taken:
            return candidate


def derived_id(seed: str, taken: Collection[str] = ()) -> str:
    """An id that every machine derives alike from ``seed``: six of ``[a-z0-9]``,
    starting with a letter, and not in ``taken``.

    Two people who close the same repeating promise, or number the same note's task
    line, write the same id, so a sync merges the two into one instead of keeping both.
    """
    n = 0
    while True:
        digest = hashlib.sha256(f"{seed}\x00{n}".encode()).digest()
        number = int.from_bytes(digest[:8], "big")
        first = _ID_FIRST[number % 26]
        number //= 26
        rest = ""
        for _ in range(5):
            rest += _ID_REST[number % 36]
            number //= 36
        candidate = first + rest
        if candidate not in taken:
            return candidate
        n += 1


# transliterate's letter by letter, as one table for str.translate: a capital letter
# gives its transliteration capitalised (every letter that lowers to one in the table).
_FOLD = str.maketrans({
    **_TRANSLIT,
    **{big: tr.capitalize() for low, tr in _TRANSLIT.items()
       for big in {low.upper(), low.title(), "ẞ" if low == "ß" else low}
       if len(big) == 1 and big != low and big.lower() == low},
})


def fold(text: str) -> str:
    """A search key: lower case, Latin, no accents (``Аскона`` -> ``askona``); the same
    as ``transliterate(text).lower()``, in C for the most part (a search folds every
    candidate: 60,000 of them on a large workspace)."""
    if text.isascii():
        return text.lower()
    return _unaccented(unicodedata.normalize("NFC", text).translate(_FOLD)).lower()


def fold_all(texts: Sequence[str]) -> list[str]:
    """``[fold(t) for t in texts]``, the many texts of a search index folded as one
    string (a text with a line break of its own is folded alone)."""
    if not texts:
        return []
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return [fold(t) for t in texts]
    if not joined.isascii():
        joined = unicodedata.normalize("NFC", joined).translate(_FOLD)
    return [line.lower() if line.isascii() else _unaccented(line).lower()
            for line in joined.split("\n")]


def _unaccented(latin: str) -> str:
    if latin.isascii():
        return latin
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
