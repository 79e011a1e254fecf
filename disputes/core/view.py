"""Saved views: a named set of filters (a portfolio), shared with the team through the store.

A view stores its filters by the names of `query.FILTERS` ({"tag": ["belarus"], "party":
["Russia"]}), as typed: its parties are matched through the actors of the day it is used.
"""

from __future__ import annotations

from disputes.core import model, query
from disputes.core.errors import InvalidValue
from disputes.core.patterns import Pattern

TABLE = "views"
FIELDS = ("name", "filters", "created", "updated")
_NAME = Pattern(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}\Z")


def name_of(value) -> str:
    name = value.strip() if isinstance(value, str) else value
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidValue(
            f"a view's name is a word of letters, digits, '-', '_' or '.' (at most 60), not {model.shown(value)}"
        )
    return name


def key(name: str) -> str:
    return name.casefold()


def filters_of(given: dict) -> dict[str, list[str]]:
    """A view's filters, checked as a command's would be (dispute ids are not looked up here:
    a view may name disputes another clone has not seen yet)."""
    if not isinstance(given, dict):
        raise InvalidValue(f"a view's filters are an object, not {model.shown(given)}")
    kept = {name: list(query.values_of(values)) for name, values in given.items() if values}
    query.Filters.parse(kept, include_ended=True, ids=())
    if not kept:
        raise InvalidValue("a view needs at least one filter, e.g. --tag belarus or --party Russia")
    return kept


def record_problems(stored_key: str, record) -> list[str]:
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
        filters_of(filters or {})
        for stamp in ("created", "updated"):
            if not isinstance(record.get(stamp, ""), str):
                raise InvalidValue(f"its {stamp} is not text")
    except InvalidValue as problem:
        return [f"view {stored_key} is not valid: {problem}"]
    return []
