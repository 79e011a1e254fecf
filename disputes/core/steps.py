"""A dispute's status history: its steps, the one in force on a day, and the detail each set."""

from __future__ import annotations

from collections.abc import Sequence

from disputes.core.dates import on_or_before
from disputes.core.jsontypes import JsonRecord


def current_status(steps: Sequence[JsonRecord]) -> str | None:
    """The one rule for a dispute's current status, used everywhere (list, report, merge):
    the status of its latest step by date; of steps on the same date, the one recorded last.
    `steps` are in date order, as `with_status` and the merge keep them."""
    return steps[-1]["status"] if steps else None


def placed(steps: Sequence[JsonRecord], current_detail: str) -> tuple[JsonRecord, ...]:
    """The status steps, each with its "detail" (a source's phrase for that status). A store
    written before details were kept per step holds the current one only in `status_detail`:
    it belongs to the latest step, and the earlier steps had none that we know of."""
    if all("detail" in step for step in steps):
        return tuple(steps)
    last = len(steps) - 1
    return tuple(
        step if "detail" in step else {**step, "detail": current_detail if i == last else ""}
        for i, step in enumerate(steps)
    )


def on(steps: Sequence[JsonRecord], date: str) -> JsonRecord | None:
    """The step in force on `date`: the last one on or before it (None before the first)."""
    current = None
    for step in steps:
        if on_or_before(step["date"], date):
            current = step
    return current


def detailed_last(steps: Sequence[JsonRecord], detail: str) -> tuple[JsonRecord, ...]:
    """The steps with the latest one given `detail`."""
    kept = list(steps)
    if kept:
        kept[-1] = {**kept[-1], "detail": detail}
    return tuple(kept)


def said(step: JsonRecord) -> str:
    """A step as people read it: its status, and the source's phrase for it in brackets."""
    detail = step.get("detail", "")
    return f"{step['status']} ({detail})" if detail else step["status"]


def note_said(step: JsonRecord) -> str:
    """A step's note beside `said(step)`: an import's "as reported at import: PHRASE" without
    the phrase `said` already gives (the stored note keeps it)."""
    note: str = step.get("note") or ""
    detail = step.get("detail", "")
    return note.removesuffix(f": {detail}") if detail and note == f"as reported at import: {detail}" else note
