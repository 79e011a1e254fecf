"""The content of the views, read once for every format: `show` (one dispute and what hangs
on it), `event list` and `timeline` (events streamed with their disputes named), `agenda`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from disputes.core import event, ids, query, registry
from disputes.core.assessment import in_force
from disputes.core.content import AgendaShown, DisputeShown, EventsListed, Section
from disputes.core.jsontypes import JsonRecord
from disputes.core.kinds import SHOWN, Entry
from disputes.core.scoring import current as standing
from disputes.ops import assessments, events, forecasts, history, lookup, relations
from disputes.store.database import Store

if TYPE_CHECKING:  # `show` reads neither
    from disputes.ops import selection


def dispute_shown(store: Store, text: str, *, as_of: str | None = None, every: bool = False) -> DisputeShown:
    """The dispute `text` finds, with its events, relations, changes, deadlines, watch rules,
    assessments (the one in force on `as_of`) and forecasts."""
    found = lookup.dispute(store, text)
    made = assessments.all_assessments(store, found.id)
    stated, revised = forecasts.all_forecasts(store, found.id), forecasts.all_revisions(store, found.id)
    stated = sorted(stated, key=lambda f: not f.is_open)  # the open ones first, each group soonest first
    return DisputeShown(
        dispute=found,
        events=tuple(event.select(events.all_events(store, found.id), disputes=frozenset([found.id]))),
        relations=tuple(relations.of(store, found.id)),
        changes=tuple(history.entries(store, found.id)),
        sections=tuple(_section(store, entry, found.id) for entry in SHOWN),
        assessments=tuple(made),
        assessment=in_force(made, as_of),
        every_assessment=every,
        forecasts=tuple((f, standing(f, revised)) for f in stated),
        revisions=tuple(revised),
    )


def _section(store: Store, entry: Entry, dispute: str) -> Section:
    """A dispute's records of one record type, as `show` lists them."""
    kind: Any = registry.of(entry.table).kind
    found = kind.in_order(kind.from_dict(record) for record in lookup.on_dispute(store, entry.table, dispute))
    return Section(entry.table, entry.shown, entry.shown_order, tuple(found))


def events_listed(
    store: Store,
    chosen_by: selection.Chosen,
    *,
    whole: bool = False,
    fields: tuple[str, ...] = events.LISTED,
    limit: int | None = None,
    short_ids: bool = True,
    **filters: Any,
) -> EventsListed:
    """The events of the disputes chosen that the filters admit, in date order (the last
    `limit` of them when given): whole records encoded as JSON with `whole`, else `fields`;
    each event's disputes named by ref, else short id; with `short_ids`, each event's short
    id among every event read (a listing's ID column; a timeline shows none)."""
    from disputes.ops import selection

    everyone: list[str] = []  # short ids tell apart every event read
    disputes = selection.dispute_ids(store, chosen_by)
    seen = everyone if short_ids and not whole else None
    chosen: list[bytes] | list[JsonRecord]
    if whole:
        encoded = events.listed_encoded(store, disputes=disputes, seen=seen, **filters)
        chosen = encoded if limit is None else query.last(encoded, limit)
    else:
        records = events.listed(store, disputes=disputes, fields=fields, seen=seen, **filters)
        chosen = records if limit is None else query.last(records, limit)
    names: dict[str, str] = {}
    if chosen and not whole:  # a JSON line names its disputes by id
        names = ids.short_forms(list(store.ids("disputes").starting("")))
        names.update(events.dispute_refs(store))
    short = ids.short_forms(everyone) if chosen and seen is not None else {}
    return EventsListed(iter(chosen), names, short, chosen_by.said if chosen_by.view else "")


def agenda_shown(
    store: Store, chosen: selection.Chosen, *, as_of: str | None, within: int, stale_after: int
) -> AgendaShown:
    """What is due as of a day (deadlines, reviews, stale disputes) of the disputes chosen."""
    from disputes.ops import reports

    due, day = reports.agenda(store, chosen, as_of=as_of, within=within, stale_after=stale_after)
    return AgendaShown(tuple(due), day, within, chosen.said)
