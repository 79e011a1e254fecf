"""Commands for events: the `event` group (add, list, show, edit, delete, link, unlink) and the timeline."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import (
    DisputesArg,
    JsonOption,
    NoteOption,
    SourceOption,
    app,
    confirm_or_refuse,
    group,
    paged,
    store_of,
)
from disputes.cli.filters import filtered

event_app = group(
    "event",
    "Dated facts linked to disputes: add, list, show, edit, delete, link, unlink.",
)


EventArg = Annotated[
    str, typer.Argument(help="Event id or unique id prefix.", show_default=False, autocompletion=complete.events)
]
KIND_HELP = "meeting, statement, measure, agreement, incident, ruling or other."
EFFECT_HELP = "escalating, de-escalating or neutral (default: from the score, else neutral)."
SCORE_HELP = "Goldstein-style score, -10 (conflict) to +10 (cooperation); default from --code."
CODE_HELP = "CAMEO event code, e.g. 172 (codes keep leading zeros: 010)."


def _print_event(event, as_json: bool, message: str) -> None:
    from disputes.render import output

    output.result(event.to_dict(), as_json, message)


@event_app.command("add")
def event_add(
    ctx: typer.Context,
    disputes: DisputesArg,
    date: Annotated[str, typer.Option("--date", "-d", help="When: YYYY, YYYY-MM or YYYY-MM-DD.", show_default=False)],
    title: Annotated[str, typer.Option("--title", help="What happened, in one line.", show_default=False)],
    description: Annotated[str, typer.Option(help="More detail.")] = "",
    kind: Annotated[str, typer.Option(help=KIND_HELP)] = "other",
    effect: Annotated[Optional[str], typer.Option(help=EFFECT_HELP, show_default=False)] = None,
    score: Annotated[Optional[float], typer.Option(help=SCORE_HELP, show_default=False)] = None,
    code: Annotated[str, typer.Option(help=CODE_HELP, autocompletion=complete.cameo_codes)] = "",
    actor: Annotated[list[str], typer.Option("--actor", help="Who acted (repeatable).", show_default=False)] = [],
    place: Annotated[str, typer.Option(help="Where.")] = "",
    source: SourceOption = [],
    as_json: JsonOption = False,
) -> None:
    """Record an event and link it to one or more disputes.

    Example: disputes event add fr45 --date 2016-06-07 --title "Polish apples detained" --kind measure --code 171
    """
    from disputes.ops import events

    with store_of(ctx, write=True) as store:
        event = events.add(
            store,
            disputes,
            date,
            title,
            description=description,
            kind=kind,
            effect=effect,
            score=score,
            code=code,
            actors=actor,
            place=place,
            sources=source,
        )
    _print_event(event, as_json, f"Added event {event.id}: {event.date} {event.title}")


@event_app.command("list")
@filtered
def event_list(
    ctx: typer.Context,
    wanted,
    since: Annotated[str, typer.Option(help="On or after this date.")] = "",
    until: Annotated[str, typer.Option(help="On or before this date.")] = "",
    kind: Annotated[list[str], typer.Option(help="Only this kind (repeatable).", show_default=False)] = [],
    effect: Annotated[list[str], typer.Option(help="Only this effect (repeatable).", show_default=False)] = [],
    limit: Annotated[
        Optional[int], typer.Option(help="Show at most N events (the latest).", show_default=False, min=0)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, csv or json.")] = "terminal",
    as_json: JsonOption = False,
) -> None:
    """List events in date order (--since and --until are the events' dates; the other
    filters choose their disputes).

    Example: disputes event list --dispute fr45 --since 2016

    Example: disputes event list --format csv > events.csv
    """
    from disputes.cli.app import chosen_format
    from disputes.ops import events, selection, showing
    from disputes.render import listings, output

    fmt = chosen_format("json" if as_json else fmt, ("terminal", "csv", "json"))
    with store_of(ctx) as store:
        listed = showing.events_listed(
            store,
            selection.choose(store, wanted),
            whole=fmt == "json",
            fields=events.LISTED,
            limit=limit,
            since=since,
            until=until,
            kinds=kind,
            effects=effect,
        )
    if fmt == "csv":
        from disputes.render import exports

        output.write_chunks(output.printable(piece, multiline=True).encode() for piece in exports.events_csv(listed))
    elif fmt == "json":
        output.json_lines(list(listed.rows))
    else:
        with paged(ctx):
            listings.event_listing(listed)


@event_app.command("show")
def event_show(ctx: typer.Context, event: EventArg, as_json: JsonOption = False) -> None:
    """Show an event with the disputes it is linked to.

    Example: disputes event show 7k2m
    """
    from disputes.core import cameo
    from disputes.ops import lookup
    from disputes.render import details, output

    with store_of(ctx) as store:
        found = lookup.event_record(store, event)
        titles = {d: (store.record("disputes", d) or {}).get("title", "") for d in found.disputes}
    if as_json:
        output.as_json(found.to_dict())
    else:
        details.event_detail(found, titles, cameo.lookup(found.code)[1] if found.code else "")


@event_app.command("edit")
def event_edit(
    ctx: typer.Context,
    event: EventArg,
    date: Annotated[Optional[str], typer.Option("--date", "-d", show_default=False, help="New date.")] = None,
    title: Annotated[Optional[str], typer.Option(show_default=False, help="New title.")] = None,
    description: Annotated[Optional[str], typer.Option(show_default=False, help="New description.")] = None,
    kind: Annotated[Optional[str], typer.Option(show_default=False, help=KIND_HELP)] = None,
    effect: Annotated[Optional[str], typer.Option(show_default=False, help=EFFECT_HELP)] = None,
    score: Annotated[Optional[float], typer.Option(show_default=False, help=SCORE_HELP)] = None,
    code: Annotated[
        Optional[str], typer.Option(show_default=False, help=CODE_HELP, autocompletion=complete.cameo_codes)
    ] = None,
    actor: Annotated[
        Optional[list[str]], typer.Option("--actor", show_default=False, help="Replace the actors (repeatable).")
    ] = None,
    place: Annotated[Optional[str], typer.Option(show_default=False, help="New place.")] = None,
    source: Annotated[
        Optional[list[str]], typer.Option("--source", show_default=False, help="Replace the sources (repeatable).")
    ] = None,
    note: NoteOption = "",
    as_json: JsonOption = False,
) -> None:
    """Change an event's fields.

    Example: disputes event edit 7k2m --effect escalating --score -6
    """
    from disputes.ops import events

    changes = {
        "date": date,
        "title": title,
        "description": description,
        "kind": kind,
        "effect": effect,
        "score": score,
        "code": code,
        "actors": actor or None,
        "place": place,
        "sources": source or None,
    }
    from disputes.core.changes import said
    from disputes.ops import lookup

    with store_of(ctx, write=True) as store:
        before = lookup.event_record(store, event)
        changed = events.edit(store, event, changes, note=note)
    told = said(before.to_dict(), changed.to_dict())
    _print_event(changed, as_json, f"Changed event {changed.id} ({changed.date} {changed.title}): {told}")


@event_app.command("delete")
def event_delete(
    ctx: typer.Context,
    event: EventArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete an event (asks first).

    Example: disputes event delete 7k2m --yes
    """
    from disputes.ops import events, lookup

    with store_of(ctx, write=True) as store:
        found = lookup.event_record(store, event)
        confirm_or_refuse(yes, f"event {found.id} {found.title!r}")
        deleted = events.delete(store, found.id)
    _print_event(deleted, as_json, f"Deleted event {deleted.id}: {deleted.date} {deleted.title}")


@event_app.command("link")
def event_link(ctx: typer.Context, event: EventArg, disputes: DisputesArg, as_json: JsonOption = False) -> None:
    """Attach an event to more disputes.

    Example: disputes event link 7k2m vfb3 3zp0
    """
    from disputes.core.vocabulary import counted
    from disputes.ops import events

    with store_of(ctx, write=True) as store:
        changed = events.link(store, event, disputes)
    _print_event(changed, as_json, f"Event {changed.id} is linked to {counted(len(changed.disputes), 'dispute')}")


@event_app.command("unlink")
def event_unlink(ctx: typer.Context, event: EventArg, disputes: DisputesArg, as_json: JsonOption = False) -> None:
    """Detach an event from disputes (it keeps at least one).

    Example: disputes event unlink 7k2m 3zp0
    """
    from disputes.core.vocabulary import counted
    from disputes.ops import events

    with store_of(ctx, write=True) as store:
        changed = events.unlink(store, event, disputes)
    _print_event(changed, as_json, f"Event {changed.id} is linked to {counted(len(changed.disputes), 'dispute')}")


@app.command()
@filtered
def timeline(
    ctx: typer.Context,
    wanted,
    since: Annotated[str, typer.Option(help="On or after this date.")] = "",
    until: Annotated[str, typer.Option(help="On or before this date.")] = "",
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md (Markdown to paste) or json.")] = "terminal",
    as_json: JsonOption = False,
) -> None:
    """Show events across disputes, grouped by year and month (--since and --until are the
    events' dates; the other filters choose their disputes).

    Example: disputes timeline --since 2014

    Example: disputes timeline --dispute fr45 --format md
    """
    from disputes.cli.app import chosen_format
    from disputes.ops import selection, showing
    from disputes.render import listings, output

    fmt = chosen_format("json" if as_json else fmt, ("terminal", "md", "json"))
    fields = ("id", "date", "effect", "title", "disputes", "created")
    with store_of(ctx) as store:
        listed = showing.events_listed(
            store,
            selection.choose(store, wanted),
            whole=fmt == "json",
            fields=fields,
            short_ids=False,
            since=since,
            until=until,
        )
    if fmt == "json":
        output.json_lines(list(listed.rows))
    elif fmt == "md":
        from disputes.render import exports

        output.verbatim(exports.timeline_markdown(listed).rstrip("\n"))
    else:
        with paged(ctx):
            listings.timeline(listed)
