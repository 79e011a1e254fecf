"""Importing disputes from a CSV file of someone else's making, through a column mapping.

`--map COLUMN=FIELD` names a header (or `#N`, the N-th column from 1) and a dispute field;
`--derive FIELD=COLUMN:REGEX` takes a field from the first group of a pattern in a column
(the respondent from a WTO title; RE2, see core/user_regex.py); `--split FIELD=SEP` splits list fields; `--set
FIELD=VALUE` adds constants; `--status-map PATTERN=STATE` turns the source's own status
phrase (kept in status_detail) into one of ours, first matching glob wins, unmatched rows
open; `--status-date` is the day the source's statuses were true. All or nothing: the
first bad row stops the import, unless the caller asks to skip bad rows.

A list is a snapshot: `update` brings a newer copy in, matching rows to disputes by `ref`,
as a three-way merge against the values of the last import (core.reimport): what the source
changed is taken (a changed status is a new dated step), the analyst's edits stay, a field
both changed keeps the analyst's value and lists the source's in `disputes conflicts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from disputes.core import changes, csv_mapping, model, reimport, row_merge
from disputes.core.actors import Directory
from disputes.core.dates import now, today
from disputes.core.errors import InvalidValue
from disputes.core.imported import CsvCounts, CsvImport, Preview, StatusPhrase
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.core.vocabulary import counted
from disputes.ops import actors as actors_of
from disputes.ops import inputs
from disputes.ops.interchange import code_schemes, csv_file, store_json
from disputes.store.database import Store

Mapping = csv_mapping.Mapping
ROLE_FIELDS = csv_mapping.ROLE_FIELDS
LIST_FIELDS = csv_mapping.LIST_FIELDS
PREVIEWED = 5  # rows a dry run shows
PHRASES_SHOWN = 8  # status phrases a refusal names
_Indexed = list[tuple[int, str, str]]  # the mapped columns: (index, as --map named it, field)


@dataclass
class Read:
    """The rows of a file as records, checked; the rows skipped; how many rows were read; and,
    with --merge-rows, the parties each merged dispute named in opposite roles."""

    records: list[tuple[int, JsonRecord]]
    skipped: list[tuple[int, str]]
    rows: int
    both_sides: dict[str, list[str]] = field(default_factory=dict)


def _rows(
    store: Store,
    path: Path,
    mapping: Mapping,
    *,
    skip_bad: bool,
    progress: Callable[[int, int], None] | None = None,
    update: bool = False,
) -> Read:
    """Each row as (line, record), checked; and the rows skipped. With `update`, rows whose
    ref a dispute holds are checked against that dispute instead of refused; with
    `mapping.merge_rows`, rows that share a ref are one dispute (core/row_merge.py)."""
    header, rows = csv_file.read(path)
    if not rows:  # a header alone is a cut download, not a list with nothing new in it
        raise inputs.no_rows(inputs.named(path))
    mapping.for_header(header)
    indexed = [(csv_file.column_index(spec, header), spec, name) for spec, name in mapping.columns]
    derived = [
        (csv_file.column_index(column, header, "--derive"), column, name, pattern)
        for name, column, pattern in mapping.derived
    ]
    parts = [
        (name, tuple(csv_file.column_index(column, header, "--date-parts") for column in columns))
        for name, columns in mapping.date_parts
    ]
    if update and "ref" not in mapping.given():
        raise InvalidValue("--update matches rows to disputes by their ref: map a column to it, e.g. --map '#1=ref'")
    _check_statuses(path, rows, indexed, mapping)
    found = actors_of.directory(store)
    translate = code_schemes.translator(mapping.code_scheme)
    in_use = model.refs_in_use(store.records(model.TABLE))
    held = set(in_use) if update else set()
    in_file: dict[str, str] = {}  # each ref of the file and the line that gave it (--merge-rows: its first)
    records, skipped = [], []
    for done, (line, row) in enumerate(rows, 1):
        try:
            if len(row) > len(header):
                raise InvalidValue(
                    f"column {len(header) + 1}: the row has {len(row)} columns, the header {len(header)}"
                )
            record = _record(row, indexed, derived, parts, mapping, found, translate)
            ref = record.get("ref", "").casefold()
            if not mapping.merge_rows:
                _one_row_per_ref(record, line, in_file, indexed)
            if ref not in held and not (mapping.merge_rows and ref in in_file):
                try:
                    model.claim_ref(record.get("ref", ""), f"line {line}", in_use)
                except InvalidValue as problem:
                    # held by a dispute (never the case with --update, which skips those refs)
                    held_by = in_use[ref]
                    hint = (
                        "; --update updates the dispute from the row"
                        if held_by.startswith("dispute")
                        else "; --merge-rows takes the rows that share a ref as one dispute"
                    )
                    raise InvalidValue(f"column {_source_of('ref', indexed)!r}: {problem}{hint}") from None
            if ref:
                in_file.setdefault(ref, f"line {line}")
            records.append((line, record))
        except InvalidValue as problem:
            if not skip_bad:
                raise InvalidValue(
                    f"{path}, line {line}: {problem}; nothing was imported "
                    "(fix the row, or --skip-bad to import the rest)"
                ) from None
            skipped.append((line, str(problem)))
        if progress:
            progress(done, len(rows))
    if not mapping.merge_rows:
        return Read(records, skipped, len(rows))
    merged = row_merge.merged(records)
    return Read(merged.records, skipped, len(rows), merged.both_sides)


def _check_statuses(path: Path, rows: list[tuple[int, list[str]]], indexed: _Indexed, mapping: Mapping) -> None:
    """A status column whose phrases are not states, without a --status-map to turn them into
    states, is refused with its phrases (never read as all "open")."""
    if mapping.statuses:
        return
    for index, spec, name in indexed:
        if name != "status":
            continue
        phrases: dict[str, int] = {}
        for _line, row in rows:
            phrase = row[index].strip() if index < len(row) else ""
            if phrase and phrase.casefold() not in model.STATUSES:
                phrases[phrase] = phrases.get(phrase, 0) + 1
        if phrases:
            shown = sorted(phrases, key=lambda p: (-phrases[p], p))
            listed = "; ".join(f"{p!r} ({phrases[p]} rows)" for p in shown[:PHRASES_SHOWN])
            more = f" and {len(shown) - PHRASES_SHOWN} more" if len(shown) > PHRASES_SHOWN else ""
            raise InvalidValue(
                f"{path}: column {spec!r} holds status phrases that are not states: {listed}{more}; "
                f"map them, e.g. --status-map '{shown[0]}=negotiating' (states: {', '.join(model.STATUSES)}), "
                "or --dry-run to see every phrase; nothing was imported"
            )


def _one_row_per_ref(record: JsonRecord, line: int, in_file: dict[str, str], indexed: _Indexed) -> None:
    """The one rule that a file gives a dispute in one row: a second row with a ref is refused,
    with --update as without (else the last row would silently win)."""
    try:
        model.claim_ref(record.get("ref", ""), f"line {line}", in_file)
    except InvalidValue as problem:
        raise InvalidValue(
            f"column {_source_of('ref', indexed)!r}: {problem}; --merge-rows takes the rows that share a ref "
            "as one dispute"
        ) from None


def import_csv(
    store: Store,
    path: Path,
    mapping: Mapping,
    *,
    skip_bad: bool = False,
    update: bool = False,
    previewed: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CsvImport:
    """Import the rows of a CSV file as disputes (with `update`, rows whose ref a dispute
    holds update it, see core.reimport); say how many were added, updated and unchanged,
    the conflicts, and the rows skipped. `previewed` adds what the first rows become and
    every status phrase with the status it maps to (for a dry run)."""
    read = _rows(store, path, mapping, skip_bad=skip_bad, progress=progress, update=update)
    rows, skipped = read.records, read.skipped
    by_ref = {record["ref"].casefold(): key for key, record in store.records(model.TABLE).items() if record.get("ref")}
    new, updated, unchanged, conflicts = [], 0, 0, []
    stamp = now()
    for _line, record in rows:
        key = by_ref.get(record.get("ref", "").casefold()) if update else None
        if key is None:
            # without an opened column, a dispute opens on its first step (so on --status-date)
            new.append({"opened": record["status_history"][0]["date"], **record, "imported": reimport.given(record)})
            continue
        stored = store.records(model.TABLE)[key]
        before = Dispute.from_dict(stored).to_dict()
        # a changed status is the dispute's newest step: never dated before the steps it has
        latest = max((step["date"] for step in before["status_history"]), default=before["opened"])
        merge = reimport.merged(before, record, mapping.step_date(latest))
        conflicts += [(key, conflict) for conflict in merge.conflicts]
        if merge.changed:
            store.put(model.TABLE, key, {**merge.record, "updated": stamp})
            updated += 1
        else:
            unchanged += 1
            if merge.record != stored:  # the base of the next import, kept (a dispute imported before bases were)
                store.put(model.TABLE, key, merge.record)
    added = store_json.add_records(store, {"disputes": new})
    told = [f"imported {counted(added['disputes'], 'disputes')}"] + ([f"updated {updated}"] if update else [])
    decisions = _decisions(store, conflicts, path.name)
    extra: dict[str, Any] = {"decisions": decisions} if decisions else {}  # for `disputes conflicts`
    store.describe(
        "import",
        f"{', '.join(told)} from {inputs.named(path)}"
        + (f"; {counted(len(decisions), 'conflicts')}" if decisions else ""),
        note=f"{len(skipped)} rows skipped" if skipped else "",
        **extra,
    )
    result: CsvCounts = {
        "disputes": added["disputes"],
        "skipped": [{"line": line, "problem": why} for line, why in skipped],
    }
    if update:
        result |= {"updated": updated, "unchanged": unchanged, "conflicts": len(decisions)}
    if mapping.merge_rows:
        result["merged"] = {"rows": read.rows - len(skipped), "disputes": len(rows), "both_sides": read.both_sides}
    if previewed:
        result = {**_preview(rows, skipped, mapping), **result, "rows": read.rows}
    return {**result, "dry_run": previewed}  # a dry run is previewed; the caller discards what this wrote


def _decisions(store: Store, conflicts: list[tuple[str, reimport.Conflict]], source: str) -> list[JsonRecord]:
    """The conflicts of an import as `disputes conflicts` lists them: what each kept (by
    the dispute's last author) and dropped (the source's value)."""
    if not conflicts:
        return []
    authors = _last_authors(store, {key for key, _ in conflicts})
    return [
        {
            "table": model.TABLE,
            "id": key,
            "field": conflict.field,
            "kept": conflict.kept,
            "dropped": conflict.dropped,
            "why": "changed here and in the source since the last import: this store's value is kept",
            "kept_by": authors.get(key, ""),
            "dropped_by": f"import of {source}",
            **({"dropped_steps": list(conflict.dropped_steps)} if conflict.dropped_steps else {}),
        }
        for key, conflict in conflicts
    ]


def _last_authors(store: Store, keys: set[str]) -> dict[str, str]:
    """Who last changed each of some disputes, by the history (one pass over it)."""
    latest: dict[str, tuple[str, str]] = {}
    for entry in store.records(changes.TABLE).values():
        touched = {c.get("id") for c in entry.get("changes", ()) if c.get("table") == model.TABLE}
        touched |= set(entry.get("added", {}).get(model.TABLE, {}))
        for key in touched & keys:
            if entry["id"] > latest.get(key, ("", ""))[0]:
                latest[key] = (entry["id"], str(entry.get("author", "")))
    return {key: author for key, (_, author) in latest.items()}


def _preview(rows: list[tuple[int, dict[str, Any]]], skipped: list[tuple[int, str]], mapping: Mapping) -> Preview:
    """What an import makes of a file: the first rows as disputes and every distinct status
    phrase with the status it maps to (and how many rows have it)."""
    phrases: dict[str, StatusPhrase] = {}
    for _line, record in rows:
        phrase = record.get("status_detail", "")
        entry = phrases.setdefault(phrase, {"phrase": phrase, "status": record["status"], "rows": 0})
        entry["rows"] += 1
    first = [
        {
            "line": line,
            **{k: v for k, v in record.items() if k != "status_history"},
            "status_date": record["status_history"][-1]["date"],
        }
        for line, record in rows[:PREVIEWED]
    ]
    return {
        "rows": len(rows),
        "first": first,
        "statuses": sorted(phrases.values(), key=lambda e: (-e["rows"], e["phrase"])),
        "status_date": mapping.status_date,
        "skipped": [{"line": line, "problem": why} for line, why in skipped],
    }


def _source_of(name: str, indexed: _Indexed) -> str:
    return next((spec for _, spec, field_name in indexed if field_name == name), name)


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _record(
    row: list[str],
    indexed: _Indexed,
    derived: list[tuple[int, str, str, Any]],  # (column, its spec, field, RE2 pattern)
    parts: list[tuple[str, tuple[int, ...]]],
    mapping: Mapping,
    found: Directory,
    translate: Callable[[str], str],
) -> JsonRecord:
    raw: dict[str, list[str]] = {}
    for index, _spec, name in indexed:
        raw.setdefault(name, []).append(_cell(row, index))
    for name, (day, month, year) in parts:
        try:
            built = mapping.date_from_parts(_cell(row, day), _cell(row, month), _cell(row, year))
        except InvalidValue as problem:
            raise InvalidValue(f"--date-parts {name}: {problem}") from None
        if built:
            raw.setdefault(name, []).append(built)
    phrase = None
    if mapping.statuses and "status" in raw:  # the column holds the source's phrases: the map reads them
        phrase = raw.pop("status")[0]
        raw.setdefault("status_detail", [phrase])
    for index, _column, name, pattern in derived:
        match = pattern.search(row[index]) if index < len(row) else None
        if match and match.group(1) and match.group(1).strip():
            raw.setdefault(name, []).append(match.group(1).strip())
    for name, values in mapping.constants.items():
        raw.setdefault(name, []).extend(values)
    fields: JsonRecord = {}
    named: dict[str, list[str]] = {}
    for name, values in raw.items():
        value: str | list[str] = values[0]
        if name in LIST_FIELDS:
            separator = mapping.splits.get(name)
            items = [part for v in values for part in (v.split(separator) if separator else [v])]
            value = [item.strip() for item in items if item.strip()]
            if name in ROLE_FIELDS:
                value = [translate(item) for item in value]
                named[name] = value
                continue
        try:
            fields.update(model.clean_fields({name: value}))
        except InvalidValue as problem:
            raise InvalidValue(f"column {_source_of(name, indexed)!r}: {problem}") from None
    try:
        plain = named.get("parties", [])
        roles = [(name, ROLE_FIELDS[kind]) for kind in ROLE_FIELDS if kind != "parties" for name in named.get(kind, [])]
        fields.update(model.clean_fields(actors_of.placed(found, Dispute(id="", title=""), plain, roles)))
    except InvalidValue as problem:
        raise InvalidValue(f"parties: {problem}") from None
    if "title" not in fields and fields.get("ref"):
        fields["title"] = fields["ref"]  # a file without titles (a data set's rows): the ref names it
    said = fields.get("status_detail", "") if phrase is None else phrase
    if "status" not in fields:
        fields["status"] = mapping.status_for(said)
    if "stage" not in fields and mapping.stages and mapping.stage_for(said):
        fields["stage"] = mapping.stage_for(said)
    opened = fields.get("opened") or min(mapping.status_date or today(), today())
    detail = fields.get("status_detail", "")
    history = [{"date": opened, "status": "open", "note": "", "detail": detail if fields["status"] == "open" else ""}]
    if fields["status"] != "open":  # the source's phrase belongs to the status it reports
        history.append(
            {
                "date": mapping.step_date(opened),
                "status": fields["status"],
                "note": f"as reported at import: {detail}".rstrip(": "),
                "detail": detail,
            }
        )
    return {**fields, "status_history": history}
