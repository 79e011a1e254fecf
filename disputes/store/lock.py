"""A cross-process lock beside the store file, held for one command's read-modify-write.

The lock is the system's own: `flock` on Linux and macOS, `msvcrt.locking` on Windows, on
an open `<store>.lock`, so the system drops it when its holder dies and a crashed process
never blocks anyone. Those two calls are all a lock needs; a library for them cost every
writing command a sixth of its time in imports. Where neither exists, filelock's soft lock
(a file that exists while held) stands in. The lock does not say who holds it, so the holder
writes who it is (pid, host, since) into a small side file, `<store>.lock.holder`, which a
waiter that gives up reads to say whom it waited for.
"""

from __future__ import annotations

import contextlib
import os
import platform
import time
from pathlib import Path
from typing import Any

import orjson

from disputes.core.dates import now
from disputes.core.errors import NotAStore, StoreError, StoreLocked
from disputes.store import DEFAULT_TIMEOUT
from disputes.store.paths import StoreFiles

_POLL = 0.005  # seconds between tries while another command holds the lock


def holder_path(store_path: Path) -> Path:
    return StoreFiles(store_path).holder


class StoreLock:
    """Exclusive lock on `<store>.lock`, waited for up to `timeout` seconds."""

    def __init__(self, store_path: Path, timeout: float = DEFAULT_TIMEOUT):
        self.store_path = store_path
        self.path = StoreFiles(store_path).lock
        self.timeout = timeout
        self._held: Any = None  # the open lock file (or filelock's soft lock) while held
        self._made = False  # this lock made its files (none was beside the store before)

    def __enter__(self) -> StoreLock:
        self._made = not self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._held = _acquire(self.path, self.timeout)
        except OSError as error:
            raise StoreError(
                f"cannot write store {self.store_path}: cannot create its lock file "
                f"({error.strerror or error}); the previous version is unchanged"
            ) from None
        if self._held is None:
            raise StoreLocked(
                f"store {self.store_path} is locked by {_holder(self.store_path)}; waited "
                f"{self.timeout:g}s: try again, or wait longer with --lock-timeout"
            )
        stamp = {"pid": os.getpid(), "host": platform.node(), "since": now()}  # platform: loaded by Typer already
        with contextlib.suppress(OSError):  # who holds the lock is only for messages; the lock is held
            holder_path(self.store_path).write_bytes(orjson.dumps(stamp))
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        if hasattr(held, "release"):
            held.release()
        else:
            os.close(held)  # closing the file lets go of its lock (flock and msvcrt alike)
        if self._made and kind is not None and issubclass(kind, NotAStore):
            # the file turned out to be another tool's (`{"name": "pkg"}` parses as JSON, so
            # only reading it whole tells): no file of ours stays beside a file we refuse
            for made in (self.path, holder_path(self.store_path)):
                with contextlib.suppress(OSError):
                    made.unlink()


def _acquire(path: Path, timeout: float) -> Any:
    """The held lock (an open descriptor), or None when another holder kept it `timeout` seconds."""
    try:
        import fcntl

        def lock(descriptor: int) -> None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:
        try:
            import msvcrt

            def lock(descriptor: int) -> None:
                msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except ImportError:
            return _soft(path, timeout)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            lock(descriptor)
            return descriptor
        except (BlockingIOError, PermissionError):  # held by another process (EWOULDBLOCK; EACCES on Windows)
            if time.monotonic() >= deadline:
                os.close(descriptor)
                return None
        except OSError:
            os.close(descriptor)
            raise
        time.sleep(_POLL)


def _soft(path: Path, timeout: float) -> Any:
    """filelock's soft lock, on a system with neither flock nor msvcrt."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import filelock

    lock = filelock.SoftFileLock(str(path), timeout=timeout)
    try:
        lock.acquire(timeout=timeout, poll_interval=_POLL)
    except filelock.Timeout:
        return None
    return lock


def _holder(store_path: Path) -> str:
    try:
        info = orjson.loads(holder_path(store_path).read_bytes())
        return f"pid {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return "another process"
