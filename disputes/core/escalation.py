"""Escalation curves: what the events of each month did to a dispute, as numbers.

An event weighs its Goldstein score when it has one (-10 conflict ... +10 cooperation),
else its effect counted -1 (escalating), +1 (de-escalating) or 0. A month's value is the
sum over its events, so a curve going down is a dispute heating up. The same weights
decide the report's trend and the digest's verdict.
"""

from __future__ import annotations

EFFECT_WEIGHT = {"escalating": -1.0, "de-escalating": 1.0, "neutral": 0.0}
# the event fields these curves read
FIELDS = ("id", "date", "title", "effect", "score", "disputes")


def weight(event: dict) -> float:
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


def curves(events, dispute_ids, months: list[str]) -> dict[str, dict]:
    """Per dispute: {"values": monthly sums, "events": monthly counts}, over `months`.

    Events dated only to a year cannot be placed in a month and are left out; so are
    events outside the months and those of other disputes. `events` may be a stream.
    """
    where = {month: index for index, month in enumerate(months)}
    wanted = set(dispute_ids)
    found: dict[str, dict[str, list]] = {
        d: {"values": [0.0] * len(months), "events": [0] * len(months)} for d in dispute_ids
    }
    for event in events:
        index = where.get(event["date"][:7])
        if index is None:
            continue
        for dispute in wanted.intersection(event["disputes"]):
            found[dispute]["values"][index] += weight(event)
            found[dispute]["events"][index] += 1
    return found


def verdict(events) -> str:
    """deteriorated, improved or unchanged: the balance of some events, in CrisisWatch's words."""
    balance = sum(weight(e) for e in events)
    return "deteriorated" if balance < 0 else "improved" if balance > 0 else "unchanged"


def most_significant(events) -> dict | None:
    """The event that weighed most (the later one on a tie); None without events."""
    return max(events, key=lambda e: (abs(weight(e)), e["date"], e["id"]), default=None)
