"""The monthly digest, in the manner of CrisisWatch: what moved in one month, as plain data.

Every dispute that was unresolved during the month is judged by that month's events
(weighed as in `escalation`): deteriorated, improved or unchanged, with the month's most
significant event as the reason. Disputes opened and ended in the month are listed apart,
and the month ahead shows the deadlines and reviews falling in it and the alerts set.
"""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core import agenda, escalation
from disputes.core.assessment import Assessment, in_force_by_dispute
from disputes.core.dates import end_of
from disputes.core.deadline import Deadline
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.core.report import TRENDS, as_it_was
from disputes.core.vocabulary import FINAL

# what the digest reads of each event (the events' index holds it); the reasons it gives are
# shown with their sources, which the caller adds (`reason["sources"]` is None till then)
EVENT_FIELDS = escalation.FIELDS
REASON_FIELDS = (*escalation.FIELDS, "sources")


def build(
    disputes: list[Dispute],
    events: Iterable[JsonRecord],
    deadlines: list[Deadline],
    month: str,
    assessments: Iterable[Assessment] = (),
) -> JsonRecord:
    """The digest of `month` (YYYY-MM); `events` may be a stream of records with EVENT_FIELDS.
    Every dispute of a verdict carries the bottom line in force at the month's end (not only
    those that deteriorated: two judged in one month read alike)."""
    end = end_of(month)
    ahead = escalation.month_after(month)
    by_dispute: dict[str, list[JsonRecord]] = {}
    for event in events:
        if event["date"][:7] == month:
            for dispute in event["disputes"]:
                by_dispute.setdefault(dispute, []).append(event)
    verdicts: dict[str, list[JsonRecord]] = {name: [] for name in TRENDS}
    judged = in_force_by_dispute(assessments, end)
    opened, ended, alerts = [], [], []
    for dispute in sorted(disputes, key=lambda d: d.id):
        then = as_it_was(dispute, end)
        if then is None:
            continue
        ended_now = [s for s in then.status_history if s["date"][:7] == month and s["status"] in FINAL]
        if not then.is_active and not ended_now:
            continue  # ended before the month began (or dated only to the year)
        if dispute.opened[:7] == month:
            opened.append(_entry(then))
        if ended_now and not then.is_active:
            ended.append({**_entry(then), "date": ended_now[-1]["date"], "note": ended_now[-1].get("note", "")})
            continue
        happened = sorted(by_dispute.get(dispute.id, []), key=lambda e: (e["date"], e["id"]))
        reason = escalation.most_significant(happened)
        trend = escalation.verdict(happened)
        bottom_line = judged.get(dispute.id)
        verdicts[trend].append(
            {
                **_entry(then),
                **({"assessment": bottom_line} if bottom_line else {}),
                "events": len(happened),
                "balance": sum(escalation.weight(e) for e in happened),
                "reason": reason and {f: reason.get(f) for f in REASON_FIELDS if f != "disputes"},
            }
        )
        alerts += [{**_entry(then), "alert": alert} for alert in dispute.alerts]
    due = [
        item
        for item in agenda.items(disputes, deadlines, as_of=end, within=31)
        if item["date"][:7] == ahead and item["kind"] != "stale"
    ]
    return {
        "month": month,
        **verdicts,
        "opened": opened,
        "ended": ended,
        "ahead": {"month": ahead, "alerts": alerts, "due": due},
    }


def _entry(dispute: Dispute) -> JsonRecord:
    return {
        "id": dispute.id,
        "ref": dispute.ref,
        "title": dispute.title,
        "status": dispute.status,
        "status_detail": dispute.status_detail,  # the source's phrase in force at the month's end
        "parties": list(dispute.parties),
    }
