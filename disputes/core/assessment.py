"""Assessments: an analyst's dated bottom line on a dispute, kept as a list (the latest
shown; the one in force on a day is the latest made by then)."""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core import frozen
from disputes.core.dates import on_or_before, parse_date, today
from disputes.core.errors import InvalidValue
from disputes.core.fields import choice, free_text, one_line, shown
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue

TABLE = "assessments"
CONFIDENCES = ("low", "medium", "high")
LONGEST = 2_000  # a bottom line is a paragraph, not a report


class Assessment(Frozen):
    id: str
    dispute: str
    date: str
    text: str
    confidence: str = ""
    author: str = ""
    created: str = ""
    updated: str = ""

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _DEFAULTS, ())

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Assessment:
        return frozen.from_record(cls, record, _DEFAULTS, ())


_DEFAULTS = frozen.defaults(Assessment)


def _date(value: JsonValue) -> str:
    day = parse_date(value, what="assessment date")
    if day[: len(today())] > today():
        raise InvalidValue(f"an assessment records a judgement already made: {day} is after today")
    return day


def _text(value: JsonValue) -> str:
    text = free_text(value, "assessment")
    if not text:
        raise InvalidValue("an assessment needs its text: the bottom line, in a sentence or two")
    if len(text) > LONGEST:
        raise InvalidValue(f"an assessment is a bottom line of at most {LONGEST} characters, not {len(text)}")
    return text


_CLEANERS = {
    "date": _date,
    "text": _text,
    "confidence": lambda v: choice(v, CONFIDENCES, "confidence") if v else "",
    "author": lambda v: one_line(v, "author"),
}


def clean_fields(fields: JsonRecord) -> JsonRecord:
    """Validate assessment fields as a user typed them."""
    return {name: _CLEANERS[name](value) for name, value in fields.items()}


def in_force(assessments: Iterable[Assessment], as_of: str | None = None) -> Assessment | None:
    """The latest assessment made on or before `as_of` (None: the latest of all)."""
    made = [a for a in assessments if as_of is None or on_or_before(a.date, as_of)]
    return max(made, key=lambda a: (a.date, a.created, a.id), default=None)


def in_force_by_dispute(assessments: Iterable[Assessment], as_of: str) -> dict[str, JsonRecord]:
    """The assessment in force on `as_of` of each dispute that has one, as records, by dispute id."""
    by_dispute: dict[str, list[Assessment]] = {}
    for made in assessments:
        by_dispute.setdefault(made.dispute, []).append(made)
    found = {key: in_force(made, as_of) for key, made in by_dispute.items()}
    return {key: made.to_dict() for key, made in found.items() if made is not None}


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored assessment, by the same rules as typed input."""
    if not isinstance(record, dict):
        return [f"assessment {key} is not an object"]
    problems = [] if record.get("id") == key else [f"assessment {key} carries the id {shown(record.get('id'))}"]
    for name in ("dispute", "date", "text"):
        if not isinstance(record.get(name), str):
            problems.append(f"assessment {key} has no {name}")
    for name in ("confidence", "author", "created", "updated"):
        if not isinstance(record.get(name, ""), str):
            problems.append(f"assessment {key} has an invalid {name}: {shown(record[name])} (not text)")
    for name in ("text", "confidence", "author"):
        if isinstance(record.get(name), str):
            try:
                clean_fields({name: record[name]})
            except InvalidValue as problem:
                problems.append(f"assessment {key} has an invalid {name} ({problem})")
    if isinstance(record.get("date"), str):
        try:
            parse_date(record["date"])  # a stored date is not checked against today: clocks differ
        except InvalidValue as problem:
            problems.append(f"assessment {key} has an invalid date ({problem})")
    return problems
