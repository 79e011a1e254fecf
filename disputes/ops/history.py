"""The history of changes, and undo: every command leaves one entry, undo reverts the last."""

from __future__ import annotations

from disputes.core.changes import TABLE
from disputes.core.errors import NotFound
from disputes.store.database import Store


def entries(store: Store, dispute_id: str = "") -> list[dict]:
    """History entries, oldest first; with a dispute id, those that touched it or its events."""
    records = store.mentioning(TABLE, dispute_id) if dispute_id else store.records(TABLE)
    chosen = [records[key] for key in sorted(records)]
    if dispute_id:
        chosen = [e for e in chosen if any(_touches(c, dispute_id) for c in e["changes"])]
    return chosen


def _touches(change: dict, dispute_id: str) -> bool:
    if change["table"] == "disputes":
        return change["id"] == dispute_id
    records = [r for r in (change["before"], change["after"]) if r]
    if change["table"] == "events":
        return any(dispute_id in r.get("disputes", ()) for r in records)
    if change["table"] == "relations":
        return any(dispute_id in (r.get("from"), r.get("to")) for r in records)
    return False


def undo(store: Store) -> dict:
    """Revert the last change not yet undone; repeatable, one command at a time."""
    records = store.records(TABLE)
    for key in sorted(records, reverse=True):
        entry = records[key]
        if entry.get("undone") or entry.get("action") == "undo" or not entry["changes"]:
            continue  # a merge's decisions change nothing by themselves
        for change in reversed(entry["changes"]):
            if change["before"] is None:
                store.remove(change["table"], change["id"])
            else:
                store.put(change["table"], change["id"], change["before"])
        store.mark(key, undone=True)
        store.describe("undo", f"undid {entry['action']}: {entry['summary']}")
        return entry
    raise NotFound("nothing to undo: the history has no change left to revert")


def decisions(store: Store) -> list[dict]:
    """What merges had to decide, newest first, each with the merge's time."""
    records = store.records(TABLE)
    return [
        {**decision, "at": records[key]["at"]}
        for key in sorted(records, reverse=True)
        for decision in records[key].get("decisions", [])
    ]
