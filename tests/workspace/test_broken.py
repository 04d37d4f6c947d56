"""The broken-file corpus: every failure mode at its line and column, the rest still works.

``tests/data/broken`` is a workspace with three healthy clients and one client folder
per failure mode, each broken file holding exactly one problem (its README lists them).
These tests copy it to ``tmp_path`` and run the command line on it the way a person
would: ``kept check`` must name every problem at the right ``path:line:col`` and exit
1, and ``kept agenda`` must still list everything the healthy files and healthy
promises hold. A broken kept.yaml, which would affect every file, is tested apart.

Every position below was counted by hand from the files (1-based lines and columns).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

CORPUS = Path(__file__).resolve().parent.parent / "data" / "broken"

RunKept = Callable[..., Result]
WriteWorkspace = Callable[..., Path]

LINE_RE = re.compile(
    r"(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)"
)


@dataclass(frozen=True)
class Expect:
    """One problem ``kept check`` must print: where, and a telling part of the message."""

    mode: str
    where: str  # "path:line:col: severity"
    fragment: str

    def matches(self, line: str) -> bool:
        return line.startswith(self.where + ": ") and self.fragment in line


NOT_A_DATE = "is not a date; write YYYY-MM-DD or '2026-11-23 14:30'"
MARKER = "git conflict marker"
NOTES = "notes/2026-11-19-call.md"

# One entry per problem, in the order kept check must print them (path, line, col).
EXPECTED = [
    Expect("folder name is not a slug", "clients/Old_Client:1:1: warning",
           "folder name 'Old_Client' is not a slug"),
    Expect("backup not in the team", "clients/backup-not-in-team/client.yaml:4:9: error",
           "backup: 'petr' is not in the team in kept.yaml (team: anna, ivan)"),
    Expect("bad cadence", "clients/bad-cadence/client.yaml:4:8: error",
           "touch: 'sometimes' is not a cadence; write daily, weekly"),
    Expect("unknown client status", "clients/bad-client-status/client.yaml:2:9: error",
           "status: 'sleeping' is not one of lead | onboarding | active | paused | churned"),
    Expect("bad date", "clients/bad-date/promises.yaml:7:8: error",
           f"due: '2026-13-45' {NOT_A_DATE}"),
    Expect("bad datetime", "clients/bad-datetime/promises.yaml:3:8: error",
           f"due: '2026-11-24 25:00' {NOT_A_DATE}"),
    Expect("bad date in a history entry", "clients/bad-history-date/promises.yaml:5:12: error",
           "on: '2026-11-40' is not a date; write YYYY-MM-DD"),
    Expect("bad invoice date", "clients/bad-invoice-date/client.yaml:10:12: error",
           "due: '24.11.2026' is not a date; write YYYY-MM-DD"),
    Expect("unknown note kind", "clients/bad-note-kind/notes/2026-11-20-lunch.md:3:7: error",
           "kind: 'lunch' is not one of meeting | call | email | message | visit | report"),
    Expect("unknown promise by", "clients/bad-promise-by/promises.yaml:3:7: error",
           "by: 'them' is not one of us | client"),
    Expect("unknown promise kind", "clients/bad-promise-kind/promises.yaml:4:9: error",
           "kind: 'call' is not one of task | reply | follow-up | report"),
    Expect("unknown promise status", "clients/bad-promise-status/promises.yaml:4:11: error",
           "status: 'finished' is not one of open | done | dropped"),
    Expect("bad repeat cadence", "clients/bad-repeat/promises.yaml:4:11: error",
           "repeat: 'every week' is not a cadence"),
    Expect("invalid UTF-8", "clients/bad-utf8/client.yaml:1:10: error",
           "not UTF-8: byte 0xe9"),
    Expect("conflict markers in a note", f"clients/conflict-note/{NOTES}:5:1: error", MARKER),
    Expect("conflict markers in a note", f"clients/conflict-note/{NOTES}:9:1: error", MARKER),
    Expect("conflict markers in promises", "clients/conflict-promises/promises.yaml:3:1: error",
           MARKER),
    Expect("conflict markers in promises", "clients/conflict-promises/promises.yaml:7:1: error",
           MARKER),
    Expect("custom YAML tag", "clients/custom-tag/promises.yaml:2:9: error",
           "the tag !!python/object/apply:os.system is not allowed"),
    Expect("id in two clients", "clients/duplicate-id-a/promises.yaml:1:7: error",
           "id 'dup123' is used more than once (also at clients/duplicate-id-b/promises.yaml:5"),
    Expect("id in two clients", "clients/duplicate-id-b/promises.yaml:5:7: error",
           "id 'dup123' is used more than once (also at clients/duplicate-id-a/promises.yaml:1"),
    Expect("duplicate key", "clients/duplicate-key/client.yaml:4:1: error",
           "duplicate key 'status' (first at line 2)"),
    Expect("empty client.yaml", "clients/empty-client/client.yaml:1:1: error",
           "client.yaml is empty"),
    Expect("id malformed", "clients/id-malformed/promises.yaml:1:7: error",
           "id: 'ID-1' is malformed"),
    Expect("id missing", "clients/id-missing/promises.yaml:1:3: error",
           "a promise needs 'id:'"),
    Expect("due missing", "clients/missing-due/promises.yaml:1:3: error",
           "a promise needs 'due:'"),
    Expect("name missing", "clients/missing-name/client.yaml:1:1: error",
           "client.yaml needs 'name:'"),
    Expect("client folder without client.yaml", "clients/no-card:1:1: error",
           "a client folder without client.yaml"),
    Expect("promises.yaml is a mapping", "clients/not-a-list/promises.yaml:1:1: error",
           "promises.yaml should be a list of promises"),
    Expect("broken front matter",
           "clients/note-broken-front-matter/notes/2026-11-19-kickoff.md:4:15: error",
           "YAML syntax: a ':' where YAML does not expect one"),
    Expect("note path does not exist", "clients/note-link-missing/promises.yaml:4:9: error",
           "note: 'notes/2026-11-01-kickoff.md' does not exist"),
    Expect("note without date", f"clients/note-no-date/{NOTES}:2:1: error",
           "needs 'date:'"),
    Expect("note without front matter", f"clients/note-no-front-matter/{NOTES}:1:1: error",
           "the note has no front matter"),
    Expect("front matter not closed", f"clients/note-unclosed-front-matter/{NOTES}:1:1: error",
           "the front matter is not closed"),
    # The parser notices at `kind:` (line 4); the list it names opened on file line 3,
    # not on line 2 of the front matter text.
    Expect("unclosed list in front matter", f"clients/note-unclosed-list/{NOTES}:4:5: error",
           "flow sequence at line 3"),
    Expect("owner not in the team", "clients/owner-not-in-team/client.yaml:3:8: error",
           "owner: 'olga' is not in the team in kept.yaml (team: anna, ivan)"),
    Expect("promise owner not in the team",
           "clients/promise-owner-not-in-team/promises.yaml:3:10: error",
           "owner: 'boris' is not in the team"),
    Expect("YAML syntax in client.yaml", "clients/syntax-client/client.yaml:3:8: error",
           "YAML syntax: a ':' where YAML does not expect one"),
    Expect("YAML syntax: list item indent", "clients/syntax-list-indent/promises.yaml:4:2: error",
           "YAML syntax"),
    Expect("YAML syntax in promises.yaml", "clients/syntax-promises/promises.yaml:5:18: error",
           "YAML syntax: a ':' where YAML does not expect one"),
    Expect("YAML syntax: tab", "clients/syntax-tab/promises.yaml:3:1: error",
           "a tab character"),
    # An unterminated quote is found at the end of the file; the place to fix is the
    # opening quote.
    Expect("YAML syntax: unclosed quote", "clients/syntax-unclosed-quote/client.yaml:1:7: error",
           "quot"),
    Expect("unknown key", "clients/unknown-key/client.yaml:5:1: warning",
           "unknown key 'manager' in client.yaml"),
    Expect("wrong type: number", "clients/wrong-type-fee/client.yaml:6:16: error",
           "monthly_fee: 'abc' is not a number"),
    Expect("wrong type: flag", "clients/wrong-type-flag/client.yaml:6:14: error",
           "decides: 'yes' is not true or false"),
    Expect("wrong type: list", "clients/wrong-type-services/client.yaml:4:11: error",
           "services: expected a list, found text"),
    Expect("wrong type: text", "clients/wrong-type-text/promises.yaml:2:9: error",
           "text: expected text, found a list"),
]

# What `kept agenda --json` lists on 2026-11-23 (7 days), in the documented order:
# overdue first, then by due, client slug, id. (type, id, client, due, overdue)
EXPECTED_AGENDA = [
    ("reply", "r3ply1", "askona", "2026-11-23 10:00", True),  # 12:00 now: late replies first
    ("touch", "syntax-promises", "syntax-promises", "2026-11-17", True),  # since 11-10 + 1w
    ("invoice", "2026-131", "askona", "2026-11-20", True),
    ("waiting", "sol002", "solnce", "2026-11-20", True),
    ("waiting", "wa1t01", "askona", "2026-11-22", True),
    ("promise", "sol001", "solnce", "2026-11-23 16:00", False),
    ("touch", "northwind", "northwind", "2026-11-23", False),  # note of 11-20 + 3d
    ("follow-up", "nwfu02", "northwind", "2026-11-23", False),
    ("touch", "solnce", "solnce", "2026-11-23", False),  # since 11-16 + 1w, no notes
    ("reply", "nwrep2", "northwind", "2026-11-24 18:00", False),
    ("follow-up", "fu0001", "askona", "2026-11-24", False),
    ("promise", "bdok01", "bad-date", "2026-11-24", False),  # the bad promise's neighbours
    ("invoice", "SP-1", "syntax-promises", "2026-11-24", False),  # card of a broken list
    ("promise", "7k3q9m", "askona", "2026-11-25", False),
    ("touch", "askona", "askona", "2026-11-25", False),  # note of 11-18 + 1w
    ("promise", "bhd001", "bad-history-date", "2026-11-25", False),
    ("invoice", "BI-2", "bad-invoice-date", "2026-11-26", False),
    ("touch", "bad-invoice-date", "bad-invoice-date", "2026-11-26", False),
    ("waiting", "nwwai1", "northwind", "2026-11-26", False),
    ("promise", "syn001", "syntax-client", "2026-11-26", False),  # beside a broken card
    ("promise", "bdok02", "bad-date", "2026-11-27", False),
    ("invoice", "NW-77", "northwind", "2026-11-27", False),
    ("touch", "unknown-key", "unknown-key", "2026-11-27", False),  # a warning keeps the card
    ("promise", "nwrep1", "northwind", "2026-11-30", False),  # kind report; last day in
]

# Promises, invoices and touches inside broken records, all due within the horizon:
# none may reach the agenda.
LOST = {
    "bdbad1", "bdt001", "bby001", "bst001", "bki001", "brp001", "wtt001", "ctg001",
    "cfp001", "nal001", "mdu001", "ID-1", "sli001", "sli002", "stb001", "spok01", "spok02",
    "BI-1", "bad-client-status", "duplicate-key", "syntax-client",
}  # fmt: skip


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(CORPUS, root)
    return root


def problem_lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def parse_line(line: str) -> dict[str, object]:
    m = LINE_RE.fullmatch(line)
    assert m is not None, f"not a 'path:line:col: severity: message' line: {line!r}"
    return {"path": m["path"], "line": int(m["line"]), "col": int(m["col"]),
            "severity": m["severity"], "message": m["message"]}


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- the corpus itself ---------------------------------------------------------------


def test_corpus_covers_at_least_fifteen_failure_modes_one_folder_each() -> None:
    modes = {e.mode for e in EXPECTED}
    assert len(modes) >= 15
    folders = {e.where.split(":")[0].split("/")[1] for e in EXPECTED}
    healthy = {"askona", "northwind", "solnce"}
    on_disk = {p.name for p in (CORPUS / "clients").iterdir() if p.is_dir()}
    assert on_disk == folders | healthy
    # Editors and tools like to "fix" these bytes; the test data must stay broken.
    with pytest.raises(UnicodeDecodeError):
        (CORPUS / "clients/bad-utf8/client.yaml").read_bytes().decode("utf-8")


# --- kept check ----------------------------------------------------------------------


def test_check_names_every_problem_at_its_line_and_column(kept: RunKept, corpus: Path) -> None:
    result = kept("-w", corpus, "check")

    assert result.exit_code == 1
    lines = problem_lines(result)
    missing = [e for e in EXPECTED if not any(e.matches(line) for line in lines)]
    unexpected = [line for line in lines if not any(e.matches(line) for e in EXPECTED)]
    assert missing == [], "not reported as expected:\n" + "\n".join(
        f"  {e.mode}: {e.where}: ...{e.fragment}..." for e in missing
    ) + "\nactual output:\n" + result.stdout
    assert unexpected == [], "reported but not expected (one problem per broken file)"
    assert len(lines) == len(EXPECTED)
    errors = sum(1 for e in EXPECTED if e.where.endswith("error"))
    assert f"{errors} errors, {len(EXPECTED) - errors} warnings" in result.stderr


def test_check_output_is_sorted_by_path_line_and_column(kept: RunKept, corpus: Path) -> None:
    lines = problem_lines(kept("-w", corpus, "check"))
    keys = [(p["path"], p["line"], p["col"]) for p in map(parse_line, lines)]
    assert keys == sorted(keys)
    assert len(keys) == len(EXPECTED)


def test_check_json_gives_the_same_problems_as_objects(kept: RunKept, corpus: Path) -> None:
    text = kept("-w", corpus, "check")
    result = kept("-w", corpus, "check", "--json")

    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems == [parse_line(line) for line in problem_lines(text)]
    assert all(set(p) == {"path", "line", "col", "severity", "message"} for p in problems)
    assert {p["severity"] for p in problems} == {"error", "warning"}
    assert all(isinstance(p["line"], int) and isinstance(p["col"], int) for p in problems)


def test_messages_are_one_readable_line_with_workspace_relative_paths(
    kept: RunKept, corpus: Path
) -> None:
    problems = json.loads(kept("-w", corpus, "check", "--json").stdout)

    unreadable = []
    for p in problems:
        message = p["message"]
        if (
            not message.strip()
            or "\n" in message
            or "\r" in message
            or "Traceback" in message
            or "<ruamel" in message
            or " object at 0x" in message
            # the parser's token names: '<block end>', '<stream end>', '<block mapping start>'
            or re.search(r"<[a-z ]+>", message)
        ):
            unreadable.append(f"{p['path']}:{p['line']}: {message}")
    assert unreadable == []
    for p in problems:
        path = p["path"]
        assert not Path(path).is_absolute() and "\\" not in path and ".." not in path.split("/")
        assert str(corpus) not in path
        assert (corpus / path).exists(), path
        assert p["line"] >= 1 and p["col"] >= 1


def test_positions_are_the_same_in_crlf_files_with_a_bom(kept: RunKept, corpus: Path) -> None:
    """Windows editors write CRLF and often a BOM; no line or column may move."""
    for path in corpus.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".md") and path.name != "README.md":
            data = path.read_bytes()
            path.write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))

    result = kept("-w", corpus, "check")

    assert result.exit_code == 1
    lines = problem_lines(result)
    moved = [e for e in EXPECTED if not any(e.matches(line) for line in lines)]
    assert moved == [], "\n".join(f"{e.where}: {e.fragment}" for e in moved) + (
        "\nactual output:\n" + result.stdout
    )
    assert len(lines) == len(EXPECTED)
    agenda = json.loads(kept("-w", corpus, "agenda", "--json").stdout)
    assert [(i["type"], i["id"], i["client"], i["due"], i["overdue"]) for i in agenda] == (
        EXPECTED_AGENDA
    )


# --- the rest keeps working ----------------------------------------------------------


def test_agenda_lists_everything_from_the_healthy_files(kept: RunKept, corpus: Path) -> None:
    result = kept("-w", corpus, "agenda", "--json")

    assert result.exit_code == 0
    items = json.loads(result.stdout)
    got = [(i["type"], i["id"], i["client"], i["due"], i["overdue"]) for i in items]
    missing = [item for item in EXPECTED_AGENDA if item not in got]
    assert missing == []
    assert {item[0] for item in got} == {
        "promise", "reply", "follow-up", "waiting", "touch", "invoice"
    }
    assert LOST.isdisjoint(i["id"] for i in items)
    assert got == EXPECTED_AGENDA
    # Each item still points at its file and line, for `e` in the app.
    by_id = {i["id"]: i for i in items}
    assert (by_id["bdok02"]["path"], by_id["bdok02"]["line"]) == (
        "clients/bad-date/promises.yaml", 8
    )
    assert (by_id["2026-131"]["path"], by_id["2026-131"]["line"]) == (
        "clients/askona/client.yaml", 27
    )


def test_text_agenda_works_and_points_at_kept_check(kept: RunKept, corpus: Path) -> None:
    result = kept("-w", corpus, "agenda")

    assert result.exit_code == 0
    assert "Send the ad texts" in result.stdout  # bdok02, beside the bad date
    assert "Send the landing page copy" not in result.stdout  # bdbad1, the bad date
    errors = sum(1 for e in EXPECTED if e.where.endswith("error"))
    assert f"{errors} problems in the files; run kept check" in result.stderr


def test_reading_a_broken_workspace_writes_nothing(kept: RunKept, corpus: Path) -> None:
    before = snapshot(corpus)

    kept("-w", corpus, "check")
    kept("-w", corpus, "check", "--json")
    kept("-w", corpus, "agenda", "--json")

    assert snapshot(corpus) == before


def test_custom_tag_in_the_corpus_is_never_run(kept: RunKept, corpus: Path) -> None:
    canary = Path("/tmp/kept-canary")  # the path the corpus file tries to touch
    canary.unlink(missing_ok=True)

    check = kept("-w", corpus, "check")
    kept("-w", corpus, "agenda", "--json")

    assert not canary.exists()
    assert "clients/custom-tag/promises.yaml:2:9: error: the tag " in check.stdout


# --- more cases, inline --------------------------------------------------------------

CARD = "name: Acme\nstatus: active\nowner: anna\nsince: 2026-11-20\n"


def test_custom_tags_anywhere_are_errors_and_never_run(
    kept: RunKept, write_ws: WriteWorkspace, tmp_path: Path
) -> None:
    canary = tmp_path / "canary"
    promises = (
        "- id: tag001\n"
        f"  text: !!python/object/apply:os.system [\"touch {canary}\"]\n"
        "  due: 2026-11-24\n"
        f"- !!python/object/apply:os.system [\"touch {canary}\"]\n"
        "- id: tag003\n"
        "  text: History that runs code\n"
        "  due: 2026-11-24\n"
        f"  history: !!python/object/apply:subprocess.call [[touch, \"{canary}\"]]\n"
        "- id: tag004\n"
        "  text: A healthy neighbour\n"
        "  due: 2026-11-24\n"
    )
    root = write_ws({
        "clients/acme/client.yaml": CARD + "services: !!set {seo, smm}\n",
        "clients/acme/promises.yaml": promises,
        "clients/acme/notes/2026-11-20-call.md":
            f"---\ndate: !!python/object/apply:os.system [\"touch {canary}\"]\n---\n",
    }, git_repo=False)

    check = kept("-w", root, "check")
    agenda = kept("-w", root, "agenda", "--json")

    assert not canary.exists()
    assert check.exit_code == 1
    # Exactly one problem per tag, at the tag: a tag is not also "the wrong type".
    assert problem_lines(check) == [
        "clients/acme/client.yaml:5:11: error: the tag !!set is not allowed: "
        "Kept reads plain values only",
        "clients/acme/notes/2026-11-20-call.md:2:7: error: the tag "
        "!!python/object/apply:os.system is not allowed: Kept reads plain values only",
        "clients/acme/promises.yaml:2:9: error: the tag "
        "!!python/object/apply:os.system is not allowed: Kept reads plain values only",
        "clients/acme/promises.yaml:4:3: error: the tag "
        "!!python/object/apply:os.system is not allowed: Kept reads plain values only",
        "clients/acme/promises.yaml:8:12: error: the tag "
        "!!python/object/apply:subprocess.call is not allowed: Kept reads plain values only",
    ]
    assert [i["id"] for i in json.loads(agenda.stdout)] == ["tag004"]


def test_a_workspace_with_only_warnings_exits_0(kept: RunKept, write_ws: WriteWorkspace) -> None:
    root = write_ws({
        "clients/acme/client.yaml": CARD + "manager: anna\n",
        "clients/acme/promises.yaml":
            "- id: wrn001\n  text: Send the plan\n  due: 2026-11-24\n  priority: high\n",
    }, git_repo=False)

    result = kept("-w", root, "check")

    assert result.exit_code == 0
    assert [line.split(" in ")[0] for line in problem_lines(result)] == [
        "clients/acme/client.yaml:5:1: warning: unknown key 'manager'",
        "clients/acme/promises.yaml:4:3: warning: unknown key 'priority'",
    ]
    assert json.loads(kept("-w", root, "check", "--json").stdout)[1]["severity"] == "warning"
    assert kept("-w", root, "check", "--json").exit_code == 0
    items = json.loads(kept("-w", root, "agenda", "--json").stdout)
    assert [(i["type"], i["id"]) for i in items] == [("promise", "wrn001"), ("touch", "acme")]


KEPT_YAML = """\
kept: 1
name: Acme Digital accounts
timezone: Europe/Moscow
team:
  - handle: anna
    name: Анна Турбина
  - handle: ivan
    name: Иван Петров
touch: daily
"""

ACME = {
    "clients/acme/client.yaml": CARD,
    "clients/acme/promises.yaml":
        "- id: acm001\n  text: Send the plan\n  owner: anna\n  due: 2026-11-24\n",
}


@pytest.mark.parametrize(
    ("old", "new", "where", "fragment", "touch_due"),
    [
        pytest.param("name: Acme Digital accounts", "name: Acme: Digital accounts",
                     "kept.yaml:2:11: error", "YAML syntax",
                     "2026-11-27",  # nothing of kept.yaml is read: the default weekly cadence
                     id="syntax-error"),
        pytest.param("kept: 1", "kept: 2", "kept.yaml:1:7: error",
                     "format version 2 is not supported", None, id="wrong-version"),
        pytest.param("timezone: Europe/Moscow", "timezone: Mars/Olympus",
                     "kept.yaml:3:11: error", "'Mars/Olympus' is not a time zone",
                     "2026-11-21",  # only the bad setting falls back; touch: daily stays
                     id="bad-timezone"),
        pytest.param("- handle: ivan", "- handle: anna", "kept.yaml:7:13: error",
                     "handle: 'anna' is already used at line 5", "2026-11-21",
                     id="duplicate-handle"),
    ],
)
def test_a_broken_kept_yaml_is_placed_and_clients_still_load(
    kept: RunKept, write_ws: WriteWorkspace,
    old: str, new: str, where: str, fragment: str, touch_due: str | None,
) -> None:
    assert old in KEPT_YAML
    root = write_ws(ACME, kept_yaml=KEPT_YAML.replace(old, new), git_repo=False)

    check = kept("-w", root, "check")
    agenda = kept("-w", root, "agenda", "--json")

    assert check.exit_code == 1
    settings_problems = [line for line in problem_lines(check) if line.startswith("kept.yaml:")]
    assert len(settings_problems) == 1
    assert settings_problems[0].startswith(where + ": ")
    assert fragment in settings_problems[0]
    assert agenda.exit_code == 0
    items = {(i["type"], i["id"]): i["due"] for i in json.loads(agenda.stdout)}
    assert items[("promise", "acm001")] == "2026-11-24"
    assert ("touch", "acme") in items
    if touch_due is not None:
        assert items[("touch", "acme")] == touch_due


def test_an_unreadable_kept_yaml_does_not_blame_every_owner(
    kept: RunKept, write_ws: WriteWorkspace
) -> None:
    """The team is unknown, not empty: one problem (in kept.yaml), not one per owner."""
    broken = KEPT_YAML.replace("name: Acme Digital accounts", "name: Acme: Digital accounts")
    root = write_ws(ACME, kept_yaml=broken, git_repo=False)

    lines = problem_lines(kept("-w", root, "check"))

    assert [line.split(": YAML")[0] for line in lines] == ["kept.yaml:2:11: error"]


def test_a_note_link_must_stay_in_its_client_folder(
    kept: RunKept, write_ws: WriteWorkspace
) -> None:
    """``note:`` is relative to the client folder; ../../kept.yaml is no note of Acme."""
    root = write_ws({
        "clients/acme/client.yaml": CARD,
        "clients/acme/promises.yaml":
            "- id: lnk001\n  text: Send the plan\n  due: 2027-01-15\n  note: ../../kept.yaml\n",
    }, git_repo=False)

    result = kept("-w", root, "check")

    assert result.exit_code == 1
    assert problem_lines(result)[0].startswith(
        "clients/acme/promises.yaml:4:9: error: note: '../../kept.yaml'"
    )
