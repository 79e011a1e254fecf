"""The register of disputes: add, find, change, end, reopen and delete them.

Every function takes an open Store and leaves a described change in it; validation
happens before anything is written, so an error leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core import deletion, ids, model, registry
from disputes.core.actors import fold
from disputes.core.dates import now, parse_date, today
from disputes.core.errors import InvalidTransition, InvalidValue
from disputes.core.fields import free_text, one_line
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.model import TABLE, Dispute
from disputes.ops import actors as actors_of
from disputes.ops import lookup
from disputes.store.database import Store


def all_disputes(store: Store) -> list[Dispute]:
    return [Dispute.from_dict(record) for record in store.records(TABLE).values()]


def activity(store: Store, disputes: list[Dispute], as_of: str) -> dict[str, tuple[str, int | None]]:
    """Each dispute's last event (its date) and the days it has been quiet on `as_of`, read
    from the events in one pass (for `list --sort quiet`, `--sort last-event` and `--stale`)."""
    from disputes.core.report import days_quiet

    last: dict[str, str] = {}
    for event in store.scan("events", ("date", "disputes")):
        if event["date"] <= as_of:
            for key in event["disputes"]:
                if event["date"] > last.get(key, ""):
                    last[key] = event["date"]
    return {d.id: (last.get(d.id, ""), days_quiet(d, last.get(d.id, ""), as_of)) for d in disputes}


def add(
    store: Store, title: str, *, parties: Iterable[str] = (), roles: actors_of.Roles | None = None, **fields: JsonValue
) -> Dispute:
    """Add a dispute; fields as in Dispute, values as the user typed them; `parties` plain
    parties and `roles` parties with a role ({name: "respondent"})."""
    values = model.clean_fields({"title": title, **{k: v for k, v in fields.items() if v is not None}})
    values.update(model.clean_fields(actors_of.given(store, parties, roles)))
    values["opened"] = values.get("opened") or today()  # an empty --opened is no date: today
    new_id = ids.new_id(store.ids(TABLE))  # asked line by line: no need to read every dispute
    if values.get("ref"):  # a reference must be free: that needs the others'
        model.claim_ref(values["ref"], f"dispute {new_id}", model.refs_in_use(store.records(TABLE)))
    stamp = now()
    dispute = Dispute(id=new_id, created=stamp, updated=stamp, **values)
    first = {"date": dispute.opened, "status": dispute.status, "note": "", "detail": dispute.status_detail}
    dispute = dispute.replace(status_history=(first,))
    store.put(TABLE, dispute.id, dispute.to_dict())
    store.describe("add", f"added {dispute.title!r} as {dispute.status}", date=dispute.opened)
    return dispute


def edit(
    store: Store,
    text: str,
    changes: JsonRecord,
    *,
    add: JsonRecord | None = None,
    remove: JsonRecord | None = None,
    roles: actors_of.Roles | None = None,
    note: str = "",
) -> Dispute:
    """Change fields of a dispute: `changes` replaces values, `add`/`remove` edit list fields
    (parties as actors), `roles` adds parties with a role or changes their role."""
    dispute = lookup.dispute(store, text)
    changed = edited(store, dispute, changes, add=add, remove=remove, roles=roles)
    if not changed:
        raise InvalidValue(f"nothing to change on dispute {dispute.id}: give new values")
    if "ref" in changed:
        model.claim_ref(changed["ref"], f"dispute {dispute.id}", model.refs_in_use(store.records(TABLE)))
    updated = dispute.replace(**changed, updated=now())
    if "status_detail" in changed:  # a source's phrase for the status in force: its latest step's
        updated = updated.with_detail(changed["status_detail"])
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("edit", "changed " + ", ".join(sorted(changed)), note=free_text(note, "note"))
    return updated


def edited(
    store: Store,
    dispute: Dispute,
    changes: JsonRecord,
    *,
    add: JsonRecord | None = None,
    remove: JsonRecord | None = None,
    roles: actors_of.Roles | None = None,
    strict: bool = True,
) -> JsonRecord:
    """The fields an edit changes on a dispute (nothing is written); `strict`: removing an
    item the dispute does not hold is refused (a bulk change passes over it instead)."""
    values = model.clean_fields({k: v for k, v in changes.items() if v is not None})
    add, remove = dict(add or {}), dict(remove or {})
    if add.get("parties") or remove.get("parties") or roles:
        found = actors_of.directory(store)
        dropped = remove.pop("parties", ())
        if not strict:  # a bulk change removes a party from the disputes that have it
            held = {fold(party) for party in dispute.parties}
            dropped = [name for name in dropped if found.matcher([name]) & held]
        kept = dispute.replace(**actors_of.without(dispute, dropped, found))
        values.update(model.clean_fields(actors_of.placed(found, kept, add.pop("parties", ()), roles or {})))
    for name, items in add.items():
        values[name] = model.clean_fields({name: [*getattr(dispute, name), *items]})[name]
    for name, items in remove.items():
        current = values.get(name, getattr(dispute, name))
        missing = [item for item in items if item.casefold() not in {c.casefold() for c in current}]
        if missing and strict:
            raise InvalidValue(f"dispute {dispute.id} has no {model.SINGULAR[name]} {missing[0]!r}")
        drop = {item.casefold() for item in items}
        values[name] = tuple(c for c in current if c.casefold() not in drop)
    return {name: value for name, value in values.items() if getattr(dispute, name) != value}


def change_status(
    store: Store, text: str, new: str, *, note: str = "", date: str | None = None, detail: str = ""
) -> Dispute:
    """Move a dispute to another status, as the lifecycle allows, with a dated note and a
    source's phrase for it (`detail`: the status detail from then on; none by default)."""
    dispute = lookup.dispute(store, text)
    status, when, note = status_step(new, date, note)
    updated = moved(dispute, status, when, note, one_line(detail, "status detail"))
    store.put(TABLE, updated.id, updated.to_dict())
    store.describe("status", f"{dispute.status} → {status}", note=note, date=when)
    return updated


def status_step(new: str, date: str | None, note: str) -> tuple[str, str, str]:
    """A status change as typed, checked: the status, its day (default today) and its note."""
    when = parse_date(date, what="status date") if date else today()
    return model.status(new), when, free_text(note, "note")


def moved(dispute: Dispute, status: str, when: str, note: str, detail: str = "") -> Dispute:
    """A dispute moved to a status (the lifecycle checked), not yet written."""
    model.check_transition(dispute.status, status)
    return dispute.with_status(status, when, note, detail).replace(updated=now())


def reopen(store: Store, text: str, *, status: str = "open", note: str = "", date: str | None = None) -> Dispute:
    """Bring an ended (resolved or closed) dispute back to an active status."""
    dispute = lookup.dispute(store, text)
    if dispute.is_active:
        raise InvalidTransition(f"dispute {dispute.id} is {dispute.status}, not ended: nothing to reopen")
    if model.status(status) not in model.ACTIVE:
        raise InvalidValue(f"reopen to an active status: {', '.join(model.ACTIVE)}")
    return change_status(store, dispute.id, status, note=note, date=date)


def taken_by_delete(store: Store, dispute: str) -> deletion.Taken:
    """What deleting a dispute would take with it and unlink (nothing is written)."""
    return deletion.taken({table: store.mentioning(table, dispute) for table in registry.REFERRING}, dispute)


def refuse_without_cascade(dispute: str, taken: deletion.Taken, cascade: bool) -> None:
    """A delete that would take records with the dispute needs `cascade` (asked before the
    question is put, so that a yes is never answered by a refusal)."""
    if taken.lost and not cascade:
        lost = deletion.said({table: len(records) for table, records in taken.lost.items()})
        raise InvalidValue(
            f"dispute {dispute} has {lost} that would be deleted with it: add --cascade to delete them "
            "too, or move what you keep to another dispute first"
        )


def delete(store: Store, text: str, *, cascade: bool = False) -> tuple[Dispute, deletion.Taken]:
    """Remove a dispute, with what the registry says goes with it (core.deletion): its
    relations, deadlines, watch rules, assessments, forecasts, comments, documents and the
    events linked only to it, all only with `cascade`; events shared with other disputes
    (and views) stay, unlinked from it. The history keeps every record, so undo brings
    them all back."""
    dispute = lookup.dispute(store, text)
    taken = taken_by_delete(store, dispute.id)
    refuse_without_cascade(dispute.id, taken, cascade)
    for table, records in taken.lost.items():
        for key in records:
            store.remove(table, key)
    for table, records in taken.unlinked.items():
        for key, record in records.items():
            store.put(table, key, registry.of(table).renamed(record, {dispute.id: ""}, drop=True))
    store.remove(TABLE, dispute.id)
    store.describe("delete", f"deleted {dispute.title!r}" + (f" with {taken.said()}" if taken.said() else ""))
    return dispute, taken


def status_outcome(dispute: Dispute, requested: str, was: str) -> str:
    """What a status change did, in one line; says so when a backdated step did not become current."""
    wanted = requested.strip().lower()
    if dispute.status == wanted:
        return f"Dispute {dispute.id} is now {dispute.status} (status: {was} → {dispute.status}): {dispute.title}"
    latest = dispute.status_history[-1]
    return (
        f"Recorded {wanted} in the status history of dispute {dispute.id}, but it stays {dispute.status}: "
        f"a later step ({latest['date']}, {latest['status']}) is the latest"
    )
