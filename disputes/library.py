"""The register from Python: `disputes.open()` gives it to a notebook as it gives it to the CLI.

Reads go through TinyDB: `reg.table("disputes")` is a TinyDB table (string ids) over the
store, read through the project's checksummed storage, to query with `tinydb.Query`. It is
read-only: every change goes through the same operations as the CLI (`reg.add`,
`reg.status`, `reg.event`, ...), each one checked, one history entry under the store's lock,
and undoable with `disputes undo`. `reg.frame(name, **filters)` gives a pandas DataFrame
(the optional `pandas` extra).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from disputes.core.errors import InvalidValue
from disputes.core.vocabulary import TABLES
from disputes.ops import record_tables
from disputes.ops.record_tables import RecordTable
from disputes.store.database import Store, default_path, open_store

if TYPE_CHECKING:  # the result classes are for readers and mypy: the library loads them with an import
    from disputes.core.imported import CsvImport, EventDataImport, StoreImport

__all__ = ["Register"]


_DATES = ("date", "opened", "done", "last_review")  # whole dates among them become Timestamps
_SHORT = 24  # text this short is shared between the records that hold it (ids, kinds, codes, names)


def _known_table(name: str) -> None:
    if name not in TABLES:
        raise InvalidValue(f"no table {name!r}: choose one of {', '.join(TABLES)}")


def _empty_frame(pandas, name: str):
    """A frame of no records of a table, with its columns typed as its records' are."""
    from disputes.core import frozen, registry

    kind = registry.of(name)
    typed = kind.shape.__annotations__ if kind.shape is not None else {}
    fields = list(frozen.defaults(kind.shape)) if kind.shape is not None else list(kind.fields or kind.columns)
    return pandas.DataFrame({field: pandas.Series([], dtype=_dtype(field, typed.get(field, ""))) for field in fields})


def _dtype(field: str, annotation: str) -> object:
    if field in _DATES:
        return "datetime64[ns]"
    return {"str": str, "bool": "bool", "int": "int64", "float | None": "float64"}.get(annotation, object)


class Register:
    """One store, as the CLI sees it (`path`: else $DISPUTES_DB, else the user's data folder).

    Each read sees the file as it is now; each change opens it under the lock, as one CLI
    command does."""

    def __init__(self, path: str | os.PathLike | None = None, *, lock_timeout: float = 10.0):
        self.path = Path(os.path.realpath(Path(path).expanduser() if path else default_path()))
        self.lock_timeout = lock_timeout
        if self.path.exists():
            Store.load(self.path)  # a file that is not a store is refused now, with the CLI's error

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __repr__(self) -> str:
        return f"<disputes register {str(self.path)!r}>"

    # reading

    def table(self, name: str) -> RecordTable:
        """A read-only TinyDB table of the store (one of registry.TABLES), e.g. "events"."""
        _known_table(name)
        return record_tables.table(Store.load(self.path), name)

    def frame(self, name: str = "disputes", **filters):
        """A pandas DataFrame of a table's records, of the disputes the filters choose (the
        CLI's: party=, tag=, status=, view=, ...; a value or a list of values). Whole dates
        are dates; partial ones (2016, 2016-06) stay text; lists stay lists."""
        try:
            import pandas
        except ImportError:
            raise InvalidValue("frames need pandas, the optional extra: pip install 'disputes[pandas]'") from None
        columns: dict[str, list] = {}
        records = self._chosen(name, filters)  # checked now: a bad filter is refused even when nothing matches
        for count, record in enumerate(records):  # a batch at a time: never held twice
            for field in record.keys() - columns.keys():
                columns[field] = [None] * count
            for field, values in columns.items():
                value = record.get(field)
                if field in _DATES and isinstance(value, str) and len(value) == 10:
                    value = pandas.Timestamp(value)
                elif isinstance(value, str) and len(value) <= _SHORT:
                    value = sys.intern(value)  # kinds, effects, codes: 100,000 copies of a few words
                elif isinstance(value, list) and value and isinstance(value[0], str):
                    value = [sys.intern(v) if isinstance(v, str) and len(v) <= _SHORT else v for v in value]
                values.append(value)
        empty = _empty_frame(pandas, name)
        if not columns:  # the table's columns and their types, as a frame of its records has them
            return empty
        known = [field for field in empty.columns if field in columns]
        return pandas.DataFrame(columns, columns=[*known, *sorted(columns.keys() - set(known))])

    def _chosen(self, name: str, filters: dict) -> Iterator[dict]:
        """The records of a table that belong to the disputes the filters choose (checked
        when called, as the CLI checks them), given a batch at a time. The view `view use`
        put in force in the terminal is never applied: only a view named (view=)."""
        from disputes.core import registry
        from disputes.ops import selection

        _known_table(name)
        store = Store.load(self.path)
        chosen = None
        if filters:  # the CLI's filters, checked as the CLI checks them (an unknown one is refused)
            chosen = selection.dispute_ids(store, selection.choose(store, self._wanted(filters)))
        kind = registry.of(name)
        return (
            record
            for batch in store.batches(name)
            for record in batch.values()
            if chosen is None or not kind.refers or any(key in chosen for key in kind.names(record))
        )

    # the views, read from the content every format of the CLI lays out (ops/showing.py)

    def show(self, dispute: str, *, as_of: str | None = None) -> dict:
        """`show --json`: a dispute and what hangs on it, its bottom line the one in force on `as_of`."""
        from disputes.ops import showing

        return showing.dispute_shown(Store.load(self.path), dispute, as_of=as_of).to_json()

    def agenda(self, *, as_of: str | None = None, within: int = 14, stale_after: int = 90, **filters) -> list[dict]:
        """`agenda --json`: what is due as of a day, of the disputes the filters choose."""
        from disputes.ops import selection, showing

        store = Store.load(self.path)
        chosen = selection.choose(store, self._wanted(filters))
        return showing.agenda_shown(store, chosen, as_of=as_of, within=within, stale_after=stale_after).to_json()

    def timeline(self, *, since: str = "", until: str = "", **filters) -> Iterator[dict]:
        """The events of `timeline` and `event list`, in date order, a record at a time: each
        with `dispute_names`, its disputes as every listing names them (by ref, else short id)."""
        from disputes.ops import events, selection, showing

        store = Store.load(self.path)
        chosen = selection.choose(store, self._wanted(filters))
        listed = showing.events_listed(store, chosen, fields=events.LISTED, since=since, until=until)
        return ({**row, "dispute_names": listed.named(row)} for row in listed.rows)

    @staticmethod
    def _wanted(filters: dict):
        """The CLI's filters (party=, tag=, view=, ...); the view in use in the terminal is never applied."""
        from disputes.ops import selection

        view = filters.pop("view", None) or ""
        if not isinstance(view, str):
            raise InvalidValue(f"view= takes the name of a saved view, not {view!r}")
        return selection.Wanted(filters, view=view, everything=not view)

    # changing: the CLI's operations, one history entry each

    @contextmanager
    def _changing(self) -> Iterator[Store]:
        with open_store(self.path, write=True, lock_timeout=self.lock_timeout) as store:
            yield store

    def add(self, title: str, *, parties=(), roles: dict[str, str] | None = None, **fields) -> dict:
        """Add a dispute (fields as `disputes add` takes them); returns its record."""
        from disputes.ops import disputes

        if not isinstance(parties, list | tuple):  # a name alone would be read letter by letter
            raise InvalidValue(f"parties= takes a list of names, not {parties!r}")
        with self._changing() as store:
            return disputes.add(store, title, parties=parties, roles=roles, **fields).to_dict()

    def edit(self, dispute: str, *, note: str = "", add=None, remove=None, roles=None, **changes) -> dict:
        """Change a dispute's fields (`add`/`remove`: {list field: values})."""
        from disputes.ops import disputes

        with self._changing() as store:
            return disputes.edit(store, dispute, changes, add=add, remove=remove, roles=roles, note=note).to_dict()

    def status(self, dispute: str, new: str, *, note: str = "", date: str | None = None) -> dict:
        """Move a dispute to another status, with a dated note."""
        from disputes.ops import disputes

        with self._changing() as store:
            return disputes.change_status(store, dispute, new, note=note, date=date).to_dict()

    def event(self, disputes, date: str, title: str, **fields) -> dict:
        """Record an event on one dispute or several (ids, prefixes or references)."""
        from disputes.ops import events

        if not isinstance(disputes, str | list | tuple):
            raise InvalidValue(
                f"an event is on a dispute (an id, prefix or reference) or a list of them, not {disputes!r}"
            )
        named = [disputes] if isinstance(disputes, str) else list(disputes)
        with self._changing() as store:
            return events.add(store, named, date, title, **fields).to_dict()

    def link(self, source: str, target: str, kind: str = "relates") -> dict:
        """Link two disputes (relates, part-of, blocks, duplicates)."""
        from disputes.ops import relations

        with self._changing() as store:
            return relations.link(store, source, target, kind)

    def deadline(self, dispute: str, date: str | None = None, title: str | None = None, **fields) -> list[dict]:
        """Add a deadline to a dispute (or, with rule= stage= start=, a procedural clock's)."""
        from disputes.ops import deadlines

        with self._changing() as store:
            return [d.to_dict() for d in deadlines.add(store, dispute, date=date, title=title, **fields)]

    def assess(self, dispute: str, text: str, *, date: str | None = None, confidence: str = "") -> dict:
        """Record a dated bottom line on a dispute."""
        from disputes.ops import assessments

        with self._changing() as store:
            return assessments.add(store, dispute, text, date=date, confidence=confidence).to_dict()

    def comment(self, dispute: str, text: str, *, date: str | None = None) -> dict:
        """Comment on a dispute, dated and signed with the store's author."""
        from disputes.ops import comments

        with self._changing() as store:
            return comments.add(store, dispute, text, date=date).to_dict()

    def delete_comment(self, comment: str) -> dict:
        """Delete a comment of your own (undoable)."""
        from disputes.ops import comments

        with self._changing() as store:
            return comments.delete(store, comment).to_dict()

    def document(self, dispute: str, location: str, *, date: str | None = None, title: str = "") -> dict:
        """Put a dated reference to a file or web page on a dispute (default title: the file's name)."""
        from disputes.ops import documents

        with self._changing() as store:
            return documents.add(store, dispute, location, date=date, title=title).to_dict()

    def remove_document(self, document: str) -> dict:
        """Take a document's reference off its dispute (undoable)."""
        from disputes.ops import documents

        with self._changing() as store:
            return documents.remove(store, document).to_dict()

    def forecast(self, dispute: str, question: str, *, by: str, probability, date: str | None = None) -> dict:
        """State a forecast: the probability (0.7, "70%" or ICD 203 words) that `question` comes true by `by`."""
        from disputes.ops import forecasts

        with self._changing() as store:
            return forecasts.add(store, dispute, question, by=by, probability=probability, date=date).to_dict()

    def revise(self, forecast: str, probability, *, date: str | None = None, note: str = "") -> dict:
        """Revise your own forecast (a new revision record); returns the revision."""
        from disputes.ops import forecasts

        with self._changing() as store:
            return forecasts.update(store, forecast, probability=probability, date=date, note=note).to_dict()

    def resolve_forecast(self, forecast: str, outcome: str, *, date: str, sources=()) -> dict:
        """Record how a forecast came out: yes, no or void, on `date`."""
        from disputes.ops import forecasts

        with self._changing() as store:
            return forecasts.resolve(store, forecast, outcome, date=date, sources=sources).to_dict()

    def scores(self, *, author: str = "", since: str | None = None) -> dict:
        """The resolved forecasts' Brier scores, each analyst's mean and the calibration table
        (the shape of `disputes forecast score --json`)."""
        from disputes.ops import forecasts

        with open_store(self.path, lock_timeout=self.lock_timeout) as store:
            return forecasts.scorecard(store, author=author, since=since).to_dict()

    def brief(self, *, as_of: str | None = None, since: str | None = None, author: str = "", mark: bool = False):
        """The weekly brief (a `disputes.core.brief.Brief`; `.to_dict()` is `brief --json`),
        since `author`'s last marked brief unless `since` is given; `mark` records it as sent."""
        from disputes.ops import briefs, selection

        if not mark:
            with open_store(self.path, lock_timeout=self.lock_timeout) as store:
                return briefs.build(
                    store,
                    selection.choose(store, selection.Wanted(everything=True)),
                    as_of=as_of,
                    since=since,
                    author=author,
                )
        with self._changing() as store:
            made = briefs.build(
                store,
                selection.choose(store, selection.Wanted(everything=True)),
                as_of=as_of,
                since=since,
                author=author,
            )
            briefs.mark(store, made)
            return made

    def import_file(
        self, path: str | os.PathLike, fmt: str | None = None, **options
    ) -> EventDataImport | CsvImport | StoreImport:
        """Import a file as `disputes import` does (JSON, or event data; CSV takes `mapping=`
        a csv_import.Mapping); returns what was added, in the class of its format
        (disputes.core.imported: `import --json`'s shapes)."""
        from disputes.ops import inputs
        from disputes.ops.interchange import imports

        source = Path(path)
        with inputs.readable(source, inputs.LONGEST_EXPORT_LINE) as readable:
            kind = imports.format_of(readable, fmt)
            with self._changing() as store:
                return imports.import_file(store, readable, kind, **options)
