"""The status report command: the main output, for the terminal or as a file."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import (
    JsonOption,
    StaleAfterOption,
    app,
    chosen_format,
    deliver,
    paged,
    store_of,
)
from disputes.cli.filters import filtered

AsOfOption = Annotated[
    Optional[str], typer.Option(help="As the store stood on this day (default today).", show_default=False)
]
PaperOption = Annotated[str, typer.Option(help="The paper a PDF (and the HTML's print) is laid out for: a4 or letter.")]
OutputOption = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="Write to this file instead of the screen.", show_default=False),
]


@app.command()
@filtered
def report(
    ctx: typer.Context,
    wanted,
    as_of: AsOfOption = None,
    window: Annotated[int, typer.Option(help="Days of recent events behind the trend.", min=1)] = 30,
    stale_after: StaleAfterOption = 90,
    limit: Annotated[
        int, typer.Option(help="Rows per table, highest priority first (0: all; JSON has all).", min=0)
    ] = 50,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md, html, pdf, svg or json.")] = "terminal",
    output_file: OutputOption = None,
    paper: PaperOption = "a4",
    author: Annotated[
        str,
        typer.Option(
            help="Who signs the briefing (default: git's user.name, else $DISPUTES_AUTHOR, else the login name)."
        ),
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Print the status report: counts by status, unresolved disputes with age, staleness and
    trend (deteriorated / improved / unchanged over the window), recent events, and breakdowns
    by party and topic.

    Example: disputes report --as-of 2016-06-30 --format html --output report.html

    Example: disputes report --view belarus --format md
    """
    from disputes.core.dates import parse_full_date
    from disputes.ops import reports, selection
    from disputes.render import output
    from disputes.render import report as rendering
    from disputes.render.paper import paper_of

    fmt = chosen_format("json" if as_json else fmt, rendering.FORMATS, output_file)
    paper = paper_of(paper)
    when = parse_full_date(as_of, what="--as-of date") if as_of else None
    with store_of(ctx) as store:
        data, briefs = reports.status_report(
            store,
            selection.choose(store, wanted),
            as_of=when,
            window=window,
            stale_after=stale_after,
            briefs=fmt in ("html", "pdf"),
            limit=limit,
            signed=fmt in ("html", "pdf", "json"),
            author=author,
        )
    if fmt == "terminal":
        with paged(ctx):
            output.write_lines(rendering.terminal(data, output.terminal_width(), limit))
        return
    deliver(
        ctx, rendering.render(data, fmt, limit, briefs, paper), output_file, f"Wrote the {fmt} report to {output_file}"
    )


@app.command()
@filtered
def chart(
    ctx: typer.Context,
    wanted,
    disputes: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="Disputes to draw (default: the unresolved ones with the most events, at most 6).",
            show_default=False,
            autocompletion=complete.disputes,
        ),
    ] = None,
    months: Annotated[
        Optional[int],
        typer.Option(
            help="Months to draw, ending with the as-of month (default: the disputes' lifetime, from their "
            "first opening or event, by months, quarters or years).",
            min=2,
            max=1200,
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, svg or json.")] = "terminal",
    output_file: OutputOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draw escalation curves: the sum of each dispute's event scores by period (months,
    quarters or years, as the span asks; an event without a score counts -1 escalating, +1
    de-escalating, 0 neutral), escalation drawn upward: taller is worse.

    Example: disputes chart --as-of 2016-06-30 --format svg --output escalation.svg
    """
    import orjson

    from disputes.core import escalation, ids
    from disputes.core.dates import parse_full_date
    from disputes.ops import reports, selection

    fmt = chosen_format("json" if as_json else fmt, ("terminal", "svg", "json"), output_file)
    day = parse_full_date(as_of, what="--as-of date") if as_of else None
    with store_of(ctx) as store:
        chosen_by = selection.choose(store, wanted)
        drawn = reports.chart(store, disputes or [], chosen_by, months=months, as_of=day)
    span, chosen, curves = drawn.months, drawn.disputes, drawn.curves
    short = ids.short_forms(drawn.all_ids)
    left_out = ""
    if drawn.left_out:
        from disputes.render.charts import left_out_said

        left_out = left_out_said([short[d] for d in drawn.left_out], len(chosen))
    if fmt == "json":  # the numbers behind the picture: each month's summed score and event count
        numbers = [{"id": d.id, "title": d.title, **curves[d.id], "key_events": drawn.key_events[d.id]} for d in chosen]
        deliver(
            ctx,
            orjson.dumps({"months": span, "disputes": numbers, "left_out": drawn.left_out}, option=orjson.OPT_INDENT_2)
            + b"\n",
            output_file,
            f"Wrote the json chart to {output_file}",
        )
        return
    if fmt == "svg":
        from disputes.render import svg
        from disputes.render.common import called, titled

        # each line by its ref (else its short id) first: DS462 and DS463 share one title
        lines = [
            (titled(called(d.id, d.ref, short), d.title), curves[d.id]["values"], curves[d.id]["events"])
            for d in chosen
        ]
        title = (
            f"Escalation by {escalation.kind_of(span[0])}, {svg.month_label(span[0])} to {svg.month_label(span[-1])}"
        )
        keys = [drawn.key_events[d.id] for d in chosen]
        drawing = svg.curves(lines, span, title=title, keys=keys, footer=left_out)
        deliver(ctx, drawing, output_file, f"Wrote the svg chart to {output_file}")
        if left_out:  # in the picture, and on stderr: the picture itself may be going to stdout
            from disputes.render import output

            output.warn(left_out)
        return
    from disputes.render import charts, listings

    listings.under_view(chosen_by.said if chosen_by.view else "")
    charts.terminal(
        [(short[d.id], d.title, curves[d.id]["values"], curves[d.id]["events"]) for d in chosen],
        span,
        [drawn.key_events[d.id] for d in chosen],
        left_out,
    )


@app.command()
@filtered
def digest(
    ctx: typer.Context,
    wanted,
    month: Annotated[
        Optional[str], typer.Option(help="The month, YYYY-MM (default: the last full month).", show_default=False)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md, html or json.")] = "terminal",
    output_file: OutputOption = None,
    as_json: JsonOption = False,
) -> None:
    """The monthly digest in the manner of CrisisWatch: disputes that deteriorated, improved
    or stayed unchanged (each with the month's most significant event), alerts, deadlines and
    reviews of the month ahead, and the disputes opened and ended in the month.

    Example: disputes digest --month 2016-06 --format md
    """
    from disputes.core import escalation
    from disputes.core.dates import parse_date, today
    from disputes.ops import reports, selection
    from disputes.render import digest as rendering

    fmt = chosen_format("json" if as_json else fmt, rendering.FORMATS, output_file)
    month_wanted = escalation.months_up_to(today(), 2)[0] if month is None else parse_date(month, what="--month")
    if len(month_wanted) != 7:
        raise typer.BadParameter(f"{month!r} is not a month: write YYYY-MM", param_hint="'--month'")
    with store_of(ctx) as store:
        data = reports.digest(store, selection.choose(store, wanted), month_wanted)
    if fmt == "terminal":
        with paged(ctx):
            rendering.terminal(data)
        return
    deliver(ctx, rendering.render(data, fmt), output_file, f"Wrote the {fmt} digest to {output_file}")
