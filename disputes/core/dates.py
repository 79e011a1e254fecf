"""Partial dates (`2015`, `2015-06`, `2015-06-07`) kept as given, validated and compared."""

from __future__ import annotations

import datetime as dt

from disputes.core.errors import InvalidValue
from disputes.core.patterns import Pattern

_ISO = Pattern(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # as written in English, whatever the system's locale
_MONTHS = {name: number for number, month in enumerate(MONTH_NAMES, 1) for name in (month.lower(), month[:3].lower())}
_WRITTEN_DMY = Pattern(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")  # 10 JANUARY 1995
_WRITTEN_MDY = Pattern(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")  # June 7, 2016
_WRITTEN_MY = Pattern(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")  # June 2016


def parse_date(text: str, *, what: str = "date", since: str = "") -> str:
    """Return `text` as a canonical partial ISO date, or raise InvalidValue.

    Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, written forms such as `10 JANUARY 1995`,
    `June 7, 2016` or `June 2016`, and days relative to today: `today`, `yesterday`,
    `tomorrow`, `+3d`, `-2w`, `+1m`, `+1y` (resolved now, so what is kept is a date).
    Partial dates stay partial. With `since` (a whole day), relative days count from it instead.
    """
    if not isinstance(text, str):
        raise InvalidValue(f"{what} must be text such as 2016-06-07, not {type(text).__name__}")
    known = _ISO_SEEN.get(text)
    if known is not None:  # 100,000 imported events fall on a few thousand days
        return known
    value = text.strip()
    relative = _relative(value.lower(), since or today())
    if relative is not None:
        return relative
    match = _ISO.match(value)
    if match:
        year, month, day = match.groups()
        parsed = _checked(value, what, int(year), int(month) if month else None, int(day) if day else None)
        if len(_ISO_SEEN) < 100_000:  # an ISO date means the same whatever day it is today
            _ISO_SEEN[text] = parsed
        return parsed
    for pattern, order in ((_WRITTEN_DMY, "dmy"), (_WRITTEN_MDY, "mdy"), (_WRITTEN_MY, "my")):
        match = pattern.match(value)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=False))
        month = _MONTHS.get(parts["m"].lower())
        if month is None:
            break
        day = int(parts["d"]) if "d" in parts else None
        return _checked(value, what, int(parts["y"]), month, day)
    raise InvalidValue(f"{what} {text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2016-06-07)")


_ISO_SEEN: dict[str, str] = {}  # ISO dates parsed already, as typed -> canonical
_RELATIVE = Pattern(r"^([+-])(\d{1,5})([dwmy])$")
_NAMED_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _relative(value: str, origin: str) -> str | None:
    """A day relative to `origin` (today), as a full date; None when `value` is not one."""
    if value in _NAMED_DAYS:
        return plus_days(origin, _NAMED_DAYS[value])
    match = _RELATIVE.match(value)
    if not match:
        return None
    sign, number, unit = match.groups()
    amount = int(number) * (-1 if sign == "-" else 1)
    day = (
        plus_months(origin, amount * (12 if unit == "y" else 1))
        if unit in "my"
        else plus_days(origin, amount * (7 if unit == "w" else 1))
    )
    if day is None:
        raise InvalidValue(f"{value!r} falls outside the calendar (years 1 to 9999)")
    return day


def parse_full_date(text: str, *, what: str = "date") -> str:
    """Like parse_date, but only a whole day will do (`YYYY-MM-DD`, or `today`)."""
    value = parse_date(text, what=what)
    if len(value) != 10:
        raise InvalidValue(f"{what} needs a full date (YYYY-MM-DD), not {text!r}")
    return value


def _checked(original: str, what: str, year: int, month: int | None, day: int | None) -> str:
    if not 1 <= year <= 9999:
        raise InvalidValue(f"{what} {original!r} has an impossible year")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise InvalidValue(f"{what} {original!r} has an impossible month")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise InvalidValue(f"{what} {original!r} is not a day of the calendar") from None


def today() -> str:
    """Today's date in ISO form (local time, as the user sees the calendar)."""
    return dt.date.today().isoformat()


def utc() -> dt.datetime:
    """The clock every stamp is read from (one place for tests to move it, instead of sleeping)."""
    return dt.datetime.now(dt.UTC)


def now() -> str:
    """The current moment in UTC, to the second, for created/updated stamps."""
    return utc().strftime("%Y-%m-%dT%H:%M:%SZ")


def start_of(partial: str) -> dt.date:
    """The first day a partial date can mean: `2015` is 2015-01-01."""
    parts = [int(p) for p in partial[:10].split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def days_between(earlier: str, later: str) -> int:
    """Whole days from the start of one partial date to the start of another."""
    return (start_of(later) - start_of(earlier)).days


def on_or_before(date: str, bound: str) -> bool:
    """Whether a partial date falls on or before a (partial) bound; a partial bound covers
    its whole period: "2016-12-31" is on or before "2016", and "2016" is on or before "2016-05"."""
    return date[: len(bound)] <= bound


def on_or_after(date: str, bound: str) -> bool:
    """Whether a partial date starts on or after a (partial) bound: "2016-06" is on or after
    "2016", "2016" is not on or after "2016-05" (it may mean January)."""
    return date >= bound


def ends_before(date: str, bound: str) -> bool:
    """Whether a (partial) date is over before a (partial) bound begins: "2016-12-31" and
    "2016-12" end before "2017"; "2017-01" does not end before "2017-01-20"."""
    return end_of(date) < bound


def plus_days(day: str, days: int) -> str | None:
    """The full date `days` after `day`, or None past the calendar's end (the year 9999)."""
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except OverflowError:
        return None


def plus_months(day: str, months: int) -> str | None:
    """The full date `months` after `day`, keeping the day of the month (clamped to the
    month's end: 31 January + 1 month is 28 or 29 February); None outside the calendar."""
    start = dt.date.fromisoformat(day)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    return dt.date(year, month + 1, min(start.day, days_in_month(year, month + 1))).isoformat()


def end_of(partial: str) -> str:
    """The last day a partial date can mean: `2017-03` is 2017-03-31, `2017` is 2017-12-31."""
    if len(partial) >= 10:
        return partial[:10]
    if len(partial) == 4:
        return f"{partial}-12-31"
    year, month = int(partial[:4]), int(partial[5:7])
    return f"{partial}-{days_in_month(year, month):02d}"


def days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else _LENGTHS[month - 1]


_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
