"""The fixed words of the domain: statuses, priorities, alerts (cheap to import, for --help)."""

# the tables of a store and what a record of each is called: the registry's list (core.kinds)
from disputes.core.kinds import NOUNS as NOUNS
from disputes.core.kinds import TABLES as TABLES

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


def counted(number: int, noun: str) -> str:
    """`number` of a table's records (or any noun) in words, its plural right: "1 event", "2 events"."""
    one, several = NOUNS.get(noun, (noun, noun + "s"))
    return f"{number:,} {one if number == 1 else several}"


# the dispute fields a CSV column may fill (`import --map COLUMN=FIELD`); the parties' four
# name actors, each with its role ("parties": none)
CSV_ROLES = {"parties": "party", "complainant": "complainant", "respondent": "respondent", "third_party": "third-party"}
CSV_FIELDS = (
    "title",
    "ref",
    "summary",
    "status",
    "status_detail",
    "topic",
    *CSV_ROLES,
    "tags",
    "priority",
    "opened",
    "sources",
    "alerts",
    "monitored",
    "stage",
)


# The filters every command that chooses disputes takes, by the name a view stores them
# under: its option, and what it matches. The same option repeated means any of its values;
# different options must all hold.
FILTERS = {
    "dispute": ("--dispute", "This dispute: id, id prefix or reference."),
    "party": ("--party", "A party in any role (any of its names or its code)."),
    "complainant": ("--complainant", "A party that is the complainant."),
    "respondent": ("--respondent", "A party that is the respondent."),
    "tag": ("--tag", "A tag."),
    "topic": ("--topic", "A topic."),
    "priority": ("--priority", "A priority: " + ", ".join(PRIORITIES) + "."),
    "status": ("--status", "A status: " + ", ".join(STATUSES) + "."),
    "search": ("--search", "Text in the title, summary, reference, parties, topic or tags."),
    "opened_since": ("--opened-since", "Opened on or after this date."),
    "opened_before": ("--opened-before", "Opened on or before this date."),
    "owner": ("--owner", "Owned by this analyst (the name `--owner` gave)."),
    "stage": ("--stage", "At this procedural stage (`disputes stage`: established, composed...)."),
}
ONE_VALUE = ("opened_since", "opened_before")  # the filters that take one value
