"""Bringing a file into the store: tell its format, and hand it to the importer of that format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from disputes.core import bigquery
from disputes.core import eventdata as formats
from disputes.core.errors import InvalidValue
from disputes.core.imported import CsvImport, EventDataImport, StoreImport
from disputes.ops.inputs import inner_name, named, no_rows, open_input, read_some
from disputes.ops.interchange import csv_import, eventdata, export_format, store_json
from disputes.store.database import Store

EVENT_DATA = (*formats.FORMATS, bigquery.FORMAT)
FORMATS = ("json", "csv", *EVENT_DATA)


def format_of(path: Path, given: str | None = None) -> str:
    """The format of a file to import: as given, else .json by its name (unless its first line
    is a row of BigQuery's GDELT), else GDELT, ICEWS, ACLED or BigQuery's export of GDELT by its
    first line (GDELT's files are named .CSV but hold tabs), else .csv by its name."""
    if given:
        if given.lower() not in FORMATS:
            raise InvalidValue(f"unknown format {given!r}: choose one of {', '.join(FORMATS)}")
        return given.lower()
    kind = Path(inner_name(path)).suffix.lower().lstrip(".")  # a .zip or .gz by the file inside
    found = eventdata.sniff(path)
    if kind == "json":
        return found if found == bigquery.FORMAT else kind
    if found:
        return found
    if kind == "csv":
        return kind
    with open_input(path) as handle:
        start = read_some(handle, path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise no_rows(named(path))
    if start[:1] == b"{":
        return "json"
    raise InvalidValue(f"cannot tell the format of {path}: name it .json or .csv, or give --format")


def same_format(paths: Sequence[Path], kind: str, given: str | None) -> None:
    """Several files are imported together only as event data of one format (an export's shards)."""
    if kind not in EVENT_DATA:
        raise InvalidValue(
            f"several files at once are event data of one format; {paths[0].name} is {kind}: import it alone"
        )
    for path in paths[1:]:
        other = format_of(path, given)
        if other != kind:
            raise InvalidValue(
                f"several files at once are event data of one format: {paths[0].name} is {kind}, "
                f"{path.name} is {other}; import them one at a time"
            )


def import_file(
    store: Store,
    path: Path | Sequence[Path],
    fmt: str,
    *,
    mapping: csv_import.Mapping | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
    update: bool = False,
    keep_duplicates: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> EventDataImport | CsvImport | StoreImport:
    """Import a JSON export (or hand-written JSON), a mapped CSV file, or event data (one file,
    or several of one format, such as an export's shards); say what was added. A dry run is
    the same import, its changes then taken back unwritten: it says exactly what the import
    would (with a CSV file, also what its first rows and status phrases become).
    The result's kind follows `fmt`: `import_event_data`, `import_csv` and `import_export` name theirs."""
    if update:
        updatable(fmt)
    if fmt in EVENT_DATA:
        return import_event_data(
            store, path, fmt, skip_bad=skip_bad, dry_run=dry_run, keep_duplicates=keep_duplicates, progress=progress
        )
    if not isinstance(path, Path):
        if len(path) != 1:
            raise InvalidValue(f"several files at once are event data of one format; import a {fmt} file alone")
        path = path[0]
    if fmt == "csv":
        if mapping is None:
            raise InvalidValue("a CSV import needs a column mapping, e.g. --map Title=title")
        return import_csv(store, path, mapping, skip_bad=skip_bad, update=update, dry_run=dry_run, progress=progress)
    return import_export(store, path, dry_run=dry_run)


def updatable(fmt: str) -> None:
    """Refuse --update for a format that is not CSV: only a list has newer copies."""
    if fmt in EVENT_DATA:
        raise InvalidValue("--update is for CSV files (a newer copy of a list); event data is imported once a row")
    if fmt != "csv":
        raise InvalidValue("--update is for CSV files (a newer copy of a list)")


def import_event_data(
    store: Store,
    path: Path | Sequence[Path],
    fmt: str,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    keep_duplicates: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> EventDataImport:
    """Import event data (`fmt` one of EVENT_DATA): one file, or several of one format."""
    result = eventdata.import_events(
        store, path, fmt, skip_bad=skip_bad, keep_duplicates=keep_duplicates, progress=progress
    )
    if dry_run:
        store.discard()
    result["dry_run"] = dry_run
    return result


def import_csv(
    store: Store,
    path: Path,
    mapping: csv_import.Mapping,
    *,
    skip_bad: bool = False,
    update: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CsvImport:
    """Import a CSV file through a column mapping (a dry run also previews its rows)."""
    said = csv_import.import_csv(
        store, path, mapping, skip_bad=skip_bad, update=update, previewed=dry_run, progress=progress
    )
    if dry_run:
        store.discard()
    return said


def import_export(store: Store, path: Path, *, dry_run: bool = False) -> StoreImport:
    """Import a JSON export, or a hand-written JSON file of disputes and events."""
    added: StoreImport = {**store_json.import_store(store, export_format.read_export(path)), "dry_run": dry_run}
    if dry_run:
        store.discard()
    return added
