"""The weekly brief command: what changed since your last marked brief, then what is due."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, app, chosen_format, deliver, paged, store_of
from disputes.cli.filters import filtered
from disputes.cli.report import AsOfOption, OutputOption, PaperOption


@app.command()
@filtered
def brief(
    ctx: typer.Context,
    wanted,
    as_of: AsOfOption = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            help="Changes after this day (default: the day of your last marked brief, else a week before).",
            show_default=False,
        ),
    ] = None,
    mark: Annotated[
        bool, typer.Option("--mark", help="Record that you sent this brief: your next one starts from its day.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, md, html, pdf or json.")] = "terminal",
    output_file: OutputOption = None,
    paper: PaperOption = "a4",
    author: Annotated[
        str,
        typer.Option(
            help="Whose brief (default: git's user.name, else $DISPUTES_AUTHOR, else the login name); marks are theirs."
        ),
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """The one-page weekly brief: bottom lines revised, disputes whose status changed or
    whose trend deteriorated, new and closed disputes, deadlines met or missed, forecasts
    resolved with their scores, then what is due in the next fortnight. What does not fit
    page one goes to an annex, said at its foot.

    Example: disputes brief --as-of 2016-06-30 --since 2016-06-01

    Example: disputes brief --format pdf --output brief.pdf --mark
    """
    from disputes.core.dates import parse_full_date
    from disputes.ops import briefs, selection
    from disputes.render import brief as rendering
    from disputes.render.output import done, terminal_width, verbatim
    from disputes.render.paper import paper_of

    fmt = chosen_format("json" if as_json else fmt, rendering.FORMATS, output_file)
    paper = paper_of(paper)
    when = parse_full_date(as_of, what="--as-of date") if as_of else None
    after = parse_full_date(since, what="--since date") if since else None
    if when and after and after >= when:
        from disputes.core.errors import InvalidValue

        raise InvalidValue(f"--since {after} is not before the brief's day {when}: give an earlier --since")
    with store_of(ctx, write=mark) as store:
        content = briefs.build(store, selection.choose(store, wanted), as_of=when, since=after, author=author)
        made = briefs.mark(store, content) if mark else None
    if fmt == "terminal":
        with paged(ctx):
            verbatim("\n".join(rendering.terminal(content, terminal_width())).rstrip("\n"))
    else:
        deliver(ctx, rendering.render(content, fmt, paper), output_file, f"Wrote the {fmt} brief to {output_file}")
    if made is not None:
        done(f"Marked the brief of {made.date} as sent by {made.author}: your next brief starts there")
