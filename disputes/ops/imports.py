"""Bringing a file into the store: tell its format, and hand it to the importer of that format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from disputes.core.errors import InvalidValue
from disputes.ops import csv_import, exchange
from disputes.store.database import Store

FORMATS = ("json", "csv")


def format_of(path: Path) -> str:
    """The format of a file to import, from its name."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise InvalidValue(f"cannot tell the format of {path}: name it .json or .csv")
    return kind


def import_file(
    store: Store,
    path: Path,
    *,
    mapping: csv_import.Mapping | None = None,
    skip_bad: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Import a JSON export (or hand-written JSON) or a mapped CSV file; say what was added."""
    if format_of(path) == "csv":
        if mapping is None:
            raise InvalidValue("a CSV import needs a column mapping, e.g. --map Title=title")
        count, skipped = csv_import.import_csv(store, path, mapping, skip_bad=skip_bad, progress=progress)
        return {"disputes": count, "skipped": [{"line": line, "problem": why} for line, why in skipped]}
    return exchange.import_store(store, exchange.read_json(path))
