"""The segment files beside a register (docs/storage.md): their names, how a reader finds the
version the register names, and how a write stages, commits and rolls them forward.

A segment `events/2016-06` lives in `<register>.d/events/2016-06.json`, written in the store's
own format (fileformat.py) with `"format": "disputes-segment"`. The register's manifest names
each segment with the CRC-32 of its meta line (which lists the CRC-32 of each of its sections,
so the register vouches for every byte of it). A write stages new versions beside the tracked
file (`.2016-06.<crc>.json.new`), renames the register (the commit point), then rolls each one
forward, keeping the version the backup names as `.2016-06.<crc>.json.old`.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from disputes.core.errors import StoreCorrupt, StoreError
from disputes.store.fileformat import FIRST_LINE, doctor_hint, is_blank, sections_of
from disputes.store.files import Payload, Piece, fsync_folder, read_mapped, viewed, write_new
from disputes.store.paths import StoreFiles
from disputes.store.tables import Tables

SEGMENT_FORMAT = "disputes-segment"
SEGMENTED = ("events",)  # the tables that grow with time kept in segments (history: not yet)
UNDATED = "undated"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_STAMP = re.compile(r"(\d{4})(\d{2})\d{2}T")  # a history entry's key starts with its time

# Segments are asked for, not yet the default: a git merge does not yet reconcile rules that
# span files (an event added to a dispute the other clone deleted), nor an event moved to
# another month on one side and edited on the other (docs/storage.md, "What is left").
ENV_MOVES_AT = "DISPUTES_SEGMENTS_AT"  # bytes of events past which a write moves them (0: the first write)


def moves_at() -> int | None:
    """The size of a register's own events section past which they move into segments, when
    the user asked for segments ($DISPUTES_SEGMENTS_AT); None: the store stays one file."""
    given = os.environ.get(ENV_MOVES_AT, "")
    return int(given) if given.isdigit() else None


# the manifest: segment name ("events/2016-06") -> {"crc": ..., "size": ..., "count": ...}
Manifest = dict[str, dict[str, int]]


def period_of(table: str, key: str, record: Mapping[str, Any]) -> str:
    """The segment a record belongs in: an event by its date (a full or month date its month,
    a year its year), a history entry by the month its key says it was recorded."""
    if table == "history":
        stamp = _STAMP.match(key)
        if stamp:
            return f"{table}/{stamp.group(1)}-{stamp.group(2)}"
        at = record.get("at")
        text = at if isinstance(at, str) else ""
    else:
        date = record.get("date")
        text = date if isinstance(date, str) else ""
    month = _MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{table}/{month.group(1)}-{month.group(2)}"
    if len(text) >= 4 and text[:4].isdigit() and text[4:5] in ("", "-"):
        return f"{table}/{text[:4]}"
    return f"{table}/{UNDATED}"


def table_of(name: str) -> str:
    return name.split("/", 1)[0]


def folder_of(register: Path) -> Path:
    return StoreFiles(register).segments


def tracked(register: Path, name: str) -> Path:
    """The file git tracks for a segment."""
    return folder_of(register) / f"{name}.json"


def version(register: Path, name: str, crc: int, state: str) -> Path:
    """A staged (`new`) or kept (`old`) version of a segment, by the CRC-32 of its meta line."""
    table, period = name.split("/", 1)
    return folder_of(register) / table / f".{period}.{crc:08x}.json.{state}"


def head_crc(payload: Payload) -> int | None:
    """The CRC-32 of a segment file's meta line (None: not one of our files' layout)."""
    if not payload.startswith(FIRST_LINE):
        return None
    end = payload.find(b"\n", len(FIRST_LINE))
    if end == -1:
        return None
    return zlib.crc32(bytes(payload[:end]).removesuffix(b","))


def find(register: Path, name: str, crc: int) -> tuple[Path, Payload] | None:
    """The version of a segment that has the meta line's CRC-32 `crc`: the tracked file, else
    a staged one (committed, not rolled forward yet), else the tracked file once more (a writer
    may have renamed it between the two looks), else the one kept for the backup."""
    file = tracked(register, name)
    for candidate in (file, version(register, name, crc, "new"), file, version(register, name, crc, "old")):
        try:
            payload = read_mapped(candidate)
        except OSError:
            continue
        if head_crc(payload) == crc:
            return candidate, payload
    return None


def head(register: Path, name: str, crc: int) -> dict[str, Any] | None:
    """The meta line of the version of a segment the manifest names, read alone (None: no
    file has it; the reader that opens the segment says what is wrong)."""
    file = tracked(register, name)
    for candidate in (file, version(register, name, crc, "new"), file, version(register, name, crc, "old")):
        try:
            with candidate.open("rb") as handle:
                text = handle.read(len(FIRST_LINE))
                text += handle.readline()
        except OSError:
            continue
        line = text.rstrip(b"\n")
        if not text.startswith(FIRST_LINE) or zlib.crc32(line.removesuffix(b",")) != crc:
            continue
        try:
            meta = orjson.loads(line[len(FIRST_LINE) :].removesuffix(b","))
        except orjson.JSONDecodeError:
            return None
        return meta if isinstance(meta, dict) else None
    return None


def decoded(register: Path, located: tuple[Path, Payload], *, validate: bool = True) -> Tables:
    """A segment's version as tables; damage found in it is reported against the register."""
    from disputes.store.decoding import decode

    file, payload = located
    if is_blank(payload):
        raise StoreCorrupt(
            f"store {register}: segment {file.relative_to(register.parent)} is empty: {doctor_hint(register)}"
        )
    tables = decode(payload, file, validate=validate, expected=SEGMENT_FORMAT, owner=register)
    return tables


def refuse_unfound(register: Path, name: str, entry: Mapping[str, int]) -> StoreCorrupt:
    """The refusal of a segment the register names that no file holds as named."""
    file = tracked(register, name)
    hint = f"run `disputes --db {register} doctor`"
    if not file.exists():
        count = entry.get("count", 0)
        return StoreCorrupt(
            f"store {register}: segment {file.relative_to(register.parent)} is missing "
            f"({count:,} record(s) the register names): {hint}"
        )
    return StoreCorrupt(
        f"store {register}: segment {file.relative_to(register.parent)} is damaged "
        f"(its checksum is not the one the register names): {hint}"
    )


def count_of(file: Path, table: str) -> int:
    """How many records a written segment's table holds: the lines of its section."""
    payload = read_mapped(file)
    laid_out = sections_of(payload)
    if laid_out is None or table not in laid_out[1]:
        return 0
    start, end, _ = laid_out[1][table]
    header = len(orjson.dumps(table)) + 3
    if end - start <= header + 1:  # "events": {}
        return 0
    return bytes(memoryview(payload)[start:end]).count(b"\n") - 1


def stage(register: Path, name: str, pieces: Iterable[Piece]) -> tuple[int, Path]:
    """Write a segment's new version beside it (fsync'd): its meta line's CRC-32 and its file."""
    listed = list(pieces)
    head = bytes(viewed(listed[0])) if listed else b""
    crc = zlib.crc32(head)
    file = version(register, name, crc, "new")
    try:
        write_new(file, listed)
    except OSError as error:
        raise StoreError(
            f"cannot write segment {file.parent.name}/{file.name} of store {register} "
            f"({error.strerror or error}): the previous version is unchanged"
        ) from None
    return crc, file


def roll_forward(register: Path, name: str, before: Mapping[str, int] | None, after: Mapping[str, int] | None) -> None:
    """Put a committed version of a segment in the tracked file (None: it is gone), keeping the
    version the backup names as `.old`. Safe to repeat: a kill between two steps is finished
    by the next write."""
    file = tracked(register, name)
    if before is not None and file.exists():
        kept = version(register, name, before["crc"], "old")
        found = find(register, name, before["crc"])
        if found is not None and found[0] == file and not kept.exists():
            with contextlib.suppress(OSError):
                os.link(file, kept)
    if after is None:
        file.unlink(missing_ok=True)
        if not file.parent.is_dir():
            return  # nothing was there to remove
    else:
        found = find(register, name, after["crc"])
        if found is None or found[0] == file:
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        if found[0].name.endswith(".new"):
            os.replace(found[0], file)
        else:  # a restored backup's version: copied back, the kept one stays for the backup
            temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
            os.link(found[0], temporary)
            os.replace(temporary, file)
    fsync_folder(file.parent)


def collect(register: Path, *manifests: Manifest) -> None:
    """Remove the staged and kept versions no manifest names (the register's and its
    backup's), and roll forward any version a manifest names that is still staged. Only files
    of our own naming patterns are ever removed."""
    folder = folder_of(register)
    if not folder.is_dir():
        return
    named = {(name, entry["crc"]) for manifest in manifests for name, entry in manifest.items()}
    for sub in folder.iterdir():
        if not sub.is_dir():
            continue
        for file in sub.iterdir():
            if re.fullmatch(r"\..+\.json(\.new)?\.\d+\.[0-9a-f]+\.tmp|\..+\.json\.\d+\.tmp", file.name):
                file.unlink(missing_ok=True)  # what a killed write was writing (under the lock: none is now)
                continue
            match = re.fullmatch(r"\.(.+)\.([0-9a-f]{8})\.json\.(new|old)", file.name)
            if match is None:
                continue
            name, crc = f"{sub.name}/{match.group(1)}", int(match.group(2), 16)
            if (name, crc) not in named:
                file.unlink(missing_ok=True)
            elif match.group(3) == "new" and manifests and name in manifests[0]:
                roll_forward(register, name, None, manifests[0][name])


def manifest_of(meta: Mapping[str, Any]) -> Manifest:
    """The manifest a register's meta line holds (empty for a register without segments)."""
    found = meta.get("segments")
    if not isinstance(found, dict):
        return {}
    return {
        name: dict(entry)
        for name, entry in found.items()
        if isinstance(name, str) and isinstance(entry, dict) and isinstance(entry.get("crc"), int)
    }


def rebuilt(register: Path) -> Manifest:
    """The manifest of what the segments folder holds, each file vouched for by its own meta
    line (after a git merge, where the register's manifest is derived data, never merged)."""
    folder = folder_of(register)
    found: Manifest = {}
    for table in SEGMENTED:
        for file in sorted((folder / table).glob("[!.]*.json")):
            name = f"{table}/{file.name.removesuffix('.json')}"
            try:
                payload = read_mapped(file)
            except OSError:
                continue
            crc = head_crc(payload)
            size = len(payload)
            del payload
            found[name] = {"crc": -1 if crc is None else crc, "count": count_of(file, table), "size": size}
    return found


def backup_manifest(register: Path) -> Manifest:
    """The manifest of the register's backup (what `doctor --restore` would put back)."""
    try:
        with StoreFiles(register).backup.open("rb") as handle:
            head = handle.readline() + handle.readline()
    except OSError:
        return {}
    if not head.startswith(FIRST_LINE):
        return {}
    try:
        meta = orjson.loads(head[len(FIRST_LINE) :].rstrip().removesuffix(b","))
    except orjson.JSONDecodeError:
        return {}
    return manifest_of(meta) if isinstance(meta, dict) else {}


def unnamed(register: Path, manifest: Manifest) -> dict[Path, tuple[int | None, str]]:
    """The segment files in the folder that the manifest does not name (a copy from another
    store, a renamed file), each with its meta line's CRC-32 and the period that line names
    ("" when it does not read). The versions the backup names are not among them: ours."""
    folder = folder_of(register)
    backup = backup_manifest(register)
    found: dict[Path, tuple[int | None, str]] = {}
    for table in SEGMENTED:
        for file in sorted((folder / table).glob("[!.]*.json")) if (folder / table).is_dir() else ():
            name = f"{table}/{file.name.removesuffix('.json')}"
            crc, period = _head_of(file)
            if name in manifest or (name in backup and backup[name]["crc"] == crc):
                continue
            found[file] = (crc, period)
    return found


def _head_of(file: Path) -> tuple[int | None, str]:
    """A segment file's meta line's CRC-32 and the period it names."""
    try:
        with file.open("rb") as handle:
            line = (handle.read(len(FIRST_LINE)) + handle.readline()).rstrip(b"\n")
    except OSError:
        return None, ""
    if not line.startswith(FIRST_LINE):
        return None, ""
    body = line.removesuffix(b",")
    try:
        meta = orjson.loads(body[len(FIRST_LINE) :])
    except orjson.JSONDecodeError:
        return zlib.crc32(body), ""
    period = meta.get("period") if isinstance(meta, dict) else None
    return zlib.crc32(body), period if isinstance(period, str) else ""


def refuse_unowned(register: Path, names: Iterable[str], read: Manifest) -> None:
    """Refuse a write that would replace a segment file the register does not name (it holds
    events of another store, or a renamed segment): nothing is written. A file the backup
    names as it is, and the register not, is ours (a write killed before it removed it): kept
    as the backup's `.old` version instead, wherever it is."""
    folder = folder_of(register)
    backup: Manifest | None = None
    for table in SEGMENTED:
        for file in sorted((folder / table).glob("[!.]*.json")) if (folder / table).is_dir() else ():
            name = f"{table}/{file.name.removesuffix('.json')}"
            if name in read:
                continue
            backup = backup_manifest(register) if backup is None else backup
            crc = _head_of(file)[0]
            if name in backup and backup[name]["crc"] == crc:
                os.replace(file, version(register, name, crc, "old"))
    for name in sorted(names):
        file = tracked(register, name)
        if name in read or not file.exists():
            continue
        raise StoreError(
            f"store {register}: segment file {file.relative_to(register.parent)} is not one the register "
            f"names (a copy from another store, or a renamed segment); nothing was written: "
            f"run `disputes --db {register} doctor --fix` to set it aside, or move it away"
        )
