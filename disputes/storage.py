"""The store file: git-friendly JSON, read once, written atomically with a backup beside it.

This is the only module that reads or writes the store's bytes. TinyDB sees it as a
Storage whose `write` only updates memory; the Store commits with `flush` once per
command, while holding the lock.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import orjson
from tinydb.storages import Storage

from disputes.errors import StoreCorrupt, StoreError

FORMAT = "disputes"
META = "_meta"


def backup_path(path: Path) -> Path:
    """Where the previous good version of a store is kept."""
    return path.with_name(path.name + ".bak")


def read_file(path: Path) -> dict | None:
    """The parsed store at `path`, None when there is no file yet; refuses anything else."""
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"store {path} is a folder: give a file path with --db") from None
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {error.strerror}") from None
    return decode(payload, path)


def decode(payload: bytes, path: Path) -> dict:
    """Parse store bytes, refusing empty, broken and foreign files."""
    doctor = f"run `disputes --db {path} doctor` to check it or restore the backup"
    if not payload.strip():
        raise StoreCorrupt(f"store {path} is empty: {doctor}")
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise StoreCorrupt(f"store {path} is damaged ({error}): {doctor}") from None
    meta = data.get(META) if isinstance(data, dict) else None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StoreCorrupt(
            f"{path} is not a disputes store (foreign JSON): choose another file with --db"
        )
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StoreCorrupt(f"store {path}: table {name!r} is not an object: {doctor}")
    return data


def encode(data: dict) -> bytes:
    """Serialise with stable order and one record per line, so that git diffs are readable."""
    lines = [b"{", b'"' + META.encode() + b'": ' + orjson.dumps(data[META], option=orjson.OPT_SORT_KEYS) + b","]
    tables = sorted(name for name in data if name != META)
    for position, name in enumerate(tables):
        lines.append(orjson.dumps(name) + b": {")
        records = data[name]
        keys = sorted(records)
        for index, key in enumerate(keys):
            comma = b"," if index + 1 < len(keys) else b""
            lines.append(orjson.dumps(key) + b": " + orjson.dumps(records[key], option=orjson.OPT_SORT_KEYS) + comma)
        lines.append(b"}," if position + 1 < len(tables) else b"}")
    lines.append(b"}\n")
    return b"\n".join(lines)


def write_atomically(path: Path, payload: bytes, *, backup: bool = True) -> None:
    """Replace `path` with `payload` so that readers see the old file or the new, never a mix.

    The old file becomes the backup (a hard link, so it costs no copy) unless `backup`
    is false. Any failure leaves the old file in place and raises StoreError.
    """
    folder = path.parent
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        if backup and path.exists():
            _keep_backup(path)
        os.replace(temporary, path)
        temporary = None
        _fsync_folder(folder)
    except OSError as error:
        raise StoreError(
            f"cannot write store {path}: {error.strerror or error}; the previous version is unchanged"
        ) from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _keep_backup(path: Path) -> None:
    backup = backup_path(path)
    staging = path.with_name(f".{path.name}.bak.{os.getpid()}")
    try:
        os.link(path, staging)
    except OSError:  # a file system without hard links: copy instead
        staging.write_bytes(path.read_bytes())
    os.replace(staging, backup)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class FileStorage(Storage):
    """A TinyDB storage over one store file: read once, written only on flush."""

    def __init__(self, path: Path, data: dict):
        self.path = path
        self._data = data
        self.dirty = False

    def read(self) -> dict:
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        self.dirty = True

    def flush(self) -> None:
        if self.dirty:
            write_atomically(self.path, encode(self._data))
            self.dirty = False

    def close(self) -> None:
        pass
