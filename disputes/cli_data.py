"""Commands for data in and out, and for the store's health: export, import, doctor."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes.cli import JsonOption, Settings, _store, app
from disputes.errors import FAILED, InvalidValue


@app.command("export")
def export_(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (the whole store), csv or md (the disputes).")] = "json",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False)] = None,
) -> None:
    """Export the store: JSON holds everything (disputes, events, relations, history) and
    imports back into an equal store; CSV and Markdown hold the disputes.

    Example: disputes export --format json --output register.json
    """
    import orjson

    from disputes import events, exchange, query, register, render, render_report

    with _store() as store:
        if fmt == "json":
            content = orjson.dumps(exchange.export_store(store), option=orjson.OPT_INDENT_2) + b"\n"
        elif fmt in ("csv", "md"):
            disputes = query.select(register.all_disputes(store), query.Filters(include_ended=True), sort="opened")
            content = (exchange.disputes_csv(disputes) if fmt == "csv"
                       else exchange.disputes_markdown(disputes, events.all_events(store)))
        else:
            raise InvalidValue(f"unknown format {fmt!r}: choose one of json, csv, md")
    if output:
        render_report.write(content, output)
        render.done(f"Exported to {output}")
    else:
        render.write_bytes(content if isinstance(content, bytes) else content.encode())


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A JSON export, a hand-written JSON file, or a CSV file.", show_default=False)],
    map_: Annotated[list[str], typer.Option("--map", help="CSV: COLUMN=FIELD; COLUMN is a header or #N (repeatable).", show_default=False)] = [],
    split: Annotated[list[str], typer.Option(help="CSV: FIELD=SEP splits a list field, e.g. 'parties=; '.", show_default=False)] = [],
    status_map: Annotated[list[str], typer.Option(help="CSV: 'GLOB=state' maps the source's status phrase; first match wins, else open.", show_default=False)] = [],
    set_: Annotated[list[str], typer.Option("--set", help="CSV: FIELD=VALUE, the same for every row (repeatable).", show_default=False)] = [],
    skip_bad: Annotated[bool, typer.Option(help="Import the good rows and list the bad ones (default: all or nothing).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import disputes (and events) from JSON, or disputes from CSV through a column mapping.

    Ids already in the store are given new ones, with every reference following.

    Example: disputes import wto.csv --map '#1=ref' --map title=title --map complainant=parties --split 'parties=; '
    """
    import orjson

    from disputes import csv_import, exchange, render

    kind = file.suffix.lower()
    if kind not in (".json", ".csv"):
        raise InvalidValue(f"cannot tell the format of {file}: name it .json or .csv")
    if kind == ".csv":
        mapping = csv_import.Mapping.parse(map_, split, status_map, set_)
    progress = render.Progress(f"Importing {file.name}")
    try:
        with _store(write=True) as store:
            if kind == ".csv":
                count, skipped = csv_import.import_csv(store, file, mapping, skip_bad=skip_bad, progress=progress)
                added = {"disputes": count, "skipped": [{"line": line, "problem": why} for line, why in skipped]}
            else:
                try:
                    data = orjson.loads(file.read_bytes())
                except FileNotFoundError:
                    raise InvalidValue(f"no file {file}") from None
                except orjson.JSONDecodeError as problem:
                    raise InvalidValue(f"{file} is not valid JSON ({problem})") from None
                added = exchange.import_store(store, data)
    finally:
        progress.close()
    if as_json:
        render.as_json(added)
        return
    counts = ", ".join(f"{n} {name}" for name, n in added.items() if isinstance(n, int))
    render.done(f"Imported {counts} from {file}.")
    for row in added.get("skipped", []):
        render.done(f"Skipped line {row['line']}: {row['problem']}")


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option("--fix", help="Repair what is safe to repair, and say what was done.")] = False,
    restore: Annotated[bool, typer.Option("--restore", help="Replace the store with its backup (the damaged file is kept aside).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Check the store: that it parses, its schema, ids, statuses and dates. Exit 1 if problems remain.

    Example: disputes doctor --restore
    """
    from disputes import doctor as checking, render
    from disputes.store import default_path

    checkup = checking.run(Settings.db or default_path(), repair=fix, from_backup=restore,
                           lock_timeout=Settings.lock_timeout)
    if as_json:
        render.as_json({"store": str(checkup.path), "problems": checkup.problems,
                        "fixable": checkup.fixable, "done": checkup.done})
    else:
        render.checkup(checkup)
    if not checkup.healthy:
        raise typer.Exit(FAILED)
