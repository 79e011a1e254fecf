"""Checking a store for damage and inconsistency, and repairing what is safe to repair."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path
from typing import Protocol

from disputes.core import actors, forecast, model, registry, storedform, view
from disputes.core.errors import DisputesError, InvalidValue, NotAStore, StoreConflicted, StoreError, StoreTooNew
from disputes.core.fields import column, shown
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.ops import hanging, segcheck
from disputes.ops.checkup import Checkup
from disputes.store import migrations
from disputes.store.database import RawTables as Tables
from disputes.store.database import (
    Store,
    check_whole,
    read_unchecked,
    refuse_foreign_file,
    segment_file,
)
from disputes.store.files import set_aside, write_atomically
from disputes.store.lock import StoreLock
from disputes.store.paths import StoreFiles


def examine(path: Path) -> tuple[Checkup, Tables | None]:
    """Check the store at `path`; return the findings and the data when it could be read."""
    checkup = Checkup(path)
    _find_leftovers(checkup)
    _check_beside(checkup)
    from disputes.ops import sharing  # git is asked only by doctor, never by the commands of every day

    broken_driver = sharing.driver_problem(path)
    if broken_driver:
        checkup.problems.append(broken_driver)
    try:
        data = read_unchecked(path)
        if data is None:
            return checkup, None
        segcheck.check(data, checkup)
        data.verify_all()  # every section's checksum, without parsing the big ones at once
        migrations.upgrade(data, path)
    except DisputesError as problem:
        checkup.problems.append(str(problem))
        checkup.newer = isinstance(problem, StoreTooNew)
        # another tool's file: no backup to restore; a newer version's store: nothing damaged
        checkup.unreadable = not isinstance(problem, NotAStore | StoreTooNew)
        checkup.foreign = str(problem) if isinstance(problem, NotAStore) else ""
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
    _check_view_in_use(data, checkup)
    return checkup, data


def _check_beside(checkup: Checkup) -> None:
    """The files kept beside the store are files: a folder in the place of one makes the
    commands that keep it fail (a folder is the user's to remove, never doctor's)."""
    files = StoreFiles(checkup.path)
    for kept in (files.backup, files.undo, files.view, files.lock, files.holder):
        if kept.is_symlink() or (kept.exists() and not kept.is_file()):
            what = "a link" if kept.is_symlink() else "a folder" if kept.is_dir() else "not a regular file"
            checkup.problems.append(f"{kept} is {what}, where the store keeps a file of its own: remove it")


def _check_view_in_use(data: Tables, checkup: Checkup) -> None:
    """That the view this copy uses (`view use`) exists: every command refuses to run without it."""
    from disputes.ops import selection

    try:
        name = selection.in_use(checkup.path)
    except DisputesError:
        return  # said by _check_beside
    if name and view.key(name) not in data.get(view.TABLE, {}):
        checkup.problems.append(f"the view in use in this copy, {name!r}, no longer exists")
        checkup.fixable.append(f"stop using the view {name!r} (remove {StoreFiles(checkup.path).view.name})")
        checkup.stale_view = True


def _check_records(data: Tables, checkup: Checkup) -> None:
    """Every record of every table by its type's rules (the registry's, which the store reads
    by), the disputes records name, and the indexes: a record any command would refuse is
    one doctor names."""
    disputes = data.get(model.TABLE, {})
    in_use: dict[str, str] = {}
    index = data.index_check(model.TABLE)
    _check_batch(registry.of(model.TABLE), disputes, checkup)
    if index is not None:
        index.add(disputes)
    for key, record in disputes.items():
        if isinstance(record, dict) and record.get("id") != key:
            checkup.fixable.append(f"dispute {key}: set its id field to {key}")
        try:
            if isinstance(record, dict) and isinstance(record.get("ref"), str):
                model.claim_ref(record["ref"], f"dispute {key}", in_use)
        except InvalidValue as problem:
            checkup.problems.append(f"dispute {key}: {problem}")
        wrong_status = storedform.status_problem(key, record)
        if wrong_status:
            checkup.problems.append(wrong_status)
    _check_index(model.TABLE, index, checkup)
    tables = [*registry.types(), *(name for name in data.names() if name not in registry.types())]
    for table in tables:
        if table == model.TABLE:
            continue
        kind = registry.of(table)
        index = data.index_check(table)  # fed on the way: the records are read once
        for batch in data.batches(table):  # a batch at a time: doctor stays within its memory on 100,000 events
            if index is not None:
                index.add(batch)
            refused = _check_batch(kind, batch, checkup)
            if kind.on_delete == "unlink":
                _check_links(batch, disputes, checkup)
            elif kind.refers:
                hanging.check_named(kind, {k: r for k, r in batch.items() if k not in refused}, disputes, checkup)
            if kind.parent:
                hanging.check_parent(kind, batch, data, checkup)
        _check_index(table, index, checkup)
    _check_forecasts(data, checkup)
    if actors.shared(_valid(data.get(actors.TABLE, {}))):
        checkup.fixable.append("leave each name that several actors answer to with one of them")


def _check_forecasts(data: Tables, checkup: Checkup) -> None:
    """Each valid forecast with its revisions by the rule the commands and import follow
    (forecast.check_timeline): what doctor passes, an export of it imports. The analyst's to mend."""
    stated = {k: r for k, r in data.get(forecast.TABLE, {}).items() if not forecast.record_problems(k, r)}
    revisions: dict[str, list[forecast.Revision]] = {}
    for key, record in data.get(forecast.REVISIONS, {}).items():
        if not forecast.revision_problems(key, record) and record["forecast"] in stated:
            revisions.setdefault(record["forecast"], []).append(forecast.Revision.from_dict(record))
    for key, record in stated.items():
        try:
            forecast.check_timeline(forecast.Forecast.from_dict(record), revisions.get(key, []))
        except (InvalidValue, TypeError, ValueError) as problem:
            checkup.problems.append(str(problem))


def _check_batch(kind: registry.RecordType, batch: JsonRecord, checkup: Checkup) -> set[str]:
    """A batch of records by their type's rules; those --fix may remove, noted for it. A
    record its rules refuse is told once, by them (not again as off-form or on no dispute)."""
    refused = kind.problems_of(batch)
    for key, problems in refused.items():
        checkup.problems.extend(problems)
        if kind.on_invalid == "remove" and _unreadable(kind, key, batch[key]):
            checkup.fixable.append(f"remove {kind.noun} {key}, which this version cannot read")
            checkup.invalid.setdefault(kind.table, []).append(key)
    for key, offs in kind.off_form(batch).items():
        for off in offs if key not in refused else ():
            _off_form(kind, key, off, checkup)
    return set(refused)


def _off_form(kind: registry.RecordType, key: str, off: storedform.OffForm, checkup: Checkup) -> None:
    """A stored value the readers take as it is, in another form than the program writes:
    --fix writes the program's form when it differs only in spacing, case or a number's type."""
    what = f"{kind.noun} {key} has the {off.field} {shown(off.stored)}"
    if off.cleaned is None:
        checkup.problems.append(f"{what}, where the program writes one dispute's id: set it by hand or delete it")
    elif off.fixable:
        checkup.problems.append(f"{what}, which the program writes as {shown(off.cleaned)}")
        checkup.fixable.append(f"write the {off.field} of {kind.noun} {key} as {shown(off.cleaned)}")
        checkup.reformed.append((kind.table, key, off.field, off.cleaned))
    else:
        checkup.problems.append(
            f"{what}, not in the form the program writes (it would read as {shown(off.cleaned)}): "
            "set it again with the command that sets it"
        )


def _unreadable(kind: registry.RecordType, key: str, record: object) -> bool:
    """A record that its own rules refuse (not one that only clashes with another, such as
    two actors answering to one name, which --fix untangles instead of removing)."""
    return bool((kind.problems and kind.problems(key, record)) or kind.unknown_fields({key: record}))


def _valid(actor_records: JsonRecord) -> JsonRecord:
    """The stored actors that are valid records (the others are problems of their own)."""
    return {key: record for key, record in actor_records.items() if not actors.record_problems(key, record)}


class _IndexCheck(Protocol):  # the store's check of an index, fed its records
    def matches(self) -> bool: ...


def _check_index(table: str, index: _IndexCheck | None, checkup: Checkup) -> None:
    """An index fed every record of its table, and found not to match them: a problem doctor --fix mends."""
    if index is not None and not index.matches():  # derived data: nothing a user saved is in it
        checkup.wrong_indexes.append(table)
        checkup.problems.append(f"the index of the {table} does not match them (reports would read it)")
        checkup.fixable.append(f"write the index of the {table} anew from them")


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


def _check_links(events: JsonRecord, disputes: JsonRecord, checkup: Checkup) -> None:
    """That each event of a batch names disputes that exist: one set difference for the batch
    when they all do (nearly always), each event looked at only when one does not."""
    records = list(events.values())
    lists = column(records, "disputes") if not set(map(type, records)) - {dict} else []
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


def _exists(item: JsonValue, disputes: JsonRecord) -> bool:
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
    for table, key, name, value in checkup.reformed:
        reformed = data.get(table, {}).get(key)
        if isinstance(reformed, dict):
            reformed[name] = value
            checkup.done.append(f"wrote the {name} of {registry.of(table).noun} {key} as {shown(value)}")
    for table, keys in checkup.invalid.items():
        for key in keys:
            if data.get(table, {}).pop(key, None) is not None:
                checkup.done.append(f"removed {registry.of(table).noun} {key}, which this version cannot read")
    for table, keys in checkup.orphans.items():
        for key in keys:
            if data.get(table, {}).pop(key, None) is not None:
                checkup.done.append(f"removed {registry.of(table).noun} {key}, whose record it hangs on is missing")
    valid = _valid(data.get(actors.TABLE, {}))
    untangled, taken = actors.untangled(valid)
    for each in taken:
        data[actors.TABLE][each["key"]] = untangled[each["key"]]
        gave_up = {"name": f"{each['name']} is now {each['kept']!r}", "code": f"{each['name']} has no code now"}
        checkup.done.append(
            f"left {each['alias']!r} to {each['holder']}; "
            + gave_up.get(each.get("field", ""), f"no longer an alias of {each['name']}")
        )
    checkup.done.extend(f"wrote the index of the {table} anew" for table in checkup.wrong_indexes)
    segcheck.keep_one_copy(data, checkup)
    for segment, count in checkup.lost_segments.items():
        file = segment_file(path, segment)
        aside = f" (the damaged file kept as {set_aside(file, 'damaged').name})" if file.exists() else ""
        checkup.done.append(f"left segment {segment} out of the register: {count:,} record(s) lost{aside}")
    if checkup.done:
        data.rewrite_all()
        checkup.done.append(f"kept the store as it was as {set_aside(path, 'before-fix')}")
        data.write(backup=False)  # the backup stays the last version written
    _stop_using_a_lost_view(path, data, checkup)  # this copy's own file: nothing of the store's


def _stop_using_a_lost_view(path: Path, data: Tables, checkup: Checkup) -> None:
    from disputes.ops import selection

    name = selection.in_use(path) if checkup.stale_view or checkup.invalid.get(view.TABLE) else ""
    if name and view.key(name) not in data.get(view.TABLE, {}):
        StoreFiles(path).view.unlink(missing_ok=True)
        checkup.done.append(f"stopped using the view {name!r}, which no longer exists")


def restore(path: Path, checkup: Checkup, *, force: bool = False) -> None:
    """Put the backup in place of the store, keeping the store aside; recorded in history.

    The backup is checked whole first. A healthy store is not rolled back unless forced.
    """
    backup = StoreFiles(path).backup
    if checkup.newer:  # the backup would drop what the newer version wrote, and hide nothing damaged
        raise DisputesError(f"store {path} was written by a newer disputes: upgrade disputes; it needs no restore")
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
    refuse_foreign_file(path)  # before the lock: no file of ours beside another tool's file
    with StoreLock(path, timeout=lock_timeout):
        checkup, data = examine(path)
        if checkup.foreign:  # known only once read whole (`{"name": "pkg"}`): refused, the lock's files gone
            raise NotAStore(checkup.foreign)
        if checkup.missing_folder and not from_backup:  # nothing to fix in the register: its folder to bring
            raise StoreError(checkup.missing_folder)
        moved = segcheck.sort_out(checkup) if repair else []  # the files the register does not name
        if moved:
            checkup, data = examine(path)
        done = []
        if from_backup:
            restore(path, checkup, force=force)
        elif checkup.conflicted:
            from disputes.ops import merge_driver

            checkup.done += merge_driver.resolve_conflict_markers(path)
        elif data is not None:
            fix(path, data, checkup)
        for leftover in checkup.leftovers if repair else ():
            leftover.unlink(missing_ok=True)
            done.append(f"removed {leftover.name}, left by an interrupted write")
        done = moved + checkup.done + done
        checkup = examine(path)[0]
        checkup.done = done
    return checkup
