"""Assessments: record an analyst's dated bottom line on a dispute, and read them back."""

from __future__ import annotations

import warnings

from disputes.core import assessment as rules
from disputes.core import ids
from disputes.core.assessment import TABLE, Assessment
from disputes.core.dates import ends_before, now, today
from disputes.core.errors import DisputesWarning
from disputes.ops import lookup
from disputes.store.author import author_of
from disputes.store.database import Store


def all_assessments(store: Store, dispute: str = "") -> list[Assessment]:
    """Every assessment (or one dispute's), oldest first."""
    found = [Assessment.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute)]
    return sorted(found, key=lambda a: (a.dispute, a.date, a.created, a.id))


def add(store: Store, dispute_ref: str, text: str, *, date: str | None = None, confidence: str = "") -> Assessment:
    """Record a bottom line on a dispute, dated (default today), by the store's author."""
    dispute = lookup.dispute(store, dispute_ref)
    fields = rules.clean_fields({"text": text, "date": date or today(), "confidence": confidence})
    stamp = now()
    made = Assessment(
        id=ids.new_id(store.ids(TABLE)),
        dispute=dispute.id,
        author=author_of(store.path),
        created=stamp,
        updated=stamp,
        **fields,
    )
    store.put(TABLE, made.id, made.to_dict())
    store.describe("assess", f"assessed {dispute.title!r}", note=made.text, date=made.date)
    if dispute.opened and ends_before(made.date, dispute.opened):
        warnings.warn(
            f"the assessment is dated {made.date}, before the dispute opened ({dispute.opened}); it was saved: "
            "check --date, or the dispute's opening date",
            DisputesWarning,
            stacklevel=3,
        )
    return made
