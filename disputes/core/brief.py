"""The weekly brief: what changed since your last marked brief, then what is due, on one page.

A brief is content built once (`Brief`, frozen) and handed to every renderer; page one
holds as many of its lines as fit, in the order of `SECTIONS`, and the rest go to an annex
that page one names at its foot. A *brief mark* records that an analyst sent a brief: the
next brief by the same author starts from it (each analyst's marks are their own).
"""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core import frozen
from disputes.core.dates import parse_date
from disputes.core.errors import InvalidValue
from disputes.core.fields import shown
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord

TABLE = "brief_marks"
DEFAULT_DAYS = 7  # a brief with no earlier mark covers the last week
AHEAD_DAYS = 14  # what is due in the next fortnight
# page one's room, in rows of printed text: A4 or Letter at 9 pt holds about 56 rows of
# about 100 characters; the brief's head and the annex note take the rest
PAGE_LINES = 48
ROW = 100

# The sections of a brief, in the order page one gives them, with their headings.
SECTIONS = (
    ("bottom_lines", "Bottom lines revised"),
    ("changed", "Status changed or deteriorated"),
    ("opened", "New disputes"),
    ("closed", "Closed or resolved"),
    ("deadlines", "Deadlines met or missed"),
    ("forecasts", "Forecasts resolved, with their scores"),
    ("due", "Due in the next fortnight"),
)


class BriefMark(Frozen):
    """That an analyst sent the brief of a day (covering `since` to `date`)."""

    id: str
    author: str
    date: str
    since: str = ""
    created: str = ""

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _DEFAULTS, ())

    @classmethod
    def from_dict(cls, record: JsonRecord) -> BriefMark:
        return frozen.from_record(cls, record, _DEFAULTS, ())


_DEFAULTS = frozen.defaults(BriefMark)
FIELDS = tuple(BriefMark.__fields__)


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored brief mark."""
    if not isinstance(record, dict):
        return [f"brief mark {key} is not an object"]
    problems = [] if record.get("id") == key else [f"brief mark {key} carries the id {shown(record.get('id'))}"]
    for name in ("author", "date"):
        if not isinstance(record.get(name), str) or not record.get(name):
            problems.append(f"brief mark {key} has no {name}")
    for name in ("since", "created"):
        if not isinstance(record.get(name, ""), str):
            problems.append(f"brief mark {key} has an invalid {name}: {shown(record[name])} (not text)")
    for name in ("date", "since"):
        if isinstance(record.get(name), str) and record[name]:
            try:
                parse_date(record[name])
            except InvalidValue as problem:
                problems.append(f"brief mark {key} has an invalid {name} ({problem})")
    return problems


def last_mark(marks: Iterable[BriefMark], author: str, before: str) -> BriefMark | None:
    """The author's latest mark of a brief dated on or before `before` (another analyst's
    marks are theirs)."""
    mine = [m for m in marks if m.author == author and m.date <= before]
    return max(mine, key=lambda m: (m.date, m.created, m.id), default=None)


class Line(Frozen):
    """One line of a brief: a dated fact about a dispute (or a forecast)."""

    date: str
    dispute: str  # its id
    ref: str
    title: str
    text: str
    mark: str = ""  # a word to lead with: "deteriorated", "missed", "met", ...

    @property
    def rows(self) -> int:
        """The rows of printed text it takes (a line wraps at about ROW characters)."""
        length = len(self.date) + len(self.mark) + len(self.ref) + len(self.title) + len(self.text) + 8
        return -(-length // ROW)


class Section(Frozen):
    key: str
    heading: str
    lines: tuple[Line, ...]


class Brief(Frozen):
    """The weekly brief's content, for every renderer."""

    as_of: str
    since: str
    since_from: str  # "mark" (the author's last marked brief), "option" (--since) or "default"
    author: str
    chosen: str  # the view and filters in force, in words ("" for the whole register)
    sections: tuple[Section, ...]
    page_lines: int = PAGE_LINES
    next_due: tuple[Line, ...] = ()  # what falls due first after the fortnight (none or one)

    def found_empty(self) -> tuple[str, ...]:
        """The headings of the sections checked and found empty, in the brief's order."""
        return tuple(section.heading for section in self.sections if not section.lines)

    def page_one(self) -> tuple[tuple[Section, ...], tuple[Section, ...]]:
        """The sections as page one holds them (their first lines, in order, while they fit)
        and the annex (the rest)."""
        room = self.page_lines
        first: list[Section] = []
        annex: list[Section] = []
        for section in self.sections:
            if not section.lines:
                continue
            room -= 2  # its heading
            fit = 0
            while fit < len(section.lines) and section.lines[fit].rows <= room:
                room -= section.lines[fit].rows
                fit += 1
            if fit:
                first.append(Section(section.key, section.heading, section.lines[:fit]))
            else:
                room += 2
            if fit < len(section.lines):
                annex.append(Section(section.key, section.heading, section.lines[fit:]))
        return tuple(first), tuple(annex)

    def to_dict(self) -> JsonRecord:
        annex = self.page_one()[1]
        return {
            "as_of": self.as_of,
            "since": self.since,
            "since_from": self.since_from,
            "author": self.author,
            "chosen": self.chosen,
            "sections": {s.key: [line.__dict__ for line in s.lines] for s in self.sections},
            "annex": sum(len(s.lines) for s in annex),
            "found_empty": [s.key for s in self.sections if not s.lines],
            "next_due": [line.__dict__ for line in self.next_due],
        }
