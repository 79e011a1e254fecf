"""The record lines of one verified table section, read in place (format: fileformat.py).

A verified section holds one record a line, in key order, each line but the last ending in
a comma: a record is found by binary search, keys typed in part by a pattern over line
starts, a dispute's records by the lines that hold its id, and a change is spliced in
between runs of the old bytes. Nothing here parses a line it does not hand out.
"""

from __future__ import annotations

import functools
import mmap
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import orjson

from disputes.core.errors import StoreCorrupt
from disputes.store.fileformat import KEY_PATTERN, key_end, split_line
from disputes.store.files import Payload, Piece, piece

T = TypeVar("T")
BATCH = 1 << 20  # bytes of record lines parsed in one go: fast, and light on memory


def _read(method: Callable[..., T]) -> Callable[..., T]:
    """A section whose checksum matched but whose lines do not read (a hand edit that set the
    checksum anew, a bug elsewhere) is refused in one line naming it, never a traceback."""

    @functools.wraps(method)
    def reading(self: Body, *args: Any) -> T:
        try:
            return method(self, *args)
        except _Unreadable:  # said already, by a method this one called
            raise
        except (orjson.JSONDecodeError, StoreCorrupt) as error:
            raise _Unreadable(f"{self.where}: a line does not read ({error}): {self.hint}") from None

    return reading


class _Unreadable(StoreCorrupt):
    pass


class Body:
    """The record lines of a section: `payload[start:end]`, checksum already verified.
    `where` names it in a refusal ("store X: section 'events'"), `hint` says what to do."""

    def __init__(self, payload: Payload, start: int, end: int, where: str = "", hint: str = ""):
        self.payload, self.start, self.end = payload, start, end
        self.where, self.hint = where, hint

    @_read
    def key_at(self, position: int) -> str:
        match = KEY_PATTERN.match(self.payload, position)
        assert match is not None, "a verified section's line starts with its key"
        return orjson.loads(self.payload[position : match.end() - 2])

    @_read
    def line_of(self, key: str) -> tuple[int, int] | None:
        """Where the line of one record lies (start, end without its newline); None: no such key."""
        if self.start >= self.end:  # an empty table (a new store an import fills: asked for each id)
            return None
        found = self.first_line_from(key)
        if found >= self.end or self.key_at(found) != key:
            return None
        stop = self.payload.find(b"\n", found, self.end)
        return found, self.end if stop == -1 else stop

    @_read
    def first_line_from(self, key: str) -> int:
        """Where the first line whose key is not less than `key` starts (the end if none)."""
        payload, start, end = self.payload, self.start, self.end
        low, high = start, end
        while low < high:  # lines starting before `low` hold smaller keys; the one at `high` does not
            line_start = max(payload.rfind(b"\n", start, (low + high) // 2) + 1, start)
            if self.key_at(line_start) < key:
                line_end = payload.find(b"\n", line_start, end)
                low = end if line_end == -1 else line_end + 1
            else:
                high = line_start
        return min(low, end)

    @_read
    def record(self, key: str) -> dict[str, Any] | None:
        line = self.line_of(key)
        return None if line is None else split_line(self.payload[line[0] : line[1]])[1]

    @_read
    def keys_starting(self, prefix: str) -> set[str]:
        """The keys that start with `prefix`: the lines that start with its JSON text, found
        by a plain search for a newline and that text (a raw newline only ever ends a line).
        A pattern tried at every byte took a second over 100,000 events for `event show 3k7q`."""
        payload, end, found = self.payload, self.end, set()
        needle = b"\n" + orjson.dumps(prefix)[:-1]  # the key's opening quote, then the prefix
        hit = payload.find(needle, self.start - 1, end)  # the line before the first is the header
        while hit != -1:
            found.add(self.key_at(hit + 1))
            hit = payload.find(needle, hit + len(needle), end)
        return found

    @_read
    def lines_by_key(self) -> dict[str, bytes]:
        """Each record line by its key, unparsed and without its trailing comma."""
        payload, position, end, found = self.payload, self.start, self.end, {}
        while position < end:  # line by line: no copy of the whole section on the way
            stop = payload.find(b"\n", position, end)
            stop = end if stop == -1 else stop
            line = payload[position : stop - 1 if stop < end else stop]
            position = stop + 1
            found[_key(line[: key_end(line) - 2])] = line
        return found

    @_read
    def parsed(self) -> dict[str, Any]:
        return orjson.loads(b"{" + self.payload[self.start : self.end] + b"}") if self.end > self.start else {}

    def batches(self) -> Iterator[dict[str, Any]]:
        """The records, a megabyte of lines parsed at a time (each batch a dict).

        Every raw newline in a section ends a record line, so a batch can end at any one of
        them: one orjson call per batch instead of one per record.
        """
        payload, position, end = self.payload, self.start, self.end
        while position < end:
            stop = payload.find(b"\n", min(position + BATCH, end), end)
            stop = end if stop == -1 else stop - 1  # the line before the newline ends with a comma
            yield self._batch(position, stop)
            _let_go(payload, position, stop)
            position = stop + 2

    @_read
    def _batch(self, start: int, stop: int) -> dict[str, Any]:
        return orjson.loads(b"{" + self.payload[start:stop] + b"}")

    @_read
    def mentioning(self, needle: bytes) -> dict[str, dict[str, Any]]:
        """The records whose line holds `needle`, only those lines parsed."""
        payload, start, end, found = self.payload, self.start, self.end, {}
        hit = payload.find(needle, start, end)
        while hit != -1:
            line_start = payload.rfind(b"\n", start - 1, hit) + 1
            stop = payload.find(b"\n", hit, end)
            stop = end if stop == -1 else stop
            key, record = split_line(payload[line_start:stop])
            found[key] = record
            hit = payload.find(needle, stop, end)
        _let_go(payload, start, end)  # searched through: a dispute's events among a million held, not the file
        return found

    @_read
    def spliced(self, edits: Mapping[str, bytes | None]) -> list[Piece]:
        """The record lines with changes spliced in (a line each; None removes): the lines in
        between are copied as runs of the old bytes (files.piece), nothing else is parsed or
        encoded."""
        if self.start >= self.end:  # an empty table (a new store an import fills): the new lines, by key
            lines = [line for _, line in sorted(edits.items()) if line is not None]
            joined: list[Piece] = [piece for line in lines for piece in (b",\n", line)]
            return joined[1:]
        # (position, end of the old line or None for an insertion, key, new line or None)
        operations: list[tuple[int, int | None, str, bytes | None]] = []
        for key, line in sorted(edits.items()):
            found = self.line_of(key)
            if found is not None:
                operations.append((found[0], found[1], key, line))
            elif line is not None:
                operations.append((self.first_line_from(key), None, key, line))
        operations.sort(key=lambda op: (op[0], op[2]))
        segments: list[Piece] = []
        cursor, end = self.start, self.end
        for position, old_end, _, line in operations:
            if position > cursor:  # whole old lines, without the ",\n" that ends the last of them
                segments.append(piece(self.payload, cursor, position if position == end else position - 2))
            if line is not None:
                segments.append(line)
            if old_end is not None:  # a line replaced or removed: go on after it
                cursor = old_end + 1 if old_end < end else end
            else:
                cursor = max(cursor, position)
        if cursor < end:
            segments.append(piece(self.payload, cursor, end))
        return [piece for segment in segments for piece in (b",\n", segment)][1:]


def _let_go(payload: Payload, start: int, stop: int) -> None:
    """The pages of a mapped file read through already, out of this process's memory (they
    stay in the system's cache): a read of every record holds one batch, not the file."""
    advise = getattr(payload, "madvise", None)
    if advise is None or not hasattr(mmap, "MADV_DONTNEED"):
        return
    first = start - start % mmap.PAGESIZE
    if stop > first:
        advise(mmap.MADV_DONTNEED, first, stop - first)


def _key(raw: bytes) -> str:
    """A key as its JSON string (quotes included) holds it."""
    return orjson.loads(raw) if b"\\" in raw else raw[1:-1].decode()


def record_of(line: bytes | None) -> dict[str, Any] | None:
    """The record an encoded line holds (None stays None: a removal)."""
    return None if line is None else orjson.loads(line[key_end(line) :])


def apply_edits(edits: dict[str, bytes | None], table: dict[str, Any]) -> None:
    """Record-level changes, kept as lines, applied to a parsed table."""
    for key, line in edits.items():
        if line is None:
            table.pop(key, None)
        else:
            table[key] = record_of(line)
