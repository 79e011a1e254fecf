"""The history of changes, and undo: every command leaves one entry, undo reverts the last."""

from __future__ import annotations

from disputes.core import changes
from disputes.core.changes import TABLE
from disputes.core.errors import DisputesError, NotFound
from disputes.store.database import Store


def entries(store: Store, dispute_id: str = "") -> list[dict]:
    """History entries, oldest first; with a dispute id, those that touched it or its events."""
    records = store.mentioning(TABLE, dispute_id) if dispute_id else store.records(TABLE)
    chosen = [records[key] for key in sorted(records)]
    if dispute_id:
        chosen = [e for e in chosen if _touches_entry(e, dispute_id)]
    return chosen


def _touches_entry(entry: dict, dispute_id: str) -> bool:
    return dispute_id in entry.get("added", {}).get("disputes", {}) or any(
        _touches(change, dispute_id) for change in entry["changes"]
    )


def _touches(change: dict, dispute_id: str) -> bool:
    if change["table"] == "disputes":
        return change["id"] == dispute_id
    records = [r for r in (change["before"], change["after"]) if r]
    if change["table"] == "events":
        return any(dispute_id in r.get("disputes", ()) for r in records)
    if change["table"] in ("deadlines", "watches"):
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
    for key in reversed(store.own_entries()):
        entry = store.record(TABLE, key)  # only this entry's line is read
        if entry is None or entry.get("undone") or entry.get("action") == "undo":
            continue
        if entry.get("action") == "restore":
            raise DisputesError(
                f"the last change of this copy is a restore from the backup ({entry['at']}): undo cannot "
                "revert it; the store as it was before is kept beside it (see `disputes doctor`)"
            )
        steps = [*changes.added_changes(entry), *entry["changes"]]
        if not steps:
            continue
        if len(steps) > BULK:  # an import: read its tables whole once, not one line per record
            for table in {step["table"] for step in steps}:
                store.records(table)
        planned: dict[tuple[str, str], dict | None] = {}  # every change checked before any is made
        for change in reversed(steps):
            where = (change["table"], change["id"])
            current = planned[where] if where in planned else store.record(*where)
            planned[where] = changes.reverted(change, current)
        for (table, record_key), record in planned.items():
            if record is None:
                store.remove(table, record_key)
            else:
                store.put(table, record_key, record)
        store.mark(key, undone=True)
        store.describe("undo", f"undid {entry['action']}: {entry['summary']}")
        return entry
    raise NotFound("nothing to undo: no change made in this copy of the store is left to revert")


BULK = 1000


def decisions(store: Store) -> list[dict]:
    """What merges had to decide, newest first, each with the merge's time."""
    records = store.records(TABLE)
    return [
        {**decision, "at": records[key]["at"]}
        for key in sorted(records, reverse=True)
        for decision in records[key].get("decisions", [])
    ]
