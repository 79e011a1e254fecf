"""The command line: parse, call the core, hand the result to rendering. Nothing else."""


import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError  # Typer bundles its own Click

from disputes import __version__, vocabulary
from disputes.errors import FAILED, DisputesError, InvalidValue
from disputes.lock import DEFAULT_TIMEOUT


class _Group(typer.core.TyperGroup):
    """Turns every failure into one line on stderr and a documented exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)
        except DisputesError as problem:
            error(str(problem))
            sys.exit(problem.exit_code)
        except NoArgsIsHelpError as problem:  # `disputes` or `disputes event` alone: the help, not an error
            sys.stdout.write(problem.format_message() + "\n")
            sys.exit(0)
        except ClickException as problem:
            error(problem.format_message() + _usage_hint(problem))
            sys.exit(problem.exit_code)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            error("aborted; nothing was changed")
            sys.exit(FAILED)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a word
            sys.exit(FAILED)
        except Exception as problem:  # a bug: still one line, never a traceback
            error(f"internal error ({type(problem).__name__}: {problem}); please report this")
            sys.exit(FAILED)
        sys.exit(code if isinstance(code, int) else 0)


def error(message: str) -> None:
    """One line on stderr, never read as markup."""
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()


def _usage_hint(problem: ClickException) -> str:
    context = getattr(problem, "ctx", None)
    return f" (see `{context.command_path} --help`)" if context is not None else ""


app = typer.Typer(
    cls=_Group,
    help="Track open disputes between parties: status, history and status reports.\n\n"
         "Start with `disputes seed` and `disputes report`.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Settings:
    db: Path | None = None
    lock_timeout: float = DEFAULT_TIMEOUT


def _version(value: bool) -> None:
    if value:
        typer.echo(f"disputes {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    db: Annotated[Optional[Path], typer.Option("--db", help="Store file (default: $DISPUTES_DB, else your data folder).", show_default=False)] = None,
    lock_timeout: Annotated[float, typer.Option(help="Seconds to wait for another command writing the store.", min=0)] = DEFAULT_TIMEOUT,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    Settings.db = db
    Settings.lock_timeout = lock_timeout


def _store(write: bool = False):
    from disputes.store import open_store

    return open_store(Settings.db, write=write, lock_timeout=Settings.lock_timeout)


# Options shared by many commands, declared once.
JsonOption = Annotated[bool, typer.Option("--json", help="Print the records as JSON.")]
NoteOption = Annotated[str, typer.Option("--note", "-n", help="Why; kept in the history.")]
DateOption = Annotated[Optional[str], typer.Option("--date", "-d", help="When it happened (YYYY, YYYY-MM or YYYY-MM-DD; default today).", show_default=False)]
PartyOption = Annotated[list[str], typer.Option("--party", "-p", help="A party (repeat for several).", show_default=False)]
TagOption = Annotated[list[str], typer.Option("--tag", "-t", help="A tag (repeat for several).", show_default=False)]
SourceOption = Annotated[list[str], typer.Option("--source", help="A source: text or URL (repeat for several).", show_default=False)]
DisputeArg = Annotated[str, typer.Argument(help="Dispute id, unique id prefix, or external reference.", show_default=False)]
STATUS_HELP = "Statuses: " + vocabulary.status_help() + "."
ALERT_HELP = "An alert shown in reports: " + " or ".join(vocabulary.ALERTS) + " (repeatable)."


def confirm_or_refuse(yes: bool, what: str) -> None:
    """Ask before deleting; without a terminal to ask, --yes is required."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidValue(f"not deleting {what} without --yes (no terminal to ask)")
    if not typer.confirm(f"Delete {what}?", default=False):
        raise typer.Abort()


def _show_one(dispute, as_json: bool, message: str) -> None:
    from disputes import render

    render.result(dispute.to_dict(), as_json, message)


@app.command()
def add(
    title: Annotated[str, typer.Argument(help="One line naming the dispute.", show_default=False)],
    summary: Annotated[str, typer.Option("--summary", "-s", help="What it is about.")] = "",
    status: Annotated[str, typer.Option(help=STATUS_HELP)] = "open",
    topic: Annotated[str, typer.Option(help="e.g. energy, trade, sanctions.")] = "",
    party: PartyOption = [],
    tag: TagOption = [],
    priority: Annotated[str, typer.Option(help="low, medium, high or critical.")] = "medium",
    opened: Annotated[Optional[str], typer.Option(help="When it began: YYYY, YYYY-MM or YYYY-MM-DD (default today).", show_default=False)] = None,
    ref: Annotated[str, typer.Option(help="External reference, e.g. DS512; finds the dispute too.")] = "",
    source: SourceOption = [],
    status_detail: Annotated[str, typer.Option(help="A source's own phrase for the status.")] = "",
    alert: Annotated[list[str], typer.Option(help=ALERT_HELP, show_default=False)] = [],
    as_json: JsonOption = False,
) -> None:
    """Add a dispute.

    Example: disputes add "Price of Russian gas" -p Belarus -p Russia --topic energy --opened 2016
    """
    from disputes import register

    with _store(write=True) as store:
        dispute = register.add(
            store, title, summary=summary, status=status, topic=topic, parties=party, tags=tag,
            priority=priority, opened=opened, ref=ref, sources=source, status_detail=status_detail,
            alerts=alert,
        )
    _show_one(dispute, as_json, f"Added dispute {dispute.id}: {dispute.title}")


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", "-a", help="Include resolved and closed disputes.")] = False,
    status: Annotated[list[str], typer.Option("--status", help="Only this status (repeatable). " + STATUS_HELP, show_default=False)] = [],
    party: PartyOption = [],
    topic: Annotated[list[str], typer.Option(help="Only this topic (repeatable).", show_default=False)] = [],
    tag: TagOption = [],
    priority: Annotated[list[str], typer.Option(help="Only this priority (repeatable).", show_default=False)] = [],
    search: Annotated[str, typer.Option("--search", "-s", help="Text in title, summary, ref, parties, topic or tags.")] = "",
    since: Annotated[str, typer.Option(help="Opened on or after this date.")] = "",
    until: Annotated[str, typer.Option(help="Opened on or before this date.")] = "",
    sort: Annotated[str, typer.Option(help="priority, opened, updated, created, status, title, ref or id.")] = "priority",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Show at most N disputes.", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """List disputes: the unresolved ones, unless --all or --status says otherwise.

    Example: disputes list --party Russia --sort opened
    """
    from disputes import query, register, render

    filters = query.Filters.parse(include_ended=all_, statuses=status, parties=party, topics=topic,
                                  tags=tag, priorities=priority, text=search, since=since, until=until)
    with _store() as store:
        everything = register.all_disputes(store)
    chosen = query.select(everything, filters, sort=sort, reverse=reverse, limit=limit)
    if as_json:
        render.as_json([d.to_dict() for d in chosen])
    else:
        render.listing(chosen, [d.id for d in everything])


@app.command()
def show(dispute: DisputeArg, as_json: JsonOption = False) -> None:
    """Show a dispute: its fields, status history, events, relations and changes.

    Example: disputes show 3zp0
    """
    from disputes import events, history, register, relations, render

    with _store() as store:
        found = register.find(store, dispute)
        timeline = events.select(events.all_events(store, found.id), dispute=found.id)
        links = relations.of(store, found.id)
        changes = history.entries(store, found.id)
    if as_json:
        render.as_json({**found.to_dict(), "events": [e.to_dict() for e in timeline],
                        "relations": links, "history": changes})
    else:
        render.dispute_detail(found, changes, timeline, links)


@app.command()
def edit(
    dispute: DisputeArg,
    title: Annotated[Optional[str], typer.Option(help="New title.", show_default=False)] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", "-s", help="New summary.", show_default=False)] = None,
    topic: Annotated[Optional[str], typer.Option(help="New topic.", show_default=False)] = None,
    priority: Annotated[Optional[str], typer.Option(help="low, medium, high or critical.", show_default=False)] = None,
    opened: Annotated[Optional[str], typer.Option(help="When it began.", show_default=False)] = None,
    ref: Annotated[Optional[str], typer.Option(help="External reference.", show_default=False)] = None,
    status_detail: Annotated[Optional[str], typer.Option(help="A source's own phrase for the status.", show_default=False)] = None,
    add_party: Annotated[list[str], typer.Option(help="Add a party.", show_default=False)] = [],
    remove_party: Annotated[list[str], typer.Option(help="Remove a party.", show_default=False)] = [],
    add_tag: Annotated[list[str], typer.Option(help="Add a tag.", show_default=False)] = [],
    remove_tag: Annotated[list[str], typer.Option(help="Remove a tag.", show_default=False)] = [],
    add_source: Annotated[list[str], typer.Option(help="Add a source.", show_default=False)] = [],
    remove_source: Annotated[list[str], typer.Option(help="Remove a source.", show_default=False)] = [],
    add_alert: Annotated[list[str], typer.Option(help=ALERT_HELP, show_default=False)] = [],
    remove_alert: Annotated[list[str], typer.Option(help="Remove an alert.", show_default=False)] = [],
    note: NoteOption = "",
    as_json: JsonOption = False,
) -> None:
    """Change a dispute's fields (use `status` to change its status).

    Example: disputes edit 3zp0 --priority high --add-tag dairy --note "milk ban widened"
    """
    from disputes import register

    changes = {"title": title, "summary": summary, "topic": topic, "priority": priority,
               "opened": opened, "ref": ref, "status_detail": status_detail}
    additions = {k: v for k, v in {"parties": add_party, "tags": add_tag, "sources": add_source,
                                   "alerts": add_alert}.items() if v}
    removals = {k: v for k, v in {"parties": remove_party, "tags": remove_tag, "sources": remove_source,
                                  "alerts": remove_alert}.items() if v}
    with _store(write=True) as store:
        changed = register.edit(store, dispute, changes, add=additions, remove=removals, note=note)
    _show_one(changed, as_json, f"Changed dispute {changed.id}: {changed.title}")


@app.command()
def status(
    dispute: DisputeArg,
    new: Annotated[str, typer.Argument(help=STATUS_HELP, show_default=False)],
    note: NoteOption = "",
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move a dispute to another status, with a dated note.

    Active states (open, negotiating, escalated, frozen) can move to any other state;
    final ones (resolved, closed) only back to an active one.

    Example: disputes status fr45 escalated --date 2016-06-07 --note "apples detained"
    """
    from disputes import register

    with _store(write=True) as store:
        changed = register.change_status(store, dispute, new, note=note, date=date)
    _show_one(changed, as_json, f"Dispute {changed.id} is now {changed.status}: {changed.title}")


def _end(dispute: str, final: str, note: str, date: Optional[str], as_json: bool) -> None:
    from disputes import register

    with _store(write=True) as store:
        changed = register.change_status(store, dispute, final, note=note, date=date)
    _show_one(changed, as_json, f"Dispute {changed.id} is now {final}: {changed.title}")


@app.command()
def resolve(dispute: DisputeArg, note: NoteOption = "", date: DateOption = None, as_json: JsonOption = False) -> None:
    """Mark a dispute resolved (settled).

    Example: disputes resolve vfb3 --note "price agreed" --date 2017-04-03
    """
    _end(dispute, "resolved", note, date, as_json)


@app.command()
def close(dispute: DisputeArg, note: NoteOption = "", date: DateOption = None, as_json: JsonOption = False) -> None:
    """Close a dispute without resolution (dropped, moot, no longer followed).

    Example: disputes close 3zp0 --note "no longer followed"
    """
    _end(dispute, "closed", note, date, as_json)


@app.command()
def reopen(
    dispute: DisputeArg,
    to: Annotated[str, typer.Option("--status", help="The active status to reopen to.")] = "open",
    note: NoteOption = "",
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reopen a resolved or closed dispute.

    Example: disputes reopen vfb3 --status negotiating --note "talks resumed"
    """
    from disputes import register

    with _store(write=True) as store:
        changed = register.reopen(store, dispute, status=to, note=note, date=date)
    _show_one(changed, as_json, f"Dispute {changed.id} is now {changed.status}: {changed.title}")


@app.command()
def delete(
    dispute: DisputeArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    cascade: Annotated[bool, typer.Option("--cascade", help="Also delete the events linked only to it.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete a dispute (asks first), with its links. Its history is kept, so `undo` brings it back.

    Events shared with other disputes are unlinked from it; events of its own are deleted
    only with --cascade, otherwise the delete is refused.

    Example: disputes delete 3zp0 --cascade --yes
    """
    from disputes import register

    with _store(write=True) as store:
        found = register.find(store, dispute)
        confirm_or_refuse(yes, f"dispute {found.id} {found.title!r}")
        deleted = register.delete(store, found.id, cascade=cascade)
    _show_one(deleted, as_json, f"Deleted dispute {deleted.id}: {deleted.title}")


@app.command()
def seed(as_json: JsonOption = False) -> None:
    """Load the bundled Belarus–Russia 2016 disputes and events; running it again adds nothing twice.

    Example: disputes seed && disputes report
    """
    from disputes import render, seed as seeding

    with _store(write=True) as store:
        added = seeding.load(store)
    if as_json:
        render.as_json(added)
    else:
        render.done(f"Added {added['disputes']} disputes, {added['events']} events and "
                    f"{added['relations']} relations from the seed (nothing already present is added twice).")


@app.command()
def report(
    as_of: Annotated[Optional[str], typer.Option(help="Report as the store stood on this day (default today).", show_default=False)] = None,
    window: Annotated[int, typer.Option(help="Days of recent events behind the trend.", min=1)] = 30,
    stale_after: Annotated[int, typer.Option(help="Flag disputes quiet for more days than this.", min=0)] = 90,
    party: PartyOption = [],
    topic: Annotated[list[str], typer.Option(help="Only this topic (repeatable).", show_default=False)] = [],
    status: Annotated[list[str], typer.Option("--status", help="Only this status (repeatable).", show_default=False)] = [],
    limit: Annotated[int, typer.Option(help="Rows per table, highest priority first (0: all; JSON has all).", min=0)] = 50,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md, html, svg or json.")] = "terminal",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of the screen.", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the status report: counts by status, unresolved disputes with age, staleness and
    trend (deteriorated / improved / unchanged over the window), recent events, and breakdowns
    by party and topic.

    Example: disputes report --as-of 2016-06-30 --format html --output report.html
    """
    from disputes import query, register, render, render_report, report as reporting
    from disputes.dates import parse_date

    fmt = "json" if as_json else fmt.lower()
    if fmt not in render_report.FORMATS:
        raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(render_report.FORMATS)}")
    filters = query.Filters.parse(statuses=status, parties=party, topics=topic)
    when = parse_date(as_of, what="--as-of date") if as_of else None
    if when and len(when) != 10:
        raise InvalidValue(f"--as-of needs a full date (YYYY-MM-DD), not {as_of!r}")
    with _store() as store:
        data = reporting.build(register.all_disputes(store), store.scan("events", reporting.EVENT_FIELDS), filters, as_of=when,
                               window=window, stale_after=stale_after, store=str(store.path))
    if fmt == "terminal":
        if output:
            raise InvalidValue("--output needs a file format: --format md, html, svg or json")
        render_report.terminal(data, render.console(), limit)
        return
    content = render_report.render(data, fmt, limit)
    if output:
        render_report.write(content, output)
        render.done(f"Wrote the {fmt} report to {output}")
    elif isinstance(content, bytes):
        render.write_bytes(content)
    else:
        render.done(content.rstrip("\n"))


from disputes import cli_data, cli_events, cli_sharing  # noqa: E402,F401  (they register their commands on app)


def main() -> None:
    """Entry point of the `disputes` command."""
    app(prog_name="disputes")
