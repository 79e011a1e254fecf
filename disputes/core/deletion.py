"""What deleting a dispute takes with it, by the registry's `on_delete` of each record type,
and how a merge that keeps a dispute one side deleted drops that deletion whole.

A record naming the deleted dispute is `lost` when it goes with it: a `cascade` record
(its documents, comments, deadlines, relations...), or an `unlink` record left naming no
dispute (an event of its own; not a view, which may name none). Any other `unlink` record
is `unlinked`: the id is taken out of it. `delete` needs --cascade for what is lost, and
says what went, counted by record type.

A merge that keeps a dispute (the other side changed it, or added a record naming it)
brings back every record that named it at the base and that the deleting side deleted or
unlinked, as the other side has it (a record the other side deleted too stays deleted):
the dispute is never back without its documents, events and relations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from disputes.core import registry
from disputes.core.jsontypes import JsonRecord
from disputes.core.vocabulary import counted

LOST, UNLINKED = "lost", "unlinked"


def fate(table: str, record: object, dispute: str) -> str:
    """What deleting `dispute` does to a record of `table`: LOST, UNLINKED, or "" (nothing:
    it does not name it, or its type does not hang on disputes)."""
    kind = registry.of(table)
    if dispute not in kind.names(record):
        return ""
    if kind.on_delete == "cascade":
        return LOST
    if kind.on_delete == "unlink":
        left = [name for name in kind.names(record) if name != dispute]
        return UNLINKED if left or kind.names_optional else LOST
    return ""


class Taken(NamedTuple):
    """What deleting a dispute does to the records naming it: {table: {key: record}} of each fate."""

    lost: dict[str, dict[str, JsonRecord]]
    unlinked: dict[str, dict[str, JsonRecord]]

    def said(self) -> str:
        """In words, counted by record type: "3 events, 2 documents and 1 comment (4 events
        unlinked)"; "" when it takes and unlinks nothing."""
        lost = said({table: len(records) for table, records in self.lost.items()})
        unlinked = said({table: len(records) for table, records in self.unlinked.items()})
        return " ".join(filter(None, (lost, f"({unlinked} unlinked)" if unlinked else "")))


def taken(records: Mapping[str, Mapping[str, object]], dispute: str) -> Taken:
    """What deleting `dispute` does to `records` ({table: {key: record}}, those that may name it)."""
    found = Taken({}, {})
    for table, batch in records.items():
        for key, record in batch.items():
            fated = fate(table, record, dispute)
            if fated and isinstance(record, dict):
                (found.lost if fated == LOST else found.unlinked).setdefault(table, {})[key] = record
    return found


def said(counts: Mapping[str, int]) -> str:
    """Records counted by table, in the registry's nouns and order: "3 events, 2 documents and 1 comment"."""
    parts = [counted(counts[table], table) for table in registry.REFERRING if counts.get(table)]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def restore_taken(
    merged: JsonRecord, base: JsonRecord, ours: JsonRecord, theirs: JsonRecord, decisions: list[JsonRecord]
) -> dict[str, JsonRecord]:
    """For each dispute the merge keeps that one side deleted, the records its deletion took
    put back into `merged` (see the module's docstring), its decision saying so: {dispute:
    {table: [ids]}}, of the disputes that had any. A dispute whose decision already says
    what came back is not seen to again; the base is read in one pass for all the others."""
    seen = {d.get("id") for d in decisions if d.get("table") == "disputes" and "brought_back" in d}
    todo: dict[str, JsonRecord] = {}  # each dispute to see to, and the side that kept it
    for key in merged.get("disputes", {}):
        deleting = [side for side in (ours, theirs) if key not in side.get("disputes", {})]
        if key in base.get("disputes", {}) and key not in seen and len(deleting) == 1:
            todo[key] = theirs if deleting[0] is ours else ours
    found: dict[str, JsonRecord] = {}
    for table in registry.REFERRING if todo else ():
        kind = registry.of(table)
        for key, was in base.get(table, {}).items():
            for dispute in todo.keys() & set(kind.names(was)):
                if _brought_back(merged, table, key, was, todo[dispute].get(table, {}).get(key), dispute):
                    found.setdefault(dispute, {}).setdefault(table, []).append(key)
    tell_brought(decisions, {dispute: {t: sorted(keys) for t, keys in found[dispute].items()} for dispute in found})
    return found


def _brought_back(merged: JsonRecord, table: str, key: str, was: JsonRecord, kept: object, dispute: str) -> bool:
    """Whether a record that named `dispute` at the base came back into `merged`, as the side
    that kept the dispute has it (`kept`): whole, or with the dispute named again."""
    kind = registry.of(table)
    if dispute not in kind.names(kept):
        return False  # the side that kept the dispute took it off (or deleted it) too
    now = merged.setdefault(table, {}).get(key)
    if now is None:
        merged[table][key] = kept
    elif dispute not in kind.names(now):
        merged[table][key] = _named_again(table, now, was, dispute)
    else:
        return False
    return True


def _named_again(table: str, record: JsonRecord, was: JsonRecord, dispute: str) -> JsonRecord:
    """A record with `dispute` back in the fields that named it at the base."""
    again = dict(record)
    for field in registry.of(table).refers:
        before, now = was.get(field), record.get(field)
        if isinstance(before, list) and dispute in before:
            again[field] = [*(now if isinstance(now, list) else []), dispute]
        elif before == dispute:
            again[field] = dispute
    return again


def tell_brought(decisions: list[JsonRecord], brought: Mapping[str, JsonRecord]) -> None:
    """Each kept dispute's decision says what came back with it (`brought_back`: {table: [ids]})."""
    for dispute, tables in brought.items():
        decision = next(
            (d for d in decisions if d.get("table") == "disputes" and d.get("id") == dispute and not d.get("field")),
            None,
        )
        if decision is None:  # kept for a reason no decision names: say so
            decision = {"table": "disputes", "id": dispute, "field": "", "kept": "the dispute"}
            decision.update(dropped="its deletion", why="deleted on one side, kept by the merge: please review")
            decisions.append(decision)
        again = dict(decision.get("brought_back", {}))  # a later round adds to an earlier one's
        for table, keys in tables.items():
            again[table] = [*again.get(table, []), *keys]
        counts = {table: len(keys) for table, keys in again.items()}
        why = str(decision.get("why", "")).split(": kept")[0]
        decision["brought_back"] = again
        decision["why"] = f"{why}: kept, and restored the {said(counts)} its deletion took, please review"
