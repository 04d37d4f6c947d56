"""Secrets: something shaped like a password, an API token or a private key in a
promise or a note makes ``kept check`` warn (path:line:col) and stops the commit
with a clear message — the action is not made, the sync commits nothing. A line
marked ``kept: allow-secret`` and ``KEPT_ALLOW_SECRETS=1`` let it through; a secret
already in git is not news and blocks nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import RunKept, git
from tests.fault.conftest import commits, kept_env, run_kept
from tui.workspace import secrets
from tui.workspace.secrets import scan

# Built from parts, so this file itself holds nothing a scanner would flag.
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
SLACK = "xoxb-" + "123456789012-abcdefghijkl"
STRIPE = "sk_live_" + "51Habcdefghijklmnop"
GOOGLE = "AIza" + "SyA1234567890abcdefghijklmnopqrstuv"
OPENAI = "sk-proj-" + "abcdefghijklmnopqrstuvwxyz123456"
TELEGRAM = "123456789:" + "AA" + "Fabcdefghijklmnopqrstuvwxyz012345"
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9.eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"
KEY = "-----BEGIN OPENSSH " + "PRIVATE KEY-----"


@pytest.mark.parametrize(("line", "what", "col"), [
    (f"token for the CI: {GITHUB}", "a GitHub token", 19),
    (f"aws {AWS}", "an AWS access key", 5),
    (f"slack bot {SLACK}", "a Slack token", 11),
    (f"Stripe: {STRIPE}", "a Stripe key", 9),
    (f"maps {GOOGLE}", "a Google API key", 6),
    (f"openai {OPENAI}", "an OpenAI or Anthropic key", 8),
    (f"bot {TELEGRAM}", "a Telegram bot token", 5),
    (f"session {JWT}", "a web token (JWT)", 9),
    (KEY, "a private key", 1),
    ("ftp://olga:Sup3rSecret@ftp.askona.example/upload", "a password in a URL", 1),
    ("WiFi password: Sup3rSecret!", "a password", 16),
    ("Пароль от админки: Qwerty123", "a password", 20),
    ("api key = 9f8e7d6c5b4a", "a password", 11),
    ("login admin, pass — Zx!9vq77", "a password", 21),
])
def test_what_looks_like_a_secret(line: str, what: str, col: int) -> None:
    [finding] = scan(f"first line\n{line}\n")
    assert (finding.line, finding.col, finding.what) == (2, col, what)
    if what == "a private key":  # the kind of key, never a byte of it
        assert finding.shown == "BEGIN OPENSSH PRIVATE KEY"
    else:  # the first four characters, for the person to find it; not the secret
        assert finding.shown == line[col - 1:][:4] + "…"


# Secrets and what is near one, in any case and order: the quick test that lets most
# texts go unsearched must never let one of them through.
WORDS = ["password", "Пароль", "пасс", "pwd", "API key", "secret_key", "Token", "pass"]
assignments = st.builds(lambda w, sep, v: w + sep + v, st.sampled_from(WORDS),
                        st.sampled_from([": ", " = ", " — ", "-", " от админки: "]),
                        st.sampled_from(["Qwerty123", "Sup3rSecret!", "x", "'9f8e7d6c'"]))
pieces = st.one_of(assignments, st.sampled_from(
    [GITHUB, AWS, SLACK, STRIPE, GOOGLE, OPENAI, TELEGRAM, JWT, KEY, "ftp://olga:",
     "Sup3r9@ftp.example", "y1_" + "a" * 50, "AQVN" + "b" * 30, "glpat-" + "c" * 20,
     " ", "\n", "text"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=6), st.sampled_from([str, str.upper, str.lower]))
def test_the_quick_test_never_hides_a_secret(found: list[str], case: Any) -> None:
    text = case("".join(found))
    assert scan(text) == secrets._findings(text)


@pytest.mark.parametrize("line", [
    "Sent the password reset link to Olga",
    "password: see 1Password",
    "пароль отправили по SMS",
    "Пароль: отправили курьером",
    "The API key will come on Monday",
    "token: ********",
    "password: <ask Olga>",
    "pass: xxxxxxxx",
    "secret santa on Friday",
    "Secret Santa — 2026-12-20",
    "Pass to Olga — 2026-11-25 14:30",
    "https://askona.example/login?next=/admin",
    f"{GITHUB}  # kept: allow-secret",
    "WiFi password: Sup3rSecret!  <!-- kept: allow-secret -->",
])
def test_what_does_not(line: str) -> None:
    assert scan(line) == []


def test_kept_check_warns_with_path_line_and_column(ws: Path, kept: RunKept) -> None:
    promises = ws / "clients/askona/promises.yaml"
    promises.write_text(promises.read_text("utf-8") + f"""\
- id: w1f1pw
  text: "Guest WiFi password: Sup3rSecret!"
  due: 2026-11-30
# {KEY}
""", encoding="utf-8")
    note = ws / "clients/askona/notes/2026-11-20-kickoff.md"
    note.write_text(note.read_text("utf-8") + f"Their CI token: {GITHUB}\n", encoding="utf-8")

    result = kept("-w", ws, "check")

    assert result.exit_code == 0  # warnings only
    assert result.stdout.splitlines() == [
        "clients/askona/notes/2026-11-20-kickoff.md:7:17: warning: secret: this looks like "
        "a GitHub token (ghp_…); Kept will not commit it. Keep secrets in a password "
        "manager; if it is not one, add 'kept: allow-secret' to the line",
        "clients/askona/promises.yaml:17:31: warning: secret: this looks like a password "
        "(Sup3…); Kept will not commit it. Keep secrets in a password manager; if it is "
        "not one, add 'kept: allow-secret' to the line",
        "clients/askona/promises.yaml:19:3: warning: secret: this looks like a private key "
        "(BEGIN OPENSSH PRIVATE KEY); Kept will not commit it. Keep secrets in a password "
        "manager; if it is not one, add 'kept: allow-secret' to the line",
    ]
    assert result.stderr == "0 errors, 3 warnings\n"


def test_a_promise_with_a_password_is_not_committed_nor_made(ws: Path) -> None:
    before = (ws / "clients/askona/promises.yaml").read_bytes()
    head = git(ws, "rev-parse", "HEAD")

    result = run_kept(ws, "add", "promise", "askona", "Send Olga the WiFi password: Sup3rSecret!",
                      "--due", "fri")

    assert result.returncode == 2
    line = 18  # where the new promise's text would have been
    assert result.stderr == (
        f"kept: error: clients/askona/promises.yaml:{line}:39: this looks like a password "
        "(Sup3…); Kept did not commit it, and did not make the change: a secret in git "
        "stays in its history and goes to the whole team. Keep it in a password manager. "
        "If it is not a secret, add 'kept: allow-secret' to the line (a comment), or run "
        "with KEPT_ALLOW_SECRETS=1\n")
    assert (ws / "clients/askona/promises.yaml").read_bytes() == before
    assert git(ws, "rev-parse", "HEAD") == head
    assert git(ws, "status", "--porcelain") == ""


def test_the_override_lets_it_through(ws: Path) -> None:
    result = run_kept(ws, "add", "promise", "askona", "Send Olga the WiFi password: Sup3rSecret!",
                      "--due", "fri", env=kept_env(KEPT_ALLOW_SECRETS="1"))
    assert result.returncode == 0, result.stderr
    assert commits(ws)[0][1] == ["clients/askona/promises.yaml"]


def test_a_hand_written_secret_blocks_the_next_commit_of_its_file_until_marked(
        ws: Path) -> None:
    promises = ws / "clients/askona/promises.yaml"
    by_hand = promises.read_text("utf-8").replace(
        "  to: Ольга Петрова\n", f"  to: Ольга Петрова\n  note_token: {OPENAI}\n", 1)
    promises.write_text(by_hand, encoding="utf-8")

    refused = run_kept(ws, "move", "q4h8t2", "2026-11-28", "--why", "asked again")

    assert refused.returncode == 2
    assert refused.stderr.startswith("kept: error: clients/askona/promises.yaml:6:15: this "
                                     "looks like an OpenAI or Anthropic key (sk-p…)")
    assert promises.read_text("utf-8") == by_hand  # the move was not made; the hand edit stays

    promises.write_text(by_hand.replace(OPENAI, OPENAI + "  # kept: allow-secret"),
                        encoding="utf-8")
    moved = run_kept(ws, "move", "q4h8t2", "2026-11-28", "--why", "asked again")
    assert moved.returncode == 0, moved.stderr


def test_a_secret_already_in_git_blocks_nothing(ws: Path) -> None:
    promises = ws / "clients/askona/promises.yaml"
    promises.write_text(promises.read_text("utf-8").replace(
        "  to: Ольга Петрова\n", f"  to: Ольга Петрова\n  note_token: {OPENAI}\n", 1),
        encoding="utf-8")
    git(ws, "commit", "-q", "-am", "committed by hand, long ago")
    result = run_kept(ws, "done", "q4h8t2")
    assert result.returncode == 0, result.stderr


def test_a_note_with_a_key_stops_kept_touch_and_kept_sync(ws: Path) -> None:
    remote = ws.parent / "remote.git"
    git(ws.parent, "clone", "-q", "--bare", str(ws), str(remote))
    git(ws, "remote", "add", "origin", str(remote))
    git(ws, "fetch", "-q", "origin")
    git(ws, "branch", "-q", "--set-upstream-to", "origin/main")

    touched = run_kept(ws, "touch", "askona", f"Olga sent the bot token {TELEGRAM}")
    assert touched.returncode == 2
    assert "Kept did not commit it, and did not make the change" in touched.stderr
    assert not list((ws / "clients/askona/notes").glob("2026-11-23-*"))

    note = ws / "clients/askona/notes/2026-11-20-kickoff.md"
    note.write_text(note.read_text("utf-8") + f"{KEY}\nb3BlbnNzaC1rZXktdjEAAAA\n",
                    encoding="utf-8")
    synced = run_kept(ws, "sync")

    assert synced.returncode == 2
    assert synced.stderr.startswith(
        "kept: error: clients/askona/notes/2026-11-20-kickoff.md:7:1: this looks like a "
        "private key (BEGIN OPENSSH PRIVATE KEY); the sync stopped before committing "
        "anything; your files are as you left them")
    assert git(ws, "status", "--porcelain") == " M clients/askona/notes/2026-11-20-kickoff.md\n"
    assert git(remote, "rev-parse", "main") == git(ws, "rev-parse", "HEAD")
