"""The register's tables as TinyDB sees them (`reg.table(name)`): read through the store's
own checked reading, a batch (a segment) at a time, and never written: every change goes
through the operations, checked, recorded in history and undoable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NoReturn

from tinydb import TinyDB
from tinydb.queries import QueryLike
from tinydb.storages import Storage
from tinydb.table import Document, Table

from disputes.core.errors import ReadOnly
from disputes.core.jsontypes import JsonRecord
from disputes.core.vocabulary import TABLES
from disputes.store.database import Store


class _Tables(Mapping[str, JsonRecord]):
    """A store's tables by name, each read (and checked) when first asked for."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, name: str) -> JsonRecord:
        if name not in TABLES:
            raise KeyError(name)
        return self.store.records(name)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


class _StoreStorage(Storage):
    """TinyDB's view of one store file: read through the store's own checked reading; never written."""

    def __init__(self, store: Store) -> None:
        self.tables = _Tables(store)

    def read(self) -> _Tables:  # type: ignore[override]
        return self.tables

    def write(self, data: object) -> None:
        raise ReadOnly("the register's TinyDB tables are read-only: change records with the register's operations")


class RecordTable(Table):
    """A TinyDB table of the register: ids are strings, as the store keeps them; read-only."""

    document_id_class = str  # type: ignore[assignment]

    def _refuse(self, operation: str) -> NoReturn:
        raise ReadOnly(
            f"table {self.name!r} is read-only ({operation}): change records with the register's operations "
            "(reg.add, reg.edit, reg.status, reg.event, reg.link, reg.deadline, reg.assess, reg.import_file), "
            "so that each change is checked, recorded in history and undoable"
        )

    def __iter__(self) -> Iterator[Document]:
        """The records a batch at a time (of a register with segments, one segment at a time):
        iterating a million events never holds them all (TinyDB's own reads the whole table)."""
        for batch in self._batches():
            for key, record in batch.items():
                yield Document(record, key)  # type: ignore[arg-type]  # ids are text, as the store keeps them

    def __len__(self) -> int:
        return sum(map(len, self._batches()))

    def _batches(self) -> Iterator[JsonRecord]:
        storage = self._storage
        assert isinstance(storage, _StoreStorage), storage
        return storage.tables.store.batches(self.name)

    def search(self, cond: QueryLike) -> list[Document]:
        """The records that match a TinyDB query, found a batch at a time."""
        return [document for document in self if cond(document)]

    def insert(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("insert")

    def insert_multiple(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("insert_multiple")

    def update(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("update")

    def update_multiple(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("update_multiple")

    def upsert(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("upsert")

    def remove(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("remove")

    def truncate(self, *args: object, **kwargs: object) -> NoReturn:
        self._refuse("truncate")


class _Database(TinyDB):
    table_class = RecordTable


def table(store: Store, name: str) -> RecordTable:
    """A read-only TinyDB table of the store."""
    return _Database(store, storage=_StoreStorage).table(name)  # type: ignore[return-value]
