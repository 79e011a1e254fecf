"""GDELT 2.0's feed as data: the lines of its file lists, and the moments its files are named by.

A list line is `SIZE MD5 URL`; an export file is named by the moment it starts
(`20160607121500.export.CSV.zip`, YYYYMMDDHHMMSS in UTC). A line that is not one, or that
names an export at a moment that never was or is yet to come, is a bad line: the feed skips
and counts it, and never remembers it (a remembered moment is where the next fetch starts).
"""

from __future__ import annotations

import datetime as dt
import re

from disputes.core.dates import days_in_month
from disputes.core.errors import InvalidValue
from disputes.core.frozen import Frozen

_LINE = re.compile(r"([0-9]{1,15})\s+([0-9a-fA-F]{32})\s+(\S+)", re.ASCII)  # ASCII digits: not `²` or `٣`
_EXPORT = re.compile(r"([0-9]{14})\.export\.CSV\.zip", re.IGNORECASE)
_EXPORT_SUFFIX = ".export.csv.zip"
_MOMENT = re.compile(r"[0-9]{4}(?:[0-9]{2}){0,5}")
FORMAT = "%Y%m%d%H%M%S"
AHEAD = dt.timedelta(hours=1)  # a clock a little behind the mirror's still takes its newest file


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
        found = _EXPORT.fullmatch(self.name)
        return found.group(1) if found else ""


def listed(line: str, now: dt.datetime) -> Listed | None:
    """The export file a list line names; None for a blank line or another kind of file (the
    mentions and GKG files); InvalidValue saying why for a bad line."""
    if not line.strip():
        return None
    found = _LINE.fullmatch(line.strip())
    if found is None:
        raise InvalidValue("not `SIZE MD5 URL`")
    file = Listed(int(found.group(1)), found.group(2).lower(), found.group(3))
    if not file.name.lower().endswith(_EXPORT_SUFFIX):
        return None
    if not file.stamp:
        raise InvalidValue(f"{file.name} is not named YYYYMMDDHHMMSS.export.CSV.zip")
    moment = valid_stamp(file.stamp)
    if moment is None:
        raise InvalidValue(f"{file.name} names a moment that never was")
    if moment > now + AHEAD:
        raise InvalidValue(f"{file.name} names a moment still to come")
    return file


def valid_stamp(stamp: str) -> dt.datetime | None:
    """The moment (UTC) a file's 14 digits name, or None when they name none."""
    try:
        return dt.datetime.strptime(stamp, FORMAT).replace(tzinfo=dt.UTC) if len(stamp) == 14 else None
    except ValueError:
        return None


def after(stamp: str) -> str:
    """The stamp of the file after this one (15 minutes later)."""
    return (dt.datetime.strptime(stamp, FORMAT) + dt.timedelta(minutes=15)).strftime(FORMAT)


def moment(text: str, what: str, *, end: bool = False) -> str:
    """A moment as GDELT names its files (YYYYMMDDHHMMSS), from `2016`, `2016-06-07`,
    `2016-06-07T12:15` or the 14 digits themselves. A partial moment means its first instant,
    or with `end` its last (`2016-07` ends on 2016-07-31T23:59:59), as partial dates do."""
    digits = re.sub(r"[-T: ]", "", text.strip())
    if not _MOMENT.fullmatch(digits):
        raise InvalidValue(f"{what} {text!r} is not a moment: write 2016-06-07, 2016-06-07T12:15 or 20160607121500")
    year = int(digits[:4])
    given = [int(digits[i : i + 2]) for i in range(4, len(digits), 2)]  # month, day, hour, minute, second
    if not 1 <= year <= 9999 or (given and not 1 <= given[0] <= 12):
        raise InvalidValue(f"{what} {text!r} is not a moment of the calendar")
    month = given[0] if given else (12 if end else 1)
    filled = given + ([12, days_in_month(year, month), 23, 59, 59] if end else [1, 1, 0, 0, 0])[len(given) :]
    try:
        dt.datetime(year, filled[0], filled[1], filled[2], filled[3], filled[4])
    except ValueError:
        raise InvalidValue(f"{what} {text!r} is not a moment of the calendar") from None
    return f"{year:04d}" + "".join(f"{part:02d}" for part in filled)
