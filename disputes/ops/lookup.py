"""Finding records the way users name them: an id, an unambiguous id prefix, a dispute's
reference, or (after those) a word or phrase of one dispute's title."""

from __future__ import annotations

import re
from collections.abc import Iterable

from disputes.core import event, ids, model
from disputes.core.errors import Ambiguous, InvalidValue, NotFound
from disputes.core.event import Event
from disputes.core.fields import shown
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.store.database import Store


def dispute_id(store: Store, text: str) -> str:
    """The id of the dispute named by an id, an external reference, or an unambiguous id prefix.

    A whole id names its dispute whatever the references say, so it is looked up by its
    line alone, without reading the others. A reference wins over the ids it happens to
    begin (among 538 WTO cases, "DS3" begins some id), except over an id whose short form,
    as listings show it, it is: then it names neither, and both are named.
    """
    if not isinstance(text, str):  # the library's callers may give anything
        raise InvalidValue(f"a dispute is named by its id, id prefix or reference (text), not {shown(text)}")
    whole = text.strip().lower()
    if ids.is_ours(whole) and whole in store.ids(model.TABLE):
        return whole
    wanted = text.strip().casefold()
    prefixed = store.ids(model.TABLE).starting(whole) if whole else []
    if len(prefixed) == 1 and not store.may_hold(model.TABLE, "ref", wanted):
        return prefixed[0]  # the prefix of one id, and no reference: the other names are not read
    records = _names(store)
    by_ref = [key for key, record in records.items() if wanted and (record["ref"] or "").casefold() == wanted]
    if by_ref and wanted not in records:
        also = [key for key in ids.matching(wanted, records) if key not in by_ref]
        also = [key for key in also if ids.short_forms(records)[key] == wanted] if also else []
        if also:
            raise Ambiguous(
                f"{text!r} is the reference of dispute {by_ref[0]} and the short id of dispute "
                f"{also[0]}: type more of the id, or the id of the one with that reference"
            )
    try:
        return ids.resolve(text, records, "dispute", "disputes list --all", by_ref or None)
    except NotFound:
        return _by_title(text, records)


def _names(store: Store) -> dict[str, JsonRecord]:
    """Each dispute's id, reference and title by id: what a name is looked up by, read from
    the disputes' index when it matches (a 3.5 MB parse on 10,000 disputes instead of 10 MB)."""
    return {row["id"]: row for row in store.scan(model.TABLE, ("id", "ref", "title"))}


def _by_title(text: str, records: dict[str, JsonRecord]) -> str:
    """The one dispute whose title holds `text` as a word or phrase (any case): ids and
    references were tried first, so they always win; several matches are named, none chosen."""
    phrase = " ".join(text.split())
    if not phrase:
        raise NotFound(f"no dispute matches {text!r}: see `disputes list --all` for ids")
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?!\w)", re.IGNORECASE)
    found = sorted(key for key, record in records.items() if pattern.search(record.get("title", "")))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(f"no dispute matches {text!r} (no id, reference or title word): see `disputes list --all`")
    named = "; ".join(f"{key[:4]} {shown(records[key]['title'], 50)}" for key in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise Ambiguous(f"{text!r} is in the titles of {len(found)} disputes ({named}{more}): give an id or a reference")


def ref_warnings(store: Store, ref: str, own_id: str) -> list[str]:
    """What to tell a user whose new reference looks like the start of another dispute's id."""
    clashing = [key for key in store.ids(model.TABLE).starting(ref.strip().lower()) if key != own_id] if ref else []
    return (
        [
            f"reference {ref!r} is also the start of the id of dispute {clashing[0]}: "
            f"typing {ref!r} will be refused as ambiguous; a reference that does not look like an id avoids that"
        ]
        if clashing
        else []
    )


def listed(store: Store, *, whole: bool = False) -> list[Dispute]:
    """Every dispute, with the fields a listing reads (model.SUMMARY; the others left at their
    defaults) from the disputes' index when it matches them: for rows, filters other than
    --search and sorts other than by activity, nothing else. `whole`: every field."""
    if whole:
        return [Dispute.from_dict(record) for record in store.records(model.TABLE).values()]
    return [summary(row) for row in store.scan(model.TABLE, ("id", *model.SUMMARY))]


def summary(row: JsonRecord) -> Dispute:
    """A dispute from a row of `Store.scan` (None for a field its record does not give: the default)."""
    return Dispute.from_dict(row if None not in row.values() else {k: v for k, v in row.items() if v is not None})


def dispute(store: Store, text: str) -> Dispute:
    """The dispute with this id, external reference, or unambiguous id prefix."""
    return Dispute.from_dict(_read(store, model.TABLE, dispute_id(store, text)))


def dispute_ids(store: Store, refs: Iterable[str]) -> tuple[str, ...]:
    """The ids of the disputes named (at least one), each once, in the order given."""
    found = tuple(dict.fromkeys(dispute_id(store, ref) for ref in refs))
    if not found:
        raise InvalidValue("an event needs at least one dispute: name its id, prefix or reference")
    return found


def event_record(store: Store, text: str) -> Event:
    """The event with this id or unambiguous id prefix (its line alone is read)."""
    known = store.ids(event.TABLE)
    wanted = text.strip().lower()
    prefixed = known.starting(wanted) if wanted and wanted not in known else None  # a whole id needs no scan
    key = ids.resolve(text, known, "event", "disputes event list", prefixed)
    return Event.from_dict(_read(store, event.TABLE, key))


def on_dispute(store: Store, table: str, dispute: str = "") -> list[JsonRecord]:
    """The records of a table that hang on one dispute (their `dispute` field; deadlines,
    watch rules, assessments), only the lines naming it parsed; every record without one."""
    if not dispute:
        return list(store.records(table).values())
    return [record for record in store.mentioning(table, dispute).values() if record["dispute"] == dispute]


def _read(store: Store, table: str, key: str) -> JsonRecord:
    """A record whose id was just found among the table's ids."""
    record = store.record(table, key)
    if record is None:  # only a store changed under us could do this: it is read once per command
        raise NotFound(f"no {table[:-1]} {key} in the store")
    return record
