"""Doctor's look at a register's segments folder (docs/storage.md): segments missing, damaged
or unreadable, a folder not copied with its register, and files the register does not name."""

from __future__ import annotations

import os
from pathlib import Path

from disputes.ops.checkup import Checkup
from disputes.store.database import RawTables as Tables
from disputes.store.database import find_segment, segment_count, segment_file, segment_folder, unnamed_segments
from disputes.store.files import set_aside


def check(data: Tables, checkup: Checkup) -> None:
    """Each problem named; the segments that do not read set aside so that the rest of the
    store is checked; --fix leaves them out, saying what is lost, unless a renamed file holds
    one (put back). A register copied without its folder is said once: --fix refuses."""
    folder = segment_folder(checkup.path)
    tables = {name.split("/", 1)[0] for name in data.manifest}
    missing = next((f for f in (folder, *(folder / t for t in sorted(tables))) if not f.is_dir()), None)
    if not tables:
        missing = None  # a register without segments needs no folder
    if missing is not None:
        count = sum(entry.get("count", 0) for entry in data.manifest.values())
        checkup.missing_folder = (
            f"store {checkup.path}: the segments folder {missing.relative_to(folder.parent)}/ is missing "
            f"({len(data.manifest)} segment(s), "
            f"{count:,} record(s) the register names): copy the {folder.name}/ folder of the store this register "
            f"came from beside it (a register is copied with its <name>.d/ folder)"
        )
        checkup.problems.append(checkup.missing_folder)
        for name in list(data.manifest):
            data.drop(name)  # the rest of the store checked as usual
        return
    _check_unnamed(data, checkup)
    for name, problem in data.unreadable_segments().items():
        count = data.drop(name)
        if name in checkup.adopted:
            continue  # said with the renamed file that holds it
        checkup.problems.append(problem)
        checkup.fixable.append(
            f"leave segment {name} out of the register ({count:,} record(s) lost; a damaged file is kept aside); "
            "or first bring it back from git (`git checkout -- <its file>`) or with `doctor --restore`"
        )
        checkup.lost_segments[name] = count
    _check_copies(data, checkup)


def _check_copies(data: Tables, checkup: Checkup) -> None:
    """A record held by two segments (a git merge of a move to another month on one side and
    an edit on the other): --fix keeps the copy in the segment of its date, else the newest."""
    held: dict[tuple[str, str], list[str]] = {}
    for name in sorted(data.manifest):
        table = name.split("/", 1)[0]
        for key in data.segment(name).keys_starting(table, ""):
            held.setdefault((table, key), []).append(name)
    for (table, key), names in held.items():
        if len(names) < 2:
            continue
        copies = [(name, data.segment(name).record(table, key) or {}) for name in names]
        kept, record = max(copies, key=lambda c: (data.period_of(table, key, c[1]) == c[0], str(c[1].get("updated"))))
        checkup.problems.append(
            f"{table[:-1]} {key} is in {len(names)} segments ({', '.join(names)}), as a git merge of a move and an "
            "edit leaves it: the commands see one copy, delete and edit act on all"
        )
        checkup.fixable.append(f"keep one copy of {table[:-1]} {key}: the one in {kept} (its date's, or the newest)")
        checkup.copies[key] = (table, kept, record)


def keep_one_copy(data: Tables, checkup: Checkup) -> None:
    """--fix on a record held by two segments: the chosen copy written where its date says."""
    for key, (table, kept, record) in checkup.copies.items():
        data[table][key] = record
        checkup.done.append(f"kept one copy of {table[:-1]} {key}, the one in {kept}")


def _check_unnamed(data: Tables, checkup: Checkup) -> None:
    """Segment files the register does not name: a renamed segment (its meta line names a
    period and its checksum is the one the register names for it) is put back by --fix; any
    other is set aside by --fix, never read, never overwritten."""
    path = checkup.path
    for file, (crc, period) in unnamed_segments(path, data.manifest).items():
        shown = file.relative_to(path.parent)
        entry = data.manifest.get(period)
        if entry is not None and entry["crc"] == crc and find_segment(path, period, crc) is None:
            checkup.problems.append(
                f"segment file {shown} is not one the register names: it holds segment {period}, which the "
                f"register names and misses (renamed?)"
            )
            checkup.fixable.append(f"put {file.name} back as {period}.json")
            checkup.adopted[period] = file
            continue
        count = segment_count(file, file.parent.name)
        checkup.problems.append(
            f"segment file {shown} is not one the register names ({count:,} record(s) the store does not read; "
            "a copy from another store?)"
        )
        checkup.fixable.append(f"set {shown} aside (its records stay out of the store)")
        checkup.strays.append(file)


def sort_out(checkup: Checkup) -> list[str]:
    """--fix on the files the register does not name: a renamed segment put back, any other
    moved aside under a name of its own. What was done, said."""
    done = []
    path = checkup.path
    for name, file in checkup.adopted.items():
        tracked = segment_file(path, name)
        if tracked.exists():
            done.append(f"kept the damaged {tracked.name} as {_move_aside(tracked, 'damaged').name}")
        os.replace(file, tracked)
        done.append(f"put {file.name} back as {name}.json (the segment the register names)")
    for file in checkup.strays:
        aside = _move_aside(file, "stray")
        done.append(f"set {file.relative_to(path.parent)} aside as {aside.name}: its records are not in the store")
    return done


def _move_aside(file: Path, why: str) -> Path:
    aside = set_aside(file, why)
    file.unlink()
    return aside
