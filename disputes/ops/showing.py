"""`show`'s content: one dispute and what hangs on it, read once for every format."""

from __future__ import annotations

from disputes.core import event
from disputes.core.assessment import in_force
from disputes.core.content import DisputeShown
from disputes.core.scoring import current as standing
from disputes.ops import assessments, comments, deadlines, events, forecasts, history, lookup, relations, watches
from disputes.store.database import Store


def dispute_shown(store: Store, text: str, *, as_of: str | None = None, every: bool = False) -> DisputeShown:
    """The dispute `text` finds, with its events, relations, changes, deadlines, watch rules,
    assessments (the one in force on `as_of`) and forecasts."""
    found = lookup.dispute(store, text)
    made = assessments.all_assessments(store, found.id)
    stated, revised = forecasts.all_forecasts(store, found.id), forecasts.all_revisions(store, found.id)
    stated = sorted(stated, key=lambda f: not f.is_open)  # the open ones first, each group soonest first
    return DisputeShown(
        dispute=found,
        events=tuple(event.select(events.all_events(store, found.id), disputes=frozenset([found.id]))),
        relations=tuple(relations.of(store, found.id)),
        changes=tuple(history.entries(store, found.id)),
        deadlines=tuple(deadlines.all_deadlines(store, found.id)),
        watches=tuple(watches.all_watches(store, found.id)),
        assessments=tuple(made),
        assessment=in_force(made, as_of),
        every_assessment=every,
        forecasts=tuple((f, standing(f, revised)) for f in stated),
        revisions=tuple(revised),
        comments=tuple(comments.all_comments(store, found.id)),
    )
