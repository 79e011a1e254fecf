"""The tables of one store file, read lazily and written back by splicing (format: fileformat.py).

`decode` proves a file's layout from its meta line and hands out a Tables: each table is
parsed when a command first needs it, after its section's checksum matched; anything
unproven is parsed whole and validated. Changes are kept record by record and spliced
into the old verified bytes on writing.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import orjson

from disputes.core import registry
from disputes.core.errors import StoreConflicted, StoreCorrupt, StoreError
from disputes.store.fileformat import (
    KEY_PATTERN,
    META,
    assemble,
    check_meta,
    doctor_hint,
    has_conflict_markers,
    is_blank,
    key_end,
    record_line,
    record_lines,
    refuse_repeated_keys,
    section_text,
    sections_of,
    split_line,
    table_at,
)


def read_file(path: Path, *, validate: bool = True) -> Tables | None:
    """The store at `path`, its tables parsed when first used; None when there is no file yet."""
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"store {path} is a folder: give a file path with --db") from None
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {error.strerror}") from None
    return decode(payload, path, validate=validate)


def decode(payload: bytes, path: Path, *, validate: bool = True) -> Tables:
    """Store bytes as tables, refusing empty, broken, conflicted and foreign files.

    With `validate`, a file read whole has its records checked by the models' rules.
    """
    if is_blank(payload):
        raise StoreCorrupt(f"store {path} is empty: {doctor_hint(path)}")
    if payload[:64].lstrip().startswith(b'{"format":"disputes-export"'):  # told at once, not after a full parse
        raise StoreCorrupt(f"{path} is a disputes export, not a store: `disputes import {path}` brings it into one")
    laid_out = sections_of(payload)
    if laid_out is not None:
        meta, spans = laid_out
        check_meta(meta, path)
        return Tables(path, meta, payload, spans, validate=validate)
    tables = Tables(path, {}, payload, None, validate=validate)
    tables.parse_whole()
    return tables


def encode(data: dict) -> bytes:
    """Serialise with stable order and one record per line, so that git diffs are readable."""
    if isinstance(data, Tables):
        return b"".join(data.chunks())
    tables = Tables(Path(), data[META], b"", {})
    for name, records in data.items():
        if name != META:
            tables[name] = records
    return b"".join(tables.chunks())


class Tables(dict):
    """The tables of one store, each parsed from its section of the file when first used.

    With a verified layout (`spans`), a section is checked against its CRC-32 before it is
    parsed, scanned or copied; a mismatch sends the whole file through the JSON parser.
    On writing, changed tables are encoded afresh and the other sections are copied as
    they were: a command that changes one dispute does not re-encode 100,000 events.
    """

    def __init__(self, path: Path, meta: dict, payload: bytes, spans: dict | None, *, validate: bool = True):
        super().__init__()
        self.path = path
        self.meta = {k: v for k, v in meta.items() if k != "sections"}
        self._payload = payload
        self._spans: dict[str, tuple[int, int, int]] = spans or {}
        self._verified: set[str] = set()
        self._bodies: dict[str, tuple[int, int]] = {}  # where each verified section's lines lie
        self._validate = validate
        self.changed: set[str] = set()
        # record-level changes to unparsed tables (None: removed), spliced in on writing
        # record-level changes to unparsed tables, kept as their encoded lines (None: removed),
        # so that 100,000 imported records cost their bytes, not their parsed objects
        self._edits: dict[str, dict[str, bytes | None]] = {}

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
            table = table_at(self._payload, error.pos)
            where = f"table {table!r} is damaged" if table else "is damaged"
            raise StoreCorrupt(f"store {self.path}: {where} ({error}): {doctor_hint(self.path)}") from None
        if not isinstance(data, dict):
            raise StoreCorrupt(f"{self.path} is not a disputes store (foreign JSON): choose another file with --db")
        check_meta(data.get(META), self.path)
        refuse_repeated_keys(self._payload, self.path)
        self.meta = {k: v for k, v in data.pop(META).items() if k != "sections"}
        for name, table in data.items():
            if not isinstance(table, dict):
                raise StoreCorrupt(f"store {self.path}: table {name!r} is not an object: {doctor_hint(self.path)}")
            if self._validate:
                self._check_records(name, table)
            if not dict.__contains__(self, name):
                dict.__setitem__(self, name, table)
        for name, edits in self._edits.items():  # changes made before the check failed
            parsed: dict = dict.__getitem__(self, name) if dict.__contains__(self, name) else {}
            _apply(edits, parsed)
            dict.__setitem__(self, name, parsed)
        self._edits = {}
        self.changed.update(self.keys())  # the next write lays every table out afresh
        self._spans = {}

    def _check_records(self, name: str, table: dict) -> None:
        check = registry.of(name).problems
        if check is None:
            return
        for key, record in table.items():
            problems = check(key, record)
            if problems:
                raise StoreCorrupt(f"store {self.path}: {problems[0]}: {doctor_hint(self.path)}")

    # Sections

    def _section_of(self, name: str) -> memoryview | None:
        """The verified bytes of a table's section; None if the table is absent or parsed."""
        if name not in self._spans:
            return None
        start, end, crc = self._spans[name]
        if name not in self._verified:
            if zlib.crc32(memoryview(self._payload)[start:end]) != crc:
                self.parse_whole()  # a hand edit, or damage: only a full parse can tell
                return None
            self._verified.add(name)
        return memoryview(self._payload)[start:end]

    def _body_of(self, name: str) -> tuple[int, int] | None:
        """Where a verified section's record lines lie in the file (start, end)."""
        # asked for every record looked up (an import asks 500,000 times): worked out once
        if name not in self._spans or (name not in self._verified and self._section_of(name) is None):
            return None
        body = self._bodies.get(name)
        if body is None:
            start, end, _ = self._spans[name]
            header = len(orjson.dumps(name)) + 3
            body = (start + header + 1, end - 2) if end - start > header + 1 else (end - 1, end - 1)
            self._bodies[name] = body
        return body

    def _body(self, name: str) -> tuple[int, int]:
        """Where the record lines of a section known to be verified lie."""
        body = self._body_of(name)
        assert body is not None, f"section {name} is not verified"
        return body

    def __missing__(self, name: str) -> dict:
        body = self._body_of(name)
        if dict.__contains__(self, name):  # the section failed its check: parse_whole read it
            return dict.__getitem__(self, name)
        if body is None:
            raise KeyError(name)
        start, end = body
        table = orjson.loads(b"{" + self._payload[start:end] + b"}") if end > start else {}
        edits = self._edits.pop(name, {})
        _apply(edits, table)  # records changed before this read
        if edits:
            self.changed.add(name)
        dict.__setitem__(self, name, table)
        return table

    def __setitem__(self, name: str, table: dict) -> None:
        super().__setitem__(name, table)
        self.changed.add(name)

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or name in self._spans

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def names(self) -> list[str]:
        """Every table, those still unparsed included."""
        return sorted(set(self._spans) | set(self.keys()))

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
        return self._section_of(name)

    def lines_by_key(self, name: str) -> dict[str, bytes] | None:
        """Each record line of a verified section by its key, unparsed (None: not laid out)."""
        body = self._body_of(name) if name in self._spans else None
        if body is None:
            return None if name in self._spans or dict.__contains__(self, name) else {}
        payload, (position, end), found = self._payload, body, {}
        while position < end:  # line by line: no copy of the whole section on the way
            stop = payload.find(b"\n", position, end)
            stop = end if stop == -1 else stop
            line = payload[position : stop - 1 if stop < end else stop]  # without its trailing comma
            position = stop + 1
            raw = line[: key_end(line) - 2]
            found[orjson.loads(raw) if b"\\" in raw else raw[1:-1].decode()] = line
        return found

    def verify_all(self) -> None:
        """Check every section against its checksum (a mismatch reads the file whole)."""
        for name in list(self._spans):
            self._section_of(name)

    def load_all(self) -> Tables:
        """Parse every table now (doctor and the merge driver look at everything)."""
        for name in self.names():
            self.get(name)
        return self

    def rewrite_all(self) -> None:
        """Encode every table afresh on the next write (after changing records in place)."""
        self.load_all()
        self.changed.update(self.names())

    # Reading parts of an unparsed table

    BATCH = 1 << 20  # bytes of record lines parsed in one go: fast, and light on memory

    def batches(self, name: str):
        """The records of a table, a megabyte of lines parsed at a time (each batch a dict).

        Every raw newline in a section ends a record line, so a batch can end at any one of
        them: one orjson call per batch instead of one per record, and never the whole table
        in memory. Records changed by this command come last, in a batch of their own.
        """
        if not self._unparsed(name) or self._body_of(name) is None:
            yield self.get(name, {})
            return
        payload, (position, end) = self._payload, self._body(name)
        edits = self._edits.get(name, {})
        while position < end:
            stop = payload.find(b"\n", min(position + self.BATCH, end), end)
            stop = end if stop == -1 else stop - 1  # the line before the newline ends with a comma
            batch = orjson.loads(b"{" + payload[position:stop] + b"}")
            for key in edits.keys() & batch.keys():
                del batch[key]
            yield batch
            position = stop + 2
        yield {key: _record_of(line) for key, line in edits.items() if line is not None}

    def _unparsed(self, name: str) -> bool:
        return not dict.__contains__(self, name) and name in self._spans

    def _key_at(self, start: int) -> str:
        match = KEY_PATTERN.match(self._payload, start)
        assert match is not None, "a verified section's line starts with its key"
        return orjson.loads(self._payload[start : match.end() - 2])

    def _line_of(self, name: str, key: str) -> tuple[int, int] | None:
        """Where the line of one record lies in an unparsed table (found without parsing others)."""
        body = self._body_of(name)
        if body is None:
            return None
        found, end = self._first_line_from(name, key), body[1]
        if found >= end or self._key_at(found) != key:
            return None
        stop = self._payload.find(b"\n", found, end)
        return found, end if stop == -1 else stop

    def _first_line_from(self, name: str, key: str) -> int:
        """Where the first line whose key is not less than `key` starts in an unparsed table (the
        table's end if none): a binary search, since a verified section is in key order."""
        start, end = self._body(name)
        payload, low, high = self._payload, start, end
        while low < high:  # lines starting before `low` hold smaller keys; the one at `high` does not
            line_start = max(payload.rfind(b"\n", start, (low + high) // 2) + 1, start)
            if self._key_at(line_start) < key:
                line_end = payload.find(b"\n", line_start, end)
                low = end if line_end == -1 else line_end + 1
            else:
                high = line_start
        return min(low, end)

    # One record at a time: a change writes the records it changes, never a copy of the table

    def record(self, name: str, key: str) -> dict | None:
        """One record, parsing only its line when the table is still unparsed."""
        if not self._unparsed(name):
            return self.get(name, {}).get(key)
        edits = self._edits.get(name, {})
        if key in edits:
            return _record_of(edits[key])
        line = self._line_of(name, key)
        if line is None:
            return self.get(name, {}).get(key) if dict.__contains__(self, name) else None
        return split_line(self._payload[line[0] : line[1]])[1]

    def has(self, name: str, key: str) -> bool:
        """Whether a table holds a key (on an unparsed table, without decoding the record)."""
        if not self._unparsed(name):
            return key in self.get(name, {})
        edits = self._edits.get(name, {})
        return edits[key] is not None if key in edits else self._line_of(name, key) is not None

    def keys_starting(self, name: str, prefix: str) -> list[str]:
        """The keys of a table that start with `prefix` (an id typed in part)."""
        if not self._unparsed(name) or self._body_of(name) is None:
            return [key for key in self.get(name, {}) if key.startswith(prefix)]
        start, end = self._body(name)
        needle = re.escape(orjson.dumps(prefix)[:-1])
        pattern = re.compile(rb"(?<=\n)(" + needle + rb'(?:[^"\\\n]|\\.)*")(?=: \{)')  # line starts only
        found = {
            orjson.loads(raw) if b"\\" in raw else raw[1:-1].decode()
            for raw in pattern.findall(self._payload, start, end)
        }
        edits = self._edits.get(name, {})
        found |= {key for key, record in edits.items() if record is not None and key.startswith(prefix)}
        return sorted(key for key in found if edits.get(key, True) is not None)

    def put(self, name: str, key: str, record: dict | None) -> None:
        """Insert or replace one record (None removes it)."""
        if self._unparsed(name):
            self._edits.setdefault(name, {})[key] = None if record is None else record_line(key, record)
            return
        if name not in self:
            self[name] = {}
        table = self[name]
        if record is None:
            table.pop(key, None)
        else:
            table[key] = record
        self.changed.add(name)

    # Reading parts of an unparsed table

    def mentioning(self, name: str, text: str) -> dict[str, dict]:
        """The records of a table whose line holds the JSON string `text` (e.g. a dispute id).

        On an unparsed table only those lines are parsed: the events of one dispute are
        found among 100,000 without building the other 99,970. Callers check the match.
        """
        if not self._unparsed(name) or self._body_of(name) is None:
            return {k: r for k, r in self.get(name, {}).items() if text in orjson.dumps(r).decode()}
        payload, needle = self._payload, orjson.dumps(text)
        found: dict[str, dict] = {}
        start, end = self._body(name)
        hit = payload.find(needle, start, end)
        while hit != -1:
            line_start = payload.rfind(b"\n", start - 1, hit) + 1
            stop = payload.find(b"\n", hit, end)
            stop = end if stop == -1 else stop
            key, record = split_line(payload[line_start:stop])
            found[key] = record
            hit = payload.find(needle, stop, end)
        for key, line in self._edits.get(name, {}).items():
            found.pop(key, None)
            edited = _record_of(line) if line is not None and needle in line else None
            if edited is not None:
                found[key] = edited
        return found

    def scan(self, name: str, fields: tuple[str, ...]):
        """Each record of a table cut down to `fields`, parsed line by line and not kept.

        A report over 100,000 events needs five of their fourteen fields: this keeps the
        peak memory to the slim copies instead of every full record.
        """
        for batch in self.batches(name):
            for record in batch.values():
                yield {f: record.get(f) for f in fields}

    # Writing

    def chunks(self) -> list[bytes | memoryview]:
        """The file's new contents, as pieces to write one after the other."""
        sections: dict[str, list[bytes | memoryview]] = {}
        for name in self.names():
            if name in self.changed or (dict.__contains__(self, name) and name not in self._spans):
                sections[name] = [section_text(name, record_lines(dict.__getitem__(self, name)))]
            elif self._edits.get(name):
                sections[name] = self._edited_section(name)
            else:
                section = self._section_of(name)
                if section is None:  # the check failed and the file was parsed whole
                    return self.chunks()
                sections[name] = [section]
        return assemble(self.meta, sections)

    def _edited_section(self, name: str) -> list[bytes | memoryview]:
        """An unparsed table's section with its record-level changes spliced in: the lines in
        between are copied as runs of verified bytes, nothing else is parsed or encoded."""
        if self._section_of(name) is None:  # the check failed and the file was parsed whole
            return [section_text(name, record_lines(self[name]))]
        payload, (start, end) = self._payload, self._body(name)
        # (position, end of the old line or None for an insertion, key, new line or None)
        operations: list[tuple[int, int | None, str, bytes | None]] = []
        for key, line in sorted(self._edits[name].items()):
            found = self._line_of(name, key)
            if found is not None:
                operations.append((found[0], found[1], key, line))
            elif line is not None:
                operations.append((self._first_line_from(name, key), None, key, line))
        operations.sort(key=lambda op: (op[0], op[2]))
        segments: list[bytes | memoryview] = []
        cursor, view = start, memoryview(payload)
        for position, old_end, _, line in operations:
            if position > cursor:  # whole old lines, without the ",\n" that ends the last of them
                segments.append(view[cursor : position if position == end else position - 2])
            if line is not None:
                segments.append(line)
            if old_end is not None:  # a line replaced or removed: go on after it
                cursor = old_end + 1 if old_end < end else end
            else:
                cursor = max(cursor, position)
        if cursor < end:
            segments.append(view[cursor:end])
        body = [piece for segment in segments for piece in (b",\n", segment)][1:]
        if not body:
            return [section_text(name, b"")]
        return [orjson.dumps(name) + b": {\n", *body, b"\n}"]


def _record_of(line: bytes | None) -> dict | None:
    """The record an encoded line holds (None stays None: a removal)."""
    return None if line is None else orjson.loads(line[key_end(line) :])


def _apply(edits: dict[str, bytes | None], table: dict) -> None:
    """Record-level changes, kept as lines, applied to a parsed table."""
    for key, line in edits.items():
        if line is None:
            table.pop(key, None)
        else:
            table[key] = _record_of(line)
