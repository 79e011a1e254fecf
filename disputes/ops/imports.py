"""Bringing a file into the store: tell its format, and hand it to the importer of that format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from disputes.core import eventdata as formats
from disputes.core.errors import InvalidValue
from disputes.ops import csv_import, eventdata, exchange, exported
from disputes.ops.inputs import inner_name, open_input, read_some
from disputes.store.database import Store

FORMATS = ("json", "csv", *formats.FORMATS)


def format_of(path: Path, given: str | None = None) -> str:
    """The format of a file to import: as given, else .json by its name, else GDELT, ICEWS or
    ACLED by its first line (GDELT's files are named .CSV but hold tabs), else .csv by its name."""
    if given:
        if given.lower() not in FORMATS:
            raise InvalidValue(f"unknown format {given!r}: choose one of {', '.join(FORMATS)}")
        return given.lower()
    kind = Path(inner_name(path)).suffix.lower().lstrip(".")  # a .zip or .gz by the file inside
    if kind == "json":
        return kind
    found = eventdata.sniff(path)
    if found:
        return found
    if kind == "csv":
        return kind
    with open_input(path) as handle:
        start = read_some(handle, path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise InvalidValue(f"{path.name} is empty: nothing to import")
    if start[:1] == b"{":
        return "json"
    raise InvalidValue(f"cannot tell the format of {path}: name it .json or .csv, or give --format")


def import_file(
    store: Store,
    path: Path,
    fmt: str,
    *,
    mapping: csv_import.Mapping | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
    update: bool = False,
    keep_duplicates: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Import a JSON export (or hand-written JSON), a mapped CSV file, or event data; say
    what was added. A dry run is the same import, its changes then taken back unwritten:
    it says exactly what the import would (with a CSV file, also what its first rows and
    status phrases become)."""
    if fmt in formats.FORMATS:
        if update:
            raise InvalidValue("--update is for CSV files (a newer copy of a list); event data is imported once a row")
        result = eventdata.import_events(
            store, path, fmt, skip_bad=skip_bad, keep_duplicates=keep_duplicates, progress=progress
        )
    elif fmt == "csv":
        if mapping is None:
            raise InvalidValue("a CSV import needs a column mapping, e.g. --map Title=title")
        result = csv_import.import_csv(
            store, path, mapping, skip_bad=skip_bad, update=update, previewed=dry_run, progress=progress
        )
    else:
        if update:
            raise InvalidValue("--update is for CSV files (a newer copy of a list)")
        result = exchange.import_store(store, exported.read_export(path))
    if dry_run:
        store.discard()
    return {**result, "dry_run": dry_run}
