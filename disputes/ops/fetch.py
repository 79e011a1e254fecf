"""Following GDELT 2.0's feed: its file lists, each new export file downloaded once, checked
against the list's size and MD5, and imported through the watch rules.

GDELT publishes an export file every 15 minutes and lists them, a line each (`SIZE MD5 URL`),
in `lastupdate.txt` (the newest) and `masterfilelist.txt` (all of them). What a store has
fetched is remembered in its own table (`fetched`, keyed by file name), so a second run finds
nothing new and two clones that fetched the same files merge into one record each.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from disputes.core.dates import now
from disputes.core.errors import DisputesError, InvalidValue
from disputes.core.frozen import Frozen
from disputes.ops import eventdata
from disputes.store.database import Store

DEFAULT_MIRROR = "http://data.gdeltproject.org/gdeltv2"
TABLE = "fetched"
LISTS = ("lastupdate.txt", "masterfilelist.txt")
_EXPORT = re.compile(r"(\d{14})\.export\.CSV\.zip\Z", re.IGNORECASE)
_STAMP = re.compile(r"\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2})?)?)?)?)?\Z")
LONGEST_FILE = 512 << 20  # no 15-minute export comes near this
CHUNK = 1 << 16
TIMEOUT = 60.0


class FetchError(DisputesError):
    """A file list or a file could not be downloaded; what was imported before stays."""


class Listed(Frozen):
    """One export file as a list names it."""

    size: int
    md5: str
    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def stamp(self) -> str:
        found = _EXPORT.search(self.name)
        return found.group(1) if found else ""


def stamp(text: str, what: str) -> str:
    """A moment as GDELT names its files (YYYYMMDDHHMMSS), from `2016-06-07`, `2016-06-07T12:15`
    or the 14 digits themselves; missing parts are the start of the period."""
    digits = re.sub(r"[-T: ]", "", text.strip())
    if not _STAMP.match(digits):
        raise InvalidValue(f"{what} {text!r} is not a moment: write 2016-06-07, 2016-06-07T12:15 or 20160607121500")
    return (digits + "00000101000000"[len(digits) - 4 :])[:14] if len(digits) < 14 else digits


def parse_list(lines: Iterator[str], source: str) -> Iterator[Listed]:
    """The export files a file list names (its other files, mentions and GKG, are passed over)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or not re.fullmatch(r"[0-9a-fA-F]{32}", parts[1]):
            raise InvalidValue(f"{source} line {number} is not `SIZE MD5 URL`: {line.strip()[:80]!r}")
        listed = Listed(int(parts[0]), parts[1].lower(), parts[2])
        if listed.stamp:
            yield listed


def _open(url: str):
    import urllib.request  # only `fetch` pays for it

    try:
        return urllib.request.urlopen(url, timeout=TIMEOUT)
    except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
        raise FetchError(f"cannot download {url}: {getattr(error, 'reason', None) or error}") from None


def _lines(url: str) -> Iterator[str]:
    import http.client

    with _open(url) as response:
        try:
            for raw in response:
                yield raw.decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:  # the connection dropped half-way
            raise FetchError(f"cannot download {url}: {error}") from None


def wanted(store: Store, mirror: str, since: str | None, until: str | None) -> list[Listed]:
    """The export files to fetch, oldest first: those in [since, until], or by default those
    newer than the last fetched (the newest alone on a first run), not fetched before."""
    done = store.records(TABLE)
    last = max((record.get("stamp", "") for record in done.values()), default="")
    if since is None and until is None:
        newest = list(parse_list(_lines(f"{mirror}/{LISTS[0]}"), LISTS[0]))
        behind = last and all(f.stamp > _next(last) for f in newest)  # files between: the master list
        candidates = list(parse_list(_lines(f"{mirror}/{LISTS[1]}"), LISTS[1])) if behind else newest
    else:
        candidates, last = list(parse_list(_lines(f"{mirror}/{LISTS[1]}"), LISTS[1])), ""
    chosen = {
        f.name: f
        for f in candidates
        if f.name not in done
        and f.stamp > last
        and (since is None or f.stamp >= since)
        and (until is None or f.stamp <= until)
    }
    return sorted(chosen.values(), key=lambda f: f.stamp)


def _next(stamp_: str) -> str:
    """The stamp of the file after this one (15 minutes later), as text that sorts."""
    import datetime as dt

    moment = dt.datetime.strptime(stamp_, "%Y%m%d%H%M%S") + dt.timedelta(minutes=15)
    return moment.strftime("%Y%m%d%H%M%S")


def download(listed: Listed, mirror: str, folder: Path) -> Path:
    """One export file into `folder`, checked against its list's size and MD5 (from the mirror)."""
    target = folder / listed.name
    digest, size = hashlib.md5(usedforsecurity=False), 0
    url = f"{mirror}/{listed.name}"
    import http.client

    with _open(url) as response, target.open("wb") as out:
        try:
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > max(listed.size, 0) or size > LONGEST_FILE:
                    raise InvalidValue(
                        f"{listed.name} is larger than its list says ({listed.size:,} bytes): not imported"
                    )
                digest.update(chunk)
                out.write(chunk)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"cannot download {url}: {error!r}; the files imported before it stay") from None
    if size != listed.size or digest.hexdigest() != listed.md5:
        raise InvalidValue(
            f"{listed.name} does not match its list (size {size:,} of {listed.size:,} bytes, MD5 "
            f"{digest.hexdigest()} where the list says {listed.md5}): a damaged download, nothing of it was imported"
        )
    return target


def fetch(
    open_store: Callable,
    mirror: str = DEFAULT_MIRROR,
    *,
    since: str | None = None,
    until: str | None = None,
    dry_run: bool = False,
    keep_duplicates: bool = False,
    said: Callable[[str], None] = lambda line: None,
) -> list[dict]:
    """Fetch and import each new export file, one store change per file (a failure leaves the
    files before it imported); what each did. `open_store(write)` opens the store."""
    mirror = mirror.rstrip("/")
    since = stamp(since, "--since") if since else None
    until = stamp(until, "--until") if until else None
    if since and until and since > until:
        raise InvalidValue(f"--since {since} is after --until {until}")
    with open_store(False) as store:
        files = wanted(store, mirror, since, until)
    if dry_run or not files:
        return [{"file": f.name, "size": f.size, "imported": False} for f in files]
    results = []
    with tempfile.TemporaryDirectory(prefix="disputes-fetch-") as folder:
        for listed in files:
            path = download(listed, mirror, Path(folder))
            with open_store(True) as store:
                result = eventdata.import_events(store, path, "gdelt", keep_duplicates=keep_duplicates)
                store.put(TABLE, listed.name, remembered(listed, result))
                if not store.described:
                    store.describe("fetch", f"fetched {listed.name}: nothing matched the watch rules")
            path.unlink()
            results.append(
                {"file": listed.name, "imported": True, **{k: result[k] for k in ("rows", "added", "updated")}}
            )
            said(
                f"Fetched {listed.name}: {result['rows']:,} rows, "
                f"{result['added']:,} new and {result['updated']:,} updated events"
            )
    return results


def remembered(listed: Listed, result: dict) -> dict:
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
