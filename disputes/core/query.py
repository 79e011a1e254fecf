"""Choosing and ordering disputes: the filters and sorts shared by `list` and `report`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from disputes.core import model
from disputes.core.agenda import is_stale
from disputes.core.dates import on_or_after, on_or_before, parse_date
from disputes.core.errors import InvalidValue
from disputes.core.model import Dispute

SORTS = ("priority", "opened", "updated", "created", "status", "title", "ref", "id", "quiet", "last-event")
BY_ACTIVITY = ("quiet", "last-event")  # sorts that need each dispute's last event (see `select`)


@dataclass(frozen=True)
class Filters:
    """What a user asked to see; empty values mean no filter on that field."""

    include_ended: bool = False
    statuses: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    text: str = ""
    since: str = ""
    until: str = ""

    @classmethod
    def parse(
        cls,
        *,
        include_ended=False,
        statuses=(),
        parties=(),
        topics=(),
        tags=(),
        priorities=(),
        text="",
        since="",
        until="",
    ) -> Filters:
        """Validate filter values as typed by a user."""
        return cls(
            include_ended=include_ended or bool(statuses),
            statuses=tuple(model.status(s) for s in statuses),
            parties=tuple(p.casefold().strip() for p in parties),
            topics=tuple(t.casefold().strip() for t in topics),
            tags=tuple(t.casefold().strip() for t in tags),
            priorities=tuple(model.priority(p) for p in priorities),
            text=text.casefold().strip(),
            since=parse_date(since, what="--since date") if since else "",
            until=parse_date(until, what="--until date") if until else "",
        )

    def admits(self, dispute: Dispute) -> bool:
        if not self.include_ended and not dispute.is_active:
            return False
        if self.statuses and dispute.status not in self.statuses:
            return False
        if self.priorities and dispute.priority not in self.priorities:
            return False
        if self.topics and dispute.topic.casefold() not in self.topics:
            return False
        if self.parties and not _any_in(self.parties, dispute.parties):
            return False
        if self.tags and not _any_in(self.tags, dispute.tags):
            return False
        if self.since and not on_or_after(dispute.opened, self.since):
            return False
        if self.until and not on_or_before(dispute.opened, self.until):
            return False
        return not self.text or self.text in _haystack(dispute)


def _any_in(wanted: tuple[str, ...], values: Iterable[str]) -> bool:
    return any(value.casefold() in wanted for value in values)


def _haystack(dispute: Dispute) -> str:
    return "\n".join(
        (
            dispute.title,
            dispute.summary,
            dispute.ref,
            dispute.topic,
            dispute.status_detail,
            *dispute.parties,
            *dispute.tags,
        )
    ).casefold()


def _natural(text: str) -> tuple:
    """Sort key that puts DS2 before DS10."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


_PRIORITY_RANK = {name: rank for rank, name in enumerate(reversed(model.PRIORITIES))}
_STATUS_RANK = {name: rank for rank, name in enumerate(model.STATUSES)}
_KEYS = {
    "priority": lambda d: (_PRIORITY_RANK[d.priority], d.opened, d.id),
    "opened": lambda d: (d.opened, d.id),
    "updated": lambda d: (d.updated, d.id),
    "created": lambda d: (d.created, d.id),
    "status": lambda d: (_STATUS_RANK[d.status], _PRIORITY_RANK[d.priority], d.id),
    "title": lambda d: (_natural(d.title), d.id),
    "ref": lambda d: (d.ref == "", _natural(d.ref), d.id),
    "id": lambda d: d.id,
}


def select(
    disputes: Iterable[Dispute],
    filters: Filters,
    sort: str = "priority",
    reverse: bool = False,
    limit: int | None = None,
    activity: dict[str, tuple[str, int | None]] | None = None,
    stale_after: int | None = None,
) -> list[Dispute]:
    """The disputes the filters admit, ordered, at most `limit` of them. `activity` gives
    each dispute's last event and days quiet, for the sorts by activity (the quietest, or
    the latest event, first) and for `stale_after` (only those quiet for longer)."""
    if sort not in SORTS:
        raise InvalidValue(f"unknown sort {sort!r}: choose one of {', '.join(SORTS)}")
    if limit is not None and limit < 0:
        raise InvalidValue("--limit must be 0 or more")
    chosen = (d for d in disputes if filters.admits(d))
    if stale_after is not None and activity is not None:
        chosen = (d for d in chosen if is_stale(activity[d.id][1], stale_after))
    if sort in BY_ACTIVITY:
        assert activity is not None, "sorting by activity needs each dispute's activity"
        if sort == "quiet":
            ordered = sorted(chosen, key=lambda d: (activity[d.id][1] or 0, d.id), reverse=not reverse)
        else:
            ordered = sorted(chosen, key=lambda d: (activity[d.id][0], d.id), reverse=not reverse)
    else:
        ordered = sorted(chosen, key=_KEYS[sort], reverse=reverse)
    return ordered if limit is None else ordered[:limit]


def last(items: list, limit: int) -> list:
    """The last `limit` items of a list in date or history order: the newest."""
    return items[len(items) - limit :] if limit else []
