"""The Kept app: the agenda first, every change through the library, files watched.

Blocking work — loading, writing and committing, git status — runs in thread
workers that post messages back; the UI thread only reads the session's current,
immutable snapshot. A watchfiles worker sees a file change in any editor, tells the
app's own writes apart by their content hash, and has the index look again at only
the client folders that changed.

The launch imports only what the agenda needs: the other screens, the dialogs, the
actions (and with them GitPython) and watchfiles load on first use. The index loads
while the agenda is composed; git status and the watcher start once the agenda is on
screen. (On a 12,000-file workspace the rest cost a third of the time to the first
paint.)
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import importlib
import os
import subprocess
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from tui.app.config import Config, load_config
from tui.app.messages import GitStatusChanged, LoadFailed, LoadProgress, WorkspaceLoaded
from tui.app.screens.agenda import AgendaScreen
from tui.app.screens.base import KeptScreen
from tui.app.widgets import StatusBar
from tui.errors import KeptError
from tui.services.context import Session
from tui.services.editor import command, editor_from_env

if TYPE_CHECKING:
    from watchfiles import Change

    from tui.app.dialogs.base import FormDialog
    from tui.app.dialogs.contact import ClientRequest, NoteRequest, TouchRequest
    from tui.app.dialogs.promise import MoveRequest, PromiseRequest
    from tui.app.dialogs.workflows import AskRequest, ChaseRequest
    from tui.core.models import Workspace
    from tui.services.actions import Outcome
    from tui.services.search import Hit, SearchIndex
    from tui.vcs.git import Status

#: From this many files, every record (for search, the KPIs) is read in a worker.
BIG_WORKSPACE = 2000
#: Seconds after the first paint before git status and the watcher start.
AFTER_FIRST_PAINT = 0.25
#: From this many files to read at start (a cold cache), the loading screen shows
#: their progress; a few changed files are read in a moment, under the agenda.
PROGRESS_FROM = 200


def _later(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode's screen, its module imported when the mode is first opened."""

    def make() -> Screen[Any]:
        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        return screen

    return make


class LoadingScreen(Screen[None]):
    """Shown over the agenda while many files are read (no cache yet), or when the
    workspace cannot be loaded. A warm start never shows it: the agenda is there before."""

    def __init__(self) -> None:
        super().__init__()
        self.done, self.total = 0, 0
        self.failure = ""

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label("Reading the workspace…", id="loading-label")
            yield ProgressBar(id="loading-bar", show_eta=False)

    def on_mount(self) -> None:
        self._show()

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self._show()

    def failed(self, message: str) -> None:
        self.failure = message
        self._show()

    def _show(self) -> None:
        if not self.is_mounted:
            return  # just pushed: on_mount shows what came in meanwhile
        if self.failure:
            self.query_one("#loading-label", Label).update(f"[red]{self.failure}[/]\n\nq quits.")
            self.query_one(ProgressBar).display = False
        elif self.total:
            self.query_one(ProgressBar).update(total=self.total, progress=self.done)


class KeptApp(App[None]):
    CSS_PATH = "styles/kept.tcss"
    TITLE = "Kept"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "agenda": AgendaScreen,
        "clients": _later("tui.app.screens.clients", "ClientsScreen"),
        "problems": _later("tui.app.screens.problems", "ProblemsScreen"),
        "conflicts": _later("tui.app.screens.conflicts", "ConflictsScreen"),
        "stats": _later("tui.app.screens.stats", "StatsScreen"),
    }
    # The agenda is the first screen: it is composed while the workspace loads.
    DEFAULT_MODE = "agenda"
    BINDINGS = [
        Binding("1", "switch_mode('agenda')", "Agenda", id="agenda"),
        Binding("2", "switch_mode('clients')", "Clients", id="clients"),
        Binding("3", "switch_mode('problems')", "Problems", id="problems"),
        Binding("4", "switch_mode('conflicts')", "Conflicts", id="conflicts", show=False),
        Binding("5", "switch_mode('stats')", "KPIs", id="stats", show=False),
        Binding("s", "sync", "Sync", id="sync"),
        Binding("slash", "jump", "Jump", id="jump"),
        Binding("c", "add_client", "New client", id="add_client", show=False),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", id="theme", show=False),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, root: Path, env: Mapping[str, str] | None = None,
                 config: Config | None = None, *, watch: bool = True,
                 freeze_the_start: bool = False) -> None:
        super().__init__()
        self.root = root
        self.env = dict(os.environ) if env is None else dict(env)
        self.config = config if config is not None else load_config(self.env)
        self.watch_files_enabled = watch
        self.freeze_the_start = freeze_the_start  # see run()
        self.session: Session | None = None
        self.generation = 0
        self.git_status: Status | None = None
        self.git_known = False
        self.last_outcome: Outcome | None = None
        # Set while a form's result is handled: reopens the form with what was typed.
        self._retry: Callable[[str], None] | None = None
        self.own_writes: dict[Path, str | None] = {}
        # The workspace-relative paths changed outside Kept that no reload has taken
        # yet (None: every file); reloads run in threads, so they swap it under a lock.
        self._pending: set[str] | None = set()
        self._pending_lock = threading.Lock()
        # While a change is being written, what the watcher sees waits until the change
        # is done and its own files are known.
        self.writing = 0  # changes being written right now
        self.seen_while_writing: set[Path] = set()
        self.syncing = False
        self.sync_note = ""  # "synced 16:42", "sync failed 16:42": for the status bar
        self.numbering = False  # task lines in notes being given their ids
        self._search_index: SearchIndex | None = None
        self.numbering_failed: frozenset[tuple[str, str]] = frozenset()

    # --- start-up and loading ---------------------------------------------------------

    def on_load(self) -> None:
        # Before the terminal is set up and the agenda composed: the index loads
        # meanwhile (its stats and SQLite reads leave the GIL to the UI thread).
        self.load_workspace()

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.problem:
            self.notify(self.config.problem, severity="warning", timeout=10)

    @work(thread=True, exclusive=True, group="load")
    def load_workspace(self) -> None:
        # Messages, not calls: the app handles them once it is mounted.
        def progress(done: int, total: int) -> None:
            self.post_message(LoadProgress(done, total))

        try:
            self.session = Session.at(self.root, self.env, progress)
        except KeptError as exc:
            self.post_message(LoadFailed(str(exc)))
            return
        self.post_message(WorkspaceLoaded())

    def _loading_screen(self) -> LoadingScreen:
        if not isinstance(self.screen, LoadingScreen):
            self.push_screen(LoadingScreen())
        assert isinstance(self.screen, LoadingScreen)
        return self.screen

    def on_load_failed(self, message: LoadFailed) -> None:
        self._loading_screen().failed(message.message)

    def on_load_progress(self, message: LoadProgress) -> None:
        if message.total >= PROGRESS_FROM or isinstance(self.screen, LoadingScreen):
            self._loading_screen().progress(message.done, message.total)

    def on_workspace_loaded(self, message: WorkspaceLoaded) -> None:
        if not self.screen_stack:  # a worker's late word while the app closes
            return
        first = self.generation == 0
        self.generation += 1
        if first:
            self.switch_mode("agenda")  # where a finished load lands, from any mode
            if isinstance(self.screen, LoadingScreen):
                self.pop_screen()
        if isinstance(self.screen, KeptScreen) and self.screen.is_mounted:
            self.screen.sync_data()  # (a screen still mounting shows the data itself)
        if message.outside:
            self.notify("Files changed outside Kept: the view is up to date", timeout=3)
        if first:
            # Git status, the watcher and the rest wait until the agenda is on screen
            # (started now, their threads would hold the GIL the first paint needs),
            # and a moment more: the terminal draws the first screen meanwhile.
            self.set_timer(AFTER_FIRST_PAINT, self._after_first_paint)
        else:
            self.call_after_refresh(self.refresh_git)  # after the repaint, not during it
            self.number_task_lines()

    def _after_first_paint(self) -> None:
        if self.freeze_the_start:
            gc.freeze()
            gc.enable()
        if self.watch_files_enabled:
            self.watch_files()  # then the rest, once the watch is in place
        else:
            self._settle(catch_up=False)
        self.set_interval(15, self.refresh_git)
        every = self.config.sync_every
        if every is not None:
            seconds = max(every.approx_days() * 86400, 60)
            self.set_interval(seconds, lambda: self.action_sync(background=True))
        self.number_task_lines()

    @work(thread=True, exclusive=True, group="settle")
    def _settle(self, catch_up: bool) -> None:
        """The rest of the start, one after another (at once, their threads would take
        turns on the GIL and each finish late):

        * ``catch_up``: the watch has just begun, so the files are stated once more
          for what changed between the load and then (shown only if anything did);
        * the reader imported: a warm start reads no file, and the first edit made
          in an editor would wait for the import (~0.1 s on a busy machine);
        * git status for the status bar;
        * on a large workspace, the background server (tui.server), which reads and
          keeps every full record in a process of its own while the user looks at the
          agenda: a first start kept only what the agenda needs, and the first search
          would otherwise read the files again.
        """
        session = self.session
        if session is None:
            return
        if catch_up and session.reload():
            self.post_message(WorkspaceLoaded())
        import tui.workspace.load  # noqa: F401
        self.post_message(GitStatusChanged(self._git_status()))
        from tui import server

        server.serve_from_app(session.root, len(session.view.entries), self.env)

    # --- task lines in notes: first sight -----------------------------------------------

    def number_task_lines(self) -> None:
        """New task lines in notes get their ids, and boxes ticked in an editor their
        date (see tui.services.notetasks), in a commit of their own."""
        if self.session is None or self.numbering:
            return
        paths = self.session.view.first_sight  # from the index: no records built here
        if not paths:
            return
        from tui.services.notetasks import unnumbered  # with it GitPython: only when needed

        ws = self.session.client_workspace_of(paths)
        todo = frozenset((p.path, p.id) for p in unnumbered(ws, paths))
        if not todo or todo == self.numbering_failed:
            return  # nothing new, or what failed last time, unchanged: no retry loop
        self.numbering = True
        self.writing += 1
        self._numbering_worker(todo)

    @work(thread=True, group="write")
    def _numbering_worker(self, todo: frozenset[tuple[str, str]]) -> None:
        from tui.services.notetasks import number_task_lines

        session = self.session
        assert session is not None
        try:
            outcome = number_task_lines(session)
        except KeptError as exc:
            self.call_from_thread(self._numbered, None, todo, str(exc))
            return
        if outcome is not None:
            for path, sha in outcome.after:
                self.own_writes[path] = sha
            session.reload()  # in the worker, not on the UI thread
        self.call_from_thread(self._numbered, outcome, todo, "")

    def _numbered(self, outcome: Outcome | None, todo: frozenset[tuple[str, str]],
                  error: str) -> None:
        self.numbering = False
        self._writing_done()
        if error:
            self.numbering_failed = todo
            self.notify(error, title="Task lines in notes", severity="warning", timeout=8)
            return
        self.numbering_failed = frozenset()
        if outcome is not None:
            self.notify(outcome.message, title="Notes", timeout=4)
            self.post_message(WorkspaceLoaded())

    def reload_workspace(self, outside: bool = False,
                         changed: Iterable[Path] | None = None) -> None:
        """Bring the workspace up to date: the paths a watcher saw ``changed`` (their
        client folders are listed again), else every file."""
        with self._pending_lock:
            if changed is None or self._pending is None:
                self._pending = None
            else:
                try:
                    self._pending |= {p.relative_to(self.root).as_posix() for p in changed}
                except ValueError:
                    self._pending = None
        self._reload_worker(outside)

    @work(thread=True, exclusive=True, group="reload")
    def _reload_worker(self, outside: bool) -> None:
        session = self.session
        if session is None:
            return
        # What every reload asked for so far: one that is cancelled before it runs (a
        # newer one replaces it) leaves its paths to the next.
        with self._pending_lock:
            changed, self._pending = self._pending, set()
        if changed is not None and not changed:
            return  # an earlier reload, still running, took these paths
        session.reload(changed)
        self.post_message(WorkspaceLoaded(outside))

    # --- watching the files -------------------------------------------------------------

    @work(exclusive=True, group="watch")
    async def watch_files(self) -> None:
        from watchfiles import Change, awatch

        def worth_a_look(change: Change, path: str) -> bool:
            return self._worth_a_look(path, gone=change is Change.deleted)

        # A batch comes once 20 ms pass without a new event (an editor's save is a few
        # events within a millisecond or two), 120 ms at most while events keep coming.
        batches = awatch(self.root, watch_filter=worth_a_look, debounce=120, step=20,
                         recursive=True)
        # The generator sets up its watch when it first runs, before its first wait;
        # from then on nothing is missed. What changed after the load stated the files
        # and before that is caught by stating them all once more (_settle).
        batch = asyncio.ensure_future(anext(batches))
        await asyncio.sleep(0)  # the generator's first step runs here
        self._settle(catch_up=True)
        while True:
            try:
                changes = await batch
            except StopAsyncIteration:
                return
            batch = asyncio.ensure_future(anext(batches))
            self._seen(changes)

    def _seen(self, changes: set[tuple[Change, str]]) -> None:
        """Reload what the watcher saw change, unless the app itself wrote it."""
        paths = {Path(p) for _, p in changes}
        if self.writing:
            self.seen_while_writing |= paths
            return
        if all(self._is_own_write(p) for p in paths):
            return
        self.reload_workspace(outside=True, changed=paths)

    def _worth_a_look(self, path: str, gone: bool) -> bool:
        """Whether a change the watcher saw may change what Kept reads: a YAML or
        Markdown file; a folder made or moved here (a client's, its notes'); a path
        gone where the last view had a file or a problem (a folder removed or moved
        away). Never anything under a name starting with a dot (.git, .kept, an
        editor's swap file): the scan skips those, so they cannot matter."""
        try:
            relative = Path(path).relative_to(self.root)
        except ValueError:
            return False
        if any(part.startswith(".") for part in relative.parts) or ".kept-tmp" in path:
            return False  # .kept-tmp: Kept's own write, before its rename into place
        if path.endswith((".yaml", ".yml", ".md")):
            return True
        if not gone:
            return os.path.isdir(path)
        view = self.session.view if self.session is not None else None
        if view is None:
            return True
        name = relative.as_posix()
        under = name + "/"
        return any(p == name or p.startswith(under) for p in (
            *(e.path for e in view.entries), *(p.path for p in view.problems)))

    def _is_own_write(self, path: Path) -> bool:
        """True when the file holds exactly what the app itself last wrote there."""
        if path not in self.own_writes:
            return False
        try:
            now: str | None = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            now = None
        except OSError:
            return False
        return now == self.own_writes[path]

    # --- git in view --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="git")
    def refresh_git(self) -> None:
        self.post_message(GitStatusChanged(self._git_status()))

    def _git_status(self) -> Status | None:
        session = self.session
        repo = session.repo if session is not None else None
        if repo is None:
            return None
        try:
            return repo.status()
        except Exception:  # git missing or broken: the footer says so, nothing more
            return None

    def on_git_status_changed(self, message: GitStatusChanged) -> None:
        self.git_status = message.status
        self.git_known = True
        self._refresh_status()

    def update_status(self, bar: StatusBar) -> None:
        problems = self.session.view.problems if self.session else ()
        errors = sum(1 for p in problems if p.is_error)
        conflicts = sum(1 for p in problems if p.message.startswith("conflict:"))
        note = f"{conflicts} conflict{'s' * (conflicts != 1)} (4)" if conflicts else ""
        note = " · ".join(n for n in (note, self.sync_note) if n)
        bar.show(git=self.git_status if self.git_known else False, errors=errors,
                 warnings=len(problems) - errors, note=note)

    # --- running actions ----------------------------------------------------------------

    def run_change(self, label: str, change: Callable[[Session], Outcome],
                   then: Callable[[Outcome], None] | None = None) -> None:
        """Run one change in a worker; show what happened; keep it for undo.

        A change asked for in a form that fails (the disk is full, the file changed,
        git refused) reopens the form with what was typed and why it failed.
        """
        if self.session is None:
            return
        self.writing += 1
        self._change_worker(label, change, then, self._retry)

    @work(thread=True, group="write")
    def _change_worker(self, label: str, change: Callable[[Session], Outcome],
                       then: Callable[[Outcome], None] | None,
                       retry: Callable[[str], None] | None = None) -> None:
        session = self.session
        assert session is not None
        try:
            outcome = change(session)
        except KeptError as exc:
            self.call_from_thread(self._failed, f"{label}: {exc.title}", str(exc), retry)
            return
        for path, sha in outcome.after:
            self.own_writes[path] = sha
        session.reload()  # here in the worker, not on the UI thread when it next looks
        self.call_from_thread(self._changed, outcome, then)

    def _failed(self, title: str, message: str,
                retry: Callable[[str], None] | None = None) -> None:
        self._writing_done()
        self.notify(message, title=title, severity="error", timeout=8)
        if retry is not None:
            retry(message)

    def ask(self, make: Callable[[], FormDialog[Any]], then: Callable[[Any], None],
            values: dict[str, object] | None = None, error: str = "") -> None:
        """Show the form ``make`` builds; ``then`` gets its result. If the change
        ``then`` starts fails, the form comes back with the same values and the error,
        so nothing typed is lost and Enter tries again."""
        dialog = make()
        dialog.prefill = dict(values or {})
        dialog.error = error

        def answered(result: Any) -> None:
            if result is None:
                return
            self._retry = lambda message: self.ask(make, then, dialog.values, message)
            try:
                then(result)
            finally:
                self._retry = None

        self.push_screen(dialog, answered)

    def _writing_done(self) -> None:
        """Anything the watcher saw during the write that was not ours is reloaded."""
        self.writing = max(self.writing - 1, 0)
        if self.writing:
            return
        seen, self.seen_while_writing = self.seen_while_writing, set()
        if not all(self._is_own_write(p) for p in seen):
            self.reload_workspace(outside=True, changed=seen)

    def _changed(self, outcome: Outcome, then: Callable[[Outcome], None] | None) -> None:
        self._writing_done()
        self.last_outcome = outcome if outcome.before else None
        sha = f" [{outcome.commit.sha[:7]}]" if outcome.commit else ""
        title = "Saved · u undoes" if outcome.before else "Saved"
        self.notify(f"{outcome.message}{sha}", title=title, timeout=5)
        for warning in outcome.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.post_message(WorkspaceLoaded())
        if then is not None:
            then(outcome)

    def promise_done(self, promise_id: str) -> None:
        from tui.services import actions

        self.run_change("Done", lambda s: actions.done(s, promise_id))

    # --- follow-ups and requests ---------------------------------------------------------

    def start_chase(self, client: str | None) -> None:
        from tui.app.dialogs.workflows import ChaseDialog
        from tui.services import chase

        if self.session is None:
            return

        def started(r: ChaseRequest | None) -> None:
            if r is not None:
                self.run_change("Follow-up", lambda s: chase.chase(s, r.client, r.text,
                                                                   to=r.to or None))

        ws = self.session.view.workspace()
        self.ask(lambda: ChaseDialog(ws, client), started)

    def start_ask(self, client: str | None) -> None:
        from tui.app.dialogs.workflows import AskDialog
        from tui.services import chase

        if self.session is None:
            return

        def asked(r: AskRequest | None) -> None:
            if r is not None:
                self.run_change("Request", lambda s: chase.ask(s, r.client, r.text,
                                                               from_=r.who or None))

        ws = self.session.view.workspace()
        self.ask(lambda: AskDialog(ws, client), asked)

    def start_chased(self, promise_id: str) -> None:
        from tui.app.dialogs.workflows import ChasedDialog
        from tui.core import ladder
        from tui.services import chase

        promise = self._promise(promise_id)
        if promise is None or self.session is None:
            return
        client = self.session.clients.get(promise.client)
        step = ladder.chase_label(promise, client, self.session.settings)

        def chased(why: str | None) -> None:
            if why is not None:
                self.run_change("Chased", lambda s: chase.chased(s, promise_id, why))

        self.ask(lambda: ChasedDialog(promise.text, step), chased)

    def follow_up_answered(self, promise_id: str) -> None:
        from tui.services import chase

        self.run_change("Answered", lambda s: chase.answered(s, promise_id))

    def invoice_paid(self, slug: str, number: str) -> None:
        from tui.services import actions

        self.run_change("Paid", lambda s: actions.invoice_paid(s, slug, number))

    def _promise(self, promise_id: str) -> Any:
        assert self.session is not None
        try:
            return self.session.promise(promise_id)
        except KeptError as exc:
            self.notify(str(exc), severity="error")
            return None

    def start_move(self, promise_id: str) -> None:
        from tui.app.dialogs.promise import MoveDialog
        from tui.services import actions

        promise = self._promise(promise_id)
        if promise is None or self.session is None:
            return

        def moved(request: MoveRequest | None) -> None:
            if request is not None:
                self.run_change("Move", lambda s: actions.move(s, promise_id, request.when,
                                                               request.why))

        clock = self.session.clock
        self.ask(lambda: MoveDialog(clock, promise.text, str(promise.due)), moved)

    def start_drop(self, promise_id: str) -> None:
        from tui.app.dialogs.promise import ReasonDialog
        from tui.services import actions

        promise = self._promise(promise_id)
        if promise is None:
            return

        def dropped(why: str | None) -> None:
            if why:
                self.run_change("Drop", lambda s: actions.drop(s, promise_id, why))

        self.ask(lambda: ReasonDialog(promise.text), dropped)

    def start_add_promise(self, client: str | None) -> None:
        from tui.app.dialogs.promise import AddPromiseDialog
        from tui.services import actions

        if self.session is None:
            return
        if not self.session.clients:
            self.notify("Add a client first: press c", severity="warning")
            return

        def added(r: PromiseRequest | None) -> None:
            if r is not None:
                self.run_change("Add", lambda s: actions.add_promise(
                    s, r.client, r.text, r.due, by=r.by, kind=r.kind))

        ws, clock = self.session.view.workspace(), self.session.clock
        self.ask(lambda: AddPromiseDialog(ws, clock, client), added)

    def start_touch(self, client: str | None) -> None:
        from tui.app.dialogs.contact import TouchDialog
        from tui.services import actions

        if self.session is None:
            return

        def touched(r: TouchRequest | None) -> None:
            if r is not None:
                self.run_change("Touch", lambda s: actions.touch(s, r.client, r.text,
                                                                 kind=r.kind))

        ws = self.session.view.workspace()
        self.ask(lambda: TouchDialog(ws, client), touched)

    def action_add_client(self) -> None:
        from tui.app.dialogs.contact import AddClientDialog
        from tui.services import actions

        def added(r: ClientRequest | None) -> None:
            if r is not None:
                self.run_change("New client", lambda s: actions.add_client(
                    s, r.name, status=r.status))

        self.ask(AddClientDialog, added)

    def start_note(self, client: str | None) -> None:
        from tui.app.dialogs.contact import NoteDialog

        if self.session is None:
            return

        def titled(r: NoteRequest | None) -> None:
            if r is not None:
                self.write_note(r)

        ws = self.session.view.workspace()
        self.ask(lambda: NoteDialog(ws, client), titled)

    def write_note(self, r: NoteRequest) -> None:
        """Draft the note from the template, let the person write it, then commit."""
        from tui.app.dialogs.text_editor import TextEditorDialog
        from tui.services import actions

        session = self.session
        assert session is not None
        try:
            path, message = actions.draft_note(session, r.client, r.title, kind=r.kind)
        except KeptError as exc:
            self.notify(str(exc), severity="error")
            return
        self.own_writes[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        editor = editor_from_env(self.env)

        def commit() -> None:
            self.run_change("Note", lambda s: actions.commit_note(s, path, message))

        if editor is not None:
            self._run_editor(command(editor, path, 999999 if "vi" in editor[0] else None))
            commit()
            return

        def edited(text: str | None) -> None:
            if text is not None:
                path.write_text(text, encoding="utf-8")
            commit()

        self.push_screen(TextEditorDialog(path, path.read_text("utf-8")), edited)

    def open_in_editor(self, relative: str, line: int) -> None:
        session = self.session
        if session is None:
            return
        editor = editor_from_env(self.env)
        if editor is None:
            self.notify(f"Set $EDITOR to open files; this one is {relative}:{line}",
                        severity="warning", timeout=8)
            return
        self._run_editor(command(editor, session.root / relative, line))
        self.reload_workspace()

    def _run_editor(self, argv: list[str]) -> None:
        try:
            try:
                with self.suspend():
                    subprocess.run(argv, check=False)
            except SuspendNotSupported:  # headless or in a browser: nothing to hand over
                subprocess.run(argv, check=False, stdin=subprocess.DEVNULL,
                               capture_output=True)
        except OSError as exc:
            self.notify(f"Could not start the editor {argv[0]}: {exc.strerror}",
                        severity="error")
        self.refresh()

    def action_undo(self) -> None:
        from tui.services import actions

        outcome = self.last_outcome
        if outcome is None:
            self.notify("Nothing to undo", severity="warning")
            return
        self.last_outcome = None
        self.run_change("Undo", lambda s: actions.undo(s, outcome))

    # --- team sync ----------------------------------------------------------------------

    def action_sync(self, background: bool = False) -> None:
        if self.session is None or self.syncing:
            return
        self.syncing = True
        self.sync_note = "syncing…"
        self._refresh_status()
        if not background:
            self.notify("Syncing with the team…", timeout=2)
        self.writing += 1
        self._sync_worker(background)

    @work(thread=True, group="sync")
    def _sync_worker(self, background: bool) -> None:
        from tui.services import sync as sync_service

        session = self.session
        assert session is not None
        try:
            report = sync_service.sync(session)
        except KeptError as exc:
            session.reload()  # a sync that failed may still have committed first
            self.call_from_thread(self._synced, None, str(exc), background)
            return
        session.reload()  # in the worker, not on the UI thread
        self.call_from_thread(self._synced, report, "", background)

    def _synced(self, report: Any, error: str, background: bool) -> None:
        self.syncing = False
        self._writing_done()
        now = datetime.now().strftime("%H:%M")
        if report is None:
            self.sync_note = f"sync failed {now}"
            # A failed sync is never silent, even in the background.
            self.notify(error, title="Sync failed", severity="error", timeout=15)
        else:
            self.sync_note = f"synced {now}"
            if report.needs_you:
                self.notify(f"{report.headline()} Press 4 to settle them.",
                            title="Sync", severity="warning", timeout=15)
            elif not background or report.received:
                self.notify(report.headline(), title="Sync", timeout=5)
        self.post_message(WorkspaceLoaded())

    def _refresh_status(self) -> None:
        if not self.screen_stack:  # a worker's late word while the app closes
            return
        for bar in self.screen.query(StatusBar):
            self.update_status(bar)

    # --- moving around ------------------------------------------------------------------

    def open_client(self, slug: str, focus: tuple[str, str] | None = None) -> None:
        """The client page; ``focus`` picks a promise or a note on it."""
        from tui.app.screens.client import ClientScreen

        if self.session is None or slug not in self.session.clients:
            self.notify("That client's card has an error: see problems (3)", severity="warning")
            return
        self.push_screen(ClientScreen(slug, focus))

    def action_jump(self) -> None:
        from tui.app.dialogs.jump import JumpDialog

        if self.session is None:
            return

        def jumped(hit: Hit | None) -> None:
            if hit is not None:
                self.open_client(hit.client, focus=(hit.kind, hit.key))

        def search(ws: Workspace) -> None:
            self.push_screen(JumpDialog(self.search_index(ws)), jumped)

        self.with_everything(search, prepare=self.search_index)

    def search_index(self, ws: Workspace) -> SearchIndex:
        """The jump dialog's index of ``ws``, made once for each set of records."""
        index = self._search_index
        if index is None or index.ws is not ws:
            from tui.services.search import SearchIndex

            index = self._search_index = SearchIndex(ws)
        return index

    def with_everything(self, then: Callable[[Workspace], None], what: str = "the search",
                        prepare: Callable[[Workspace], object] | None = None) -> None:
        """Run ``then`` with every record of the workspace. The agenda never needs them
        all; search and the KPIs do, so on a large workspace they are read once, in a
        worker (which also runs ``prepare``, what ``then`` will need)."""
        session = self.session
        if session is None:
            return
        small = len(session.view.entries) < BIG_WORKSPACE
        if small or (session.has_everything and prepare is None):
            then(session.ws)
            return
        if not session.has_everything:
            self.notify(f"Reading every record for {what}…", timeout=2)
        self._everything_worker(then, prepare)

    @work(thread=True, exclusive=True, group="everything")
    def _everything_worker(self, then: Callable[[Workspace], None],
                           prepare: Callable[[Workspace], object] | None) -> None:
        session = self.session
        assert session is not None
        ws = session.ws
        if prepare is not None:
            prepare(ws)
        self.call_from_thread(then, ws)

    def action_help(self) -> None:
        from tui.app.screens.client import ClientScreen
        from tui.app.screens.clients import ClientsScreen
        from tui.app.screens.conflicts import ConflictsScreen
        from tui.app.screens.help import HelpScreen
        from tui.app.screens.stats import StatsScreen

        groups: list[tuple[str, list[Binding]]] = [
            ("everywhere", [b for b in self.BINDINGS if isinstance(b, Binding)]),
            ("agenda", list(AgendaScreen.BINDINGS)),  # type: ignore[arg-type]
            ("clients", list(ClientsScreen.BINDINGS)),  # type: ignore[arg-type]
            ("client page", list(ClientScreen.BINDINGS)),  # type: ignore[arg-type]
            ("conflicts", list(ConflictsScreen.BINDINGS)),  # type: ignore[arg-type]
            ("KPIs", list(StatsScreen.BINDINGS)),  # type: ignore[arg-type]
        ]
        groups.append(("everywhere", [Binding("ctrl+p", "command_palette",
                                              "Every command, by name")]))
        where = str(self.config.path or "config.toml").replace(str(Path.home()), "~", 1)
        self.push_screen(HelpScreen(groups, where))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Agenda", "What is due (1)", lambda: self.switch_mode("agenda"))
        yield SystemCommand("Clients", "All clients (2)", lambda: self.switch_mode("clients"))
        yield SystemCommand("Problems", "Every problem in the files (3)",
                            lambda: self.switch_mode("problems"))
        yield SystemCommand("Conflicts", "What both sides changed after a sync (4)",
                            lambda: self.switch_mode("conflicts"))
        yield SystemCommand("KPIs", "Promises kept, replies, receivables, churn (5)",
                            lambda: self.switch_mode("stats"))
        yield SystemCommand("Start a follow-up", "Something sent, chased on the ladder (l)",
                            lambda: self.start_chase(None))
        yield SystemCommand("A client's request", "To answer within reply_within (r)",
                            lambda: self.start_ask(None))
        yield SystemCommand("Sync", "Commit, merge the team's changes, push (s)",
                            self.action_sync)
        yield SystemCommand("Jump", "Find a client, contact, promise or note (/)",
                            self.action_jump)
        yield SystemCommand("Add a promise", "To or from a client (a)",
                            lambda: self.start_add_promise(None))
        yield SystemCommand("Log a touch", "A call, a message, a visit (t)",
                            lambda: self.start_touch(None))
        yield SystemCommand("New meeting note", "From the note template (n)",
                            lambda: self.start_note(None))
        yield SystemCommand("New client", "Add a client (c)", self.action_add_client)
        yield SystemCommand("Undo", "Take back the last change (u)", self.action_undo)
        yield SystemCommand("Reload", "Read every file again", self.reload_workspace)
        yield SystemCommand("Light or dark", "Switch the theme (ctrl+t)",
                            self.action_toggle_theme)
        yield SystemCommand("Keys", "Every key and its id (?)", self.action_help)
        if self.session is not None:
            for slug, client in sorted(self.session.clients.items(),
                                       key=lambda kv: kv[1].name.casefold()):
                yield SystemCommand(f"Open {client.name}", f"{client.status} · {slug}",
                                    lambda slug=slug: self.open_client(slug))


def run(root: Path, env: Mapping[str, str] | None = None) -> None:
    """Run the app until it quits. The cycle collector waits until the agenda is on
    screen: loading the index builds a million objects, and collections walking them
    cost the launch of a large workspace ~0.1 s. Then what the start built is frozen
    (:func:`gc.freeze`): long-lived, it need not be walked again by every later
    collection."""
    gc.disable()
    KeptApp(root, env, freeze_the_start=True).run()
