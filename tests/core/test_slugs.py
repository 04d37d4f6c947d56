"""Tests for tui.core.slugs: folder-safe client slugs, promise ids and search keys.

A slug names a folder under ``clients/``, so whatever a person (or a CRM export) calls
a client, the slug must be a plain ``[a-z0-9]+(-[a-z0-9]+)*`` that cannot climb out of
the workspace or collide with a Windows device name.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.slugs import MAX_SLUG, fold, is_valid_slug, new_id, slugify, unique_slug

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


# --- slugify ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Аскона", "askona"),
        ("Кофейня «Зерно»", "kofeynya-zerno"),
        ("Coffee & Co.", "coffee-co"),
        ("ООО «Ромашка»", "ooo-romashka"),
        ("Щука и Ёж", "shchuka-i-ezh"),
        ("Хлеб-Цех", "khleb-tsekh"),
        ("Acme Digital", "acme-digital"),
        ("  Spaces   everywhere  ", "spaces-everywhere"),
        ("Studio 42", "studio-42"),
        ("UPPER lower", "upper-lower"),
    ],
)
def test_slugify_names(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Café Déjà Vu", "cafe-deja-vu"),
        ("Müller & Söhne", "muller-sohne"),
        ("Señor Niño", "senor-nino"),
        ("Crème brûlée", "creme-brulee"),
    ],
)
def test_slugify_drops_accents(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Київстар", "kiyivstar"),
        ("Єва", "yeva"),
        ("Ґанок", "ganok"),
        ("Інтертоп", "intertop"),
    ],
)
def test_slugify_transliterates_ukrainian_letters(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["", "   ", "!!!", "«»", "...", "---", "—", "🙂🙂"])
def test_slugify_never_gives_an_empty_slug(name: str) -> None:
    assert slugify(name) == "client"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("../etc", "etc"),
        ("..\\x", "x"),
        ("/abs/path", "abs-path"),
        ("..", "client"),
        (".", "client"),
        ("a/../../b", "a-b"),
        ("C:\\Windows", "c-windows"),
        ("Acme\x00evil", "acme-evil"),
        ("Acme...", "acme"),
        ("Acme. ", "acme"),
        ("-leading-and-trailing-", "leading-and-trailing"),
    ],
)
def test_slugify_hostile_names_stay_in_the_clients_folder(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("CON", "con-client"),
        ("nul", "nul-client"),
        ("Aux", "aux-client"),
        ("PRN", "prn-client"),
        ("COM1", "com1-client"),
        ("lpt9", "lpt9-client"),
        ("con.", "con-client"),
    ],
)
def test_slugify_avoids_windows_device_names(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_valid_slug(slug)


def test_slugify_keeps_names_that_merely_contain_device_names() -> None:
    assert slugify("Console") == "console"
    assert slugify("Con Edison") == "con-edison"


def test_slugify_a_300_character_name_is_cut_to_60() -> None:
    assert slugify("a" * 300) == "a" * MAX_SLUG
    assert MAX_SLUG == 60


def test_slugify_a_long_name_is_not_cut_on_a_dash() -> None:
    # "abcd efgh ..." : the 60th character of the slug would be a dash.
    slug = slugify("abcd " * 60)
    assert slug == "-".join(["abcd"] * 12)  # 12 * 4 + 11 = 59 characters
    assert len(slug) == 59


def test_slugify_a_long_cyrillic_name() -> None:
    slug = slugify("Щ" * 100)  # each letter is four Latin ones
    assert slug == "shch" * 15
    assert len(slug) == MAX_SLUG


def test_slugify_nfc_and_nfd_forms_give_the_same_slug() -> None:
    name = "Йошкар-Ола Ёлка"
    nfc = unicodedata.normalize("NFC", name)
    nfd = unicodedata.normalize("NFD", name)
    assert nfc != nfd  # the test is only worth something if the forms differ
    assert slugify(nfc) == slugify(nfd) == "yoshkar-ola-elka"


@given(st.text())
def test_slugify_always_gives_a_valid_slug(name: str) -> None:
    slug = slugify(name)
    assert is_valid_slug(slug)
    assert SLUG.fullmatch(slug)
    assert 0 < len(slug) <= MAX_SLUG


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400))
def test_slugify_is_stable(name: str) -> None:
    # The slug of a slug is itself: re-running an import never renames a folder.
    slug = slugify(name)
    assert slugify(slug) == slug


# --- is_valid_slug --------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["askona", "kofeynya-zerno", "a", "a1-b2", "x" * 60])
def test_is_valid_slug_accepts(slug: str) -> None:
    assert is_valid_slug(slug)


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "Askona",
        "-askona",
        "askona-",
        "a--b",
        "a_b",
        "a b",
        "..",
        "../etc",
        "con",
        "nul",
        "x" * 61,
        "аскона",
    ],
)
def test_is_valid_slug_rejects(slug: str) -> None:
    assert not is_valid_slug(slug)


# --- unique_slug ------------------------------------------------------------------------------


def test_unique_slug_when_free() -> None:
    assert unique_slug("Аскона", {"zerno"}) == "askona"
    assert unique_slug("Аскона", set()) == "askona"


def test_unique_slug_numbers_a_taken_slug() -> None:
    assert unique_slug("Аскона", {"askona"}) == "askona-2"
    assert unique_slug("Аскона", {"askona", "askona-2"}) == "askona-3"
    assert unique_slug("Аскона", {"askona", "askona-3"}) == "askona-2"


def test_unique_slug_ignores_case_of_taken_slugs() -> None:
    # A case-insensitive file system (macOS, Windows) holds one of Askona/askona.
    assert unique_slug("Аскона", {"Askona"}) == "askona-2"
    assert unique_slug("Аскона", {"ASKONA", "Askona-2"}) == "askona-3"


def test_unique_slug_for_a_reserved_name() -> None:
    assert unique_slug("CON", {"con-client"}) == "con-client-2"


def test_unique_slug_stays_within_60_characters() -> None:
    base = "a" * 60
    assert unique_slug("a" * 300, {base}) == "a" * 58 + "-2"
    taken = {base} | {"a" * 58 + f"-{n}" for n in range(2, 10)}
    assert unique_slug("a" * 300, taken) == "a" * 57 + "-10"


def test_unique_slug_does_not_leave_a_double_dash_when_cutting() -> None:
    name = "x" * 57 + " yy"  # slug "xxx...x-yy", 60 characters
    base = slugify(name)
    assert base == "x" * 57 + "-yy"
    slug = unique_slug(name, {base})
    assert slug == "x" * 57 + "-2"
    assert is_valid_slug(slug)


@given(
    st.text(max_size=200),
    st.lists(st.text(alphabet="abc-", min_size=1, max_size=70), max_size=20),
)
def test_unique_slug_is_always_valid_and_free(name: str, taken: list[str]) -> None:
    slug = unique_slug(name, taken)
    assert is_valid_slug(slug)
    assert slug not in {t.lower() for t in taken}


# --- new_id -----------------------------------------------------------------------------------


def test_new_id_is_six_chars_starting_with_a_letter() -> None:
    seen: set[str] = set()
    for _ in range(500):
        promise_id = new_id(seen)
        assert re.fullmatch(r"[a-z][a-z0-9]{5}", promise_id), promise_id
        assert promise_id not in seen
        seen.add(promise_id)


def test_new_id_never_returns_a_taken_id(monkeypatch: pytest.MonkeyPatch) -> None:
    # Make the random source deterministic: first "aaaaaa", then "bbbbbb", then "cccccc".
    def letters() -> Iterator[str]:
        for ch in "abc":
            yield from ch * 6

    stream = letters()
    monkeypatch.setattr(secrets, "choice", lambda _seq: next(stream))
    assert new_id({"aaaaaa", "bbbbbb"}) == "cccccc"


# --- fold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Аскона", "askona"),
        ("аскона", "askona"),
        ("АСКОНА", "askona"),
        ("Askona", "askona"),
        ("Ёлка", "elka"),
        ("Café", "cafe"),
        ("Київ", "kiyiv"),
        ("Щука", "shchuka"),
    ],
)
def test_fold_for_search(text: str, key: str) -> None:
    assert fold(text) == key


def test_fold_finds_cyrillic_by_latin_query() -> None:
    assert "askona" in fold("Кровати Аскона")
    assert fold(unicodedata.normalize("NFD", "Ёлка")) == fold("Ёлка")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.text(alphabet="АаЁёЙйИиЩщЪъЫЬэЮяІіЇїЄєҐґЎўßẞİıØøŁłÆæŒœĐđÞþÐðΣσςÉé\u0306\u0308"
                          "\u0301ﬁⅫᴬᵸ Ab-1.", max_size=30))
def test_fold_is_transliteration_lowered(text: str) -> None:
    """fold takes C shortcuts; it must key every text as the plain definition does."""
    from tui.core.slugs import transliterate

    assert fold(text) == transliterate(text).lower()


def test_folds_table_has_every_capital_of_the_transliterated_letters() -> None:
    from tui.core.slugs import _FOLD, _TRANSLIT

    capitals = {ch for ch in map(chr, range(0x110000))
                if not 0xD800 <= ord(ch) < 0xE000 and ch.lower() in _TRANSLIT
                and ch not in _TRANSLIT}
    assert capitals and {chr(c) for c in _FOLD} - set(_TRANSLIT) == capitals


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
                | st.text(alphabet="АаЁёЙйИиЩщЪъΣσςÉé\u0306\u0301ﬁ \t\nAb-", max_size=12),
                max_size=8))
def test_fold_all_folds_each_text_as_fold_does(texts: list[str]) -> None:
    from tui.core.slugs import fold_all

    assert fold_all(texts) == [fold(t) for t in texts]
