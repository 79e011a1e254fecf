"""Schema 19's move: the growing tables of a single-file store into segments (docs/storage.md).

Run by the first write to an older store, under its lock. The register's events and history
are read a batch at a time and each record line appended to a working file of its period
(`<register>.d/.moving/`), so memory holds one batch, not the tables; then each period is
laid out as a segment and staged, one at a time. Nothing the old register names is touched
until the new register's rename commits the move: a move killed midway leaves the old store
as it was, and the next write starts it again (the working files are written anew).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import IO, Protocol

import orjson

from disputes.store import segfiles
from disputes.store.fileformat import record_line
from disputes.store.segfiles import SEGMENTED
from disputes.store.tables import Tables


class Segmented(Protocol):
    """What the move asks of a register and its segments (segments.Segmented)."""

    register: Tables
    path: Path

    def holds_segment(self, name: str) -> bool: ...
    def segment(self, name: str) -> Tables: ...
    def stage_now(self, name: str) -> None: ...
    def forget_whole(self) -> None: ...


_OPEN_AT_MOST = 256  # working files held open at once (ten years of months is 120 each)


def into_segments(data: Segmented) -> None:
    """Move the register's growing tables into staged segments, named by the manifest; the
    caller's write of the register commits the move."""
    register = data.register
    working = segfiles.folder_of(data.path) / ".moving"
    shutil.rmtree(working, ignore_errors=True)
    working.mkdir(parents=True)
    handles: dict[str, IO[bytes]] = {}
    try:
        for table in SEGMENTED:
            if table not in register:
                continue
            for batch in register.batches(table):
                for key, record in batch.items():
                    name = segfiles.period_of(table, key, record)
                    _handle(handles, working, name).write(record_line(key, record) + b"\n")
        for handle in handles.values():
            handle.close()
        for name in sorted(_periods(working)):
            _stage_period(data, working, name)
    finally:
        for handle in handles.values():
            with contextlib.suppress(OSError):
                handle.close()
        shutil.rmtree(working, ignore_errors=True)
    for table in SEGMENTED:
        if table in register:
            del register[table]
    data.forget_whole()


def _file(working: Path, name: str) -> Path:
    return working / (name.replace("/", "@") + ".lines")


def _periods(working: Path) -> list[str]:
    return [file.name.removesuffix(".lines").replace("@", "/") for file in working.glob("*.lines")]


def _handle(handles: dict[str, IO[bytes]], working: Path, name: str) -> IO[bytes]:
    found = handles.get(name)
    if found is None:
        if len(handles) >= _OPEN_AT_MOST:  # a store of many periods: reopened as needed
            handles.pop(next(iter(handles))).close()
        found = handles[name] = _file(working, name).open("ab")
    return found


def _stage_period(data: Segmented, working: Path, name: str) -> None:
    """One period's records, laid out as a segment and staged (one segment in memory)."""
    text = _file(working, name).read_bytes()
    records = orjson.loads(b"{" + text.rstrip(b"\n").replace(b"\n", b",") + b"}") if text.strip() else {}
    table = segfiles.table_of(name)
    if data.holds_segment(name):  # a period with a segment already: the records join it
        segment = data.segment(name)
        for key, record in records.items():
            segment.put(table, key, record)
    else:
        data.segment(name)[table] = records
    data.stage_now(name)
