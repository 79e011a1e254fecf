"""Commands for the register of disputes: add, list, show, edit, delete."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import (
    ALERT_HELP,
    STATUS_HELP,
    ComplainantOption,
    DisputeArg,
    JsonOption,
    PartyOption,
    RespondentOption,
    SourceOption,
    StaleAfterOption,
    TagOption,
    ThirdPartyOption,
    app,
    confirm_or_refuse,
    paged,
    roles_given,
    store_of,
)
from disputes.cli.filters import (
    filtered,
)

MONITORED_HELP = "Not monitored: kept for reference (a list's cases), never reported stale."
OwnerOption = Annotated[
    str, typer.Option("--owner", help="The analyst who owns it (as the history names authors).", show_default=False)
]


def _show_one(dispute, as_json: bool, message: str, warnings=()) -> None:
    from disputes.render import output

    for warning in warnings:
        output.warn(warning)
    output.result(dispute.to_dict(), as_json, message)


def _status_message(changed, requested: str, was: str) -> str:
    from disputes.ops import disputes as register

    return register.status_outcome(changed, requested, was)


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="One line naming the dispute.", show_default=False)],
    summary: Annotated[str, typer.Option("--summary", "-s", help="What it is about.")] = "",
    status: Annotated[str, typer.Option(help=STATUS_HELP, autocompletion=complete.statuses)] = "open",
    topic: Annotated[str, typer.Option(help="e.g. energy, trade, sanctions.")] = "",
    party: PartyOption = [],
    complainant: ComplainantOption = [],
    respondent: RespondentOption = [],
    third_party: ThirdPartyOption = [],
    tag: TagOption = [],
    priority: Annotated[
        str, typer.Option(help="low, medium, high or critical.", autocompletion=complete.priorities)
    ] = "medium",
    opened: Annotated[
        Optional[str],
        typer.Option(help="When it began: YYYY, YYYY-MM or YYYY-MM-DD (default today).", show_default=False),
    ] = None,
    ref: Annotated[str, typer.Option(help="External reference, e.g. DS512; finds the dispute too.")] = "",
    source: SourceOption = [],
    status_detail: Annotated[str, typer.Option(help="A source's own phrase for the status.")] = "",
    alert: Annotated[list[str], typer.Option(help=ALERT_HELP, show_default=False)] = [],
    monitored: Annotated[bool, typer.Option("--monitored/--not-monitored", help=MONITORED_HELP)] = True,
    owner: OwnerOption = "",
    as_json: JsonOption = False,
) -> None:
    """Add a dispute.

    A party is an actor: `RUSSIAN FEDERATION`, `Russian Federation` and `RUS` are all Russia
    (see `disputes party`). --party gives a party without a role.

    Example: disputes add "Price of Russian gas" -p Belarus -p Russia --topic energy --opened 2016

    Example: disputes add "Russia — Pigs (EU)" --complainant EU --respondent Russia --ref DS475
    """
    from disputes.ops import disputes as register
    from disputes.ops import lookup

    with store_of(ctx, write=True) as store:
        dispute = register.add(
            store,
            title,
            summary=summary,
            status=status,
            topic=topic,
            parties=party,
            roles=roles_given(complainant, respondent, third_party),
            tags=tag,
            priority=priority,
            opened=opened,
            ref=ref,
            sources=source,
            status_detail=status_detail,
            alerts=alert,
            monitored=monitored,
            owner=owner,
        )
        warnings = lookup.ref_warnings(store, dispute.ref, dispute.id)
    _show_one(dispute, as_json, f"Added dispute {dispute.id}: {dispute.title}", warnings)


@app.command("list")
@filtered
def list_(
    ctx: typer.Context,
    wanted,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Include resolved and closed disputes.")] = False,
    sort: Annotated[
        str,
        typer.Option(
            help="priority, opened, updated, created, status, title, ref, id, quiet (the longest quiet first) "
            "or last-event (the latest first)."
        ),
    ] = "priority",
    stale: Annotated[
        bool, typer.Option("--stale", help="Only disputes quiet for more than --stale-after days (as the report).")
    ] = False,
    stale_after: StaleAfterOption = 90,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Show at most N disputes.", show_default=False)] = None,
    mine: Annotated[
        bool, typer.Option("--mine", help="Only those you own (--owner: you, as the history names you).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List disputes: the unresolved ones, unless --all or --status says otherwise.

    Example: disputes list --party Russia --sort opened

    Example: disputes list --mine

    Example: disputes list --respondent Russia --all

    Example: disputes list --stale --sort quiet
    """
    from disputes.core import query
    from disputes.core.dates import today
    from disputes.ops import disputes as register
    from disputes.ops import lookup, selection
    from disputes.render import listings, output

    with store_of(ctx) as store:
        if mine:
            from disputes.store.author import author_of

            given = {**wanted.given, "owner": [*wanted.given.get("owner", ()), author_of(store.path)]}
            wanted = selection.Wanted(given, view=wanted.view, everything=wanted.everything)
        chosen_by = selection.choose(store, wanted, include_ended=all_)
        needs_activity = stale or sort in query.BY_ACTIVITY
        whole = as_json or needs_activity or chosen_by.filters.searches()
        everything = lookup.listed(store, whole=whole)
        activity = register.activity(store, everything, today()) if needs_activity else None
    chosen = query.select(
        everything,
        chosen_by.filters,
        sort=sort,
        reverse=reverse,
        limit=limit,
        activity=activity,
        stale_after=stale_after if stale else None,
    )
    if as_json:
        output.as_json([d.to_dict() for d in chosen])
    else:
        with paged(ctx):
            listings.listing(chosen, [d.id for d in everything], chosen_by.said if chosen_by.view else "")


@app.command()
def show(
    ctx: typer.Context,
    dispute: DisputeArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md (Markdown to paste) or json.")] = "terminal",
    as_of: Annotated[
        Optional[str],
        typer.Option(help="The bottom line in force on this day (default: the latest).", show_default=False),
    ] = None,
    every: Annotated[bool, typer.Option("--history", help="Every assessment, oldest first.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show a dispute: its fields, bottom line (`assess`), status history, events, relations
    and changes. A word or phrase of its title finds it too, when no id or reference does
    and one title holds it.

    Example: disputes show 3zp0

    Example: disputes show brandy --format md
    """
    from disputes.cli.app import chosen_format

    fmt = chosen_format("json" if as_json else fmt, ("terminal", "md", "json"))
    from disputes.core.dates import parse_date
    from disputes.ops import showing
    from disputes.render import output

    day = parse_date(as_of, what="--as-of date") if as_of else None
    with store_of(ctx) as store:
        shown = showing.dispute_shown(store, dispute, as_of=day, every=every)
    if fmt == "md":
        from disputes.render import exports

        output.verbatim(exports.dispute_markdown(shown).rstrip("\n"))
    elif fmt == "json":
        output.as_json(shown.to_json())
    else:
        from disputes.render import details

        with paged(ctx):
            details.dispute_detail(shown)


@app.command()
def delete(
    ctx: typer.Context,
    dispute: DisputeArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Also delete what hangs on it: documents, comments, own events...")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete a dispute (asks first). Its history is kept, so `undo` brings it all back.

    What hangs on it alone (its events of its own, relations, deadlines, watch rules,
    assessments, forecasts, comments, documents) goes with it, only with --cascade:
    otherwise the delete is refused. Events shared with other disputes are unlinked.

    Example: disputes delete 3zp0 --cascade --yes
    """
    from disputes.ops import disputes as register
    from disputes.ops import lookup

    with store_of(ctx, write=True) as store:
        found = lookup.dispute(store, dispute)
        taking = register.taken_by_delete(store, found.id)
        register.refuse_without_cascade(found.id, taking, cascade)
        said = taking.said()
        confirm_or_refuse(yes, f"dispute {found.id} {found.title!r}" + (f" with {said}" if said else ""))
        deleted, taken = register.delete(store, found.id, cascade=cascade)
    said = f" with {taken.said()}" if taken.said() else ""
    _show_one(deleted, as_json, f"Deleted dispute {deleted.id}{said}: {deleted.title}")
