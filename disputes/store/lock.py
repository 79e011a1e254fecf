"""A cross-process lock beside the store file, held for one command's read-modify-write.

The locking itself is filelock's (a well-kept library): `flock` on Linux and macOS,
`msvcrt` on Windows, so the system drops the lock when its holder dies and a crashed
process never blocks anyone. filelock does not say who holds a lock, so the holder
writes who it is (pid, host, since) into a small side file, `<store>.lock.holder`,
which a waiter that gives up reads to say whom it waited for.
"""

from __future__ import annotations

import contextlib
import os
import socket
import warnings
from pathlib import Path
from typing import Any

import orjson

from disputes.core.dates import now
from disputes.core.errors import StoreError, StoreLocked
from disputes.store import DEFAULT_TIMEOUT
from disputes.store.paths import StoreFiles


def holder_path(store_path: Path) -> Path:
    return StoreFiles(store_path).holder


class StoreLock:
    """Exclusive lock on `<store>.lock`, waited for up to `timeout` seconds."""

    def __init__(self, store_path: Path, timeout: float = DEFAULT_TIMEOUT):
        self.store_path = store_path
        self.path = StoreFiles(store_path).lock
        self.timeout = timeout
        self._lock: Any = None  # a filelock lock while held

    def __enter__(self) -> StoreLock:
        with warnings.catch_warnings():  # without fcntl filelock warns that it falls back to a soft lock
            warnings.simplefilter("ignore")
            import filelock

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(str(self.path), timeout=self.timeout)
            lock.acquire(timeout=self.timeout, poll_interval=0.005)
        except filelock.Timeout:
            raise StoreLocked(
                f"store {self.store_path} is locked by {_holder(self.store_path)}; waited "
                f"{self.timeout:g}s: try again, or wait longer with --lock-timeout"
            ) from None
        except OSError as error:
            raise StoreError(
                f"cannot write store {self.store_path}: cannot create its lock file "
                f"({error.strerror or error}); the previous version is unchanged"
            ) from None
        self._lock = lock
        stamp = {"pid": os.getpid(), "host": socket.gethostname(), "since": now()}
        with contextlib.suppress(OSError):  # who holds the lock is only for messages; the lock is held
            holder_path(self.store_path).write_bytes(orjson.dumps(stamp))
        return self

    def __exit__(self, *exc_info) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _holder(store_path: Path) -> str:
    try:
        info = orjson.loads(holder_path(store_path).read_bytes())
        return f"pid {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return "another process"
