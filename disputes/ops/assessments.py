"""Assessments: record an analyst's dated bottom line on a dispute, and read them back."""

from __future__ import annotations

import warnings

from disputes.core import assessment as rules
from disputes.core.assessment import TABLE, Assessment
from disputes.core.dates import ends_before, today
from disputes.core.errors import DisputesWarning
from disputes.ops import authored, lookup
from disputes.store.database import Store


def all_assessments(store: Store, dispute: str = "") -> list[Assessment]:
    """Every assessment (or one dispute's), oldest first."""
    found = [Assessment.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute)]
    return sorted(found, key=lambda a: (a.dispute, a.date, a.created, a.id))


def add(store: Store, dispute_ref: str, text: str, *, date: str | None = None, confidence: str = "") -> Assessment:
    """Record a bottom line on a dispute, dated (default today), by the store's author."""
    dispute = lookup.dispute(store, dispute_ref)
    fields = rules.clean_fields({"text": text, "date": date or today(), "confidence": confidence})
    made = authored.put_on(store, TABLE, Assessment, dispute.id, fields)
    store.describe("assess", f"assessed {dispute.title!r}", note=made.text, date=made.date)
    if dispute.opened and ends_before(made.date, dispute.opened):
        warnings.warn(
            f"the assessment is dated {made.date}, before the dispute opened ({dispute.opened}); it was saved: "
            "check --date, or the dispute's opening date",
            DisputesWarning,
            stacklevel=3,
        )
    return made
