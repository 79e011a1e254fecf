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
    if data.manifest and not folder.is_dir():
        count = sum(entry.get("count", 0) for entry in data.manifest.values())
        checkup.missing_folder = (
            f"store {checkup.path}: the segments folder {folder.name}/ is missing ({len(data.manifest)} segment(s), "
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
