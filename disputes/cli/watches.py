"""The `watch` group: rules that bring rows of event data (GDELT, ICEWS, ACLED) to a dispute."""

from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from disputes.cli import complete
from disputes.cli.app import DisputeArg, JsonOption, group, store_of
from disputes.core.errors import InvalidValue


class _WatchGroup(typer.core.TyperGroup):
    """`disputes watch DISPUTE --actors ...` (options in any order) is `disputes watch add ...`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


watch_app = group(
    "watch",
    "Watch rules: `watch DISPUTE --actors BLR,RUS [--codes 16,17] [--min-mentions N]`, "
    "then `import` a GDELT, ICEWS or ACLED file to bring its matching rows in as events. "
    "Also: watch list, watch remove ID, watch sql (a backfill from GDELT's BigQuery tables).",
    cls=_WatchGroup,
)


@watch_app.command("add")
def watch_add(
    ctx: typer.Context,
    dispute: DisputeArg,
    actors: Annotated[
        list[str],
        typer.Option(
            help="Country codes (CAMEO/ISO, e.g. BLR,RUS): a row between any two of them, either way round. "
            "Repeat or comma-separate: --actors BLR --actors RUS is --actors BLR,RUS. "
            "Default: the codes of the dispute's parties.",
            show_default=False,
        ),
    ] = [],
    codes: Annotated[
        list[str],
        typer.Option(
            help="CAMEO code prefixes, e.g. 16,17 (16 matches 16x and 16xx); repeatable, combined; default: any. "
            "`disputes cameo search WORD` finds codes.",
            show_default=False,
            autocompletion=complete.cameo_codes,
        ),
    ] = [],
    min_mentions: Annotated[
        int, typer.Option(help="GDELT: rows mentioned at least this often (NumMentions).", min=0)
    ] = 0,
    as_json: JsonOption = False,
) -> None:
    """Watch a dispute: rows of event data between these actors (and of these codes) become
    its events when a file is imported.

    Example: disputes watch vfb3 --actors BLR,RUS --codes 16,17

    Example: disputes watch vfb3 --codes 16 (the codes of its parties: BLR, RUS)
    """
    from disputes.ops import watches
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        made, taken, uncoded = watches.add(
            store, dispute, actors=",".join(actors), codes=",".join(codes), min_mentions=min_mentions
        )
    said = f" (the codes of its parties: {taken})" if taken else ""
    output.result(made.to_dict(), as_json, f"Watching {made.describe()} for {made.dispute}{said} (rule {made.id})")
    if uncoded:
        names = ", ".join(uncoded)
        output.warn(
            f"{names} {'has' if len(uncoded) == 1 else 'have'} no country code, so rule {made.id} is one-sided: "
            f"it takes rows between {', '.join(made.actors)} and anyone; if a name is a country's, "
            f"`disputes party alias NAME COUNTRY` gives it the code, else name both sides with --actors"
        )


@watch_app.command("list")
def watch_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the watch rules.

    Example: disputes watch list
    """
    from disputes.core import ids
    from disputes.ops import disputes as register
    from disputes.ops import watches
    from disputes.render import listings, output

    with store_of(ctx) as store:
        found = watches.all_watches(store)
        every = register.all_disputes(store) if found and not as_json else []
        titles = {d.id: d.title for d in every}
        named = {**ids.short_forms(d.id for d in every), **{d.id: d.ref for d in every if d.ref}}
    if as_json:
        output.as_json([w.to_dict() for w in found])
    else:
        listings.watch_listing(found, titles, named)


@watch_app.command("test")
def watch_test(
    ctx: typer.Context,
    rule: Annotated[str, typer.Argument(help="Watch rule id or unique id prefix; `all` for every rule.")],
    file: Annotated[Path, typer.Argument(help="A GDELT, ICEWS or ACLED file (or BigQuery's export).")],
    as_json: JsonOption = False,
) -> None:
    """Try watch rules on an event-data file without importing it: how many rows each rule
    matches, the events they would make, and the first rows as examples.

    Example: disputes watch test 7k2m 20160607.export.CSV

    Example: disputes watch test all 20160607.export.CSV --json
    """
    from disputes.ops import inputs, watches
    from disputes.ops.interchange import eventdata, imports
    from disputes.render import imported as shown
    from disputes.render import output

    with store_of(ctx) as store:
        rules = watches.all_watches(store) if rule == "all" else watches.chosen(store, [rule])
    if not rules:
        raise InvalidValue("no watch rules: add one first, e.g. `disputes watch DISPUTE --actors BLR,RUS`")
    with inputs.readable(file, inputs.LONGEST_LINE) as readable:
        kind = imports.format_of(readable)
        if kind not in imports.EVENT_DATA:
            raise InvalidValue(f"{file.name} is {kind}: watch rules are tried on event data (GDELT, ICEWS, ACLED)")
        found = eventdata.tried(readable, kind, rules)
    if as_json:
        output.as_json(found)
    else:
        shown.watch_tried(found, file.name)


@watch_app.command("remove")
def watch_remove(
    ctx: typer.Context,
    rule: Annotated[str, typer.Argument(help="Watch rule id or unique id prefix.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Remove a watch rule (the events it brought stay).

    Example: disputes watch remove 7k2m
    """
    from disputes.ops import watches
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        gone = watches.remove(store, rule)
    output.result(gone.to_dict(), as_json, f"Removed watch rule {gone.id} ({gone.describe()})")


@watch_app.command("sql")
def watch_sql(
    ctx: typer.Context,
    rules: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[RULE]...", help="Watch rule ids or id prefixes (default: every rule).", show_default=False
        ),
    ] = None,
    since: Annotated[
        str,
        typer.Option(help="The first day of the backfill (2016-06-01; 2016-06 is its first day).", show_default=False),
    ] = "",
    until: Annotated[
        str, typer.Option(help="The last day of the backfill (2016-06-30; 2016 is its last day).", show_default=False)
    ] = "",
    table: Annotated[
        str,
        typer.Option(
            help="The GDELT table: gdelt-bq.gdeltv2.events_partitioned (2.0, from February 2015, split by the day "
            "a row was added: only the days asked are read), gdelt-bq.gdeltv2.events, gdelt-bq.full.events "
            "(1.0, from 1979) or gdelt-bq.full.events_partitioned.",
        ),
    ] = "gdelt-bq.gdeltv2.events_partitioned",
    late_days: Annotated[
        int,
        typer.Option(
            help="Partitioned tables: also read the days GDELT added rows on after --until (a row is added on "
            "its day or soon after).",
            min=0,
        ),
    ] = 7,
) -> None:
    """Print the BigQuery SQL that selects the rows of GDELT's public tables the watch rules
    would take, between two days: a backfill of years no laptop downloads.

    Run it with `bq query --use_legacy_sql=false --format=csv --max_rows=1000000 "$(disputes watch sql ...)"
    > rows.csv`, or paste it into the BigQuery console and export the result (CSV, or JSON lines; large
    results as shards, .gz as published); then `disputes import --format gdelt-bq rows.csv` (or every
    shard at once).

    What it costs: BigQuery bills a query by the bytes of the columns it reads, over the partitions it
    scans, whatever the rows it keeps. The query reads only the 13 columns an import uses; on a
    partitioned table (the default) only the days from --since to --until plus --late-days, on the
    others every day GDELT holds. `bq query --dry_run` (or the console's validator) says how many bytes
    it will bill before it runs; on-demand pricing bills per TiB, the first TiB of each month free.

    Example: disputes watch sql --since 2016-06 --until 2016-06 > backfill.sql

    Example: disputes watch sql 7k2m --since 2014 --until 2016 --table gdelt-bq.full.events_partitioned
    """
    from disputes.core import bigquery
    from disputes.ops import watches
    from disputes.render import output

    if not since or not until:
        raise InvalidValue("watch sql needs --since and --until, e.g. --since 2016-06-01 --until 2016-06-30")
    with store_of(ctx) as store:
        chosen = watches.chosen(store, rules or [])
    output.verbatim(bigquery.query(chosen, since, until, table, late_days).rstrip())
