"""Reading YAML safely and writing values that read back the same.

``parse`` is the only door from a file into Kept: it must place every key and value at
the line and column a person sees, read YAML 1.2 (``no`` is text), refuse anything that
could build objects or run code, survive hostile input (alias bombs, deep nesting) and
turn every syntax error into one problem with a position. ``render_scalar`` and
``render_flow`` are the way back: whatever a person types must read back as exactly
that text.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.core.dates import Due
from tui.errors import Problem, Severity
from tui.workspace.yamlio import (
    Map,
    Node,
    Scalar,
    Seq,
    parse,
    render_flow,
    render_scalar,
    to_python,
)

# --- helpers -------------------------------------------------------------------------


def parse_ok(text: str) -> Node:
    """Parse text that must be free of problems."""
    root, problems = parse(text, "p.yaml")
    assert problems == []
    assert root is not None
    return root


def only_problem(text: str, path: str = "p.yaml") -> tuple[Node | None, Problem]:
    root, problems = parse(text, path)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.severity is Severity.ERROR
    assert problem.path == path
    return root, problem


def scalar(node: Node | None) -> Scalar:
    assert isinstance(node, Scalar)
    return node


def mapping(node: Node | None) -> Map:
    assert isinstance(node, Map)
    return node


def seq(node: Node | None) -> Seq:
    assert isinstance(node, Seq)
    return node


def value_of(text: str, key: str = "k") -> Scalar:
    """The scalar under ``key`` of a one-mapping document, read without problems."""
    return scalar(mapping(parse_ok(text)).get(key))


# --- positions -----------------------------------------------------------------------

PROMISES = """\
# Аскона
- id: 7k3q9m
  text:   Send the plan
  closed:
  tags: [seo, smm]
  history:
    - {to: Ольга, why: x}
"""


def test_keys_and_values_are_placed_at_their_line_and_column() -> None:
    root = seq(parse_ok(PROMISES))
    assert (root.line, root.col) == (2, 1)
    item = mapping(root.items[0])
    assert (item.line, item.col) == (2, 3)
    assert item.keys() == ["id", "text", "closed", "tags", "history"]

    where = {
        key.value: ((key.line, key.col), (value.line, value.col))
        for key, value in item.pairs
    }
    assert where == {
        "id": ((2, 3), (2, 7)),
        "text": ((3, 3), (3, 11)),  # the value, not the spaces before it
        "closed": ((4, 3), (4, 10)),  # empty: right after its colon, not on line 5
        "tags": ((5, 3), (5, 9)),
        "history": ((6, 3), (7, 5)),
    }
    tags = seq(item.get("tags"))
    assert [(t.line, t.col) for t in tags.items] == [(5, 10), (5, 15)]


def test_columns_count_characters_not_bytes() -> None:
    root = seq(parse_ok(PROMISES))
    entry = mapping(seq(mapping(root.items[0]).get("history")).items[0])
    assert (entry.line, entry.col) == (7, 7)
    why = entry.key_node("why")
    assert why is not None
    # "    - {to: Ольга, " is 18 characters (Cyrillic letters are 2 bytes each)
    assert (why.line, why.col) == (7, 19)


def test_empty_value_text_and_kind() -> None:
    closed = scalar(mapping(seq(parse_ok(PROMISES)).items[0]).get("closed"))
    assert closed.value == ""
    assert closed.kind == "null"
    assert closed.to_python() is None
    # the spot just after the colon is where an edit would type the value
    assert PROMISES[closed.start - len("  closed:") : closed.start] == "  closed:"
    assert closed.start == closed.end


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("closed:\n", 1, 8),
        ("closed:", 1, 8),  # no final newline
        ("closed:    # later\nnext: 1\n", 1, 8),
        ("a: 1\nclosed:\n\n\nnext: 1\n", 2, 8),
        ("- closed:\n- x\n", 1, 10),
        ("{closed: , next: 1}\n", 1, 9),
    ],
)
def test_an_empty_value_sits_right_after_its_colon(text: str, line: int, col: int) -> None:
    root = parse_ok(text)
    holder = mapping(seq(root).items[0] if isinstance(root, Seq) else root)
    closed = scalar(holder.get("closed"))
    assert (closed.kind, closed.value) == ("null", "")
    assert (closed.line, closed.col) == (line, col)


def test_line_offset_shifts_positions_and_problems() -> None:
    root, problems = parse("date: 2026-11-20\ntitle: Kickoff\n", "n.md", line_offset=1)
    assert problems == []
    title = mapping(root).key_node("title")
    assert title is not None and (title.line, title.col) == (3, 1)

    root, problems = parse("a: 1\nb: x: y\n", "n.md", line_offset=3)
    assert root is None
    assert [(p.line, p.col) for p in problems] == [(5, 5)]


# --- YAML 1.2 meaning ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind", "python"),
    [
        ("no", "str", "no"),
        ("on", "str", "on"),
        ("yes", "str", "yes"),
        ("off", "str", "off"),
        ("y", "str", "y"),
        ("=", "str", "="),  # YAML 1.2 has no "value" type
        ("true", "bool", True),
        ("False", "bool", False),
        ("~", "null", None),
        ("null", "null", None),
        ("0123", "int", 123),  # decimal in YAML 1.2, not octal
        ("0o17", "int", 15),
        ("0x1F", "int", 31),
        ("-42", "int", -42),
        ("1.10", "float", 1.1),
        ("1e5", "float", 100000.0),
        ("2026-11-25", "timestamp", "2026-11-25"),
        ("Аскона", "str", "Аскона"),
        ("'0123'", "str", "0123"),
    ],
)
def test_values_follow_yaml_1_2_and_keep_their_text(written: str, kind: str,
                                                    python: object) -> None:
    node = value_of(f"k: {written}\n")
    assert node.kind == kind
    assert node.to_python() == python
    assert node.value == written.strip("'")  # the text as written, never reformatted


def test_numbers_keep_their_text_for_ids_and_invoice_numbers() -> None:
    root = mapping(parse_ok("number: 0123\nrate: 1.10\nfee: 150_000\n"))
    assert [scalar(v).value for _, v in root.pairs] == ["0123", "1.10", "150_000"]


@pytest.mark.parametrize("written", ["0x_", "0b_", "0o_", "._", "-._"])
def test_text_that_only_looks_like_a_number_never_crashes(written: str) -> None:
    """The resolver calls these numbers, Python cannot read them: text or a problem."""
    root, problems = parse(f"k: {written}\n", "p.yaml")
    try:
        value = to_python(root)
    except ValueError as exc:  # pragma: no cover - the failure being guarded against
        pytest.fail(f"to_python raised on 'k: {written}': {exc!r}")
    if problems:
        assert [(p.line, p.col, p.severity) for p in problems] == [(1, 4, Severity.ERROR)]
    else:
        assert value == {"k": written}


def test_core_tags_that_fit_their_text_are_read() -> None:
    root = mapping(parse_ok("phone: !!str 0123\nfee: !!int 150000\n"))
    assert [(scalar(v).kind, scalar(v).value) for _, v in root.pairs] == [
        ("str", "0123"), ("int", "150000")]


@pytest.mark.parametrize("written", ["!!int abc", "!!float abc", "!!int 0x", "!!bool maybe"])
def test_a_core_tag_on_text_it_does_not_fit_is_a_problem(written: str) -> None:
    root, problems = parse(f"k: {written}\n", "p.yaml")
    assert [(p.line, p.col, p.severity) for p in problems] == [(1, 4, Severity.ERROR)]
    try:
        to_python(root)
    except ValueError as exc:  # pragma: no cover - the failure being guarded against
        pytest.fail(f"to_python raised on 'k: {written}': {exc!r}")


# --- duplicate keys ------------------------------------------------------------------


def test_duplicate_key_is_an_error_naming_the_first_line() -> None:
    root, problem = only_problem("- id: 7k3q9m\n  due: 2026-11-25\n  text: x\n  due: 2026-11-26\n")
    assert (problem.line, problem.col) == (4, 3)
    assert "duplicate key 'due'" in problem.message
    assert "line 2" in problem.message
    item = mapping(seq(root).items[0])
    assert item.broken is True
    assert scalar(item.get("due")).value == "2026-11-25"  # the first one, never overwritten


def test_a_map_without_duplicates_is_not_broken() -> None:
    assert mapping(parse_ok("a: 1\nb: 2\n")).broken is False


# --- tags, merge keys, aliases -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("k: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
        ("k: !!python/name:os.system\n", "!!python/name:os.system"),
        ("k: !custom x\n", "!custom"),
        ("k: !!binary aGVsbG8=\n", "!!binary"),
        ("k: !!set {x, y}\n", "!!set"),
        ("k: !!omap [x: 1]\n", "!!omap"),
    ],
)
def test_tags_beyond_the_core_ones_are_errors(text: str, tag: str) -> None:
    root, problem = only_problem(text)
    assert (problem.line, problem.col) == (1, 4)
    assert tag in problem.message
    node = scalar(mapping(root).get("k"))
    assert node.kind == "invalid"


def test_a_tag_never_runs_code(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    texts = [
        f"k: !!python/object/apply:os.system ['touch {canary}']\n",
        f"k: !!python/object/apply:os.system\n  args: ['touch {canary}']\n",
        f"- !!python/object/new:os.system ['touch {canary}']\n",
        "k: !!python/object/apply:builtins.open\n"
        f"  args: ['{canary}', 'w']\n",
    ]
    for text in texts:
        root, problems = parse(text, "p.yaml")
        assert problems and all(p.is_error for p in problems)
        to_python(root)
        assert not canary.exists(), text


def test_merge_keys_are_an_error() -> None:
    text = "base: &b {by: us}\npromise:\n  <<: *b\n  text: x\n"
    _, problem = only_problem(text)
    assert (problem.line, problem.col) == (3, 3)
    assert "merge keys" in problem.message


def test_an_anchor_and_alias_within_bounds_is_read() -> None:
    root = mapping(parse_ok("a: &x Ольга\nb: *x\n"))
    assert to_python(root) == {"a": "Ольга", "b": "Ольга"}


def test_an_alias_bomb_gives_a_problem_and_no_tree() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    root, problem = only_problem("\n".join(lines) + "\n")
    assert root is None
    assert "aliases" in problem.message


def test_an_alias_that_contains_itself_is_a_problem() -> None:
    root, problems = parse("&a [*a]\n", "p.yaml")
    assert problems and all(p.is_error for p in problems)
    to_python(root)  # a finite tree, whatever was kept of it


@pytest.mark.parametrize(
    ("text", "col"),
    # deeper than Python's recursion limit; the place is where it goes too deep
    [("[" * 5000, 101), ("{a: " * 5000, 401), ("- " * 5000 + "x\n", 1)],
    ids=["flow-lists", "flow-mappings", "block-lists"],
)
def test_deep_nesting_is_a_problem_not_a_recursion_error(text: str, col: int) -> None:
    root, problems = parse(text, "p.yaml")
    assert root is None
    assert [(p.line, p.col) for p in problems] == [(1, col)]
    assert "nested more than" in problems[0].message


def test_nesting_a_little_too_deep_keeps_the_rest() -> None:
    root, problems = parse("[" * 150 + "]" * 150 + "\n", "p.yaml")
    assert isinstance(root, Seq)
    assert len(problems) == 1
    assert "nested more than 100 levels deep" in problems[0].message


# --- syntax errors -------------------------------------------------------------------


def test_unclosed_quote() -> None:
    text = '- id: a1b2c3\n  text: "Send the plan\n  due: 2026-11-25\n'
    root, problem = only_problem(text)
    assert root is None
    # YAML notices only at the end of the file (a quoted text may span lines); the
    # useful place is where the quote opens
    assert (problem.line, problem.col) == (2, 9)
    assert "quote" in problem.message


def test_bad_indentation() -> None:
    root, problem = only_problem("- id: a1b2c3\n  text: x\n due: 2026-11-25\n")
    assert root is None
    assert (problem.line, problem.col) == (3, 2)
    assert problem.message.startswith("YAML syntax: ")
    assert "indent" in problem.message
    assert "<" not in problem.message  # no parser token names like <block end>


def test_a_tab_used_for_indentation_says_spaces() -> None:
    root, problem = only_problem("- id: a1b2c3\n  text: x\n\tdue: 2026-11-25\n")
    assert root is None
    assert (problem.line, problem.col) == (3, 1)
    assert "tab" in problem.message and "spaces" in problem.message


def test_a_second_colon_on_a_line() -> None:
    root, problem = only_problem("- id: a1b2c3\n  text: Note: call back\n")
    assert root is None
    assert (problem.line, problem.col) == (2, 13)
    assert "quotes" in problem.message


def test_key_value_other() -> None:
    root, problem = only_problem("key: value: other\n")
    assert root is None
    assert (problem.line, problem.col) == (1, 11)


def test_two_documents() -> None:
    root, problem = only_problem("- id: a1b2c3\n---\n- id: d4e5f6\n")
    assert root is None
    assert (problem.line, problem.col) == (2, 1)
    assert "more than one YAML document" in problem.message


def test_an_alias_without_anchor() -> None:
    root, problem = only_problem("to: *olga\n")
    assert root is None
    assert (problem.line, problem.col) == (1, 5)
    assert "anchor" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "col", "code"),
    [
        ("k: \x07\n", 1, 4, "U+0007"),
        ("a: 1\nk: x\x1b\n", 2, 5, "U+001B"),
    ],
)
def test_a_control_character_is_a_problem_not_a_crash(text: str, line: int, col: int,
                                                      code: str) -> None:
    root, problem = only_problem(text)
    assert root is None
    assert (problem.line, problem.col) == (line, col)
    assert code in problem.message


def test_empty_text_is_nothing_and_no_problem() -> None:
    assert parse("", "p.yaml") == (None, [])


def test_comments_only_is_nothing_and_no_problem() -> None:
    assert parse("# promises\n# none yet\n", "p.yaml") == (None, [])


# --- rendering -----------------------------------------------------------------------


def read_back(rendered: str) -> Scalar:
    return value_of("k: " + rendered + "\n")


def read_back_flow(rendered: str) -> Scalar:
    inner = mapping(mapping(parse_ok("k: " + rendered + "\n")).get("k"))
    return scalar(inner.get("k"))


# Characters that trip YAML writers: quotes, escapes, indicators, line and paragraph
# separators, the BOM, NEL, control characters, Cyrillic and emoji.
TRICKY = st.sampled_from(
    list("'\"\\:#,[]{}&*!|>%@`-?~ \t\n\r\x00\x07\x1b\x7f\x85\u2028\u2029\ufeffяЁ😀=<")
)
TEXTS = st.text() | st.text(TRICKY) | st.lists(st.text(TRICKY) | st.text(), max_size=4).map(
    ": ".join
) | st.lists(st.text(TRICKY) | st.text(), max_size=4).map(" #".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
@example("")
@example("=")
@example("<<")
@example(" leading and trailing ")
@example("Note: call back # later")
@example("line one\nline two\n")
@example("\ufeffBOM inside")
@example("tab\there")
@example("para\u2028graph")
@example("- not a list")
@example("Ольга Петрова 🙂")
def test_render_scalar_reads_back_as_the_same_text(s: str) -> None:
    node = read_back(render_scalar(s))
    assert node.kind == "str"
    assert node.value == s


@settings(max_examples=400, deadline=None)
@given(TEXTS)
@example("a, b")
@example("[x]")
@example("{y}")
@example("=")
@example("waiting for analytics access, then call")
def test_render_flow_reads_back_as_the_same_text(s: str) -> None:
    node = read_back_flow(render_flow({"k": s}))
    assert node.kind == "str"
    assert node.value == s


@settings(max_examples=200, deadline=None)
@given(st.integers())
def test_integers_read_back(n: int) -> None:
    node = read_back(render_scalar(n))
    assert node.kind == "int"
    assert node.to_python() == n


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False))
def test_floats_read_back(x: float) -> None:
    node = read_back(render_scalar(x))
    assert node.kind == "float"
    assert node.to_python() == x


def test_nan_reads_back() -> None:
    node = read_back(render_scalar(float("nan")))
    assert node.kind == "float"
    value = node.to_python()
    assert value != value


@pytest.mark.parametrize(
    ("value", "rendered", "kind", "python"),
    [
        (True, "true", "bool", True),
        (False, "false", "bool", False),
        (None, "null", "null", None),
        (0, "0", "int", 0),
        (150000, "150000", "int", 150000),
        (date(2026, 11, 25), "2026-11-25", "timestamp", "2026-11-25"),
        (Due(date(2026, 11, 25)), "2026-11-25", "timestamp", "2026-11-25"),
        (Due(date(2026, 11, 23), time(14, 30)), "'2026-11-23 14:30'", "str",
         "2026-11-23 14:30"),
    ],
)
def test_plain_python_values_render_and_read_back(value: object, rendered: str, kind: str,
                                                  python: object) -> None:
    assert render_scalar(value) == rendered
    node = read_back(rendered)
    assert node.kind == kind
    assert node.to_python() == python


@settings(max_examples=100, deadline=None)
@given(st.dates())
def test_dates_read_back(day: date) -> None:
    node = read_back(render_scalar(day))
    assert node.kind == "timestamp"
    assert node.value == day.isoformat()
    assert read_back_flow(render_flow({"k": day})).value == day.isoformat()


@pytest.mark.parametrize("text", ["Send the plan", "Аскона", "Ольга Петрова", "it's done",
                                  "waiting for analytics access", "a,b", "e5", "😀"])
def test_ordinary_text_stays_plain(text: str) -> None:
    assert render_scalar(text) == text


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("yes", "'yes'"),
        ("no", "'no'"),
        ("on", "'on'"),
        ("Off", "'Off'"),
        ("null", "'null'"),
        ("~", "'~'"),
        ("true", "'true'"),
        ("123", "'123'"),
        ("0123", "'0123'"),
        ("1.10", "'1.10'"),
        ("2026-11-25", "'2026-11-25'"),
        ("2026-11-25 14:30", "'2026-11-25 14:30'"),
        ("0x1F", "'0x1F'"),
        ("1e5", "'1e5'"),
        (".inf", "'.inf'"),
        ("", "''"),
        ("Note: call back", "'Note: call back'"),
        ("plan#2", "plan#2"),
        ("plan #2", "'plan #2'"),
        ("- item", "'- item'"),
        (" padded", "' padded'"),
        ("it's: here", "'it''s: here'"),
        ("two\nlines", '"two\\nlines"'),
    ],
)
def test_text_that_reads_as_another_type_is_quoted(text: str, rendered: str) -> None:
    assert render_scalar(text) == rendered
    assert read_back(rendered).value == text


@pytest.mark.parametrize("text", ["=", "<<"])
def test_words_the_resolver_tags_specially_are_quoted(text: str) -> None:
    rendered = render_scalar(text)
    node = read_back(rendered)
    assert (node.kind, node.value) == ("str", text)


def test_history_entries_render_in_flow_with_plain_keys() -> None:
    entry = {"on": date(2026, 11, 24), "from": Due(date(2026, 11, 25)),
             "to": Due(date(2026, 11, 27)), "why": "waiting for analytics access"}
    rendered = render_flow(entry)
    assert rendered == ("{on: 2026-11-24, from: 2026-11-25, to: 2026-11-27, "
                        "why: waiting for analytics access}")
    node = mapping(seq(parse_ok(f"- {rendered}\n")).items[0])
    assert node.keys() == ["on", "from", "to", "why"]
    assert to_python(node) == {"on": "2026-11-24", "from": "2026-11-25", "to": "2026-11-27",
                               "why": "waiting for analytics access"}


def test_flow_lists_quote_commas() -> None:
    rendered = render_flow(["seo, smm", "Аскона", "yes"])
    assert rendered == "['seo, smm', Аскона, 'yes']"
    assert to_python(parse_ok(f"k: {rendered}\n")) == {"k": ["seo, smm", "Аскона", "yes"]}
