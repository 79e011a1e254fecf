"""Events: dated facts linked to one or more disputes, with their effect on them."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from typing import Any

from disputes.core import cameo, frozen
from disputes.core.dates import on_or_after, on_or_before, parse_date
from disputes.core.errors import InvalidValue
from disputes.core.fields import (
    MAX_LINE,
    MAX_SOURCE,
    MAX_TEXT,
    choice,
    column,
    distinct_right,
    free_text,
    names,
    one_line,
    problems_by_column,
    shown,
    sources,
    texts_right,
)
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue

TABLE = "events"
KINDS = ("meeting", "statement", "measure", "agreement", "incident", "ruling", "other")
EFFECTS = ("escalating", "de-escalating", "neutral")
LIST_FIELDS = ("actors", "sources", "disputes", "refs")
# what the whole-store reads need of an event (its place in time, its weight, its disputes
# and its line in a listing or timeline): the events' index holds these, and the id
SUMMARY = ("date", "kind", "effect", "score", "disputes", "title", "created")
# `ref` (the id an event has in its source, "gdelt:498552812") and `mentions` (how often the
# source saw it reported) come with imported event data.
EDITABLE = (
    "date", "title", "description", "kind", "effect", "score", "code", "actors", "place", "sources", "ref", "mentions",
    "refs",
)  # fmt: skip


class Event(Frozen):
    """One dated fact, linked to the disputes it bears on."""

    id: str
    date: str
    title: str
    description: str = ""
    kind: str = "other"
    effect: str = "neutral"
    score: float | None = None
    code: str = ""
    actors: tuple[str, ...] = ()
    place: str = ""
    sources: tuple[str, ...] = ()
    disputes: tuple[str, ...] = ()
    ref: str = ""
    mentions: int | None = None
    refs: tuple[str, ...] = ()  # event data: the ids of every row that told this story, when several did
    # event data: the fields as the source gave them at the last import, so that a re-import
    # changes only what the source changed since, never what the analyst edited
    imported: JsonRecord | None = None
    created: str = ""
    updated: str = ""

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _DEFAULTS, LIST_FIELDS)

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Event:
        return frozen.from_record(cls, record, _DEFAULTS, LIST_FIELDS)


_DEFAULTS = frozen.defaults(Event)


def _score(value: JsonValue) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not -10 <= value <= 10
    ):
        raise InvalidValue(f"score {value!r} is outside -10..10 (Goldstein scale)")
    return float(value) + 0.0  # -0 is 0: adding +0.0 drops the sign a "-0" typed would show


def _mentions(value: JsonValue) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(f"mentions {shown(value)} is not a whole number from 0")
    return value


_CLEANERS = {
    "date": lambda v: parse_date(v, what="event date"),
    "title": lambda v: one_line(v, "event title", required=True),
    "description": lambda v: free_text(v, "description"),
    "kind": lambda v: choice(v, KINDS, "kind"),
    "effect": lambda v: choice(v, EFFECTS, "effect"),
    "score": _score,
    "code": lambda v: cameo.lookup(v)[0] if v.strip() else "",
    "actors": lambda v: names(v, "actor"),
    "place": lambda v: one_line(v, "place"),
    "sources": sources,
    "ref": lambda v: one_line(v, "event reference"),
    "refs": lambda v: tuple(one_line(r, "event reference") for r in sources(v)),
    "mentions": _mentions,
}


def clean_fields(fields: JsonRecord, settled: frozenset[str] = frozenset()) -> JsonRecord:
    """Validate user-given event fields; a CAMEO code also gives the score when none is given.
    The `settled` fields are known to be clean already (`settled_in`): taken as they are."""
    values: dict[str, Any] = {
        name: _CLEANERS[name](value) if name not in settled else tuple(value) if name in _LISTS else value
        for name, value in fields.items()
    }
    if values.get("code") and values.get("score") is None and "score" not in fields:
        values["score"] = cameo.lookup(values["code"])[2]
    if "effect" not in fields and values.get("score") is not None:
        values["effect"] = effect_of(values["score"])
    return values


def settled_in(records: list[JsonValue]) -> frozenset[str]:
    """The fields that every record of a batch gives as clean_fields would make them (an
    export's, as they were stored): checked a column at a time, so that import cleans only
    the others value by value (100,000 events of an export, 20 microseconds each)."""
    records = [record for record in records if type(record) is dict]
    scalars = [name for name in _SCALARS if _settled(name, column(records, name))]
    lists = [name for name in _LISTS if _settled_lists(name, column(records, name))]
    return frozenset((*scalars, *lists))


_SCALARS = ("date", "title", "description", "kind", "effect", "score", "code", "place", "ref", "mentions")
_LISTS = {"actors": MAX_LINE, "sources": MAX_SOURCE, "refs": MAX_LINE}  # the longest item


def _settled_lists(name: str, values: list[JsonValue]) -> bool:
    """Whether every value is a list the cleaner gives back as it is (as a tuple): printable
    ASCII items, trimmed, none empty or too long, none repeated (actors in any case)."""
    if set(map(type, values)) - {list}:
        return False
    items = [item for value in values for item in value]
    if not (texts_right(items, _LISTS[name], required=True) and _trimmed(items)):
        return False
    distinct = (lambda value: set(map(str.casefold, value))) if name == "actors" else set
    return all(len(value) == len(distinct(value)) for value in values)


def _trimmed(texts: list[str]) -> bool:
    """Whether no text has spaces to trim at either end (checked in C)."""
    return all(map(str.__eq__, texts, map(str.strip, texts)))


def _settled(name: str, values: list[JsonValue]) -> bool:
    if name in ("title", "description", "place", "ref"):  # plain ASCII (nothing to normalise), trimmed
        return _texts_right(name, values) and _trimmed(values)

    def kept(value: JsonValue) -> str | None:  # None: the cleaner gives it back as it is, type and all
        cleaned = _CLEANERS[name](value)
        return None if type(cleaned) is type(value) and cleaned == value else "changed"

    try:
        return distinct_right(values, kept)
    except (InvalidValue, AttributeError, TypeError):
        return False


def record_problems(key: str, record: object, fields: tuple[str, ...] = EDITABLE) -> list[str]:
    """What is wrong with a stored event record, by the same rules as typed input (of its
    `fields`: those `problems_in` did not find right in a whole batch already)."""
    if not isinstance(record, dict):
        return [f"event {key} is not an object"]
    problems = []
    for name in fields:
        if name not in record:
            continue
        value = record[name]
        if name in LIST_FIELDS:
            why = _list_problem(name, value)
        elif name in _REPEATED:
            why = (
                _value_problem(name, type(value), value)  # type: ignore[arg-type]  # a type is hashable
                if isinstance(value, str | int | float | None)
                else "not text"
            )
        else:
            why = _problem(name, value)
        if why:
            problems.append(f"event {key} has an invalid {name}: {shown(value)} ({why})")
    if record.get("id") != key:
        problems.append(f"event {key} carries the id {shown(record.get('id'))}")
    for name in REQUIRED:  # what every reader of events relies on
        if name not in record:
            problems.append(f"event {key} has no {name}")
    if not isinstance(record.get("disputes", []), list):
        problems.append(f"event {key} has an invalid disputes list: {shown(record['disputes'])}")
    for name in STAMPS:
        if not isinstance(record.get(name, ""), str):
            problems.append(f"event {key} has an invalid {name}: {shown(record[name])} (not text)")
    return problems


def problems_in(batch: JsonRecord) -> dict[str, list[str]]:
    """record_problems of each record of a batch that has some, by key. A field is checked a
    column at a time where that can vouch for all of its values at once (doctor checks
    100,000 events: value by value, that was most of its time), else value by value."""
    return problems_by_column(batch, EDITABLE, _right, record_problems, _whole_right)


def _whole_right(keys: list[str], records: list[JsonRecord]) -> bool:
    """What record_problems checks besides the fields, for a whole batch at once: each
    record's id is its key, every REQUIRED field is there, `disputes` is a list and the stamps text."""
    return (
        column(records, "id") == keys
        and all(len(column(records, name)) == len(records) for name in REQUIRED)
        and not set(map(type, column(records, "disputes"))) - {list}
        and not any(set(map(type, column(records, name))) - {str} for name in STAMPS)
    )


def _right(name: str, values: list[JsonValue]) -> bool:
    """Whether every value of one field is right, as record_problems would find it: a False
    only means that each must be checked on its own."""
    if name in _REPEATED:  # a few distinct values, each checked once in a command
        check = lambda value: _value_problem(name, type(value), value)  # type: ignore[arg-type]  # noqa: E731
        return distinct_right(values, check, _FOUND_RIGHT.setdefault(name, set()))
    if name in LIST_FIELDS:
        longest = MAX_SOURCE if name == "sources" else MAX_LINE
        return not set(map(type, values)) - {list} and texts_right([i for v in values for i in v], longest)
    return _texts_right(name, values)


def _texts_right(name: str, values: list[JsonValue]) -> bool:
    longest = MAX_TEXT if name == "description" else MAX_LINE
    return texts_right(values, longest, required=name == "title", multiline=name == "description")


_REPEATED = ("date", "kind", "effect", "score", "code", "place", "mentions")
_FOUND_RIGHT: dict[str, set[tuple[type, JsonValue]]] = {}  # of each repeated field, the (type, value) pairs found right
REQUIRED = ("date", "title", "kind", "effect", "score", "disputes")  # what readers of whole records rely on
STAMPS = ("created", "updated")  # text when given: listings sort by them


def _problem(name: str, value: JsonValue) -> str | None:
    if name not in ("score", "mentions") and name not in LIST_FIELDS and not isinstance(value, str):
        return f"{name} must be text, not {type(value).__name__}"
    try:
        _CLEANERS[name](value)
    except (InvalidValue, AttributeError, TypeError) as problem:
        return str(problem)
    return None


# as many as the distinct values of a column may be: 100,000 events over thirty years hold
# 11,000 dates, and a cache smaller than that checked each date again in every batch
@functools.lru_cache(maxsize=1 << 15)
def _value_problem(name: str, kind: type, value: JsonValue) -> str | None:  # `kind`: True must not pass as a cached 1
    return _problem(name, value)


def _list_problem(name: str, value: JsonValue) -> str | None:
    if not isinstance(value, list):  # a dict too: unhashable, never to reach the cache below
        return f"{name} must be a list, not {type(value).__name__}"
    return _names_problem(name, tuple(value)) if all(isinstance(item, str) for item in value) else "names must be text"


@functools.lru_cache(maxsize=8192)
def _names_problem(name: str, value: tuple[str, ...]) -> str | None:
    return _problem(name, list(value))


def imported_fields(value: JsonValue) -> JsonRecord | None:
    """The source's values kept on an imported event, checked as the fields themselves are."""
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= set(EDITABLE):
        raise InvalidValue("'imported' must be an object of an event's fields")
    return {name: list(v) if isinstance(v, tuple) else v for name, v in clean_fields(value).items()}


def updated_from_source(before: JsonRecord, given: JsonRecord) -> JsonRecord:
    """An imported event after its source was read again: a field the source changed since
    the last import takes the source's new value; a field the source left alone keeps
    what is stored (the analyst's edit, if any). Events imported before the source's
    values were kept are left as they are, and keep the source's values from now on."""
    last = before.get("imported") or {}
    changed = {name: value for name, value in given.items() if name in last and last[name] != value}
    return {**before, **changed, "imported": given}


def rows_of(record: JsonRecord) -> set[str]:
    """The ids of the source rows an imported event was made of (one story, one event)."""
    return set(record.get("refs") or ([record["ref"]] if record.get("ref") else []))


def grown(before: JsonRecord, given: JsonRecord, rows: set[str]) -> JsonRecord | None:
    """A story met again, as the event should now read it; None when nothing is new in it.

    One file may hold some of a story's rows and another the rest (a 15-minute file, then
    a backfill): rows already counted add nothing (a subset read again is not the source
    changing its mind), rows not yet counted add their id and their mentions."""
    known = rows_of(before)
    if not known or rows == known:
        return updated_from_source(before, given)
    if rows <= known:
        return None
    every = sorted(known | rows)
    mentions = given.get("mentions")
    if known.isdisjoint(rows) and mentions is not None:  # wholly new rows: their mentions add up
        mentions += before.get("mentions") or 0
    elif mentions is not None:  # some counted already: the larger count holds the most rows
        mentions = max(mentions, before.get("mentions") or 0)
    grew = {"refs": every, **({"mentions": mentions} if mentions is not None else {})}
    base = {**given, **grew, "ref": before.get("ref") or given.get("ref")}
    return {**before, **grew, "imported": base}


def effect_of(score: float) -> str:
    """The effect a Goldstein score implies: conflict escalates, cooperation de-escalates."""
    return "escalating" if score < 0 else "de-escalating" if score > 0 else "neutral"


def criteria(
    *,
    disputes: frozenset[str] | None = None,
    since: str = "",
    until: str = "",
    kinds: Iterable[str] = (),
    effects: Iterable[str] = (),
) -> Callable[[JsonRecord], bool]:
    """A test of event records (dicts) for the filters a user typed, validated once."""
    since = parse_date(since, what="--since date") if since else ""
    until = parse_date(until, what="--until date") if until else ""
    kinds = {choice(k, KINDS, "kind") for k in kinds}
    effects = {choice(e, EFFECTS, "effect") for e in effects}

    def admits(record: JsonRecord) -> bool:
        return (
            (disputes is None or not disputes.isdisjoint(record["disputes"]))
            and (not since or on_or_after(record["date"], since))
            and (not until or on_or_before(record["date"], until))
            and (not kinds or record["kind"] in kinds)
            and (not effects or record["effect"] in effects)
        )

    return admits


def order(record: JsonRecord) -> tuple[str, str, str, str]:
    """Date order (partial dates first within their period), then as recorded."""
    return record["date"], record.get("created") or "", record["title"], record["id"]


def select(events: list[Event], **filters: JsonValue) -> list[Event]:
    """Events in date order, filtered (see `criteria`)."""
    admits = criteria(**filters)
    return sorted((e for e in events if admits(e.__dict__)), key=lambda e: order(e.__dict__))
