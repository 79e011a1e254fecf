"""The record types of a store, each described once: its table, what one record is called,
how a stored record is checked, which of its fields name disputes, what deleting a dispute
does to it, which of its list fields merge as sets, and (for records that hang on one
dispute) how `import` builds it from a file.

The store's validation on read, doctor, history (which changes touched a dispute), import
(renaming the disputes a record names), delete and both merges read this table instead of
knowing each record type themselves: a new record type is described here and in its own
modules.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping

from disputes.core.frozen import Frozen
from disputes.core.vocabulary import NOUNS, TABLES


class RecordType(Frozen):
    table: str
    # what is wrong with a stored record, by the rules typed input follows (None: not checked);
    # `problems_in` finds the same for a whole batch (by key), faster where it is given
    problems: Callable[[str, object], list[str]] | None = None
    # the fields that name disputes: a list of ids (events' `disputes`) or one id each
    refers: tuple[str, ...] = ()
    # what deleting a dispute does to a record that names it: "cascade" (it goes too),
    # "unlink" (the id is dropped; a record left naming none goes only when asked), "" (none)
    on_delete: str = ""
    set_fields: tuple[str, ...] = ()  # list fields a merge combines as sets
    # a record that hangs on one dispute, as `import` reads it from a file: the class it is
    # built as, how its fields are cleaned, the fields taken from the file, those it must give
    kind: type | None = None
    clean: Callable[[dict], dict] | None = None
    imported: tuple[str, ...] = ()
    needed: tuple[str, ...] = ()
    # the fields kept in the table's index: a section of the store file beside the table, one
    # short line per record, that whole-store reads (report, agenda, chart, timeline, the
    # event list, the listing of disputes) parse instead of the records. Derived data:
    # written anew whenever it is not known to match the table
    index: tuple[str, ...] = ()
    problems_in: Callable[[dict], dict[str, list[str]]] | None = None
    # what a record holds, for a frame of no records (the library's columns and types): the
    # frozen class it is read as, else the names of its fields
    shape: type | None = None
    fields: tuple[str, ...] = ()

    def problems_of(self, batch: dict) -> dict[str, list[str]]:
        """What is wrong with each record of a batch that has something wrong, by key."""
        if self.problems_in is not None:
            return self.problems_in(batch)
        found = {key: self.problems(key, record) for key, record in batch.items()} if self.problems else {}
        return {key: problems for key, problems in found.items() if problems}

    def indexed(self, record: dict) -> dict:
        """A record's line in the index: its indexed fields (an object, as orjson builds it
        fastest for the reader)."""
        return {field: record.get(field) for field in self.index}

    @property
    def noun(self) -> str:
        return NOUNS.get(self.table, (self.table, self.table))[0]

    def names(self, record) -> Iterator[str]:
        """The ids of the disputes a record names."""
        if not isinstance(record, dict):
            return
        for field in self.refers:
            value = record.get(field)
            if isinstance(value, list | tuple):
                yield from (item for item in value if isinstance(item, str))
            elif isinstance(value, str):
                yield value

    def renamed(self, record, new_ids: Mapping[str, str]):
        """A record with the disputes it names renamed (`new_ids`: old id -> new id)."""
        if not isinstance(record, dict) or not self.refers:
            return record
        changed = dict(record)
        for field in self.refers:
            value = record.get(field)
            if isinstance(value, list):
                changed[field] = [new_ids.get(item, item) for item in value]
            elif isinstance(value, str):
                changed[field] = new_ids.get(value, value)
        return changed


# Each table's description, built when first asked for: a command loads the rules of the
# record types it touches, not of all ten (`add` needs the disputes' and the history's; the
# other modules were 7.6 M instructions of its start-up, callgrind).


def _disputes() -> RecordType:
    from disputes.core import model

    return RecordType(
        model.TABLE,
        model.record_problems,
        refers=("id",),
        set_fields=model.LIST_FIELDS,
        index=model.SUMMARY,
        problems_in=model.problems_in,
        shape=model.Dispute,
    )


def _events() -> RecordType:
    from disputes.core import event

    return RecordType(
        event.TABLE,
        event.record_problems,
        refers=("disputes",),
        on_delete="unlink",
        set_fields=event.LIST_FIELDS,
        index=event.SUMMARY,
        problems_in=event.problems_in,
        shape=event.Event,
    )


def _relations() -> RecordType:
    from disputes.core import relation

    return RecordType(
        relation.TABLE,
        relation.record_problems,
        refers=("from", "to"),
        on_delete="cascade",
        fields=("from", "type", "to"),
    )


def _deadlines() -> RecordType:
    from disputes.core import deadline

    return RecordType(
        deadline.TABLE,
        deadline.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        set_fields=("sources",),
        kind=deadline.Deadline,
        clean=deadline.clean_fields,
        imported=("date", "title", "sources", "done", "rule"),
        needed=("date", "title"),
        shape=deadline.Deadline,
    )


def _watches() -> RecordType:
    from disputes.core import watch

    return RecordType(
        watch.TABLE,
        watch.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        set_fields=("actors", "codes"),
        kind=watch.Watch,
        clean=watch.clean_fields,
        imported=("actors", "codes", "min_mentions"),
        needed=("actors",),
        shape=watch.Watch,
    )


def _assessments() -> RecordType:
    from disputes.core import assessment

    return RecordType(
        assessment.TABLE,
        assessment.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        kind=assessment.Assessment,
        clean=assessment.clean_fields,
        imported=("date", "text", "confidence", "author"),
        needed=("date", "text"),
        shape=assessment.Assessment,
    )


def _actors() -> RecordType:
    from disputes.core import actors

    return RecordType(actors.TABLE, actors.record_problems, set_fields=("aliases",), shape=actors.Actor)


def _views() -> RecordType:
    from disputes.core import view

    return RecordType(view.TABLE, view.record_problems, fields=("name", "filters", "created", "updated"))


_DESCRIBED: dict[str, Callable[[], RecordType]] = {
    "disputes": _disputes,
    "events": _events,
    "relations": _relations,
    "deadlines": _deadlines,
    "watches": _watches,
    "assessments": _assessments,
    "actors": _actors,
    "views": _views,
    "fetched": lambda: RecordType("fetched", fields=("name", "stamp", "size", "md5", "fetched", "rows", "added")),
    "history": lambda: RecordType(
        "history", fields=("id", "at", "date", "action", "summary", "note", "author", "changes", "added")
    ),
}
assert tuple(_DESCRIBED) == TABLES, "the registry describes every table of vocabulary.TABLES, in its order"

# What the descriptions say, for those who need it without loading every rule; a test
# (test_layout) holds each to what types() says.
# the tables whose records hang on disputes (every table but the disputes' own and the bookkeeping)
REFERRING = ("events", "relations", "deadlines", "watches", "assessments")
# the tables that have an index, and the name of each index's section
INDEXED = {"disputes": "disputes.index", "events": "events.index"}
INDEX_SECTIONS = frozenset(INDEXED.values())  # sections of the file that are not tables
# the tables of records that hang on one dispute and are imported field by field (deadlines, ...)
ATTACHED = ("deadlines", "watches", "assessments")


def types() -> dict[str, RecordType]:
    """Every table's description, in the order of vocabulary.TABLES."""
    return {name: of(name) for name in TABLES}


@functools.cache
def of(table: str) -> RecordType:
    """A table's description (a table this version does not know is described as plain records)."""
    described = _DESCRIBED.get(table)
    return described() if described is not None else RecordType(table)
