"""Jump search (tui.services.search): what a few typed letters find, and in what order.

The workspace is real files read by the library; the queries are what a person types
in the jump dialog, in either alphabet.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import WriteWorkspace
from tui.core.slugs import fold
from tui.services.context import Session
from tui.services.search import KIND_BONUS, SearchIndex, score

CLIENTS = {
    "askona": "name: Аскона\nstatus: active\ncontacts:\n  - name: Ольга Петрова\n"
              "    role: Marketing director\n",
    "greenfield-dental": "name: Greenfield Dental\nstatus: active\n",
    "planeta": "name: Планета Фитнес\nstatus: paused\n",
    "northwind": "name: Northwind Coffee\nstatus: lead\n",
}
PROMISES = {
    "askona": [("a1b2c3", "Send the December media plan"),
               ("d4e5f6", "Отправить медиаплан на январь"),
               ("g7h8i9", "Explanation of the budget\tfor Ольга")],
    "northwind": [("j1k2l3", "Proposal for the spring menu launch — check Sarah has read it"),
                  ("m4n5o6", "Plan the spring launch")],
}


def promises_yaml(items: list[tuple[str, str]]) -> str:
    return "".join(f'- id: {pid}\n  text: "{text}"\n  due: 2026-12-20\n'
                   for pid, text in items).replace("\t", "\\t")


@pytest.fixture
def index(write_ws: WriteWorkspace, session_at: Callable[..., Session]) -> SearchIndex:
    files = {f"clients/{slug}/client.yaml": text for slug, text in CLIENTS.items()}
    files |= {f"clients/{slug}/promises.yaml": promises_yaml(items)
              for slug, items in PROMISES.items()}
    files["clients/askona/notes/2026-11-20-kickoff.md"] = (
        "---\ndate: 2026-11-20\nkind: meeting\ntitle: Стратегия на 2027\n---\nWe met.\n")
    session = session_at(write_ws(files))
    assert not session.view.problems
    return SearchIndex(session.ws)


def keys(index: SearchIndex, query: str, limit: int = 50) -> list[str]:
    return [f"{h.kind}:{h.key}" for h in index.search(query, limit)]


def test_either_alphabet_finds_the_other(index: SearchIndex) -> None:
    assert keys(index, "ask")[0] == "client:askona"
    assert keys(index, "аск")[0] == "client:askona"
    assert keys(index, "strategiya") == ["note:clients/askona/notes/2026-11-20-kickoff.md"]
    assert "contact:askona/Ольга Петрова" in keys(index, "olga")


def test_every_word_typed_must_be_found(index: SearchIndex) -> None:
    # The words together first; then both words anywhere ("медиаплан" holds both).
    assert keys(index, "media plan") == ["promise:a1b2c3", "promise:d4e5f6"]
    assert set(keys(index, "plan media")) == {"promise:a1b2c3", "promise:d4e5f6"}
    assert keys(index, "media zebra") == []


def test_a_start_beats_a_word_start_which_beats_the_inside_of_a_word(
        index: SearchIndex) -> None:
    found = keys(index, "plan")
    assert found.index("promise:m4n5o6") < found.index("promise:a1b2c3")  # Plan the…
    assert found.index("promise:a1b2c3") < found.index("promise:g7h8i9")  # Explanation
    assert found[0] == "client:planeta"  # Планета: a client's start, first of all


def test_initials_and_a_letter_left_out_are_found_but_scattered_letters_are_not(
        index: SearchIndex) -> None:
    assert keys(index, "gd")[0] == "client:greenfield-dental"
    assert keys(index, "nc")[0] == "client:northwind"
    assert keys(index, "askna")[0] == "client:askona"  # a typo
    # r-o-m-a-s-h are all in the Northwind proposal, over six words: no match.
    assert keys(index, "ромаш") == []
    assert score("romash", "proposal for the spring menu launch — check sarah has read it") == 0


def test_a_promise_id_finds_it(index: SearchIndex) -> None:
    assert keys(index, "j1k2l3") == ["promise:j1k2l3"]


def test_a_tab_in_a_text_neither_hides_it_nor_shifts_the_others(index: SearchIndex) -> None:
    assert keys(index, "budget") == ["promise:g7h8i9"]
    assert keys(index, "for olga") == ["promise:g7h8i9"]
    assert keys(index, "spring menu") == ["promise:j1k2l3"]


def test_a_hit_says_where_it_is(index: SearchIndex) -> None:
    [hit] = index.search("медиаплан на")
    assert (hit.kind, hit.client, hit.path, hit.line) == (
        "promise", "askona", "clients/askona/promises.yaml", 4)
    assert hit.detail == "Аскона · due 2026-12-20"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # read-only
@given(query=st.text(alphabet="aeiouплнtrsdgк ", min_size=1, max_size=2),
       limit=st.integers(1, 6))
def test_the_first_few_hits_are_the_top_of_the_whole_ranking(
        index: SearchIndex, query: str, limit: int) -> None:
    """A letter or two is answered from the candidates that start with it when there
    are enough of them; that must be the head of the ranking of every candidate."""
    q = " ".join(fold(query).split())
    every = sorted(
        ((score(q, text) + KIND_BONUS[c.kind], c) for text, c in
         zip(index._texts, index._candidates, strict=True) if score(q, text)),
        key=lambda r: (-r[0], r[1].kind, r[1].title))
    assert keys(index, query, limit) == [f"{c.kind}:{c.key}" for _, c in every[:limit]]
