"""A cross-process lock beside the store file, held for one command's read-modify-write.

It is an advisory `flock`: the kernel drops it when the holder dies, so a crashed
process never leaves a lock that blocks anyone. The holder writes who it is into the
lock file, so that a waiter that gives up can say whom it waited for.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import orjson

from disputes.core.dates import now
from disputes.core.errors import StoreError, StoreLocked

DEFAULT_TIMEOUT = 10.0


class StoreLock:
    """Exclusive lock on `<store>.lock`, waited for up to `timeout` seconds."""

    def __init__(self, store_path: Path, timeout: float = DEFAULT_TIMEOUT):
        self.store_path = store_path
        self.path = store_path.with_name(store_path.name + ".lock")
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> StoreLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StoreError(
                f"cannot write store {self.store_path}: cannot create its lock file ({error.strerror})"
            ) from None
        deadline = time.monotonic() + self.timeout
        pause = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise StoreLocked(
                        f"store {self.store_path} is locked by {holder}; waited "
                        f"{self.timeout:g}s: try again, or wait longer with --lock-timeout"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        self._fd = fd
        stamp = orjson.dumps({"pid": os.getpid(), "host": os.uname().nodename, "since": now()})
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp, 0)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _holder(fd: int) -> str:
    try:
        info = orjson.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return "another process"
