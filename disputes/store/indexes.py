"""A table's index (fileformat.py describes it): written anew from the table, read as
records, and checked against the table's records (doctor's question). tables.py keeps it
in step with the table as records change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import orjson

from disputes.core import registry
from disputes.core.errors import StoreCorrupt
from disputes.store.fileformat import record_line, record_lines, section_text


def fresh(meta: dict, spans: dict[str, tuple[int, int, int]]) -> dict[str, str]:
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


def section(name: str, batches: Iterable[dict]) -> bytes:
    """The index section of a table, written anew from its records (a batch at a time)."""
    kind = registry.of(name)
    rows = {key: kind.indexed(record) for batch in batches for key, record in batch.items()}
    return section_text(registry.INDEXED[name], record_lines(rows))


def rows(batches: Iterable[dict], *, copied: bool) -> Iterator[dict]:
    """The index's lines as records with their id (each line holds the indexed fields);
    `copied` when the lines are kept for writing, so that no reader changes them."""
    for batch in batches:
        for key, row in batch.items():
            row = dict(row) if copied else row
            row["id"] = key
            yield row


class IndexCheck:
    """Whether a table's index says what its records say, in constant memory and in any order:
    each record's index line and each line of the index are hashed, and the sums compared."""

    def __init__(self, name: str, batches: Callable[[str], Iterator[dict]]):
        import hashlib  # doctor's question only: OpenSSL's start-up is 3 ms of every command's

        self.name, self.kind, self.batches = name, registry.of(name), batches
        self.expected = 0
        self._digest = hashlib.blake2b

    def add(self, key: str, record) -> None:
        self.expected += self._hash(key, self.kind.indexed(record) if isinstance(record, dict) else None)

    def matches(self) -> bool:
        index = registry.INDEXED[self.name]
        try:
            found = sum(self._hash(key, row) for batch in self.batches(index) for key, row in batch.items())
        except StoreCorrupt:  # lines that do not read: derived data, written anew by doctor --fix
            return False
        return found % _MODULUS == self.expected % _MODULUS

    def _hash(self, key: str, row) -> int:
        line = record_line(key, row) if isinstance(row, dict) else orjson.dumps([key, row])
        return int.from_bytes(self._digest(line, digest_size=16).digest(), "big")


_MODULUS = 1 << 128
