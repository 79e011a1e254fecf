"""The history of changes, and undo: every command leaves one entry, undo reverts the last."""

from __future__ import annotations

from disputes.core import changes
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
    if change["table"] == "deadlines":
        return any(r.get("dispute") == dispute_id for r in records)
    if change["table"] == "relations":
        return any(dispute_id in (r.get("from"), r.get("to")) for r in records)
    return False


def undo(store: Store) -> dict:
    """Revert the last command of this copy of the store not yet undone; repeatable.

    Only this copy's own commands are undone, newest first (an import's entries, or a
    teammate's merged ones, are not), and only the fields they changed (see
    changes.reverted): a field changed since stops the undo, and nothing is reverted.
    """
    records = store.records(TABLE)
    for key in reversed(store.own_entries()):
        entry = records.get(key)
        if entry is None or entry.get("undone") or entry.get("action") == "undo" or not entry["changes"]:
            continue
        plan = [
            (change, changes.reverted(change, store.record(change["table"], change["id"])))
            for change in reversed(entry["changes"])
        ]
        for change, record in plan:
            if record is None:
                store.remove(change["table"], change["id"])
            else:
                store.put(change["table"], change["id"], record)
        store.mark(key, undone=True)
        store.describe("undo", f"undid {entry['action']}: {entry['summary']}")
        return entry
    raise NotFound("nothing to undo: no change made in this copy of the store is left to revert")


def decisions(store: Store) -> list[dict]:
    """What merges had to decide, newest first, each with the merge's time."""
    records = store.records(TABLE)
    return [
        {**decision, "at": records[key]["at"]}
        for key in sorted(records, reverse=True)
        for decision in records[key].get("decisions", [])
    ]
