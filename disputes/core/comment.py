"""Comments: analysts' dated notes on a dispute for one another (as `gh issue comment`),
each its author's to delete, kept as records so two clones' comments merge one by one."""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core import frozen
from disputes.core.dates import parse_date
from disputes.core.errors import InvalidValue
from disputes.core.fields import free_text, one_line, shown
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue

TABLE = "comments"
LONGEST = 4_000  # a comment is a note to a colleague, not a report


class Comment(Frozen):
    id: str
    dispute: str
    date: str
    text: str
    author: str = ""
    created: str = ""
    updated: str = ""

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _DEFAULTS, ())

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Comment:
        return frozen.from_record(cls, record, _DEFAULTS, ())

    @classmethod
    def in_order(cls, records: Iterable[Comment]) -> list[Comment]:
        """A dispute's records of this type in the order `show` lists them."""
        return in_order(records)

    def detail_line(self) -> tuple[str, ...]:
        """`show`'s line for it: date, author, the text on one line."""
        return (self.date, self.author or "no one named", " ".join(self.text.split("\n")))

    def markdown_line(self) -> tuple[str, str]:
        return (self.date, f"{self.author or 'no one named'}: {' '.join(self.text.split())}")


_DEFAULTS = frozen.defaults(Comment)


def _text(value: JsonValue) -> str:
    text = free_text(value, "comment")
    if not text:
        raise InvalidValue("a comment needs its text: what you want your colleagues to read")
    if len(text) > LONGEST:
        raise InvalidValue(f"a comment is a note of at most {LONGEST} characters, not {len(text)}")
    return text


_CLEANERS = {
    "date": lambda v: parse_date(v, what="comment date"),
    "text": _text,
    "author": lambda v: one_line(v, "author"),
}


def clean_fields(fields: JsonRecord) -> JsonRecord:
    """Validate comment fields as a user typed them."""
    return {name: _CLEANERS[name](value) for name, value in fields.items()}


def in_order(comments: Iterable[Comment]) -> list[Comment]:
    """Comments as `show` lists them: the newest first."""
    return newest_first(comments)


def newest_first(comments: Iterable[Comment]) -> list[Comment]:
    """Comments as `show` gives them: the newest first."""
    return sorted(comments, key=lambda c: (c.date, c.created, c.id), reverse=True)


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored comment, by the same rules as typed input."""
    if not isinstance(record, dict):
        return [f"comment {key} is not an object"]
    problems = [] if record.get("id") == key else [f"comment {key} carries the id {shown(record.get('id'))}"]
    for name in ("dispute", "date", "text"):
        if not isinstance(record.get(name), str):
            problems.append(f"comment {key} has no {name}")
    for name in ("author", "created", "updated"):
        if not isinstance(record.get(name, ""), str):
            problems.append(f"comment {key} has an invalid {name}: {shown(record[name])} (not text)")
    for name in ("text", "author", "date"):
        if isinstance(record.get(name), str):
            try:
                clean_fields({name: record[name]})
            except InvalidValue as problem:
                problems.append(f"comment {key} has an invalid {name} ({problem})")
    return problems
