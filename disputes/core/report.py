"""The status report as plain data: computed here, rendered elsewhere.

The trend follows CrisisWatch: over a window (30 days by default) a dispute has
deteriorated, improved or stayed unchanged, judged from the events of that window
(weighed as in `escalation`: Goldstein scores where given, else effects as -1, +1 or 0).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import itemgetter

from disputes.core import agenda, escalation, model, query
from disputes.core.assessment import Assessment, in_force_by_dispute
from disputes.core.dates import days_between, on_or_before, start_of, today
from disputes.core.deadline import Deadline
from disputes.core.forecast import Forecast
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute

# the event fields a report reads (events are plain records here: 100,000 of them is common)
EVENT_FIELDS = ("id", "date", "title", "kind", "effect", "score", "disputes")
TRENDS = ("deteriorated", "improved", "unchanged")
NO_EVENTS = "no events"  # the trend shown when the window holds none (the field `trend` says unchanged)
JUDGEMENTS = 10  # the bottom lines a report leads with, in every format


def judgements(rows: list[JsonRecord]) -> list[JsonRecord]:
    """The rows whose bottom line a report leads with: those assessed, highest priority first."""
    return [row for row in rows if row.get("assessment")][:JUDGEMENTS]


def build(
    disputes: list[Dispute],
    events: Iterable[JsonRecord],
    filters: query.Filters,
    *,
    as_of: str | None = None,
    window: int = 30,
    stale_after: int = 90,
    store: str = "",
    deadlines: Sequence[Deadline] = (),
    due_within: int = 14,
    assessments: Iterable[Assessment] = (),
    forecasts: Iterable[Forecast] = (),
) -> JsonRecord:
    """Everything the status report shows, as of a date.

    Each dispute counts with the status it had on `as_of` (from its status history) and
    only events up to that day are seen, so an old date reads like a report of that day.
    `events` are records with at least EVENT_FIELDS. Partial ISO dates compare as strings
    the way their first days would: "2016" < "2016-05-31" < "2016-06".
    """
    as_of = as_of or today()
    window_start = _window_start(as_of, window)
    then = [as_it_was(d, as_of) for d in sorted(disputes, key=lambda d: d.id)]  # the file's order never shows
    chosen = query.select([d for d in then if d is not None], filters.with_ended())
    chosen_ids = {d.id for d in chosen}
    # one pass, nothing kept but the window's events: each dispute's last event day, and the
    # events of the window (a report of 100,000 events holds a few hundred)
    cut = len(as_of)  # on_or_before(date, as_of), written out: it is asked of every event
    last: dict[str, str] = {}
    recent = []
    for event in events:
        date = event["date"]
        if date[:cut] > as_of or chosen_ids.isdisjoint(event["disputes"]):
            continue
        for dispute_id in event["disputes"]:
            if date > last.get(dispute_id, ""):
                last[dispute_id] = date
        if date > window_start:
            recent.append(event)
    recent.sort(key=itemgetter("id"))  # by date, then id: two sorts, each on one string
    recent.sort(key=itemgetter("date"))
    in_window: dict[str, list[JsonRecord]] = {}
    for event in recent:
        for dispute_id in event["disputes"]:
            in_window.setdefault(dispute_id, []).append(event)

    counts = {status: 0 for status in model.STATUSES}
    for dispute in chosen:
        counts[dispute.status] += 1
    judged = in_force_by_dispute(assessments, as_of)
    unresolved = [
        {**_row(d, last.get(d.id, ""), in_window.get(d.id, []), as_of, stale_after), "assessment": judged.get(d.id)}
        for d in chosen
        if d.is_active
    ]
    named_recently = {key for e in recent for key in e["disputes"]}
    active = [d for d in chosen if d.is_active]
    return {
        "store": store,
        "as_of": as_of,
        "window_days": window,
        "stale_after_days": stale_after,
        "total": len(chosen),
        "unresolved_total": len(unresolved),
        "counts": counts,
        "trends": _counted(row["trend"] for row in unresolved),
        "stale_total": sum(row["stale"] for row in unresolved),
        "unresolved": unresolved,
        "recent_events": [{f: e[f] for f in EVENT_FIELDS} for e in reversed(recent)],
        "titles": {d.id: d.title for d in chosen if d.id in named_recently},
        "refs": {d.id: d.ref for d in chosen if d.id in named_recently and d.ref},
        "by_party": _breakdown(party for d in active for party in d.parties),
        "by_topic": _breakdown(d.topic or "(no topic)" for d in active),
        "due": agenda.items(
            chosen,
            list(deadlines),
            as_of=as_of,
            within=due_within,
            stale_after=stale_after,
            quiet_days={row["id"]: row["days_quiet"] for row in unresolved},
            forecasts=forecasts,
        ),
    }


def _window_start(as_of: str, window: int) -> str:
    """The day before a window of `window` days ending on `as_of` (events after it are in it)."""
    try:
        return (start_of(as_of) - dt.timedelta(days=window)).isoformat()
    except OverflowError:  # a window reaching before the year 1: every event is in it
        return ""


def days_quiet(dispute: Dispute, last_event: str, as_of: str) -> int | None:
    """The one rule for how long a dispute has been quiet on `as_of`: days since its last
    event, status step or opening, whichever came last (None when it has no date at all)."""
    moments = [
        dispute.opened,
        last_event,
        *(s["date"] for s in dispute.status_history if on_or_before(s["date"], as_of)),
    ]
    last_activity = max((m for m in moments if m), default="")
    return days_between(last_activity, as_of) if last_activity else None


def _row(dispute: Dispute, last_event: str, in_window: list[JsonRecord], as_of: str, stale_after: int) -> JsonRecord:
    """A dispute's line in the report: `last_event` is the day of its last event up to the
    as-of day, `in_window` its events of the window."""
    quiet = days_quiet(dispute, last_event, as_of)
    return {
        "id": dispute.id,
        "ref": dispute.ref,
        "title": dispute.title,
        "status": dispute.status,
        "status_detail": dispute.status_detail,  # as of the report's day (as_it_was)
        "priority": dispute.priority,
        "topic": dispute.topic,
        "parties": list(dispute.parties),
        "roles": dict(dispute.roles),
        "opened": dispute.opened,
        "age_days": days_between(dispute.opened, as_of) if dispute.opened else None,
        "last_event": last_event,
        "days_quiet": quiet,
        "stale": agenda.is_stale(dispute, quiet, stale_after),
        "trend": escalation.verdict(in_window),
        "window_events": len(in_window),
        # what every format prints: a window without events is not "unchanged" but unknown
        "trend_shown": escalation.verdict(in_window) if in_window else NO_EVENTS,
        "alerts": list(dispute.alerts),
        "owner": dispute.owner,
        "stage": dispute.stage,
    }


def _counted(trends: Iterable[str]) -> dict[str, int]:
    counts = Counter(trends)
    return {name: counts[name] for name in TRENDS if counts[name]}


def _breakdown(values: Iterable[str]) -> list[JsonRecord]:
    counts: Counter[str] = Counter(values)
    return [{"name": name, "count": counts[name]} for name in sorted(counts, key=lambda n: (-counts[n], n))]


def as_it_was(dispute: Dispute, date: str) -> Dispute | None:
    """The dispute with the status it had on `date`, or None if it was not opened yet."""
    if dispute.opened and not on_or_before(dispute.opened, date):
        return None
    step = dispute.step_on(date)
    if step is None:
        return dispute
    status, detail = step["status"], step["detail"]
    if status == dispute.status and detail == dispute.status_detail:
        return dispute
    return dispute.replace(status=status, status_detail=detail)


KEY_EVENTS = 6  # the strongest events of a dispute's life a brief lists, besides its status changes


def briefs(
    data: JsonRecord,
    disputes: list[Dispute],
    events: Iterable[JsonRecord],
    *,
    limit: int = 0,
    deadlines: Iterable[Deadline] = (),
    relations: dict[str, list[JsonRecord]] | None = None,
) -> list[JsonRecord]:
    """One brief per unresolved dispute of a report (the first `limit`, 0: all): its summary,
    parties, sources and status history up to the report's day; its key events (the status
    changes and the strongest events of its whole life up to that day, those of the window
    marked); its open deadlines after that day; its `relations` ({id: links}); and its
    escalation curve over its lifetime (from its opening or first event to the report's day).
    `events` (a stream) are records with EVENT_FIELDS; only those of the disputes briefed are
    kept (the sources of those shown are the caller's to add)."""
    rows = data["unresolved"][:limit] if limit else data["unresolved"]
    by_id = {d.id: d for d in disputes}
    as_of, window_start = data["as_of"], _window_start(data["as_of"], data["window_days"])
    wanted = {row["id"] for row in rows}
    seen = [e for e in events if on_or_before(e["date"], as_of) and wanted.intersection(e["disputes"])]
    own: dict[str, list[JsonRecord]] = {}
    for event in seen:
        for key in wanted.intersection(event["disputes"]):
            own.setdefault(key, []).append(event)
    ahead: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        if (
            deadline.dispute in wanted
            and deadline.done is None
            and deadline.superseded is None
            and deadline.date >= as_of[: len(deadline.date)]
        ):
            ahead.setdefault(deadline.dispute, []).append(deadline)
    found = []
    for row in rows:
        dispute = by_id[row["id"]]
        mine = sorted(own.get(dispute.id, []), key=lambda e: (e["date"], e["id"]))
        span = escalation.lifetime([dispute.opened, *(e["date"] for e in mine)], as_of)
        history = [s for s in dispute.status_history if on_or_before(s["date"], as_of)]
        found.append(
            {
                **row,
                "summary": dispute.summary,
                "sources": list(dispute.sources),
                "status_history": history,
                "events": [e for e in reversed(mine) if e["date"] > window_start],
                "key_events": _key_events(mine, history, window_start),
                "deadlines": [
                    {"date": d.date, "title": d.title, "kind": d.kind}
                    for d in sorted(ahead.get(dispute.id, []), key=lambda d: (d.date, d.id))
                ],
                "relations": (relations or {}).get(dispute.id, []),
                "months": span,
                "curve": escalation.curves(mine, [dispute.id], span)[dispute.id],
                "chart_keys": escalation.key_events(mine, [dispute.id], span)[dispute.id],
                "status_changes": [s["date"] for s in history[1:]],
            }
        )
    return found


def _key_events(events: list[JsonRecord], history: list[JsonRecord], window_start: str) -> list[JsonRecord]:
    """A dispute's life in a few lines, oldest first: every status change, and its strongest
    events (by the weight of their score or effect), those of the window marked `recent`."""
    strongest = sorted(events, key=lambda e: (-abs(escalation.weight(e)), e["date"], e["id"]))[:KEY_EVENTS]
    lines = [
        {
            "date": s["date"],
            "kind": "status",
            "title": f"{s['status']}" + (f": {s['note']}" if s.get("note") else ""),
            "recent": s["date"] > window_start,
        }
        for s in history
    ]
    lines += [
        {**e, "kind": "event", "recent": e["date"] > window_start}
        for e in sorted(strongest, key=lambda e: (e["date"], e["id"]))
    ]
    return sorted(lines, key=lambda line: (line["date"], line["kind"] != "status"))
