"""History entries: one per command, stamped the same way wherever they are made."""

from __future__ import annotations

import datetime as dt
import os
import zlib

import orjson

from disputes.core.errors import DisputesError
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.vocabulary import TABLES

TABLE = "history"
BOOKKEEPING = ("updated",)  # moves with every change: restored only where nothing else moved it


def entry_problem(entry: object) -> str | None:
    """What is wrong with a history entry, as stored or as a file brings it (None: nothing)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        return "it needs an 'id' that is text"
    for name in ("at", "action", "summary"):  # what every reader of the history shows
        if not isinstance(entry.get(name), str):
            return f"its {name!r} is missing or not text"
    for name in ("note", "date", "author"):
        if not isinstance(entry.get(name, ""), str):
            return f"its {name!r} is not text"
    if not isinstance(entry.get("changes"), list):
        return "its 'changes' is not a list"
    added = entry.get("added", {})
    if not isinstance(added, dict) or not all(
        table in TABLES and isinstance(keys, dict) and all(isinstance(v, str) for v in keys.values())
        for table, keys in added.items()
    ):
        return "its 'added' names tables of the store, each with ids and fingerprints"
    for change in entry["changes"]:
        if not isinstance(change, dict) or change.get("table") not in TABLES or not isinstance(change.get("id"), str):
            return "a change needs a 'table' of the store and an 'id'"
        if not all(isinstance(change.get(side), dict | None) for side in ("before", "after")):
            return "a change's 'before' and 'after' are records or null"
    return None


def record_problems(key: str, entry: object) -> list[str]:
    """What is wrong with a stored history entry."""
    why = entry_problem(entry)
    if why is None and isinstance(entry, dict) and entry["id"] != key:
        why = f"it carries the id {entry['id']!r}"
    return [f"history entry {key} is malformed: {why}"] if why else []


class ChangedSince(DisputesError):
    """Undo would overwrite a change made after the command it reverts (e.g. a merged one)."""


def new_entry(
    action: str,
    summary: str,
    *,
    note: str = "",
    date: str = "",
    changes: list[JsonRecord] | None = None,
    author: str = "",
    **extra: JsonValue,
) -> JsonRecord:
    """A history entry stamped now, with who made it; its id sorts in time order and stays
    unique across clones."""
    at = dt.datetime.now(dt.UTC)
    key = at.strftime("%Y%m%dT%H%M%S%f") + "-" + os.urandom(2).hex()
    return {
        "id": key,
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "action": action,
        "summary": summary,
        "note": note,
        "date": date,
        "changes": changes or [],
        "author": author,
        **extra,
    }


def said(before: JsonRecord, after: JsonRecord) -> str:
    """What a change did to a record's fields, as people read it: `priority: high → low;
    tags: +dairy −food` (bookkeeping fields left out); "nothing changed" when nothing did."""
    told = []
    for name in after:
        old, new = before.get(name), after[name]
        if old == new or name in (*BOOKKEEPING, "status_history", "imported"):
            continue
        if isinstance(old, list) or isinstance(new, list):
            gone = [f"−{item}" for item in old or [] if item not in (new or [])]
            came = [f"+{item}" for item in new or [] if item not in (old or [])]
            told.append(f"{name}: {' '.join(came + gone)}")
        elif isinstance(old, dict) or isinstance(new, dict):  # roles: {party: role}
            old, new = old or {}, new or {}
            moved = [
                f"{key} {_shown(old.get(key))} → {_shown(new.get(key))}"
                for key in {**old, **new}
                if old.get(key) != new.get(key)
            ]
            told.append(f"{name}: {', '.join(moved)}")
        else:
            told.append(f"{name}: {_shown(old)} → {_shown(new)}")
    return "; ".join(told) or "nothing changed"


def _shown(value: JsonValue) -> str:
    if value in (None, ""):
        return "(none)"
    return f"{value:+g}" if isinstance(value, float) else str(value)


def fingerprint(record: JsonRecord) -> str:
    """A short checksum of a record, to tell later whether it is still as it was added."""
    return f"{zlib.crc32(orjson.dumps(record, option=orjson.OPT_SORT_KEYS)):08x}"


def added_changes(entry: JsonRecord) -> list[JsonRecord]:
    """The records an import added, as changes to revert: the entry names them by id and
    fingerprint only (`"added": {"events": {id: fingerprint}}`), so that importing 110,000
    records does not write a history line the size of the store."""
    return [
        {"table": table, "id": key, "before": None, "after": None, "added": print_}
        for table, keys in entry.get("added", {}).items()
        for key, print_ in keys.items()
    ]


def reverted(change: JsonRecord, current: JsonRecord | None) -> JsonRecord | None:
    """The record as it should be once `change` is undone, given how it is now.

    Only the fields the command changed go back, and only where they still hold what the
    command wrote; a field changed since (by a later command, or a teammate's merged
    change) stops the undo with ChangedSince naming it. None means: no such record.
    """
    before, after, what = change["before"], change["after"], f"{change['table'][:-1]} {change['id']}"
    if change.get("added"):  # brought in by an import: remove it, unless it changed since
        if current is not None and fingerprint(current) != change["added"]:
            raise ChangedSince(f"cannot undo: {what} has changed since it was imported")
        return None
    if after is None:  # the command deleted it: bring it back, unless it is there again
        if current is not None:
            raise ChangedSince(f"cannot undo: {what} exists again since it was deleted")
        return before
    if current is None:
        if before is None:
            return None  # created, and deleted since: nothing left to take back
        raise ChangedSince(f"cannot undo: {what} was deleted since")
    if before is None:  # the command created it: remove it, unless someone changed it since
        _check_unchanged(what, after, current, set(after) | set(current))
        return None
    fields = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    _check_unchanged(what, after, current, fields)
    result = dict(current)
    for name in fields:
        if name in BOOKKEEPING and current.get(name) != after.get(name):
            continue
        if name in before:
            result[name] = before[name]
        else:
            result.pop(name, None)
    return result


def _check_unchanged(what: str, after: JsonRecord, current: JsonRecord, fields: set[str]) -> None:
    for name in sorted(fields):
        if name not in BOOKKEEPING and current.get(name) != after.get(name):
            raise ChangedSince(f"cannot undo: the {name} of {what} has changed since (now {current.get(name)!r})")


def done_said(entry: JsonRecord) -> str:
    """What an entry did, once, however many undos and redos lie on it: `edit: changed
    priority` (an undo's or a redo's own summary names what it reverted in these words)."""
    if entry.get("action") not in ("undo", "redo"):
        return f"{entry.get('action', '')}: {entry.get('summary', '')}"
    said = entry.get("summary", "")
    peeled = True
    while peeled:  # summaries written before these words nested: "undid redo: redid what was undone: …"
        peeled = False
        for prefix in _REVERTED:
            if said.startswith(prefix):
                said, peeled = said[len(prefix) :], True
    return said


_REVERTED = ("undid the redo of ", "undid ", "redid what was undone: ", "redid ", "redo: ", "undo: ")


def undone_said(entry: JsonRecord) -> str:
    """An undo in one line: `undid edit: changed priority`, `undid the redo of edit: …`."""
    return ("undid the redo of " if entry.get("action") == "redo" else "undid ") + done_said(entry)


def redone_said(undo: JsonRecord) -> str:
    """A redo (of an undo entry) in one line: `redid edit: changed priority`."""
    return "redid " + done_said(undo)


def cut_at_word(text: str, longest: int) -> str:
    """`text` on one line in at most `longest` characters, cut at a word with "…" when longer."""
    said = " ".join(text.split())
    if len(said) <= longest:
        return said
    cut = said[: longest - 1].rsplit(" ", 1)[0] if " " in said[: longest - 1] else said[: longest - 1]
    return cut.rstrip(" ,;:—-") + "…"
