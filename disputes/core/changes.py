"""History entries: one per command, stamped the same way wherever they are made."""

from __future__ import annotations

import datetime as dt
import os

TABLE = "history"


def new_entry(
    action: str, summary: str, *, note: str = "", date: str = "", changes: list | None = None, **extra
) -> dict:
    """A history entry stamped now; its id sorts in time order and stays unique across clones."""
    at = dt.datetime.now(dt.UTC)
    key = at.strftime("%Y%m%dT%H%M%S%f") + "-" + os.urandom(2).hex()
    return {
        "id": key,
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "action": action,
        "summary": summary,
        "note": note,
        "date": date,
        "changes": changes or [],
        **extra,
    }
