"""A dispute brought up to a newer row of its list: a three-way merge, with the values of
the last import as the base, so that a re-import never loses an analyst's edit.

Each dispute keeps what its mapped fields were at the last import (`imported`: field ->
value, its status included). Against that base, a field the source changed since takes the
source's value (a changed status is a new dated step); a field only the analyst changed
keeps the analyst's; a field both changed keeps the analyst's value, and the source's is
a conflict to restore. List fields (tags, parties, sources, alerts) merge item by item,
so a tag the analyst added stays while one the source added comes in; roles party by party.

A field without a base (a dispute imported before bases were kept, added by hand, or a
column mapped for the first time) that differs from the source is such a conflict too,
never a silent overwrite; only an empty value takes the source's, nothing being lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from disputes.core import model
from disputes.core.jsontypes import JsonRecord, JsonValue

_NONE = object()  # no base: the field was not imported before


@dataclass(frozen=True)
class Conflict:
    """A field both the analyst and the source changed: the analyst's value was kept, the
    source's (the field as it would be with the source's change) dropped."""

    field: str
    kept: object
    dropped: object
    # a status conflict: the step the source's status would have been (its date and detail),
    # which `conflicts restore` appends; the detail is a status's, never a conflict of its own
    dropped_steps: tuple[JsonRecord, ...] = ()


@dataclass(frozen=True)
class Merged:
    """A dispute record after a newer row was laid over it."""

    record: JsonRecord
    changed: bool  # a field people see changed (not only the base the next import starts from)
    conflicts: tuple[Conflict, ...]


def given(row: JsonRecord) -> JsonRecord:
    """A checked row as the base keeps it: the fields it gives, as JSON has them."""
    return {
        name: list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, dict) else value
        for name, value in row.items()
        if name != "status_history"
    }


def merged(dispute: JsonRecord, row: JsonRecord, step_date: str) -> Merged:
    """`dispute` (a stored record) with a newer checked `row` of its list laid over it; a
    status the source changed is a new step dated `step_date`."""
    source = given(row)
    base = dispute.get("imported") or {}
    record = dict(dispute)
    conflicts: list[Conflict] = []
    for name, value in source.items():
        if name in ("status", "status_detail", "roles"):
            continue
        last = base.get(name, _NONE)
        if name in model.LIST_FIELDS:
            kept, dropped = _items(record.get(name) or [], value, last, fold=name != "sources")
        else:
            kept, dropped = _value(record.get(name, ""), value, last)
        record[name] = kept
        if dropped is not _NONE:
            conflicts.append(Conflict(name, kept, dropped))
    if "roles" in source:
        roles, dropped = _roles(record.get("roles") or {}, source["roles"], base.get("roles", _NONE), record)
        record["roles"] = roles
        if dropped is not _NONE:
            conflicts.append(Conflict("roles", roles, dropped))
    if "status" in source:
        record, conflict = _status(record, source, base, step_date)
        conflicts += conflict
    changed = _shown(record) != _shown(dispute)
    return Merged({**record, "imported": source}, changed, tuple(conflicts))


def _status(
    record: JsonRecord, source: JsonRecord, base: JsonRecord, step_date: str
) -> tuple[JsonRecord, list[Conflict]]:
    """The status merged with its detail, as one step (core/steps.py): a status the source
    changed is a new step carrying the source's phrase; a new phrase for the same status
    details the current step, unless the analyst changed the status or its phrase; a status
    both changed keeps the analyst's step, detail and all, and the source's step (dated
    `step_date`, with its phrase) is the conflict."""
    detail = source.get("status_detail", "")
    note = f"as reported at import: {detail}".rstrip(": ")
    status, dropped = _value(record["status"], source["status"], base.get("status", _NONE))
    dispute = model.Dispute.from_dict(record)
    if dropped is not _NONE:
        step = {"date": step_date, "status": dropped, "note": note, "detail": detail}
        return record, [Conflict("status", record["status"], dropped, (step,))]
    if status != record["status"]:
        return dispute.with_status(status, step_date, note, detail).to_dict(), []
    if "status_detail" in source and status == base.get("status", status):  # the step the source reports on
        kept, lost = _value(record.get("status_detail", ""), detail, base.get("status_detail", _NONE))
        if kept != record.get("status_detail", ""):
            return dispute.with_detail(kept).to_dict(), []
        if lost is not _NONE:
            return record, [Conflict("status_detail", kept, lost)]
    return record, []


def _shown(record: JsonRecord) -> JsonRecord:
    return {name: value for name, value in record.items() if name not in ("imported", "updated")}


def _value(ours: JsonValue, theirs: JsonValue, base: JsonValue) -> tuple[JsonValue, JsonValue]:
    """The value a field keeps, and the source's dropped one (_NONE: nothing dropped)."""
    if ours == theirs or (base is not _NONE and theirs == base):
        return ours, _NONE
    if base is _NONE and ours in ("", None):
        return theirs, _NONE  # nothing of the analyst's to lose
    if base is not _NONE and ours == base:
        return theirs, _NONE
    return ours, theirs


def _items(ours: list[str], theirs: list[str], base: JsonValue, *, fold: bool) -> tuple[list[str], JsonValue]:
    """A list field merged item by item: the analyst's items, less those the source removed
    since the base, with those the source added; without a base, the source's missing items
    are a conflict whose dropped value adds them."""
    key = str.casefold if fold else str
    mine = {key(item) for item in ours}
    if base is _NONE:
        missing = [item for item in theirs if key(item) not in mine]
        if not missing or not ours:
            return [*ours, *missing], _NONE
        return list(ours), [*ours, *missing]
    before, now = {key(item) for item in base}, {key(item) for item in theirs}
    kept = [item for item in ours if not (key(item) in before and key(item) not in now)]
    return kept + [item for item in theirs if key(item) not in before and key(item) not in mine], _NONE


def _roles(
    ours: JsonRecord, theirs: JsonRecord, base: JsonValue, record: JsonRecord
) -> tuple[dict[str, str], JsonValue]:
    """Roles merged party by party (a party without a role has none: "party"); roles of
    parties the dispute no longer has are left out."""
    last = {} if base is _NONE else base
    kept, dropped = dict(ours), dict(ours)
    for party in {**ours, **theirs, **last}:
        value = _value(ours.get(party), theirs.get(party), last.get(party) if base is not _NONE else _NONE)
        kept[party] = value[0]
        dropped[party] = value[0] if value[1] is _NONE else value[1]
    parties = set(record.get("parties") or ())
    kept = {party: role for party, role in kept.items() if role and party in parties}
    dropped = {party: role for party, role in dropped.items() if role and party in parties}
    return kept, (_NONE if dropped == kept else dropped)
