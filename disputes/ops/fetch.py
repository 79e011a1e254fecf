"""Following GDELT 2.0's feed: its file lists, each new export file downloaded once, checked
against the list's size and MD5, and imported through the watch rules.

GDELT publishes an export file every 15 minutes and lists them, a line each (`SIZE MD5 URL`),
in `lastupdate.txt` (the newest) and `masterfilelist.txt` (all of them). What a store has
fetched is remembered in its own table (`fetched`, keyed by file name), so a second run finds
nothing new and two clones that fetched the same files merge into one record each.

Nothing the mirror sends can hold a fetch for ever or fill memory: each file (a list or an
export) is read before a deadline (`--timeout`), a list a line of at most 1 MiB at a time
(a real `masterfilelist.txt` has millions: it is streamed, never held), and an export's zip
may expand at most 200:1 and to 2 GiB (a real 15-minute file is a few megabytes).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from http.client import HTTPResponse
from pathlib import Path

from disputes.core import feed
from disputes.core.dates import now, utc
from disputes.core.errors import DisputesError, InvalidValue
from disputes.core.feed import Listed
from disputes.core.imported import EventDataImport, FetchedFile
from disputes.core.jsontypes import JsonRecord
from disputes.ops.inputs import LONGEST_LINE
from disputes.ops.interchange import eventdata
from disputes.store.database import Store

DEFAULT_MIRROR = "http://data.gdeltproject.org/gdeltv2"
TABLE = "fetched"
LISTS = ("lastupdate.txt", "masterfilelist.txt")
LONGEST_FILE = 512 << 20  # no 15-minute export comes near this
LARGEST_MEMBER = 2 << 30  # what an export's zip may expand to
WIDEST_EXPANSION = 200  # ... and at most this many times its packed size (real exports: about 8)
CHUNK = 1 << 16
TIMEOUT = 300.0  # seconds for one file, list or export, from asking to its last byte


class FetchError(DisputesError):
    """A file list or a file could not be downloaded; what was imported before stays."""


class _Skipped:
    """The bad lines of one file list: counted, the first one shown, none of them used."""

    def __init__(self, source: str):
        self.source, self.count, self.first = source, 0, ""

    def add(self, number: int, line: str, why: str) -> None:
        self.count += 1
        if not self.first:
            self.first = f"line {number}: {why}: {line.strip()[:80]!r}"


def parse_list(lines: Iterator[str | None], skipped: _Skipped) -> Iterator[Listed]:
    """The export files a file list names (its other files, mentions and GKG, are passed over);
    a bad line (None: one longer than LONGEST_LINE) is counted in `skipped` and passed over."""
    moment = utc()
    for number, line in enumerate(lines, 1):
        if line is None:
            skipped.add(number, "", f"longer than {LONGEST_LINE:,} bytes")
            continue
        try:
            found = feed.listed(line, moment)
        except InvalidValue as why:
            skipped.add(number, line, str(why))
            continue
        if found is not None:
            yield found


def _open(url: str, deadline: float, timeout: float) -> HTTPResponse:
    import urllib.request  # only `fetch` pays for it

    try:
        return urllib.request.urlopen(url, timeout=_left(url, deadline, timeout))
    except TimeoutError:
        raise _late(url, timeout) from None
    except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
        reason = getattr(error, "reason", None) or error
        if isinstance(reason, TimeoutError):
            raise _late(url, timeout) from None
        raise FetchError(f"cannot download {url}: {reason}") from None


def _left(url: str, deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _late(url, timeout)
    return left


def _late(url: str, timeout: float) -> FetchError:
    return FetchError(
        f"{url} did not arrive within {timeout:g} s: nothing of it was imported; "
        "try again later, or give it longer with --timeout SECONDS"
    )


def _chunks(url: str, timeout: float) -> Iterator[bytes]:
    """A file's bytes as they arrive, a chunk at a time, all of them within `timeout` seconds:
    a server that sends one byte every few seconds is cut off at the deadline, not read for hours."""
    import http.client

    deadline = time.monotonic() + timeout
    with _open(url, deadline, timeout) as response:
        # each read waits at most until the deadline (urllib's timeout is one for every read)
        connection = getattr(getattr(response, "fp", None), "raw", None)
        sock = getattr(connection, "_sock", None)
        while True:
            left = _left(url, deadline, timeout)
            if sock is not None:
                try:
                    sock.settimeout(left)
                except OSError:  # closed once the whole response is buffered (Python 3.13): reads stay
                    sock = None
            try:
                chunk = response.read1(CHUNK)
            except TimeoutError:
                raise _late(url, timeout) from None
            except (OSError, http.client.HTTPException) as error:  # the connection dropped half-way
                raise FetchError(f"cannot download {url}: {error!r}; the files imported before it stay") from None
            if not chunk:
                return
            yield chunk


def _lines(url: str, timeout: float) -> Iterator[str | None]:
    """A file list's lines as text, streamed; None for a line longer than LONGEST_LINE, which
    is passed over without being held (a list of one 300 MB line costs a megabyte)."""
    pending, overlong = b"", False
    for chunk in _chunks(url, timeout):
        *whole, pending = (pending + chunk).split(b"\n")
        for line in whole:
            if overlong:
                overlong = False
                yield None
            else:
                yield line.decode("utf-8", "replace")
        if len(pending) > LONGEST_LINE:
            pending, overlong = b"", True
    if overlong:
        yield None
    elif pending:
        yield pending.decode("utf-8", "replace")


def _listed(mirror: str, which: str, timeout: float, skipped: list[_Skipped]) -> Iterator[Listed]:
    """The export files one of the mirror's lists names, streamed; its bad lines counted. A
    list with bad lines and not one good line is refused (it is not a file list)."""
    count = _Skipped(which)
    skipped.append(count)
    good = 0
    for found in parse_list(_lines(f"{mirror}/{which}", timeout), count):
        good += 1
        yield found
    if count.count and not good:
        raise InvalidValue(f"{which} {count.first}; it names no export file: is --url the feed's folder?")


def _high_water(done: dict[str, JsonRecord]) -> str:
    """The newest moment fetched: of the remembered files that name a moment that was (a store
    that remembers a file named 99999999999999 or a year to come, as an older version could,
    goes on from its real files)."""
    moment = utc() + feed.AHEAD
    stamps = (record.get("stamp") for record in done.values())
    return max(
        (s for s in stamps if isinstance(s, str) and (found := feed.valid_stamp(s)) and found <= moment), default=""
    )


def wanted(
    store: Store, mirror: str, since: str | None, until: str | None, timeout: float, skipped: list[_Skipped]
) -> list[Listed]:
    """The export files to fetch, oldest first: those in [since, until], or by default those
    newer than the last fetched (the newest alone on a first run), not fetched before."""
    done = store.records(TABLE)
    last = _high_water(done)

    def chosen(files: Iterator[Listed], last: str) -> dict[str, Listed]:
        return {
            f.name: f
            for f in files
            if f.name not in done
            and f.stamp > last
            and (since is None or f.stamp >= since)
            and (until is None or f.stamp <= until)
        }

    if since is None and until is None:
        newest = list(_listed(mirror, LISTS[0], timeout, skipped))
        behind = last and all(f.stamp > feed.after(last) for f in newest)  # files between: the master list
        found = chosen(_listed(mirror, LISTS[1], timeout, skipped), last) if behind else chosen(iter(newest), last)
    else:
        found = chosen(_listed(mirror, LISTS[1], timeout, skipped), "")
    return sorted(found.values(), key=lambda f: f.stamp)


def download(listed: Listed, mirror: str, folder: Path, timeout: float = TIMEOUT) -> Path:
    """One export file into `folder`, checked against its list's size and MD5 (from the mirror)."""
    target = folder / listed.name
    digest, size = hashlib.md5(usedforsecurity=False), 0
    url = f"{mirror}/{listed.name}"
    if listed.size > LONGEST_FILE:
        raise InvalidValue(
            f"{url} is listed at {listed.size:,} bytes, more than a 15-minute export ever is "
            f"({LONGEST_FILE >> 20} MiB): not fetched; {_going_on(listed)}"
        )
    with target.open("wb") as out:
        for chunk in _chunks(url, timeout):
            size += len(chunk)
            if size > listed.size:
                raise InvalidValue(f"{url} is larger than its list says ({listed.size:,} bytes): not imported")
            digest.update(chunk)
            out.write(chunk)
    if size != listed.size or digest.hexdigest() != listed.md5:
        raise InvalidValue(
            f"{url} does not match its list (size {size:,} of {listed.size:,} bytes, MD5 "
            f"{digest.hexdigest()} where the list says {listed.md5}): a damaged download, nothing of it was imported"
        )
    return target


def _going_on(listed: Listed) -> str:
    return f"to go on without it: disputes fetch gdelt --since {feed.after(listed.stamp)}"


def _check_expansion(path: Path, url: str, listed: Listed) -> None:
    """Refuse a zip whose member would expand past what any export does, before it is read
    (the reader then holds the member to the size it declares)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # the import says what is wrong with it
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > LARGEST_MEMBER or member.file_size > WIDEST_EXPANSION * packed:
            raise FetchError(
                f"{url} would expand to {member.file_size:,} bytes from {member.compress_size:,} "
                f"(at most {WIDEST_EXPANSION}:1 and {LARGEST_MEMBER >> 30} GiB): not a GDELT export; the mirror's "
                f"file is bad and nothing of it was imported; {_going_on(listed)}"
            )


_SAID_OF_A_DOWNLOAD = re.compile(r": download it again|: unzip it first|:? \(?nothing (of it )?was imported\)?")


def _as_the_mirrors(problem: DisputesError, path: Path, url: str, listed: Listed) -> DisputesError:
    """An import's refusal of a downloaded file, said of the mirror's file (its URL, not a
    temporary path nobody can open) with advice that can help: the file matched its list's
    size and MD5, so downloading it again would bring the same bytes."""
    said = str(problem)
    if path.stem not in said:  # the zip or its member (x.export.CSV): else not about the file (no watch rules)
        return problem
    said = _SAID_OF_A_DOWNLOAD.sub("", said.replace(str(path), url))
    return FetchError(
        f"{'' if url in said else url + ': '}{said}; it matched its list's size and MD5, so the mirror's file is "
        f"bad: nothing of it was imported; {_going_on(listed)}"
    )


def fetch(
    open_store: Callable[[bool], AbstractContextManager[Store]],
    mirror: str = DEFAULT_MIRROR,
    *,
    since: str | None = None,
    until: str | None = None,
    dry_run: bool = False,
    keep_duplicates: bool = False,
    timeout: float = TIMEOUT,
    said: Callable[[str], None] = lambda line: None,
    warned: Callable[[str], None] = lambda line: None,
) -> list[FetchedFile]:
    """Fetch and import each new export file, one store change per file (a failure leaves the
    files before it imported); what each did. `open_store(write)` opens the store. `timeout`
    bounds each file's download (a list or an export), `warned` hears of a list's bad lines."""
    mirror = mirror.rstrip("/")
    if not timeout > 0 or timeout > 86400:  # not NaN, not forever
        raise InvalidValue(f"--timeout {timeout:g} is not a number of seconds from 1 to 86400")
    since = feed.moment(since, "--since") if since else None
    until = feed.moment(until, "--until", end=True) if until else None
    if since and until and since > until:
        raise InvalidValue(f"--since {since} is after --until {until}")
    skipped: list[_Skipped] = []
    with open_store(False) as store:
        files = wanted(store, mirror, since, until, timeout, skipped)
    if dry_run or not files:
        _warn_of(skipped, warned)
        return [{"file": f.name, "size": f.size, "imported": False} for f in files]
    results: list[FetchedFile] = []
    with tempfile.TemporaryDirectory(prefix="disputes-fetch-") as folder:
        for listed in files:
            url = f"{mirror}/{listed.name}"
            path = download(listed, mirror, Path(folder), timeout)
            _check_expansion(path, url, listed)
            try:
                with open_store(True) as store:
                    result = eventdata.import_events(store, path, "gdelt", keep_duplicates=keep_duplicates)
                    store.put(TABLE, listed.name, remembered(listed, result))
                    if not store.described:
                        store.describe("fetch", f"fetched {listed.name}: nothing matched the watch rules")
            except DisputesError as problem:
                raise _as_the_mirrors(problem, path, url, listed) from None
            path.unlink()
            results.append(
                {
                    "file": listed.name,
                    "imported": True,
                    "rows": result["rows"],
                    "added": result["added"],
                    "updated": result["updated"],
                }
            )
            said(
                f"Fetched {listed.name}: {result['rows']:,} rows, "
                f"{result['added']:,} new and {result['updated']:,} updated events"
            )
    _warn_of(skipped, warned)  # after the files: a failure is said in its one line alone
    return results


def _warn_of(skipped: list[_Skipped], warned: Callable[[str], None]) -> None:
    for count in skipped:
        if count.count:
            lines = "a bad line" if count.count == 1 else f"{count.count:,} bad lines"
            warned(f"{count.source}: {lines} passed over (the first, {count.first})")


def remembered(listed: Listed, result: EventDataImport) -> JsonRecord:
    """What a store keeps of a file it fetched (keyed by its name, the same in every clone)."""
    return {
        "name": listed.name,
        "stamp": listed.stamp,
        "size": listed.size,
        "md5": listed.md5,
        "fetched": now(),
        "rows": result["rows"],
        "added": result["added"],
    }
