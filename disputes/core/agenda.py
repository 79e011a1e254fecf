"""The agenda: what is due as of a day -- deadlines, reviews, stale disputes and forecasts past
their day -- computed, never stored.

Reviews due are worked out from each dispute's cadence and last review whenever they are
asked for, so two clones that both reviewed a dispute and merged keep one last-review
date (the later) and never a pile of duplicated reminders.
"""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core.dates import plus_days
from disputes.core.deadline import Deadline
from disputes.core.forecast import Forecast
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.model import Dispute

KINDS = ("deadline", "review", "stale", "forecast")
LAST_DAY = "9999-12-31"  # a review due past the calendar's end is due on its last day


def is_stale(dispute: Dispute, quiet: int | None, stale_after: int) -> bool:
    """The one rule for staleness: a monitored dispute quiet for more than `stale_after`
    days; 0 turns it off, and a dispute kept for reference (not monitored) is never stale."""
    return dispute.monitored and stale_after > 0 and quiet is not None and quiet > stale_after


def review_due(dispute: Dispute) -> str | None:
    """The day the next review of a dispute falls due (None when it has no cadence)."""
    if not dispute.review_every:
        return None
    since = dispute.last_review or dispute.created[:10] or dispute.opened
    return (plus_days(since[:10], dispute.review_every) or LAST_DAY) if len(since) >= 10 else None


def items(
    disputes: list[Dispute],
    deadlines: list[Deadline],
    *,
    as_of: str,
    within: int = 14,
    quiet_days: dict[str, int | None] | None = None,
    stale_after: int = 90,
    forecasts: Iterable[Forecast] = (),
) -> list[JsonRecord]:
    """Overdue and upcoming deadlines, reviews due, stale disputes, and forecasts past their
    day still to be resolved, in date order.

    `quiet_days` gives, per unresolved dispute, the days since anything happened (from the
    report's data); a dispute quiet for more than `stale_after` days is on the agenda.
    """
    horizon = plus_days(as_of, within) or LAST_DAY
    titles = {d.id: d.title for d in disputes}
    found = []
    refs = {d.id: d.ref for d in disputes}
    for deadline in deadlines:
        if deadline.dispute in titles and deadline.open_on(as_of) and deadline.day <= horizon:
            item = _item(
                "deadline",
                deadline.day,
                deadline.dispute,
                deadline.title,
                as_of,
                id=deadline.id,
                dispute_title=titles[deadline.dispute],
                dispute_ref=refs[deadline.dispute],
                opens=deadline.kind == "opens",
            )
            item["overdue"] = deadline.missed_on(as_of)  # a right that opened is never overdue
            item["opened"] = item["opens"] and deadline.day <= as_of
            found.append(item)
    for forecast in forecasts:
        unresolved = not forecast.outcome or forecast.resolved > as_of
        if forecast.dispute in titles and unresolved and forecast.deadline < as_of:
            found.append(
                _item(
                    "forecast",
                    forecast.deadline,
                    forecast.dispute,
                    f"resolve the forecast {forecast.question!r}"
                    + (f" ({forecast.author})" if forecast.author else ""),
                    as_of,
                    id=forecast.id,
                    dispute_title=titles[forecast.dispute],
                    dispute_ref=refs[forecast.dispute],
                )
            )
    for dispute in disputes:
        if not dispute.is_active:
            continue
        due = review_due(dispute)
        if due and due <= horizon:
            found.append(
                _item(
                    "review",
                    due,
                    dispute.id,
                    f"review {dispute.title}",
                    as_of,
                    dispute_title=dispute.title,
                    dispute_ref=dispute.ref,
                )
            )
        quiet = (quiet_days or {}).get(dispute.id)
        if quiet is not None and is_stale(dispute, quiet, stale_after):
            went_stale = plus_days(as_of, stale_after - quiet) or as_of
            found.append(
                _item(
                    "stale",
                    went_stale,
                    dispute.id,
                    f"no news for {quiet:,} days",
                    as_of,
                    dispute_title=dispute.title,
                    dispute_ref=dispute.ref,
                )
            )
    return sorted(found, key=lambda item: (item["date"], KINDS.index(item["kind"]), item["dispute"]))


def _item(kind: str, date: str, dispute: str, title: str, as_of: str, **extra: JsonValue) -> JsonRecord:
    return {"kind": kind, "date": date, "dispute": dispute, "title": title, "overdue": date < as_of, **extra}
