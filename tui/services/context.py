"""A session: one workspace, one reading of the clock, and who "me" is.

Both faces (the CLI and the app) build one of these and hand it to the use cases;
the environment is read here and nowhere deeper.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Collection, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.dates import Clock, Due, parse_date
from tui.core.models import Client, Promise, Settings, Workspace
from tui.core.slugs import fold
from tui.errors import InvalidInput, KeptError, NotFound
from tui.index import Index, View
from tui.workspace.layout import STATE_DIR, rel, resolve_root

if TYPE_CHECKING:
    from tui.vcs.git import Repo
    from tui.workspace.layout import Entry
    from tui.workspace.load import FileResult, Loaded, Progress


#: Indexes the background server brought up to date just before it forked this
#: process to run a command (see tui.server): a session over one of these workspaces
#: starts from it instead of checking every file again.
PRIMED: dict[Path, tuple[Index, View]] = {}


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
    """The workspace as the index sees it (``view``), the clock, and who "me" is.

    ``view`` answers the agenda, the checks and the actions without building every
    record; ``loaded`` (every record) is built only when a face asks for it.
    """

    root: Path
    env: Mapping[str, str]
    _view: View | None
    clock: Clock
    index: Index
    _loaded: Loaded | None = field(default=None, repr=False)
    _stale: bool = field(default=False, repr=False)
    _repo: Repo | bool | None = field(default=False, repr=False)
    _read: dict[str, str] = field(default_factory=dict, repr=False)  # path -> sha read
    # Reloads come from several threads in the app: one at a time, so the view kept
    # is the one refreshed last.
    _reloading: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, workspace: str | None = None, env: Mapping[str, str] | None = None,
             cwd: Path | None = None) -> Session:
        env = dict(os.environ) if env is None else env
        root = resolve_root(workspace, env, cwd or Path.cwd())
        return cls.at(root, env)

    @classmethod
    def at(cls, root: Path, env: Mapping[str, str],
           progress: Progress | None = None) -> Session:
        primed = PRIMED.pop(root, None)
        if primed is not None:
            index, view = primed
        else:
            index = Index(root, env)
            view = index.refresh(progress)
        clock = clock_from_env(env, view.settings.timezone)
        session = cls(index.root, env, view, clock, index)
        session.repair_git()
        return session

    def repair_git(self) -> None:
        """Put Kept's merge driver back in .git/config when it is missing, so a plain
        ``git pull`` merges promises by id too. Reading the config file is all it costs
        when all is well; git itself is only started to repair."""
        if _driver_configured(self.root):
            return
        from tui.vcs.sync import ensure_driver

        repo = self.repo
        if repo is not None:
            with contextlib.suppress(KeptError):  # a read-only repo still reads fine
                ensure_driver(repo)

    def reload(self, changed: Collection[str] | None = None) -> bool:
        """Bring the view up to date with the files, and the clock: a long-running app
        crosses midnight. ``changed``: the workspace-relative paths a watcher saw change
        (only their client folders are looked at again). True when the view changed."""
        with self._reloading:
            before = self._view
            self._view = self.index.refresh(changed=changed)
            self._stale = False
            if self._view is not before:  # the index keeps its view when nothing changed
                self._loaded = None
            self.clock = clock_from_env(self.env, self._view.settings.timezone)
            return self._view is not before

    def invalidate(self) -> None:
        """The files changed (Kept wrote them): refresh when the view is next asked for.
        A command that ends after its change never pays for the refresh."""
        self._stale = True
        self._loaded = None

    @property
    def view(self) -> View:
        if self._stale or self._view is None:
            self.reload()
        assert self._view is not None
        return self._view

    @property
    def loaded(self) -> Loaded:
        """Every record of the workspace (built on first use, from the cache)."""
        if self._loaded is None:
            self._loaded = self.index.full(self.view)
        return self._loaded

    @property
    def has_everything(self) -> bool:
        """Whether every record is already read (``ws`` is then free)."""
        return self._loaded is not None

    @property
    def ws(self) -> Workspace:
        """Every record; the agenda's few are in ``view.workspace()``."""
        return self.loaded.workspace

    def client_workspace_of(self, paths: AbstractSet[str]) -> Workspace:
        """The records of some files only (read from the cache)."""
        results = self.index.records(self.view, set(paths))
        clients = {r.client.slug: r.client for r in results if r.client is not None}
        return Workspace(self.settings, clients,
                         tuple(p for r in results for p in r.promises),
                         tuple(r.note for r in results if r.note is not None))

    def client_workspace(self, slug: str) -> Workspace:
        """Every record of one client (its card, promises and notes), read from the
        cache: what a client page needs, without every other client's records."""
        if self._loaded is not None:
            ws = self._loaded.workspace
            return Workspace(ws.settings, {slug: ws.clients[slug]} if slug in ws.clients
                             else {}, tuple(p for p in ws.promises if p.client == slug),
                             tuple(n for n in ws.notes if n.client == slug))
        return self.client_workspace_of({e.path for e in self.view.entries if e.slug == slug})

    @property
    def settings(self) -> Settings:
        return self.view.settings

    @property
    def clients(self) -> Mapping[str, Client]:
        """Every client, as the agenda knows them (light: ``client()`` reads a card)."""
        return self.view.clients

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def repo(self) -> Repo | None:
        if self._repo is False:
            from tui.vcs.git import Repo  # GitPython loads only when git is needed

            self._repo = Repo.open(self.root)
        return self._repo  # type: ignore[return-value]

    def fingerprint(self, path: Path) -> str | None:
        """The sha256 of a file as the session read it: what an edit is based on."""
        relative = rel(self.root, path)
        if relative in self._read:
            return self._read[relative]
        return self.index.cache.sha(relative)

    def taken_ids(self) -> TakenIds:
        """Every promise id written in the workspace, asked one id at a time."""
        return TakenIds(self.index)

    def me(self) -> str | None:
        """The current user's team handle: ``KEPT_USER``, else git's user.email."""
        handle = self.env.get("KEPT_USER", "").strip()
        if handle:
            return handle
        email = self.repo.user_email() if self.repo else None
        member = self.settings.member_by_email(email) if email else None
        return member.handle if member else None

    def require_me(self) -> str:
        handle = self.me()
        if handle is None:
            raise InvalidInput(
                "Kept does not know who you are: set KEPT_USER to your handle, or make "
                "'git config user.email' match your email in kept.yaml's team"
            )
        if self.settings.member(handle) is None:
            raise InvalidInput(f"KEPT_USER='{handle}' is not in the team in kept.yaml")
        return handle

    # finding things by what a person types

    def client(self, ref: str) -> Client:
        """A client by slug, name, or an unambiguous beginning of either: the whole card
        (the view keeps only what the agenda needs)."""
        found = _find_client(self.view.clients, ref)
        return self._card(found.slug) or found

    def _card(self, slug: str) -> Client | None:
        """The whole client card, read from its file (None: not there, or broken)."""
        from tui.workspace.layout import CLIENT_FILE, CLIENTS, Entry

        path = f"{CLIENTS}/{slug}/{CLIENT_FILE}"
        if not (self.root / path).is_file():
            return None
        return self._read_file(Entry("client", path, slug)).client

    def _read_file(self, entry: Entry) -> FileResult:
        """One file, read now; what was read is what an edit of it is based on."""
        from tui.workspace.load import read_entry

        result = read_entry(self.root, entry)
        if result.fingerprint is not None:
            self._read[entry.path] = result.fingerprint.sha256
        return result

    def promise(self, promise_id: str) -> Promise:
        """A promise by id: an open one from the view, a closed one from its file."""
        wanted = promise_id.strip().lower()
        places = self.view.locate(wanted)
        if len(places) > 1:
            where = ", ".join(f"{path}:{line}" for path, line in places)
            raise InvalidInput(f"id '{promise_id}' is in more than one place ({where}); "
                               "give one of them a new id")
        found = [p for p in self.view.open_promises if p.id == wanted]
        if not found and places:
            entry = next((e for e in self.view.entries if e.path == places[0][0]), None)
            if entry is not None:
                found = [p for p in self._read_file(entry).promises if p.id == wanted]
        if not found:
            raise NotFound(f"no promise with id '{promise_id}'")
        return found[0]


def _find_client(clients: Mapping[str, Client], ref: str) -> Client:
    """A client by slug, name, or an unambiguous beginning of either."""
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


def _driver_configured(root: Path) -> bool:
    """Whether .git/config already names this Kept's merge driver (read as text: no
    git process, no GitPython). False when unsure, so the caller checks properly."""
    import sys

    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            config = dot_git / "config"
            break
        if dot_git.is_file():
            return False  # a worktree or submodule: let git answer
    else:
        return True  # not in a repository: nothing to repair
    try:
        text = config.read_text("utf-8", errors="replace")
    except OSError:
        return False
    return '[merge "kept"]' in text and sys.executable in text.replace("\\", "")


class TakenIds(AbstractSet[str]):
    """The ids in use, looked up in the index one at a time (``new_id`` only asks
    whether a candidate is free), without loading all of them."""

    def __init__(self, index: Index, but: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.but = but

    def __contains__(self, promise_id: object) -> bool:
        return (isinstance(promise_id, str) and promise_id not in self.but
                and bool(self.index.locate(promise_id)))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.index.all_ids() - self.but))

    def __len__(self) -> int:
        return len(self.index.all_ids() - self.but)

    def __sub__(self, other: AbstractSet[Any]) -> TakenIds:
        return TakenIds(self.index, self.but | frozenset(str(x) for x in other))
