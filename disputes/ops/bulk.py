"""Changes to many disputes at once: the disputes a selection (`--match FIELD=VALUE`,
`--view NAME`) chooses, changed in one command, so one history entry and one undo step.

A selection is always explicit: the view in use (`view use`) never chooses for a change.
Every dispute's change is checked before anything is written, so a refused change leaves
the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence, Sized

from disputes.core import query
from disputes.core.dates import end_of, now, parse_date, today
from disputes.core.errors import InvalidTransition, InvalidValue, NotFound
from disputes.core.fields import free_text
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import TABLE, Dispute
from disputes.core.vocabulary import FILTERS, ONE_VALUE
from disputes.ops import actors as actors_of
from disputes.ops import disputes as register
from disputes.ops import lookup, selection
from disputes.store.database import Store

NAMED = 20  # disputes named in a history entry's summary (the entry's changes name every one)


class Selection(Frozen):
    """The disputes a selection chose (full records, oldest first) and the selection in words."""

    disputes: tuple[Dispute, ...]
    said: str


def matches_of(typed: list[str]) -> dict[str, list[str]]:
    """`--match` values (`respondent=Russia`) as filters: {field: [values]}; a field repeated
    means any of its values, different fields must all hold (as the filter options)."""
    given: dict[str, list[str]] = {}
    for each in typed:
        field, equals, value = each.partition("=")
        name = field.strip().replace("-", "_")
        if not equals or not name:
            raise InvalidValue(f"--match takes FIELD=VALUE (e.g. respondent=Russia), not {each!r}")
        if name not in FILTERS:
            raise InvalidValue(f"--match {each!r}: no field {field.strip()!r}; fields: {', '.join(FILTERS)}")
        if name in ONE_VALUE and name in given:
            raise InvalidValue(f"--match {name}= takes one value, given twice")
        given.setdefault(name, []).append(value)
    return given


def selected(store: Store, matches: list[str], view: str | None) -> Selection:
    """The disputes a selection chooses, ended ones too (as `list --all`); refused when no
    selection is given or when it chooses none."""
    if not matches and not view:
        raise InvalidValue(
            "choose the disputes: give a dispute, or a selection with --match FIELD=VALUE or --view NAME"
        )
    wanted = selection.Wanted(matches_of(matches), view=view or "", everything=True)
    chosen = selection.choose(store, wanted, include_ended=True)
    everything = lookup.listed(store, whole=chosen.filters.searches())
    found = query.select(everything, chosen.filters, sort="opened")
    if not found:
        raise NotFound(f"no dispute matches {chosen.said}: nothing was changed (see `disputes list --all`)")
    records = store.records(TABLE)
    return Selection(tuple(Dispute.from_dict(records[d.id]) for d in found), chosen.said)


def _named(disputes: Sequence[Dispute]) -> str:
    """The disputes a change touched, as its history says them: by ref, else by id."""
    ids = [d.ref or d.id for d in disputes]
    more = f" and {len(ids) - NAMED} more" if len(ids) > NAMED else ""
    return ", ".join(ids[:NAMED]) + more


def edit(
    store: Store,
    chosen: Selection,
    changes: JsonRecord,
    *,
    add: JsonRecord | None = None,
    remove: JsonRecord | None = None,
    roles: actors_of.Roles | None = None,
    note: str = "",
) -> list[Dispute]:
    """Change the same fields of every chosen dispute; returns those that changed (a dispute
    that already holds the values is passed over; a removal passes over those without it)."""
    if changes.get("ref") is not None:
        raise InvalidValue("a reference names one dispute: give --ref to `edit` with one dispute, not a selection")
    note = free_text(note, "note")
    updated: list[Dispute] = []
    fields: set[str] = set()
    for dispute in chosen.disputes:
        changed = register.edited(store, dispute, changes, add=add, remove=remove, roles=roles, strict=False)
        if changed:
            fields.update(changed)
            updated.append(dispute.replace(**changed, updated=now()))
    if not updated:
        raise InvalidValue(f"nothing to change on the {len(chosen.disputes)} disputes chosen: they hold these values")
    for dispute in updated:
        store.put(TABLE, dispute.id, dispute.to_dict())
    store.describe("edit", f"changed {', '.join(sorted(fields))} of {_count(updated)}: {_named(updated)}", note=note)
    return updated


def change_status(
    store: Store, chosen: Selection, new: str, *, note: str = "", date: str | None = None
) -> list[Dispute]:
    """Move every chosen dispute to a status (those already in it are passed over); a step
    the lifecycle refuses for any of them refuses the whole change."""
    status, when, note = register.status_step(new, date, note)
    moving = [d for d in chosen.disputes if d.status != status]
    if not moving:
        raise InvalidValue(f"the {len(chosen.disputes)} disputes chosen are {status} already: nothing to change")
    updated = []
    for dispute in moving:
        try:
            updated.append(register.moved(dispute, status, when, note))
        except InvalidTransition as refused:
            raise InvalidTransition(f"dispute {dispute.id}: {refused}; nothing was changed") from None
    for dispute in updated:
        store.put(TABLE, dispute.id, dispute.to_dict())
    store.describe("status", f"→ {status} for {_count(updated)}: {_named(updated)}", note=note, date=when)
    return updated


def review(store: Store, chosen: Selection, *, date: str | None = None, note: str = "") -> list[Dispute]:
    """Record that every chosen dispute was reviewed (today by default)."""
    day = end_of(parse_date(date, what="review date")) if date else today()
    note = free_text(note, "note")
    updated = [d.replace(last_review=max(day, d.last_review), updated=now()) for d in chosen.disputes]
    for dispute in updated:
        store.put(TABLE, dispute.id, dispute.to_dict())
    store.describe("review", f"reviewed {_count(updated)}: {_named(updated)}", note=note, date=day)
    return updated


def _count(disputes: Sized) -> str:
    return f"{len(disputes)} dispute" + ("" if len(disputes) == 1 else "s")
