"""Event data in: stream GDELT, ICEWS or ACLED files (or BigQuery's exports of GDELT), keep
the rows the watch rules want, and add their events to the disputes of those rules (or update
them, when seen before).

The file is read a line at a time and only matching rows are kept, so a file of millions
of rows costs the memory of its matches. Every row is checked: by default the first bad
one stops the import with its line and column and nothing is written; `skip_bad` skips
and counts such rows instead. An event's id is derived from its reference in the source,
so importing a file again, or the same file in two clones, makes each event once.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO, cast

from disputes.core import bigquery, eventdata, ids
from disputes.core import event as event_rules
from disputes.core.dates import now
from disputes.core.errors import InvalidValue
from disputes.core.event import Event
from disputes.core.imported import EventDataImport, ImportedEvent, RowExample, RowProblem, RuleTried
from disputes.core.jsontypes import JsonRecord
from disputes.core.watch import TABLE as WATCHES
from disputes.core.watch import Watch
from disputes.ops import inputs
from disputes.ops.inputs import bounded_lines, open_input, reading
from disputes.store.database import Store

SHOWN_PROBLEMS = 20  # bad rows listed one by one with --skip-bad; the rest are counted
SNIFFED = 10  # lines read to tell a file's format
LOOK_AHEAD = 1000  # bad rows at the start of a GDELT file, before one shows its layout


def _size_of(handle: TextIO) -> int:
    """The size of a plain file, for progress (0 for a pipe or a compressed stream: no bar total)."""
    try:
        return os.fstat(handle.fileno()).st_size if handle.seekable() else 0
    except (OSError, ValueError):
        return 0


def _laid_out(row: tuple[int, list[str]]) -> bool:
    return len(row[1]) in eventdata.Gdelt.PLACE


def _open(path: Path) -> TextIO:
    """The file as text: UTF-8 (a byte-order mark skipped), with bytes that are not UTF-8 kept
    as they are until a row is wanted (`_repaired`); line ends left to the reader."""
    text = open_input(path, "r", encoding="utf-8-sig", errors="surrogateescape", newline="")
    return cast(TextIO, text)  # in text mode, a TextIOWrapper


def _repaired(fields: list[str]) -> list[str]:
    """A wanted row's fields as text: a row that is not UTF-8 is Latin-1 (ICEWS files often are)."""
    try:
        for field in fields:
            field.encode("utf-8")
    except UnicodeEncodeError:
        return [field.encode("utf-8", "surrogateescape").decode("latin-1") for field in fields]
    return fields


def sniff(path: Path) -> str | None:
    """The event-data format a file's first line shows (ICEWS and ACLED have headers), or
    any of its first lines (a GDELT file whose first row is damaged is still GDELT)."""
    with _open(path) as handle, reading(path.name):
        lines = [handle.readline(65536).rstrip("\r\n") for _ in range(SNIFFED)]
    if bigquery.detect(lines[0]):
        return bigquery.FORMAT
    found = eventdata.detect(lines[0])
    if found is None and any(eventdata.detect(line) == "gdelt" for line in lines[1:]):
        return "gdelt"
    return found


def _rows(handle: TextIO, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank row: tab-separated, or CSV with quotes for ACLED
    and BigQuery's exports (whose JSON lines come whole, as one field: the reader parses them)."""
    lines = bounded_lines(handle, os.path.basename(handle.name))
    if fmt == bigquery.FORMAT:
        head = next(lines, "")
        lines = itertools.chain([head], lines)
        if head.lstrip("\ufeff \t").startswith("{"):
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield number, [line]
            return
    if fmt not in ("acled", bigquery.FORMAT):
        for number, line in enumerate(lines, 1):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) > 1 or fields[0].strip():
                yield number, fields
        return
    parsed = csv.reader(lines)  # lines keep their ends (newline=""), which a quoted field may hold
    while True:
        start = parsed.line_num + 1  # the lines read so far: the record starts on the next
        try:
            fields = next(parsed)
        except StopIteration:
            return
        except csv.Error as problem:
            raise InvalidValue(
                f"{os.path.basename(handle.name)} line {start}: {problem} (nothing was imported)"
            ) from None
        if any(field.strip() for field in fields):
            yield start, fields


def import_events(
    store: Store,
    path: Path | Sequence[Path],
    fmt: str,
    *,
    skip_bad: bool = False,
    keep_duplicates: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> EventDataImport:
    """Import the rows of an event-data file (or of several, such as an export's shards) that
    match the store's watch rules; say what happened.

    Rows that tell one story (see each format's `story`) become one event keeping every row's
    id and their summed mentions, unless `keep_duplicates`; a row given twice is imported once."""
    rules = [Watch.from_dict(record) for record in store.records(WATCHES).values()]
    if not rules:
        raise InvalidValue("no watch rules: add one first, e.g. `disputes watch DISPUTE --actors BLR,RUS`")
    watched = frozenset(actor for rule in rules for actor in rule.actors)
    wanted: dict[str, Story] = {}
    counts: Counter[str] = Counter()
    problems: list[RowProblem] = []
    paths = [path] if isinstance(path, Path) else list(path)
    for one in paths:
        _read(one, fmt, rules, watched, wanted, counts, problems, skip_bad, keep_duplicates, progress)
    files = inputs.named(paths[0]) + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
    if not counts["rows"]:  # an empty shard among others is no news; all empty is
        held = "hold" if len(paths) > 1 else "holds"
        why = "an export of a query that selected none, or a download that stopped"
        raise inputs.no_rows(files, held, why if fmt == bigquery.FORMAT else inputs.HEADER_ALONE)
    return _store(store, files, fmt, wanted, counts, problems)


EXAMPLES = 3  # the rows `watch test` shows of each rule


def tried(path: Path, fmt: str, rules: list[Watch]) -> list[RuleTried]:
    """What each rule would take from an event-data file, without importing it: how many rows
    it matches (and the events they make), with the first few as examples (bad rows counted)."""
    found: list[RuleTried] = []
    for rule in rules:
        wanted: dict[str, Story] = {}
        counts: Counter[str] = Counter()
        _read(path, fmt, [rule], frozenset(rule.actors), wanted, counts, [], True, False, None)
        examples: list[RowExample] = [
            {"date": story.fields["date"], "title": story.fields["title"], "ref": story.fields.get("ref", "")}
            for story in list(wanted.values())[:EXAMPLES]
        ]
        found.append(
            {
                "rule": rule.id,
                "dispute": rule.dispute,
                "watching": rule.describe(),
                "rows": counts["rows"],
                "matched": counts["rows"] - counts["unmatched"] - counts["bad"],
                "events": len(wanted),
                "bad": counts["bad"],
                "examples": examples,
            }
        )
    return found


def _read(
    path: Path,
    fmt: str,
    rules: list[Watch],
    watched: frozenset[str],
    wanted: dict[str, Story],
    counts: Counter[str],
    problems: list[RowProblem],
    skip_bad: bool,
    keep_duplicates: bool,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Read one file into `wanted`: its rows merged story by story."""
    with _open(path) as handle:
        size = _size_of(handle)
        rows = _rows(handle, fmt)
        first = next(rows, None)
        if first is None:  # a shard of an export may hold no row; all of them none is refused
            return
        if fmt == "gdelt":  # the layout is the format's (57, 58 or 61 columns), not a bad first row's
            leading = [first]
            while not _laid_out(leading[-1]) and len(leading) <= LOOK_AHEAD:
                following = next(rows, None)
                if following is None:
                    break
                leading.append(following)
            if not _laid_out(leading[-1]):
                raise InvalidValue(f"{path.name}: a GDELT file has 57, 58 or 61 tab-separated columns; no row here has")
            reader: eventdata.Reader | bigquery.Export | bigquery.JsonExport = eventdata.reader(fmt, leading[-1][1])
            rows = itertools.chain(leading, rows)
        elif fmt == bigquery.FORMAT:  # JSON lines are rows from the first; CSV's first names the columns
            json_lines = first[1][0].lstrip("\ufeff \t").startswith("{")
            reader = bigquery.JsonExport() if json_lines else bigquery.Export(_repaired(first[1]))
            if json_lines:
                rows = itertools.chain([first], rows)
        else:
            reader = eventdata.reader(fmt, _repaired(first[1]))
        for number, fields in rows:
            counts["rows"] += 1
            if progress and size and not counts["rows"] % 65536:
                progress(handle.buffer.tell(), size)
            if reader.header:  # ICEWS and ACLED rows make references of their text: repair it first
                fields = _repaired(fields)
            try:
                row = reader.row(fields, watched)
                if row is None or not row.sides & watched:
                    counts["unmatched"] += 1
                    continue
                disputes = {rule.dispute for rule in rules if rule.matches(row.sides, row.code, row.mentions)}
                if not disputes:
                    counts["unmatched"] += 1
                    continue
                found = event_rules.clean_fields(reader.event(fields if reader.header else _repaired(fields), row))
            except (eventdata.BadRow, InvalidValue) as problem:
                if not skip_bad:
                    raise InvalidValue(f"{path.name} line {number}: {problem} (nothing was imported)") from None
                counts["bad"] += 1
                if len(problems) < SHOWN_PROBLEMS:
                    problems.append({"line": number, "problem": str(problem)})
                continue
            story = row.ref if keep_duplicates else reader.story(fields, row)
            seen = wanted.get(story)
            if seen is None:
                wanted[story] = Story(found, disputes, row.ref)
            else:
                seen.add(found, disputes, row.ref)
    if progress:
        progress(size, size)


class Story:
    """The rows of one story, merged into one event as they are read: every row's id once, in
    a dict (a list's `in` made 70,000 rows of one story cost 37 s, four times 35,000's), the
    disputes of them all, their mentions summed."""

    __slots__ = ("disputes", "fields", "refs")

    def __init__(self, fields: JsonRecord, disputes: set[str], ref: str) -> None:
        self.fields, self.disputes, self.refs = fields, disputes, {ref: None}

    def add(self, fields: JsonRecord, disputes: set[str], ref: str) -> None:
        """Another row of the story (the same row again adds nothing)."""
        if ref in self.refs:
            return
        self.disputes.update(disputes)
        self.refs[ref] = None
        if fields.get("mentions") is not None:
            self.fields["mentions"] = (self.fields.get("mentions") or 0) + fields["mentions"]


def _store(
    store: Store, named: str, fmt: str, wanted: dict[str, Story], counts: Counter[str], problems: list[RowProblem]
) -> EventDataImport:
    stamp, added, updated = now(), {}, {}
    shown: list[ImportedEvent] = []
    per_dispute: Counter[str] = Counter()
    for story, merged in sorted(wanted.items()):
        fields, disputes, refs = merged.fields, merged.disputes, list(merged.refs)
        # an event imported before stories were told apart keeps its id (that of its row)
        known = store.ids("events")
        key = next((key for key in map(ids.derived, refs) if key in known), None) or ids.derived(story)
        if len(refs) > 1:
            fields = {**fields, "refs": sorted(refs)}
        before = store.record("events", key)
        given = {name: list(v) if isinstance(v, tuple) else v for name, v in fields.items()}
        if before is None:
            record = Event(
                id=key, disputes=tuple(sorted(disputes)), created=stamp, updated=stamp, imported=given, **fields
            ).to_dict()
            added[key] = record
        else:
            # what the source changed is updated; what the user edited, linked or added stays
            linked = before["disputes"] + sorted(d for d in disputes if d not in before["disputes"])
            now_reads = event_rules.grown(before, given, set(refs))
            record = {**now_reads, "disputes": linked} if now_reads is not None else before
            if record == before:
                counts["unchanged"] += 1
                continue
            record["updated"] = stamp
            updated[key] = record
        per_dispute.update(disputes)
        shown.append(
            {
                "id": key,
                "new": before is None,
                "date": record["date"],
                "title": record["title"],
                "disputes": record["disputes"],
                "ref": record["ref"],
            }
        )
    if added or updated:
        store.insert_many("events", added)
        for key, record in updated.items():
            store.put("events", key, record)
        store.describe(
            "import", f"{len(added):,} new and {len(updated):,} updated events from {named} ({fmt}, watch rules)"
        )
    return {
        "format": fmt,
        "rows": counts["rows"],
        "matched": len(wanted),
        "added": len(added),
        "updated": len(updated),
        "unchanged": counts["unchanged"],
        "unmatched": counts["unmatched"],
        "bad": counts["bad"],
        "problems": problems,
        "by_dispute": dict(sorted(per_dispute.items())),
        "events": shown,
        "dry_run": False,  # the caller's to say: a dry run discards what this wrote
    }
