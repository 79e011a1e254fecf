"""Importing disputes from a CSV file of someone else's making, through a column mapping.

`--map COLUMN=FIELD` names a header (or `#N`, the N-th column from 1) and a dispute field;
`--split FIELD=SEP` splits list fields; `--set FIELD=VALUE` adds constants; and
`--status-map PATTERN=STATE` turns the source's own status phrase (kept in status_detail)
into one of ours, first matching glob wins, unmatched rows open. All or nothing: the
first bad row stops the import, unless the caller asks to skip bad rows.
"""

from __future__ import annotations

import csv
import fnmatch
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from disputes.core import model
from disputes.core.dates import today
from disputes.core.errors import InvalidValue
from disputes.core.vocabulary import counted
from disputes.ops import exchange
from disputes.ops.inputs import read_input
from disputes.store.database import Store

FIELDS = (
    "title",
    "ref",
    "summary",
    "status",
    "status_detail",
    "topic",
    "parties",
    "tags",
    "priority",
    "opened",
    "sources",
    "alerts",
)


def _pair(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InvalidValue(f"{option} takes NAME=VALUE, not {text!r}")
    return name.strip(), value


def _field(name: str, option: str) -> str:
    if name not in FIELDS:
        raise InvalidValue(f"{option}: unknown field {name!r}: choose one of {', '.join(FIELDS)}")
    return name


@dataclass
class Mapping:
    """How the columns of a CSV file become dispute fields."""

    columns: list[tuple[str, str]] = field(default_factory=list)
    splits: dict[str, str] = field(default_factory=dict)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    constants: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, maps=(), splits=(), status_maps=(), sets=()) -> Mapping:
        mapping = cls()
        for text in maps:
            column, name = _pair(text, "--map")
            name = _field(name.strip(), "--map")
            if name not in model.LIST_FIELDS and any(f == name for _, f in mapping.columns):
                raise InvalidValue(f"--map: field {name!r} is mapped twice; only list fields take several columns")
            mapping.columns.append((column, name))
        for text in splits:
            name, separator = _pair(text, "--split")
            if _field(name, "--split") not in model.LIST_FIELDS:
                raise InvalidValue(f"--split: {name!r} is not a list field ({', '.join(model.LIST_FIELDS)})")
            if not separator:
                raise InvalidValue(f"--split {name}= needs a separator, e.g. --split '{name}=; '")
            mapping.splits[name] = separator
        for text in status_maps:
            pattern, state = _pair(text, "--status-map")
            mapping.statuses.append((pattern.casefold(), model.status(state)))
        for text in sets:
            name, value = _pair(text, "--set")
            mapping.constants.setdefault(_field(name, "--set"), []).append(value)
        if not any(f == "title" for _, f in mapping.columns) and "title" not in mapping.constants:
            raise InvalidValue("map a column to the title, e.g. --map Title=title")
        return mapping

    def status_for(self, phrase: str) -> str:
        for pattern, state in self.statuses:
            if fnmatch.fnmatchcase(phrase.casefold(), pattern):
                return state
        return "open"


def _read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = read_input(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(f"{path} is not UTF-8 text: convert it first (e.g. iconv -f cp1252 -t utf-8)") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidValue(f"{path} is empty: nothing to import")
        return header, [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as problem:
        raise InvalidValue(
            f"{path}, line {reader.line_num} is not readable CSV ({problem}); nothing was imported"
        ) from None


def _column_index(spec: str, header: list[str]) -> int:
    if spec.startswith("#") and spec[1:].isdigit():
        index = int(spec[1:]) - 1
        if 0 <= index < len(header):
            return index
        raise InvalidValue(f"--map: the file has {len(header)} columns, so {spec} does not exist")
    folded = [h.strip().casefold() for h in header]
    if spec.strip().casefold() in folded:
        return folded.index(spec.strip().casefold())
    named = ", ".join(repr(h) for h in header if h.strip())
    raise InvalidValue(f"--map: no column {spec!r} in the file (columns: {named}; use #N for unnamed ones)")


def import_csv(
    store: Store,
    path: Path,
    mapping: Mapping,
    *,
    skip_bad: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, list[tuple[int, str]]]:
    """Import the rows of a CSV file as disputes; return how many, and the skipped rows."""
    header, rows = _read(path)
    indexed = [(_column_index(spec, header), spec, name) for spec, name in mapping.columns]
    in_use = model.refs_in_use(store.records(model.TABLE))
    records, skipped = [], []
    for done, (line, row) in enumerate(rows, 1):
        try:
            if len(row) > len(header):
                raise InvalidValue(
                    f"column {len(header) + 1}: the row has {len(row)} columns, the header {len(header)}"
                )
            record = _record(row, header, indexed, mapping)
            try:
                model.claim_ref(record.get("ref", ""), f"line {line}", in_use)
            except InvalidValue as problem:
                raise InvalidValue(f"column {_source_of('ref', indexed)!r}: {problem}") from None
            records.append(record)
        except InvalidValue as problem:
            if not skip_bad:
                raise InvalidValue(
                    f"{path}, line {line}: {problem}; nothing was imported "
                    "(fix the row, or --skip-bad to import the rest)"
                ) from None
            skipped.append((line, str(problem)))
        if progress:
            progress(done, len(rows))
    added = exchange.add_records(store, {"disputes": records})
    store.describe(
        "import",
        f"imported {counted(added['disputes'], 'disputes')} from {path.name}",
        note=f"{len(skipped)} rows skipped" if skipped else "",
    )
    return added["disputes"], skipped


def _source_of(name: str, indexed) -> str:
    return next((spec for _, spec, field_name in indexed if field_name == name), name)


def _record(row: list[str], header: list[str], indexed, mapping: Mapping) -> dict:
    raw: dict[str, list[str]] = {}
    for index, _spec, name in indexed:
        value = row[index].strip() if index < len(row) else ""
        raw.setdefault(name, []).append(value)
    for name, values in mapping.constants.items():
        raw.setdefault(name, []).extend(values)
    fields: dict = {}
    for name, values in raw.items():
        if name in model.LIST_FIELDS:
            separator = mapping.splits.get(name)
            items = [part for v in values for part in (v.split(separator) if separator else [v])]
            value = [item.strip() for item in items if item.strip()]
        else:
            value = values[0]
        try:
            fields.update(model.clean_fields({name: value}))
        except InvalidValue as problem:
            raise InvalidValue(f"column {_source_of(name, indexed)!r}: {problem}") from None
    if "status" not in fields:
        fields["status"] = mapping.status_for(fields.get("status_detail", ""))
    opened = fields.get("opened") or today()
    history = [{"date": opened, "status": "open", "note": ""}]
    if fields["status"] != "open":
        history.append(
            {
                "date": max(today(), opened),
                "status": fields["status"],
                "note": f"as reported at import: {fields.get('status_detail', '')}".rstrip(": "),
            }
        )
    return {**fields, "status_history": history}
