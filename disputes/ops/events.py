"""Recording events: add, change, link, unlink and delete them, each one described change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import TypeVar

import orjson

from disputes.core import event as event_rules
from disputes.core import frozen, ids, model
from disputes.core.dates import now
from disputes.core.errors import InvalidValue
from disputes.core.event import TABLE, Event, clean_fields
from disputes.core.fields import free_text
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.vocabulary import counted
from disputes.ops import lookup
from disputes.store.database import Store

_Kept = TypeVar("_Kept")
LISTED = ("id", "date", "kind", "effect", "score", "disputes", "title", "created")  # what a listing shows


def dispute_refs(store: Store) -> dict[str, str]:
    """The ref of each dispute that has one ({id: "DS512"}), read from the disputes' index:
    what a listing of events names its disputes by."""
    return {row["id"]: row["ref"] for row in store.scan(model.TABLE, ("id", "ref")) if row.get("ref")}


def listed(
    store: Store, *, fields: tuple[str, ...] = LISTED, seen: list[str] | None = None, **filters: JsonValue
) -> list[JsonRecord]:
    """The events a listing shows, in date order: records cut to `fields` (read from the
    events' index when it holds them). `seen` collects the id of every event read."""
    return _listed(store, fields, seen, filters, lambda record: record)


def listed_encoded(store: Store, *, seen: list[str] | None = None, **filters: JsonValue) -> list[bytes]:
    """The events a listing shows, in date order, each whole record encoded as JSON, so that
    100,000 events never sit in memory as full records (`--json`). `seen` as in `listed`."""
    # orjson's bytes carry a 4 KiB buffer: a tight copy keeps 100,000 of them at 50 MB, not 800
    return _listed(store, None, seen, filters, lambda record: memoryview(orjson.dumps(record)).tobytes())


def _listed(
    store: Store,
    fields: tuple[str, ...] | None,
    seen: list[str] | None,
    filters: dict[str, JsonValue],
    kept_as: Callable[[JsonRecord], _Kept],
) -> list[_Kept]:
    admits = event_rules.criteria(**filters)
    disputes = filters.get("disputes")
    if disputes is not None and len(disputes) <= 50:  # found by their lines, the others not parsed
        records = (record for batch in _mentioning(store, disputes) for record in batch.values())
    elif fields is None:
        records = (record for batch in store.batches(TABLE) for record in batch.values())
    else:  # what the filters and the order read, besides what is shown
        records = store.scan(TABLE, tuple({*fields, "id", "date", "created", "title", "disputes", "kind", "effect"}))
    found = []
    for record in records:
        if seen is not None:
            seen.append(record["id"])
        if admits(record):
            found.append((event_rules.order(record), kept_as(record)))
    found.sort(key=itemgetter(0))
    return [kept for _, kept in found]


def _mentioning(store: Store, disputes: frozenset[str]) -> Iterator[JsonRecord]:
    done: set[str] = set()
    for dispute in sorted(disputes):
        batch = {key: record for key, record in store.mentioning(TABLE, dispute).items() if key not in done}
        done.update(batch)
        yield batch


def all_events(store: Store, dispute: str = "") -> list[Event]:
    """Every event, or those linked to one dispute (found without parsing the others)."""
    if dispute:
        return [Event.from_dict(r) for r in store.mentioning(TABLE, dispute).values() if dispute in r["disputes"]]
    return [Event.from_dict(record) for record in store.records(TABLE).values()]


def add(store: Store, dispute_refs: Iterable[str], date: str, title: str, **fields: JsonValue) -> Event:
    """Record an event and link it to the disputes it bears on."""
    disputes = lookup.dispute_ids(store, dispute_refs)
    given = {k: v for k, v in fields.items() if v is not None}
    values = clean_fields({"date": date, "title": title, **given})
    stamp = now()
    event = Event(id=ids.new_id(store.ids(TABLE)), disputes=disputes, created=stamp, updated=stamp, **values)
    store.put(TABLE, event.id, event.to_dict())
    on = counted(len(disputes), "dispute")
    store.describe("event add", f"event {event.date} {event.title!r} on {on}", date=event.date)
    return event


def edit(store: Store, text: str, changes: JsonRecord, note: str = "") -> Event:
    event = lookup.event_record(store, text)
    values = clean_fields({k: v for k, v in changes.items() if v is not None})
    changed = {k: v for k, v in values.items() if getattr(event, k) != v}
    if not changed:
        raise InvalidValue(f"nothing to change on event {event.id}: give new values")
    updated = frozen.replace(event, **changed, updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe(
        "event edit",
        f"changed {', '.join(sorted(changed))} of event {event.title!r}",
        note=free_text(note, "note"),
    )
    return updated


def link(store: Store, text: str, dispute_refs: Iterable[str]) -> Event:
    """Attach an event to more disputes."""
    event = lookup.event_record(store, text)
    more = [d for d in lookup.dispute_ids(store, dispute_refs) if d not in event.disputes]
    if not more:
        raise InvalidValue(f"event {event.id} is already linked to those disputes")
    updated = frozen.replace(event, disputes=(*event.disputes, *more), updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("event link", f"linked event {event.title!r} to {', '.join(more)}")
    return updated


def unlink(store: Store, text: str, dispute_refs: Iterable[str]) -> Event:
    """Detach an event from disputes; it must stay linked to at least one."""
    event = lookup.event_record(store, text)
    gone = lookup.dispute_ids(store, dispute_refs)
    missing = [d for d in gone if d not in event.disputes]
    if missing:
        raise InvalidValue(f"event {event.id} is not linked to dispute {missing[0]}")
    left = tuple(d for d in event.disputes if d not in gone)
    if not left:
        raise InvalidValue(f"event {event.id} would be linked to no dispute: delete it instead")
    updated = frozen.replace(event, disputes=left, updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("event unlink", f"unlinked event {event.title!r} from {', '.join(gone)}")
    return updated


def delete(store: Store, text: str) -> Event:
    event = lookup.event_record(store, text)
    store.remove(TABLE, event.id)
    store.describe("event delete", f"deleted event {event.date} {event.title!r}")
    return event
