"""Import profiles in the store: saved, read back for an import, listed, deleted."""

from __future__ import annotations

from disputes.core import profile
from disputes.core.dates import now
from disputes.core.errors import NotFound
from disputes.core.jsontypes import JsonRecord
from disputes.store.database import Store

TABLE = profile.TABLE


def saved(store: Store, name: str) -> JsonRecord:
    """The profile of that name, or NotFound naming those there are."""
    record = store.record(TABLE, profile.key(name))
    if record is None:
        known = ", ".join(sorted(r["name"] for r in store.records(TABLE).values())) or "none yet"
        raise NotFound(
            f"no import profile {name!r} (profiles: {known}); save one with `import FILE ... --save-profile NAME`"
        )
    return record


def save(store: Store, name: str, options: JsonRecord, *, described: bool = True) -> JsonRecord:
    """Save (or replace) a profile: the options of a mapping (core.profile). Not `described`:
    part of a command that describes its change itself (an import that saves its mapping)."""
    name = profile.name_of(name)
    kept = profile.options_of(options)
    before = store.record(TABLE, profile.key(name))
    stamp = now()
    record = {"name": name, "options": kept, "created": before["created"] if before else stamp, "updated": stamp}
    store.put(TABLE, profile.key(name), record)
    if described:
        store.describe("profile save", f"import profile {name}")
    return record


def listing(store: Store) -> list[JsonRecord]:
    return sorted(store.records(TABLE).values(), key=lambda record: record["name"].casefold())


def delete(store: Store, name: str) -> JsonRecord:
    record = saved(store, name)
    store.remove(TABLE, profile.key(name))
    store.describe("profile delete", f"deleted import profile {record['name']}")
    return record
