"""Events: dated facts linked to one or more disputes, with their effect on them."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from disputes import cameo, ids, model, register
from disputes.dates import now, parse_date
from disputes.errors import InvalidValue
from disputes.store import Store

TABLE = "events"
KINDS = ("meeting", "statement", "measure", "agreement", "incident", "ruling", "other")
EFFECTS = ("escalating", "de-escalating", "neutral")
LIST_FIELDS = ("actors", "sources", "disputes")


@dataclass(frozen=True)
class Event:
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
    created: str = ""
    updated: str = ""

    def to_dict(self) -> dict:
        record = dataclasses.asdict(self)
        for name in LIST_FIELDS:
            record[name] = list(record[name])
        return record

    @classmethod
    def from_dict(cls, record: dict) -> Event:
        return model.from_record(cls, record, _DEFAULTS, LIST_FIELDS)


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Event)}


def _score(value) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not -10 <= value <= 10:
        raise InvalidValue(f"score {value!r} is outside -10..10 (Goldstein scale)")
    return float(value)


def clean_fields(fields: dict) -> dict:
    """Validate user-given event fields; a CAMEO code also gives the score when none is given."""
    cleaners = {
        "date": lambda v: parse_date(v, what="event date"),
        "title": lambda v: model.one_line(v, "event title", required=True),
        "description": lambda v: model.free_text(v, "description"),
        "kind": lambda v: model.choice(v, KINDS, "kind"),
        "effect": lambda v: model.choice(v, EFFECTS, "effect"),
        "score": _score,
        "code": lambda v: cameo.lookup(v)[0] if v.strip() else "",
        "actors": lambda v: model.names(v, "actor"),
        "place": lambda v: model.one_line(v, "place"),
        "sources": lambda v: model.names(v, "source"),
    }
    values = {name: cleaners[name](value) for name, value in fields.items()}
    if values.get("code") and values.get("score") is None and "score" not in fields:
        values["score"] = cameo.lookup(values["code"])[2]
    if "effect" not in fields and values.get("score") is not None:
        values["effect"] = effect_of(values["score"])
    return values


def effect_of(score: float) -> str:
    """The effect a Goldstein score implies: conflict escalates, cooperation de-escalates."""
    return "escalating" if score < 0 else "de-escalating" if score > 0 else "neutral"


def all_events(store: Store, dispute: str = "") -> list[Event]:
    """Every event, or those linked to one dispute (found without parsing the others)."""
    if dispute:
        return [Event.from_dict(r) for r in store.mentioning(TABLE, dispute).values() if dispute in r["disputes"]]
    return [Event.from_dict(record) for record in store.records(TABLE).values()]


def find(store: Store, text: str) -> Event:
    """The event with this id or unambiguous id prefix."""
    records = store.records(TABLE)
    return Event.from_dict(records[ids.resolve(text, records, "event", "disputes event list")])


def _dispute_ids(store: Store, refs) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(register.find_id(store, ref) for ref in refs))
    if not found:
        raise InvalidValue("an event needs at least one dispute: name its id, prefix or reference")
    return found


def add(store: Store, dispute_refs, date: str, title: str, **fields) -> Event:
    """Record an event and link it to the disputes it bears on."""
    disputes = _dispute_ids(store, dispute_refs)
    given = {k: v for k, v in fields.items() if v is not None}
    values = clean_fields({"date": date, "title": title, **given})
    stamp = now()
    event = Event(id=ids.new_id(store.records(TABLE)), disputes=disputes, created=stamp, updated=stamp, **values)
    store.put(TABLE, event.id, event.to_dict())
    store.describe("event add", f"event {event.date} {event.title!r} on {len(disputes)} dispute(s)", date=event.date)
    return event


def edit(store: Store, text: str, changes: dict, note: str = "") -> Event:
    event = find(store, text)
    values = clean_fields({k: v for k, v in changes.items() if v is not None})
    changed = {k: v for k, v in values.items() if getattr(event, k) != v}
    if not changed:
        raise InvalidValue(f"nothing to change on event {event.id}: give new values")
    updated = dataclasses.replace(event, **changed, updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("event edit", f"changed {', '.join(sorted(changed))} of event {event.title!r}", note=model.free_text(note, "note"))
    return updated


def link(store: Store, text: str, dispute_refs) -> Event:
    """Attach an event to more disputes."""
    event = find(store, text)
    more = [d for d in _dispute_ids(store, dispute_refs) if d not in event.disputes]
    if not more:
        raise InvalidValue(f"event {event.id} is already linked to those disputes")
    updated = dataclasses.replace(event, disputes=(*event.disputes, *more), updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("event link", f"linked event {event.title!r} to {', '.join(more)}")
    return updated


def unlink(store: Store, text: str, dispute_refs) -> Event:
    """Detach an event from disputes; it must stay linked to at least one."""
    event = find(store, text)
    gone = _dispute_ids(store, dispute_refs)
    missing = [d for d in gone if d not in event.disputes]
    if missing:
        raise InvalidValue(f"event {event.id} is not linked to dispute {missing[0]}")
    left = tuple(d for d in event.disputes if d not in gone)
    if not left:
        raise InvalidValue(f"event {event.id} would be linked to no dispute: delete it instead")
    updated = dataclasses.replace(event, disputes=left, updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("event unlink", f"unlinked event {event.title!r} from {', '.join(gone)}")
    return updated


def delete(store: Store, text: str) -> Event:
    event = find(store, text)
    store.remove(TABLE, event.id)
    store.describe("event delete", f"deleted event {event.date} {event.title!r}")
    return event


def select(events: list[Event], *, dispute: str = "", since: str = "", until: str = "",
           kinds=(), effects=()) -> list[Event]:
    """Events in date order (partial dates first within their period), filtered."""
    since = parse_date(since, what="--since date") if since else ""
    until = parse_date(until, what="--until date") if until else ""
    kinds = {model.choice(k, KINDS, "kind") for k in kinds}
    effects = {model.choice(e, EFFECTS, "effect") for e in effects}
    chosen = [
        e for e in events
        if (not dispute or dispute in e.disputes)
        and (not since or e.date >= since)
        and (not until or e.date[: len(until)] <= until)
        and (not kinds or e.kind in kinds)
        and (not effects or e.effect in effects)
    ]
    return sorted(chosen, key=lambda e: (e.date, e.created, e.title, e.id))
