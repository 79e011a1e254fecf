"""Documents: a dated reference to a file or a web page on a dispute (a panel report, a
request for consultations, the analyst's own memo), kept as records so two clones' documents
merge one by one. The file itself stays where it is: the store holds where to find it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from disputes.core import frozen
from disputes.core.dates import parse_date
from disputes.core.errors import InvalidValue
from disputes.core.fields import MAX_SOURCE, one_line, shown
from disputes.core.frozen import Frozen

TABLE = "documents"
FIELDS = ("id", "dispute", "date", "title", "location", "author", "created", "updated")


class Document(Frozen):
    id: str
    dispute: str
    date: str
    title: str
    location: str  # a path or a web address, as typed
    author: str = ""
    created: str = ""
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return frozen.to_record(self, _DEFAULTS, ())

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Document:
        return frozen.from_record(cls, record, _DEFAULTS, ())

    @classmethod
    def in_order(cls, records: Iterable[Document]) -> list[Document]:
        """A dispute's documents as `show` lists them: by date."""
        return sorted(records, key=lambda d: (d.date, d.title, d.id))

    def detail_line(self) -> tuple[str, ...]:
        """`show`'s line for it: date, title, where it is."""
        return (self.date, self.title, self.location)

    def markdown_line(self) -> tuple[str, str]:
        return (self.date, f"{self.title}: {self.location}")


_DEFAULTS = frozen.defaults(Document)


def _location(value: object) -> str:
    # a signed or shared link runs past a title's 300 characters: a location is held as sources are
    text = one_line(value, "document location", longest=MAX_SOURCE)  # type: ignore[arg-type]
    if not text:
        raise InvalidValue("a document needs its path or web address: where a colleague finds it")
    return text


def _title(value: object) -> str:
    text = one_line(value, "document title")  # type: ignore[arg-type]
    if not text:
        raise InvalidValue("a document needs a title: what it is (e.g. 'Panel report')")
    return text


_CLEANERS = {
    "date": lambda v: parse_date(v, what="document date"),
    "title": _title,
    "location": _location,
    "author": lambda v: one_line(v, "author"),
}


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate document fields as a user typed them."""
    return {name: _CLEANERS[name](value) for name, value in fields.items()}


def titled(location: str) -> str:
    """The title a document is given when none is typed: the last part of its path or address."""
    return location.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] or location


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored document, by the same rules as typed input."""
    if not isinstance(record, dict):
        return [f"document {key} is not an object"]
    problems = [] if record.get("id") == key else [f"document {key} carries the id {shown(record.get('id'))}"]
    for name in ("dispute", "date", "title", "location"):
        if not isinstance(record.get(name), str):
            problems.append(f"document {key} has no {name}")
    for name in ("author", "created", "updated"):
        if not isinstance(record.get(name, ""), str):
            problems.append(f"document {key} has an invalid {name}: {shown(record[name])} (not text)")
    for name in ("date", "title", "location", "author"):
        if isinstance(record.get(name), str):
            try:
                clean_fields({name: record[name]})
            except InvalidValue as problem:
                problems.append(f"document {key} has an invalid {name} ({problem})")
    return problems


def described() -> dict[str, Any]:
    """The registry's description of the documents' table (core.registry.RecordType's fields)."""
    return dict(
        table=TABLE,
        problems=record_problems,
        refers=("dispute",),
        on_delete="cascade",
        kind=Document,
        fields=FIELDS,
        clean=clean_fields,
        imported=("date", "title", "location", "author"),
        needed=("date", "title", "location"),
        shape=Document,
    )
