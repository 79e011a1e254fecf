"""A register and its segments as one mapping of tables (docs/storage.md).

The Store talks to `Segmented` as it talked to the Tables of one file: the register's tables
are its own, and each table that grows with time (segfiles.SEGMENTED) is the union of its
segment files, each a Tables of its own, opened only when a command reaches it. A register
written by an older schema still holds those tables itself: it is read as it is, and its
first write moves them into segments (the migration, migrate.py).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from disputes.core.errors import StoreCorrupt
from disputes.store import indexes, keysets, migrations, segfiles
from disputes.store.decoding import decode, encode
from disputes.store.fileformat import META
from disputes.store.files import Piece, write_atomically
from disputes.store.sections import Body
from disputes.store.segfiles import SEGMENTED, Manifest
from disputes.store.tables import Tables

Record = dict[str, Any]


def new_segment(path: Path, name: str) -> Tables:
    """An empty segment, laid out as a written one (its records kept as lines until written)."""
    table = segfiles.table_of(name)
    meta = {"format": segfiles.SEGMENT_FORMAT, "schema": migrations.SCHEMA, "period": name}
    return decode(encode({META: meta, table: {}}), path, expected=segfiles.SEGMENT_FORMAT)


class Segmented(MutableMapping[str, dict[str, Record]]):
    """The tables of a register and of its segments, by table name."""

    def __init__(self, register: Tables, *, validate: bool = True):
        self.register = register
        self.path = register.path
        self._validate = validate
        if register.meta.get("rebuild"):  # merged by git: the manifest is what the folder holds
            register.meta["segments"] = segfiles.rebuilt(self.path)
            register.meta.pop("rebuild")
        self._read: Manifest = segfiles.manifest_of(register.meta)  # as read: what the tracked files hold
        self.manifest: Manifest = {n: dict(e) for n, e in self._read.items()}
        self._on = bool(self.manifest)  # segments in use: the growing tables live in them
        self._open: dict[str, Tables] = {}
        self._changed: set[str] = set()
        self._where: dict[tuple[str, str], str] = {}  # (table, key) -> the segment found to hold it
        self._whole: dict[str, dict[str, Record]] = {}  # segmented tables parsed whole, by table
        self._heads: dict[str, object] = {}  # the key filter of each segment looked at, unopened

    @property
    def meta(self) -> dict[str, Any]:
        return self.register.meta

    def _inline(self, name: str) -> bool:
        """Whether a table is the register's alone: always, but for the growing tables of a
        register that has segments (a store whose events outgrew `segfiles.moves_at`)."""
        return name not in SEGMENTED or not self._on

    def _overlay(self, name: str) -> bool:
        """Whether the register itself holds records of a growing table: an older schema's
        file (all of them), or a merged one (the merge's own history entry). They are read
        with the segments' and moved into them by the next write."""
        return name in self.register

    # The segments of a table

    period_of = staticmethod(segfiles.period_of)  # the segment a record belongs in

    def segment_names(self, table: str) -> list[str]:
        names = {n for n in self.manifest if segfiles.table_of(n) == table}
        names |= {n for n in self._open if segfiles.table_of(n) == table}
        return sorted(names)

    def segment(self, name: str) -> Tables:
        """A segment, read when first needed (its meta line checked against the manifest)."""
        found = self._open.get(name)
        if found is not None:
            return found
        entry = self.manifest.get(name)
        if entry is None:
            found = new_segment(self.path, name)
        else:
            located = segfiles.find(self.path, name, entry["crc"])
            if located is None:
                raise segfiles.refuse_unfound(self.path, name, entry)
            found = segfiles.decoded(self.path, located, validate=self._validate)
        self._open[name] = found
        return found

    def _segments(self, table: str) -> Iterator[Tables]:
        for name in self.segment_names(table):
            yield self.segment(name)

    def _locate(self, table: str, key: str) -> str | None:
        """The segment holding a record (None: no segment does)."""
        if (table, key) in self._where:
            return self._where[(table, key)]
        if table == "history":  # its key says its month: one segment to look in
            name = segfiles.period_of(table, key, {})
            candidates = [name] if name in self.segment_names(table) else self.segment_names(table)
        else:
            candidates = self.segment_names(table)
        for name in candidates:
            if name not in self._open and not self._may_hold(name, key):
                continue
            if self.segment(name).has(table, key):
                self._where[(table, key)] = name
                return name
        return None

    def _copies(self, table: str, key: str, found: str) -> list[str]:
        """The other segments holding a record (a merge of a move and an edit: docs/storage.md)."""
        others = [n for n in self.segment_names(table) if n != found and (n in self._open or self._may_hold(n, key))]
        return [n for n in others if self.segment(n).has(table, key)]

    def _may_hold(self, name: str, key: str) -> bool:
        """Whether a segment not opened yet may hold a key, by the filter in its meta line."""
        entry = self.manifest.get(name)
        if entry is None:
            return True
        if name not in self._heads:
            found = segfiles.head(self.path, name, entry["crc"])
            self._heads[name] = found.get("keys") if found is not None else None
        return keysets.may_hold(self._heads[name], key)

    # The mapping

    def __getitem__(self, name: str) -> dict[str, Record]:
        if self._inline(name):
            return self.register[name]
        whole = self._whole.get(name)
        if whole is None:
            whole = {}
            for segment in self._segments(name):
                whole.update(segment.get(name, {}))
            if self._overlay(name):
                whole.update(self.register[name])
            self._whole[name] = whole
        return whole

    def __setitem__(self, name: str, table: dict[str, Record]) -> None:
        if self._inline(name):
            self.register[name] = table
            return
        if self._overlay(name):
            del self.register[name]
        by_period: dict[str, dict[str, Record]] = {}
        for key, record in table.items():
            by_period.setdefault(segfiles.period_of(name, key, record), {})[key] = record
        for segment_name in set(self.segment_names(name)) | by_period.keys():
            self.segment(segment_name)[name] = by_period.get(segment_name, {})
            self._changed.add(segment_name)
        self._where = {k: v for k, v in self._where.items() if k[0] != name}
        self._whole[name] = table

    def __delitem__(self, name: str) -> None:
        if self._inline(name):
            del self.register[name]
            return
        self[name] = {}

    def __contains__(self, name: object) -> bool:
        return (self._on and name in SEGMENTED) or name in self.register

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def names(self) -> list[str]:
        return sorted({*self.register.names(), *(SEGMENTED if self._on else ())})

    # What the Store asks, table by table

    def record(self, name: str, key: str) -> Record | None:
        if self._inline(name):
            return self.register.record(name, key)
        if name in self._whole:
            return self._whole[name].get(key)
        if self._overlay(name) and self.register.has(name, key):
            return self.register.record(name, key)
        where = self._locate(name, key)
        return None if where is None else self.segment(where).record(name, key)

    def has(self, name: str, key: str) -> bool:
        if self._inline(name):
            return self.register.has(name, key)
        if name in self._whole:
            return key in self._whole[name]
        if self._overlay(name) and self.register.has(name, key):
            return True
        return self._locate(name, key) is not None

    def keys_starting(self, name: str, prefix: str) -> list[str]:
        if self._inline(name):
            return self.register.keys_starting(name, prefix)
        found: set[str] = set(self.register.keys_starting(name, prefix)) if self._overlay(name) else set()
        for segment in self._segments(name):
            found.update(segment.keys_starting(name, prefix))
        return sorted(found)

    def put(self, name: str, key: str, record: Record | None, *, new: bool = False) -> None:
        """Insert, replace or (None) remove one record; `new`: the caller knows no segment holds
        it (an import of fresh ids), so none is searched."""
        if self._inline(name):
            self.register.put(name, key, record)
            return
        if not new and self._overlay(name) and self.register.has(name, key):
            self.register.put(name, key, None)
        before = None if new else self._locate(name, key)
        after = None if record is None else segfiles.period_of(name, key, record)
        for held in [before, *self._copies(name, key, before)] if before is not None else []:
            if held != after:  # a copy a git merge left in another segment goes too
                self.segment(held).put(name, key, None)
                self._changed.add(held)
        if after is not None:
            self.segment(after).put(name, key, record)
            self._changed.add(after)
            self._where[(name, key)] = after
        else:
            self._where.pop((name, key), None)
        whole = self._whole.get(name)
        if whole is not None:
            if record is None:
                whole.pop(key, None)
            else:
                whole[key] = record

    def batches(self, name: str) -> Iterator[dict[str, Record]]:
        if self._inline(name):
            yield from self.register.batches(name)
            return
        if name in self._whole:
            yield self._whole[name]
            return
        inline: set[str] = set()
        if self._overlay(name):
            for batch in self.register.batches(name):
                inline.update(batch)
                yield batch
        for segment in self._segments(name):
            for batch in segment.batches(name):
                yield {k: r for k, r in batch.items() if k not in inline} if inline else batch

    def mentioning(self, name: str, text: str) -> dict[str, Record]:
        if self._inline(name):
            return self.register.mentioning(name, text)
        if name in self._whole:
            return {k: r for k, r in self._whole[name].items() if text in str(r)}
        found: dict[str, Record] = {}
        for segment in self._segments(name):
            found.update(segment.mentioning(name, text))
        if self._overlay(name):
            found.update(self.register.mentioning(name, text))
        return found

    def scan(self, name: str, fields: tuple[str, ...]) -> Generator[Record, None, None]:
        if self._inline(name):
            yield from self.register.scan(name, fields)
            return
        if name in self._whole or self._overlay(name):
            for batch in self.batches(name):
                for record in batch.values():
                    yield {f: record.get(f) for f in fields}
            return
        for segment in self._segments(name):
            yield from segment.scan(name, fields)

    def index_as_read(self, name: str) -> Body | None:
        return self.register.index_as_read(name) if self._inline(name) else None

    def index_check(self, name: str) -> indexes.IndexCheck | None:
        return self.register.index_check(name) if self._inline(name) else None

    # Whole-store questions (doctor, migrations)

    def verify_all(self) -> None:
        self.register.verify_all()
        for table in SEGMENTED:
            for segment in self._segments(table):
                segment.verify_all()

    def unreadable_segments(self) -> dict[str, str]:
        """Each segment that is missing, damaged or does not read, with what is wrong with it
        (doctor: the others are checked as usual once these are set aside with `drop`)."""
        found: dict[str, str] = {}
        for name in sorted(self.manifest):
            try:
                segment = self.segment(name)
                segment.verify_all()
                for _ in segment.batches(segfiles.table_of(name)):  # every line read, none kept
                    pass
            except StoreCorrupt as problem:
                found[name] = str(problem)
            self._open.pop(name, None)  # read again when its records are checked: one at a time
        return found

    def drop(self, name: str) -> int:
        """Leave a segment out of the register (doctor --fix on one that is lost): how many
        records the manifest said it held."""
        entry = self.manifest.pop(name, {})
        self._open.pop(name, None)
        self._whole.pop(segfiles.table_of(name), None)
        return entry.get("count", 0)

    def load_all(self) -> Segmented:
        self.register.load_all()
        for name in SEGMENTED:
            self.get(name)
        return self

    def forget_indexes(self) -> None:
        self.register.forget_indexes()
        for segment in self._open.values():
            segment.forget_indexes()

    def rewrite_all(self) -> None:
        self.register.rewrite_all()
        for name in SEGMENTED:
            self[name] = dict(self[name])  # records changed in place are laid out anew
        for segment in self._open.values():
            segment.rewrite_all()

    def chunks(self) -> list[Piece]:
        """The register's new contents (its manifest as this command leaves it)."""
        if self.manifest:
            self.meta["segments"] = self.manifest
        else:
            self.meta.pop("segments", None)
        return self.register.chunks()

    # Writing: segments staged first, the register's rename the commit point, then roll forward

    def write(self, *, backup: bool = True) -> None:
        if not self._on and any(self._outgrown(name) for name in SEGMENTED):
            self._on = True
        if self._on and any(self._overlay(name) for name in SEGMENTED):
            from disputes.store.migrate import into_segments

            into_segments(self)
        segfiles.refuse_unowned(self.path, self._changed, self._read)  # never overwrite what is not ours
        staged = {name: self._stage(name) for name in sorted(self._changed)}
        for name, entry in staged.items():
            if entry is None:
                self.manifest.pop(name, None)
            else:
                self.manifest[name] = entry
        write_atomically(self.path, self.chunks(), backup=backup)
        self.finish(self._read)

    def _outgrown(self, name: str) -> bool:
        """Whether the register's own section of a growing table is past the size at which it
        moves into segments (as the file holds it: what this command added is counted next time)."""
        found, size = self.register.fingerprint(name), segfiles.moves_at()
        return found is not None and size is not None and found[0] >= size

    def finish(self, before: Manifest) -> None:
        """Roll forward what the register just committed, then collect what nothing names."""
        for name in sorted(before.keys() | self.manifest.keys()):
            if before.get(name) != self.manifest.get(name):
                segfiles.roll_forward(self.path, name, before.get(name), self.manifest.get(name))
        segfiles.collect(self.path, self.manifest, segfiles.backup_manifest(self.path))
        self._read = {name: dict(entry) for name, entry in self.manifest.items()}
        self._changed = set()

    def holds_segment(self, name: str) -> bool:
        """Whether a segment exists already (named by the manifest, or made by this command)."""
        return name in self.manifest or name in self._open

    def forget_whole(self) -> None:
        """Drop what was read of the growing tables (after their records moved)."""
        self._whole, self._where = {}, {}

    def stage_now(self, name: str) -> None:
        """Stage a segment at once and let go of its records (the migration: one at a time)."""
        entry = self._stage(name)
        if entry is not None:
            self.manifest[name] = entry
        self._open.pop(name, None)
        self._changed.discard(name)

    def _stage(self, name: str) -> dict[str, int] | None:
        """Write a changed segment's new version beside it: its manifest line (None: empty now)."""
        segment = self._open[name]
        table = segfiles.table_of(name)
        keys = segment.keys_starting(table, "")
        segment.meta["keys"] = keysets.filter_of(keys)
        pieces = segment.chunks()
        crc, file = segfiles.stage(self.path, name, pieces)
        count = segfiles.count_of(file, segfiles.table_of(name))
        if not count:
            file.unlink(missing_ok=True)
            return None
        return {"crc": crc, "count": count, "size": sum(len(p) for p in pieces)}
