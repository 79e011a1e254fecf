"""The status report command: the main output, for the terminal or as a file."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, PartyOption, StatusFilter, TopicOption, app, paged, store_of


@app.command()
def report(
    ctx: typer.Context,
    as_of: Annotated[
        Optional[str], typer.Option(help="Report as the store stood on this day (default today).", show_default=False)
    ] = None,
    window: Annotated[int, typer.Option(help="Days of recent events behind the trend.", min=1)] = 30,
    stale_after: Annotated[int, typer.Option(help="Flag disputes quiet for more days than this.", min=0)] = 90,
    party: PartyOption = [],
    topic: TopicOption = [],
    status: StatusFilter = [],
    limit: Annotated[
        int, typer.Option(help="Rows per table, highest priority first (0: all; JSON has all).", min=0)
    ] = 50,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md, html, svg or json.")] = "terminal",
    output_file: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write to this file instead of the screen.", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the status report: counts by status, unresolved disputes with age, staleness and
    trend (deteriorated / improved / unchanged over the window), recent events, and breakdowns
    by party and topic.

    Example: disputes report --as-of 2016-06-30 --format html --output report.html
    """
    from disputes.core import query
    from disputes.core import report as reporting
    from disputes.core.dates import parse_full_date
    from disputes.ops import deadlines
    from disputes.ops import disputes as register
    from disputes.render import output
    from disputes.render import report as rendering

    fmt = rendering.check_format("json" if as_json else fmt, output_file)
    filters = query.Filters.parse(statuses=status, parties=party, topics=topic)
    when = parse_full_date(as_of, what="--as-of date") if as_of else None
    with store_of(ctx) as store:
        data = reporting.build(
            register.all_disputes(store),
            store.scan("events", reporting.EVENT_FIELDS),
            filters,
            as_of=when,
            window=window,
            stale_after=stale_after,
            store=str(store.path),
            deadlines=deadlines.all_deadlines(store),
        )
    if fmt == "terminal":
        with paged(ctx):
            rendering.terminal(data, output.console(), limit)
        return
    content = rendering.render(data, fmt, limit)
    if output_file:
        rendering.write(content, output_file)
        output.done(f"Wrote the {fmt} report to {output_file}")
    elif isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.done(content.rstrip("\n"))
