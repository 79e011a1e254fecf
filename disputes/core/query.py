"""Choosing and ordering disputes: the one filter language of every command that chooses
disputes, and the sorts of `list`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from disputes.core import frozen, model, vocabulary
from disputes.core.actors import Directory, fold
from disputes.core.agenda import is_stale
from disputes.core.dates import on_or_after, on_or_before, parse_date
from disputes.core.errors import InvalidValue
from disputes.core.fields import shown
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.model import Dispute

SORTS = ("priority", "opened", "updated", "created", "status", "title", "ref", "id", "quiet", "last-event")
BY_ACTIVITY = ("quiet", "last-event")  # sorts that need each dispute's last event (see `select`)


FILTERS, ONE_VALUE = vocabulary.FILTERS, vocabulary.ONE_VALUE


class Filters(Frozen):
    """What a user asked to see; empty values mean no filter on that field. `ids` (None: any)
    are the disputes named; `parties`, `complainants` and `respondents` are folded actor names
    (see actors.Directory.matcher); `also` are filters that must hold too (a view's)."""

    include_ended: bool = False
    ids: frozenset[str] | None = None
    statuses: tuple[str, ...] = ()
    parties: frozenset[str] = frozenset()
    complainants: frozenset[str] = frozenset()
    respondents: frozenset[str] = frozenset()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    owners: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    also: tuple[Filters, ...] = ()

    @classmethod
    def parse(
        cls,
        given: JsonRecord | None = None,
        *,
        include_ended: bool = False,
        directory: Callable[[], Directory] | None = None,
        ids: Iterable[str] | None = None,
    ) -> Filters:
        """Validate filter values as typed by a user ({name of FILTERS: values}); `ids` are
        the disputes the `dispute` values name, found by the caller; `directory` gives the
        actors parties are matched through (asked only when a filter names a party)."""
        given = given or {}
        unknown = [name for name in given if name not in FILTERS]
        if unknown:
            raise InvalidValue(f"unknown filter {unknown[0]!r}: choose one of {', '.join(FILTERS)}")
        values = {name: values_of(given.get(name, ())) for name in FILTERS}
        empty = next((name for name, typed in values.items() if any(not value.strip() for value in typed)), None)
        if empty:
            raise InvalidValue(f"{FILTERS[empty][0]} needs a value (it was empty)")
        found = directory or Directory.built_in_only
        since, until = (values[name][-1] if values[name] else "" for name in ONE_VALUE)
        return cls(
            include_ended=include_ended or bool(values["status"]),
            ids=frozenset(ids) if ids is not None else None,
            statuses=tuple(model.status(s) for s in values["status"]),
            parties=found().matcher(values["party"]) if values["party"] else frozenset(),
            complainants=found().matcher(values["complainant"]) if values["complainant"] else frozenset(),
            respondents=found().matcher(values["respondent"]) if values["respondent"] else frozenset(),
            topics=tuple(t.casefold().strip() for t in values["topic"]),
            tags=tuple(t.casefold().strip() for t in values["tag"]),
            priorities=tuple(model.priority(p) for p in values["priority"]),
            texts=tuple(t.casefold().strip() for t in values["search"] if t.strip()),
            since=parse_date(since, what="--opened-since date") if since else "",
            until=parse_date(until, what="--opened-before date") if until else "",
            owners=tuple(o.casefold().strip() for o in values["owner"]),
            stages=tuple(s.casefold().strip() for s in values["stage"]),
        )

    def searches(self) -> bool:
        """Whether a --search (of this or of a view's filters) reads the disputes' whole text."""
        return bool(self.texts) or any(more.searches() for more in self.also)

    def with_ended(self) -> Filters:
        return frozen.replace(self, include_ended=True)

    def test(self) -> Callable[[Dispute], bool]:
        """Whether a filter admits a dispute, as a function of only the checks it (and each
        view's filters it holds) sets, built once for a listing: every field asked of each
        of 10,000 disputes was a third of `view show`."""
        checks = self._checks()
        if len(checks) == 1:  # the listing of every day: the unresolved disputes
            return checks[0]
        return lambda dispute: all(check(dispute) for check in checks)

    def _checks(self) -> list[Callable[[Dispute], bool]]:
        checks: list[Callable[[Dispute], bool]] = []
        add = checks.append
        if not self.include_ended:
            add(lambda d: d.is_active)
        if self.ids is not None:
            add(lambda d: d.id in self.ids)  # type: ignore[operator]  # not None: checked above
        if self.statuses:
            add(lambda d: d.status in self.statuses)
        if self.priorities:
            add(lambda d: d.priority in self.priorities)
        if self.topics:
            add(lambda d: d.topic.casefold() in self.topics)
        if self.parties:
            add(lambda d: any(fold(p) in self.parties for p in d.parties))
        for wanted, role in ((self.complainants, "complainant"), (self.respondents, "respondent")):
            if wanted:
                add(functools.partial(_has_role, wanted, role))
        if self.tags:
            add(lambda d: any(tag.casefold() in self.tags for tag in d.tags))
        if self.since:
            add(lambda d: on_or_after(d.opened, self.since))
        if self.until:
            add(lambda d: on_or_before(d.opened, self.until))
        if self.owners:
            add(lambda d: d.owner.casefold() in self.owners)
        if self.stages:
            add(lambda d: d.stage.casefold() in self.stages)
        if self.texts:
            add(lambda d: any(text in _haystack(d) for text in self.texts))
        for more in self.also:
            checks.extend(more._checks())
        return checks


def _has_role(wanted: frozenset[str], role: str, dispute: Dispute) -> bool:
    return any(fold(p) in wanted for p in dispute.with_role(role))


def values_of(value: JsonValue) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise InvalidValue(f"a filter's values are text, not {shown(value)}")
    return tuple(value)


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


def _natural(text: str) -> tuple[int | str, ...]:
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
    chosen: Iterable[Dispute] = filter(filters.test(), disputes)
    if stale_after is not None and activity is not None:
        chosen = (d for d in chosen if is_stale(d, activity[d.id][1], stale_after))
    if sort in BY_ACTIVITY:
        assert activity is not None, "sorting by activity needs each dispute's activity"
        if sort == "quiet":
            ordered = sorted(chosen, key=lambda d: (activity[d.id][1] or 0, d.id), reverse=not reverse)
        else:
            ordered = sorted(chosen, key=lambda d: (activity[d.id][0], d.id), reverse=not reverse)
    else:
        ordered = sorted(chosen, key=_KEYS[sort], reverse=reverse)
    return ordered if limit is None else ordered[:limit]


_Item = TypeVar("_Item")


def last(items: list[_Item], limit: int) -> list[_Item]:
    """The last `limit` items of a list in date or history order: the newest."""
    return items[len(items) - limit :] if limit else []
