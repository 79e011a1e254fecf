"""The history of changes, and undo: every command leaves one entry, undo reverts the last."""

from __future__ import annotations

from disputes.core import actors, changes, ids, model, registry
from disputes.core.changes import TABLE
from disputes.core.content import HistoryShown
from disputes.core.dates import now, today
from disputes.core.errors import DisputesError, InvalidValue, NotFound
from disputes.core.jsontypes import JsonRecord
from disputes.store.database import Store


def entries(store: Store, dispute_id: str = "") -> list[JsonRecord]:
    """History entries, oldest first; with a dispute id, those that touched it or its events."""
    records = store.mentioning(TABLE, dispute_id) if dispute_id else store.records(TABLE)
    chosen = [records[key] for key in sorted(records)]
    if dispute_id:
        chosen = [_as_seen_by(e, dispute_id) for e in chosen if _touches_entry(e, dispute_id)]
    return chosen


def shown(store: Store, entries: list[JsonRecord]) -> HistoryShown:
    """`history`'s content: the entries, each with the disputes it touched (a field added to
    its JSON), and how each of those disputes is named (ref or short id, and title)."""
    rows = [{**entry, "disputes": touched(entry)} for entry in entries]
    wanted = {key for row in rows for key in row["disputes"]}
    if not wanted:
        return HistoryShown(tuple(rows), {})
    known = {row["id"]: row for row in store.scan(model.TABLE, ("id", "ref", "title"))}
    short = ids.short_forms(known)
    gone = {  # deleted since: named as the history last saw them
        change["id"]: change["before"]
        for row in rows
        for change in row.get("changes", ())
        if change["table"] == model.TABLE and change["id"] in wanted and change["id"] not in known and change["before"]
    }
    names, titles = {}, {}
    for key in wanted:
        record = known.get(key) or gone.get(key) or {}
        names[key] = " ".join(filter(None, (record.get("ref") or short.get(key, key[:4]), record.get("title", ""))))
        if record.get("title"):
            titles[key] = record["title"]
    return HistoryShown(tuple(rows), names, titles)


def touched(entry: JsonRecord) -> list[str]:
    """The disputes a history entry changed, or changed what hangs on (an event, a deadline).
    What an import added is not repeated here: its `added` names those, and its summary counts them."""
    found: dict[str, None] = {}
    for change in entry.get("changes", ()):
        if change["table"] == model.TABLE:
            found[change["id"]] = None
            continue
        kind = registry.of(change["table"])
        for record in (change["before"], change["after"]):
            if record:
                found.update(dict.fromkeys(kind.names(record)))
    return list(found)


def _as_seen_by(entry: JsonRecord, dispute_id: str) -> JsonRecord:
    """An entry in one dispute's history: of what an import added, this dispute alone (not the
    fingerprints of the other 110,000 records, which made `show --json` 4 MB)."""
    if "added" not in entry:
        return entry
    added = entry["added"].get("disputes", {})
    return {**entry, "added": {"disputes": {dispute_id: added[dispute_id]}} if dispute_id in added else {}}


def _touches_entry(entry: JsonRecord, dispute_id: str) -> bool:
    return dispute_id in entry.get("added", {}).get("disputes", {}) or any(
        _touches(change, dispute_id) for change in entry["changes"]
    )


def _touches(change: JsonRecord, dispute_id: str) -> bool:
    if change["table"] == "disputes":
        return change["id"] == dispute_id
    kind = registry.of(change["table"])
    return any(dispute_id in kind.names(record) for record in (change["before"], change["after"]) if record)


def undo(store: Store) -> JsonRecord:
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
        if not _revert(store, entry):
            continue
        store.mark(key, undone=True)
        store.describe("undo", changes.undone_said(entry))
        return entry
    raise NotFound("nothing to undo: no change made in this copy of the store is left to revert")


def redo(store: Store) -> JsonRecord:
    """Re-apply what the latest `undo` of this copy reverted (an undo of an undo, with the
    same field-level care); repeatable back through a run of undos, and over once any other
    change has been made since."""
    for key in reversed(store.own_entries()):
        entry = store.record(TABLE, key)
        if entry is None or entry.get("action") == "redo" or (entry.get("action") == "undo" and entry.get("redone")):
            continue
        if entry.get("action") != "undo":
            break  # another change came after the undos: what they reverted stays reverted
        _revert(store, entry)
        store.mark(key, redone=True)
        store.describe("redo", changes.redone_said(entry))
        return entry
    raise NotFound("nothing to redo: no undo of this copy is waiting to be taken back")


def _revert(store: Store, entry: JsonRecord) -> bool:
    """Put back the fields an entry changed (False when it changed nothing to put back);
    every change is checked before any is made."""
    steps = [*changes.added_changes(entry), *entry["changes"]]
    if not steps:
        return False
    if len(steps) > BULK:  # an import: read its tables whole once, not one line per record
        for table in {step["table"] for step in steps}:
            store.records(table)
    planned: dict[tuple[str, str], JsonRecord | None] = {}
    for change in reversed(steps):
        where = (change["table"], change["id"])
        current = planned[where] if where in planned else store.record(*where)
        planned[where] = changes.reverted(change, current)
    for (table, record_key), record in planned.items():
        if record is None:
            store.remove(table, record_key)
        else:
            store.put(table, record_key, record)
    return True


BULK = 1000


def decisions(store: Store) -> list[JsonRecord]:
    """What merges had to decide, newest first: each with an id of its own (stable: from its
    merge and its place in it), the record and field, the values kept and dropped, who made
    each, when the merge was, and `restored`: when `conflicts restore` took the dropped
    value back ("" while it has not, or its restore was undone)."""
    records = store.mentioning(TABLE, "decisions")
    restores = {
        entry["restores"]: entry.get("at", "")
        for entry in store.mentioning(TABLE, "restores").values()
        if isinstance(entry.get("restores"), str) and not entry.get("undone")
    }
    found = []
    for key in sorted(records, reverse=True):
        entry = records[key]
        for number, decision in enumerate(entry.get("decisions", [])):
            if not isinstance(decision, dict):
                continue
            record = decision.get("record", decision.get("id", ""))
            derived = ids.derived(f"{key}:{number}")
            found.append(
                {
                    **decision,
                    "id": derived,
                    "record": record,
                    "dispute": record if decision.get("table") == "disputes" else "",
                    "kept_by": decision.get("kept_by", ""),
                    "dropped_by": decision.get("dropped_by", ""),
                    "at": entry.get("at", ""),
                    "merged_by": entry.get("author", ""),
                    "restored": restores.get(derived, ""),
                }
            )
    return found


def restore_dropped(store: Store, text: str) -> JsonRecord:
    """Take a value a merge dropped back, as a new change (undoable like any other): only a
    field's value, only while the field still holds the value the merge kept, and once. A
    status comes back as a new step of the history (a status is its history's last step),
    with its detail, on its own date (see _with_status_restored)."""
    by_id = {d["id"]: d for d in decisions(store)}
    decision = by_id[ids.resolve(text, by_id, "decision", "disputes conflicts")]
    table, record_key, field = decision["table"], decision["record"], decision.get("field", "")
    if not field:
        raise InvalidValue(
            f"decision {decision['id']} kept or dropped a whole record, not a field's value: nothing to restore"
        )
    what = f"{field} of {table[:-1]} {record_key}"
    if decision["restored"]:
        raise InvalidValue(
            f"decision {decision['id']} was already restored ({decision['restored']}): {what} is "
            f"{decision['dropped']!r} again unless changed since; `disputes undo` takes a restore back"
        )
    current = store.record(table, record_key)
    if current is None:
        raise NotFound(f"the {table[:-1]} {record_key} of decision {decision['id']} is gone")
    if current.get(field) != decision["kept"]:
        raise InvalidValue(
            f"{what} has changed since the merge ({current.get(field)!r}): not restoring over a newer change"
        )
    by = decision["dropped_by"] or "the other side"
    if table == model.TABLE and field == "status":
        store.put(table, record_key, _with_status_restored(current, decision, by))
    else:
        # a field that holds one fact with others (an outcome and its day) comes back with them
        together = decision.get("dropped_with")
        together = together if isinstance(together, dict) else {}
        restored = {**current, **together, field: decision["dropped"], "updated": now()}
        if table == actors.TABLE and actors.shared({**store.records(table), record_key: restored}):
            raise InvalidValue(
                f"restoring {what} would give one name to two actors, and a name belongs to one actor: "
                "the merge left it to the other"
            )
        store.put(table, record_key, restored)
    store.describe("conflicts restore", f"restored {what} as {by} had it", restores=decision["id"])
    return decision


def _with_status_restored(current: JsonRecord, decision: JsonRecord, by: str) -> JsonRecord:
    """A dispute moved back to the status a merge or re-import dropped: a new step with the
    dropped step's detail, on that step's own date when it is not before the history's last
    step (so that it is the last), else today (or the last step's date if later), with a
    note that says the date it had."""
    dispute = model.Dispute.from_dict(current)
    last = max((step["date"] for step in dispute.status_history), default="")
    steps = [s for s in decision.get("dropped_steps", ()) if isinstance(s, dict)]
    dropped = steps[-1] if steps and steps[-1].get("status") == decision["dropped"] else {}
    said = str(dropped.get("note", ""))
    detail = str(dropped.get("detail", ""))
    own = str(dropped.get("date", ""))
    note = f"restored as {by} had it" + (f": {said}" if said else "")
    if own and own >= last:
        date = own
    else:
        date = max(today(), last)
        note += f" (dated {own} there)" if own else ""
    moved = dispute.with_status(decision["dropped"], date, note, detail)
    # the stored record with its status fields changed (fields of a newer version stay)
    return {
        **current,
        "status": moved.status,
        "status_detail": moved.status_detail,
        "status_history": list(moved.status_history),
        "updated": now(),
    }
