"""The store: the tables of one file, opened per command, with every change recorded.

A writing command holds the lock from the moment it reads the file until it has written
it back, so that concurrent commands never lose each other's changes. Nothing reaches
the disk unless the command finishes without an error: a failed command leaves the
store as it was.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from disputes.core import changes, registry
from disputes.core.errors import InvalidValue, StoreError
from disputes.core.vocabulary import TABLES
from disputes.store import DEFAULT_TIMEOUT, indexes, migrations, segfiles
from disputes.store.decoding import decode, encode, read_file
from disputes.store.fileformat import FORMAT, META, refuse_foreign_file
from disputes.store.lock import StoreLock
from disputes.store.paths import ENV_VAR, StoreFiles
from disputes.store.segments import Segmented

MEMORY = Path(":memory:")


# The store file below the Store, for the few who must see it whole: doctor, which reads a
# damaged file without trusting it, repairs it and checks a backup. tables.py and
# fileformat.py stay private to the store (an import-linter contract).
RawTables = Segmented


def read_unchecked(path: Path) -> Segmented | None:
    """A store's tables, its records not checked (doctor checks them itself); None: no file."""
    register = read_file(path, validate=False)
    return None if register is None else Segmented(register, validate=False)


def encoded(data: Mapping[str, Any]) -> bytes:
    """Tables as the bytes of a store file (of a register: the register alone)."""
    return encode(data.register if isinstance(data, Segmented) else data)


def segment_file(path: Path, name: str) -> Path:
    """The file of one of a register's segments ("events/2016-06")."""
    return segfiles.tracked(path, name)


def segment_folder(path: Path) -> Path:
    """The folder of a register's segments (`<register>.d/`)."""
    return segfiles.folder_of(path)


# doctor's look at the segments folder (ops/segcheck.py): the folder's layout stays the store's
unnamed_segments = segfiles.unnamed
find_segment = segfiles.find
segment_count = segfiles.count_of


def check_whole(payload: bytes, path: Path) -> None:
    """Refuse (StoreError) the bytes of a store file that do not read whole, every record checked."""
    decode(payload, path).load_all()


def default_path() -> Path:
    """The store used without --db: $DISPUTES_DB, else a file in the user's data folder."""
    given = os.environ.get(ENV_VAR, "")
    if given and not given.strip():  # it made a file named by its spaces in the working folder
        raise InvalidValue(
            f"${ENV_VAR} is blank ({given!r}): set it to a store file, or unset it to use the one in your data folder"
        )
    if given:
        return Path(given).expanduser()
    from platformdirs import user_data_path  # only paid for by users without --db

    return user_data_path("disputes") / "disputes.json"


def empty_store(path: Path) -> Segmented:
    """The contents of a store that has never been written: empty sections, laid out as a
    written file would be, so that records added to it are kept as lines until written (the
    tables that grow with time stay in it until they outgrow it: segments.py)."""
    meta = {"format": FORMAT, "schema": migrations.SCHEMA}
    return Segmented(decode(encode({META: meta, **{name: {} for name in TABLES}}), path))


class Store:
    """One store file, loaded into memory for the length of one command.

    Records change one at a time through `put` and `remove`, which hand them to the
    Tables of the file: an unparsed table takes the change as a line to splice in, so
    adding one event to 100,000 neither parses nor re-encodes the others. (TinyDB's own
    Table rewrites a whole table for every change: TinyDB reads the store through the
    library's read-only tables, disputes.library, never writes it.)
    """

    def __init__(self, path: Path, tables: Segmented):
        self.path = path
        self._tables = tables
        self._dirty = False  # written on commit, and only if something changed
        self._changes: list[dict[str, Any]] = []
        self._entry: dict[str, Any] = {}
        self._own: list[str] = []  # the undo list of an in-memory store
        self._added: dict[str, dict[str, str]] = {}  # what an import added: table -> id -> fingerprint
        self._brought: list[str] = []  # the history entries an import brought in

    @classmethod
    def in_memory(cls) -> Store:
        """An empty store that lives in memory only (fast tests of the operations)."""
        return cls(MEMORY, empty_store(MEMORY))

    @classmethod
    def load(cls, path: Path) -> Store:
        register = read_file(path)
        if register is None:
            return cls(path, empty_store(path))
        tables = Segmented(register)
        migrations.upgrade(tables, path)
        return cls(path, tables)

    # Reading

    def records(self, table: str) -> dict[str, dict[str, Any]]:
        """All records of a table by id (parsed on first use). The dicts are the stored ones: do not mutate."""
        return self._tables.get(table, {})

    def mentioning(self, table: str, text: str) -> dict[str, dict[str, Any]]:
        """Records of a table that may mention `text` (a superset: check each one)."""
        return self._tables.mentioning(table, text)

    def scan(self, table: str, fields: tuple[str, ...]) -> Generator[dict[str, Any], None, None]:
        """Every record of a table, cut down to some fields (light on memory for big tables)."""
        return self._tables.scan(table, fields)

    def batches(self, table: str) -> Iterator[dict[str, dict[str, Any]]]:
        """A table's records, a batch (a dict) at a time: a whole-store read in bounded memory."""
        return self._tables.batches(table)

    def may_hold(self, table: str, field: str, value: str) -> bool:
        """Whether a record of the table may give an indexed `field` a value that case-folds
        to `value`: False only when the table's index, as read, says that none does."""
        lines = self._tables.index_as_read(table)
        return lines is None or indexes.may_hold(lines, field, value)

    def record(self, table: str, key: str) -> dict[str, Any] | None:
        """One record, or None (on a big unparsed table only its line is read)."""
        return self._tables.record(table, key)

    def ids(self, table: str) -> Ids:
        """The ids of a table, asked one at a time (for new ids and typed prefixes)."""
        return Ids(self._tables, table)

    # Writing: every put and remove is one change of the current history entry

    def put(self, table: str, key: str, record: dict[str, Any]) -> None:
        """Insert or replace one record; one holding a field a newer version wrote is not
        replaced by one without it (that would drop the field silently)."""
        before = self.record(table, key)
        if before is not None:
            _refuse_dropping_newer_fields(table, key, before, record)
        self._tables.put(table, key, record)
        self._dirty = True
        self._changes.append({"table": table, "id": key, "before": before, "after": record})

    def insert_many(self, table: str, records: dict[str, dict[str, Any]]) -> None:
        """Insert new records in one pass (an import). The history entry names them by id,
        not a copy of each: undo still removes exactly what was added, and importing
        110,000 records does not write a 70 MB history line."""
        if not records:  # nothing added is no change (an import of rows all known already)
            return
        for key, record in records.items():
            self._tables.put(table, key, record, new=True)
        self._dirty = True
        self._added.setdefault(table, {}).update((key, changes.fingerprint(r)) for key, r in records.items())

    def remove(self, table: str, key: str) -> None:
        before = self.record(table, key)
        if before is None:
            return
        self._tables.put(table, key, None)
        self._dirty = True
        self._changes.append({"table": table, "id": key, "before": before, "after": None})

    def add_history(self, entries: dict[str, dict[str, Any]]) -> None:
        """Bring in history entries from elsewhere (an import), as they were."""
        for key, entry in entries.items():
            self._tables.put(changes.TABLE, key, entry)
        self._brought += list(entries)
        self._dirty = True

    def discard(self) -> None:
        """Take back every change of the current command, which then writes nothing: what a
        dry run did is seen only in what it returned. (The store reads as before it.)"""
        for change in reversed(self._changes):
            self._tables.put(change["table"], change["id"], change["before"])
        for table, added in self._added.items():
            for key in added:
                self._tables.put(table, key, None)
        for key in self._brought:
            self._tables.put(changes.TABLE, key, None)
        self._changes, self._added, self._brought, self._entry = [], {}, [], {}
        self._dirty = False

    def describe(self, action: str, summary: str, note: str = "", date: str = "", **extra: Any) -> None:
        """Say what the current command did, for the history entry it will leave: once per
        command (`extra`: fields of the entry a reader looks for, such as what it restores)."""
        if self._entry:
            raise RuntimeError(f"the change is described twice ({self._entry['action']!r}, then {action!r})")
        self._entry = {"action": action, "summary": summary, "note": note, "date": date, **extra}

    @property
    def described(self) -> bool:
        """Whether the current command has said what it did (see `describe`)."""
        return bool(self._entry)

    def mark(self, key: str, **fields: Any) -> None:
        """Change fields of a history entry itself (e.g. mark it undone), outside history."""
        self._tables.put(changes.TABLE, key, {**(self.record(changes.TABLE, key) or {}), **fields})
        self._dirty = True

    def commit(self, *, even_unchanged: bool = False) -> None:
        """Record the command's changes as one history entry and write the file; the entry
        joins this copy's undo list (`<store>.undo`). `even_unchanged` records an entry for
        a command that changed nothing through put/remove (a restore)."""
        key = None
        if self._changes or self._added or (even_unchanged and self._entry):
            if not self._entry:
                raise RuntimeError("a command changed the store without describing the change")
            from disputes.store.author import author_of  # a writing command's cost only

            author = "" if self.path == MEMORY else author_of(self.path)
            entry = changes.new_entry(**self._entry, changes=self._changes, author=author)
            if self._added:
                entry["added"] = self._added
            key = entry["id"]
            self._tables.put(changes.TABLE, key, entry)  # the history grows at its end: one line more
            self._dirty = True
            self._changes, self._added, self._brought = [], {}, []
        self._entry = {}
        if key and self.path != MEMORY:
            self._note_for_undo(key)
        if self._dirty and self.path != MEMORY:
            self._tables.write()
        self._dirty = False
        if key and self.path == MEMORY:
            self._own.append(key)

    def _note_for_undo(self, key: str) -> None:
        """Add the entry to this copy's undo log before the store is written: a log that
        cannot be kept stops the command with nothing changed (else a later undo would
        silently revert an older command). A key whose write then fails names no entry,
        and undo passes over it."""
        log = StoreFiles(self.path).undo
        try:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(key + "\n")
        except OSError as error:
            raise StoreError(
                f"cannot keep the undo log {log} ({error.strerror or error}): nothing was changed; "
                "make it a writable file (or remove it) and try again"
            ) from None

    def own_entries(self) -> list[str]:
        """The history entries of this copy's own commands, oldest first (for undo)."""
        if self.path == MEMORY:
            return list(self._own)
        try:
            return StoreFiles(self.path).undo.read_text(encoding="utf-8").split()
        except (OSError, UnicodeDecodeError):
            return []


def _refuse_dropping_newer_fields(table: str, key: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    kind = registry.of(table)
    dropped = [field for field in kind.unknown_fields({key: before}).get(key, ()) if field not in after]
    if dropped:
        raise StoreError(f"{kind.newer(key, dropped[0])} to change it; nothing was changed")


class Ids:
    """The ids of one table, for `in` and prefix questions, without parsing the table."""

    def __init__(self, tables: Segmented, table: str):
        self._tables, self._table = tables, table

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._tables.has(self._table, key)

    def starting(self, prefix: str) -> list[str]:
        return self._tables.keys_starting(self._table, prefix)


@contextmanager
def open_store(
    path: Path | None = None, *, write: bool = False, lock_timeout: float = DEFAULT_TIMEOUT
) -> Iterator[Store]:
    """Open a store for one command; a writing one is locked and committed on success.

    A symlinked store is followed first: the real file is the one locked and written.
    """
    path = Path(os.path.realpath(path or default_path()))
    if not write:
        yield Store.load(path)
        return
    refuse_foreign_file(path)
    with StoreLock(path, timeout=lock_timeout):
        store = Store.load(path)
        yield store
        store.commit()
