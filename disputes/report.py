"""The status report as plain data: computed here, rendered elsewhere."""

from __future__ import annotations

from disputes import model, query
from disputes.dates import days_between, today
from disputes.model import Dispute


def build(disputes: list[Dispute], filters: query.Filters, *, as_of: str | None = None,
          store: str = "") -> dict:
    """Counts by status and the unresolved disputes with their age, as of a date."""
    as_of = as_of or today()
    everything = query.Filters(**{**filters.__dict__, "include_ended": True})
    chosen = query.select(disputes, everything)
    counts = {status: 0 for status in model.STATUSES}
    for dispute in chosen:
        counts[dispute.status] += 1
    unresolved = [
        {
            "id": d.id,
            "ref": d.ref,
            "title": d.title,
            "status": d.status,
            "priority": d.priority,
            "topic": d.topic,
            "parties": list(d.parties),
            "opened": d.opened,
            "age_days": days_between(d.opened, as_of) if d.opened else None,
        }
        for d in chosen
        if d.is_active
    ]
    return {
        "store": store,
        "as_of": as_of,
        "total": len(chosen),
        "unresolved_total": len(unresolved),
        "counts": counts,
        "unresolved": unresolved,
    }
