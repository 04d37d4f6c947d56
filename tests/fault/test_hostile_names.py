"""Hostile names and paths: whatever a person types as a client's name, or a file says,
the path Kept makes stays inside the workspace; two names for one client are refused;
a symbolic link out of the workspace is neither read nor written through.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import KEPT_YAML, TODAY, RunKept, git
from tests.fault.conftest import CLIENT, PROMISES, files
from tui.core.slugs import is_valid_slug
from tui.errors import InvalidInput, KeptError, NotFound
from tui.services import actions
from tui.services import sync as sync_service
from tui.services.context import Session

HOSTILE = [
    "../evil", "../../../../etc/passwd", "..\\..\\evil", "/etc/passwd", "C:\\Windows\\x",
    "\\\\server\\share", "~/evil", "$HOME", "a\x00b", "CON", "con", "NUL", "com1", "LPT9",
    "AUX.txt", "trailing dots...", "...", ".", "..", ".hidden", "-rf", "--upload-pack=x",
    "name\nwith\nlines", "x" * 300, "Ю" * 300, "😀😀", "\u202eevil\u202c", "a/b/c",
    "clients", ".git", ".kept",
]


def _ws(root: Path) -> Path:
    (root / "clients/askona").mkdir(parents=True)
    (root / "kept.yaml").write_text(KEPT_YAML, encoding="utf-8")
    (root / "clients/askona/client.yaml").write_text(CLIENT, encoding="utf-8")
    (root / "clients/askona/promises.yaml").write_text(PROMISES, encoding="utf-8")
    return root


def _session(root: Path) -> Session:
    return Session.at(root, {"KEPT_TODAY": TODAY.isoformat(), "KEPT_USER": "anna"})


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_client_name_makes_a_folder_inside_the_workspace(tmp_path: Path,
                                                                   name: str) -> None:
    root = _ws(tmp_path / "ws")
    outside = sorted(os.listdir(tmp_path))

    slug = actions.add_client(_session(root), name).value

    assert is_valid_slug(slug) and len(slug) <= 60
    assert sorted(os.listdir(tmp_path)) == outside  # nothing made beside the workspace
    made = [p for p in files(root) if not p.startswith("clients/askona/") and p != "kept.yaml"]
    assert made == [f"clients/{slug}/client.yaml"]
    assert (root / "clients" / slug).resolve().parent == (root / "clients").resolve()
    client = _session(root).ws.clients[slug]
    assert client.name == " ".join(name.split())


def test_a_title_that_is_a_path_stays_a_file_name_in_notes(tmp_path: Path) -> None:
    root = _ws(tmp_path / "ws")
    session = _session(root)
    for title in ("../../../evil", "/etc/passwd", "..\\x", "***"):
        actions.touch(session, "askona", title)
        session = _session(root)
    notes = sorted(p.name for p in (root / "clients/askona/notes").iterdir())
    assert notes == ["2026-11-23-client.md", "2026-11-23-etc-passwd.md",
                     "2026-11-23-evil.md", "2026-11-23-x.md"]
    assert sorted(os.listdir(tmp_path)) == ["ws"]
    assert session.loaded.problems == ()


def test_a_nul_in_a_note_is_refused_not_written(tmp_path: Path) -> None:
    """A note body is written as typed: a NUL would make a file Kept cannot read."""
    root = _ws(tmp_path / "ws")
    with pytest.raises(InvalidInput) as caught:
        actions.touch(_session(root), "askona", "called \x00 Olga")
    assert str(caught.value) == "the text holds a NUL character; type it again without it"
    with pytest.raises(InvalidInput):
        actions.draft_note(_session(root), "askona", "Kickoff\x00")
    assert not (root / "clients/askona/notes").exists()


def test_the_same_cyrillic_name_in_nfc_and_nfd_is_one_client(tmp_path: Path) -> None:
    root = _ws(tmp_path / "ws")
    nfc = unicodedata.normalize("NFC", "Йошкар-Ола Ёлки")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    actions.add_client(_session(root), nfc)
    with pytest.raises(InvalidInput) as caught:
        actions.add_client(_session(root), nfd)
    assert str(caught.value) == ("a client named 'Йошкар-Ола Ёлки' already exists "
                                 "(yoshkar-ola-elki)")


@pytest.mark.parametrize("other", ["аскона", "АСКОНА", "Аскона", " Аскона ",
                                   unicodedata.normalize("NFD", "Аскона")])
def test_a_name_differing_only_in_case_or_form_is_refused(tmp_path: Path, other: str) -> None:
    root = _ws(tmp_path / "ws")
    with pytest.raises(InvalidInput) as caught:
        actions.add_client(_session(root), other)
    assert str(caught.value) == "a client named 'Аскона' already exists (askona)"


def test_a_folder_differing_only_in_case_gets_another_slug(tmp_path: Path) -> None:
    """On a case-insensitive disk 'Acme' and 'acme' are one folder: never reuse it."""
    root = _ws(tmp_path / "ws")
    (root / "clients/Acme").mkdir()
    assert actions.add_client(_session(root), "ACME Corp.").value == "acme-corp"
    assert actions.add_client(_session(root), "Acme").value == "acme-2"


def _outside(tmp_path: Path) -> Path:
    out = tmp_path / "outside"
    (out / "notes").mkdir(parents=True)
    (out / "client.yaml").write_text("name: Outside\n", encoding="utf-8")
    (out / "promises.yaml").write_text(
        "- id: s3cr3t\n  text: SECRET FROM OUTSIDE\n  due: 2026-11-25\n", encoding="utf-8")
    (out / "notes/2026-11-01-secret.md").write_text(
        "---\ndate: 2026-11-01\ntitle: SECRET NOTE\n---\nx\n", encoding="utf-8")
    return out


def test_symlinks_out_of_the_workspace_are_not_read(tmp_path: Path) -> None:
    out = _outside(tmp_path)
    root = _ws(tmp_path / "ws")
    (root / "clients/evil").symlink_to(out, target_is_directory=True)
    (root / "clients/northwind").mkdir()
    (root / "clients/northwind/client.yaml").symlink_to(out / "client.yaml")
    (root / "clients/northwind/promises.yaml").symlink_to(out / "promises.yaml")
    (root / "clients/askona/notes").symlink_to(out / "notes", target_is_directory=True)

    s = _session(root)

    assert list(s.ws.clients) == ["askona"]
    assert "SECRET" not in repr(s.ws)
    problems = [str(p) for p in s.loaded.problems]
    assert "clients/evil:1:1: warning: a symlink to outside the workspace; Kept does not " \
           "follow it" in problems
    assert "clients/northwind/client.yaml:1:1: error: a symlink to outside the workspace; " \
           "Kept does not follow it; put the card itself here" in problems
    assert "clients/northwind/promises.yaml:1:1: warning: a symlink to outside the " \
           "workspace; Kept does not follow it" in problems
    assert "clients/askona/notes:1:1: warning: a symlink to outside the workspace; Kept " \
           "does not follow it" in problems


def test_a_dangling_symlink_is_named_as_one(tmp_path: Path) -> None:
    root = _ws(tmp_path / "ws")
    (root / "clients/askona/promises.yaml").unlink()
    (root / "clients/askona/promises.yaml").symlink_to(tmp_path / "gone.yaml")

    s = _session(root)

    assert list(s.ws.clients) == ["askona"] and s.ws.promises == ()
    assert "clients/askona/promises.yaml:1:1: warning: a symlink to a file that is not " \
           "there" in [str(p) for p in s.loaded.problems]


def test_no_write_goes_through_a_symlink(tmp_path: Path) -> None:
    """A promises file that is a link out: editing it would copy what is outside into
    the workspace (and git) and replace the link. Refused, nothing written anywhere."""
    out = _outside(tmp_path)
    root = _ws(tmp_path / "ws")
    link = root / "clients/askona/promises.yaml"
    link.unlink()
    link.symlink_to(out / "promises.yaml")
    before = (out / "promises.yaml").read_bytes()
    s = _session(root)

    with pytest.raises(KeptError) as caught:
        actions.add_promise(s, "askona", "Send the plan", "2026-11-30")

    assert "symbolic link" in str(caught.value)
    assert link.is_symlink() and (out / "promises.yaml").read_bytes() == before


def test_a_notes_folder_linked_outside_gets_no_new_note(tmp_path: Path) -> None:
    out = _outside(tmp_path)
    root = _ws(tmp_path / "ws")
    (root / "clients/askona/notes").symlink_to(out / "notes", target_is_directory=True)

    with pytest.raises(InvalidInput) as caught:
        actions.touch(_session(root), "askona", "Called Olga")

    assert str(caught.value).endswith("leads outside the workspace (through a symbolic "
                                      "link); Kept does not write there")
    assert sorted(os.listdir(out / "notes")) == ["2026-11-01-secret.md"]


def test_paths_in_files_and_commands_cannot_leave_the_workspace(tmp_path: Path) -> None:
    root = _ws(tmp_path / "ws")
    (root / "clients/askona/promises.yaml").write_text(
        "- id: k7m2p9\n  text: x\n  due: 2026-11-25\n  note: ../../../../etc/passwd\n"
        "- id: q4h8t2\n  text: y\n  due: 2026-11-25\n  note: /etc/passwd\n", encoding="utf-8")
    s = _session(root)
    notes = [str(p) for p in s.loaded.problems if "note:" in p.message]
    assert notes == [
        "clients/askona/promises.yaml:4:9: error: note: '../../../../etc/passwd' must be "
        "a file in clients/askona/, like notes/2026-11-20-kickoff.md",
        "clients/askona/promises.yaml:8:9: error: note: '/etc/passwd' must be a file in "
        "clients/askona/, like notes/2026-11-20-kickoff.md",
    ]
    for copy in ("../../x.conflict-1a2b3c4.md", "/etc/x.conflict-1a2b3c4.md",
                 "clients/../../x.conflict-1a2b3c4.yaml"):
        with pytest.raises((InvalidInput, NotFound)):
            sync_service.resolve_copy(s, copy, "theirs")
    with pytest.raises(NotFound):
        s.client("../askona")


def test_kept_with_hostile_names_on_the_command_line(tmp_path: Path, kept: RunKept) -> None:
    """Through the real command line: exit 0 or a clear error, never a traceback."""
    root = _ws(tmp_path / "ws")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    for name in ("../../evil", "--help", "-w", "CON"):
        result = kept("-w", root, "add", "client", "--", name)
        assert result.exit_code == 0, result.output
        assert is_valid_slug(result.stdout.strip())
    result = kept("-w", root, "add", "promise", "../askona", "x", "--due", "fri")
    assert result.exit_code == 2
    assert result.stderr == ("kept: error: no client '../askona'; kept agenda or the "
                             "clients/ folder lists them\n")
    assert sorted(os.listdir(tmp_path)) == ["ws"]
    assert git(root, "status", "--porcelain") == ""
