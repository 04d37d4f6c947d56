"""The git side of ``kept sync``: the merge driver's setup, fetch, merge, push.

Every call goes through :class:`tui.vcs.git.Repo`'s ``git`` (so the safe ``-c``
overrides apply: no hooks, no fsmonitor) and never prompts for a password unless
asked to, so a background sync cannot hang on a question nobody sees. Nothing here
decides what a sync does; :mod:`tui.services.sync` does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from tui.errors import GitError
from tui.vcs.git import SAFE_OPTIONS, Repo
from tui.vcs.merge import LOG_ENV

#: The programs git runs on the other end, named on the command line: a received
#: .git/config may name others (remote.<name>.uploadpack), and for those the first
#: value wins, so a ``-c`` override cannot replace them.
UPLOAD_PACK = "--upload-pack=git-upload-pack"
RECEIVE_PACK = "--receive-pack=git-receive-pack"

DRIVER = "kept"
DRIVER_NAME = "Kept: promises by id, cards key by key"
#: What .gitattributes says (the template carries the same lines).
ATTRIBUTES = (
    "/kept.yaml merge=kept",
    "clients/*/client.yaml merge=kept",
    "clients/*/promises.yaml merge=kept",
)


def driver_command(python: str | None = None) -> str:
    """``"<python>" -P -m tui merge-driver %O %A %B %P`` for this very interpreter.

    Absolute, so ``git pull`` by hand finds it without ``kept`` on PATH; ``-P`` keeps
    the repository's own folder off ``sys.path``, so a ``tui/`` folder in a received
    workspace can never stand in for Kept.
    """
    exe = python or sys.executable
    for ch in ("\\", '"', "$", "`"):
        exe = exe.replace(ch, "\\" + ch)
    return f'"{exe}" -P -m tui merge-driver %O %A %B %P'


def driver_options() -> list[str]:
    """``-c`` values that make a single git call use Kept's driver, whatever the
    repository's configuration says."""
    return [f"merge.{DRIVER}.name={DRIVER_NAME}", f"merge.{DRIVER}.driver={driver_command()}"]


def ensure_driver(repo: Repo) -> bool:
    """Configure the merge driver in .git/config when it is missing or stale.

    Cheap when all is well: one ``git config --get``. Returns True when it wrote.
    """
    if repo.config(f"merge.{DRIVER}.driver") == driver_command():
        return False
    try:
        repo.git.config(f"merge.{DRIVER}.name", DRIVER_NAME)
        repo.git.config(f"merge.{DRIVER}.driver", driver_command())
    except git.GitCommandError as exc:
        raise GitError(f"could not configure Kept's merge driver: {_message(exc)}") from exc
    return True


def ensure_attributes(repo: Repo, root: Path) -> bool:
    """Make the driver apply in a workspace whose .gitattributes predates it.

    The lines go to ``.git/info/attributes`` (this clone only, nothing to commit).
    Returns True when it wrote.
    """
    try:
        committed = (root / ".gitattributes").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        committed = ""
    if all(line in committed for line in ATTRIBUTES):
        return False
    prefix = repo.relative(root)
    prefix = "" if prefix == "." else prefix + "/"
    wanted = [f"/{prefix}{line.lstrip('/')}" for line in ATTRIBUTES]
    info = git_dir(repo) / "info" / "attributes"
    try:
        present = info.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        present = ""
    missing = [line for line in wanted if line not in present.splitlines()]
    if not missing:
        return False
    info.parent.mkdir(parents=True, exist_ok=True)
    sep = "" if not present or present.endswith("\n") else "\n"
    with open(info, "a", encoding="utf-8") as fh:
        fh.write(sep + "# Kept's merge driver (kept sync)\n" + "\n".join(missing) + "\n")
    return True


def git_dir(repo: Repo) -> Path:
    return Path(str(repo.git.rev_parse("--absolute-git-dir")).strip())


def _message(exc: git.GitCommandError) -> str:
    err = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
    text = err.strip().removeprefix("stderr:").strip().strip("'").strip()
    return text or str(exc)


@dataclass(frozen=True)
class Upstream:
    """Where a branch syncs with: ``origin`` / ``main``."""

    remote: str
    branch: str
    configured: bool  # False: guessed (the only remote, same branch name); set on push

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"

    def __str__(self) -> str:
        return f"{self.remote}/{self.branch}"


@dataclass(frozen=True)
class Result:
    status: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.status == 0

    @property
    def message(self) -> str:
        """git's last word on it (its stderr's last line, usually the reason)."""
        lines = (self.err.strip() or self.out.strip()).splitlines()
        return lines[-1].removeprefix("fatal: ").removeprefix("error: ") if lines else (
            f"git exited with {self.status}")


@dataclass(frozen=True)
class Stage:
    mode: str
    sha: str


class SyncGit:
    """The git operations a sync needs, on one repository."""

    def __init__(self, repo: Repo, prompt: bool = False) -> None:
        self.repo = repo
        self.git = repo.git
        self.workdir = repo.workdir
        self.env = {} if prompt else {"GIT_TERMINAL_PROMPT": "0"}

    # running

    def run(self, *args: str, options: Sequence[str] = (), **kwargs: Any) -> Result:
        """Run ``git args``; never raises for a non-zero exit."""
        cmd = self.repo.with_options(options) if options else self.git
        status, out, err = getattr(cmd, args[0])(
            *args[1:], with_extended_output=True, with_exceptions=False, env=self.env,
            **kwargs,
        )
        return Result(int(status), out if isinstance(out, str) else "", str(err or ""))

    def must(self, *args: str, what: str = "", **kwargs: Any) -> str:
        result = self.run(*args, **kwargs)
        if not result.ok:
            raise GitError(f"git {what or args[0]} failed: {result.message}")
        return result.out

    # where we are

    def head(self) -> str | None:
        return self.rev("HEAD")

    def rev(self, ref: str) -> str | None:
        result = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return (result.out.strip() or None) if result.ok else None

    def branch(self) -> str | None:
        result = self.run("symbolic-ref", "--quiet", "--short", "HEAD")
        return (result.out.strip() or None) if result.ok else None

    def in_progress(self) -> str | None:
        """'a merge', 'a rebase'... when git is in the middle of one, else None."""
        gd = git_dir(self.repo)
        for name, what in (("MERGE_HEAD", "a merge"), ("rebase-merge", "a rebase"),
                           ("rebase-apply", "a rebase"), ("CHERRY_PICK_HEAD", "a cherry-pick"),
                           ("REVERT_HEAD", "a revert")):
            if (gd / name).exists():
                return what
        return None

    def upstream(self, branch: str) -> Upstream | None:
        """The configured upstream, else the only remote (or origin) with this branch's
        name; None when there is no remote at all."""
        remote = self.repo.config(f"branch.{branch}.remote")
        merge = self.repo.config(f"branch.{branch}.merge")
        if remote and merge and remote != ".":
            return Upstream(remote, merge.removeprefix("refs/heads/"), True)
        remotes = [r for r in self.run("remote").out.split() if r]
        if not remotes:
            return None
        if "origin" in remotes:
            return Upstream("origin", branch, False)
        if len(remotes) == 1:
            return Upstream(remotes[0], branch, False)
        raise GitError(f"this repository has several remotes ({', '.join(remotes)}) and "
                       f"'{branch}' tracks none of them; pick one with: "
                       f"git branch --set-upstream-to REMOTE/{branch}")

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run("merge-base", "--is-ancestor", older, newer).ok

    def merge_base(self, a: str, b: str) -> str | None:
        result = self.run("merge-base", a, b)
        return (result.out.strip() or None) if result.ok else None

    # the network

    def fetch(self, up: Upstream) -> tuple[Result, bool]:
        """Fetch the upstream branch; (result, whether the remote has the branch)."""
        result = self.run("fetch", "--quiet", "--no-tags", UPLOAD_PACK, "--", up.remote,
                          f"+refs/heads/{up.branch}:{up.tracking}")
        if result.ok:
            return result, True
        # A new, empty remote has no branch yet: reachable, and nothing to bring in.
        listed = self.run("ls-remote", "--exit-code", "--heads", UPLOAD_PACK, "--", up.remote,
                          f"refs/heads/{up.branch}")
        return (listed, False) if listed.status == 2 else (result, True)

    def push(self, up: Upstream) -> tuple[str, str]:
        """Push HEAD to the upstream branch, never forced.

        Returns ('ok' | 'rejected' | 'failed', message); 'rejected' means the remote
        moved on and a fetch and merge may fix it.
        """
        args = ["push", "--porcelain", RECEIVE_PACK]
        if not up.configured:
            args.append("--set-upstream")
        result = self.run(*args, "--", up.remote, f"HEAD:refs/heads/{up.branch}")
        if result.ok:
            return "ok", ""
        lines = result.out.splitlines()
        if any("[rejected]" in line for line in lines if line.startswith("!")):
            return "rejected", result.message
        refused = [line.split("\t")[-1] for line in lines if line.startswith("!")]
        return "failed", (refused[0] if refused else result.message)

    # merging

    def merge(self, sha: str, message: str, log: Path | None = None) -> Result:
        """Merge ``sha`` without committing, with Kept's driver whatever the config
        says; the driver notes what it kept in ``log``."""
        env = self.env if log is None else {**self.env, LOG_ENV: str(log)}
        cmd = self.repo.with_options(driver_options())
        status, out, err = cmd.merge("--no-ff", "--no-commit", "--no-edit", "--quiet", "-m",
                                     message, sha, with_extended_output=True,
                                     with_exceptions=False, env=env)
        return Result(int(status), str(out or ""), str(err or ""))

    def fast_forward(self, sha: str) -> Result:
        return self.run("merge", "--ff-only", "--quiet", sha)

    def unmerged(self) -> dict[str, dict[int, Stage]]:
        """Paths git could not merge, with their index stages (1 base, 2 ours, 3 theirs)."""
        out: dict[str, dict[int, Stage]] = {}
        for entry in self.must("ls-files", "--unmerged", "-z").split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            mode, sha, stage = meta.split()
            out.setdefault(path, {})[int(stage)] = Stage(mode, sha)
        return out

    def blob(self, sha: str) -> bytes:
        data = self.git.cat_file("blob", sha, stdout_as_string=False,
                                 strip_newline_in_stdout=False)
        return bytes(data)

    def show(self, rev: str, path: str) -> bytes | None:
        result = self.run("cat-file", "-e", f"{rev}:{path}")
        if not result.ok:
            return None
        data = self.git.cat_file("blob", f"{rev}:{path}", stdout_as_string=False,
                                 strip_newline_in_stdout=False)
        return bytes(data)

    def stage(self, paths: Sequence[str]) -> None:
        present = [p for p in paths if (self.workdir / p).exists()]
        gone = [p for p in paths if not (self.workdir / p).exists()]
        if present:
            self.must("add", "--", *present, what="add")
        if gone:
            self.must("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *gone, what="rm")

    def restore(self, rev: str, paths: Sequence[str]) -> None:
        """Files as they are in ``rev``, in the index and the working tree."""
        if paths:
            self.must("checkout", rev, "--", *paths, what="checkout")

    def commit_merge(self, message: str, identity: Sequence[str]) -> str:
        self.must("commit", "--quiet", "--no-edit", "-m", message, options=identity,
                  what="commit")
        return self.must("rev-parse", "HEAD").strip()

    def abort_merge(self) -> None:
        if (git_dir(self.repo) / "MERGE_HEAD").exists():
            self.run("merge", "--abort")

    def reset_keep(self, sha: str) -> None:
        """Move back to ``sha``; files changed by hand and not involved stay as they are."""
        self.must("reset", "--quiet", "--keep", sha, what="reset")

    # reading trees

    def client_dirs(self, rev: str, clients: str) -> set[str]:
        """The client folders (``clients/askona``) in a commit or tree."""
        result = self.run("ls-tree", "-d", "--name-only", "-z", rev, "--", clients + "/")
        return {p for p in result.out.split("\0") if p} if result.ok else set()

    def write_tree(self) -> str:
        return self.must("write-tree").strip()

    def files(self, rev: str, folder: str) -> list[str]:
        result = self.run("ls-tree", "-r", "--name-only", "-z", rev, "--", folder + "/")
        return [p for p in result.out.split("\0") if p] if result.ok else []

    def changes(self, old: str, new: str, *pathspecs: str) -> list[tuple[str, str]]:
        """(status letter, path) of every file that differs, without rename pairing."""
        out = self.must("diff", "--name-status", "--no-renames", "-z", old, new, "--",
                        *pathspecs, what="diff")
        parts = [p for p in out.split("\0") if p]
        return [(parts[i][0], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]

    def in_index(self, path: str) -> bool:
        return bool(self.run("ls-files", "--cached", "-z", "--", path).out.strip("\0"))

    def subjects(self, revs: str, limit: int = 200) -> list[str]:
        result = self.run("log", f"-{limit}", "--no-merges", "--format=%s", revs)
        return [s for s in result.out.splitlines() if s] if result.ok else []

    def count(self, revs: str) -> int:
        result = self.run("rev-list", "--count", revs)
        return int(result.out.strip() or 0) if result.ok else 0

    def status(self, pathspecs: Sequence[str]) -> list[tuple[str, str]]:
        """(XY, path) of what differs from HEAD under ``pathspecs``, untracked included."""
        out = self.must("status", "--porcelain=v1", "-z", "--untracked-files=all",
                        "--no-renames", "--", *pathspecs, what="status")
        return [(e[:2], e[3:]) for e in out.split("\0") if len(e) > 3]

    def staged_elsewhere(self, pathspecs: Sequence[str]) -> list[str]:
        """Files staged by hand outside ``pathspecs``: git refuses to merge over them."""
        out = self.run("diff", "--cached", "--name-only", "-z", "--", ".",
                       *(f":(exclude){p}" for p in pathspecs)).out
        return [p for p in out.split("\0") if p]


def clone(url: str, target: Path, prompt: bool = False) -> Repo:
    """``git clone URL TARGET`` without hooks; the new repository, opened."""
    env = dict(os.environ)
    if not prompt:
        env["GIT_TERMINAL_PROMPT"] = "0"
    g = git.Git()
    g.set_persistent_git_options(c=SAFE_OPTIONS)
    status, _out, err = g.clone("--quiet", "--", url, str(target), with_extended_output=True,
                                with_exceptions=False, env=env)
    if status != 0:
        text = str(err or "").strip().splitlines()
        raise GitError(f"git clone failed: {text[-1] if text else f'exit {status}'}")
    repo = Repo.open(target)
    if repo is None:
        raise GitError(f"git clone made no repository at {target}")
    if repo.head() is None:
        _check_out_a_branch(repo)
    return repo


def _check_out_a_branch(repo: Repo) -> None:
    """A remote whose HEAD names a branch that does not exist (a bare repository made
    with another default branch) clones empty: take ``main``, else its only branch."""
    refs = str(repo.git.for_each_ref("--format=%(refname:short)", "refs/remotes/origin"))
    branches = [r.removeprefix("origin/") for r in refs.split() if r != "origin/HEAD"]
    if not branches:
        return  # a truly empty remote: the first sync pushes
    branch = "main" if "main" in branches else branches[0]
    try:
        repo.git.checkout("-q", "-B", branch, "--track", f"origin/{branch}")
    except git.GitCommandError as exc:
        raise GitError(f"cloned, but could not check out {branch}: {_message(exc)}") from exc
