"""The `fetch` group: follow a published event-data feed (GDELT 2.0's 15-minute files)."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, group, store_of

fetch_app = group(
    "fetch",
    "Follow a published event-data feed: `fetch gdelt` imports GDELT 2.0's new export files.",
)


@fetch_app.command("gdelt")
def fetch_gdelt(
    ctx: typer.Context,
    url: Annotated[
        Optional[str],
        typer.Option(
            "--url", help="The feed's folder (with lastupdate.txt and masterfilelist.txt); default GDELT's own."
        ),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            help="From the first instant of this moment (2016, 2016-06-07, 2016-06-07T12:15); default: after the "
            "last fetch.",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        Optional[str],
        typer.Option(help="Up to the end of this moment (2016-07: all of July).", show_default=False),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the files it would fetch; fetch nothing.")] = False,
    keep_duplicates: Annotated[
        bool, typer.Option("--keep-duplicates", help="One event a row, even for rows that tell one story.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(help="Seconds each file (a list or an export) may take to arrive; a slower one is refused."),
    ] = 300.0,
    as_json: JsonOption = False,
) -> None:
    """Fetch GDELT 2.0's new export files, check each against the list's size and MD5, and
    import it through the watch rules. Each file is fetched once (the store remembers it), so
    this can run from cron every 15 minutes; a damaged download is refused in one line.

    Example: disputes fetch gdelt

    Example: disputes fetch gdelt --since 2016-06-07 --until 2016-06-08 --dry-run
    """
    from disputes.ops import fetch
    from disputes.render import output

    results = fetch.fetch(
        lambda write: store_of(ctx, write=write),
        url or fetch.DEFAULT_MIRROR,
        since=since,
        until=until,
        dry_run=dry_run,
        keep_duplicates=keep_duplicates,
        timeout=timeout,
        warned=output.warn,
        said=(lambda line: None) if as_json else output.done,
    )
    if as_json:
        output.as_json(results)
    elif not results:
        output.done("Nothing new to fetch.")
    elif dry_run:
        output.done("\n".join([f"Would fetch {r['file']} ({r['size']:,} bytes)" for r in results]))
