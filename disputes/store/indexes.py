"""A table's index (fileformat.py describes it): written anew from the table, read as
records, and checked against the table's records (doctor's question). tables.py keeps it
in step with the table as records change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from disputes.core import registry
from disputes.core.errors import StoreCorrupt
from disputes.store.fileformat import record_lines, section_text


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
    """Whether a table's index says what its records say, in constant memory: the index's
    lines are read alongside the records, in the order both are written (by key), and
    each line is compared with what the record's line would be."""

    def __init__(self, name: str, batches: Callable[[str], Iterator[dict]]):
        self.kind = registry.of(name)
        self._lines = (item for batch in batches(registry.INDEXED[name]) for item in batch.items())
        self._matching = True

    def add(self, key: str, record) -> None:
        """The next record of the table, in its order."""
        if self._matching:
            found = self._next()
            expected = self.kind.indexed(record) if isinstance(record, dict) else None
            self._matching = found is not None and found[0] == key and found[1] == expected

    def matches(self) -> bool:
        """Whether every record had its line, and the index has no line more."""
        return self._matching and self._next() is None

    def _next(self) -> tuple[str, dict] | None:
        try:
            return next(self._lines, None)
        except StoreCorrupt:  # lines that do not read: derived data, written anew by doctor --fix
            self._matching = False
            return None
