"""The store file's format: git-friendly JSON, one record per line, read table by table.

What the file holds (the schema is `migrations.SCHEMA`), byte for byte as `encode` writes it:

    {
    "_meta": {"format": "disputes", "schema": N, "sections": {"disputes": [LENGTH, CRC32], ...}},
    "disputes": {
    "<key>": {<record, keys sorted>},
    "<key>": {<record>}
    },
    "events": {}
    }

A table may have an index (registry.INDEXED: "events.index" for the events, "disputes.index"
for the disputes): a section beside it holding a few fields of each record, one short line
each, that whole-store reads and listings parse instead of the records. It is derived data;
the meta line's "derived" names, for each index, the CRC-32 of the table section it was
written from, and an index whose table no longer has that checksum (a merge, a hand edit)
is not read, and is written anew by the next write.

The meta record sits alone on the second line. Each table follows as one *section*, from
its name's opening quote to its closing brace; tables come in name order, joined by
`,\\n`; each record is one line (orjson escapes every newline inside a string, so a line
is always a whole record). The meta line lists every section with its length in bytes
and its CRC-32.

What is verified, and when the fast path applies: a file whose sections lie exactly
where the meta line says, end to end, is read lazily, one table when a command first
needs it, and a section is used (parsed, scanned line by line, or copied unparsed into
the next version) only after its CRC-32 matched. Anything else -- a hand edit, another
tool's layout, an older schema, a section whose checksum does not match -- is parsed
whole, as JSON, and its records are validated by the models' rules; a file that does not
parse is refused, naming the damaged table. So a write never carries bytes forward that
it has not verified, and a record no command would have written is refused by its id
and field instead of being read wrongly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import orjson

from disputes.core.errors import NotAStore, StoreCorrupt
from disputes.core.jsonkeys import repeated_key
from disputes.core.patterns import Pattern
from disputes.store.files import Payload, crc32_for, crc32_with, open_store_file
from disputes.store.paths import StoreFiles, named_by

FORMAT = "disputes"
META = "_meta"
FIRST_LINE = b'{\n"' + META.encode() + b'": '
LAST_LINE = b"\n}\n"
# a record line: its key (any JSON string, escapes included), then ": " and the record
KEY_PATTERN = Pattern(rb'"(?:[^"\\\n]|\\.)*": ')
HEADER_PATTERN = Pattern(rb'\n("(?:[^"\\\n]|\\.)*"): \{[\n}]')  # a table's first line, not a record's


def doctor_hint(path: Path) -> str:
    return f"run `disputes --db {path} doctor` to check it or restore the backup"


def is_blank(payload: Payload) -> bool:
    """Whether a file's contents (bytes, or a mapped file) hold nothing but white space."""
    return re.fullmatch(rb"\s*", payload) is not None


def has_conflict_markers(payload: Payload) -> bool:
    """Whether git left conflict markers in the file (no record line starts with `<` or `>`)."""
    return any(payload.startswith(m) or payload.find(b"\n" + m) != -1 for m in (b"<<<<<<< ", b">>>>>>> "))


def sections_of(payload: Payload) -> tuple[dict[str, Any], dict[str, tuple[int, int, int]]] | None:
    """The meta record and where each section lies, if the file is laid out as the meta says."""
    if not payload.startswith(FIRST_LINE) or not payload.endswith(LAST_LINE):
        return None
    line_end = payload.find(b"\n", len(FIRST_LINE))
    try:
        meta = orjson.loads(payload[len(FIRST_LINE) : line_end].removesuffix(b","))
    except orjson.JSONDecodeError:
        return None
    sections = meta.get("sections") if isinstance(meta, dict) else None
    if not isinstance(sections, dict):
        return None
    position, spans = line_end - 1 if payload[line_end - 1 : line_end] == b"," else line_end, {}
    for name in sorted(sections):
        length, crc = sections[name] if isinstance(sections[name], list) and len(sections[name]) == 2 else (-1, 0)
        start = position + 2
        if payload[position:start] != b",\n" or not isinstance(length, int) or length < 4:
            return None
        if not payload.startswith(orjson.dumps(name) + b": {", start):
            return None
        spans[name] = (start, start + length, crc)
        position = start + length
    if position != len(payload) - len(LAST_LINE):
        return None
    return meta, spans


def check_meta(meta: object, path: Path, expected: str = FORMAT) -> None:
    if not isinstance(meta, dict) or meta.get("format") != expected:
        raise NotAStore(f"{path} is not a disputes store (foreign JSON): choose another file {named_by(path)}")


def refuse_foreign(payload: Payload, path: Path) -> None:
    """A file that does not parse, refused as another tool's file, not as a damaged store, when
    it plainly is one: a store is a JSON object, and one written twice has a backup beside it.
    A CSV given to --db was called damaged, and doctor offered a backup it never had."""
    head = payload[:64].lstrip().removeprefix(b"\xef\xbb\xbf")  # an editor's byte-order mark
    if head[:1] in (b"{", b"") or StoreFiles(path).backup.exists():
        return
    begins = head.decode("utf-8", "replace")[:1]
    raise NotAStore(
        f"{path} is not a disputes store (a store is a JSON object; this file starts with {begins!r}): "
        f"choose another file {named_by(path)}, or bring its records into a store with `disputes import {path}`"
    )


def refuse_foreign_file(path: Path) -> None:
    """`refuse_foreign` on a file's first bytes, before a writer's lock files are made
    beside it: `--db wto.csv add ...` left wto.csv.lock and its holder next to the list.
    Any file it refuses would be refused once read, as it cannot parse as a store."""
    try:
        with open_store_file(path) as handle:
            head = handle.read(64)
    except OSError:  # no file yet, no permission: said where the store is read
        return
    refuse_foreign(head, path)


def table_at(payload: Payload, position: int) -> str | None:
    """The table whose section holds a byte position, when the file's layout tells."""
    name = None
    for match in HEADER_PATTERN.finditer(payload, 0, position):
        try:
            name = orjson.loads(match.group(1))
        except orjson.JSONDecodeError:
            continue
    return name


def split_line(line: bytes) -> tuple[str, dict[str, Any]]:
    """A record line's key and record."""
    end = key_end(line)
    return orjson.loads(line[: end - 2]), orjson.loads(line[end:].rstrip(b","))


def key_end(line: bytes | memoryview) -> int:
    """Where a record line's `"key": ` ends (the record starts); a line without one is damage."""
    match = KEY_PATTERN.match(line)
    if match is None:
        raise StoreCorrupt("a record line does not start with its key")
    return match.end()


def record_line(key: str, record: dict[str, Any]) -> bytes:
    return orjson.dumps(key) + b": " + orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def record_lines(records: dict[str, Any]) -> bytes:
    return b",\n".join(
        orjson.dumps(key) + b": " + orjson.dumps(records[key], option=orjson.OPT_SORT_KEYS) for key in sorted(records)
    )


def section_text(name: str, body: bytes) -> bytes:
    header = orjson.dumps(name) + b": {"
    return header + (b"\n" + body + b"\n}" if body else b"}")


def assemble(
    meta: dict[str, Any],
    sections: dict[str, list[Any]],
    derived: dict[str, str] | None = None,
    known: dict[str, Any] | None = None,
) -> list[Any]:
    """A store file as pieces to write: the meta line listing each section's length and
    CRC-32, then the sections (each a list of bytes pieces) in name order. `derived` names
    the table each index section was written from: the meta line keeps that table's CRC-32
    under the index's name, so a reader can tell whether the index still matches it.
    `known` gives the [length, CRC-32] of sections copied as they were verified."""
    layout = {}
    for name, pieces in sections.items():
        if known and name in known:
            layout[name] = list(known[name])
            continue
        size, crc = sum(len(piece) for piece in pieces), 0
        crc32 = crc32_for(size)
        for piece in pieces:
            crc = crc32_with(piece, crc, crc32)
        layout[name] = [size, crc]
    tied = {index: layout[table][1] for index, table in (derived or {}).items() if index in layout and table in layout}
    meta = {**meta, "sections": layout, **({"derived": tied} if tied else {})}
    out: list[Any] = [FIRST_LINE + orjson.dumps(meta, option=orjson.OPT_SORT_KEYS)]
    for name in sorted(sections):
        out += [b",\n", *sections[name]]
    out.append(LAST_LINE)
    return out


def refuse_repeated_keys(payload: Payload, path: Path) -> None:
    """A key given twice in one table (a hand merge) is refused: a JSON parser would keep the
    last silently, and the first record would be lost (the rule is jsonkeys')."""
    repeated = repeated_key(cast(bytes, payload))  # a mapped file answers the same questions as its bytes
    if repeated is not None:
        raise StoreCorrupt(
            f"store {path}: the key {repeated.key!r} is given twice in {repeated.where('one table')} "
            f"(a merge by hand?); keep one of the two in an editor, then run `disputes --db {path} doctor`"
        )
