"""Whether a stored value is in the form the program writes it: cleaning it changes nothing.

The validators of the registry run the cleaners of typed input, which strip and coerce, so a
hand edit such as a priority of " high " or a probability of "0.6" cleaned fine and passed,
while the readers take the stored value as it is (and crashed on it). What the program writes
is cleaned already and cleaning it again changes nothing; a value that cleaning would change
was written by another hand, and doctor names it (and --fix writes the cleaned value when it
only differs in spacing, case or the type of a number: never a date read relative to today).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import orjson

from disputes.core.errors import DisputesError
from disputes.core.jsontypes import JsonRecord, JsonValue

_SPACES = re.compile(r"\s+")


class OffForm(NamedTuple):
    """A stored field whose value is not in the form the program writes."""

    field: str
    stored: object
    cleaned: object  # the form the program writes (None: there is none to give)
    fixable: bool


def as_stored(value: JsonValue) -> JsonValue:
    """A value as the store holds it (tuples are JSON lists)."""
    return orjson.loads(orjson.dumps(value))


def _words(value: JsonValue) -> object:
    if isinstance(value, list):
        return [_words(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return _SPACES.sub(" ", value).strip().casefold()
    return as_stored(value)


def off_form(
    batch: JsonRecord,
    clean: Callable[[JsonRecord], JsonRecord],
    fields: tuple[str, ...],
    single_ids: tuple[str, ...] = (),
) -> dict[str, list[OffForm]]:
    """Of each record of a batch, the `fields` that cleaning would change (checked once for
    each distinct value), and the `single_ids` (fields naming one dispute) that are not text."""
    seen: dict[tuple[object, ...], OffForm | None] = {}
    found: dict[str, list[OffForm]] = {}
    for key, record in batch.items():
        if not isinstance(record, dict):
            continue  # its own checks name it
        for name in single_ids:
            value = record.get(name, "")
            if not isinstance(value, str):  # a list of the one id: the id is what the program writes
                one = value[0] if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) else None
                found.setdefault(key, []).append(OffForm(name, value, one, one is not None))
        for name in fields:
            if name not in record:
                continue
            value = record[name]
            memo: tuple[object, ...] = (name, type(value), tuple(value) if isinstance(value, list) else value)
            try:
                hash(memo)
            except TypeError:
                memo = ()
            off = seen[memo] if memo in seen else _off(name, value, clean)
            if memo:
                seen[memo] = off
            if off is not None:
                found.setdefault(key, []).append(off)
    return found


def _off(name: str, value: JsonValue, clean: Callable[[JsonRecord], JsonRecord]) -> OffForm | None:
    try:
        cleaned = as_stored(clean({name: value})[name])
    except (DisputesError, KeyError, TypeError, ValueError, AttributeError, orjson.JSONEncodeError):
        return None  # a value cleaning refuses is the validators' to name
    if cleaned == value and type(cleaned) is type(value):
        return None
    return OffForm(name, value, cleaned, _words(value) == _words(cleaned))


def status_problem(key: str, record: JsonRecord) -> str | None:
    """A dispute's status is its history's last step (DESIGN: Storage guarantees)."""
    if not isinstance(record, dict):
        return None
    history = record.get("status_history")
    if not isinstance(history, list) or not history or not isinstance(history[-1], dict):
        return None
    last = history[-1].get("status")
    if "status" in record and isinstance(last, str) and record["status"] != last:
        return (
            f"dispute {key} has the status {record['status']!r}, but its status history ends with {last!r}: "
            f"set its status again (`disputes status {key} STATUS`) or restore the store"
        )
    return None
