"""Three-way, record-level merge of two versions of a store (what git's merge driver calls).

Records are matched by id. A record changed on one side only takes that side's version;
changed on both, it is merged field by field: list fields as sets (additions from both
kept, removals from either honoured), the status history as the union of its steps when
both sides end at one status or the other side's new steps all come before the later
last step (else the steps of the side with the later last step alone: a status is always
its history's last step), and any other field changed on both sides takes the value of
the more recently updated record. A record deleted on one side and changed on the other is
kept, a dispute with all its deletion took (core.deletion). Actors changed on both sides
keep one actor per name. Each decision is in a history entry, for `disputes conflicts`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson

from disputes.core import actors, changes, deletion, model, registry
from disputes.core.jsontypes import JsonRecord, JsonValue


def merge_stores(
    base: JsonRecord, ours: JsonRecord, theirs: JsonRecord, author: str = ""
) -> tuple[JsonRecord, list[JsonRecord]]:
    """The merged tables (`_meta` included) and the decisions taken on the way; `author`
    is who merges (the history entry of a merge that had to decide is theirs)."""
    decisions: list[JsonRecord] = []
    merged = {
        "_meta": {**ours["_meta"], "schema": max(ours["_meta"].get("schema", 0), theirs["_meta"].get("schema", 0))}
    }
    names = (set(base) | set(ours) | set(theirs)) - {"_meta"}
    for name in sorted(names):
        b, o, t = base.get(name, {}), ours.get(name, {}), theirs.get(name, {})
        if name == "history":
            merged[name] = _merge_history(o, t)
        else:
            merged[name] = _merge_table(name, b, o, t, decisions)
    _keep_what_is_referenced(merged, base, ours, theirs, decisions)
    while deletion.restore_taken(merged, base, ours, theirs, decisions):  # a kept dispute keeps all it had
        _keep_what_is_referenced(merged, base, ours, theirs, decisions)  # and what came back may name others
    if all(side.get(actors.TABLE, {}) != base.get(actors.TABLE, {}) for side in (ours, theirs)):
        merged[actors.TABLE] = one_actor_per_name(merged.get(actors.TABLE, {}), base.get(actors.TABLE, {}), decisions)
    if decisions:
        entry = merge_entry(
            decisions,
            lambda table, key: ours.get("history", {}).values(),
            lambda table, key: theirs.get("history", {}).values(),
            author,
        )
        merged.setdefault("history", {})[entry["id"]] = entry
        decisions = entry["decisions"]
    return merged, decisions


# a side's history entries that may name a record: (table, id) -> entries
_History = Callable[[str, str], Iterable[object]]


def merge_entry(
    decisions: list[JsonRecord], ours_history: _History, theirs_history: _History, author: str = ""
) -> JsonRecord:
    """The one history entry of a merge that had to decide: each decision says who made the
    value it kept and who the one it dropped (the author of the last change to that record
    on each side; `ours_history` and `theirs_history` give the entries that may name it)."""
    sides = {"ours": ours_history, "theirs": theirs_history}

    def by(side: str, table: str, key: str) -> str:
        return last_author(sides[side](table, key), table, key) if side else ""

    told = []
    for decision in decisions:
        kept = decision.get("kept_side", "")
        dropped = {"ours": "theirs", "theirs": "ours"}.get(kept, "")
        table, key = decision["table"], decision["id"]
        told.append(
            {
                **{k: v for k, v in decision.items() if k != "kept_side"},
                "kept_by": by(kept, table, key),
                "dropped_by": by(dropped, table, key),
            }
        )
    return changes.new_entry("merge", decided_said(len(told)), author=author, decisions=told)


def decided_said(count: int) -> str:
    """How history and sync both count what a merge decided: one conflict a field (or record)."""
    return f"merge decided {count} conflict(s)"


def last_author(entries: Iterable[object], table: str, key: str) -> str:
    """Who last changed a record, by a side's history entries (unrelated entries are skipped)."""
    latest, author = "", ""
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or entry["id"] <= latest:
            continue
        added = entry.get("added", {})
        touched = key in (added.get(table, {}) if isinstance(added, dict) else {}) or any(
            isinstance(change, dict) and change.get("table") == table and change.get("id") == key
            for change in entry.get("changes", ())
        )
        if touched:
            latest, author = entry["id"], str(entry.get("author", ""))
    return author


def _keep_what_is_referenced(
    merged: JsonRecord, base: JsonRecord, ours: JsonRecord, theirs: JsonRecord, decisions: list[JsonRecord]
) -> None:
    """A dispute deleted on one side while the other linked events or relations to it is kept;
    so is a record deleted on one side while the other added a record that hangs on it (its
    registry `parent`: a forecast deleted here and revised there)."""
    _keep_parents(merged, base, ours, theirs, decisions)
    disputes = merged.setdefault("disputes", {})
    events = merged.get("events", {})
    for key in sorted(k for k, record in events.items() if not record.get("disputes")):
        # each side unlinked (or deleted) a different dispute of the event: none is left
        linked = [d for side in (base, ours, theirs) for d in side.get("events", {}).get(key, {}).get("disputes", [])]
        alive = list(dict.fromkeys(d for d in linked if d in disputes))
        if alive:
            events[key] = {**events[key], "disputes": alive}
            decisions.append(
                {
                    "table": "events",
                    "id": key,
                    "field": "disputes",
                    "kept": alive,
                    "dropped": [],
                    "why": "both sides removed different links, which left none: relinked, please review",
                }
            )
        else:
            del events[key]
            decisions.append(
                {
                    "table": "events",
                    "id": key,
                    "field": "",
                    "kept": "",
                    "dropped": "the event",
                    "why": "every dispute it was linked to was deleted on one side or the other",
                }
            )
    referenced = {
        dispute
        for table in registry.REFERRING
        for record in merged.get(table, {}).values()
        for dispute in registry.of(table).names(record)
    }
    for key in sorted(referenced - set(disputes)):
        record = next((side["disputes"][key] for side in (ours, theirs, base) if key in side.get("disputes", {})), None)
        if record is not None:
            disputes[key] = record
            decisions.append(
                {
                    "table": "disputes",
                    "id": key,
                    "field": "",
                    "kept": "the dispute",
                    "dropped": "its deletion",
                    "why": "deleted on one side while the other added or linked records naming it: kept, please review",
                }
            )


def _keep_parents(
    merged: JsonRecord, base: JsonRecord, ours: JsonRecord, theirs: JsonRecord, decisions: list[JsonRecord]
) -> None:
    """Each record a merged record names as its registry `parent`, kept when one side deleted it
    (before the disputes are seen to: the record kept may name a dispute deleted with it)."""
    for table in registry.types():
        if registry.of(table).parent is None:
            continue
        field, holder = registry.of(table).parent or ("", "")
        for key in sorted(merged.get(table, {})):
            named = merged[table][key].get(field) if isinstance(merged[table][key], dict) else None
            if not isinstance(named, str) or named in merged.get(holder, {}):
                continue
            record = next((side[holder][named] for side in (ours, theirs, base) if named in side.get(holder, {})), None)
            if record is None:
                continue
            merged.setdefault(holder, {})[named] = record
            decisions.append(
                {
                    "table": holder,
                    "id": named,
                    "field": "",
                    "kept": f"the {registry.of(holder).noun}",
                    "dropped": "its deletion",
                    "why": f"deleted on one side while the other added a {registry.of(table).noun} to it: "
                    "kept, please review",
                }
            )


def one_actor_per_name(merged: JsonRecord, base: JsonRecord, decisions: list[JsonRecord]) -> JsonRecord:
    """The actors of a merge where both sides changed them, each name left to one actor (an
    alias on one side and a rename on the other may give a name to two): a decision for each
    alias taken from an actor (see actors.untangled)."""
    fixed, taken = actors.untangled(merged, base)
    for each in taken:
        decisions.append(
            {
                "table": actors.TABLE,
                "id": each["key"],
                "field": each.get("field", "aliases"),
                "kept": each["kept"],
                "dropped": each["had"],
                "why": f"{each['alias']!r} also names {each['holder']}, and a name belongs to one actor: "
                f"{each['name']} no longer has it, please review",
            }
        )
    return fixed


def _merge_history(ours: JsonRecord, theirs: JsonRecord) -> JsonRecord:
    """History entries never change, except to be marked undone: keep all, undone if either says so."""
    merged = {**theirs, **ours}
    for key in set(ours) & set(theirs):
        if ours[key] != theirs[key]:
            merged[key] = history_entry(ours[key], theirs[key])
    return merged


def history_entry(ours: JsonRecord, theirs: JsonRecord) -> JsonRecord:
    """One history entry as both sides have it: undone if either says so."""
    return {**ours, "undone": bool(ours.get("undone") or theirs.get("undone"))}


def _merge_table(
    name: str, base: JsonRecord, ours: JsonRecord, theirs: JsonRecord, decisions: list[JsonRecord]
) -> JsonRecord:
    merged = {}
    for key in sorted(set(base) | set(ours) | set(theirs)):
        result = record(name, key, base.get(key), ours.get(key), theirs.get(key), decisions)
        if result is not None:
            merged[key] = result
    return merged


def record(
    name: str, key: str, b: JsonRecord | None, o: JsonRecord | None, t: JsonRecord | None, decisions: list[JsonRecord]
) -> JsonRecord | None:
    """One record of a table as the merge has it (None: deleted), noting what it decided."""
    if o == t:
        return o
    if o == b:
        return t
    if t == b:
        return o
    if o is None or t is None:
        decisions.append(
            {
                "table": name,
                "id": key,
                "field": "",
                "kept": "the changed record",
                "dropped": "its deletion",
                "why": "deleted on one side, changed on the other: kept, please review",
                "kept_side": "ours" if o is not None else "theirs",
            }
        )
        return o if o is not None else t
    return _merge_record(name, key, b or {}, o, t, decisions)


def _stamp(record_: JsonRecord) -> tuple[str, bytes]:
    return (record_.get("updated") or record_.get("created") or "", orjson.dumps(record_, option=orjson.OPT_SORT_KEYS))


def _merge_record(
    name: str, key: str, base: JsonRecord, ours: JsonRecord, theirs: JsonRecord, decisions: list[JsonRecord]
) -> JsonRecord:
    newer, older = (ours, theirs) if _stamp(ours) >= _stamp(theirs) else (theirs, ours)
    decided: list[JsonRecord] = []
    merged = _merged_fields(name, key, base, ours, theirs, newer, decided)
    decisions += _as_one(registry.of(name).together, decided, older)
    if name == model.TABLE and isinstance(merged.get("status_history"), list) and merged["status_history"]:
        merged["status"] = model.current_status(merged["status_history"])  # one rule, whatever each side said
        last = merged["status_history"][-1]
        if isinstance(last, dict) and "detail" in last:  # the detail is the latest step's, like the status
            merged["status_detail"] = last["detail"]
    return merged


def _as_one(groups: tuple[tuple[str, ...], ...], decided: list[JsonRecord], older: JsonRecord) -> list[JsonRecord]:
    """A record's decisions with those on fields that hold one fact together made one: the
    first says what the other fields were on the dropped side (`dropped_with`), for restore."""
    kept: list[JsonRecord] = []
    for decision in decided:
        group = next((g for g in groups if decision.get("field") in g), ())
        if group and any(d.get("field") in group for d in kept):
            continue  # decided with the first of its group
        if group:
            decision["dropped_with"] = {f: older.get(f) for f in group if f != decision["field"]}
        kept.append(decision)
    return kept


def _merged_fields(
    name: str,
    key: str,
    base: JsonRecord,
    ours: JsonRecord,
    theirs: JsonRecord,
    newer: JsonRecord,
    decisions: list[JsonRecord],
) -> JsonRecord:
    older = theirs if newer is ours else ours
    merged = {}
    for field in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(field), ours.get(field), theirs.get(field)
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        elif field in registry.of(name).set_fields and all(isinstance(v, list) for v in (o or [], t or [], b or [])):
            value = _merge_set(b or [], o or [], t or [])
        elif field == "status_history" and isinstance(o, list) and isinstance(t, list):
            later = (_last_date(o), _stamp(ours)) >= (_last_date(t), _stamp(theirs))
            value = _status_steps(key, o, t, "ours" if later else "theirs", decisions)
        elif name == model.TABLE and field == "status" and isinstance(newer.get("status_history"), list):
            value = newer.get(field)  # its history's last step, set below (a decision there says what was dropped)
        elif field in ("updated", "created", "last_review"):  # the later moment, whichever side saw it
            value = max(o or "", t or "")
        elif field in registry.of(name).newer_wins:
            value = newer.get(field)
        else:
            value = newer.get(field)
            decisions.append(
                {
                    "table": name,
                    "id": key,
                    "field": field,
                    "kept": newer.get(field),
                    "dropped": older.get(field),
                    "why": "changed on both sides: the newer change is kept",
                    "kept_side": "ours" if newer is ours else "theirs",
                }
            )
        if value is not None or field in ours or field in theirs:
            merged[field] = value
    return merged


def _status_steps(
    key: str, ours: list[JsonValue], theirs: list[JsonValue], newer: str, decisions: list[JsonRecord]
) -> list[JsonValue]:
    """A dispute's status history changed on both sides. When both end at one status, or the
    other side's steps all come before the last step of the `newer` side (whose last step is
    the later, or on one date, whose change is), the union of their steps in date order;
    else the steps of the `newer` side alone: a status is always its history's last step,
    and a decision holds the other side's status and the steps it dropped, for `conflicts
    restore` (which appends the last on its own date when it is not before the last step)."""
    if _last_status(ours) == _last_status(theirs):
        union = {_dumped(step): step for step in [*ours, *theirs]}
        steps = sorted(
            union.values(), key=lambda step: (step.get("date", "") if isinstance(step, dict) else "", _dumped(step))
        )
        if _last_status(steps) == _last_status(ours):
            return steps
    kept, dropped = (ours, theirs) if newer == "ours" else (theirs, ours)
    known = {_dumped(step) for step in kept}
    extra = [step for step in dropped if _dumped(step) not in known]
    if all(isinstance(step, dict) and str(step.get("date", "")) < _last_date(kept) for step in extra):
        # the other side's steps all came before the kept last step: both histories in date
        # order are one consistent history (escalated on the 1st, frozen on the 2nd), nothing lost
        return sorted([*kept, *extra], key=lambda step: str(step.get("date", "")) if isinstance(step, dict) else "")
    decisions.append(
        {
            "table": model.TABLE,
            "id": key,
            "field": "status",
            "kept": _last_status(kept),
            "dropped": _last_status(dropped),
            "dropped_steps": [step for step in dropped if _dumped(step) not in known],
            "why": "the status changed on both sides: the newer change is kept",
            "kept_side": newer,
        }
    )
    return kept


def _last_date(steps: list[JsonValue]) -> str:
    return str(steps[-1].get("date", "")) if steps and isinstance(steps[-1], dict) else ""


def _last_status(steps: list[JsonValue]) -> JsonValue:
    """model.current_status, of steps a damaged side may hold (anything but a step has none)."""
    return steps[-1].get("status") if steps and isinstance(steps[-1], dict) else None


def _dumped(value: JsonValue) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _merge_set(base: list[JsonValue], ours: list[JsonValue], theirs: list[JsonValue]) -> list[JsonValue]:
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    return [item for item in dict.fromkeys([*ours, *theirs]) if item not in removed]
