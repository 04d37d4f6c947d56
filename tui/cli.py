"""The ``kept`` command line: a thin face over the library.

Commands parse what was typed, call one use case, and print its result. Library
errors (:class:`~tui.errors.KeptError`) go to stderr as one clear line with a non-zero
exit; nothing here decides a business rule.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.cells import cell_len

from tui import __version__
from tui.core.dates import Due, relative_due
from tui.core.rules import AgendaItem
from tui.errors import KeptError
from tui.services import actions
from tui.services import agenda as agenda_service
from tui.services.actions import Outcome
from tui.services.context import Session, clock_from_env
from tui.services.setup import ensure_demo, init_workspace
from tui.workspace.layout import resolve_root

F = TypeVar("F", bound=Callable[..., Any])

TYPE_LABELS = {
    "promise": "we owe",
    "reply": "reply",
    "follow-up": "follow-up",
    "waiting": "waiting",
    "touch": "touch",
    "invoice": "invoice",
}


def fail_on_kept_errors(fn: F) -> F:
    """Library errors become ``kept: error: ...`` on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KeptError as exc:
            click.echo(f"kept: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def warn(message: str) -> None:
    click.echo(f"kept: warning: {message}", err=True)


def session(ctx: click.Context) -> Session:
    return Session.open(ctx.obj.get("workspace"))


def report(outcome: Outcome) -> None:
    """Print what an action made (for scripts), its warnings, and what it committed."""
    for w in outcome.warnings:
        warn(w)
    if outcome.value:
        click.echo(outcome.value)
    detail = f" [{outcome.commit.sha[:7]}]" if outcome.commit else ""
    click.echo(f"{outcome.message}{detail}", err=True)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", type=click.Path(file_okay=False, path_type=str),
              help="The workspace folder (else $KEPT_WORKSPACE, else the nearest kept.yaml "
                   "upward).")
@click.version_option(__version__, prog_name="kept")
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    """Kept — the account manager's promise book.

    Clients, meeting notes and promises (ours to the client, and the client's to us)
    in plain YAML and Markdown files in git. Without a command, opens the app (or,
    when not on a terminal, prints the agenda). Set KEPT_TODAY=YYYY-MM-DD to pin "today".
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace
    if ctx.invoked_subcommand is None:
        open_app(ctx)


def open_app(ctx: click.Context) -> None:
    """The app on a terminal; piped or scripted, the agenda as text."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        ctx.invoke(agenda_cmd)
        return
    root = fail_on_kept_errors(lambda: session_root(ctx))()
    from tui.app import run  # Textual loads only for the app

    run(root)


def session_root(ctx: click.Context) -> Path:
    return resolve_root(ctx.obj.get("workspace"), os.environ, Path.cwd())


# --- making workspaces ---------------------------------------------------------------


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--demo", "with_demo", is_flag=True, help="Fill it with a demo agency.")
@click.option("--name", help="The workspace's name (default: the folder name).")
@fail_on_kept_errors
def init_cmd(directory: Path, with_demo: bool, name: str | None) -> None:
    """Create a workspace in DIRECTORY from the template, with git and a first commit."""
    env = dict(os.environ)
    root = init_workspace(directory, clock_from_env(env, None), with_demo=with_demo,
                          name=name, env=env)
    click.echo(str(root))
    click.echo(f"Created a Kept workspace. Next: cd {root} && kept add client NAME", err=True)


@main.command("demo")
@click.pass_context
@fail_on_kept_errors
def demo_cmd(ctx: click.Context) -> None:
    """Open the demo agency in the app (made once in your user data folder, dated
    around today)."""
    import platformdirs

    env = dict(os.environ)
    root = ensure_demo(platformdirs.user_data_path("kept"), clock_from_env(env, None))
    click.echo(f"Demo workspace: {root}", err=True)
    ctx.obj["workspace"] = str(root)
    open_app(ctx)


# --- reading -------------------------------------------------------------------------


@main.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of problems.")
@click.pass_context
@fail_on_kept_errors
def check_cmd(ctx: click.Context, as_json: bool) -> None:
    """Validate every file; one line per problem, path:line:col. Exit 1 on any error."""
    s = session(ctx)
    problems = s.loaded.problems
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(str(p))
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        ws = s.ws
        if problems:
            click.echo(f"{errors} error{'s' * (errors != 1)}, "
                       f"{warnings} warning{'s' * (warnings != 1)}", err=True)
        else:
            click.echo(f"ok: {len(ws.clients)} clients, {len(ws.promises)} promises, "
                       f"{len(ws.notes)} notes", err=True)
    if any(p.is_error for p in problems):
        sys.exit(1)


def _due_text(due: Due) -> str:
    text = f"{due.day:%a %d %b}"
    return f"{text} {due.time:%H:%M}" if due.time else text


def _fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to ``width`` terminal cells."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cell_len(out))


def _print_agenda(s: Session, items: list[AgendaItem], days: int, ids: bool) -> None:
    tty = sys.stdout.isatty()
    click.echo(click.style(f"{s.ws.settings.name} — {s.clock.today:%a %d %b %Y}", bold=True)
               + f" · {agenda_service.summary(items, s.clock)}")
    if not items:
        click.echo("\nNothing due. Add a promise: kept add promise CLIENT TEXT --due WHEN")
        return
    client_w = min(max(cell_len(i.client_name) for i in items), 24)
    id_w = max(len(i.id) for i in items) if ids else 0
    fixed = 2 + 10 + (id_w + 2 if ids else 0) + client_w + 2 + 18 + 12
    longest = max(cell_len(i.text) for i in items)
    # On a terminal, texts are cut to fit; piped into a file or grep, nothing is cut.
    text_w = max(shutil.get_terminal_size().columns - fixed, 20) if tty else longest
    text_w = min(text_w, longest)
    for section in agenda_service.sections(s, items, days):
        click.echo()
        click.echo(click.style(section.title, bold=True))
        for item in section.items:
            row = "  " + _fit(TYPE_LABELS[item.type], 10)
            if ids:
                row += _fit(item.id, id_w) + "  "
            row += _fit(item.client_name, client_w) + "  "
            row += _fit(item.text, text_w) + "  "
            row += _fit(_due_text(item.due), 16) + "  " + relative_due(item.due, s.clock)
            click.echo(click.style(row.rstrip(), fg="red") if item.overdue else row.rstrip())


@main.command("agenda")
@click.option("--days", default=7, show_default=True, type=click.IntRange(0, 3660),
              help="How many days ahead to look.")
@click.option("--mine", is_flag=True, help="Only what I must act on (KEPT_USER or git email).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of items.")
@click.option("--ids", is_flag=True, help="Show promise ids (for done, move, drop).")
@click.pass_context
@fail_on_kept_errors
def agenda_cmd(ctx: click.Context, days: int = 7, mine: bool = False, as_json: bool = False,
               ids: bool = False) -> None:
    """What is due: everything overdue, today, and the next N days."""
    s = session(ctx)
    items = agenda_service.build(s, days=days, mine=mine)
    if as_json:
        click.echo(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        return
    _print_agenda(s, items, days, ids)
    errors = len(s.loaded.errors)
    if errors:
        warn(f"{errors} problem{'s' * (errors != 1)} in the files; run kept check")


# --- changing ------------------------------------------------------------------------


@main.group("add")
def add_group() -> None:
    """Add a client or a promise."""


@add_group.command("client")
@click.argument("name")
@click.option("--status", default="active", show_default=True,
              type=click.Choice(["lead", "onboarding", "active", "paused", "churned"]))
@click.option("--owner", help="Team handle of the account manager (default: you).")
@click.option("--since", help="When they became a client (default: today).")
@click.option("--touch", help="Contact cadence: daily, weekly, monthly, 10d...")
@click.option("--channel", help="Preferred channel: telegram, email, phone...")
@click.option("--service", "services", multiple=True, help="A service (repeatable).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.pass_context
@fail_on_kept_errors
def add_client_cmd(ctx: click.Context, /, name: str, **options: Any) -> None:
    """Add a client called NAME; prints the new slug."""
    report(actions.add_client(session(ctx), name, **options))


@add_group.command("promise")
@click.argument("client")
@click.argument("text")
@click.option("--due", required=True, help="When: 2026-11-25, fri, +3d, 'in 2 weeks', завтра.")
@click.option("--by", default="us", show_default=True, type=click.Choice(["us", "client"]),
              help="Who owes it.")
@click.option("--to", help="Whom it was promised to.")
@click.option("--kind", default="task", show_default=True,
              type=click.Choice(["task", "reply", "follow-up", "report"]))
@click.option("--repeat", help="Repeat when done: weekly, monthly, 2w...")
@click.option("--owner", help="Who keeps it (a team handle for ours).")
@click.pass_context
@fail_on_kept_errors
def add_promise_cmd(ctx: click.Context, /, client: str, text: str,
                    **options: Any) -> None:
    """Add a promise to or from CLIENT (slug or name); prints the new id."""
    report(actions.add_promise(session(ctx), client, text, **options))


@main.command("done")
@click.argument("promise_id", metavar="ID")
@click.pass_context
@fail_on_kept_errors
def done_cmd(ctx: click.Context, promise_id: str) -> None:
    """Mark promise ID done (a repeating one gets its next occurrence)."""
    report(actions.done(session(ctx), promise_id))


@main.command("move")
@click.argument("promise_id", metavar="ID")
@click.argument("when")
@click.option("--why", required=True, help="The reason, as the client was told it.")
@click.pass_context
@fail_on_kept_errors
def move_cmd(ctx: click.Context, promise_id: str, when: str, why: str) -> None:
    """Move promise ID to WHEN, recording why in its history."""
    report(actions.move(session(ctx), promise_id, when, why))


@main.command("drop")
@click.argument("promise_id", metavar="ID")
@click.option("--why", required=True, help="Why it will not be done.")
@click.pass_context
@fail_on_kept_errors
def drop_cmd(ctx: click.Context, promise_id: str, why: str) -> None:
    """Drop promise ID, recording why."""
    report(actions.drop(session(ctx), promise_id, why))


_NOTE_KINDS = click.Choice(["meeting", "call", "email", "message", "visit", "report"])


@main.command("touch")
@click.argument("client")
@click.argument("text")
@click.option("--kind", default="call", show_default=True, type=_NOTE_KINDS)
@click.option("--with", "with_", multiple=True, help="Who you talked to (repeatable).")
@click.pass_context
@fail_on_kept_errors
def touch_cmd(ctx: click.Context, client: str, text: str, kind: str,
              with_: tuple[str, ...]) -> None:
    """Log a contact with CLIENT; prints the note's path."""
    report(actions.touch(session(ctx), client, text, kind=kind, with_=with_))


@main.command("note")
@click.argument("client")
@click.argument("title")
@click.option("--kind", default="meeting", show_default=True, type=_NOTE_KINDS)
@click.option("--with", "with_", multiple=True, help="Who was there (repeatable).")
@click.option("--no-edit", is_flag=True, help="Do not open $VISUAL/$EDITOR.")
@click.pass_context
@fail_on_kept_errors
def note_cmd(ctx: click.Context, client: str, title: str, kind: str,
             with_: tuple[str, ...], no_edit: bool) -> None:
    """Write a meeting note for CLIENT from templates/note.md; prints its path."""
    s = session(ctx)
    path, message = actions.draft_note(s, client, title, kind=kind, with_=with_)
    if not no_edit:
        try:
            click.edit(filename=str(path))
        except click.ClickException as exc:
            warn(f"could not open an editor ({exc.message}); the note is at {path}")
    report(actions.commit_note(s, path, message))



# --- team sync -----------------------------------------------------------------------


@main.command("sync")
@click.option("--yes", is_flag=True,
              help="Go on even if the sync would delete more than a quarter of the clients.")
@click.pass_context
@fail_on_kept_errors
def sync_cmd(ctx: click.Context, yes: bool) -> None:
    """Commit your changes, merge the team's (promises by id), and push.

    Exit 0 when synced; 1 when it synced but a conflict needs you (kept check lists
    it; nothing is lost); 2 when it could not sync (no remote, offline, push refused):
    your commits stay here and go out next time.
    """
    from tui.services import sync as sync_service

    result = sync_service.sync(session(ctx), yes=yes, prompt=sys.stdin.isatty())
    if result.committed:
        click.echo(f"Committed your changes [{result.committed.sha[:7]}]")
    if result.received:
        click.echo(f"In from {result.upstream} ({result.received} "
                   f"commit{'s' * (result.received != 1)}):")
        for change in result.incoming:
            click.echo(f"  {change.name}: {change.summary()}")
    if result.sent:
        click.echo(f"Out to {result.upstream} ({len(result.sent)} "
                   f"commit{'s' * (len(result.sent) != 1)}):")
        for subject in result.sent:
            click.echo(f"  {subject}")
    if result.kept:
        click.echo("Kept (deleted on one side, changed on the other):")
        for line in result.kept:
            click.echo(f"  {line}")
    for w in result.warnings:
        warn(w)
    if result.needs_you:
        click.echo("Conflicts — yours stays until you pick (kept check lists them):")
        for conflict in result.conflicts:
            click.echo(f"  {conflict.path}: {conflict}")
        for copy in result.copies:
            click.echo(f"  {copy}")
        click.echo(result.headline())
        sys.exit(result.exit_code)
    click.echo(result.headline())


@main.command("clone")
@click.argument("url")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@fail_on_kept_errors
def clone_cmd(url: str, directory: Path) -> None:
    """Clone the team's workspace from URL into DIRECTORY, ready for kept sync."""
    from tui.services.sync import clone_workspace

    cloned = clone_workspace(url, directory, prompt=sys.stdin.isatty())
    for w in cloned.warnings:
        warn(w)
    click.echo(str(cloned.root))
    click.echo(f"Cloned. Next: cd {cloned.root} && kept", err=True)


@main.command("merge-driver", hidden=True)
@click.argument("base")
@click.argument("ours")
@click.argument("theirs")
@click.argument("path")
def merge_driver_cmd(base: str, ours: str, theirs: str, path: str) -> None:
    """Git's merge driver for Kept's YAML files (kept init, clone and sync set it up)."""
    from tui.vcs.merge import run_driver

    sys.exit(run_driver(base, ours, theirs, path, sys.stderr))
