"""The reports' data, assembled from an open store: the status report (with the briefs of
its HTML page), the agenda, the monthly digest and the escalation chart. The CLI parses,
calls one of these and renders what it returns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from disputes.core import escalation
from disputes.core import report as reporting
from disputes.core.dates import today
from disputes.core.errors import InvalidValue
from disputes.core.forecast import Forecast, Revision
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.ops import assessments, deadlines, forecasts, lookup, selection
from disputes.ops import disputes as register
from disputes.store.database import Store


def status_report(
    store: Store,
    chosen: selection.Chosen,
    *,
    as_of: str | None = None,
    window: int = 30,
    stale_after: int = 90,
    briefs: bool = False,
    limit: int = 0,
    signed: bool = False,
    author: str = "",
) -> tuple[JsonRecord, list[JsonRecord]]:
    """The status report's data and, with `briefs`, one brief per unresolved dispute (the
    HTML page's: the events' index is read again for them, keeping only the events of the
    disputes briefed, and the sources of those the briefs show are read afterwards). A
    `signed` report names who prepared it: `author`, by default who makes changes to the
    store (git's user.name or the login name); only the formats that show it look that up."""
    disputes = register.all_disputes(store)
    due = deadlines.all_deadlines(store)
    stated = forecasts.all_forecasts(store)
    data = reporting.build(
        disputes,
        store.scan("events", reporting.EVENT_FIELDS),
        chosen.filters,
        as_of=as_of,
        window=window,
        stale_after=stale_after,
        store=str(store.path),
        deadlines=due,
        assessments=assessments.all_assessments(store),
        forecasts=stated,
    )
    data["chosen"] = chosen.said
    _with_forecasts(data, stated, forecasts.all_revisions(store), disputes, chosen)
    if signed:
        from disputes.store.author import author_of, checked

        data["author"] = checked(author) if author.strip() else author_of(store.path)
    if not briefs:
        return data, []
    shown = data["unresolved"][:limit] if limit else data["unresolved"]
    from disputes.ops import relations  # here: only the briefing's pages show them

    links = relations.of_each(store, [row["id"] for row in shown])
    events = store.scan("events", reporting.EVENT_FIELDS)
    found = reporting.briefs(data, disputes, events, limit=limit, deadlines=due, relations=links)
    _with_sources(store, [e for brief in found for e in (*brief["events"], *brief["key_events"]) if "id" in e])
    _described(store, [brief["chart_keys"] for brief in found])
    return data, found


def _described(store: Store, keys: Iterable[list[JsonRecord]]) -> None:
    """The key events a chart marks, with their title and description (the few marked are read whole)."""
    for marked in keys:
        for key in marked:
            whole = store.record("events", key["id"]) or {}
            key.update(title=whole.get("title", ""), description=whole.get("description", ""))


def _with_forecasts(
    data: JsonRecord,
    stated: list[Forecast],
    revised: list[Revision],
    disputes: list[Dispute],
    chosen: selection.Chosen,
) -> None:
    """The report's forecasts: those open on its day on the disputes it covers (soonest `by`
    first; each brief shows its own), and the scores of those resolved by then."""
    from disputes.core import scoring

    covered = {d.id for d in filter(chosen.filters.with_ended().test(), disputes)}
    refs = {d.id: d.ref for d in disputes if d.ref}  # each named as everywhere: by ref, else short id
    data["forecasts"] = [
        {**f, "dispute_ref": refs.get(str(f["dispute"]), "")}
        for f in scoring.open_on(stated, revised, data["as_of"], covered)
    ]
    ended = [f for f in stated if f.dispute in covered and f.resolved <= data["as_of"]]
    found = scoring.scores(ended, revised)
    data["forecast_scores"] = forecasts.Scorecard(
        found, scoring.by_analyst(found), scoring.calibration(found)
    ).to_dict()


ONE_BY_ONE = 2000  # up to this many events' sources are looked up by id (40 µs each), more in one pass


def _with_sources(store: Store, events: list[JsonRecord]) -> None:
    """The sources of the events a briefing or digest shows (the events' index holds none):
    looked up one by one when they are few, else read in one pass over the events."""
    wanted = {event["id"] for event in events}
    if len(wanted) <= ONE_BY_ONE:
        sources = {key: (store.record("events", key) or {}).get("sources", []) for key in wanted}
    else:
        sources = {e["id"]: e["sources"] for e in store.scan("events", ("id", "sources")) if e["id"] in wanted}
    for event in events:
        event["sources"] = sources.get(event["id"], [])


def agenda(
    store: Store, chosen: selection.Chosen, *, as_of: str | None, within: int, stale_after: int
) -> tuple[list[JsonRecord], str]:
    """What is due as of a day (deadlines, reviews, stale disputes) and that day."""
    data = reporting.build(
        register.all_disputes(store),
        store.scan("events", reporting.EVENT_FIELDS),
        chosen.filters,
        as_of=as_of,
        stale_after=stale_after,
        deadlines=deadlines.all_deadlines(store),
        due_within=within,
        forecasts=forecasts.all_forecasts(store),
    )
    return data["due"], data["as_of"]


def digest(store: Store, chosen: selection.Chosen, month: str) -> JsonRecord:
    """The monthly digest of one month (YYYY-MM), of the disputes chosen."""
    from disputes.core import digest as digesting  # here: the status report, in this module too, needs none of it

    filters = chosen.filters.with_ended()
    disputes = list(filter(filters.test(), register.all_disputes(store)))
    data = digesting.build(
        disputes,
        store.scan("events", digesting.EVENT_FIELDS),
        deadlines.all_deadlines(store),
        month,
        assessments.all_assessments(store),
    )
    _with_sources(store, [row["reason"] for trend in reporting.TRENDS for row in data[trend] if row["reason"]])
    data["chosen"] = chosen.said
    return data


MOST_DRAWN = 6  # the unresolved disputes a chart draws when none is named (those with the most events)


class Chart(Frozen):
    months: list[str]
    disputes: list[Dispute]  # the ones drawn
    curves: dict[str, JsonRecord]  # by dispute id: each month's summed score and event count
    all_ids: list[str]  # every dispute's id (for short ids)
    key_events: dict[str, list[dict[str, Any]]]  # by dispute id: what to mark on its line (escalation.key_events)
    left_out: list[str]  # the ids of the unresolved disputes chosen by the filters but not drawn (beyond MOST_DRAWN)


def chart(
    store: Store, named: list[str], chosen_by: selection.Chosen, *, months: int | None, as_of: str | None
) -> Chart:
    """The escalation curves to draw: of the disputes named, else of the unresolved ones the
    filters choose with the most events (MOST_DRAWN at most: the others are `left_out`); over
    `months` months up to the as-of day, or (None) over the disputes' own lifetime, from their
    first opening or event."""
    day = as_of or today()
    everything = register.all_disputes(store)
    chosen = [lookup.dispute(store, text) for text in dict.fromkeys(named)]
    left_out: list[str] = []
    # the events up to the as-of month, whole (a curve's last point is that month's sum)
    events = [e for e in store.scan("events", ("id", *escalation.WEIGHED)) if e["date"][:7] <= day[:7]]
    span = escalation.months_up_to(day, months) if months is not None else []
    if span:
        in_span = set(span)
        events = [e for e in events if e["date"][:7] in in_span]
    if not chosen:
        filters = chosen_by.filters.with_ended()
        counts: dict[str, int] = {}
        for event in events:
            for dispute in event["disputes"]:
                counts[dispute] = counts.get(dispute, 0) + 1
        unresolved = [
            d
            for d in filter(filters.test(), everything)
            if (then := reporting.as_it_was(d, day)) is not None and then.is_active
        ]
        ranked = sorted(unresolved, key=lambda d: (-counts.get(d.id, 0), d.id))
        chosen, left_out = ranked[:MOST_DRAWN], [d.id for d in ranked[MOST_DRAWN:]]
    if not chosen:
        raise InvalidValue("no unresolved disputes to draw: name some")
    wanted = {d.id for d in chosen}
    if not span:
        dates = [d.opened for d in chosen] + [e["date"] for e in events if wanted.intersection(e["disputes"])]
        span = escalation.lifetime(dates, day)
    keys = escalation.key_events(events, list(wanted), span)
    _described(store, keys.values())
    return Chart(
        span, chosen, escalation.curves(events, list(wanted), span), [d.id for d in everything], keys, left_out
    )
