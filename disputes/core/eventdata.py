"""Rows of machine-coded event data (GDELT, ICEWS, ACLED) read as events.

Each format reads a row's fields in two steps: `row` checks every row (so that a malformed
one is found wherever it is) and, for a row with a watched actor, gives what watch rules
test -- the row's reference, date, sides (country codes), CAMEO code and mentions; `event`
builds the event's fields, only for the rows that a rule wanted. GDELT's `row` runs a
million times for a day file, so it checks with dictionary lookups and builds nothing for
the rows no rule can want. Column layouts: ../shared/data/EVENT-FORMATS.md and
the codebooks cited in tests/data/SOURCE.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from disputes.core import actors, cameo
from disputes.core.dates import parse_date
from disputes.core.errors import InvalidValue
from disputes.core.event import effect_of
from disputes.core.fields import MAX_LINE
from disputes.core.jsontypes import JsonRecord

FORMATS = ("gdelt", "icews", "acled")

# What kind of event a CAMEO root code is (01 make public statement ... 20 mass violence).
KIND_OF_ROOT = {
    **dict.fromkeys(("01", "02", "03", "10", "11", "12", "13"), "statement"),
    "04": "meeting",
    **dict.fromkeys(("05", "06", "08"), "agreement"),
    **dict.fromkeys(("07", "09", "15", "16", "17"), "measure"),
    **dict.fromkeys(("14", "18", "19", "20"), "incident"),
}
# ACLED has no CAMEO code: its event types say whether the row is violence or a development.
ACLED_EFFECT = {"Strategic developments": "neutral"}  # battles, violence, riots, protests: escalating
ACLED_KIND = {"Strategic developments": "other"}


class BadRow(Exception):
    """A row that does not follow its format: which column, and why."""

    def __init__(self, column: str, why: str):
        super().__init__(f"{column}: {why}" if column else why)


@dataclass(frozen=True, slots=True)
class Row:
    ref: str
    date: str
    sides: frozenset[str]
    code: str
    mentions: int | None


@cache
def countries() -> tuple[dict[str, str], dict[int, str]]:
    """Country codes by lower-case name ("russian federation", "russia") and by ISO number."""
    by_name, by_number = {}, {}
    for row in actors.countries():
        by_number[int(row["numeric"])] = row["alpha_3"]
        for name in row["names"].split("|"):
            by_name[name.lower()] = row["alpha_3"]
    return by_name, by_number


@cache
def _day(text: str, column: str) -> str:
    """A full date from YYYYMMDD or YYYY-MM-DD (or ACLED's "07 June 2016"): files hold few days, so cached."""
    digits = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        if digits:
            return dt.date(*map(int, digits.groups())).isoformat()
        day = parse_date(text, what=column)
    except (ValueError, InvalidValue):
        raise BadRow(column, f"{text!r} is not a date") from None
    if len(day) != 10:
        raise BadRow(column, f"{text!r} is not a full date")
    return day


def _score(text: str, column: str) -> float:
    try:
        if "_" in text:  # float() reads "1_0" as 10
            raise ValueError(text)
        value = float(text)
    except ValueError:
        raise BadRow(column, f"{text!r} is not a number") from None
    if not -10 <= value <= 10:
        raise BadRow(column, f"{text} is outside -10..10")
    return value + 0.0  # a "-0" cell is 0


_WHOLE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() takes "²" and 5,000-digit numbers


def _count(text: str, column: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise BadRow(column, f"{_shown(text)} is not a whole number below a billion")
    return int(text)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _reference(text: str, column: str) -> str:
    """A row's own id in its source: without one, the row could not be told from others."""
    if not text or len(text) > 100:
        raise BadRow(column, "the row has no usable event id" if not text else f"{_shown(text)} is too long for an id")
    return text


@cache
def _code(text: str, column: str) -> str:
    """A CAMEO code as the table writes it; "42" as some files write it is "042"."""
    if text.isdigit():
        for candidate in (text, text.zfill(3), text.zfill(4)):
            if candidate in cameo.codes():
                return candidate
    raise BadRow(column, f"{text!r} is not a CAMEO code")


def _title(subject: str, target: str, what: str) -> str:
    sides = " → ".join(name for name in (subject, target) if name)
    return (f"{sides}: {what}" if sides else what)[:MAX_LINE]


def _coded(fields: JsonRecord, code: str, score: float) -> JsonRecord:
    """The fields every CAMEO-coded event has."""
    return {
        **fields,
        "kind": KIND_OF_ROOT.get(code[:2], "other"),
        "effect": effect_of(score),
        "score": score,
        "code": code,
    }


def _names(*values: str) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


_EVENT_ID = re.compile(r"[0-9]{1,20}")


class Gdelt:
    """GDELT 1.0 daily files (58 columns; 57 in the backfile, without SOURCEURL) and GDELT 2.0
    files (61: an ADM2 code in each of the three geography blocks); tab-separated, no header."""

    PLACE: ClassVar = {57: 50, 58: 50, 61: 52}  # ActionGeo_FullName, by the file's width
    URL: ClassVar = {58: 57, 61: 60}  # SOURCEURL
    header = False

    def __init__(self, width: int):
        if width not in self.PLACE:
            raise InvalidValue(f"a GDELT file has 57, 58 or 61 tab-separated columns, not {width}")
        self.width = width

    def row(self, f: list[str], watched: frozenset[str]) -> Row | None:
        if len(f) != self.width:
            raise BadRow("", f"{len(f)} columns where the file has {self.width}")
        date, code = _day(f[1], "SQLDATE"), _code(f[26], "EventCode")  # cached: a day file holds few of each
        if not _EVENT_ID.fullmatch(f[0]):
            raise BadRow("GLOBALEVENTID", f"{_shown(f[0])} is not a number")
        mentions = _count(f[31], "NumMentions")
        _score(f[30], "GoldsteinScale")
        if f[7] not in watched and f[17] not in watched:
            return None
        return Row(f"gdelt:{f[0]}", date, frozenset((f[7], f[17])) - {""}, code, mentions)

    def story(self, f: list[str], row: Row) -> str:
        """One story told by several rows: the same day, actors in the same direction, CAMEO
        code and source URL (GDELT records a story once per article that codes it alike)."""
        url = f[self.URL[self.width]].strip() if self.width in self.URL else ""
        return f"gdelt-story:{row.date}:{f[5]}>{f[15]}:{row.code}:{url}" if url else row.ref

    def event(self, f: list[str], row: Row) -> JsonRecord:
        url = self.URL.get(self.width)
        fields = {
            "date": row.date,
            "title": _title(f[6].title(), f[16].title(), cameo.codes()[row.code][0]),
            "actors": _names(f[6].title(), f[16].title()),
            "place": f[self.PLACE[self.width]].strip(),
            "sources": _names(f[url]) if url else [],
            "ref": row.ref,
            "mentions": row.mentions,
        }
        return _coded(fields, row.code, _score(f[30], "GoldsteinScale"))


class _Headed:
    """A format whose first line names its columns."""

    header = True
    NEEDED: tuple[str, ...] = ()

    def __init__(self, names: list[str]):
        self.at = {name.strip(): index for index, name in enumerate(names)}
        self.width = len(names)
        missing = [name for name in self.NEEDED if name not in self.at]
        if missing:
            raise InvalidValue(f"the header has no column {missing[0]!r}")

    def get(self, f: list[str], name: str) -> str:
        index = self.at.get(name)
        return f[index].strip() if index is not None else ""

    def fits(self, f: list[str]) -> None:
        if len(f) != self.width:
            raise BadRow("", f"{len(f)} columns where the header has {self.width}")


class Icews(_Headed):
    """ICEWS coded event data: tab-separated, a header; the reference is Event ID with Event Date."""

    NEEDED: tuple[str, ...] = (
        "Event ID", "Event Date", "Source Name", "Source Country", "Event Text", "CAMEO Code", "Intensity",
        "Target Name", "Target Country",
    )  # fmt: skip

    def row(self, f: list[str], watched: frozenset[str]) -> Row | None:
        self.fits(f)
        date = _day(self.get(f, "Event Date"), "Event Date")
        _score(self.get(f, "Intensity"), "Intensity")
        names = countries()[0]
        sides = {names.get(self.get(f, side).lower(), "") for side in ("Source Country", "Target Country")}
        ref = f"icews:{_reference(self.get(f, 'Event ID'), 'Event ID')}:{date}"
        return Row(ref, date, frozenset(sides - {""}), _code(self.get(f, "CAMEO Code"), "CAMEO Code"), None)

    def story(self, f: list[str], row: Row) -> str:
        """ICEWS codes each sentence of a story: rows of one story id, day, actors and code are one event."""
        story = self.get(f, "Story ID")
        who = f"{self.get(f, 'Source Name')}>{self.get(f, 'Target Name')}"
        return f"icews-story:{row.date}:{who}:{row.code}:{story}" if story else row.ref

    def event(self, f: list[str], row: Row) -> JsonRecord:
        source, target = self.get(f, "Source Name"), self.get(f, "Target Name")
        fields = {
            "date": row.date,
            "title": _title(source, target, self.get(f, "Event Text") or cameo.codes()[row.code][0]),
            "actors": _names(source, target),
            "place": ", ".join(_names(*(self.get(f, c) for c in ("City", "Province", "Country")))),
            "sources": _names(self.get(f, "Publisher")),
            "ref": row.ref,
        }
        return _coded(fields, row.code, _score(self.get(f, "Intensity"), "Intensity"))


class Acled(_Headed):
    """ACLED exports: CSV with a header; no CAMEO code, so kind and effect follow the event type."""

    NEEDED = ("event_id_cnty", "event_date", "event_type", "actor1", "actor2", "country")
    _NAMED = re.compile(r"(?:\bof ([^()]+?)\s*(?:\(|$))|\(([^()]+)\)")  # "Police Forces of Belarus (1994-)", "(Russia)"

    def row(self, f: list[str], watched: frozenset[str]) -> Row | None:
        self.fits(f)
        date = _day(self.get(f, "event_date"), "event_date")
        if self.get(f, "fatalities"):
            _count(self.get(f, "fatalities"), "fatalities")
        by_name, by_number = countries()
        sides = {by_name.get(self.get(f, "country").lower(), "")}
        iso = self.get(f, "iso")
        if iso:
            sides.add(by_number.get(_count(iso, "iso"), ""))
        for actor in ("actor1", "actor2"):
            for named in self._NAMED.findall(self.get(f, actor)):
                sides.add(by_name.get("".join(named).strip().lower(), ""))
        return Row(
            f"acled:{_reference(self.get(f, 'event_id_cnty'), 'event_id_cnty')}",
            date,
            frozenset(sides - {""}),
            "",
            None,
        )

    def story(self, f: list[str], row: Row) -> str:
        """ACLED's event id already names one event."""
        return row.ref

    def event(self, f: list[str], row: Row) -> JsonRecord:
        kind_of = self.get(f, "event_type")
        place = _names(self.get(f, "location"), self.get(f, "admin1"), self.get(f, "country"))
        notes = self.get(f, "notes")
        deaths = self.get(f, "fatalities")
        return {
            "date": row.date,
            "title": _title(
                self.get(f, "actor1"), self.get(f, "actor2"), self.get(f, "sub_event_type") or kind_of or "event"
            ),
            "description": "\n\n".join(_names(notes, f"Fatalities: {deaths}" if deaths else "")),
            "kind": ACLED_KIND.get(kind_of, "incident"),
            "effect": ACLED_EFFECT.get(kind_of, "escalating"),
            "actors": _names(self.get(f, "actor1"), self.get(f, "actor2")),
            "place": ", ".join(place),
            "sources": _names(*self.get(f, "source").split(";")),
            "ref": row.ref,
        }


def detect(first_line: str) -> str | None:
    """The format a file's first line shows, or None when it does not tell."""
    if first_line.startswith("Event ID\t") or "\tCAMEO Code\t" in first_line:
        return "icews"
    if "event_id_cnty" in first_line and "," in first_line:
        return "acled"
    fields = first_line.split("\t")
    if len(fields) in Gdelt.PLACE and fields[0].isdigit():
        return "gdelt"
    return None


Reader = Gdelt | Icews | Acled  # a reader of rows, one class a format


def reader(fmt: str, first: list[str]) -> Reader:
    """The reader of a format, set up from the file's first row (a header, or GDELT's first row)."""
    if fmt == "gdelt":
        return Gdelt(len(first))
    return Icews(first) if fmt == "icews" else Acled(first)
