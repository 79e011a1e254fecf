"""A new record on one dispute by the store's author (a comment, a bottom line, a document):
its id, its author and its stamps given once, and stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from disputes.core import ids
from disputes.core.dates import now
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.store.author import author_of
from disputes.store.database import Store


class _Record(Protocol):
    @property
    def id(self) -> str: ...

    def to_dict(self) -> JsonRecord: ...


_Made = TypeVar("_Made", bound=_Record)


def put_on(store: Store, table: str, make: Callable[..., _Made], dispute: str, fields: dict[str, JsonValue]) -> _Made:
    """A record of `table` made by `make` on `dispute` from its checked `fields`, by the
    store's author, created and updated now; stored under a new id."""
    stamp = now()
    made = make(
        id=ids.new_id(store.ids(table)),
        dispute=dispute,
        author=author_of(store.path),
        created=stamp,
        updated=stamp,
        **fields,
    )
    store.put(table, made.id, made.to_dict())
    return made
