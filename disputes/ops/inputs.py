"""Files to import, read safely: named files, standard input (`-`), pipes and FIFOs, with
every line and every whole read bounded, so that no input can grow memory without end."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import IO, Any, AnyStr, BinaryIO, cast

from disputes.core.errors import DisputesError, InvalidValue, NoRows, StoreError

STDIN = Path("-")
# what a cut or corrupt compressed file raises while it is read
DAMAGED = (EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile)
LONGEST_LINE = 1 << 20  # a row of event data or CSV (GDELT's are ~1 KB)
LONGEST_EXPORT_LINE = 64 << 20  # a line of a JSON export (an import's history entry lists its ids)
LARGEST_WHOLE = 32 << 20  # a file read whole (a CSV list of disputes, a hand-written JSON file): parsed, it
# takes several times its size, and every command stays under 250 MiB
CHUNK = 1 << 20


def open_input(
    path: Path, mode: str = "rb", *, encoding: str | None = None, errors: str | None = None, newline: str | None = None
) -> IO[Any]:  # bytes, or text by `mode`
    """A file to import, opened; or one clear line saying why it cannot be. A `.gz` file,
    and the one member of a `.zip` file, are read as they are published: decompressed as
    they are read, never unpacked to disk."""
    try:
        suffix = path.suffix.lower()
        if suffix == ".gz":
            opened_as = mode if "b" in mode else mode.replace("r", "rt")
            # a GzipFile reads as a binary file does
            return cast(IO[Any], gzip.open(path, opened_as, encoding=encoding, errors=errors, newline=newline))
        if suffix == ".zip":
            return _zip_member(path, mode, encoding=encoding, errors=errors, newline=newline)
        return path.open(mode, encoding=encoding, errors=errors, newline=newline)
    except FileNotFoundError:
        raise InvalidValue(f"no file {path}") from None
    except IsADirectoryError:
        raise InvalidValue(f"{path} is a folder, not a file to import") from None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}") from None


def _zip_member(path: Path, mode: str, *, encoding: str | None, errors: str | None, newline: str | None) -> IO[Any]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InvalidValue(f"{path} is not a readable zip file: download it again") from None
    members = _members(archive)
    if len(members) != 1:
        archive.close()
        raise InvalidValue(f"{path} holds {len(members)} files; a zip to import holds exactly one")
    # read through a buffer of its own: zipfile's reader finds each line in Python, three
    # times as slow as the plain file's (an export read line by line), and hands text a
    # few kilobytes at a time
    try:
        member = _Inflated.of(path, members[0]) or archive.open(members[0])
    except zipfile.BadZipFile:  # its local header is not where the archive's directory says
        raise InvalidValue(f"{path} is not a readable zip file: download it again") from None
    except NotImplementedError:  # a compression zipfile does not know (Deflate64, PPMd)
        raise InvalidValue(f"{path} is compressed in a way this program cannot read: unzip it first") from None
    finally:
        archive.close()  # the member keeps the file open until it is read
    stream = io.BufferedReader(member, CHUNK)  # type: ignore[type-var]
    return stream if "b" in mode else io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline=newline)


class _Inflated(io.RawIOBase):
    """A zip file's deflated member, inflated a megabyte at a time by ISA-L and checked at
    its end against the archive's CRC-32 and size. zipfile inflates 4 kB at a time with
    zlib, and checksums with it too: a GDELT day file imported from its zip took a sixth
    longer than from the plain file (two thirds of that was zipfile's reading)."""

    def __init__(self, handle: IO[bytes], info: zipfile.ZipInfo, isal_zlib: ModuleType) -> None:
        super().__init__()
        self._handle, self._info, self._isal = handle, info, isal_zlib
        self._start = handle.tell()
        self._rewind()

    def _rewind(self) -> None:
        self._handle.seek(self._start)
        self._left = self._info.compress_size  # compressed bytes not read yet
        self._inflater = self._isal.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as zip holds it
        self._input = b""  # read, not inflated yet
        self._output, self._at = b"", 0  # inflated, and how much of it was handed out
        self._crc = self._size = self._position = 0

    @classmethod
    def of(cls, path: Path, info: zipfile.ZipInfo) -> _Inflated | None:
        """The member to read, or None where zipfile is to read it (stored or encrypted
        members, or a platform without ISA-L's wheel)."""
        try:
            from isal import isal_zlib
        except ImportError:
            return None
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
            return None
        handle = path.open("rb")
        try:
            handle.seek(info.header_offset)
            header = handle.read(30)  # the local header: its signature, then name and extra lengths
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"{info.filename}: no local header where the archive says")
            handle.seek(
                info.header_offset
                + 30
                + int.from_bytes(header[26:28], "little")
                + int.from_bytes(header[28:30], "little")
            )
        except BaseException:
            handle.close()
            raise
        return cls(handle, info, isal_zlib)

    @property
    def name(self) -> str:  # as zipfile's member has it
        return self._info.filename

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._at == len(self._output):
            if not self._inflate():
                return 0
        count = min(len(buffer), len(self._output) - self._at)
        buffer[:count] = self._output[self._at : self._at + count]
        self._at, self._position = self._at + count, self._position + count
        return count

    def seekable(self) -> bool:  # an export is read section by section: back to where one starts
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Inflated from the start again to go back, as zipfile's member does; read on to go forward."""
        target = offset + {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._info.file_size}[whence]
        if target < self._position:
            self._rewind()
        while self._position < target and (self._at < len(self._output) or self._inflate()):
            step = min(target - self._position, len(self._output) - self._at)
            self._at, self._position = self._at + step, self._position + step
        return self._position

    def _inflate(self) -> bool:
        """Inflate the next megabyte at most; False at the member's end, once it checked out."""
        if self._inflater.eof:
            if self._crc != self._info.CRC or self._size != self._info.file_size:
                raise zipfile.BadZipFile(f"bad CRC-32 or size for file {self._info.filename!r}")
            return False
        if not self._input:
            self._input = self._handle.read(min(CHUNK, self._left))
            self._left -= len(self._input)
            if not self._input:
                raise EOFError("the zip file ends inside its member")
        try:
            output = self._inflater.decompress(self._input, CHUNK)
        except self._isal.error as error:
            raise zlib.error(str(error)) from None
        self._input = self._inflater.unconsumed_tail
        self._crc, self._size = self._isal.crc32(output, self._crc), self._size + len(output)
        if self._size > self._info.file_size:  # held to the size it declares, as zipfile's reader is
            declared = self._info.file_size
            raise zipfile.BadZipFile(f"{self._info.filename!r} expands past the {declared:,} bytes it declares")
        self._output, self._at = output, 0
        return True

    def close(self) -> None:
        self._handle.close()
        super().close()


_GIVEN: dict[Path, str] = {}  # each copy `readable` made, and what the user gave


def named(path: Path) -> str:
    """A file as a message names it: its name, or the path as given where the name alone says
    nothing (`/dev/null`, a shell's `<(...)` as `/dev/fd/63`, a FIFO, standard input), also
    when `path` is the copy `readable` made of it."""
    if path in _GIVEN or path == STDIN:
        return _GIVEN.get(path, "standard input")
    return path.name if path.name and path.is_file() else str(path)


HEADER_ALONE = "a download that stopped, or an export that selected none"


def no_rows(files: str, held: str = "holds", why: str = HEADER_ALONE) -> NoRows:
    """The failure of an import given files that hold no data rows, for every format alike."""
    return NoRows(f"{files} {held} no rows ({why}); nothing was imported")


def inner_name(path: Path) -> str:
    """The name a file's format is told by: `x.export.CSV` for `x.export.CSV.zip` or `.gz`."""
    if path.suffix.lower() == ".gz":
        return path.stem
    if path.suffix.lower() == ".zip":
        with contextlib.suppress(zipfile.BadZipFile, OSError), zipfile.ZipFile(path) as archive:
            members = _members(archive)
            if len(members) == 1:
                return Path(members[0].filename).name
    return path.name


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [member for member in archive.infolist() if not member.is_dir()]


def read_input(path: Path) -> bytes:
    """The bytes of a file to import whole (CSV, hand-written JSON), at most LARGEST_WHOLE."""
    with open_input(path) as handle:
        payload = read_some(handle, path, LARGEST_WHOLE + 1)
    if len(payload) > LARGEST_WHOLE:
        raise InvalidValue(
            f"{path} is larger than {LARGEST_WHOLE >> 20} MiB: too large to read whole; nothing was imported"
        )
    return payload


@contextlib.contextmanager
def reading(name: str | Path) -> Iterator[None]:
    """While an input is read: a damaged archive or an unreadable file is one clear line."""
    try:
        yield
    except DAMAGED as error:
        raise InvalidValue(f"{name} is damaged ({error}): nothing was imported") from None
    except OSError as error:
        raise StoreError(f"cannot read {name}: {error.strerror or error}") from None


def read_some(handle: IO[bytes], path: Path, size: int) -> bytes:
    """Up to `size` bytes of an input."""
    with reading(path):
        return handle.read(size)


def bounded_lines(handle: IO[AnyStr], name: str, longest: int = LONGEST_LINE) -> Iterator[AnyStr]:
    """The lines of a text file, each at most `longest` characters: a longer one is refused by
    its number before it is held whole (a file with no line ends, `/dev/zero`)."""
    number = 0
    with reading(name):  # entered once, not once a line (220,000 of them in the bench's export)
        while line := handle.readline(longest + 1):
            number += 1
            if len(line) > longest:
                raise InvalidValue(
                    f"{name} line {number} is longer than {longest:,} characters: not a file to import; "
                    "nothing was imported"
                )
            yield line


@contextlib.contextmanager
def readable(path: Path, longest: int = LONGEST_EXPORT_LINE) -> Iterator[Path]:
    """The path of a file that can be read more than once: a regular file as it is;
    standard input (`-`), a pipe or a FIFO copied once into a temporary file of the same
    name (removed afterwards), its lines bounded on the way."""
    if path != STDIN:
        try:
            if stat.S_ISREG(path.stat().st_mode):
                yield path
                return
        except FileNotFoundError:
            raise InvalidValue(f"no file {path}") from None
        except OSError as error:
            raise StoreError(f"cannot read {path}: {error.strerror or error}") from None
    name = "stdin" if path == STDIN else path.name or "input"
    shown = "standard input" if path == STDIN else str(path)
    with tempfile.TemporaryDirectory(prefix="disputes-import-") as folder:
        copy = Path(folder) / name
        if path == STDIN:
            _copy(_stdin(), copy, shown, longest)
        else:
            with open_input(path) as source:
                _copy(source, copy, shown, longest)
        _GIVEN[copy] = shown
        try:
            yield copy
        except DisputesError as problem:  # said of what the user gave, not of the copy nobody knows
            problem.args = tuple(str(arg).replace(str(copy), shown) for arg in problem.args)
            raise
        finally:
            _GIVEN.pop(copy, None)


def _stdin() -> BinaryIO:
    try:
        stream = sys.stdin.buffer
        os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        raise InvalidValue("standard input is closed: give a file to import, or pipe one in") from None
    return stream


def _copy(source: IO[bytes], target: Path, name: str, longest: int) -> None:
    """Copy a stream into `target` a chunk at a time, refusing a line longer than `longest`.
    A chunk is never longer than `longest`, so only a line that runs across chunks can be."""
    run, number = 0, 1
    with target.open("wb") as out:
        while chunk := read_some(source, Path(name), min(CHUNK, longest)):
            first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
            if last == -1:
                run += len(chunk)
            else:
                number += chunk.count(b"\n")
                run = longest + 1 if run + first > longest else len(chunk) - last - 1
            if run > longest:
                raise InvalidValue(
                    f"{name} has a line longer than {longest:,} bytes (near line {number}): "
                    "not a file to import; nothing was imported"
                )
            out.write(chunk)
