"""Commands for what is due: the `deadline` group, `review`, and the `agenda`."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import (
    DisputeArg,
    JsonOption,
    NoteOption,
    SourceOption,
    StaleAfterOption,
    app,
    group,
    paged,
    store_of,
)
from disputes.cli.filters import (
    MatchOption,
    OptionalDisputeArg,
    SelectViewOption,
    YesOption,
    changed_many,
    confirm_change,
    filtered,
    one_or_many,
)
from disputes.core.deadline import CLOCKS

deadline_app = group(
    "deadline",
    "Deadlines on disputes: add (by hand or by a procedural clock), list, done, edit, delete.",
)


DeadlineArg = Annotated[str, typer.Argument(help="Deadline id or unique id prefix.", show_default=False)]
DayOption = Annotated[
    Optional[str],
    typer.Option(
        "--date", "-d", help="The day: YYYY-MM-DD, YYYY-MM (its last day), today, +3d, -1w…", show_default=False
    ),
]
STAGES_HELP = "; ".join(f"{rule}: {', '.join(stages)}" for rule, stages in CLOCKS.items())


def _print(record, as_json: bool, message: str) -> None:
    from disputes.render import output

    output.result(record.to_dict(), as_json, message)


@deadline_app.command("add")
def deadline_add(
    ctx: typer.Context,
    dispute: DisputeArg,
    date: DayOption = None,
    title: Annotated[Optional[str], typer.Option("--title", help="What is due.", show_default=False)] = None,
    source: SourceOption = [],
    opens: Annotated[
        bool,
        typer.Option("--opens", help="A right or window that opens on --date (never overdue), not a step due by it."),
    ] = False,
    rules: Annotated[
        Optional[str],
        typer.Option(
            "--rules",
            help="A procedural clock: wto-dsu (WTO DSU), eu-ad (EU anti-dumping), eu-as (EU anti-subsidy).",
            show_default=False,
            autocompletion=lambda: list(CLOCKS),
        ),
    ] = None,
    stage: Annotated[
        Optional[str],
        typer.Option(
            "--stage",
            help=f"With --rules: the stage that began on --from (default: the first). {STAGES_HELP}.",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        Optional[str],
        typer.Option(
            "--from", help="With --rules: the day the stage began (a full date, or today, -3d…).", show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a deadline to a dispute, or the deadlines of a procedural clock's stage.

    A deadline is due by its date (overdue once past and not done), or with --opens a right
    that opens that day (shown as open since, never overdue). Dates may be partial (2017-03:
    due by the end of March) or relative (today, tomorrow, +3d, +2w, +1m). Each step of a
    clock cites its article: wto-dsu --stage request sets the reply (+10 days) and
    consultations (+30, DSU Art. 4.3) and the right to request a panel (+60, Art. 4.7).

    Example: disputes deadline add DS512 --rules wto-dsu --from 2016-09-14

    Example: disputes deadline add DS512 --rules wto-dsu --stage established --from 2017-04-25
    """
    from disputes.ops import deadlines
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        made = deadlines.add(
            store,
            dispute,
            date=date,
            title=title,
            sources=source,
            rule=rules or "",
            stage=stage or "",
            start=start,
            opens=opens,
        )
    if as_json:
        output.as_json([d.to_dict() for d in made])
    for deadline in made if not as_json else ():
        output.done(
            f"Added deadline {deadline.id}: {deadline.date} {deadline.title}"
            + (" (opens)" if deadline.kind == "opens" else "")
        )


@deadline_app.command("list")
@filtered
def deadline_list(
    ctx: typer.Context,
    wanted,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Include deadlines already met.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List deadlines by date: the open ones, unless --all.

    Example: disputes deadline list --dispute DS512
    """
    from disputes.ops import deadlines, selection
    from disputes.render import listings, output

    with store_of(ctx) as store:
        disputes = selection.dispute_ids(store, selection.choose(store, wanted))
        found = [
            d
            for d in deadlines.all_deadlines(store)
            if (all_ or (d.done is None and d.superseded is None)) and (disputes is None or d.dispute in disputes)
        ]
        titles = {key: record["title"] for key, record in store.records("disputes").items()}
        refs = {key: record.get("ref", "") for key, record in store.records("disputes").items()}
    if as_json:
        output.as_json([d.to_dict() for d in found])
    else:
        with paged(ctx):
            listings.deadline_listing(found, titles, refs)


@deadline_app.command("done")
def deadline_done(
    ctx: typer.Context, deadline: DeadlineArg, date: DayOption = None, as_json: JsonOption = False
) -> None:
    """Mark a deadline met (today, or --date).

    Example: disputes deadline done 7k2m --date 2016-05-27
    """
    from disputes.ops import deadlines

    with store_of(ctx, write=True) as store:
        changed = deadlines.mark_done(store, deadline, date=date)
    _print(changed, as_json, f"Deadline {changed.id} met on {changed.done}: {changed.title}")


@deadline_app.command("edit")
def deadline_edit(
    ctx: typer.Context,
    deadline: DeadlineArg,
    date: DayOption = None,
    title: Annotated[Optional[str], typer.Option("--title", help="New title.", show_default=False)] = None,
    source: Annotated[
        Optional[list[str]], typer.Option("--source", help="Replace the sources (repeatable).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change a deadline's date, title or sources.

    Example: disputes deadline edit 7k2m --date 2016-06-30
    """
    from disputes.core.changes import said
    from disputes.ops import deadlines

    with store_of(ctx, write=True) as store:
        before = deadlines.find(store, deadline)
        changed = deadlines.edit(store, deadline, {"date": date, "title": title, "sources": source or None})
    told = said(before.to_dict(), changed.to_dict())
    _print(changed, as_json, f"Changed deadline {changed.id} ({changed.title}): {told}")


@deadline_app.command("delete")
def deadline_delete(ctx: typer.Context, deadline: DeadlineArg, as_json: JsonOption = False) -> None:
    """Delete a deadline (undo brings it back).

    Example: disputes deadline delete 7k2m
    """
    from disputes.ops import deadlines

    with store_of(ctx, write=True) as store:
        deleted = deadlines.delete(store, deadline)
    _print(deleted, as_json, f"Deleted deadline {deleted.id}: {deleted.date} {deleted.title}")


@app.command()
def review(
    ctx: typer.Context,
    dispute: OptionalDisputeArg = None,
    date: DayOption = None,
    note: NoteOption = "",
    match: MatchOption = [],
    select_view: SelectViewOption = None,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Record that you reviewed a dispute, or every dispute a selection chooses (--match,
    --view); with a cadence (edit --review-every), the next review falls due that many days later.

    Example: disputes review vfb3 --note "no change since the forum"

    Example: disputes review --view russia-cases --yes
    """
    from disputes.core.agenda import review_due
    from disputes.ops import deadlines
    from disputes.render import output

    if one_or_many(dispute, match, select_view):
        from disputes.ops import bulk

        with store_of(ctx, write=True) as store:
            chosen = bulk.selected(store, match, select_view)
            confirm_change(yes, chosen, "reviewed")
            many = bulk.review(store, chosen, date=date, note=note)
        changed_many(many, as_json, "Reviewed", f"on {many[0].last_review}")
        return
    assert dispute is not None

    with store_of(ctx, write=True) as store:
        changed = deadlines.review(store, dispute, date=date, note=note)
    due = review_due(changed)
    output.result(
        changed.to_dict(), as_json, f"Reviewed dispute {changed.id}" + (f"; next review {due}" if due else "")
    )


@app.command()
@filtered
def agenda(
    ctx: typer.Context,
    wanted,
    as_of: Annotated[Optional[str], typer.Option(help="As of this day (default today).", show_default=False)] = None,
    within: Annotated[int, typer.Option(help="Days ahead to look.", min=0)] = 14,
    stale_after: StaleAfterOption = 90,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="terminal, md (Markdown to paste), ics (a calendar) or json.")
    ] = "terminal",
    as_json: JsonOption = False,
) -> None:
    """What is due: overdue deadlines, deadlines within --within days, reviews due, stale disputes.

    Example: disputes agenda --as-of 2016-06-30 --within 30

    Example: disputes agenda --within 60 --format ics > agenda.ics
    """
    from disputes.cli.app import chosen_format
    from disputes.core.dates import parse_full_date
    from disputes.ops import selection, showing
    from disputes.render import listings, output

    fmt = chosen_format("json" if as_json else fmt, ("terminal", "md", "ics", "json"))
    when = parse_full_date(as_of, what="--as-of date") if as_of else None
    with store_of(ctx) as store:
        shown = showing.agenda_shown(
            store, selection.choose(store, wanted), as_of=when, within=within, stale_after=stale_after
        )
    if fmt == "json":
        output.as_json(shown.to_json())
    elif fmt == "md":
        from disputes.render import exports

        output.verbatim(exports.agenda_markdown(shown).rstrip("\n"))
    elif fmt == "ics":
        from disputes.core.dates import now
        from disputes.render import calendar

        output.write_bytes(calendar.calendar(calendar.agenda_items(shown), stamp=now()))
    else:
        with paged(ctx):
            listings.agenda(shown)


@app.command("stage")
def stage_(
    ctx: typer.Context,
    dispute: DisputeArg,
    name: Annotated[str, typer.Argument(metavar="STAGE", help=f"The stage reached. {STAGES_HELP}.")],
    date: Annotated[
        str, typer.Option("--date", help="The day the stage began (with --rules a full date, or today, -3d…).")
    ],
    rules: Annotated[
        Optional[str],
        typer.Option(
            "--rules",
            help="A procedural clock (wto-dsu, eu-ad, eu-as): the stage's deadlines are added, as `deadline add"
            " --rules RULE --stage STAGE --from DATE` adds them.",
            show_default=False,
            autocompletion=lambda: list(CLOCKS),
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record the procedural stage a dispute has reached: shown in `show`, kept beside its status
    (its state) and status detail (the source's phrase). The open deadlines of earlier clock
    stages are superseded on that day (never overdue again; a calendar shows them cancelled);
    with --rules the new stage's clock is added. One change: `undo` takes it all back.

    Example: disputes stage DS532 established --date 2018-01-22 --rules wto-dsu
    """
    from disputes.ops import deadlines
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        staged = deadlines.stage(store, dispute, name, date=date, rule=rules or "")
    if as_json:
        output.as_json(
            {
                "dispute": staged.dispute.to_dict(),
                "added": [d.to_dict() for d in staged.added],
                "superseded": [d.to_dict() for d in staged.superseded],
            }
        )
        return
    lines = [f"{staged.dispute.ref or staged.dispute.id} is at the stage {staged.dispute.stage} from {date}"]
    lines += [f"Superseded deadline {d.id}: {d.date} {d.title}" for d in staged.superseded]
    lines += [f"Added deadline {d.id}: {d.date} {d.title}" for d in staged.added]
    output.done("\n".join(lines))
