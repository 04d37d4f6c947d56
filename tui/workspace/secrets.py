"""Secrets that must not go into git: passwords, API tokens, private keys.

An account manager's notes are where a client's "login: admin, password: ..." lands
after a call. Committed, it stays in the history for good and goes to the whole team
with the next sync. So Kept looks for what is shaped like a secret:

* a private key block (``-----BEGIN ... PRIVATE KEY-----``);
* tokens with a known shape: AWS, GitHub, GitLab, Slack, Stripe, Google, OpenAI and
  Anthropic keys, Telegram bot tokens, Yandex OAuth and cloud keys, JSON web tokens;
* a password in a URL (``https://user:secret@host``);
* ``password: ...``, ``пароль: ...``, ``api key = ...``, ``token: ...`` with a value
  that looks like one (six characters or more, with a digit, a symbol or mixed case —
  so "password: sent by sms" is not one).

:func:`scan` finds them in a file's text; :data:`tui.workspace.check.CHECKS` warns
about those in records (``kept check`` also scans every file's full text); and
:func:`refuse_new` stops a commit that would add one. A line holding
``kept: allow-secret`` (``# kept: allow-secret`` in YAML, ``<!-- kept: allow-secret -->``
in Markdown) is never reported, and ``KEPT_ALLOW_SECRETS=1`` lets a commit through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.models import Workspace
from tui.errors import KeptError, Problem, Severity

ALLOW_MARKER = "kept: allow-secret"
ALLOW_ENV = "KEPT_ALLOW_SECRETS"
PREFIX = "secret: "  # every warning's message starts so (the CLI merges by it)

_TOKENS: list[tuple[str, re.Pattern[str]]] = [
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    ("an AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe key", re.compile(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("an OpenAI or Anthropic key", re.compile(r"\bsk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}")),
    ("a Telegram bot token", re.compile(r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b")),
    ("a Yandex OAuth token", re.compile(r"\by[0-3]_[A-Za-z0-9_-]{50,}")),
    ("a Yandex Cloud key", re.compile(r"\bAQVN[A-Za-z0-9_-]{30,}")),
    ("a web token (JWT)",
     re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]{3,}@[\w.-]+")),
]
_WORDS = (r"password|passwd|pass|pwd|passcode|пароль|пасс|secret|api[ _-]?key|"
          r"access[ _-]?key|secret[ _-]?key|token|api[ _-]?token|auth[ _-]?token")
_ASSIGNED = re.compile(  # "password: x", "Пароль от админки: x" (a few words between)
    rf"(?i)(?<![\w-])(?:{_WORDS})(?![\w-])(?:[ \t]+[\w.-]+){{0,3}}?[ \t]*(?:[:=]|—|-)[ \t]*"
    r"(?P<value>[\"']?[^\s\"',;]{6,})"
)

# What every pattern above needs written somewhere: a text with none of it holds no
# secret, and most texts hold none — a few substring tests instead of 14 searches.
_NEEDED = ("_", "://", "PRIVATE KEY", "AKIA", "ASIA", "glpat-", "xox", "AIza", "sk-",
           ":AA", "AQVN", "eyJ")
_NEEDED_WORDS = ("pass", "pwd", "пароль", "пасс", "secret", "key", "token")  # casefolded


def _may_hold(text: str) -> bool:
    if any(piece in text for piece in _NEEDED):
        return True
    folded = text.casefold()
    return any(word in folded for word in _NEEDED_WORDS)


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based
    col: int
    what: str  # "a password", "a GitHub token"
    shown: str  # the start of it, for the person to find it; never the whole secret

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, self.col, Severity.WARNING,
                       f"{PREFIX}this looks like {self.what} ({self.shown}); Kept will "
                       "not commit it. Keep secrets in a password manager; if it is not "
                       f"one, add '{ALLOW_MARKER}' to the line")


_DATE_OR_TIME = re.compile(r"\d{1,4}(?:[-./:]\d{1,4}){1,2}")


def _looks_like_password(value: str) -> bool:
    value = value.strip("\"'")
    if len(value) < 6 or set(value) <= {"*", "x", "X", "•", "."} or value.startswith("<"):
        return False
    if _DATE_OR_TIME.fullmatch(value):  # "Secret Santa — 2026-12-20"
        return False
    digit = any(c.isdigit() for c in value)
    symbol = any(not c.isalnum() for c in value)
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return digit or symbol or mixed


def _mask(text: str) -> str:
    text = text.strip("\"'")
    return text[:4] + "…" if len(text) > 4 else "…"


def scan(text: str) -> list[Finding]:
    """Every secret-shaped thing in ``text``, in order; lines marked allowed skipped."""
    return _findings(text) if _may_hold(text) else []


def _findings(text: str) -> list[Finding]:
    found: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if ALLOW_MARKER in line or not line.strip():
            continue
        hits: list[tuple[int, str, str]] = []
        for what, pattern in _TOKENS:
            for m in pattern.finditer(line):
                hits.append((m.start(), what, m.group(0)))
        for m in _ASSIGNED.finditer(line):
            value = m.group("value")
            if _looks_like_password(value) and not any(
                    start <= m.start("value") < start + len(t) for start, _, t in hits):
                hits.append((m.start("value"), "a password", value))
        for start, what, matched in sorted(hits):
            shown = matched.split("-----")[1] if what == "a private key" else _mask(matched)
            found.append(Finding(number, start + 1, what, shown))
    return found


def secrets_in_records(root: Path, ws: Workspace) -> list[Problem]:
    """The check registry's part: promise texts and the reasons in their history (no
    file IO, so loading stays fast; ``kept check`` scans every file's full text too)."""
    out: list[Problem] = []

    def look(path: str, at: tuple[int, int], value: str) -> None:
        for f in scan(value):
            line = at[0] + f.line - 1
            out.append(Finding(line, at[1] if f.line == 1 else f.col, f.what,
                               f.shown).problem(path))

    texts = [p.text for p in ws.promises]
    texts += [e.why for p in ws.promises for e in p.history if e.why]
    if not _may_hold("\n".join(texts)):
        return out
    for p in ws.promises:
        look(p.path, p.at("text"), p.text)
        for entry in p.history:
            if entry.why:
                look(p.path, p.at("history"), entry.why)
    return out


def scan_files(root: Path, paths: Iterable[str]) -> list[Problem]:
    """The full text of each file (relative paths), comments and note bodies too."""
    out: list[Problem] = []
    for path in paths:
        try:
            text = (root / path).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        out.extend(f.problem(path) for f in scan(text))
    return out


def merge_problems(problems: Sequence[Problem], scanned: Iterable[Problem]) -> list[Problem]:
    """``problems`` with the secret warnings of a full-text scan: where both name the
    same secret, the scan's exact line and column win."""
    exact = list(scanned)
    known = {(p.path, p.message) for p in exact}
    kept = [p for p in problems
            if not (p.message.startswith(PREFIX) and (p.path, p.message) in known)]
    return sorted({*kept, *exact})


class SecretFound(KeptError):
    """A commit would add something shaped like a password, token or key."""

    title = "Secret"


def refuse_new(root: Path, paths: Sequence[Path], env: Mapping[str, str],
               committed: Callable[[Path], bytes | None],
               consequence: str = "Kept did not commit it") -> None:
    """Raise :class:`SecretFound` when a file about to be committed holds a secret on a
    line that its committed version (``committed(path)``) does not have.

    Lines already in git are not news: they went out before (allowed then).
    """
    if env.get(ALLOW_ENV, "").strip() not in ("", "0"):
        return
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        findings = scan(text)
        if not findings:
            continue
        before = committed(path)
        old = set(before.decode("utf-8", errors="replace").splitlines()) if before else set()
        lines = text.splitlines()
        fresh = [f for f in findings if lines[f.line - 1] not in old]
        if fresh:
            f = fresh[0]
            shown = path.relative_to(root).as_posix() if root in path.parents else str(path)
            more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
            raise SecretFound(
                f"{shown}:{f.line}:{f.col}: this looks like {f.what} ({f.shown}){more}; "
                f"{consequence}: a secret in git stays in its history and goes to the "
                "whole team. Keep it in a password "
                f"manager. If it is not a secret, add '{ALLOW_MARKER}' to the line (a "
                f"comment), or run with {ALLOW_ENV}=1")
