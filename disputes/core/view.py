"""Saved views: a named portfolio of disputes, shared with the team through the store.

A view stores its filters by the names of `query.FILTERS` ({"tag": ["belarus"], "party":
["Russia"]}), as typed: its parties are matched through the actors of the day it is used.
It may also hold disputes by hand (`members`, their ids) and combine other views: a view
holds the disputes its filters and every `all_of` view agree on, plus its members, plus
the disputes of each `any_of` view. A view never names itself, however far round.
"""

from __future__ import annotations

from disputes.core import query
from disputes.core.errors import InvalidValue
from disputes.core.fields import shown
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.patterns import Pattern

TABLE = "views"
FIELDS = ("name", "filters", "members", "any_of", "all_of", "created", "updated")
COMBINING = ("members", "any_of", "all_of")  # the parts beyond filters (lists; absent: empty)
_NAME = Pattern(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}\Z")


def name_of(value: JsonValue) -> str:
    name = value.strip() if isinstance(value, str) else value
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidValue(
            f"a view's name is a word of letters, digits, '-', '_' or '.' (at most 60), not {shown(value)}"
        )
    return name


def key(name: str) -> str:
    return name.casefold()


def filters_of(given: JsonRecord, *, alone: bool = True) -> dict[str, list[str]]:
    """A view's filters, checked as a command's would be (dispute ids are not looked up here:
    a view may name disputes another clone has not seen yet); `alone`: the view has nothing
    else (no members, no views), so it needs one."""
    if not isinstance(given, dict):
        raise InvalidValue(f"a view's filters are an object, not {shown(given)}")
    kept = {name: list(query.values_of(values)) for name, values in given.items() if values}
    query.Filters.parse(kept, include_ended=True, ids=())
    if not kept and alone:
        raise InvalidValue(
            "a view needs at least one filter (e.g. --tag belarus), a member (`view add`) or views (--any-of)"
        )
    return kept


def parts(record: JsonRecord) -> dict[str, list[str]]:
    """A stored view's members and the views it combines ({part: list}, empty when absent)."""
    return {part: list(record.get(part) or ()) for part in COMBINING}


def combines(record: JsonRecord) -> bool:
    """Whether a view holds more than what its filters match (members, other views)."""
    return any(record.get(part) for part in COMBINING)


def _names_list(value: JsonValue, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidValue(f"its {what} are not a list of names")
    return value


def cycle(records: dict[str, JsonRecord], start: str) -> list[str]:
    """The views a view reaches back to itself through (`["desk", "a", "desk"]`), or []."""

    def walk(name: str, path: list[str]) -> list[str]:
        record = records.get(key(name))
        if record is None:
            return []
        for other in (*(record.get("any_of") or ()), *(record.get("all_of") or ())):
            if key(other) == key(start):
                return [*path, other]
            if key(other) not in {key(p) for p in path}:
                found = walk(other, [*path, other])
                if found:
                    return found
        return []

    return walk(start, [start])


def naming(records: dict[str, JsonRecord], name: str) -> list[str]:
    """The views that name a view among theirs (any_of, all_of), by name."""
    return sorted(
        r["name"]
        for r in records.values()
        if isinstance(r, dict)
        and any(key(v) == key(name) for v in (*(r.get("any_of") or ()), *(r.get("all_of") or ())))
    )


def record_problems(stored_key: str, record: object) -> list[str]:
    """What is wrong with a stored view."""
    if not isinstance(record, dict):
        return [f"view {stored_key} is not an object"]
    filters = record.get("filters")
    newer = sorted(set(filters) - set(query.FILTERS)) if isinstance(filters, dict) else []
    if newer:  # a filter added by a later version: its views are that version's to read
        return [
            f"view {stored_key} has the filter {newer[0]!r}, which this version of disputes does not know "
            "(a newer version wrote it): upgrade disputes"
        ]
    try:
        if key(name_of(record.get("name"))) != stored_key:
            raise InvalidValue(f"it carries the name {record.get('name')!r}")
        for part in COMBINING:
            for name in _names_list(record.get(part, []), part.replace("_", " ")):
                if part != "members":
                    name_of(name)
        filters_of(filters or {}, alone=not combines(record))
        for stamp in ("created", "updated"):
            if not isinstance(record.get(stamp, ""), str):
                raise InvalidValue(f"its {stamp} is not text")
    except InvalidValue as problem:
        return [f"view {stored_key} is not valid: {problem}"]
    return []


def problems_in(batch: JsonRecord) -> dict[str, list[str]]:
    """record_problems of each view of a batch that has some, and the views that reach back
    to themselves through others (seen only across records: two clones may each add half)."""
    found = {k: record_problems(k, record) for k, record in batch.items()}
    found = {k: problems for k, problems in found.items() if problems}
    readable = {k: r for k, r in batch.items() if k not in found}
    for k, record in readable.items():
        loop = cycle(readable, record["name"])
        if loop:
            found[k] = [f"view {k} names itself through other views ({' → '.join(loop)}): change one of them"]
    return found
