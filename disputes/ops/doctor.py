"""Checking a store for damage and inconsistency, and repairing what is safe to repair."""

from __future__ import annotations

import contextlib
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from disputes.core import actors, changes, model, registry, relation
from disputes.core.errors import DisputesError, InvalidValue, NotAStore, StoreConflicted, StoreError
from disputes.store import migrations
from disputes.store.database import RawTables as Tables
from disputes.store.database import Store, check_whole, encoded, read_unchecked
from disputes.store.files import set_aside, write_atomically
from disputes.store.lock import StoreLock
from disputes.store.paths import StoreFiles


@dataclass
class Checkup:
    """What doctor found and did."""

    path: Path
    problems: list[str] = field(default_factory=list)
    fixable: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)  # what killed writers left beside the store
    unreadable: bool = False  # the file itself is damaged: only a restore can help
    conflicted: bool = False  # git left conflict markers: --fix merges both sides
    wrong_indexes: list[str] = field(default_factory=list)  # tables whose index disagrees with them

    @property
    def healthy(self) -> bool:
        return not self.problems


def examine(path: Path) -> tuple[Checkup, Tables | None]:
    """Check the store at `path`; return the findings and the data when it could be read."""
    checkup = Checkup(path)
    _find_leftovers(checkup)
    from disputes.ops import sharing  # git is asked only by doctor, never by the commands of every day

    broken_driver = sharing.driver_problem(path)
    if broken_driver:
        checkup.problems.append(broken_driver)
    try:
        data = read_unchecked(path)
        if data is None:
            return checkup, None
        data.verify_all()  # every section's checksum, without parsing the big ones at once
        migrations.upgrade(data, path)
    except DisputesError as problem:
        checkup.problems.append(str(problem))
        checkup.unreadable = not isinstance(problem, NotAStore)  # another tool's file: no backup to restore
        if isinstance(problem, StoreConflicted):
            checkup.conflicted = True
            checkup.fixable.append("merge both sides of the git conflict markers record by record")
        return checkup, None
    try:
        _check_records(data, checkup)
    except DisputesError as problem:  # a section whose checksum matches but whose lines do not read
        checkup.problems.append(str(problem))
        checkup.unreadable = True
        return checkup, None
    return checkup, data


def _check_records(data: Tables, checkup: Checkup) -> None:
    """Every record by its type's rules, the disputes records name, and the indexes."""
    disputes = data.get(model.TABLE, {})
    in_use: dict[str, str] = {}
    index = data.index_check(model.TABLE)
    found = registry.of(model.TABLE).problems_of(disputes)
    if index is not None:
        index.add(disputes)
    for key, record in disputes.items():
        checkup.problems.extend(found.get(key, ()))
        if isinstance(record, dict) and record.get("id") != key:
            checkup.fixable.append(f"dispute {key}: set its id field to {key}")
        try:
            if isinstance(record, dict) and isinstance(record.get("ref"), str):
                model.claim_ref(record["ref"], f"dispute {key}", in_use)
        except InvalidValue as problem:
            checkup.problems.append(f"dispute {key}: {problem}")
    _check_index(model.TABLE, index, checkup)
    for table in registry.REFERRING:  # each record by its type's rules, and the disputes it names
        kind = registry.of(table)
        index = data.index_check(table)  # fed on the way: the records are read once
        for batch in data.batches(table):  # a batch at a time: doctor stays within its memory on 100,000 events
            if index is not None:
                index.add(batch)
            for problems in kind.problems_of(batch).values():
                checkup.problems.extend(problems)
            if kind.on_delete == "unlink":
                _check_links(batch, disputes, checkup)
                continue
            for key, record in batch.items():
                named = list(kind.names(record))
                missing = [d for d in named if d not in disputes]
                if missing or not named:
                    checkup.problems.append(
                        f"{kind.noun} {key} is on a missing dispute {missing[0] if missing else ''!r}"
                    )
                    if table == relation.TABLE:
                        checkup.fixable.append(f"remove {kind.noun} {key}")
        _check_index(table, index, checkup)
    found = registry.of(actors.TABLE).problems_of(data.get(actors.TABLE, {}))  # its rules, as reading has them
    checkup.problems.extend(problem for problems in found.values() for problem in problems)
    if actors.shared(_valid(data.get(actors.TABLE, {}))):
        checkup.fixable.append("leave each name that several actors answer to with one of them")
    for key, entry in _records(data, changes.TABLE):
        if not isinstance(entry, dict) or not isinstance(entry.get("changes"), list):
            checkup.problems.append(f"history entry {key} is malformed")


def _valid(actor_records: dict) -> dict:
    """The stored actors that are valid records (the others are problems of their own)."""
    return {key: record for key, record in actor_records.items() if not actors.record_problems(key, record)}


def _check_index(table: str, index, checkup: Checkup) -> None:
    """An index fed every record of its table, and found not to match them: a problem doctor --fix mends."""
    if index is not None and not index.matches():  # derived data: nothing a user saved is in it
        checkup.wrong_indexes.append(table)
        checkup.problems.append(f"the index of the {table} does not match them (reports would read it)")
        checkup.fixable.append(f"write the index of the {table} anew from them")


def _records(data: Tables, table: str):
    """Every record of a big table, a batch at a time: doctor stays within its memory on 100,000 events."""
    for batch in data.batches(table):
        yield from batch.items()


def _find_leftovers(checkup: Checkup) -> None:
    path = checkup.path
    if not path.parent.is_dir():
        return
    for pattern in StoreFiles(path).leftover_globs():
        for leftover in sorted(path.parent.glob(pattern)):
            size = leftover.stat().st_size
            checkup.problems.append(f"{leftover.name} ({size:,} bytes) was left by an interrupted write")
            checkup.fixable.append(f"remove {leftover.name}")
            checkup.leftovers.append(leftover)


def _check_links(events: dict, disputes: dict, checkup: Checkup) -> None:
    """That each event of a batch names disputes that exist: one set difference for the batch
    when they all do (nearly always), each event looked at only when one does not."""
    records = list(events.values())
    lists = model.column(records, "disputes") if not set(map(type, records)) - {dict} else []
    if len(lists) != len(records):  # something other than an event, or an event without the field
        lists = [record.get("disputes") if isinstance(record, dict) else None for record in records]
    if not set(map(type, lists)) - {list} and all(lists):
        with contextlib.suppress(TypeError):  # an unhashable item: each event is looked at below
            if set(itertools.chain.from_iterable(lists)) <= disputes.keys():
                return
    for key, linked in zip(events, lists, strict=True):
        if not isinstance(linked, list):
            continue  # its type is a problem the event's checks name
        dangling = [d for d in linked if not _exists(d, disputes)]
        if dangling and len(dangling) < len(linked):
            checkup.problems.append(f"event {key} is linked to missing dispute(s) {', '.join(map(str, dangling))}")
            checkup.fixable.append(f"unlink event {key} from missing disputes")
        elif dangling or not linked:
            # nothing safe to do for it: which dispute it belongs to is the analyst's call
            checkup.problems.append(
                f"event {key} is linked to no existing dispute: link it to one (`disputes event link {key} "
                f"DISPUTE`, then `doctor --fix`) or delete it (`disputes event delete {key}`)"
            )


def _exists(item, disputes: dict) -> bool:
    """Whether an item of an event's disputes names one that exists (a hand edit may leave
    anything there, a list included): what doctor reports and --fix keeps."""
    return isinstance(item, str) and item in disputes


def fix(path: Path, data: Tables, checkup: Checkup) -> None:
    """Apply the safe fixes found by `examine`, write the store, and check it again."""
    data.load_all()
    disputes = data.get("disputes", {})
    for key, record in disputes.items():
        if isinstance(record, dict) and record.get("id") != key:
            record["id"] = key
            checkup.done.append(f"set the id field of dispute {key}")
    for key, record in data.get("events", {}).items():
        linked = record.get("disputes") if isinstance(record, dict) else None
        if isinstance(linked, list) and not all(_exists(d, disputes) for d in linked):
            kept = [d for d in linked if _exists(d, disputes)]
            if kept:
                record["disputes"] = kept
                checkup.done.append(f"unlinked event {key} from missing disputes")
    for key in [
        k
        for k, r in data.get("relations", {}).items()
        if not isinstance(r, dict) or r.get("from") not in disputes or r.get("to") not in disputes
    ]:
        del data["relations"][key]
        checkup.done.append(f"removed relation {key} to a missing dispute")
    valid = _valid(data.get(actors.TABLE, {}))
    untangled, taken = actors.untangled(valid)
    for each in taken:
        data[actors.TABLE][each["key"]] = untangled[each["key"]]
        checkup.done.append(f"left {each['alias']!r} to {each['holder']}, no longer an alias of {each['name']}")
    checkup.done.extend(f"wrote the index of the {table} anew" for table in checkup.wrong_indexes)
    if checkup.done:
        data.rewrite_all()
        checkup.done.append(f"kept the store as it was as {set_aside(path, 'before-fix')}")
        write_atomically(path, encoded(data), backup=False)  # the backup stays the last version written


def restore(path: Path, checkup: Checkup, *, force: bool = False) -> None:
    """Put the backup in place of the store, keeping the store aside; recorded in history.

    The backup is checked whole first. A healthy store is not rolled back unless forced.
    """
    backup = StoreFiles(path).backup
    if checkup.healthy and path.exists() and not force:
        raise DisputesError(
            f"store {path} is healthy: restoring {backup} would roll back its last change; add --force to do it anyway"
        )
    try:
        payload = backup.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"there is no backup {backup} to restore from") from None
    try:
        check_whole(payload, backup)
    except DisputesError as problem:
        raise StoreError(f"the backup cannot be restored, it is damaged too: {problem}") from None
    if path.exists():
        checkup.done.append(f"kept the store as it was as {set_aside(path, 'damaged')}")
    write_atomically(path, payload, backup=False)
    store = Store.load(path)
    store.describe("restore", f"restored the store from its backup {backup.name}")
    store.commit(even_unchanged=True)
    checkup.done.append(f"restored {path} from the backup {backup}")


def run(
    path: Path, *, repair: bool = False, from_backup: bool = False, force: bool = False, lock_timeout: float = 10.0
) -> Checkup:
    """Check a store and, when asked, fix it or restore its backup, under the store's lock."""
    path = Path(os.path.realpath(path))
    if not (repair or from_backup):
        return examine(path)[0]
    with StoreLock(path, timeout=lock_timeout):
        checkup, data = examine(path)
        done = []
        if from_backup:
            restore(path, checkup, force=force)
        elif checkup.conflicted:
            from disputes.ops import sharing

            checkup.done += sharing.resolve_conflict_markers(path)
        elif data is not None:
            fix(path, data, checkup)
        for leftover in checkup.leftovers if repair else ():
            leftover.unlink(missing_ok=True)
            done.append(f"removed {leftover.name}, left by an interrupted write")
        done = checkup.done + done
        checkup = examine(path)[0]
        checkup.done = done
    return checkup
