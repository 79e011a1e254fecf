"""The export format, written and read back: `export_chunks` writes a store (or the
disputes chosen) a record a line, ending with each table's count; a reader streams it a
table and a line at a time when it is laid out so (and whole, as its closing counts
promise), else decodes it whole (a hand-written file, an older export); a cut export is
refused whole."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from disputes.core import registry
from disputes.core.errors import InvalidValue
from disputes.core.jsonkeys import repeated_key
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.vocabulary import TABLES
from disputes.ops.inputs import LONGEST_EXPORT_LINE, bounded_lines, open_input, read_input, reading
from disputes.store.database import Store
from disputes.store.migrations import SCHEMA

EXPORT_FORMAT = "disputes-export"
COMPLETE = "complete"  # the export's last member: the number of records of each table


class StreamedExport:
    """An export in the layout `export_chunks` writes -- a header line, then each table's
    records one a line, then the count of each -- read a table at a time and a line at a
    time, so that importing 110,000 records never holds the file, or its parsed whole, in
    memory. It is taken only when its closing counts match what it holds: a cut file is
    never read as a shorter export."""

    _TABLE = re.compile(rb'"([a-z]+)": \[(\]?),?\r?\n?\Z')

    def __init__(self, path: Path, sections: dict[str, int]):
        self.path, self._sections = path, sections

    @classmethod
    def of(cls, path: Path) -> StreamedExport | None:
        """The file read as a streamed export, or None when it is laid out otherwise (or cut)."""
        sections: dict[str, int] = {}
        counts: dict[str, int] = {}
        table, last = None, b""
        with open_input(path) as handle, reading(path):  # every read: a zip's buffer fills on the first
            if not handle.readline().removeprefix(b"\xef\xbb\xbf").startswith(b'{"format":"' + EXPORT_FORMAT.encode()):
                return None
            for line in bounded_lines(handle, str(path), LONGEST_EXPORT_LINE):
                last = line
                if line.startswith(b"{"):
                    if table is None:
                        return None
                    counts[table] += 1
                    continue
                if line.startswith(b'"' + COMPLETE.encode() + b'": '):
                    return cls._complete(path, sections, counts, line, handle.read(64))
                if line[:1] in (b"]", b"}"):
                    continue
                found = cls._TABLE.match(line)
                if not found or found.group(1).decode() not in TABLES or found.group(1).decode() in sections:
                    return None
                table = found.group(1).decode()
                sections[table], counts[table] = -1 if found.group(2) else handle.tell(), 0
        # an export written before exports counted their records: whole when its object is closed
        return cls(path, sections) if last.strip() == b"}" else None

    @classmethod
    def _complete(
        cls, path: Path, sections: JsonRecord, counts: JsonRecord, line: bytes, rest: bytes
    ) -> StreamedExport | None:
        try:
            promised = orjson.loads(line.split(b": ", 1)[1])
        except orjson.JSONDecodeError:
            return None
        if rest.strip() != b"}" or not isinstance(promised, dict) or promised != counts:
            return None
        return cls(path, sections)

    def get(self, name: str, default: Iterable[JsonValue] = ()) -> Iterator[JsonValue]:
        """The records of one table, parsed a line at a time."""
        start = self._sections.get(name)
        if start is None or start == -1:
            return iter(default)
        return self._records(start)

    def _records(self, start: int) -> Iterator[JsonValue]:
        with open_input(self.path) as handle, reading(self.path):
            handle.seek(start)
            for line in bounded_lines(handle, str(self.path), LONGEST_EXPORT_LINE):
                if not line.startswith(b"{"):
                    return
                try:
                    yield orjson.loads(line.rstrip(b",\r\n"))
                except orjson.JSONDecodeError as problem:
                    raise InvalidValue(f"{self.path} is not valid JSON ({problem})") from None


def read_export(path: Path) -> StreamedExport | JsonValue:
    """A JSON file to import: streamed when it is laid out as our export, else decoded whole.

    An export of ours that is cut short (an interrupted `export`, a truncated copy) is
    refused whole, never imported in part."""
    data = StreamedExport.of(path) or read_json(path)
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT and COMPLETE in data:
        promised = data[COMPLETE]
        held = {name: len(data.get(name, [])) for name in TABLES if isinstance(data.get(name), list)}
        if promised != held:
            raise InvalidValue(
                f"{path} is an incomplete export (it promises {promised}, holds {held}): nothing was imported"
            )
    return data


def read_json(path: Path) -> JsonValue:
    """The decoded contents of a JSON file to import (a UTF-8 byte-order mark is allowed)."""
    payload = read_input(path)
    try:
        data = orjson.loads(payload.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as problem:
        if payload.removeprefix(b"\xef\xbb\xbf").startswith(b'{"format":"' + EXPORT_FORMAT.encode()):
            raise InvalidValue(
                f"{path} is an incomplete or damaged export ({problem}): nothing was imported; export it again"
            ) from None
        raise InvalidValue(f"{path} is not valid JSON ({problem})") from None
    repeated = repeated_key(payload.removeprefix(b"\xef\xbb\xbf"))
    if repeated is not None:
        raise InvalidValue(
            f"{path}: the key {repeated.key!r} is given twice in {repeated.where('one object of the file')}, "
            "and a JSON reader keeps only the last: keep one in an editor; nothing was imported"
        )
    return data


def export_chunks(store: Store, disputes: frozenset[str] | None = None) -> Iterator[bytes]:
    """The whole store as one JSON object -- {"format", "schema", "disputes": [...], "events":
    [...], ..., "complete": {table: count}} -- in stable order, one record a line, produced a
    batch at a time: exporting 100,000 events never holds them all in memory.

    With `disputes` (ids), only those disputes and what belongs to them: the records that
    name them (events keep only the chosen among theirs; a relation needs both ends), the
    actors, views and fetched files; no history (its entries tell of other disputes too).

    The last member, `complete`, counts the records of each table: a reader that does not
    find it, or finds other counts, holds a cut file and refuses it whole."""
    yield orjson.dumps({"format": EXPORT_FORMAT, "schema": SCHEMA})[:-1]
    counts = {}
    for table in TABLES:
        yield b',\n"' + table.encode() + b'": ['
        counts[table] = 0
        for batch in store.batches(table) if disputes is None or table != "history" else ():
            for key in sorted(batch):
                record = batch[key] if disputes is None else _belonging(table, batch[key], disputes)
                if record is None:
                    continue
                yield (b"\n" if not counts[table] else b",\n") + orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
                counts[table] += 1
        yield b"\n]" if counts[table] else b"]"
    yield b',\n"' + COMPLETE.encode() + b'": ' + orjson.dumps(counts) + b"\n}\n"


def _belonging(table: str, record: JsonRecord, disputes: frozenset[str]) -> JsonRecord | None:
    """A record as a filtered export holds it, or None when it belongs to no chosen dispute."""
    kind = registry.of(table)
    if not kind.refers:
        return record
    named = list(kind.names(record))
    if kind.names_optional:  # kept, naming only the chosen disputes among its own
        return {**record, **{f: [k for k in record[f] if k in disputes] for f in kind.refers if f in record}}
    if table == "disputes" or any(isinstance(record.get(f), str) for f in kind.refers):
        return record if named and all(key in disputes for key in named) else None
    kept = [key for key in named if key in disputes]
    return {**record, **{f: [k for k in record[f] if k in disputes] for f in kind.refers}} if kept else None
