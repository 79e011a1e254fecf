"""Dispute records, the status lifecycle and the rules a dispute's fields follow (the checks
every record type shares are core/fields.py's)."""

from __future__ import annotations

from disputes.core import frozen, steps
from disputes.core.dates import parse_date, parse_full_date
from disputes.core.errors import InvalidTransition, InvalidValue
from disputes.core.fields import (
    MAX_LINE,
    MAX_SOURCE,
    MAX_TEXT,
    choice,
    distinct_right,
    flag,
    free_text,
    names,
    one_line,
    problems_by_column,
    shown,
    sources,
    texts_right,
)
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.steps import current_status
from disputes.core.vocabulary import ACTIVE, ALERTS, FINAL, PRIORITIES, STATUSES

TABLE = "disputes"

LIST_FIELDS = ("parties", "tags", "sources", "alerts")
SINGULAR = {"parties": "party", "tags": "tag", "sources": "source", "alerts": "alert"}
# what a listing reads of a dispute (its row, the filters but --search, the sorts but those by
# activity): the disputes' index holds these, so that `list` on 10,000 disputes parses a
# third of the records
SUMMARY = (
    "title",
    "status",
    "ref",
    "topic",
    "parties",
    "tags",
    "priority",
    "opened",
    "created",
    "updated",
    "roles",
    "owner",
    "stage",
)


class Dispute(Frozen):
    """One dispute as the core sees it."""

    id: str
    title: str
    status: str = "open"
    ref: str = ""
    summary: str = ""
    status_detail: str = ""
    topic: str = ""
    parties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    priority: str = "medium"
    opened: str = ""
    sources: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    # Each status the dispute has had, oldest first: {"date", "status", "note"}.
    status_history: tuple[JsonRecord, ...] = ()
    review_every: int = 0  # days between reviews the analyst promised; 0: none
    last_review: str = ""  # the day of the last review (reviews due are computed, never stored)
    # False: kept for reference (a list's cases), so never stale; True: followed
    monitored: bool = True
    # the role of each party that has one ({name: "complainant"}); parties without are plain parties
    roles: dict[str, str] = {}  # noqa: RUF012 (never changed: records are frozen)
    # the mapped fields as the source gave them at the last CSV import ({field: value}, its
    # status included): the base a re-import merges against (core.reimport)
    imported: JsonRecord = {}  # noqa: RUF012 (never changed: records are frozen)
    owner: str = ""  # the analyst who owns it, by the name the history uses for authors ("" for none)
    # the procedural stage the case has reached (`disputes stage`: "established"), beside its
    # status (its state) and status detail (the source's phrase)
    stage: str = ""

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def to_dict(self) -> JsonRecord:
        record = frozen.to_record(self, _DEFAULTS, (*LIST_FIELDS, "status_history"))
        record["roles"] = dict(self.roles)
        record["imported"] = dict(self.imported)
        return record

    def role_of(self, party: str) -> str:
        return self.roles.get(party, "party")

    def with_role(self, role: str) -> tuple[str, ...]:
        """The parties with `role` ("party": those without one)."""
        return tuple(name for name in self.parties if self.role_of(name) == role)

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Dispute:
        return frozen.from_record(cls, record, _DEFAULTS, (*LIST_FIELDS, "status_history"))

    def with_status(self, status: str, date: str, note: str = "", detail: str = "") -> Dispute:
        """This dispute moved to `status` on `date` (with a source's `detail` for it); the history
        stays in date order, and the status and its detail are those of the latest step, as
        `current_status` says (a backdated step may not become current)."""
        step = {"date": date, "status": status, "note": note, "detail": detail}
        history = sorted((*steps.placed(self.status_history, self.status_detail), step), key=lambda s: s["date"])
        return self.replace(
            status=current_status(history) or status,
            status_history=tuple(history),
            status_detail=history[-1]["detail"],
        )

    def with_detail(self, detail: str) -> Dispute:
        """The current status given a source's phrase: the detail of the latest step, and the
        field `status_detail` that keeps it at hand."""
        return self.replace(status_detail=detail, status_history=steps.detailed_last(self.status_history, detail))

    def status_on(self, date: str) -> str | None:
        """The status the dispute had on `date` (None if it was not yet recorded)."""
        step = self.step_on(date)
        return step["status"] if step else None

    def step_on(self, date: str) -> JsonRecord | None:
        """The status step in force on `date` (None if none was recorded yet), its detail placed."""
        return steps.on(steps.placed(self.status_history, self.status_detail), date)

    def detail_on(self, date: str) -> str:
        """The source's phrase for the status in force on `date`: the detail of the step that set it."""
        step = self.step_on(date)
        return step["detail"] if step else ""

    def replace(self, **changes: JsonValue) -> Dispute:
        return frozen.replace(self, **changes)


_DEFAULTS = frozen.defaults(Dispute)
EDITABLE = (
    "title",
    "ref",
    "summary",
    "status_detail",
    "topic",
    "priority",
    "opened",
    *LIST_FIELDS,
    "roles",
    "monitored",
    "owner",
    "stage",
)
# every field a record keeps of what people gave (an export carries them all, and import checks them all)
KEPT = (*EDITABLE, "status", "review_every", "last_review", "monitored", "imported")
# a party's role in a dispute ("party": a party without one); `roles` keeps the others
ROLES = ("complainant", "respondent", "third-party", "party")


def status(value: str) -> str:
    return choice(value, STATUSES, "status")


def priority(value: str) -> str:
    return choice(value, PRIORITIES, "priority")


def alert(value: str) -> str:
    return choice(value, ALERTS, "alert")


def role(value: str) -> str:
    return choice(value.replace("_", "-"), ROLES, "role")


def roles(value: JsonValue) -> JsonRecord:
    """Roles of parties, {name: role}: names trimmed, roles known, plain parties left out."""
    if not isinstance(value, dict):
        raise InvalidValue(f"roles must be an object of party names and roles, not {type(value).__name__}")
    cleaned = {one_line(name, "party", required=True): role(given) for name, given in value.items()}
    return {name: given for name, given in cleaned.items() if given != "party"}


def imported_fields(value: JsonValue) -> JsonRecord:
    """The base of the next re-import ({field: value} as the source gave them), checked as
    the fields themselves are; kept as JSON has it (lists, not tuples)."""
    if not isinstance(value, dict) or not set(value) <= set(KEPT) - {"imported"}:
        raise InvalidValue("imported must be an object of a dispute's fields, as the source gave them")
    cleaned = clean_fields(value)
    return {name: list(v) if isinstance(v, tuple) else v for name, v in cleaned.items()}


def clean_fields(fields: JsonRecord) -> JsonRecord:
    """Validate and normalise user-given dispute fields; unknown names are a bug."""
    return {name: _CLEANERS[name](value) for name, value in fields.items()}


MAX_CADENCE = 3650


def cadence(value: JsonValue) -> int:
    """Days between reviews: a whole number from 0 (no reviews) to ten years."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CADENCE:
        raise InvalidValue(f"a review cadence is a number of days from 0 to {MAX_CADENCE}, not {value!r}")
    return value


_CLEANERS = {
    "title": lambda v: one_line(v, "title", required=True),
    "ref": lambda v: one_line(v, "reference"),
    "summary": lambda v: free_text(v, "summary"),
    "status_detail": lambda v: one_line(v, "status detail"),
    "topic": lambda v: one_line(v, "topic"),
    "priority": priority,
    "opened": lambda v: parse_date(v, what="opened date") if not isinstance(v, str) or v.strip() else "",
    "status": status,
    "parties": lambda v: names(v, "party"),
    "tags": lambda v: names(v, "tag"),
    "sources": sources,
    "alerts": lambda v: tuple(alert(a) for a in names(v, "alert")),
    "roles": roles,
    "monitored": lambda v: flag(v, "monitored"),
    "stage": lambda v: one_line(v, "stage"),
    "review_every": cadence,
    "last_review": lambda v: parse_full_date(v, what="review date") if v else "",
    "imported": imported_fields,
    "owner": lambda v: one_line(v, "owner"),
}


def _field_problem(name: str, value: JsonValue) -> str | None:
    try:
        if name in LIST_FIELDS and not isinstance(value, list):
            raise InvalidValue(f"{name} must be a list, not {type(value).__name__}")
        if name == "monitored" and not isinstance(value, bool):
            raise InvalidValue("monitored must be true or false")
        if name not in (*LIST_FIELDS, "review_every", "roles", "monitored", "imported") and not isinstance(value, str):
            raise InvalidValue(f"{name} must be text, not {type(value).__name__}")
        clean_fields({name: value})
    except (InvalidValue, AttributeError, TypeError) as problem:
        return str(problem)
    return None


def problems_in(batch: JsonRecord) -> dict[str, list[str]]:
    """record_problems of each dispute of a batch that has some, by key; a field whose whole
    column passes its checks at once (`texts_right`, or each distinct value once) is not
    checked record by record."""
    return problems_by_column(batch, KEPT, _right, record_problems)


_TEXTS = {
    "title": MAX_LINE,
    "ref": MAX_LINE,
    "status_detail": MAX_LINE,
    "topic": MAX_LINE,
    "summary": MAX_TEXT,
    "owner": MAX_LINE,
    "stage": MAX_LINE,
}
_REPEATED = ("priority", "opened", "status", "review_every", "last_review", "monitored")


def _right(name: str, values: list[JsonValue]) -> bool:
    if name in _TEXTS:
        return texts_right(values, _TEXTS[name], required=name == "title", multiline=name == "summary")
    if name in LIST_FIELDS:  # each item is cleaned on its own: a column of items, ASCII at once or each distinct one
        if set(map(type, values)) - {list}:
            return False
        items = [item for value in values for item in value]
        plain = name != "alerts" and texts_right(items, MAX_SOURCE if name == "sources" else MAX_LINE)
        return plain or distinct_right(items, lambda item: _field_problem(name, [item]))
    if name == "roles":  # each party's role is cleaned on its own: every distinct pair once
        return not set(map(type, values)) - {dict} and distinct_right(
            [pair for value in values for pair in value.items()], lambda pair: _field_problem(name, dict([pair]))
        )
    if name == "imported":  # most disputes were never imported from a list: those are right at once
        return all(type(value) is dict and not value for value in values)
    return name in _REPEATED and distinct_right(values, lambda value: _field_problem(name, value))


def check_transition(current: str, new: str) -> None:
    """Raise InvalidTransition unless the lifecycle allows current -> new."""
    if current == new:
        raise InvalidTransition(f"the dispute is already {current}")
    if current in FINAL and new in FINAL:
        raise InvalidTransition(f"the dispute is already {current}; reopen it before marking it {new}")


def refs_in_use(records: dict[str, JsonRecord]) -> dict[str, str]:
    """Each external reference in use (case-folded) and what holds it ("dispute <id>")."""
    return {record["ref"].casefold(): f"dispute {key}" for key, record in records.items() if record.get("ref")}


def claim_ref(ref: str, holder: str, in_use: dict[str, str]) -> None:
    """Give `ref` to `holder` (e.g. "dispute <id>") in `in_use`; a reference names one dispute
    only, whatever its case: InvalidValue when something else holds it."""
    if not ref:
        return
    current = in_use.setdefault(ref.casefold(), holder)
    if current != holder:
        raise InvalidValue(f"reference {ref!r} is already used by {current}")


def record_problems(key: str, record: object, fields: tuple[str, ...] = KEPT) -> list[str]:
    """What is wrong with a stored dispute record, by the same rules as typed input (of its
    `fields`: those `problems_in` did not find right in the whole table already)."""
    if not isinstance(record, dict):
        return [f"dispute {key} is not an object"]
    problems = []
    if record.get("id") != key:
        problems.append(f"dispute {key} carries the id {record.get('id')!r}")
    for name in fields:
        why = _field_problem(name, record[name]) if name in record else None
        if why:
            problems.append(f"dispute {key} has an invalid {name}: {shown(record[name])} ({why})")
    if "title" not in record:
        problems.append(f"dispute {key} has no title")
    if isinstance(record.get("roles"), dict) and isinstance(record.get("parties"), list):
        strays = [name for name in record["roles"] if name not in record["parties"]]
        if strays:
            problems.append(f"dispute {key} gives a role to {shown(strays[0])}, which is not one of its parties")
    for name in ("created", "updated"):
        if not isinstance(record.get(name, ""), str):
            problems.append(f"dispute {key} has an invalid {name}: {shown(record[name])}")
    history = record.get("status_history", [])
    for step in history if isinstance(history, list) else [history]:
        try:
            parse_date(step["date"])
            status(step["status"])
        except (InvalidValue, KeyError, TypeError, AttributeError):
            problems.append(f"dispute {key} has an invalid status history step: {shown(step)}")
    return problems
