"""The status report as plain data: computed here, rendered elsewhere."""

from __future__ import annotations

from disputes import model, query
from disputes.dates import days_between, today
from disputes.model import Dispute


def build(disputes: list[Dispute], filters: query.Filters, *, as_of: str | None = None,
          store: str = "") -> dict:
    """Counts by status and the unresolved disputes with their age, as of a date.

    Each dispute counts with the status it had on `as_of` (from its status history);
    disputes opened later are left out, so an old date reads like a report of that day.
    """
    as_of = as_of or today()
    then = [as_it_was(d, as_of) for d in disputes]
    everything = query.Filters(**{**filters.__dict__, "include_ended": True})
    chosen = query.select([d for d in then if d is not None], everything)
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


def as_it_was(dispute: Dispute, date: str) -> Dispute | None:
    """The dispute with the status it had on `date`, or None if it was not opened yet."""
    if dispute.opened and dispute.opened[: len(date)] > date:
        return None
    status = dispute.status_on(date) or dispute.status
    return dispute if status == dispute.status else dispute.replace(status=status)
