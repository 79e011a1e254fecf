"""What each view says, decided once: typed content objects that every format lays out.

The pattern (issue 43): an operation in `ops` reads the store and builds one frozen content
object here; `render` turns it into terminal lines, Markdown, HTML, PDF or JSON and never
reads the store; the library's frames read the same object. A format that needs a fact asks
the content for it, so two formats cannot disagree on which facts there are. Long listings
hold their rows as an iterator (`rows`), so that memory stays flat as the store grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from disputes.core.assessment import Assessment
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.core.steps import placed

if TYPE_CHECKING:  # the records `show` holds: loaded by the operations that read them
    from disputes.core.event import Event
    from disputes.core.forecast import Forecast, Revision


class Section(Frozen):
    """A record type's section of `show` (core.kinds.SHOWN): its heading, how its records are
    ordered when worth saying, and the dispute's records of it in that order, each of which
    says itself as a detail line (`detail_line`), in Markdown (`markdown_line`) and in JSON
    (`to_dict`, under the table's name)."""

    table: str
    heading: str
    order: str
    records: tuple[Any, ...]


class DisputeShown(Frozen):
    """`show`: one dispute and everything hanging on it, as of a day for its bottom line."""

    dispute: Dispute
    events: tuple[Event, ...] = ()  # oldest first
    relations: tuple[JsonRecord, ...] = ()
    changes: tuple[JsonRecord, ...] = ()  # history entries that touched it, oldest first
    sections: tuple[Section, ...] = ()  # deadlines, watch rules, comments...: as the registry lists them
    assessments: tuple[Assessment, ...] = ()  # every one, oldest first
    assessment: Assessment | None = None  # the bottom line in force on the day asked
    every_assessment: bool = False  # show asked for every assessment, not only the one in force
    forecasts: tuple[tuple[Forecast, float], ...] = ()  # (Forecast, the probability it stands at), the open ones first
    revisions: tuple[Revision, ...] = ()

    @property
    def judged(self) -> tuple[Assessment, ...]:
        """The bottom lines every format shows: every one when asked, else the one in force."""
        if self.every_assessment:
            return self.assessments
        return (self.assessment,) if self.assessment else ()

    @property
    def status_steps(self) -> tuple[JsonRecord, ...]:
        """The status history, each step with the detail it set."""
        return placed(self.dispute.status_history, self.dispute.status_detail)

    def to_json(self) -> JsonRecord:
        """`show --json`: the dispute's fields, then what hangs on it, each section's records
        under its table's name (fields only ever added)."""
        return {
            **self.dispute.to_dict(),
            "events": [e.to_dict() for e in self.events],
            "relations": list(self.relations),
            "history": list(self.changes),
            **{section.table: [record.to_dict() for record in section.records] for section in self.sections},
            "assessment": self.assessment.to_dict() if self.assessment else None,
            "assessments": [a.to_dict() for a in self.assessments],
            "forecasts": [{**f.to_dict(), "current": now} for f, now in self.forecasts],
            "forecast_revisions": [r.to_dict() for r in self.revisions],
        }


class HistoryShown(Frozen):
    """`history`: the entries asked for, oldest first, each with the ids of the disputes it
    touched (`disputes`), and how each of those is named: `DS512 Recycling fee`."""

    entries: tuple[JsonRecord, ...]
    names: dict[str, str]
    titles: Mapping[str, str] = MappingProxyType({})  # dispute id -> its title, where known

    def subject(self, entry: JsonRecord) -> str:
        """The disputes an entry touched, named (at most three, then how many more)."""
        named = [self.names.get(key, key) for key in entry.get("disputes", ())]
        return "; ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")

    def summary(self, entry: JsonRecord) -> str:
        """The entry's summary without the titles its subject already names: `forecast 'Q'`,
        not `forecast 'Q' on '<title>'` after `DS512 <title>:` (the stored summary keeps them)."""
        said: str = entry["summary"]
        for key in list(entry.get("disputes", ()))[:3]:
            if title := self.titles.get(key):
                said = re.sub(rf"(?:\s+(?:on|for|of|from|to))?\s*{re.escape(repr(title))}", "", said)
        return said


def change_said(entry: JsonRecord) -> str:
    """A history entry as the Changes section of every format says it: what, and by whom."""
    said = entry["summary"] + (" (undone)" if entry.get("undone") else "")
    return said + (f" ({entry['author']})" if entry.get("author") else "")


class EventsListed(Frozen):
    """`event list` and `timeline`: the events asked for, in date order, as rows read once
    (`rows`, an iterator: whole records encoded as JSON for `--json`, else dicts of the
    listed fields), each naming its disputes as every format names them (`named`: by ref,
    else by short id), under the view in force (`view`, in words; "" for none)."""

    rows: Iterator[Any]  # dict[str, Any] each, or bytes (a whole record as JSON)
    names: Mapping[str, str]  # dispute id -> ref, else its short id
    short: Mapping[str, str]  # event id -> its short id among every event read
    view: str = ""

    def named(self, event: Mapping[str, Any]) -> list[str]:
        """The disputes of an event, each by its ref, else its short id."""
        return [self.names.get(key, key) for key in event.get("disputes", ())]


class AgendaShown(Frozen):
    """`agenda`: what is due as of a day (deadlines, reviews, stale disputes), by date, each
    item naming its dispute by ref (`dispute_ref`) and title, under the view and filters in
    force (`chosen`, in words)."""

    items: tuple[dict[str, Any], ...]
    as_of: str
    within: int
    chosen: str = ""

    def to_json(self) -> list[dict[str, Any]]:
        """`agenda --json`: each item's kind, date, dispute, title, overdue, opens, and the
        dispute's ref and title (fields only ever added)."""
        fields = ("kind", "date", "dispute", "title", "overdue")
        return [
            {
                **{key: item[key] for key in fields},
                "opens": item.get("opens", False),
                "dispute_ref": item.get("dispute_ref", ""),
                "dispute_title": item.get("dispute_title", ""),
            }
            for item in self.items
        ]
