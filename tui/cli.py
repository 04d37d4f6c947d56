"""The ``kept`` command line: a thin face over the library.

Commands parse what was typed, call one use case, and print its result. Library
errors (:class:`~tui.errors.KeptError`) go to stderr as one clear line with a non-zero
exit; nothing here decides a business rule.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tui import __version__
from tui.core.dates import due_text, relative_due
from tui.core.rules import AgendaItem
from tui.errors import InvalidInput, KeptError
from tui.services import agenda as agenda_service
from tui.services.agenda import TYPE_LABELS, cells, fit
from tui.services.context import Session, clock_from_env
from tui.workspace.layout import resolve_root

if TYPE_CHECKING:
    from tui.services.actions import Outcome


class _Later:
    """A module imported on first use: ``kept agenda`` never pays for git or the
    writing machinery, which most commands do not need."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attr)


actions = _Later("tui.services.actions")
secrets = _Later("tui.workspace.secrets")
setup = _Later("tui.services.setup")

F = TypeVar("F", bound=Callable[..., Any])

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


def to_json(data: Any) -> str:
    """Indented for a person at a terminal; one compact line (fast) for a program."""
    if sys.stdout.isatty():
        import json  # here: most output is not JSON, and json takes 10 ms to import

        return json.dumps(data, ensure_ascii=False, indent=2)
    import orjson  # the same text as json.dumps(ensure_ascii=False), ten times sooner

    return orjson.dumps(data).decode("utf-8")


def warn(message: str) -> None:
    click.echo(f"kept: warning: {message}", err=True)


class _Opened:
    """What this process's commands opened: the launcher (tui.server) starts the
    background server after a command on a large workspace, and exits without
    freeing the last session (see tui.server.leave), so it is kept here till then."""

    files = 0
    session: Session | None = None


opened = _Opened()


def session(ctx: click.Context) -> Session:
    """The workspace session, its view of the files brought up to date."""
    s = Session.open(ctx.obj.get("workspace"))
    opened.files = max(opened.files, len(s.view.entries))
    opened.session = s
    return s


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
    # A command lives for a moment and makes many objects that all stay alive (the
    # index's view): the cycle collector would only walk them again and again.
    if gc.isenabled():
        gc.disable()
        ctx.call_on_close(_collector_back_on)
    if ctx.invoked_subcommand is None:
        open_app(ctx)


def _collector_back_on() -> None:
    """The cycle collector on again after a command, with what the command made
    counted as old (freeze, then unfreeze): switched on as it was, its first pass would
    walk every one of those objects (0.3 s on 120,000 files) just before the exit."""
    gc.freeze()
    gc.unfreeze()
    gc.enable()


def open_app(ctx: click.Context) -> None:
    """The app on a terminal; piped or scripted, the agenda as text."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        ctx.invoke(agenda_cmd)
        return
    root = fail_on_kept_errors(lambda: session_root(ctx))()
    from tui.app import run  # Textual loads only for the app

    gc.enable()  # the app lives long: it collects as usual
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
    root = setup.init_workspace(directory, clock_from_env(env, None), with_demo=with_demo,
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
    root = setup.ensure_demo(platformdirs.user_data_path("kept"), clock_from_env(env, None))
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
    # Secrets: the full text of every file too (comments, note bodies), not only records.
    problems = secrets.merge_problems(s.view.problems,
                                      secrets.scan_files(s.root, (e.path for e in s.view.entries
                                                                  if e.kind != "conflict")))
    if as_json:
        click.echo(to_json([p.as_dict() for p in problems]))
    else:
        for p in problems:
            click.echo(str(p))
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        view = s.view
        if problems:
            click.echo(f"{errors} error{'s' * (errors != 1)}, "
                       f"{warnings} warning{'s' * (warnings != 1)}", err=True)
        else:
            notes = sum(1 for e in view.entries if e.kind == "note")
            click.echo(f"ok: {len(view.clients)} clients, {len(view.open_promises)} open "
                       f"promises, {notes} notes", err=True)
    if any(p.is_error for p in problems):
        sys.exit(1)


def _print_agenda(s: Session, items: list[AgendaItem], days: int, ids: bool) -> None:
    tty = sys.stdout.isatty()
    click.echo(click.style(f"{s.settings.name} — {s.clock.today:%a %d %b %Y}", bold=True)
               + f" · {agenda_service.summary(items, s.clock)}")
    if not items:
        click.echo("\nNothing due. Add a promise: kept add promise CLIENT TEXT --due WHEN")
        return
    client_w = min(max(cells(i.client_name) for i in items), 24)
    id_w = max(len(i.id) for i in items) if ids else 0
    fixed = 2 + 10 + (id_w + 2 if ids else 0) + client_w + 2 + 18 + 12
    longest = max(cells(i.text) for i in items)
    # On a terminal, texts are cut to fit; piped into a file or grep, nothing is cut.
    text_w = max(shutil.get_terminal_size().columns - fixed, 20) if tty else longest
    text_w = min(text_w, longest)
    lines = []
    for section in agenda_service.sections(s, items, days):
        lines += ["", click.style(section.title, bold=True)]
        for item in section.items:
            row = "  " + fit(TYPE_LABELS[item.type], 10)
            if ids:
                row += fit(item.id, id_w) + "  "
            row += fit(item.client_name, client_w) + "  "
            row += fit(item.text, text_w) + "  "
            row += fit(due_text(item.due), 16) + "  " + relative_due(item.due, s.clock)
            lines.append(click.style(row.rstrip(), fg="red") if item.overdue else row.rstrip())
    # One write: thousands of rows on a large workspace, each echo a syscall.
    click.echo("\n".join(lines))


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
        click.echo(to_json([i.as_dict() for i in items]))
        return
    _print_agenda(s, items, days, ids)
    errors = sum(p.is_error for p in s.view.problems)
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


@main.command("server")
@click.option("--stop", is_flag=True, help="Stop it (the next command runs in its own "
              "process and starts it again; KEPT_SERVER=0 keeps it off).")
def server_cmd(stop: bool) -> None:
    """The background server that keeps kept warm on a large workspace.

    After a command (or the app) on a workspace of 2,000 files or more, kept leaves
    a server running for the next commands (it exits after 3 idle hours). KEPT_SERVER=0
    turns it off; KEPT_SERVER=1 uses it for a workspace of any size.
    """
    from tui import server

    if stop:
        pid = server.stop()
        click.echo(f"stopped the server (pid {pid})" if pid else "no server was running")
        return
    found = server.running()
    if found is None:
        click.echo("no server is running")
        return
    pid, log = found
    click.echo(f"running, pid {pid}; what it served: {log}")


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


# --- the account manager's workflows: follow-ups, replies, KPIs, reports, calendars,
# --- imports, handover (issue 6) ---------------------------------------------------


@main.command("chase")
@click.argument("client")
@click.argument("text")
@click.option("--to", help="Whom it was sent to (a contact's name).")
@click.option("--ladder", help="This follow-up's own ladder, like 1d,3d,1w (default: "
                               "follow_up in kept.yaml).")
@click.option("--owner", help="Who chases (a team handle; default: you).")
@click.pass_context
@fail_on_kept_errors
def chase_cmd(ctx: click.Context, client: str, text: str, to: str | None,
              ladder: str | None, owner: str | None) -> None:
    """Start a follow-up on CLIENT's ladder (proposal sent, waiting for an answer);
    prints the new id.

    Step 1 is due after the first rung of the ladder (follow_up in kept.yaml:
    1d, 3d, 1w, 2w, 1mo, 3mo). Then: kept chased ID (no answer yet: the next step)
    or kept answered ID.
    """
    from tui.services import chase

    report(chase.chase(session(ctx), client, text, to=to, ladder=ladder, owner=owner))


@main.command("chased")
@click.argument("promise_id", metavar="ID")
@click.option("--why", default="", help="What you did, e.g. 'called, no answer'.")
@click.pass_context
@fail_on_kept_errors
def chased_cmd(ctx: click.Context, promise_id: str, why: str) -> None:
    """Follow-up ID was chased with no answer: schedule the next step from today.

    After the last step the follow-up goes cold (closed as dropped, with a 'cold'
    history entry); the agenda shows it that day.
    """
    from tui.services import chase

    report(chase.chased(session(ctx), promise_id, why))


@main.command("answered")
@click.argument("promise_id", metavar="ID")
@click.option("--why", default="", help="What they said, e.g. 'yes, starts in January'.")
@click.pass_context
@fail_on_kept_errors
def answered_cmd(ctx: click.Context, promise_id: str, why: str) -> None:
    """The client answered follow-up ID: close it."""
    from tui.services import chase

    report(chase.answered(session(ctx), promise_id, why))


@main.command("ask")
@click.argument("client")
@click.argument("text")
@click.option("--from", "from_", help="Who asked (a contact's name).")
@click.option("--within", help="Answer within this long (default: reply_within in "
                               "kept.yaml, 15min).")
@click.option("--owner", help="Who answers (a team handle; default: you).")
@click.pass_context
@fail_on_kept_errors
def ask_cmd(ctx: click.Context, client: str, text: str, from_: str | None,
            within: str | None, owner: str | None) -> None:
    """Record a request from CLIENT to answer: due reply_within from now; prints the id.

    Overdue replies head the agenda. If the answer takes longer, tell the client when
    and move it: kept move ID fri --why "told the client: by Friday".
    """
    from tui.services import chase

    report(chase.ask(session(ctx), client, text, from_=from_, within=within,
                     owner=owner))


def _since(s: Session, since: str | None) -> Any:
    from tui.core.dates import parse_day

    if since is None:
        return None
    try:
        day = parse_day(since, s.clock)
    except ValueError as exc:
        raise InvalidInput(f"--since: {exc}") from None
    if day > s.clock.today and not re.search(r"\d{4}", since):
        # "1 nov" or "25.11" looks back: the last such day, not the next.
        with contextlib.suppress(ValueError):
            day = day.replace(year=day.year - 1)
    return day


def _amounts(amounts: dict[str, Any]) -> str:
    from tui.core.rules import format_money

    return ", ".join(format_money(v, c) for c, v in amounts.items()) or "none"


def _pct_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _days_text(days: int | None) -> str:
    return "no contact" if days is None else f"{days} day{'s' * (days != 1)}"


def _print_stats(data: dict[str, Any], name: str) -> None:
    click.echo(click.style(f"{name} — KPIs {data['since']} to {data['until']}", bold=True))
    click.echo()
    header = (f"  {'promises':<14}{'due':>5}{'on time':>9}{'late':>6}{'open late':>11}"
              f"{'dropped':>9}{'kept on time':>14}{'moves':>7}{'days lost':>11}")
    click.echo(header)
    for label, key in (("ours", "us"), ("the client's", "client")):
        n = data["promises"][key]
        click.echo(f"  {label:<14}{n['due']:>5}{n['on_time']:>9}{n['late']:>6}"
                   f"{n['open_late']:>11}{n['dropped']:>9}{_pct_text(n['on_time_pct']):>14}"
                   f"{n['moves']:>7}{n['days_lost']:>11}")
    r = data["replies"]
    avg = "—" if r["avg_minutes"] is None else f"{r['avg_minutes']:g} min"
    click.echo()
    click.echo(f"Replies: {r['count']} answered, average {avg} against {r['reply_within']} "
               f"({r['within']} within, {r['late']} late); {r['open_late']} open past due")
    quiet = [t for t in data["touch"] if t["quiet"]]
    detail = ", ".join(
        f"{t['client']} ({_days_text(t['days_since'])}, {t['cadence']})" for t in quiet)
    click.echo(f"Contact: {len(quiet)} of {len(data['touch'])} clients going quiet"
               + (f": {detail}" if detail else ""))
    m = data["money"]
    click.echo(f"Money: receivables {_amounts(m['receivables'])}; overdue "
               f"{m['overdue']['count']} invoice{'s' * (m['overdue']['count'] != 1)} "
               f"({_amounts(m['overdue']['amount'])}); collected {_amounts(m['collected'])}; "
               f"monthly fees {_amounts(m['turnover'])}")
    c = data["clients"]
    statuses = " · ".join(f"{n} {s}" for s, n in c["by_status"].items() if n)
    churned = ", ".join(c["churned"]) or "none"
    click.echo(f"Clients: {statuses or 'none'}; churned in the period: {churned}")
    sv = data["services"]
    per = "—" if sv["per_active_client"] is None else f"{sv['per_active_client']:g}"
    click.echo(f"Services: {sv['total']} in all, {per} per active client")
    if "groups" in data:
        click.echo()
        click.echo(f"  {'by ' + data['by']:<26}{'ours on time':>13}{'late':>6}{'moves':>7}"
                   f"{'days lost':>11}{'theirs on time':>16}{'replies':>9}  receivables")
        for g in data["groups"]:
            us, them = g["promises"]["us"], g["promises"]["client"]
            click.echo(f"  {fit(g['name'], 26)}{_pct_text(us['on_time_pct']):>13}"
                       f"{us['late'] + us['open_late']:>6}{us['moves'] + them['moves']:>7}"
                       f"{us['days_lost'] + them['days_lost']:>11}"
                       f"{_pct_text(them['on_time_pct']):>16}{g['replies']['count']:>9}  "
                       f"{_amounts(g['money']['receivables'])}")


@main.command("stats")
@click.option("--since", help="Start of the period (default: 30 days ago): 2026-11-01, "
                              "'1 nov', 25.10.")
@click.option("--by", type=click.Choice(["client", "owner"]), help="Also per client or per AM.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.pass_context
@fail_on_kept_errors
def stats_cmd(ctx: click.Context, since: str | None, by: str | None, as_json: bool) -> None:
    """KPIs: promises kept on time (ours and the client's), moves, reply times,
    clients going quiet, receivables, churn, monthly fees and services.

    The period runs from --since to today; every number is defined in kept's
    tui/services/stats.py.
    """
    from tui.services import stats

    s = session(ctx)
    data = stats.compute(s.ws, s.clock, _since(s, since), by)
    if as_json:
        import json

        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_stats(data, s.settings.name)


def _write_output(output: Path | None, text: str) -> None:
    """To the file named by -o, else to stdout."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {output}", err=True)


@main.command("report")
@click.argument("client")
@click.option("--since", help="Start of the period (default: the client's report cadence "
                              "back from today, else 30 days).")
@click.option("--html", "as_html", is_flag=True, help="One self-contained HTML page.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of stdout.")
@click.pass_context
@fail_on_kept_errors
def report_cmd(ctx: click.Context, client: str, since: str | None, as_html: bool,
               output: Path | None) -> None:
    """A status report for CLIENT to send them: delivered, in progress, what we need
    from them, what is coming, meetings and open invoices.

    Markdown by default. Note texts, note titles and the reasons in history never
    appear in it.
    """
    from tui.services import report as report_service

    s = session(ctx)
    slug = s.client(client).slug
    built = report_service.build(s.ws, slug, s.clock, _since(s, since))
    text = report_service.to_html(built) if as_html else report_service.markdown(built)
    _write_output(output, text)


@main.group("export")
def export_group() -> None:
    """Export what is due to other tools."""


@export_group.command("ics")
@click.option("--client", "client_ref", help="Only this client.")
@click.option("--mine", is_flag=True, help="Only what I must act on.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of stdout.")
@click.pass_context
@fail_on_kept_errors
def export_ics_cmd(ctx: click.Context, client_ref: str | None, mine: bool,
                   output: Path | None) -> None:
    """Everything due — open promises both ways, touches, unpaid invoices — as an
    iCalendar file for calendar apps.

    Each event's UID is stable (<id>@kept), so importing the file again updates the
    events instead of adding them twice.
    """
    from tui.services import ics

    s = session(ctx)
    slug = s.client(client_ref).slug if client_ref else None
    me = s.require_me() if mine else None
    _write_output(output, ics.calendar(s.ws, s.clock, client=slug, mine=me).decode("utf-8"))


@main.group("import")
def import_group() -> None:
    """Clients and contacts from a CRM or spreadsheet (CSV) or an address book (vCard)."""


def _report_import(plan: Any, outcome: Outcome | None, dry_run: bool) -> None:
    for planned in plan.clients:
        click.echo(planned.describe())
    if dry_run:
        click.echo(f"dry run: would import {plan.summary()}; nothing was written", err=True)
    elif outcome is None:
        click.echo("nothing to import: every client and contact is already there", err=True)
    else:
        outcome = actions.Outcome(outcome.message, outcome.paths, outcome.commit, "",
                          outcome.warnings)
        report(outcome)


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
              help="What a column holds (repeatable), e.g. --map 'Клиент=name'; FIELD - "
                   "skips the column.")
@click.option("--dry-run", is_flag=True, help="Show what would be created; write nothing.")
@click.pass_context
@fail_on_kept_errors
def import_csv_cmd(ctx: click.Context, file: Path, mapping: tuple[str, ...],
                   dry_run: bool) -> None:
    """Import clients and their contacts from FILE, a CSV export of a CRM or spreadsheet.

    Columns are recognised by their headers in English and Russian (Name/Название/
    Клиент, Status/Статус, Owner/Менеджер, Contact/Контакт, Email/Почта,
    Phone/Телефон, Services/Услуги...). Fields: name, status, owner, since, channel,
    touch, services, tags, monthly_fee, currency, contact, role, email, phone,
    contact_channel. All or nothing, in one commit; a second run adds nothing.
    """
    from tui.services import importers

    plan, outcome = importers.import_csv(session(ctx), file, mapping, dry_run)
    _report_import(plan, outcome, dry_run)


@import_group.command("vcard")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--client", "client_ref", required=True, help="Whose contacts these are.")
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.pass_context
@fail_on_kept_errors
def import_vcard_cmd(ctx: click.Context, file: Path, client_ref: str, dry_run: bool) -> None:
    """Add the contacts in FILE (vCard 2.1, 3.0 or 4.0) to a client's card.

    Contacts already on the card (same name or email) are skipped.
    """
    from tui.services import importers

    plan, outcome = importers.import_vcard(session(ctx), file, client_ref, dry_run)
    _report_import(plan, outcome, dry_run)


@main.command("handover")
@click.argument("client")
@click.option("--to", "to", required=True, help="The new account manager (a team handle).")
@click.pass_context
@fail_on_kept_errors
def handover_cmd(ctx: click.Context, client: str, to: str) -> None:
    """Hand CLIENT over to another account manager; prints the handover note's path.

    Sets the owner on the card and writes an internal note for the new owner: the card
    at a glance, key contacts, open promises both ways, last contacts and invoices.
    One commit.
    """
    from tui.services.handover import handover

    report(handover(session(ctx), client, to))
