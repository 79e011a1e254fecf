"""Forecasts: an analyst's probability that something happens on a dispute by a day, said in
ICD 203's words, revised over time (each revision its own record), resolved yes, no or void.

A forecast belongs to its author: only they revise it; a colleague who disagrees states a
forecast of their own on the same question, so each analyst's score is their own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from disputes.core import frozen
from disputes.core.dates import end_of, parse_date, today
from disputes.core.errors import InvalidValue
from disputes.core.fields import choice, free_text, one_line, shown, sources
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue

TABLE = "forecasts"
REVISIONS = "forecast_revisions"
OUTCOMES = ("yes", "no", "void")  # it happened, it did not, the question no longer means anything
LONGEST = 500  # a question is a sentence

# Intelligence Community Directive 203 (2015), section D.6.b(2)(a): the words of likelihood
# and their ranges; a value on a boundary belongs to the band nearer 0.5. Each word given as
# input stands for its band's middle.
BANDS: tuple[tuple[str, float, float, float], ...] = (  # word, low, high, middle
    ("almost no chance", 0.01, 0.05, 0.03),
    ("very unlikely", 0.05, 0.20, 0.125),
    ("unlikely", 0.20, 0.45, 0.325),
    ("roughly even chance", 0.45, 0.55, 0.50),
    ("likely", 0.55, 0.80, 0.675),
    ("very likely", 0.80, 0.95, 0.875),
    ("almost certain", 0.95, 0.99, 0.97),
)
WORDS = {word: middle for word, _, _, middle in BANDS}


class Forecast(Frozen):
    id: str
    dispute: str
    question: str
    by: str  # the day it is to happen by (the question resolves then)
    probability: float  # the first one stated
    date: str  # when it was first stated
    author: str = ""
    outcome: str = ""  # "" while open, else one of OUTCOMES
    resolved: str = ""  # the day it was resolved
    sources: tuple[str, ...] = ()  # what the resolution rests on
    created: str = ""
    updated: str = ""

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _DEFAULTS, ("sources",))

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Forecast:
        return frozen.from_record(cls, record, _DEFAULTS, ("sources",))

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def deadline(self) -> str:
        """The last day its `by` can mean (`2017-03` is 31 March)."""
        return end_of(self.by)

    def due_on(self, day: str) -> bool:
        """Open and past its day on `day`: waiting to be resolved."""
        return self.is_open and self.deadline < day


class Revision(Frozen):
    id: str
    forecast: str
    dispute: str  # its forecast's, so that deleting the dispute takes it too
    date: str
    probability: float
    note: str = ""
    author: str = ""
    created: str = ""
    updated: str = ""  # as created: a revision is never changed (a later one is made instead)

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _REVISION_DEFAULTS, ())

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Revision:
        return frozen.from_record(cls, record, _REVISION_DEFAULTS, ())


_DEFAULTS = frozen.defaults(Forecast)
_REVISION_DEFAULTS = frozen.defaults(Revision)


def band(probability: float) -> str:
    """ICD 203's word for a probability (a boundary belongs to the band nearer 0.5)."""
    for word, _, high, _ in BANDS:
        if probability < high or (probability == high and high > 0.5):
            return word
    return BANDS[-1][0]


def percent(probability: float) -> str:
    """A probability as a percentage to at most one decimal, `70 %`, `12.5 %`; with the digits
    it needs (up to four, as stored) where one would say 0 or 100: `0.04 %`, not `0 %`."""
    shown = f"{probability * 100:.1f}".rstrip("0").rstrip(".")
    if shown in ("0", "100") and 0 < probability < 1:
        shown = f"{probability * 100:.4f}".rstrip("0").rstrip(".")
    return f"{shown} %"


def said(probability: float) -> str:
    """A probability in words and number: `likely (70 %)`."""
    return f"{band(probability)} ({percent(probability)})"


def probability(value: JsonValue) -> float:
    """A probability as given: a number (0.7), a percentage (70%) or ICD 203 words
    ("likely"), strictly between 0 and 1."""
    if isinstance(value, bool):
        raise InvalidValue(f"a probability is a number, a percentage or an ICD 203 word, not {value!r}")
    scale = 1.0
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        words = " ".join(value.lower().replace("-", " ").split())
        if words in WORDS:
            return WORDS[words]
        text = value.strip()
        if "_" in text:  # float() reads "1_0" as 10
            raise InvalidValue(f"probability {value!r} has an underscore: write the number with digits only (10%, 0.1)")
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 100.0
        try:
            number = float(text) / scale
        except ValueError:
            raise InvalidValue(
                f"probability {value!r} is not a number (0.7), a percentage (70%) or an ICD 203 word: "
                + ", ".join(WORDS)
            ) from None
    else:
        raise InvalidValue(f"a probability is a number, a percentage or an ICD 203 word, not {type(value).__name__}")
    if not math.isfinite(number) or not 0 < number < 1:
        hint = f" (did you mean {number:g}%?)" if 1 < number < 100 and scale == 1.0 else ""
        raise InvalidValue(f"a probability is strictly between 0 and 1 (0 % and 100 %), not {value!r}{hint}")
    if not 0 < round(number, 6) < 1:  # kept to six decimals: 1e-300 was stored as 0 and shown as 0 %
        raise InvalidValue(
            f"probability {value!r} rounds to {round(number):g} at the six decimals kept: give one from 0.000001 to "
            "0.999999 (0.0001% to 99.9999%)"
        )
    return round(number, 6)


def _statement_date(value: JsonValue) -> str:
    day = parse_date(value, what="forecast date")
    if len(day) != 10:
        raise InvalidValue(f"a forecast is stated on a whole day (YYYY-MM-DD), not {day!r}")
    if day > today():
        raise InvalidValue(f"a forecast records a judgement already made: {day} is after today")
    return day


def _question(value: JsonValue) -> str:
    return one_line(value, "question", required=True, longest=LONGEST)


_CLEANERS = {
    "question": _question,
    "by": lambda v: parse_date(v, what="--by date"),
    "probability": probability,
    "date": _statement_date,
    "author": lambda v: one_line(v, "author"),
    "outcome": lambda v: choice(v, OUTCOMES, "outcome") if v else "",
    "resolved": lambda v: parse_date(v, what="resolution date") if v else "",
    "sources": sources,
    "note": lambda v: free_text(v, "note"),
    "forecast": lambda v: one_line(v, "forecast", required=True),
}


def clean_fields(fields: JsonRecord) -> JsonRecord:
    """Validate forecast (or revision) fields as a user typed them."""
    return {name: _CLEANERS[name](value) for name, value in fields.items()}


def _problems(key: str, record: object, what: str, required: tuple[str, ...], checked: tuple[str, ...]) -> list[str]:
    if not isinstance(record, dict):
        return [f"{what} {key} is not an object"]
    problems = [] if record.get("id") == key else [f"{what} {key} carries the id {shown(record.get('id'))}"]
    for name in required:
        if record.get(name) in (None, ""):
            problems.append(f"{what} {key} has no {name}")
    for name in checked:
        if record.get(name, "") is None:  # never written so (an open forecast's outcome is ""): reads would trip
            problems.append(f"{what} {key} has null for its {name}")
        elif name in record and record[name] != "":
            try:
                value = record[name]
                if name == "date" and isinstance(value, str):
                    parse_date(value)  # a stored date is not checked against today: clocks differ
                else:
                    clean_fields({name: list(value) if name == "sources" and isinstance(value, list) else value})
            except (InvalidValue, TypeError, AttributeError) as problem:
                problems.append(f"{what} {key} has an invalid {name} ({problem})")
    return problems


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored forecast, by the same rules as typed input."""
    return _problems(
        key,
        record,
        "forecast",
        ("dispute", "question", "by", "probability", "date"),
        ("question", "by", "probability", "date", "author", "outcome", "resolved", "sources"),
    )


def revision_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored revision of a forecast."""
    return _problems(
        key,
        record,
        "forecast revision",
        ("forecast", "dispute", "date", "probability"),
        ("forecast", "date", "probability", "author", "note"),
    )


def by_date(value: JsonValue, stated: str) -> str:
    """A forecast's `by` as typed, a relative one (`+3m`) counted from the day it is stated."""
    return parse_date(value, what="--by date", since=stated)


def check_timeline(made: Forecast, revisions: Iterable[Revision] = ()) -> None:
    """That a forecast and its revisions hang together in time and hands, or InvalidValue: it
    has an author, who alone revises it; its `by` is not before the day it was stated; each
    revision falls between that day and its resolution; it is resolved no earlier. The CLI
    and import both check by this rule."""
    if not made.author.strip():
        raise InvalidValue(f"forecast {made.id} has no author: a forecast is its author's, who alone revises it")
    if made.deadline < made.date:
        raise InvalidValue(
            f"forecast {made.id} is to happen by {made.by}, before it was stated on {made.date}: give a later --by"
        )
    if made.resolved and made.resolved < made.date:
        raise InvalidValue(f"forecast {made.id} was first stated on {made.date}: it cannot be resolved before")
    for revision in revisions:
        if revision.author != made.author:
            raise InvalidValue(
                f"forecast {made.id} is {made.author}'s: its revision {revision.id} by "
                f"{revision.author or 'nobody'!r} cannot be (state your own forecast instead)"
            )
        if revision.date < made.date:
            raise InvalidValue(
                f"forecast {made.id} was first stated on {made.date}: its revision {revision.id} of "
                f"{revision.date} cannot come before it"
            )
        if made.resolved and revision.date > made.resolved:
            raise InvalidValue(
                f"forecast {made.id} was resolved on {made.resolved}: its revision {revision.id} of "
                f"{revision.date} comes after, give a resolution date on or after it"
            )
