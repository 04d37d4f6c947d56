"""The merge that understands Kept's files, on text in and text out.

Each test gives the three versions inline (base, ours, theirs) and checks the exact
merged text: what both sides changed is in it, untouched lines are byte for byte
ours (comments, quoting, blank lines), and a true conflict is recorded in valid YAML.
Then the git driver around it, on files the way git hands them over.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tui.vcs.merge import Merged, Unmergeable, kind_of, merge_bytes, run_driver
from tui.workspace.schema import Sink, read_client, read_promises, read_settings
from tui.workspace.text import conflict_markers
from tui.workspace.yamlio import parse

PROMISES = "clients/askona/promises.yaml"
CLIENT = "clients/askona/client.yaml"

BASE = """\
# Promises to and from Аскона
- id: k7m2p9
  text: Send the December media plan   # the big one
  owner: anna
  due: 2026-11-25
  status: open
  closed: null
  history:
    - {on: 2026-11-21, event: chased, why: asked for access}

- id: q4h8t2
  text: 'Access to Yandex: Metrica'
  by: client
  due: 2026-11-22
"""


def merge(base: str | None, ours: str, theirs: str, path: str = PROMISES) -> Merged:
    return merge_bytes(path, None if base is None else base.encode(), ours.encode(),
                       theirs.encode())


def text(merged: Merged) -> str:
    return merged.data.decode()


def edit(source: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in source, old
        source = source.replace(old, new)
    return source


NEW_OURS = """
- id: a1a1a1
  text: Ours
  due: 2026-11-30
"""
NEW_THEIRS = """
- id: b2b2b2
  text: Theirs   # a comment of theirs
  due: '2026-12-01 14:30'

- id: c3c3c3
  text: Theirs too
  due: 2026-12-02
"""


# --- promises ------------------------------------------------------------------------


def test_both_add_promises_ours_first_then_theirs_in_their_order() -> None:
    merged = merge(BASE, BASE + NEW_OURS, BASE + NEW_THEIRS)

    assert merged.conflicts == () and merged.notes == ()
    assert text(merged) == BASE + NEW_OURS + """
- id: b2b2b2
  text: Theirs
  due: '2026-12-01 14:30'

- id: c3c3c3
  text: Theirs too
  due: 2026-12-02
"""


def test_one_closes_while_the_other_moves_and_chases() -> None:
    ours = edit(BASE, ("  status: open\n  closed: null\n",
                       "  status: done\n  closed: 2026-11-23\n"))
    theirs = edit(BASE, ("  due: 2026-11-25\n", "  due: 2026-11-27   # moved\n"),
                  ("    - {on: 2026-11-21, event: chased, why: asked for access}\n",
                   "    - {on: 2026-11-21, event: chased, why: asked for access}\n"
                   "    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-27, why: access}\n"))

    merged = merge(BASE, ours, theirs)

    assert merged.conflicts == ()
    assert text(merged) == edit(ours, ("  due: 2026-11-25\n", "  due: 2026-11-27\n"),
                                ("asked for access}\n", "asked for access}\n"
                                 "    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-27, "
                                 "why: access}\n"))


def test_history_is_a_union_in_order_without_duplicates() -> None:
    entry = "    - {on: 2026-11-21, event: chased, why: asked for access}\n"
    a = "    - {on: 2026-11-22, event: chased, why: again}\n"
    b = "    - {on: 2026-11-23, event: chased, why: and again}\n"
    c = "    - {on: 2026-11-24, event: chased, why: still nothing}\n"
    ours = edit(BASE, (entry, entry + a + b))
    theirs = edit(BASE, (entry, entry + b + c))

    merged = merge(BASE, ours, theirs)

    assert text(merged) == edit(BASE, (entry, entry + a + b + c))


def test_the_same_field_changed_differently_is_recorded_not_lost() -> None:
    ours = edit(BASE, ("  due: 2026-11-25\n", "  due: 2026-11-26\n"))
    theirs = edit(BASE, ("  due: 2026-11-25\n", "  due: 2026-11-27\n"))

    merged = merge(BASE, ours, theirs)

    assert text(merged) == edit(ours, (
        "asked for access}\n",
        "asked for access}\n  conflict:\n    due: {theirs: 2026-11-27, base: 2026-11-25}\n"))
    [conflict] = merged.conflicts
    assert (conflict.record, conflict.field, conflict.mine, conflict.theirs,
            conflict.base) == ("k7m2p9", "due", "2026-11-26", "2026-11-27", "2026-11-25")
    assert str(conflict) == ("promise k7m2p9 due was changed on both sides: yours "
                             "2026-11-26, theirs 2026-11-27")
    # The promise still loads, with our value; the entry is an error at its line.
    sink = Sink(PROMISES)
    [(promise, ok)] = read_promises(sink, "askona", parse(text(merged), PROMISES)[0])[:1]
    assert ok and str(promise.due) == "2026-11-26"
    assert [(p.line, p.col, p.message) for p in sink.problems] == [
        (11, 5, "conflict: due was changed on both sides: yours 2026-11-26, theirs "
                "2026-11-27 (before: 2026-11-25); keep one and delete the conflict entry")]


def test_a_field_removed_on_one_side_and_changed_on_the_other() -> None:
    ours = edit(BASE, ("  owner: anna\n", "  owner: ivan\n"))
    theirs = edit(BASE, ("  owner: anna\n", ""))

    merged = merge(BASE, ours, theirs)

    assert "  conflict:\n    owner: {base: anna}\n" in text(merged)
    assert merged.conflicts[0].theirs == "not set"
    sink = Sink(PROMISES)
    read_promises(sink, "askona", parse(text(merged), PROMISES)[0])
    assert "yours ivan, theirs not set (before: anna)" in sink.problems[0].message


def test_a_field_removed_on_one_side_only_goes() -> None:
    merged = merge(BASE, BASE, edit(BASE, ("  closed: null\n", "")))
    assert text(merged) == edit(BASE, ("  closed: null\n", ""))
    ours = edit(BASE, ("  status: open\n", "  status: open   # still\n"))
    merged = merge(BASE, ours, edit(BASE, ("  owner: anna\n", "")))
    assert text(merged) == edit(ours, ("  owner: anna\n", ""))


def test_null_and_absent_are_the_same_nothing() -> None:
    ours = edit(BASE, ("  closed: null\n", "  closed: 2026-11-23\n"),
                ("  status: open\n", "  status: done\n"))
    theirs = edit(BASE, ("  closed: null\n", ""))
    merged = merge(BASE, ours, theirs)
    assert text(merged) == ours and merged.conflicts == ()


def test_a_promise_deleted_on_one_side_and_changed_on_the_other_is_kept() -> None:
    gone = BASE.split("\n- id: q4h8t2")[0] + "\n"
    moved = edit(BASE, ("  due: 2026-11-22\n", "  due: 2026-11-24\n"))

    merged = merge(BASE, gone, moved)
    assert "- id: q4h8t2" in text(merged) and "due: 2026-11-24" in text(merged)
    assert merged.notes == ("promise q4h8t2 was deleted on this side but changed on the "
                            "other: kept it",)
    merged = merge(BASE, moved, gone)
    assert text(merged) == moved
    assert merged.notes == ("promise q4h8t2 was deleted on the other side but changed on "
                            "this one: kept it",)


def test_a_promise_deleted_on_one_side_and_untouched_on_the_other_goes() -> None:
    gone = BASE.split("\n- id: q4h8t2")[0] + "\n"
    ours = edit(BASE, ("  status: open\n", "  status: done\n"))
    merged = merge(BASE, ours, gone)
    assert text(merged) == edit(gone, ("  status: open\n", "  status: done\n"))
    assert merged.notes == ()


def test_both_sides_added_the_file() -> None:
    ours = "- id: a1a1a1\n  text: Ours\n  due: 2026-11-30\n"
    theirs = "- id: b2b2b2\n  text: Theirs\n  due: 2026-12-01\n"
    assert text(merge(None, ours, theirs)) == ours + theirs


def test_the_same_promise_added_on_both_sides_with_different_texts() -> None:
    ours = "- id: a1a1a1\n  text: Ours\n  due: 2026-11-30\n"
    theirs = "- id: a1a1a1\n  text: Theirs\n  due: 2026-11-30\n"
    merged = merge(None, ours, theirs)
    assert text(merged) == ours + "  conflict:\n    text: {theirs: Theirs}\n"


def test_a_resolution_on_one_side_wins_over_the_old_entry() -> None:
    recorded = edit(BASE, ("asked for access}\n", "asked for access}\n  conflict:\n"
                           "    due: {theirs: 2026-11-27, base: 2026-11-24}\n"))
    resolved = edit(BASE, ("  due: 2026-11-25\n", "  due: 2026-11-27\n"))
    other = edit(recorded, ("  by: client\n", "  by: client\n  to: Ольга\n"))

    merged = merge(recorded, resolved, other)

    assert text(merged) == edit(resolved, ("  by: client\n", "  by: client\n  to: Ольга\n"))


def test_crlf_and_a_bom_are_kept() -> None:
    base = "\ufeff" + BASE.replace("\n", "\r\n")
    ours = base + NEW_OURS.replace("\n", "\r\n")
    theirs = base + "\r\n- id: b2b2b2\r\n  text: Theirs\r\n  due: 2026-12-01\r\n"
    merged = merge_bytes(PROMISES, base.encode(), ours.encode(), theirs.encode())
    assert merged.data.decode() == ours + "\r\n- id: b2b2b2\r\n  text: Theirs\r\n" \
                                          "  due: 2026-12-01\r\n"


@pytest.mark.parametrize("broken", [
    "- id: k7m2p9\n  due: [2026-11-25\n",
    "<<<<<<< HEAD\n- id: a\n=======\n- id: b\n>>>>>>> x\n",
    "- id: k7m2p9\n  text: a\n- id: k7m2p9\n  text: b\n",  # the same id twice
    "name: not a list\n",
])
def test_what_cannot_be_merged_as_data_is_refused(broken: str) -> None:
    with pytest.raises(Unmergeable):
        merge(BASE, BASE + NEW_OURS, broken)


# --- client.yaml and kept.yaml -------------------------------------------------------

CARD = """\
name: Аскона   # the key account
status: active
owner: anna
services: [seo, smm]
contacts:
  - name: Ольга П. Петрова
    role: Marketing director
    phone: "+7 900 000-00-00"
  - name: Пётр Иванов
    email: petr@askona.example
billing:
  currency: RUB
  monthly_fee: 150000
  invoices:
    - number: "2026-118"
      amount: 150000
      paid: null
"""


def test_a_card_merges_key_by_key_and_contacts_by_name() -> None:
    ours = edit(CARD, ('"+7 900 000-00-00"', '"+7 900 111-11-11"'),
                ("services: [seo, smm]", "services: [seo, smm, context]"))
    theirs = edit(CARD, ("    email: petr@askona.example\n",
                         "    email: petr@askona.example\n    urgent: true\n"),
                  ("      paid: null\n", "      paid: 2026-11-20\n"),
                  ("services: [seo, smm]", "services: [seo, smm, video]"),
                  ("owner: anna\n", "owner: anna\nbackup: ivan\n"))

    merged = merge(CARD, ours, theirs, CLIENT)

    assert merged.conflicts == ()
    assert text(merged) == edit(ours, ("    email: petr@askona.example\n",
                                       "    email: petr@askona.example\n    urgent: true\n"),
                                ("      paid: null\n", "      paid: 2026-11-20\n"),
                                ("services: [seo, smm, context]",
                                 "services: [seo, smm, context, video]"),
                                ("owner: anna\n", "owner: anna\nbackup: ivan\n"))


def test_a_contact_field_in_conflict_is_named_by_its_path() -> None:
    ours = edit(CARD, ('"+7 900 000-00-00"', '"+7 900 111-11-11"'),
                ("      amount: 150000\n", "      amount: 160000\n"))
    theirs = edit(CARD, ('"+7 900 000-00-00"', '"+7 900 222-22-22"'),
                  ("      amount: 150000\n", "      amount: 170000\n"))

    merged = merge(CARD, ours, theirs, CLIENT)

    assert text(merged) == ours + (
        "conflict:\n"
        "  contacts.Ольга П. Петрова.phone: {theirs: +7 900 222-22-22, base: +7 900 000-00-00}\n"
        "  billing.invoices.2026-118.amount: {theirs: 170000, base: 150000}\n")
    sink = Sink(CLIENT)
    client, ok = read_client(sink, "askona", parse(text(merged), CLIENT)[0])
    assert ok and client is not None and client.contacts[0].phone == "+7 900 111-11-11"
    assert [p.message.split(";")[0] for p in sink.problems] == [
        "conflict: contacts.Ольга П. Петрова.phone was changed on both sides: yours "
        "+7 900 111-11-11, theirs +7 900 222-22-22 (before: +7 900 000-00-00)",
        "conflict: billing.invoices.2026-118.amount was changed on both sides: yours "
        "160000, theirs 170000 (before: 150000)"]


def test_contacts_added_on_both_sides_and_one_removed() -> None:
    ours = CARD.replace("contacts:\n", "contacts:\n  - name: Анна Новая\n    role: PR\n")
    theirs = edit(CARD, ("  - name: Пётр Иванов\n    email: petr@askona.example\n",
                         "  - name: Вера\n    role: SMM\n"))
    merged = merge(CARD, ours, theirs, CLIENT)
    assert text(merged) == edit(ours, ("  - name: Пётр Иванов\n    email: petr@askona.example\n",
                                       "  - name: Вера\n    role: SMM\n"))


def test_team_members_merge_by_handle() -> None:
    settings = ("kept: 1\nname: Acme\nteam:\n  - handle: anna\n    email: anna@acme.example\n"
                "follow_up: [1d, 3d]\n")
    ours = edit(settings, ("follow_up: [1d, 3d]\n", "follow_up: [1d, 3d]\n"),
                ("team:\n", "team:\n  - handle: ivan\n    email: ivan@acme.example\n"))
    theirs = edit(settings, ("anna@acme.example", "anna@acme.ru"),
                  ("follow_up: [1d, 3d]", "follow_up: [1d, 1w]"))
    merged = merge(settings, ours, theirs, "kept.yaml")
    # A flow list that changed is written whole (quoting what YAML 1.1 reads as numbers).
    assert text(merged) == edit(ours, ("anna@acme.example", "anna@acme.ru"),
                                ("follow_up: [1d, 3d]", "follow_up: [1d, 1w]"))
    both = merge(settings, edit(settings, ("[1d, 3d]", "[2d]")),
                 edit(settings, ("[1d, 3d]", "[1w]")), "kept.yaml")
    assert text(both).endswith("conflict:\n  follow_up: {theirs: [1w], base: [1d, 3d]}\n")
    sink = Sink("kept.yaml")
    read_settings(sink, parse(text(both), "kept.yaml")[0], "x")
    assert sink.problems[0].message.startswith(
        'conflict: follow_up was changed on both sides: yours ["2d"], theirs ["1w"]')


def test_kind_of_knows_the_files() -> None:
    assert kind_of("clients/a/promises.yaml") == "promises"
    assert kind_of("sub/clients/a/client.yaml") == "client"
    assert kind_of("kept.yaml") == "settings"
    assert kind_of("clients/a/notes/x.md") is None


# --- the driver git runs -------------------------------------------------------------


def _files(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[str, str, str]:
    paths = []
    for name, content in (("O", base), ("A", ours), ("B", theirs)):
        path = tmp_path / f".merge_file_{name}"
        path.write_text(content, encoding="utf-8")
        paths.append(str(path))
    return paths[0], paths[1], paths[2]


def test_the_driver_writes_the_merge_into_ours(tmp_path: Path) -> None:
    o, a, b = _files(tmp_path, BASE, BASE + NEW_OURS, BASE + NEW_THEIRS)
    err = io.StringIO()
    assert run_driver(o, a, b, PROMISES, err) == 0
    assert "- id: b2b2b2" in Path(a).read_text() and err.getvalue() == ""


def test_the_driver_exits_1_on_a_recorded_conflict(tmp_path: Path) -> None:
    o, a, b = _files(tmp_path, BASE, BASE.replace("11-25", "11-26"), BASE.replace("11-25",
                                                                                  "11-27"))
    err = io.StringIO()
    assert run_driver(o, a, b, PROMISES, err) == 1
    assert "conflict:\n    due: {theirs: 2026-11-27" in Path(a).read_text()
    assert err.getvalue() == (f"kept: {PROMISES}: promise k7m2p9 due was changed on both "
                              "sides: yours 2026-11-26, theirs 2026-11-27; recorded under "
                              "'conflict:' (kept check lists it)\n")


def test_the_driver_falls_back_to_a_line_merge(tmp_path: Path) -> None:
    broken = BASE.replace("  due: 2026-11-22\n", "  due: [2026-11-22\n")
    # A broken side, changed away from the other side's change: git merges the lines.
    o, a, b = _files(tmp_path, BASE, broken, BASE.replace("Send the", "Send our"))
    err = io.StringIO()
    assert run_driver(o, a, b, PROMISES, err) == 0
    assert Path(a).read_text() == broken.replace("Send the", "Send our")
    assert "merging it line by line" in err.getvalue()
    # The same line changed: git's markers, and exit 1, as git would do.
    o, a, b = _files(tmp_path, BASE, broken, BASE.replace("  due: 2026-11-22\n",
                                                          "  due: 2026-11-23\n"))
    assert run_driver(o, a, b, PROMISES, io.StringIO()) == 1
    assert conflict_markers(Path(a).read_text())


def test_the_driver_never_raises(tmp_path: Path) -> None:
    err = io.StringIO()
    missing = str(tmp_path / "gone")
    assert run_driver(missing, missing, missing, PROMISES, err) == 1
    assert err.getvalue().startswith("kept: clients/askona/promises.yaml: FileNotFoundError")
