"""The store file's format: git-friendly JSON, one record per line, read table by table.

The file is one JSON object. Its first line after `{` is the meta record
`"_meta": {"format": "disputes", "schema": N}`; then one section per table, in name
order, each a header line `"name": {`, one line per record (`"key": {...},` with the
record's keys sorted), and a closing `}`. That layout is what `encode` writes; any
other valid JSON object of the same shape (a hand edit) is read by parsing it whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from disputes.core.errors import StoreConflicted, StoreCorrupt, StoreError

FORMAT = "disputes"
META = "_meta"


def read_file(path: Path) -> Tables | None:
    """The store at `path`, its tables parsed when first used; None when there is no file yet."""
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"store {path} is a folder: give a file path with --db") from None
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {error.strerror}") from None
    return decode(payload, path)


def doctor_hint(path: Path) -> str:
    return f"run `disputes --db {path} doctor` to check it or restore the backup"


def has_conflict_markers(payload: bytes) -> bool:
    """Whether git left conflict markers in the file (no record line starts with `<` or `>`)."""
    return any(payload.startswith(m) or b"\n" + m in payload for m in (b"<<<<<<< ", b">>>>>>> "))


def decode(payload: bytes, path: Path) -> Tables:
    """Store bytes as tables, refusing empty, truncated, broken and foreign files.

    A file laid out as `encode` writes it is parsed one table at a time, when a command
    first uses that table: `list` never pays for 100,000 events. Any other layout (a hand
    edit) is parsed whole.
    """
    if not payload or payload.isspace():
        raise StoreCorrupt(f"store {path} is empty: {doctor_hint(path)}")
    if has_conflict_markers(payload):
        raise StoreConflicted(
            f"store {path} holds git conflict markers (merged without the disputes merge driver): "
            f"run `disputes --db {path} doctor --fix` to merge both sides record by record"
        )
    first = b'{\n"' + META.encode() + b'": '
    if payload.startswith(first) and payload.endswith(b"\n}\n"):
        meta_end = payload.find(b"\n", len(first))
        try:
            meta = orjson.loads(payload[len(first) : meta_end].rstrip(b","))
        except orjson.JSONDecodeError:
            meta = None
        if isinstance(meta, dict):
            _check_meta(meta, path)
            return Tables(path, meta, payload, meta_end)
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise StoreCorrupt(f"store {path} is damaged ({error}): {doctor_hint(path)}") from None
    meta = data.get(META) if isinstance(data, dict) else None
    _check_meta(meta, path)
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StoreCorrupt(f"store {path}: table {name!r} is not an object: {doctor_hint(path)}")
    tables = Tables(path, data.pop(META))
    for name, table in data.items():
        tables[name] = table
    return tables


def _check_meta(meta, path: Path) -> None:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StoreCorrupt(f"{path} is not a disputes store (foreign JSON): choose another file with --db")


_HEADER = re.compile(rb'\n("[^"\\\n]*"): \{\n')


def _encode_table(records: dict) -> bytes:
    keys = sorted(records)
    return b",\n".join(
        orjson.dumps(key) + b": " + orjson.dumps(records[key], option=orjson.OPT_SORT_KEYS) for key in keys
    )


def encode(data: dict) -> bytes:
    """Serialise with stable order and one record per line, so that git diffs are readable."""
    if isinstance(data, Tables):
        return b"".join(data.chunks())
    tables = Tables(Path(), data[META])
    for name, records in data.items():
        if name != META:
            tables[name] = records
    return b"".join(tables.chunks())


class Tables(dict):
    """The tables of one store, each parsed from its section of the file when first used.

    Sections are found in the file's bytes without parsing them: the first right after
    the meta line, the others searched from the end (the small tables come last), since a
    header line `"name": {` can only be a table's (records sit whole on one line).
    On writing, only changed tables are encoded; the bytes between them are copied as
    they were, so a command that changes one dispute does not re-encode 100,000 events.
    """

    def __init__(self, path: Path, meta: dict, payload: bytes = b"", meta_end: int = 0):
        super().__init__()
        self.path = path
        self.meta = meta
        self._meta_as_read = dict(meta)
        self._payload = payload
        self._meta_end = meta_end
        self._where: dict[str, tuple[int, int, int]] = {}  # name -> header start, body start, body end
        self._absent: set[str] = set()
        self.changed: set[str] = set()
        self._appended: dict[str, list[bytes]] = {}

    def _locate(self, name: str) -> tuple[int, int, int] | None:
        if name in self._where or name in self._absent or not self._payload:
            return self._where.get(name)
        payload, header = self._payload, b"\n" + orjson.dumps(name) + b": {\n"
        start = self._meta_end if payload.startswith(header, self._meta_end) else payload.rfind(header)
        body = start + len(header)
        end = body - 1 if payload.startswith(b"}", body) else payload.find(b"\n}", body)
        if start < 0 or end < 0 or payload[end + 2 : end + 3] not in (b",", b"\n"):
            self._absent.add(name)
            return None
        self._where[name] = (start, body, end)
        return self._where[name]

    def __missing__(self, name: str) -> dict:
        where = self._locate(name)
        if where is None:
            raise KeyError(name)
        _, body, end = where
        try:
            table = orjson.loads(b"{" + self._payload[body:end] + b"}") if end > body else {}
        except orjson.JSONDecodeError as error:
            raise StoreCorrupt(
                f"store {self.path}: table {name!r} is damaged ({error}): {doctor_hint(self.path)}"
            ) from None
        dict.__setitem__(self, name, table)
        return table

    def __setitem__(self, name: str, table: dict) -> None:
        super().__setitem__(name, table)
        self.changed.add(name)

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or self._locate(name) is not None

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def names(self) -> list[str]:
        """Every table, those still unparsed included (this scans the file once)."""
        found = (
            {orjson.loads(m.group(1)) for m in _HEADER.finditer(self._payload, self._meta_end)}
            if self._payload
            else set()
        )
        return sorted(found | set(self.keys()))

    def load_all(self) -> Tables:
        """Parse every table now (doctor looks at everything)."""
        for name in self.names():
            self.get(name)
        return self

    def rewrite_all(self) -> None:
        """Encode every table afresh on the next write (after changing records in place)."""
        self.load_all()
        self.changed.update(self.names())

    def mentioning(self, name: str, text: str) -> dict[str, dict]:
        """The records of a table whose line holds the JSON string `text` (e.g. a dispute id).

        On an unparsed table only those lines are parsed: the events of one dispute are
        found among 100,000 without building the other 99,970. Callers check the match.
        """
        if dict.__contains__(self, name) or name in self._appended:
            needle = text
            return {k: r for k, r in self[name].items() if needle in orjson.dumps(r).decode()}
        where = self._locate(name)
        if where is None:
            return {}
        payload, (_, body, end), found = self._payload, where, {}
        needle = orjson.dumps(text)
        hit = payload.find(needle, body, end)
        while hit != -1:
            start = payload.rfind(b"\n", body - 1, hit) + 1
            stop = payload.find(b"\n", hit, end)
            stop = end if stop == -1 else stop
            line = payload[start:stop].rstrip(b",")
            split = line.find(b'": ') + 1
            found[orjson.loads(line[:split])] = orjson.loads(line[split + 2 :])
            hit = payload.find(needle, stop, end)
        return found

    def scan(self, name: str, fields: tuple[str, ...]):
        """Each record of a table cut down to `fields`, parsed line by line and not kept.

        A report over 100,000 events needs five of their fourteen fields: this keeps the
        peak memory to the slim copies instead of every full record.
        """
        if dict.__contains__(self, name) or name in self._appended or self._locate(name) is None:
            for record in self.get(name, {}).values():
                yield {f: record.get(f) for f in fields}
            return
        payload, (_, body, end) = self._payload, self._where[name]
        loads, position = orjson.loads, body
        while position < end:
            stop = payload.find(b"\n", position, end)
            stop = end if stop == -1 else stop
            line = payload[position:stop]
            try:
                record = loads(line[line.find(b'": ') + 3 :].rstrip(b","))
            except orjson.JSONDecodeError as error:
                raise StoreCorrupt(
                    f"store {self.path}: table {name!r} is damaged ({error}): {doctor_hint(self.path)}"
                ) from None
            yield {f: record.get(f) for f in fields}
            position = stop + 1

    def append(self, name: str, key: str, record: dict) -> bool:
        """Add a record at the end of an unparsed table, if its key sorts last there."""
        where = None if dict.__contains__(self, name) else self._locate(name)
        if where is None:
            return False
        _, body, end = where
        extra = self._appended.setdefault(name, [])
        last_line = self._payload[self._payload.rfind(b'\n"', body - 1, end) + 1 : end] if end > body else b""
        last_key = (
            extra[-1][0] if extra else (orjson.loads(last_line[: last_line.find(b'": ') + 1]) if last_line else "")
        )
        if last_key >= key:
            return False
        extra.append((key, orjson.dumps(key) + b": " + orjson.dumps(record, option=orjson.OPT_SORT_KEYS)))
        return True

    def chunks(self) -> list[bytes | memoryview]:
        """The file's new contents, as pieces to write one after the other."""
        touched = self.changed | set(self._appended)
        spans = [self._locate(name) for name in sorted(touched)]
        if self.meta != self._meta_as_read or not self._payload or None in spans:
            return self._rebuilt()
        view, position, pieces = memoryview(self._payload), 0, []
        for name, (_start, body, end) in sorted(zip(sorted(touched), spans, strict=False), key=lambda item: item[1]):
            pieces.append(view[position:body])  # up to and with the header's "{\n"
            if name in self.changed:
                content = _encode_table(dict.__getitem__(self, name))
                pieces.append(content + b"\n" if content else b"")
            else:  # records appended after the ones already there, nothing re-encoded
                if end > body:
                    pieces += [view[body:end], b",\n"]
                pieces.append(b",\n".join(line for _, line in self._appended[name]) + b"\n")
            position = end + 1  # the table's closing "}"
        pieces.append(view[position:])
        return pieces

    def _rebuilt(self) -> list[bytes]:
        for name in self.names():
            self.get(name)
        for name, lines in self._appended.items():
            table = dict.__getitem__(self, name)
            for key, line in lines:
                table[key] = orjson.loads(line[line.find(b'": ') + 3 :])
        parts = [b'{\n"' + META.encode() + b'": ' + orjson.dumps(self.meta, option=orjson.OPT_SORT_KEYS)]
        for name in sorted(self.keys()):
            body = _encode_table(dict.__getitem__(self, name))
            parts.append(orjson.dumps(name) + b": {\n" + body + (b"\n}" if body else b"}"))
        return [b",\n".join(parts) + b"\n}\n"]
