"""Dispute records, the status lifecycle and the rules every value must follow."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Collection
from typing import TypeVar

from disputes.core import frozen, steps
from disputes.core.dates import parse_date, parse_full_date
from disputes.core.errors import InvalidTransition, InvalidValue
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.patterns import Pattern
from disputes.core.steps import current_status
from disputes.core.vocabulary import ACTIVE, ALERTS, FINAL, PRIORITIES, STATUSES

TABLE = "disputes"

MAX_LINE = 300  # a title or name longer than this is a paste accident, not a title
MAX_TEXT = 20_000
MAX_SOURCE = 4_000  # a source URL (GDELT's run past 300 characters)

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
        record = to_record(self, _DEFAULTS, (*LIST_FIELDS, "status_history"))
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
        return from_record(cls, record, _DEFAULTS, (*LIST_FIELDS, "status_history"))

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


_Record = TypeVar("_Record", bound=Frozen)


def from_record(cls: type[_Record], record: JsonRecord, defaults: JsonRecord, list_fields: tuple[str, ...]) -> _Record:
    """A frozen record (core.frozen) from a stored record, without its __init__.

    Listing 10,000 disputes builds 10,000 of these: filling __dict__ directly is five
    times faster than an __init__ that checks each argument.
    """
    values = defaults | record
    if len(values) != len(defaults):  # a record with fields this version does not know
        values = {name: values[name] for name in defaults}
    for name in list_fields:
        if name in record:  # the defaults are tuples already
            values[name] = tuple(values[name])
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


def to_record(instance: Frozen, defaults: JsonRecord, list_fields: tuple[str, ...]) -> JsonRecord:
    """A frozen record as a stored record, fields in declared order, tuples as lists
    (their dicts copied). dataclasses.asdict walks every value with deepcopy: importing
    100,000 events spent two thirds of its time in it."""
    values = instance.__dict__
    record = {name: values[name] for name in defaults}
    for name in list_fields:
        record[name] = [dict(item) if isinstance(item, dict) else item for item in record[name]]
    return record


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


def _text(value: JsonValue, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{what} must be text, not {type(value).__name__}")
    if value.isascii():  # UTF-8, and left as it is by NFC
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 (a terminal in Latin-1), or a lone surrogate
        raise InvalidValue(f"{what} is not UTF-8 text: set your terminal or file to UTF-8") from None
    return unicodedata.normalize("NFC", value)


# Unicode's control characters (category Cc) are exactly these two ranges.
_CONTROL = Pattern("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = Pattern("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newlines and tabs allowed


def one_line(value: str, what: str, *, required: bool = False, longest: int = MAX_LINE) -> str:
    """A single line of user text: trimmed, no control characters, not absurdly long."""
    if type(value) is str and value.isascii() and value.isprintable():  # the common case, checked in C
        text = value.strip()
        if (text or not required) and len(text) <= longest:
            return text
    text = _text(value, what).strip()
    if required and not text:
        raise InvalidValue(f"{what} must not be empty")
    if _CONTROL.search(text):
        raise InvalidValue(f"{what} must be one line of text without control characters")
    if len(text) > longest:
        raise InvalidValue(f"{what} is {len(text)} characters long; the limit is {longest}")
    return text


def free_text(value: str, what: str) -> str:
    """Multi-line user text (a summary, a note): newlines and tabs allowed, other controls not;
    Windows and old Mac line ends (CRLF, CR) become newlines."""
    if type(value) is str and value.isascii() and value.replace("\n", "").replace("\t", "").isprintable():
        text = value.strip()  # no CR, no other control: the common case, checked in C
        if len(text) <= MAX_TEXT:
            return text
    text = _text(value, what).replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL_IN_TEXT.search(text):
        raise InvalidValue(f"{what} must not contain control characters")
    if len(text) > MAX_TEXT:
        raise InvalidValue(f"{what} is {len(text)} characters long; the limit is {MAX_TEXT}")
    return text


def names(values: JsonValue, what: str) -> tuple[str, ...]:
    """A list of one-line names, trimmed, without empties or repeats (case-insensitive)."""
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise InvalidValue(f"the {what} list must be a list of names, not {type(values).__name__}")
    seen: dict[str, str] = {}
    for value in values:
        name = one_line(value, what)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(seen.values())


def sources(values: JsonValue) -> tuple[str, ...]:
    """A list of sources (text or URLs), trimmed, without empties or exact repeats: URL paths
    are case-sensitive, so `/Doc` and `/doc` are two sources; a URL may be long."""
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise InvalidValue(f"the source list must be a list of sources, not {type(values).__name__}")
    return tuple(dict.fromkeys(text for text in (one_line(v, "source", longest=MAX_SOURCE) for v in values) if text))


def choice(value: str, choices: Collection[str], what: str) -> str:
    """One of a fixed set of names, case-insensitive, or InvalidValue listing them."""
    if type(value) is str and value in choices:  # as stored: the common case
        return value
    name = _text(value, what).strip().lower()
    if name not in choices:
        raise InvalidValue(f"unknown {what} {value!r}: choose one of {', '.join(choices)}")
    return name


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


def flag(value: JsonValue, what: str) -> bool:
    """Yes or no: a boolean, or text a CSV column holds (yes/no, true/false, 1/0)."""
    if isinstance(value, bool):
        return value
    text = value.strip().casefold() if isinstance(value, str) else None
    if text in ("yes", "true", "1", "y"):
        return True
    if text in ("no", "false", "0", "n"):
        return False
    raise InvalidValue(f"{what} is yes or no, not {shown(value)}")


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


def problems_by_column(
    batch: JsonRecord,
    fields: tuple[str, ...],
    right: Callable[[str, list[JsonValue]], bool],
    problems: Callable[[str, JsonValue, tuple[str, ...]], list[str]],
    whole: Callable[[list[str], list[JsonValue]], bool] | None = None,
) -> dict[str, list[str]]:
    """`problems(key, record, fields)` of each record of a batch that has some, by key, the
    `fields` whose whole column `right(name, values)` vouches for left out (a batch holding
    something other than records is checked field by field throughout). When every field
    was vouched for and `whole(keys, records)` vouches for what `problems` checks besides
    the fields, no record is looked at on its own."""
    records = list(batch.values())
    if all(type(record) is dict for record in records):
        fields = tuple(name for name in fields if not right(name, column(records, name)))
        if not fields and whole is not None and whole(list(batch), records):
            return {}
    found = {key: problems(key, record, fields) for key, record in batch.items()}
    return {key: listed for key, listed in found.items() if listed}


def column(records: list[JsonRecord], name: str) -> list[JsonValue]:
    """The values of one field in a batch of records, those without it left out: in C when
    every record has it (doctor and import take the columns of 110,000 records)."""
    try:
        return list(map(operator.itemgetter(name), records))
    except KeyError:
        return [record[name] for record in records if name in record]


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


def texts_right(values: list[JsonValue], longest: int, *, required: bool = False, multiline: bool = False) -> bool:
    """Whether every value of a column passes what one_line (or, `multiline`, free_text)
    checks, vouched for at once in C (plain printable ASCII, none too long); False only
    means that each must be checked on its own."""
    if set(map(type, values)) - {str}:
        return False
    joined = " ".join(values)
    if multiline:
        joined = joined.replace("\n", "").replace("\t", "")
    if not (joined.isascii() and joined.isprintable()) or max(map(len, values), default=0) > longest:
        return False
    return not required or all(map(str.strip, values))


def distinct_right(
    values: list[JsonValue],
    problem: Callable[[JsonValue], str | None],
    known: set[tuple[type, JsonValue]] | None = None,
) -> bool:
    """Whether every value of a column of few distinct ones (dates, statuses) has no
    `problem`, each distinct value checked once (True and 1 apart); `known` holds the
    (type, value) pairs found right before, which are not checked again (batch after batch,
    a few thousand dates are the same: one set difference instead of a call for each)."""
    try:
        distinct = set(zip(map(type, values), values, strict=True))
    except TypeError:  # an unhashable value: a list where text belongs
        return False
    if known is not None:
        distinct -= known
    if not all(problem(value) is None for _, value in distinct):
        return False
    if known is not None:
        if len(known) > _KNOWN_AT_MOST:  # a column of ever new values (a million GDELT places) stays small
            known.clear()
        known |= distinct
    return True


_KNOWN_AT_MOST = 1 << 15


def check_transition(current: str, new: str) -> None:
    """Raise InvalidTransition unless the lifecycle allows current -> new."""
    if current == new:
        raise InvalidTransition(f"the dispute is already {current}")
    if current in FINAL and new in FINAL:
        raise InvalidTransition(f"the dispute is already {current}; reopen it before marking it {new}")


def shown(value: JsonValue, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
