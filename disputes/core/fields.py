"""The checks every record type's fields go through: one line of text, free text, names,
sources, a choice among names, yes or no; the limits they hold; and the same checks run on
a whole column of a batch at once (import and doctor check 110,000 records a run), so that
each record is looked at on its own only when its column is not right as a whole."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Collection
from typing import Any

from disputes.core.errors import InvalidValue
from disputes.core.patterns import Pattern

MAX_LINE = 300  # a title or name longer than this is a paste accident, not a title
MAX_TEXT = 20_000
MAX_SOURCE = 4_000  # a source URL (GDELT's run past 300 characters)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{what} must be text, not {type(value).__name__}")
    if value.isascii():  # UTF-8, and left as it is by NFC
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 (a terminal in Latin-1), or a lone surrogate
        raise InvalidValue(f"{what} is not UTF-8 text: set your terminal or file to UTF-8") from None
    return unicodedata.normalize("NFC", value)


# Unicode's control characters (category Cc) are exactly these two ranges.
_CONTROL = Pattern("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = Pattern("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newlines and tabs allowed


def one_line(value: str, what: str, *, required: bool = False, longest: int = MAX_LINE) -> str:
    """A single line of user text: trimmed, no control characters, not absurdly long."""
    if type(value) is str and value.isascii() and value.isprintable():  # the common case, checked in C
        text = value.strip()
        if (text or not required) and len(text) <= longest:
            return text
    text = _text(value, what).strip()
    if required and not text:
        raise InvalidValue(f"{what} must not be empty")
    if _CONTROL.search(text):
        raise InvalidValue(f"{what} must be one line of text without control characters")
    if len(text) > longest:
        raise InvalidValue(f"{what} is {len(text)} characters long; the limit is {longest}")
    return text


def free_text(value: str, what: str) -> str:
    """Multi-line user text (a summary, a note): newlines and tabs allowed, other controls not;
    Windows and old Mac line ends (CRLF, CR) become newlines."""
    if type(value) is str and value.isascii() and value.replace("\n", "").replace("\t", "").isprintable():
        text = value.strip()  # no CR, no other control: the common case, checked in C
        if len(text) <= MAX_TEXT:
            return text
    text = _text(value, what).replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL_IN_TEXT.search(text):
        raise InvalidValue(f"{what} must not contain control characters")
    if len(text) > MAX_TEXT:
        raise InvalidValue(f"{what} is {len(text)} characters long; the limit is {MAX_TEXT}")
    return text


def names(values: Any, what: str) -> tuple[str, ...]:
    """A list of one-line names, trimmed, without empties or repeats (case-insensitive)."""
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise InvalidValue(f"the {what} list must be a list of names, not {type(values).__name__}")
    seen: dict[str, str] = {}
    for value in values:
        name = one_line(value, what)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(seen.values())


def sources(values: Any) -> tuple[str, ...]:
    """A list of sources (text or URLs), trimmed, without empties or exact repeats: URL paths
    are case-sensitive, so `/Doc` and `/doc` are two sources; a URL may be long."""
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise InvalidValue(f"the source list must be a list of sources, not {type(values).__name__}")
    return tuple(dict.fromkeys(text for text in (one_line(v, "source", longest=MAX_SOURCE) for v in values) if text))


def choice(value: str, choices: Collection[str], what: str) -> str:
    """One of a fixed set of names, case-insensitive, or InvalidValue listing them."""
    if type(value) is str and value in choices:  # as stored: the common case
        return value
    name = _text(value, what).strip().lower()
    if name not in choices:
        raise InvalidValue(f"unknown {what} {value!r}: choose one of {', '.join(choices)}")
    return name


def flag(value: object, what: str) -> bool:
    """Yes or no: a boolean, or text a CSV column holds (yes/no, true/false, 1/0)."""
    if isinstance(value, bool):
        return value
    text = value.strip().casefold() if isinstance(value, str) else None
    if text in ("yes", "true", "1", "y"):
        return True
    if text in ("no", "false", "0", "n"):
        return False
    raise InvalidValue(f"{what} is yes or no, not {shown(value)}")


def shown(value: object, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problems_by_column(
    batch: dict[str, Any],
    fields: tuple[str, ...],
    right: Callable[[str, list[Any]], bool],
    problems: Callable[[str, Any, tuple[str, ...]], list[str]],
    whole: Callable[[list[str], list[Any]], bool] | None = None,
) -> dict[str, list[str]]:
    """`problems(key, record, fields)` of each record of a batch that has some, by key, the
    `fields` whose whole column `right(name, values)` vouches for left out (a batch holding
    something other than records is checked field by field throughout). When every field
    was vouched for and `whole(keys, records)` vouches for what `problems` checks besides
    the fields, no record is looked at on its own."""
    records = list(batch.values())
    if all(type(record) is dict for record in records):
        fields = tuple(name for name in fields if not right(name, column(records, name)))
        if not fields and whole is not None and whole(list(batch), records):
            return {}
    found = {key: problems(key, record, fields) for key, record in batch.items()}
    return {key: listed for key, listed in found.items() if listed}


def column(records: list[dict[str, Any]], name: str) -> list[Any]:
    """The values of one field in a batch of records, those without it left out: in C when
    every record has it (doctor and import take the columns of 110,000 records)."""
    try:
        return list(map(operator.itemgetter(name), records))
    except KeyError:
        return [record[name] for record in records if name in record]


def texts_right(values: list[Any], longest: int, *, required: bool = False, multiline: bool = False) -> bool:
    """Whether every value of a column passes what one_line (or, `multiline`, free_text)
    checks, vouched for at once in C (plain printable ASCII, none too long); False only
    means that each must be checked on its own."""
    if set(map(type, values)) - {str}:
        return False
    joined = " ".join(values)
    if multiline:
        joined = joined.replace("\n", "").replace("\t", "")
    if not (joined.isascii() and joined.isprintable()) or max(map(len, values), default=0) > longest:
        return False
    return not required or all(map(str.strip, values))


def distinct_right(
    values: list[Any], problem: Callable[[Any], str | None], known: set[tuple[type, Any]] | None = None
) -> bool:
    """Whether every value of a column of few distinct ones (dates, statuses) has no
    `problem`, each distinct value checked once (True and 1 apart); `known` holds the
    (type, value) pairs found right before, which are not checked again (batch after batch,
    a few thousand dates are the same: one set difference instead of a call for each)."""
    try:
        distinct = set(zip(map(type, values), values, strict=True))
    except TypeError:  # an unhashable value: a list where text belongs
        return False
    if known is not None:
        distinct -= known
    if not all(problem(value) is None for _, value in distinct):
        return False
    if known is not None:
        if len(known) > _KNOWN_AT_MOST:  # a column of ever new values (a million GDELT places) stays small
            known.clear()
        known |= distinct
    return True


_KNOWN_AT_MOST = 1 << 15
