"""Deadlines on disputes, and reviews: add, edit, mark done, delete; record a review."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from disputes.core import deadline as rules
from disputes.core import frozen, ids, model
from disputes.core.agenda import review_due
from disputes.core.dates import end_of, ends_before, now, parse_date, parse_full_date, today
from disputes.core.deadline import TABLE, Deadline
from disputes.core.errors import DisputesWarning, InvalidValue
from disputes.core.fields import free_text, one_line
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.ops import disputes as register
from disputes.ops import lookup
from disputes.store.database import Store


def all_deadlines(store: Store, dispute: str = "") -> list[Deadline]:
    """Every deadline, or those of one dispute, by date."""
    found = [Deadline.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute)]
    return sorted(found, key=lambda d: (d.date, d.title, d.id))


def find(store: Store, text: str) -> Deadline:
    """The deadline with this id or unambiguous id prefix."""
    records = store.records(TABLE)
    return Deadline.from_dict(records[ids.resolve(text, records, "deadline", "disputes deadline list --all")])


def add(
    store: Store,
    dispute_ref: str,
    *,
    date: str | None = None,
    title: str | None = None,
    sources: Iterable[str] = (),
    rule: str = "",
    stage: str = "",
    start: str | None = None,
    opens: bool = False,
    described: bool = True,
) -> list[Deadline]:
    """Add a deadline by hand (date and title; `opens`: a right that opens that day, never
    overdue), or those a procedural clock sets at one stage from the day it began (`start`)."""
    if stage and not rule:
        raise InvalidValue("--stage goes with --rules, e.g. --rules wto-dsu --stage established --from DATE")
    dispute = lookup.dispute(store, dispute_ref)
    if rule:
        if date or title or opens or start is None:
            raise InvalidValue("--rules takes --from DATE (when the stage began), not --date, --title or --opens")
        wanted = rules.from_rule(rule, start, stage)
        rules.check_stage(rule, stage, start, all_deadlines(store, dispute.id))
    else:
        if not date or not title:
            raise InvalidValue("a deadline needs --date and --title (or --rules with --from)")
        kind = "opens" if opens else "due"
        wanted = [rules.clean_fields({"date": date, "title": title, "sources": list(sources), "kind": kind})]
    stamp, taken, made = now(), set(store.records(TABLE)), []
    for fields in wanted:
        record = Deadline(
            id=ids.new_id(taken),
            dispute=dispute.id,
            created=stamp,
            updated=stamp,
            **rules.clean_fields({k: list(v) if k == "sources" else v for k, v in fields.items()}),
        )
        taken.add(record.id)
        store.put(TABLE, record.id, record.to_dict())
        made.append(record)
    what = (
        f"{len(made)} deadlines of the {rule} clock ({stage or 'first stage'})"
        if rule
        else f"deadline {made[0].date} {made[0].title!r}"
    )
    if described:
        store.describe("deadline add", f"{what} on {dispute.title!r}", date=made[0].date)
    if rule and start is not None and ends_before(parse_full_date(start, what="--from date"), dispute.opened):
        warnings.warn(
            f"the {rule} clock's {rules.stage_of(rule, stage)[1]} stage begins on {start}, before the dispute "
            f"opened ({dispute.opened}); its deadlines were added: check --from, or the dispute's opening date",
            DisputesWarning,
            stacklevel=3,
        )
    return made


@dataclass(frozen=True)
class Staged:
    """A dispute moved to a procedural stage: the dispute, the deadlines the stage's clock
    set, and the earlier stages' deadlines it superseded."""

    dispute: Dispute
    added: list[Deadline]
    superseded: list[Deadline]


def stage(store: Store, dispute_ref: str, name: str, *, date: str, rule: str = "") -> Staged:
    """Record the procedural stage a dispute reached on `date`: the dispute's `stage`; with a
    clock (`rule`), that stage's deadlines as `deadline add --rules RULE --stage NAME --from
    DATE` sets them; and the open deadlines of earlier clock stages superseded on that day."""
    dispute = lookup.dispute(store, dispute_ref)
    if rule:
        rule, name = rules.stage_of(rule, name)
        day = parse_full_date(date, what="--date")
        rules.check_stage(rule, name, day, all_deadlines(store, dispute.id))
    else:
        name = one_line(name, "stage", required=True)
        day = parse_date(date, what="--date")
    stamp = now()
    superseded = []
    for held in all_deadlines(store, dispute.id):
        if held.rule and held.done is None and held.superseded is None:  # overdue or not: moot now
            moot = frozen.replace(held, superseded=day if len(day) == 10 else end_of(day), updated=stamp)
            store.put(TABLE, moot.id, moot.to_dict())
            superseded.append(moot)
    added = add(store, dispute.id, rule=rule, stage=name, start=day, described=False) if rule else []
    moved = dispute.replace(stage=name, updated=stamp)
    store.put(model.TABLE, moved.id, moved.to_dict())
    said = f"; {len(superseded)} deadlines of earlier stages superseded" if superseded else ""
    store.describe(
        "stage",
        f"{dispute.title!r} reached the stage {name} on {day}" + (f" ({rule})" if rule else "") + said,
        note="; ".join(f"superseded: {d.title} ({d.date})" for d in superseded),
        date=day,
    )
    return Staged(moved, added, superseded)


def mark_done(store: Store, text: str, *, date: str | None = None) -> Deadline:
    """Record the day a deadline was met (today by default); only once."""
    found = find(store, text)
    if found.done:
        raise InvalidValue(f"deadline {found.id} was already done on {found.done}")
    day = parse_full_date(date, what="done date") if date else today()
    changed = frozen.replace(found, done=day, updated=now())
    store.put(TABLE, changed.id, changed.to_dict())
    store.describe("deadline done", f"met {found.title!r}", date=day)
    return changed


def edit(store: Store, text: str, changes: JsonRecord) -> Deadline:
    found = find(store, text)
    values = rules.clean_fields({k: v for k, v in changes.items() if v is not None})
    changed = {k: v for k, v in values.items() if getattr(found, k) != v}
    if not changed:
        raise InvalidValue(f"nothing to change on deadline {found.id}: give new values")
    updated = frozen.replace(found, **changed, updated=now())
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("deadline edit", f"changed {', '.join(sorted(changed))} of deadline {found.title!r}")
    return updated


def delete(store: Store, text: str) -> Deadline:
    found = find(store, text)
    store.remove(TABLE, found.id)
    store.describe("deadline delete", f"deleted deadline {found.date} {found.title!r}")
    return found


def review(store: Store, text: str, *, date: str | None = None, note: str = "") -> Dispute:
    """Record that a dispute was reviewed (today by default); the next review falls due a cadence later."""
    dispute = lookup.dispute(store, text)
    day = end_of(parse_date(date, what="review date")) if date else today()
    changed = dispute.replace(last_review=max(day, dispute.last_review), updated=now())
    store.put(model.TABLE, changed.id, changed.to_dict())
    store.describe("review", f"reviewed {dispute.title!r}", note=free_text(note, "note"), date=day)
    return changed


def calendar_items(store: Store, chosen: frozenset[str] | None = None) -> list[JsonRecord]:
    """What a calendar should hold: every open deadline and the next review of each
    unresolved dispute with a cadence (of the `chosen` disputes), each with a uid from its record."""
    disputes = {d.id: d for d in register.all_disputes(store) if chosen is None or d.id in chosen}
    items = [
        {
            "kind": "deadline",
            "uid": d.id,
            "date": d.day,
            "summary": f"{d.title}{' (opens)' if d.kind == 'opens' else ''} — {disputes[d.dispute].title}",
            "description": "; ".join(d.sources),
            **({"cancelled": d.superseded} if d.superseded else {}),  # superseded by a later stage
        }
        for d in all_deadlines(store)
        if d.done is None and d.dispute in disputes
    ]
    for dispute in disputes.values():
        due = review_due(dispute) if dispute.is_active else None
        if due:
            items.append(
                {
                    "kind": "review",
                    "uid": dispute.id,
                    "date": due,
                    "summary": f"Review: {dispute.title}",
                    "description": f"every {dispute.review_every} days; disputes show {dispute.id}",
                }
            )
    return sorted(items, key=lambda item: (item["date"], item["uid"]))
