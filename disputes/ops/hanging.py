"""Records that hang on another (a comment, a deadline or a document on its dispute, a
revision on its forecast) and no longer have it: what doctor says of them, and that
`doctor --fix` removes them, as deleting what they hang on would have (the registry's
cascade and `parent` rules)."""

from __future__ import annotations

from typing import Protocol

from disputes.core import registry
from disputes.core.jsontypes import JsonRecord
from disputes.store.database import RawTables


class Checkup(Protocol):  # what doctor found: its problems, its fixes, the records --fix removes
    problems: list[str]
    fixable: list[str]
    orphans: dict[str, list[str]]


def check_named(kind: registry.RecordType, batch: JsonRecord, disputes: JsonRecord, checkup: Checkup) -> None:
    """That each record of a batch (its own rules passed) names a dispute, and only disputes
    that exist: one on a missing dispute goes with --fix, as deleting that dispute would have
    taken it."""
    for key, record in batch.items():
        named = list(kind.names(record))
        missing = [d for d in named if d not in disputes]
        if missing:
            checkup.problems.append(
                f"{kind.noun} {key} is on a missing dispute {missing[0]!r}: set its dispute by hand, "
                "or `doctor --fix` removes it (as deleting that dispute would have)"
            )
            checkup.fixable.append(f"remove {kind.noun} {key}, whose dispute is missing")
            checkup.orphans.setdefault(kind.table, []).append(key)
        elif not (named or kind.names_optional):
            checkup.problems.append(f"{kind.noun} {key} names no dispute: set one by hand, or delete it")


def check_parent(kind: registry.RecordType, batch: JsonRecord, data: RawTables, checkup: Checkup) -> None:
    """That each record of a batch names as its registry `parent` a record that exists (a
    forecast's revisions, their forecast): import refuses a file holding one that does not.
    One whose parent --fix removes (a forecast on a missing dispute) goes with it."""
    field, holder = kind.parent or ("", "")
    held = data.get(holder, {})
    going = set(checkup.orphans.get(holder, ()))
    for key, record in batch.items():
        named = record.get(field) if isinstance(record, dict) else None
        if not isinstance(named, str) or not named or (named in held and named not in going):
            continue
        noun = registry.of(holder).noun
        if named in going:
            checkup.fixable.append(f"remove {kind.noun} {key} with its {noun}")
        else:
            checkup.problems.append(f"{kind.noun} {key} names a missing {noun} {named!r}")
            checkup.fixable.append(f"remove {kind.noun} {key}, whose {noun} is missing")
        checkup.orphans.setdefault(kind.table, []).append(key)
