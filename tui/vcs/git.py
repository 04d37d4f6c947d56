"""Git, through GitPython's ``repo.git`` — the git command line.

GitPython's own index (``index.add`` + ``index.commit``) reads the whole tree in
Python: 6.5 s on a 12,000-file workspace against 0.25 s for ``git commit``. So every
call here is the git CLI.

A workspace may arrive as a copy (a zip, a shared folder) with a ``.git/config`` that
names commands: an fsmonitor, a hooks folder, an ssh command, clean/smudge filters, a
diff or merge driver, a credential helper, a gpg program, an upload-pack... Git runs
those on its own during ``status``, ``add``, ``commit``, ``fetch``. So every call runs
with ``-c`` overrides: :data:`SAFE_OPTIONS` always, and for each such key the
repository's own configuration (or a file it includes) sets, the value from the
person's global configuration, or a harmless one (:func:`neutralise`). A key that
``-c`` cannot express makes Kept refuse to run git there at all.

A commit names its files exactly (``git commit --only -- paths``): whatever else the
person has staged or changed stays as it was. A commit that fails leaves the index as
it found those paths. A stale ``index.lock`` left by a git that was killed is
recognised and removed; one held by a running git is waited for
(:meth:`Repo.wait_for_index`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import git

from tui import faults
from tui.errors import GitError
from tui.workspace.procs import pid_alive
from tui.workspace.text import conflict_markers

#: Always passed: no hooks, no fsmonitor, no ``ext::`` transport, no submodules.
SAFE_OPTIONS = [
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "protocol.ext.allow=never",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
]
FALLBACK_NAME = "Kept"
FALLBACK_EMAIL = "kept@localhost"

#: How long a Kept commit waits for a running git to release ``index.lock``.
LOCK_WAIT = 10.0
#: A lock unchanged this long, with no git running in the repository, is stale.
STALE_LOCK_AGE = 1.0
#: Where no process list can be read: a lock this old is stale.
STALE_LOCK_AGE_BLIND = 60.0

# The configuration scopes git reads from the repository itself (and what it includes).
_UNTRUSTED_SCOPES = frozenset({"local", "worktree", "unknown"})
_GPG_PROGRAMS = {"openpgp": "gpg", "x509": "gpgsm", "ssh": "ssh-keygen"}
#: What runs in place of a merge driver the repository names: git's own line merge.
TEXT_MERGE = "git merge-file --marker-size=%L %A %O %B"


@dataclass(frozen=True)
class Guard:
    """What a repository's own configuration needs: ``-c`` overrides, or a refusal."""

    options: tuple[str, ...] = ()
    refusal: str | None = None


def neutralise(entries: Iterable[tuple[str, str, str]],
               env: Mapping[str, str] | None = None) -> Guard:
    """The ``-c`` overrides for config entries ``(scope, key, value)`` (as from
    ``git config --show-scope --list``) that would make git run a command.

    Entries from the person's own configuration (system, global, command line) are
    trusted; for those the repository sets, the trusted value is put back (or a
    harmless one where there is none). Keys where git takes the *first* value cannot
    be replaced this way: ``core.gitProxy`` switches the git:// protocol off, and
    ``remote.<name>.uploadpack``/``receivepack`` are named on the command line of every
    fetch and push (:mod:`tui.vcs.sync`).
    """
    env = os.environ if env is None else env
    trusted: dict[str, str] = {}
    trusted_helpers: list[tuple[str, str]] = []
    untrusted: list[str] = []
    for scope, key, setting in entries:
        if scope in _UNTRUSTED_SCOPES:
            untrusted.append(key)
            continue
        trusted[key] = setting
        if key.startswith("credential.") and key.endswith(".helper"):
            trusted_helpers.append((key, setting))
    options: dict[str, str] = {}
    extra: list[str] = []
    refused: list[str] = []
    helpers = False
    filters: list[str] = []
    for key in untrusted:
        section, _, rest = key.partition(".")
        sub, _, name = rest.rpartition(".")
        value: str | None = None
        if key == "core.sshcommand":
            value = trusted.get(key) or env.get("GIT_SSH") or "ssh"
        elif key == "core.askpass":
            value = trusted.get(key, "")
        elif key in ("core.editor", "sequence.editor"):
            value = ":"
        elif key == "core.pager":
            value = "cat"
        elif key == "core.alternaterefscommand":
            value = ""
        elif key == "core.gitproxy":  # the first value wins, so -c cannot replace it
            options["protocol.git.allow"] = "never"
        elif key == "diff.external":
            value = ""
        elif section == "credential" and name == "helper":
            helpers = True
        elif section == "diff" and sub and name == "textconv":
            value = "cat"
        elif section == "diff" and sub and name == "command":
            value = ""
        elif section == "filter" and sub and name in ("clean", "smudge", "process"):
            if sub not in filters:
                filters.append(sub)
        elif section == "merge" and sub and name == "driver" and sub != "kept":
            value = TEXT_MERGE
        elif key == "gpg.program":
            value = trusted.get(key, "gpg")
        elif section == "gpg" and sub in _GPG_PROGRAMS and name == "program":
            value = trusted.get(key, _GPG_PROGRAMS[sub])
        elif key == "gpg.ssh.defaultkeycommand":
            value = trusted.get(key, "")
        else:
            continue
        if "=" in key:
            refused.append(key)
        elif value is not None:
            options[key] = value
    for sub in filters:
        if "=" in sub:
            refused.append(f"filter.{sub}")
            continue
        # cat: the content as it is; an empty process with required=false: git skips it.
        options.update({f"filter.{sub}.clean": "cat", f"filter.{sub}.smudge": "cat",
                        f"filter.{sub}.process": "", f"filter.{sub}.required": "false"})
    if helpers:  # an empty helper empties the list; then only the person's own ones
        extra = ["credential.helper=",
                 *(f"{k}={v}" for k, v in trusted_helpers if "=" not in k)]
    if refused:
        return Guard(refusal=(
            f"this repository's .git/config (or a file it includes) sets {refused[0]}, "
            "which can make git run a command and which Kept cannot switch off; Kept "
            "runs no git here. Remove it (git config --local --list shows it), then "
            "try again"))
    return Guard(tuple(f"{k}={v}" for k, v in options.items()) + tuple(extra))


def _config_entries(g: git.Git) -> list[tuple[str, str, str]]:
    """Every config entry git sees here, with its scope (git 2.26+); older git: the
    repository's own entries only, as untrusted."""
    status, out, _err = g.config("--show-scope", "--null", "--list",
                                 with_extended_output=True, with_exceptions=False)
    scoped = status == 0
    if not scoped:
        status, out, _err = g.config("--local", "--includes", "--null", "--list",
                                     with_extended_output=True, with_exceptions=False)
        if status != 0:
            return []
    fields = str(out).split("\0")
    entries = []
    if scoped:
        for scope, entry in zip(fields[0::2], fields[1::2], strict=False):
            key, _, value = entry.partition("\n")
            entries.append((scope, key, value))
    else:
        for entry in fields:
            key, _, value = entry.partition("\n")
            if key:
                entries.append(("local", key, value))
    return entries


def _message(exc: git.GitCommandError) -> str:
    err = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
    text = err.strip().removeprefix("stderr:").strip().strip("'").strip()
    return text or str(exc)


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str
    fallback_identity: bool  # git had no user.email; committed as Kept


@dataclass(frozen=True)
class Status:
    """What the footer shows: the branch, files not committed, and the distance to
    the upstream branch (None when there is no upstream)."""

    branch: str
    uncommitted: int
    ahead: int | None
    behind: int | None


@dataclass(frozen=True)
class LogEntry:
    sha: str
    date: str  # YYYY-MM-DD
    author: str
    subject: str


ENTRIES_FRESH = 5.0  # seconds the config entries read on opening answer for git config


class Repo:
    """The git repository a workspace lives in."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo
        self.git = repo.git
        # Kept's own git calls never take optional locks (git status refreshing the
        # index), so a status in the app never makes a commit fail on index.lock.
        self.git.update_environment(GIT_OPTIONAL_LOCKS="0")
        self.git.set_persistent_git_options(c=SAFE_OPTIONS)
        self.workdir = Path(repo.working_tree_dir or ".").resolve()
        self._entries = _config_entries(self.git)
        self._opened_at = time.monotonic()
        self.guard = neutralise(self._entries)
        if self.guard.refusal is not None:
            # Any git call that slips past check_safe() fails instead of running.
            self._options = [*SAFE_OPTIONS, "=kept-refuses-this-repository"]
        else:
            self._options = [*SAFE_OPTIONS, *self.guard.options]
        self.git.set_persistent_git_options(c=self._options)
        self._git_dir: Path | None = None

    @classmethod
    def open(cls, root: Path) -> Repo | None:
        """The repository holding ``root``, or None when it is not in one."""
        try:
            return cls(git.Repo(root, search_parent_directories=True))
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None
        except git.GitCommandNotFound:
            return None

    @classmethod
    def init(cls, root: Path) -> Repo:
        try:
            repo = git.Repo.init(root, initial_branch="main")
        except git.GitCommandError as exc:
            raise GitError(f"git init failed: {_message(exc)}") from exc
        except git.GitCommandNotFound as exc:
            raise GitError("git is not installed; install it to keep history and sync") from exc
        return cls(repo)

    def check_safe(self) -> None:
        """Raise when this repository's configuration cannot be made safe to run."""
        if self.guard.refusal is not None:
            raise GitError(self.guard.refusal)

    def with_options(self, options: Sequence[str]) -> git.Git:
        """A git command runner with extra ``-c`` options for some calls.

        A separate object, since ``repo.git(c=...)`` keeps the options on the shared
        one until its next call — which, in the app, may be another thread's.
        """
        g = git.Git(self.workdir)
        g.set_persistent_git_options(c=[*self._options, *options])
        g.update_environment(**self.git.environment())
        return g

    @property
    def git_dir(self) -> Path:
        if self._git_dir is None:
            self._git_dir = Path(self._repo.git_dir).resolve()
        return self._git_dir

    def config(self, key: str) -> str | None:
        try:
            value = self.git.config("--get", key)
        except git.GitCommandError:
            return None
        return str(value).strip() or None

    def user_email(self) -> str | None:
        # A command commits moments after opening the repository: the entries read
        # then still hold (one git less per commit). A long-lived app asks again.
        known = [value for _, key, value in self._entries if key == "user.email"]
        if known and time.monotonic() - self._opened_at < ENTRIES_FRESH:
            return known[-1].strip() or None
        return self.config("user.email")

    def _identity(self) -> list[str]:
        if self.user_email():
            return []
        return [f"user.name={FALLBACK_NAME}", f"user.email={FALLBACK_EMAIL}"]

    def relative(self, path: Path) -> str:
        return Path(os.path.abspath(path)).relative_to(self.workdir).as_posix()

    # index.lock

    def lock_files(self) -> list[Path]:
        """The lock files a git that was killed can leave behind and that stop the
        next commit: the index's, HEAD's and the current branch's."""
        gd = self.git_dir
        locks = [gd / "index.lock", gd / "HEAD.lock", gd / "packed-refs.lock"]
        with contextlib.suppress(OSError, UnicodeDecodeError):
            head = (gd / "HEAD").read_text("utf-8").strip()
            if head.startswith("ref: refs/") and ".." not in head:
                locks.append(gd / (head.removeprefix("ref: ") + ".lock"))
        return locks

    def wait_for_index(self, timeout: float | None = None) -> None:
        """Return once git's locks are free: a stale one (its git was killed) is
        removed; one a running git holds is waited for, up to ``timeout`` seconds
        (default :data:`LOCK_WAIT`), then a clear error."""
        wait = LOCK_WAIT if timeout is None else timeout
        deadline = time.monotonic() + wait
        self._sweep_temp_indexes()
        for lock in self.lock_files():
            while True:
                try:
                    age = time.time() - lock.stat().st_mtime
                except FileNotFoundError:
                    break
                running = _git_running_in((self.workdir, self.git_dir))
                if (running is False and age >= STALE_LOCK_AGE) or (
                        running is None and age >= STALE_LOCK_AGE_BLIND):
                    with contextlib.suppress(FileNotFoundError):
                        lock.unlink()
                    continue
                if time.monotonic() >= deadline:
                    who = "a running git" if running else "another program"
                    raise GitError(
                        f"git is busy in this repository: {lock} is held by {who}; Kept "
                        f"waited {wait:g} s. Try again when it is done (if no git is "
                        "running, delete that file)")
                time.sleep(0.05)

    def _sweep_temp_indexes(self) -> None:
        """``git commit --only`` stages into ``next-index-<pid>.lock``; a git killed
        meanwhile leaves it behind. Nothing reads it again: remove those of dead gits."""
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.git_dir):
                name = entry.name
                pid = name.removeprefix("next-index-").removesuffix(".lock")
                if name.startswith("next-index-") and name.endswith(".lock") and (
                        pid.isdigit() and not pid_alive(int(pid))):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)

    def commit(self, paths: Sequence[Path], message: str) -> Commit:
        """Commit exactly ``paths`` (added, changed or deleted) with ``message``.

        If it fails, the index holds those paths as it did before (nothing is left
        staged behind the person's back) and the error says why.
        """
        self.check_safe()
        for path in paths:
            if path.is_file() and conflict_markers(path.read_text("utf-8", errors="replace")):
                raise GitError(f"{path} holds git conflict markers; Kept never commits them")
        rels = [self.relative(p) for p in paths]
        identity = self._identity()
        self.wait_for_index()
        staged = False
        runner = self.with_options(identity) if identity else self.git
        try:
            faults.point("commit.add")
            staged = True
            faults.point("commit.commit")
            try:
                # Files git already tracks (nearly every edit): commit --only stages
                # them itself, one git instead of two.
                runner.commit("--only", "--quiet", "-m", message, "--", *rels)
            except git.GitCommandError as exc:
                if "did not match any file(s) known to git" not in _message(exc):
                    raise
                # A new file (or one deleted before git saw it): stage, then commit.
                present = [r for r, p in zip(rels, paths, strict=True) if p.exists()]
                if present:
                    self.git.add("--", *present)
                gone = [r for r, p in zip(rels, paths, strict=True) if not p.exists()]
                if gone:
                    self.git.rm("--cached", "--quiet", "--ignore-unmatch", "--", *gone)
                runner.commit("--only", "--quiet", "-m", message, "--", *rels)
        except (git.GitCommandError, OSError) as exc:
            if staged:
                self._unstage(rels)
            reason = _message(exc) if isinstance(exc, git.GitCommandError) else (
                exc.strerror or str(exc))
            shown = ", ".join(rels[:3]) + (f" and {len(rels) - 3} more" if len(rels) > 3 else "")
            raise GitError(f"git could not commit {shown}: {reason}; nothing was "
                           "committed") from exc
        faults.point("commit.done")
        return Commit(self._head_from_files() or self.head() or "", message, bool(identity))

    def _head_from_files(self) -> str | None:
        """HEAD's commit read from .git itself, as git just wrote it (a branch's loose
        ref); None when it is anything else (packed, detached oddly, reftable)."""
        with contextlib.suppress(OSError, UnicodeDecodeError):
            head = (self.git_dir / "HEAD").read_text("utf-8").strip()
            if head.startswith("ref: refs/heads/") and ".." not in head:
                sha = (self.git_dir / head.removeprefix("ref: ")).read_text("utf-8").strip()
                if len(sha) in (40, 64) and all(c in "0123456789abcdef" for c in sha):
                    return sha
        return None

    def _unstage(self, rels: Sequence[str]) -> None:
        """Put the index entries of ``rels`` back to what HEAD has (best effort)."""
        with contextlib.suppress(git.GitCommandError, OSError):
            if self.head() is None:
                self.git.rm("--cached", "--quiet", "--ignore-unmatch", "--", *rels)
            else:
                self.git.reset("--quiet", "HEAD", "--", *rels)

    def head(self) -> str | None:
        try:
            return str(self.git.rev_parse("--verify", "--quiet", "HEAD")).strip() or None
        except (git.GitCommandError, OSError):
            return None

    def committed(self, path: Path) -> bytes | None:
        """The file as HEAD has it; None when HEAD has no such file (or no HEAD)."""
        try:
            status, out, _err = self.git.cat_file(
                "blob", f"HEAD:{self.relative(path)}", with_extended_output=True,
                with_exceptions=False, stdout_as_string=False, strip_newline_in_stdout=False)
        except OSError:
            return None
        return bytes(out) if status == 0 else None

    def log(self, *args: str) -> str:
        return str(self.git.log(*args))

    def status(self) -> Status:
        self.check_safe()
        out = str(self.git.status("--porcelain=v2", "--branch", "--untracked-files=normal"))
        branch, ahead, behind, changed = "", None, None, 0
        for line in out.splitlines():
            if line.startswith("# branch.head "):
                branch = line.split(" ", 2)[2]
            elif line.startswith("# branch.ab "):
                a, b = line.split(" ")[2:4]
                ahead, behind = int(a), -int(b)
            elif line and not line.startswith("#"):
                changed += 1
        return Status(branch, changed, ahead, behind)

    def history(self, path: Path, limit: int = 50) -> list[LogEntry]:
        """The newest commits that touched ``path`` (a file or a folder)."""
        try:
            out = str(self.git.log(f"-{limit}", "--format=%h%x1f%ad%x1f%an%x1f%s",
                                   "--date=short", "--", self.relative(path)))
        except git.GitCommandError:
            return []
        entries = []
        for line in out.splitlines():
            parts = line.split("\x1f")
            if len(parts) == 4:
                entries.append(LogEntry(*parts))
        return entries


def _git_running_in(places: Sequence[Path]) -> bool | None:
    """Whether a git process runs in one of ``places`` (its working folder is there):
    True, False, or None where processes cannot be listed (not Linux)."""
    proc = Path("/proc")
    if not (proc / "self" / "cwd").exists():
        return None
    for entry in os.scandir(proc):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            comm = (proc / entry.name / "comm").read_text().strip()
            if not comm.startswith("git"):
                continue
            state = (proc / entry.name / "stat").read_text().rpartition(")")[2].split()
            if state and state[0] in ("Z", "X"):  # dead, not yet reaped
                continue
            cwd = Path(os.readlink(proc / entry.name / "cwd"))
        except FileNotFoundError:  # it ended meanwhile
            continue
        except OSError:  # a git we may not look at: assume it is in here
            return True
        if any(cwd == p or p in cwd.parents for p in places):
            return True
    return False


def global_identity() -> tuple[str | None, str | None]:
    """``user.name`` and ``user.email`` from git's global configuration."""
    g = git.Git()
    values = []
    for key in ("user.name", "user.email"):
        try:
            values.append(str(g.config("--get", key)).strip() or None)
        except (git.GitCommandError, git.GitCommandNotFound):
            values.append(None)
    return values[0], values[1]

