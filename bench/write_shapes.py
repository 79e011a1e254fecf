"""What one write of one record would cost the disk under each shape the store could take.

A one-record command on the 10,000/100,000 store costs 1.8-3.2x its seed-store cost, and a
profile puts all of the difference in replacing the file: a new file the size of the store
(copied in the kernel), fsync, rename. This measures that step alone, side by side in one
run, for the shapes the team could choose: the file as it is; its indexes kept apart in a
cache; the events (and their index) in a file of their own, for a command that changes a
dispute; the sections padded to block boundaries, so that a file system sharing blocks
between files (XFS, Btrfs; not ext4) copies the unchanged ones for nothing (measured as
the sections staying where they were: ext4 copies those faster too, but not sections moved
by whole blocks); and a change appended to a log. Run it on the file system the store
lives on. A decision on the store's shape, not a test.

And the shape chosen for issue 48 (docs/storage.md): the register without events and
history, and the segment of the busiest month of events, each written as a new file and
renamed (two files, two renames: a write that changes an event and its dispute).

    python bench/generate.py /tmp/large.json && python bench/write_shapes.py /tmp/large.json
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from disputes.store.fileformat import sections_of


def replace(source: int, size: int, folder: Path, *, aligned: bool = False) -> float:
    """Seconds to write `size` bytes of `source` as a new file, durably, in place of the last.

    A changed record comes first, so that the bytes carried after it land a few bytes off
    where they were, as they do in a real write: a file system that shares blocks between
    files (XFS, Btrfs) shares only whole blocks at the same offset. `aligned`: as if the
    sections were padded to block boundaries, so that unchanged ones stay where they were."""
    start = time.perf_counter()
    temporary, target = folder / "new.tmp", folder / "store.json"
    out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if not aligned:
            os.write(out, b'"a changed record": {},\n')
        done = 0
        while done < size:
            copied = os.copy_file_range(source, out, size - done, done)  # at the descriptor's offset
            if copied == 0:
                break
            done += copied
        os.fsync(out)
    finally:
        os.close(out)
    os.replace(temporary, target)
    directory = os.open(folder, os.O_RDONLY)
    os.fsync(directory)
    os.close(directory)
    return time.perf_counter() - start


def busiest_month(payload: bytes, start: int, end: int) -> float:
    """The share of the events section the events of its busiest month take (by count)."""
    months = Counter(re.findall(rb'"date":"(\d{4}-\d\d)', payload[start:end]))
    total = sum(months.values())
    return max(months.values()) / total if total else 0.0


def replace_segment(source: int, register: int, segment: int, folder: Path) -> float:
    """Seconds to write a register of `register` bytes and one segment of `segment` bytes,
    each as a new file renamed into place (the segment first, the register's rename last)."""
    month = folder / "segment"
    month.mkdir(exist_ok=True)
    return replace(source, segment, month) + replace(source, register, folder)


def append(line: bytes, folder: Path) -> float:
    """Seconds to append one change to a log, durably."""
    start = time.perf_counter()
    out = os.open(folder / "log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(out, line)
        os.fsync(out)
    finally:
        os.close(out)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="a large store (bench/generate.py writes one)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    payload = args.store.read_bytes()
    laid_out = sections_of(payload)
    if laid_out is None:
        parser.error(f"{args.store} is not a store laid out in sections")
    sizes = {name: end - start for name, (start, end, _) in laid_out[1].items()}
    whole = len(payload)
    shapes = {
        "the file as it is": whole,
        "indexes kept apart in a cache": whole - sum(v for k, v in sizes.items() if k.endswith(".index")),
        "events in a file of their own": whole - sizes.get("events", 0) - sizes.get("events.index", 0),
        "a seed-sized store": 12_000,
    }
    grows = ("events", "events.index", "history", "history.index", "fetched")
    register = whole - sum(sizes.get(name, 0) for name in grows)
    events = laid_out[1].get("events")
    month = int(sizes.get("events", 0) * (busiest_month(payload, events[0], events[1]) if events else 0))
    segmented = "register and a month's segment"
    aligned = "sections aligned to blocks"  # the file as it is, shared block by block where the system can
    line = payload[payload.find(b'\n"disputes": {\n') + 15 :].split(b"\n", 1)[0] + b"\n"
    found: dict[str, list[float]] = {name: [] for name in [*shapes, aligned, segmented, "one change appended to a log"]}
    source = os.open(args.store, os.O_RDONLY)
    # beside the store, on its file system: what the disk does is the question
    with tempfile.TemporaryDirectory(dir=args.store.parent) as folder:
        for _ in range(args.runs):  # round after round, so that a machine's moods touch each alike
            for name, size in shapes.items():
                found[name].append(replace(source, size, Path(folder)))
            found[aligned].append(replace(source, whole, Path(folder), aligned=True))
            found[segmented].append(replace_segment(source, register, month, Path(folder)))
            found["one change appended to a log"].append(append(line, Path(folder)))
    os.close(source)
    seed = statistics.median(found["a seed-sized store"])
    print(f"{'shape':32} {'KiB written':>11} {'ms':>7} {'vs seed':>8}")
    for name, times in found.items():
        written = {**shapes, aligned: whole, segmented: register + month}.get(name, len(line)) / 1024
        median = statistics.median(times)
        print(f"{name:32} {written:11,.1f} {1000 * median:7.1f} {median / seed:8.1f}")


if __name__ == "__main__":
    main()
