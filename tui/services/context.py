"""A session: one workspace, one reading of the clock, and who "me" is.

Both faces (the CLI and the app) build one of these and hand it to the use cases;
the environment is read here and nowhere deeper.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tui.core.dates import Clock, Due, parse_date
from tui.core.models import Client, Promise, Workspace
from tui.core.slugs import fold
from tui.errors import InvalidInput, KeptError, NotFound
from tui.vcs.git import Repo
from tui.workspace.layout import STATE_DIR, resolve_root
from tui.workspace.load import Loaded, Progress, load_workspace


def clock_from_env(env: Mapping[str, str], tz: object | None) -> Clock:
    """``KEPT_TODAY=YYYY-MM-DD`` (midday) or ``YYYY-MM-DD HH:MM`` pins the clock."""
    pinned = env.get("KEPT_TODAY", "").strip()
    if pinned:
        try:
            due = Due.parse(pinned)
        except ValueError:
            try:
                return Clock.on(parse_date(pinned))
            except ValueError:
                raise InvalidInput(
                    f"KEPT_TODAY='{pinned}' is not a date; write YYYY-MM-DD"
                ) from None
        if due.time is None:
            return Clock.on(due.day)
        return Clock.at(due.moment())
    now = datetime.now(tz) if tz is not None else datetime.now()  # type: ignore[arg-type]
    return Clock.at(now)


@dataclass
class Session:
    root: Path
    env: Mapping[str, str]
    loaded: Loaded
    clock: Clock
    _repo: Repo | bool | None = field(default=False, repr=False)

    @classmethod
    def open(cls, workspace: str | None = None, env: Mapping[str, str] | None = None,
             cwd: Path | None = None) -> Session:
        env = dict(os.environ) if env is None else env
        root = resolve_root(workspace, env, cwd or Path.cwd())
        return cls.at(root, env)

    @classmethod
    def at(cls, root: Path, env: Mapping[str, str], progress: Progress | None = None) -> Session:
        loaded = load_workspace(root, progress)
        clock = clock_from_env(env, loaded.workspace.settings.timezone)
        session = cls(loaded.root, env, loaded, clock)
        session.repair_git()
        return session

    def repair_git(self) -> None:
        """Put Kept's merge driver back in .git/config when it is missing, so a plain
        ``git pull`` merges promises by id too. One ``git config --get`` when all is well."""
        from tui.vcs.sync import ensure_driver

        repo = self.repo
        if repo is not None:
            with contextlib.suppress(KeptError):  # a read-only repo still reads fine
                ensure_driver(repo)

    def reload(self) -> None:
        """Read the files again, and the clock: a long-running app crosses midnight."""
        self.loaded = load_workspace(self.root)
        self.clock = clock_from_env(self.env, self.loaded.workspace.settings.timezone)

    @property
    def ws(self) -> Workspace:
        return self.loaded.workspace

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def repo(self) -> Repo | None:
        if self._repo is False:
            self._repo = Repo.open(self.root)
        return self._repo  # type: ignore[return-value]

    def me(self) -> str | None:
        """The current user's team handle: ``KEPT_USER``, else git's user.email."""
        handle = self.env.get("KEPT_USER", "").strip()
        if handle:
            return handle
        email = self.repo.user_email() if self.repo else None
        member = self.ws.settings.member_by_email(email) if email else None
        return member.handle if member else None

    def require_me(self) -> str:
        handle = self.me()
        if handle is None:
            raise InvalidInput(
                "Kept does not know who you are: set KEPT_USER to your handle, or make "
                "'git config user.email' match your email in kept.yaml's team"
            )
        if self.ws.settings.member(handle) is None:
            raise InvalidInput(f"KEPT_USER='{handle}' is not in the team in kept.yaml")
        return handle

    # finding things by what a person types

    def client(self, ref: str) -> Client:
        """A client by slug, name, or an unambiguous beginning of either."""
        clients = self.ws.clients
        if ref in clients:
            return clients[ref]
        key = fold(ref.strip())
        exact = [c for c in clients.values() if fold(c.name) == key or c.slug == key]
        if len(exact) == 1:
            return exact[0]
        partial = [
            c for c in clients.values()
            if fold(c.name).startswith(key) or c.slug.startswith(key)
        ]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise NotFound(f"no client '{ref}'; kept agenda or the clients/ folder lists them")
        names = ", ".join(sorted(f"{c.name} ({c.slug})" for c in partial)[:8])
        raise InvalidInput(f"'{ref}' could be several clients: {names}")

    def promise(self, promise_id: str) -> Promise:
        found = self.ws.promise(promise_id.strip().lower())
        if not found:
            raise NotFound(f"no promise with id '{promise_id}'")
        if len(found) > 1:
            places = ", ".join(f"{p.path}:{p.line}" for p in found)
            raise InvalidInput(f"id '{promise_id}' is in more than one place ({places}); "
                               "give one of them a new id")
        return found[0]
