"""What the registry (core.registry) says of each record type: its table, how a stored record
is checked, which fields name disputes, what deleting a dispute does to it, which list fields
merge as sets, how it is imported and shown. One RecordType a table; core.registry holds them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.kinds import NOUNS


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
    # fields a merge takes from the more recently updated side without a decision: bookkeeping
    # no one typed (a dispute's `imported`, the base of its next re-import)
    newer_wins: tuple[str, ...] = ()
    # fields that hold one fact together (a forecast's outcome and the day it came out): a
    # merge decides them as one, and `conflicts restore` takes them back together
    together: tuple[tuple[str, ...], ...] = ()
    # a record that hangs on one dispute, as `import` reads it from a file: the class it is
    # built as, how its fields are cleaned, the fields taken from the file, those it must give
    kind: type | None = None
    clean: Callable[[JsonRecord], JsonRecord] | None = None
    imported: tuple[str, ...] = ()
    needed: tuple[str, ...] = ()
    # the fields kept in the table's index: a section of the store file beside the table, one
    # short line per record, that whole-store reads (report, agenda, chart, timeline, the
    # event list, the listing of disputes) parse instead of the records. Derived data:
    # written anew whenever it is not known to match the table
    index: tuple[str, ...] = ()
    problems_in: Callable[[JsonRecord], dict[str, list[str]]] | None = None
    # (field, table): the field names a record of that table, which it cannot outlive (a
    # forecast's revisions name their forecast); import renames it as it renames that table's ids
    parent: tuple[str, str] | None = None
    # the fields this version knows (empty: not checked): a record with another field was
    # written by a newer version, and a change through this one would drop it silently
    fields: tuple[str, ...] = ()
    # what `doctor --fix` does with a record its rules refuse: "remove" it (the store as it
    # was is kept aside, and doctor says so), or "" (the analyst's to mend, or a restore)
    on_invalid: str = ""
    # what a record holds, for a frame of no records (the library's columns and types): the
    # frozen class it is read as, else `fields`, else these names (of a table whose records
    # may hold more, such as history entries)
    shape: type | None = None
    columns: tuple[str, ...] = ()
    # a record may name no dispute at all (a view's members: its filters may choose them)
    names_optional: bool = False
    # how its fields are cleaned as typed input (else `clean`), and which (else `imported`):
    # a stored value cleaning would change was not written by the program (core.storedform)
    stored_by: Callable[[JsonRecord], JsonRecord] | None = None
    stored_fields: tuple[str, ...] = ()

    def problems_of(self, batch: JsonRecord) -> dict[str, list[str]]:
        """What is wrong with each record of a batch that has something wrong, by key: the
        store refuses a file read whole for any of them, and doctor reports them all."""
        if self.problems_in is not None:
            found = self.problems_in(batch)
        elif self.problems:
            found = {key: self.problems(key, record) for key, record in batch.items()}
            found = {key: problems for key, problems in found.items() if problems}
        else:
            found = {}
        for key, unknown in self.unknown_fields(batch).items():
            found.setdefault(key, []).append(self.newer(key, unknown[0]))
        return found

    def off_form(self, batch: JsonRecord) -> JsonRecord:  # {key: [core.storedform.OffForm]}
        """Of each record of a batch, the fields not in the form the program writes them
        (core.storedform.OffForm each): doctor names them, the store still reads them."""
        from disputes.core import storedform

        single = () if self.on_delete == "unlink" else tuple(name for name in self.refers if name != "id")
        clean = self.stored_by or self.clean
        fields = (self.stored_fields or self.imported) if clean is not None else ()
        return storedform.off_form(batch, clean or dict, fields, single)

    def unknown_fields(self, batch: JsonRecord) -> dict[str, list[str]]:
        """The fields this version does not know, of each record of a batch that has any."""
        if not self.fields or not batch:
            return {}
        known = set(self.fields)
        records = [record for record in batch.values() if isinstance(record, dict)]
        if not set().union(*records) - known:  # nearly always: one pass over the keys, in C
            return {}
        found = {key: sorted(set(record) - known) for key, record in batch.items() if isinstance(record, dict)}
        return {key: unknown for key, unknown in found.items() if unknown}

    def newer(self, key: str, field: str) -> str:
        """What is said of a record holding a field this version does not know."""
        return (
            f"{self.noun} {key} has the field {field!r}, which this version of disputes does not know "
            "(a newer version wrote it): upgrade disputes"
        )

    def indexed(self, record: JsonRecord) -> JsonRecord:
        """A record's line in the index: its indexed fields (an object, as orjson builds it
        fastest for the reader)."""
        return {field: record.get(field) for field in self.index}

    @property
    def noun(self) -> str:
        return NOUNS.get(self.table, (self.table, self.table))[0]

    def names(self, record: object) -> Iterator[str]:
        """The ids of the disputes a record names."""
        if not isinstance(record, dict):
            return
        for field in self.refers:
            value = record.get(field)
            if isinstance(value, list | tuple):
                yield from (item for item in value if isinstance(item, str))
            elif isinstance(value, str):
                yield value

    def renamed(self, record: JsonValue, new_ids: Mapping[str, str], *, drop: bool = False) -> JsonValue:
        """A record with the disputes it names renamed (`new_ids`: old id -> new id); `drop`:
        the ids `new_ids` names are taken out of its lists instead."""
        if not isinstance(record, dict) or not self.refers:
            return record
        changed = dict(record)
        for field in self.refers:
            value = record.get(field)
            if isinstance(value, list):
                changed[field] = [i for i in value if i not in new_ids] if drop else [new_ids.get(i, i) for i in value]
            elif isinstance(value, str):
                changed[field] = new_ids.get(value, value)
        return changed
