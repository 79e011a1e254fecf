"""A table's index (fileformat.py describes it): written anew from the table, read as
records, and checked against the table's records (doctor's question). tables.py keeps it
in step with the table as records change."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from disputes.core import registry
from disputes.core.fields import column
from disputes.store.fileformat import record_lines, section_text
from disputes.store.sections import Body


def fresh(meta: dict[str, Any], spans: dict[str, tuple[int, int, int]]) -> dict[str, str]:
    """The indexes a file's meta line ties to the checksum its table's section has (table ->
    index section): those written from the table as the file holds it."""
    derived = meta.get("derived")
    if not isinstance(derived, dict):
        return {}
    return {
        name: index
        for name, index in registry.INDEXED.items()
        if name in spans and index in spans and derived.get(index) == spans[name][2]
    }


def section(name: str, batches: Iterable[dict[str, Any]]) -> bytes:
    """The index section of a table, written anew from its records (a batch at a time)."""
    kind = registry.of(name)
    rows = {key: kind.indexed(record) for batch in batches for key, record in batch.items()}
    return section_text(registry.INDEXED[name], record_lines(rows))


def rows(batches: Iterable[dict[str, Any]], *, copied: bool) -> Iterator[dict[str, Any]]:
    """The index's lines as records with their id (each line holds the indexed fields);
    `copied` when the lines are kept for writing, so that no reader changes them."""
    for batch in batches:
        for key, row in batch.items():
            row = dict(row) if copied else row
            row["id"] = key
            yield row


# the characters that are not ASCII but case-fold to it ("ß" to "ss", the Kelvin sign to "k")
_FOLDED_TO_ASCII = tuple(character.encode() for character in "ßſẞ\u212aﬀﬁﬂﬃﬄﬅﬆ")
_ASCII = bytes(range(128))


def may_hold(lines: Body, field: str, value: str) -> bool:
    """Whether a line of an index may give `field` a value that case-folds to `value` (case-
    folded): False only when the lines, their ASCII letters lowered as bytes, hold no such
    pair. Text of no character that folds to ASCII otherwise equals ASCII text case-folded
    exactly when its ASCII letters lowered do (a lookup of one reference among 10,000 in a
    few milliseconds, instead of parsing them)."""
    text = lines.payload[lines.start : lines.end]
    beyond_ascii = text.translate(None, _ASCII)  # a few kB: each search below looks at it alone
    if not value.isascii() or any(character in beyond_ascii for character in _FOLDED_TO_ASCII):
        return True
    return orjson.dumps({field: value})[1:-1].lower() in text.lower()


class IndexCheck:
    """Whether a table's index says what its records say, in constant memory: the records
    come a batch at a time, in the order both sections are written (by key), and each batch
    is compared with the index's lines up to the line of its last key, parsed in one go (a
    record at a time, three Python calls each, it took a sixth longer)."""

    def __init__(self, name: str, lines: Body):
        self.kind, self._lines = registry.of(name), lines
        self._at, self._matching = lines.start, True

    def add(self, batch: dict[str, Any]) -> None:
        """The next records of the table, in its order."""
        if not self._matching or not batch:
            return
        payload, end = self._lines.payload, self._lines.end
        last = payload.find(b"\n" + orjson.dumps(next(reversed(batch))) + b": ", self._at - 1, end)
        stop = -1 if last == -1 else payload.find(b"\n", last + 1, end)
        stop = end if stop == -1 else stop - 1  # the line before a newline ends with a comma
        text = b"{" + payload[self._at : stop] + b"}"
        try:
            found = orjson.loads(text) if last != -1 else None
        except orjson.JSONDecodeError:  # lines that do not read: derived data, written anew by doctor --fix
            found = None
        self._matching = (
            isinstance(found, dict)
            and list(found) == list(batch)
            and text.count(b"\n") == len(batch) - 1  # no line given twice
            and self._same(list(found.values()), list(batch.values()))
        )
        self._at = stop + 2

    def _same(self, rows: list[Any], records: list[Any]) -> bool:
        """Whether each row is the record's `kind.indexed`, compared a field at a time in C
        (a dict built for each of 110,000 records was a quarter of doctor's time)."""
        if set(map(type, rows)) - {dict} or set(map(type, records)) - {dict}:
            return False
        fields = self.kind.index
        if set(map(len, rows)) - {len(fields)}:
            return False
        return all(  # a row missing a field of its length has another: its column comes up short
            column(rows, name) == list(map(dict.get, records, itertools.repeat(name))) for name in fields
        )

    def matches(self) -> bool:
        """Whether every record had its line, and the index has no line more."""
        return self._matching and self._at >= self._lines.end
