"""The tables of one store file, read lazily and written back by splicing (format: fileformat.py).

`decode` proves a file's layout from its meta line and hands out a Tables: each table is
parsed when a command first needs it, after its section's checksum matched; anything
unproven is parsed whole and validated. Changes are kept record by record and spliced
into the old verified bytes on writing. A table with an index (registry.INDEXED) has each
change mirrored into its index, and `scan` reads the index when it holds the fields asked
for and is known to match the table.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import orjson

from disputes.core import registry
from disputes.core.errors import StoreConflicted, StoreCorrupt
from disputes.store import indexes
from disputes.store.fileformat import (
    FORMAT,
    META,
    assemble,
    check_meta,
    doctor_hint,
    has_conflict_markers,
    record_line,
    record_lines,
    refuse_foreign,
    refuse_repeated_keys,
    section_text,
    table_at,
)
from disputes.store.files import Payload, Piece, crc32_of, piece
from disputes.store.paths import named_by
from disputes.store.sections import Body, apply_edits, record_of


class Tables(MutableMapping[str, dict[str, Any]]):
    """The tables of one store by name, each parsed from its section of the file when first
    used: a mapping whose `len`, `in` and iteration count the tables not parsed yet. With a
    verified layout (`spans`), a section is checked against its CRC-32 before it is parsed,
    scanned or copied; a mismatch sends the whole file through the JSON parser. On writing,
    changed tables are encoded afresh and the others copied as they were: a command that
    changes one dispute does not re-encode 100,000 events."""

    def __init__(
        self,
        path: Path,
        meta: dict[str, Any],
        payload: Payload,
        spans: dict[str, Any] | None,
        *,
        validate: bool = True,
        expected: str = FORMAT,
    ):
        self.path = path
        self.expected = expected  # the format its meta line must name: a register's, or a segment's
        self.owner = path  # the store a damage is reported against (a segment's: its register)
        self.meta = {k: v for k, v in meta.items() if k not in ("sections", "derived")}
        self._fresh = indexes.fresh(meta, spans or {})  # table -> its index, known to match it
        self._payload = payload
        self._spans: dict[str, tuple[int, int, int]] = spans or {}
        self._parsed: dict[str, dict[str, Any]] = {}
        self._bodies: dict[str, Body] = {}  # the verified sections still unparsed or copied as they are
        self._validate = validate
        self.changed: set[str] = set()
        # record-level changes to unparsed tables, kept as their encoded lines (None: removed),
        # so that 100,000 imported records cost their bytes, not their parsed objects
        self._edits: dict[str, dict[str, bytes | None]] = {}

    # The mapping: table name -> records

    def __getitem__(self, name: str) -> dict[str, Any]:
        if name in registry.INDEX_SECTIONS:  # not a table of the mapping (`scan` reads it)
            raise KeyError(name)
        if name in self._parsed:
            return self._parsed[name]
        body = self._body(name)
        if name in self._parsed:  # the section failed its check: parse_whole read it
            return self._parsed[name]
        if body is None:
            raise KeyError(name)
        table = body.parsed()
        edits = self._edits.pop(name, {})
        apply_edits(edits, table)  # records changed before this read
        if edits:
            self.changed.add(name)
        self._parsed[name] = table
        return table

    def __setitem__(self, name: str, table: dict[str, Any]) -> None:
        self._parsed[name] = table
        self.changed.add(name)
        self._fresh.pop(name, None)  # its index is written anew from the new table

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        for kept in (self._parsed, self._spans, self._edits, self._bodies):
            kept.pop(name, None)
        self.changed.discard(name)
        self._fresh.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return (name in self._parsed or name in self._spans) and name not in registry.INDEX_SECTIONS

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def names(self) -> list[str]:
        """Every table, those still unparsed included (an index is not a table: see chunks)."""
        return sorted((self._spans.keys() | self._parsed.keys()) - registry.INDEX_SECTIONS)

    # The fallback: the whole file through the JSON parser, records validated

    def parse_whole(self) -> None:
        """Read every table from a full parse of the file (its layout was not proven)."""
        try:
            data = orjson.loads(memoryview(self._payload))  # bytes, or a mapped file
        except orjson.JSONDecodeError as error:
            if has_conflict_markers(self._payload):  # markers never survive the layout check
                raise StoreConflicted(
                    f"store {self.path} holds git conflict markers (merged without the disputes merge driver): "
                    f"run `disputes --db {self.path} doctor --fix` to merge both sides record by record"
                ) from None
            refuse_foreign(self._payload, self.path)
            table = table_at(self._payload, error.pos)
            where = f"table {table!r} is damaged" if table else "is damaged"
            raise StoreCorrupt(f"store {self.path}: {where} ({error}): {doctor_hint(self.owner)}") from None
        if not isinstance(data, dict):
            raise StoreCorrupt(
                f"{self.path} is not a disputes store (foreign JSON): choose another file {named_by(self.path)}"
            )
        check_meta(data.get(META), self.path, self.expected)
        refuse_repeated_keys(self._payload, self.path)
        self.meta = {k: v for k, v in data.pop(META).items() if k not in ("sections", "derived")}
        for name, table in data.items():
            if not isinstance(table, dict):
                raise StoreCorrupt(f"store {self.path}: table {name!r} is not an object: {doctor_hint(self.owner)}")
            if self._validate:
                self._check_records(name, table)
            self._parsed.setdefault(name, table)
        for name, edits in self._edits.items():  # changes made before the check failed
            apply_edits(edits, self._parsed.setdefault(name, {}))
        self._edits, self._spans, self._bodies, self._fresh = {}, {}, {}, {}
        self.changed.update(self._parsed)  # the next write lays every table out afresh

    def _check_records(self, name: str, table: dict[str, Any]) -> None:
        for problems in registry.of(name).problems_of(table).values():  # the first record with any
            raise StoreCorrupt(f"store {self.path}: {problems[0]}: {doctor_hint(self.owner)}")

    # Sections

    def _body(self, name: str) -> Body | None:
        """The record lines of a table's section, its checksum verified on first use; None if
        the table has no section or the check failed (and the file was read whole)."""
        body = self._bodies.get(name)
        if body is not None or name not in self._spans:
            return body
        start, end, crc = self._spans[name]
        if crc32_of(self._payload, start, end) != crc:
            self.parse_whole()  # a hand edit, or damage: only a full parse can tell
            return None
        header = len(orjson.dumps(name)) + 3
        lines = (start + header + 1, end - 2) if end - start > header + 1 else (end - 1, end - 1)
        where = f"store {self.path}: section {name!r}"
        self._bodies[name] = body = Body(self._payload, *lines, where, doctor_hint(self.owner))
        return body

    def _unparsed(self, name: str) -> Body | None:
        """The section of a table not parsed yet (None: parsed, absent, or read whole)."""
        return None if name in self._parsed else self._body(name)

    @property
    def laid_out(self) -> bool:
        """Whether the file's sections were found where its meta line says (nothing read whole)."""
        return bool(self._spans) and not self._edits

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        """A table section's length and checksum as the meta line gives them (None: no section)."""
        if name not in self._spans:
            return None
        start, end, crc = self._spans[name]
        return end - start, crc

    def section(self, name: str) -> memoryview | None:
        """A table's section, its checksum verified (None if it failed and the file was read whole)."""
        if self._body(name) is None:
            return None
        start, end, _ = self._spans[name]
        return memoryview(self._payload)[start:end]

    def lines_by_key(self, name: str) -> dict[str, bytes] | None:
        """Each record line of a verified section by its key, unparsed (None: not laid out)."""
        body = self._body(name) if name in self._spans else None
        if body is None:
            return None if name in self._spans or name in self._parsed else {}
        return body.lines_by_key()

    def index_of(self, name: str) -> str | None:
        """The section of the table's index, when it is known to match the table (None: the
        table has no index, or one written from another version of it)."""
        return self._fresh.get(name)

    def _vouching(self, name: str) -> str | None:
        """The section of the table's index once both checksums matched (None: no index vouches
        for the table; a hand edit or damage of either reads the file whole, index aside)."""
        if name in self._fresh:
            self._body(name)
        if name in self._fresh:
            self._body(self._fresh[name])
        return self._fresh.get(name)

    def index_as_read(self, name: str) -> Body | None:
        """The lines of the table's index as the file holds them, when the index vouches for
        the table and nothing changed either since."""
        index = self._fresh.get(name)
        if index is None or index in self._parsed or self._edits.get(index):
            return None
        return self._body(index) if self._vouching(name) else None

    def index_check(self, name: str) -> indexes.IndexCheck | None:
        """A check of the table's index against its records, fed a batch of them at a time by a
        reader that goes through them anyway (doctor); None when no index vouches for them."""
        body = self.index_as_read(name)
        return indexes.IndexCheck(name, body) if body is not None else None

    def verify_all(self) -> None:
        """Check every section against its checksum (a mismatch reads the file whole)."""
        for name in list(self._spans):
            self._body(name)

    def load_all(self) -> Tables:
        """Parse every table now (doctor and the merge driver look at everything)."""
        for name in self.names():
            self.get(name)
        return self

    def forget_indexes(self) -> None:
        """Trust no index of the file: an older schema's index may hold other fields than this
        version's (the owner, the stage), so reads go to the records and the next write
        writes each index anew."""
        self._fresh = {}

    def rewrite_all(self) -> None:
        """Encode every table afresh on the next write (after changing records in place)."""
        self.load_all()
        self.changed.update(self.names())
        self._fresh = {}  # indexes too: doctor --fix rebuilds them

    # One record at a time: a change writes the records it changes, never a copy of the table

    def record(self, name: str, key: str) -> dict[str, Any] | None:
        """One record, parsing only its line when the table is still unparsed."""
        body = self._unparsed(name)
        if body is None:
            return self.get(name, {}).get(key)
        edits = self._edits.get(name, {})
        return record_of(edits[key]) if key in edits else body.record(key)

    def has(self, name: str, key: str) -> bool:
        """Whether a table holds a key (on an unparsed table, without decoding the record)."""
        body = self._unparsed(name)
        if body is None:
            return key in self.get(name, {})
        edits = self._edits.get(name, {})
        return edits[key] is not None if key in edits else body.line_of(key) is not None

    def keys_starting(self, name: str, prefix: str) -> list[str]:
        """The keys of a table that start with `prefix` (an id typed in part)."""
        body = self._unparsed(name)
        if body is None:
            return [key for key in self.get(name, {}) if key.startswith(prefix)]
        edits = self._edits.get(name, {})
        found = body.keys_starting(prefix) | {
            key for key, line in edits.items() if line is not None and key.startswith(prefix)
        }
        return sorted(key for key in found if edits.get(key, True) is not None)

    def put(self, name: str, key: str, record: dict[str, Any] | None) -> None:
        """Insert or replace one record (None removes it), and its line in the table's index."""
        self._put(name, key, record)
        if name in self._fresh:  # an index not fresh is written anew from the table anyway
            self._put(self._fresh[name], key, None if record is None else registry.of(name).indexed(record))

    def _put(self, name: str, key: str, record: dict[str, Any] | None) -> None:
        if self._unparsed(name) is not None:
            self._edits.setdefault(name, {})[key] = None if record is None else record_line(key, record)
            return
        table = self._parsed.setdefault(name, {})
        if record is None:
            table.pop(key, None)
        else:
            table[key] = record
        self.changed.add(name)

    # Reading parts of an unparsed table

    def batches(self, name: str) -> Iterator[dict[str, Any]]:
        """The records of a table, a megabyte of lines parsed at a time (each batch a dict);
        records changed by this command come last, in a batch of their own."""
        body = self._unparsed(name)
        if body is None:
            yield self._parsed.get(name, {})  # parsed (or read whole), or absent
            return
        edits = self._edits.get(name, {})
        for batch in body.batches():
            for key in edits.keys() & batch.keys():
                del batch[key]
            yield batch
        yield {key: record_of(line) for key, line in edits.items() if line is not None}

    def mentioning(self, name: str, text: str) -> dict[str, dict[str, Any]]:
        """The records of a table whose line holds the JSON string `text` (e.g. a dispute id).

        On an unparsed table only those lines are parsed: the events of one dispute are
        found among 100,000 without building the other 99,970. Callers check the match.
        """
        body = self._unparsed(name)
        if body is None:
            return {k: r for k, r in self.get(name, {}).items() if text in orjson.dumps(r).decode()}
        needle = orjson.dumps(text)
        found = body.mentioning(needle)
        for key, line in self._edits.get(name, {}).items():
            found.pop(key, None)
            edited = record_of(line) if line is not None and needle in line else None
            if edited is not None:
                found[key] = edited
        return found

    def scan(self, name: str, fields: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        """Each record of a table cut down to `fields`, parsed a batch at a time and not kept;
        read from the table's index when it holds those fields and matches the table."""
        index = self._vouching(name) if set(fields) <= {"id", *registry.of(name).index} else None
        if index is not None:
            yield from indexes.rows(self.batches(index), copied=index in self._parsed)
            return
        for batch in self.batches(name):
            for record in batch.values():
                yield {f: record.get(f) for f in fields}

    # Writing

    def chunks(self) -> list[Piece]:
        """The file's new contents, as pieces to write one after the other. An index not known
        to match its table is written anew from the table (once: after a merge, a hand edit,
        an older version's write), and the meta line ties each index to its table's CRC-32."""
        sections: dict[str, list[Piece]] = {}
        known: dict[str, tuple[int, int]] = {}  # sections copied as verified: length and CRC-32
        for name, index in registry.INDEXED.items():
            if name in self and name not in self._fresh:
                sections[index] = [indexes.section(name, self.batches(name))]
        for name in [*self.names(), *self._fresh.values()]:
            if name in self.changed or name not in self._spans:
                sections[name] = [section_text(name, record_lines(self._parsed[name]))]
                continue
            body = self._body(name)
            if body is None:  # the check failed and the file was parsed whole
                return self.chunks()
            edits = self._edits.get(name)
            if not edits:
                start, end, crc = self._spans[name]
                sections[name], known[name] = [piece(self._payload, start, end)], (end - start, crc)
                continue
            lines = body.spliced(edits)
            sections[name] = [orjson.dumps(name) + b": {\n", *lines, b"\n}"] if lines else [section_text(name, b"")]
        return assemble(self.meta, sections, {i: n for n, i in registry.INDEXED.items() if n in self}, known)
