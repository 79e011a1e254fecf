"""What each view says, decided once: typed content objects that every format lays out.

The pattern (issue 43): an operation in `ops` reads the store and builds one frozen content
object here; `render` turns it into terminal lines, Markdown, HTML, PDF or JSON and never
reads the store; the library's frames read the same object. A format that needs a fact asks
the content for it, so two formats cannot disagree on which facts there are. Long listings
hold their rows as an iterator (`rows`), so that memory stays flat as the store grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from disputes.core.assessment import Assessment
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.core.steps import placed

if TYPE_CHECKING:  # the records `show` holds: loaded by the operations that read them
    from disputes.core.comment import Comment
    from disputes.core.deadline import Deadline
    from disputes.core.event import Event
    from disputes.core.forecast import Forecast, Revision
    from disputes.core.watch import Watch


@dataclass(frozen=True)
class DisputeShown:
    """`show`: one dispute and everything hanging on it, as of a day for its bottom line."""

    dispute: Dispute
    events: tuple[Event, ...] = ()  # oldest first
    relations: tuple[JsonRecord, ...] = ()
    changes: tuple[JsonRecord, ...] = ()  # history entries that touched it, oldest first
    deadlines: tuple[Deadline, ...] = ()
    watches: tuple[Watch, ...] = ()
    assessments: tuple[Assessment, ...] = ()  # every one, oldest first
    assessment: Assessment | None = None  # the bottom line in force on the day asked
    every_assessment: bool = False  # show asked for every assessment, not only the one in force
    forecasts: tuple[tuple[Forecast, float], ...] = ()  # (Forecast, the probability it stands at), the open ones first
    revisions: tuple[Revision, ...] = ()
    comments: tuple[Comment, ...] = ()  # newest first

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
        """`show --json`: the dispute's fields, then what hangs on it (fields only ever added)."""
        return {
            **self.dispute.to_dict(),
            "events": [e.to_dict() for e in self.events],
            "relations": list(self.relations),
            "history": list(self.changes),
            "deadlines": [d.to_dict() for d in self.deadlines],
            "watches": [w.to_dict() for w in self.watches],
            "assessment": self.assessment.to_dict() if self.assessment else None,
            "assessments": [a.to_dict() for a in self.assessments],
            "forecasts": [{**f.to_dict(), "current": now} for f, now in self.forecasts],
            "forecast_revisions": [r.to_dict() for r in self.revisions],
            "comments": [c.to_dict() for c in self.comments],
        }


@dataclass(frozen=True)
class HistoryShown:
    """`history`: the entries asked for, oldest first, each with the ids of the disputes it
    touched (`disputes`), and how each of those is named: `DS512 Recycling fee`."""

    entries: tuple[JsonRecord, ...]
    names: dict[str, str]

    def subject(self, entry: JsonRecord) -> str:
        """The disputes an entry touched, named (at most three, then how many more)."""
        named = [self.names.get(key, key) for key in entry.get("disputes", ())]
        return "; ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")


def change_said(entry: JsonRecord) -> str:
    """A history entry as the Changes section of every format says it: what, and by whom."""
    said = entry["summary"] + (" (undone)" if entry.get("undone") else "")
    return said + (f" ({entry['author']})" if entry.get("author") else "")
