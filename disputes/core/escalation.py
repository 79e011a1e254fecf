"""Escalation curves: what the events of each month did to a dispute, as numbers.

An event weighs its Goldstein score when it has one (-10 conflict ... +10 cooperation),
else its effect counted -1 (escalating), +1 (de-escalating) or 0. A month's value is the
sum over its events, so a curve going down is a dispute heating up. The same weights
decide the report's trend and the digest's verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from disputes.core.jsontypes import JsonRecord

EFFECT_WEIGHT = {"escalating": -1.0, "de-escalating": 1.0, "neutral": 0.0}
# the event fields these curves read
FIELDS = ("id", "date", "title", "effect", "score", "disputes")
# what weighs an event and places it in time and among disputes (the events' index holds these)
WEIGHED = ("date", "effect", "score", "disputes")


def weight(event: Mapping[str, Any]) -> float:
    """What one event did: its score, else its effect as -1, 0 or +1."""
    return event["score"] if event["score"] is not None else EFFECT_WEIGHT[event["effect"]]


def months_up_to(as_of: str, count: int) -> list[str]:
    """The `count` months ending with the month of `as_of`, oldest first, as YYYY-MM."""
    year, month = int(as_of[:4]), int(as_of[5:7]) if len(as_of) >= 7 else 12
    months = []
    for _ in range(count):
        if year < 1:
            break
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


MOST_MONTHS = 36  # a span longer than this is drawn by quarters
MOST_QUARTERS = 40  # and one longer than this (ten years) by years


def periods(start: str, end: str) -> list[str]:
    """The periods a curve from `start` to `end` (dates) is drawn in, oldest first: months
    (YYYY-MM) for up to three years, quarters (YYYY-Qn) up to ten, else years (YYYY)."""
    first, last = (
        (int(start[:4]), int(start[5:7]) if len(start) >= 7 else 1),
        (int(end[:4]), int(end[5:7]) if len(end) >= 7 else 12),
    )
    if last < first:
        first = last
    count = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if count <= MOST_MONTHS:
        return months_up_to(end if len(end) >= 7 else f"{end[:4]}-12", max(count, 2))
    quarters = sorted(
        {
            period_of(f"{year:04d}-{month:02d}", "quarter")
            for year in range(first[0], last[0] + 1)
            for month in range(1, 13)
            if first <= (year, month) <= last
        }
    )
    if len(quarters) <= MOST_QUARTERS:
        return quarters
    return [f"{year:04d}" for year in range(first[0], last[0] + 1)]


def lifetime(dates: Iterable[str], as_of: str) -> list[str]:
    """The periods from the first of `dates` (an opening, events) to `as_of`: a curve that
    follows its disputes, not the 24 months before today."""
    first = min((d for d in dates if d and d <= as_of), default=as_of)
    return periods(first, as_of)


def kind_of(period: str) -> str:
    """month, quarter or year: what a period of `periods` is."""
    return "year" if len(period) == 4 else "quarter" if "Q" in period else "month"


def period_of(date: str, kind: str) -> str:
    """The period of a kind a date falls in ("" when the date is too partial to tell)."""
    if kind == "year":
        return date[:4]
    if len(date) < 7:
        return ""
    return date[:7] if kind == "month" else f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


def curves(
    events: Iterable[JsonRecord], dispute_ids: Iterable[str], months: list[str]
) -> dict[str, dict[str, list[float]]]:
    """Per dispute: {"values": sums, "events": counts} per period of `months` (months,
    quarters or years: see `periods`).

    Events too partly dated for the periods (a year, in months) are left out; so are
    events outside the periods and those of other disputes. `events` may be a stream.
    """
    where = {month: index for index, month in enumerate(months)}
    kind = kind_of(months[0]) if months else "month"
    wanted = set(dispute_ids)
    found: dict[str, dict[str, list[float]]] = {
        d: {"values": [0.0] * len(months), "events": [0] * len(months)} for d in dispute_ids
    }
    for event in events:
        index = where.get(event["date"][:7] if kind == "month" else period_of(event["date"], kind))
        if index is None:
            continue
        for dispute in wanted.intersection(event["disputes"]):
            found[dispute]["values"][index] += weight(event)
            found[dispute]["events"][index] += 1
    return found


def verdict(events: Iterable[JsonRecord]) -> str:
    """deteriorated, improved or unchanged: the balance of some events, in CrisisWatch's words."""
    balance = sum(weight(e) for e in events)
    return "deteriorated" if balance < 0 else "improved" if balance > 0 else "unchanged"


def most_significant(events: Iterable[JsonRecord]) -> JsonRecord | None:
    """The event that weighed most (the later one on a tie); None without events."""
    return max(events, key=lambda e: (abs(weight(e)), e["date"], e["id"]), default=None)


KEY_EVENTS = 3  # the key events a chart marks on each line


def key_events(
    events: Iterable[Mapping[str, Any]], dispute_ids: Iterable[str], months: list[str], most: int = KEY_EVENTS
) -> dict[str, list[dict[str, Any]]]:
    """Per dispute: its key events within the periods of `months`, the escalating ones (weighing
    below 0) that weighed most, at most `most` and one a period (a chart marks a period's
    point: two marks there would be drawn on one another), oldest first. Each is {"id",
    "date", "period", "score"} (the weight, as the curve sums it), with its "title" and
    "description" when the event carries them. Every chart marks these: the terminal's,
    `show`'s sparkline, the SVG."""
    where = set(months)
    kind = kind_of(months[0]) if months else "month"
    found: dict[str, list[Mapping[str, Any]]] = {d: [] for d in dispute_ids}
    for event in events:
        if weight(event) >= 0 or period_of(event["date"], kind) not in where:
            continue
        for dispute in found.keys() & set(event["disputes"]):
            found[dispute].append(event)
    chosen: dict[str, list[dict[str, Any]]] = {}
    for dispute, mine in found.items():
        later_first = sorted(mine, key=lambda e: (e["date"], e["id"]), reverse=True)
        by_period: dict[str, Mapping[str, Any]] = {}
        for event in sorted(later_first, key=weight):  # the worst first; the later one on a tie
            by_period.setdefault(period_of(event["date"], kind), event)
        worst = list(by_period.values())[:most]
        chosen[dispute] = [
            {
                "id": e["id"],
                "date": e["date"],
                "period": period_of(e["date"], kind),
                "score": weight(e),
                **{field: e[field] for field in ("title", "description") if field in e},
            }
            for e in sorted(worst, key=lambda e: (e["date"], e["id"]))
        ]
    return chosen
