"""The fixed words of the domain: statuses, priorities, alerts (cheap to import, for --help)."""

# The lifecycle. Active states can move to any other state; final states only
# back to an active one (a reopen), so an ended dispute is never silently re-ended.
STATUSES: dict[str, str] = {
    "open": "raised and unresolved; the default for a new dispute",
    "negotiating": "the parties are talking about a settlement",
    "escalated": "measures, threats or litigation are under way",
    "frozen": "unresolved, but nobody is moving",
    "resolved": "settled: an agreement, a ruling complied with, a withdrawn claim",
    "closed": "ended without resolution: dropped, moot, or no longer followed",
}
ACTIVE = ("open", "negotiating", "escalated", "frozen")
FINAL = ("resolved", "closed")
PRIORITIES = ("low", "medium", "high", "critical")
# Alerts in the manner of CrisisWatch: a warning a user sets on a dispute, shown in reports.
ALERTS = ("conflict-risk", "resolution-opportunity")


def status_help() -> str:
    """The states in one line, each marked active or final, for --help texts."""
    return "; ".join(f"{name} ({'final' if name in FINAL else 'active'})" for name in STATUSES)


# The tables of a store, each keyed by record id.
TABLES = ("disputes", "events", "relations", "deadlines", "watches", "history")
