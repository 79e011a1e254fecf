"""Commands for data in and out, and for the store's health: export, import, seed, doctor."""

import contextlib
from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, app, chosen_format, deliver, options, store_of
from disputes.cli.filters import filtered
from disputes.core import vocabulary
from disputes.core.errors import FAILED


@app.command("export")
@filtered
def export_(
    ctx: typer.Context,
    wanted,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="json (the whole store), csv or md (the disputes), ics (deadlines and reviews)."
        ),
    ] = "json",
    output_file: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False)
    ] = None,
) -> None:
    """Export the store: JSON holds everything (disputes, events, relations, deadlines, watch rules, history)
    and imports back into an equal store; CSV and Markdown hold the disputes; ics is a
    calendar of open deadlines and next reviews (re-importing it updates, never duplicates).

    Filtered (or in a view), an export holds the disputes chosen and what belongs to them:
    their events, deadlines, watch rules, the relations among them; the actors and views; no
    history.

    Example: disputes export --format json --output register.json

    Example: disputes export --tag belarus --output belarus.json
    """
    from disputes.core import query
    from disputes.ops import disputes as register
    from disputes.ops import selection
    from disputes.ops.interchange import export_format
    from disputes.render import exports

    fmt = chosen_format(fmt, ("json", "csv", "md", "ics"), output_file)
    with store_of(ctx) as store:
        chosen = selection.choose(store, wanted)
        ids = selection.dispute_ids(store, chosen)
        if fmt == "json":  # written as it is read from the store
            deliver(ctx, export_format.export_chunks(store, ids), output_file, f"Exported to {output_file}")
            return
        if fmt in ("csv", "md"):
            disputes = query.select(register.all_disputes(store), chosen.filters.with_ended(), sort="opened")
            content = (
                exports.disputes_csv(disputes)
                if fmt == "csv"
                else exports.disputes_markdown(disputes, store.scan("events", exports.MARKDOWN_EVENT_FIELDS))
            )
        elif fmt == "ics":
            from disputes.core.dates import now
            from disputes.ops import deadlines
            from disputes.render import calendar

            content = calendar.calendar(deadlines.calendar_items(store, ids), stamp=now())
        # text as UTF-8; the Markdown comes as pieces, read from the store as they are written
        deliver(
            ctx, content.encode() if isinstance(content, str) else content, output_file, f"Exported to {output_file}"
        )


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="A JSON export or hand-written JSON file, a CSV file, or GDELT, ICEWS or ACLED event files,"
            " or BigQuery's export of GDELT (its shards together); - reads standard input; pipes and FIFOs are"
            " read once.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            "-f",
            help="json, csv, gdelt, icews, acled or gdelt-bq (BigQuery's CSV or JSON lines, as `disputes watch sql`"
            " selects them); default: from the name, or event data from the first line.",
            show_default=False,
        ),
    ] = None,
    map_: Annotated[
        list[str],
        typer.Option(
            "--map",
            help="CSV: COLUMN=FIELD; COLUMN is a header or #N (repeatable). FIELD is one of: "
            + ", ".join(vocabulary.CSV_FIELDS)
            + " (parties, complainant, respondent and third_party name actors).",
            show_default=False,
        ),
    ] = [],
    derive: Annotated[
        list[str],
        typer.Option(
            help="CSV: FIELD=COLUMN:REGEX takes the field from the first group of REGEX in COLUMN, e.g. "
            "'respondent=title:^(.+?) — ' (repeatable). REGEX is RE2 syntax: Python's, without look-around "
            "or back-references (it runs in linear time).",
            show_default=False,
        ),
    ] = [],
    split: Annotated[
        list[str], typer.Option(help="CSV: FIELD=SEP splits a list field, e.g. 'parties=; '.", show_default=False)
    ] = [],
    status_map: Annotated[
        list[str],
        typer.Option(
            help="CSV: 'GLOB=state' maps the source's status phrase; first match wins, else open.", show_default=False
        ),
    ] = [],
    stage_map: Annotated[
        list[str],
        typer.Option(
            help="CSV: 'GLOB=stage' sets the procedural stage from the source's status phrase, e.g."
            " 'PANEL ESTABLISHED*=established' (first match wins; see `disputes stage`).",
            show_default=False,
        ),
    ] = [],
    set_: Annotated[
        list[str],
        typer.Option("--set", help="CSV: FIELD=VALUE, the same for every row (repeatable).", show_default=False),
    ] = [],
    status_date: Annotated[
        Optional[str],
        typer.Option(
            help="CSV: the day the file's statuses were true (its snapshot); mapped statuses are dated so. "
            "Default: today.",
            show_default=False,
        ),
    ] = None,
    date_parts: Annotated[
        list[str],
        typer.Option(
            help="CSV: FIELD=DAY,MONTH,YEAR builds a date from three columns, e.g. opened=strtday,strtmnth,strtyr;"
            " a part that is empty or --unknown is left out (a partial date).",
            show_default=False,
        ),
    ] = [],
    unknown: Annotated[
        list[str],
        typer.Option(
            help="CSV: what a date part holds when it is not known, e.g. -9 (repeatable).", show_default=False
        ),
    ] = [],
    merge_rows: Annotated[
        bool,
        typer.Option(
            "--merge-rows",
            help="CSV: rows that share a ref are one dispute (a dyadic data set's pairs and years): parties, tags"
            " and sources united, roles kept (a party in opposite roles becomes a plain party), the earliest"
            " opening and the latest status win.",
        ),
    ] = False,
    code_scheme: Annotated[
        Optional[str],
        typer.Option(
            help="CSV: the parties are written in this code scheme, for this import only: cow (the Correlates of"
            " War's UKG, GMY, AUH...; needs the `codes` extra). Default: ISO 3166 alpha-3 codes and names.",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        Optional[str],
        typer.Option(
            help="CSV: import with this saved profile's mapping (options given too are added to it).",
            show_default=False,
        ),
    ] = None,
    save_profile: Annotated[
        Optional[str],
        typer.Option(
            help="CSV: save this import's whole mapping (maps, splits, derives, date parts, merge-rows, status"
            " map, sets, code scheme; not --status-date) in the store under NAME, shared through git.",
            show_default=False,
            metavar="NAME",
        ),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="CSV: a row whose ref a dispute holds updates it: what the source changed since the last "
            "import changes (a changed status is a new step), your edits stay (a field both changed: see "
            "`disputes conflicts`); the others are added.",
        ),
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option(help="Import the good rows and count the bad ones (default: all or nothing).")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Run the import and write nothing: say what it would add, update and find in conflict; "
            "for CSV also the first rows and every status phrase with the status it maps to.",
        ),
    ] = False,
    keep_duplicates: Annotated[
        bool,
        typer.Option(
            "--keep-duplicates",
            help="Event data: one event a row, even for rows that tell one story (same day, actors, code and "
            "source URL; by default they are one event with every row's id and the summed mentions).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import disputes (and events) from JSON, disputes from CSV through a column mapping, or
    events from GDELT, ICEWS or ACLED files: each row matching a watch rule becomes an event
    on that rule's dispute (see `disputes watch`); importing a file again adds nothing twice.
    Event files of one format can be given together, such as the shards BigQuery exports a
    backfill in (see `disputes watch sql`): a row in two of them is imported once.

    Ids already in the store are given new ones, with every reference following.

    With no --map, a column whose header names a field (title, ref, complainant, opened...) maps itself.

    Example: disputes import wto.csv --map '#1=ref' --map title=title --map complainant=complainant --split
    'complainant=; ' --derive 'respondent=title:^(.+?) — ' --map consultation_requested=opened --map
    curr_stat=status_detail --set topic=trade --set tags=wto --set monitored=no --status-map 'IN
    CONSULTATIONS=negotiating' --status-map 'SETTLED OR TERMINATED*=resolved' --status-map 'IMPLEMENTATION
    NOTIFIED*=resolved' --status-map 'MUTUALLY ACCEPTABLE SOLUTION*=resolved' --status-map '*NO FURTHER ACTION
    REQUIRED=resolved' --status-map '*WITHOUT FINDING OF NON-COMPLIANCE=resolved' --status-map '*LAPSED=closed'
    --status-map '*RETALIATE*=escalated' --status-map 'PANEL*=escalated' --status-map 'COMPLIANCE*=escalated'
    --status-date 2018-02 --save-profile wto

    Example: disputes import wto-2019.csv --profile wto --update --status-date 2019-06 (refs update their disputes)

    Example: disputes import dyadic_mid.csv --map disno=ref --map namea=complainant --map nameb=respondent
    --date-parts opened=strtday,strtmnth,strtyr --unknown -9 --merge-rows --code-scheme cow

    Example: disputes import 20160607.export.CSV --dry-run

    Example: disputes import --format gdelt-bq backfill-*.csv.gz
    """
    from disputes.core import profile as profile_rules
    from disputes.core.errors import InvalidValue
    from disputes.ops import inputs, profiles
    from disputes.ops.interchange import csv_import, imports
    from disputes.render import output

    file = files[0]
    progress = output.Progress(f"Importing {file.name or 'standard input'}")
    try:
        longest = inputs.LONGEST_EXPORT_LINE if fmt in (None, "json") else inputs.LONGEST_LINE
        with contextlib.ExitStack() as opened:
            every = [opened.enter_context(inputs.readable(given, longest)) for given in files]
            readable = every[0]
            kind = imports.format_of(readable, fmt)
            if len(every) > 1:
                imports.same_format(every, kind, fmt)
            given = {
                "map": map_,
                "split": split,
                "status_map": status_map,
                "stage_map": stage_map,
                "set": set_,
                "derive": derive,
                "date_parts": date_parts,
                "unknown": unknown,
                "merge_rows": merge_rows,
                "code_scheme": code_scheme or "",
            }
            if (profile or save_profile) and kind != "csv":
                raise InvalidValue(f"--profile and --save-profile are for CSV files; {file.name} is {kind}")
            if save_profile:
                profile_rules.name_of(save_profile)
            if profile:
                with store_of(ctx) as store:
                    given = csv_import.Mapping.combined(profiles.saved(store, profile)["options"], given)
            mapping = csv_import.Mapping.from_options(given, status_date or "") if kind == "csv" else None
            if update:
                imports.updatable(kind)
            with store_of(ctx, write=not dry_run) as store:
                if kind in imports.EVENT_DATA:
                    events = imports.import_event_data(
                        store,
                        every,
                        kind,
                        skip_bad=skip_bad,
                        dry_run=dry_run,
                        keep_duplicates=keep_duplicates,
                        progress=progress,
                    )
                elif kind == "csv":
                    assert mapping is not None  # made above for every CSV file
                    rows = imports.import_csv(
                        store, readable, mapping, skip_bad=skip_bad, update=update, dry_run=dry_run, progress=progress
                    )
                    if save_profile and not dry_run:
                        profiles.save(store, save_profile, mapping.saved_options(), described=False)
                else:
                    export = imports.import_export(store, readable, dry_run=dry_run)
    finally:
        progress.close()
    if as_json:
        output.as_json(events if kind in imports.EVENT_DATA else rows if kind == "csv" else export)
        return
    from disputes.render import imported as shown

    if kind in imports.EVENT_DATA:
        shown.events_imported(events, inputs.named(file) + (f" and {len(files) - 1} more" if len(files) > 1 else ""))
    elif kind == "csv":
        shown.csv_imported(rows, str(file))
        if save_profile:
            verb = "Would save" if dry_run else "Saved"
            output.done(f"{verb} the mapping as import profile {save_profile}: `--profile {save_profile}` reuses it.")
    else:
        shown.export_imported(export, str(file))
    statuses = mapping and (mapping.statuses or any(f == "status" for _, f in mapping.columns))
    if statuses and not status_date and not dry_run:
        output.warn(
            "the file's statuses are dated today; if they were true on an earlier day (the day the list "
            "was published), `disputes undo` and import again with --status-date DAY"
        )


@app.command()
def doctor(
    ctx: typer.Context,
    fix: Annotated[bool, typer.Option("--fix", help="Repair what is safe to repair, and say what was done.")] = False,
    restore: Annotated[
        bool, typer.Option("--restore", help="Replace the store with its backup (the damaged file is kept aside).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="--restore even a healthy store (rolls back its last change).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check the store: that it parses, its schema, ids, statuses and dates. Exit 1 if problems remain.

    Example: disputes doctor --restore
    """
    from disputes.ops import doctor as checking
    from disputes.render import listings, output

    given = options(ctx)
    checkup = checking.run(given.path, repair=fix, from_backup=restore, force=force, lock_timeout=given.lock_timeout)
    if as_json:
        output.as_json(
            {"store": str(checkup.path), "problems": checkup.problems, "fixable": checkup.fixable, "done": checkup.done}
        )
    else:
        listings.checkup(checkup)
    if not checkup.healthy:
        raise typer.Exit(FAILED)


@app.command()
def seed(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Load the bundled Belarus–Russia 2016 disputes and events; running it again adds nothing twice.

    Example: disputes seed && disputes report
    """
    from disputes.core.vocabulary import counted
    from disputes.ops import seed as seeding
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        added = seeding.load(store)
    if as_json:
        output.as_json(added)
    else:
        output.done(
            f"Added {counted(added['disputes'], 'disputes')}, {counted(added['events'], 'events')} and "
            f"{counted(added['relations'], 'relations')} from the seed (nothing already present is added twice)."
        )
