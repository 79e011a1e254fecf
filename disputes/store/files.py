"""Writing the store file safely: atomically, durably, with the previous version kept as a backup."""

from __future__ import annotations

import contextlib
import errno
import functools
import mmap
import os
import stat
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from disputes.core.errors import NotAStore, StoreError
from disputes.store.checksums import Crc32, Marks, combine
from disputes.store.paths import StoreFiles, named_by


def crc32_for(size: int) -> Crc32:
    """The function to take the CRC-32 of `size` bytes with (`crc32(data, crc)`): zlib's, or
    for a megabyte or more ISA-L's, the same checksum three times as fast. The verification of
    the sections a write carries forward and the checksum of those it writes anew were half of
    what one-record commands on a 90 MB store cost beyond their seed-store cost; importing
    ISA-L costs more than a small store's whole checksum (2.6 M instructions)."""
    return zlib.crc32 if size < _LARGE else _fast_crc32()


_LARGE = 1 << 20


@functools.cache
def _fast_crc32() -> Crc32:
    try:
        from isal.isal_zlib import crc32
    except ImportError:  # a platform without its wheel
        return zlib.crc32
    return crc32


def refuse_read_only(path: Path) -> None:
    """A store file the user made read-only is not to be replaced (as root could)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"cannot write store {path}: {error.strerror}; the previous version is unchanged") from None
    if not mode & 0o222:
        raise StoreError(f"store {path} is read-only: make it writable (chmod u+w) to change it; nothing was changed")


def write_atomically(path: Path, payload: bytes | Iterable[Piece], *, backup: bool = True) -> None:
    """Replace `path` with `payload` so that readers see the old file or the new, never a mix.

    The old file becomes the backup (a hard link, so it costs no copy) unless `backup`
    is false. Any failure leaves the old file in place and raises StoreError.
    """
    refuse_read_only(path)
    try:
        _replace(path, [payload] if isinstance(payload, bytes) else payload, backup=backup)
    except OSError as error:
        raise StoreError(
            f"cannot write store {path}: {error.strerror or error}; the previous version is unchanged"
        ) from None


def write_output(path: Path, pieces: Iterable[Piece]) -> None:
    """A report or an export into `path`, written whole or not at all: an interrupted export
    never leaves a cut file, nor destroys the good one it was replacing. A device or a FIFO
    (`/dev/stdout`, a pipe) is written to as it is."""
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as handle:
                handle.writelines(map(viewed, pieces))
            return
        _replace(Path(os.path.realpath(path)), pieces, backup=False)
    except OSError as error:
        raise StoreError(f"cannot write {path}: {error.strerror or error}; nothing was written") from None


def _replace(path: Path, pieces: Iterable[Piece], *, backup: bool) -> None:
    folder = path.parent
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = StoreFiles(path).temporary()
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            _write_pieces(handle, pieces)
        os.chmod(temporary, _mode_for(path))
        if backup and path.exists():
            _keep_backup(path)
        os.replace(temporary, path)
        temporary = None
        fsync_folder(folder)
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _write_pieces(handle: BinaryIO, pieces: Iterable[Piece]) -> None:
    for part in pieces:
        if isinstance(part, Span):
            _carry(handle, part)
        else:
            handle.write(part)
    handle.flush()
    os.fsync(handle.fileno())


def write_new(path: Path, pieces: Iterable[Piece]) -> None:
    """A file no reader trusts before a later rename names it (a segment's staged version),
    written whole under a temporary name, renamed into place and made durable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            _write_pieces(handle, pieces)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    fsync_folder(path.parent)


class Span:
    """Bytes of a mapped store file carried unchanged into its next version: `view` to
    checksum them, and where they lie in the file, so that the system can copy them file to
    file (Linux's copy_file_range: in the kernel, and on Btrfs or XFS by sharing the disk
    blocks) instead of passing 90 MB through this process. `len` is their length."""

    __slots__ = ("marks", "source", "start", "view")

    def __init__(self, view: memoryview, start: int, source: int, marks: Marks | None = None):
        self.view, self.start, self.source, self.marks = view, start, source, marks

    def __len__(self) -> int:
        return len(self.view)


# what a new version of a file is written from: new bytes, and old ones carried
Piece = bytes | memoryview | Span


def piece(payload: Payload, start: int, end: int) -> memoryview | Span:
    """`payload[start:end]` to be written again: a Span of a mapped file, else a memoryview."""
    view = memoryview(payload)[start:end]
    source = getattr(payload, "source", -1)
    if source < 0:
        return view
    marks = next((m for m in getattr(payload, "marks", ()) if m.covers(start, end)), None)
    return Span(view, start, source, marks)


def crc32_with(part: Piece, crc: int, crc32: Crc32) -> int:
    """`crc32(viewed(part), crc)`; for a long span of a verified section, from the marks its
    check left (checksums.py): a few megabytes read instead of all of it."""
    if isinstance(part, Span) and part.marks is not None and len(part) > 2 * _CHECKED:
        return combine(crc, part.marks.crc_of(part.start, part.start + len(part), crc32), len(part))
    return crc32(viewed(part), crc)


def viewed(part: Piece) -> bytes | memoryview:
    """A piece to write, as bytes (a Span's view)."""
    return part.view if isinstance(part, Span) else part


# what copy_file_range answers where it cannot copy (another file system, an old kernel, a
# file system without it): the bytes are written instead
_CANNOT_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}


def _carry(handle: BinaryIO, span: Span) -> None:
    """Write a span: copied by the system where it can, else through this process."""
    done, total = 0, len(span)
    copy = getattr(os, "copy_file_range", None)
    if copy is not None:
        handle.flush()  # the copy lands at the descriptor's offset, after what was written
        try:
            while done < total:
                copied = copy(span.source, handle.fileno(), total - done, span.start + done)
                if copied == 0:  # the file ends before the span does: it shrank in place
                    raise OSError(errno.EIO, "the store file changed while it was being copied")
                done += copied
        except OSError as error:
            if error.errno not in _CANNOT_COPY:
                raise
    if done < total:
        handle.write(span.view[done:])


def _keep_backup(path: Path) -> None:
    files = StoreFiles(path)
    staging = files.staging()
    try:
        try:
            os.link(path, staging)
        except OSError:  # a file system without hard links: copy instead
            staging.write_bytes(path.read_bytes())
        os.replace(staging, files.backup)
    finally:  # e.g. a folder where the backup should be: no staging file stays behind
        with contextlib.suppress(OSError):
            os.unlink(staging)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder as a file; NTFS journals the rename itself
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def set_aside(path: Path, why: str) -> Path:
    """Copy a store file aside under a name no other copy has (`<store>.<why>-<time>-<n>`)."""
    import datetime as dt
    import shutil

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 10_000):
        aside = StoreFiles(path).aside(why, stamp, number)
        try:
            descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as error:
            raise StoreError(f"cannot keep a copy of {path} aside: {error.strerror}") from None
        os.close(descriptor)
        shutil.copyfile(path, aside)
        return aside
    raise StoreError(f"cannot keep a copy of {path} aside: too many copies already")


class _Mapped(mmap.mmap):
    """A file mapped read-only, answering the few bytes questions the store's readers ask."""

    source = -1  # a descriptor of the file it maps, let go of with it
    marks: list[Marks]  # the running checksums its verified sections left (checksums.py)

    def __del__(self) -> None:
        if self.source >= 0:
            with contextlib.suppress(OSError):
                os.close(self.source)
            self.source = -1

    def startswith(self, prefix: bytes, start: int = 0) -> bool:
        return self[start : start + len(prefix)] == prefix

    def endswith(self, suffix: bytes) -> bool:
        return len(self) >= len(suffix) and self[len(self) - len(suffix) :] == suffix


# a store file's bytes as readers get them: read, or mapped
Payload = bytes | _Mapped
_CHECKED = 1 << 22  # bytes of a mapped file checksummed at a time


def crc32_of(payload: Payload, start: int, end: int) -> int:
    """The CRC-32 of a part of a store file. Of a mapped file, a few megabytes at a time, each
    let go of after (the pages stay in the system's cache, not in this process's memory): a
    report checks the 50 MB of events it does not read without holding them."""
    view = memoryview(payload)
    crc32 = crc32_for(end - start)
    if not isinstance(payload, _Mapped) or not hasattr(mmap, "MADV_DONTNEED"):
        return crc32(view[start:end], 0)
    crc, marks = 0, Marks(view, start)
    for at in range(start, end, _CHECKED):
        stop = min(at + _CHECKED, end)
        crc = crc32(view[at:stop], crc)
        marks.note(stop, crc)
        first = at - at % mmap.PAGESIZE
        payload.madvise(mmap.MADV_DONTNEED, first, stop - first)
    payload.marks.append(marks)
    return crc


def open_store_file(path: Path) -> BinaryIO:
    """`path` opened for reading as a binary file, refused (NotAStore) unless it is a
    regular file: a named pipe given to --db hung every command, waiting for a writer that
    never came (opened without waiting, it is told at once); a device read as an empty store."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:  # where a folder cannot be opened at all
        mode = stat.S_IFDIR
    else:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISREG(mode):
            return os.fdopen(descriptor, "rb")
        os.close(descriptor)
    what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe, a device)"
    raise NotAStore(f"store {path} is {what}: give a file path {named_by(path)}")


def read_mapped(path: Path) -> Payload:
    """A file's contents for reading once: mapped where the system allows replacing a mapped
    file (POSIX), so that only the pages read count in memory (the merge driver takes one
    version's unchanged tables and never touches the other two's); else read."""
    with open_store_file(path) as handle:
        if os.name != "posix" or os.fstat(handle.fileno()).st_size == 0:
            return handle.read()
        mapped = _Mapped(handle.fileno(), 0, access=mmap.ACCESS_READ)
        mapped.source = os.dup(handle.fileno())  # spans carried into the next version are copied from it
        mapped.marks = []
        return mapped
