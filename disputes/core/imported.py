"""What an import did, one class for each kind of result: event data, a CSV file, a JSON export;
and what event data would give (`watch test`) or gave (`fetch`).

The operations (ops/interchange/imports.py and the importers) fill them; `--json` prints them as they
are, and the terminal's view reads them (render/imported.py), so neither guesses a kind.
"""

# no `from __future__ import annotations`: Python 3.11 reads NotRequired only from real annotations
from typing import NotRequired, TypedDict

from disputes.core.jsontypes import JsonRecord


class RowProblem(TypedDict):
    """A bad row of a file: its line, and what is wrong with it."""

    line: int
    problem: str


class ImportedEvent(TypedDict):
    """An event an import of event data added (`new`) or updated."""

    id: str
    new: bool
    date: str
    title: str
    disputes: list[str]
    ref: str


class EventDataImport(TypedDict):
    """What an import of event data did (with `dry_run`, would do): `import --json`'s shape."""

    format: str
    rows: int
    matched: int
    added: int
    updated: int
    unchanged: int
    unmatched: int
    bad: int
    problems: list[RowProblem]
    by_dispute: dict[str, int]
    events: list[ImportedEvent]
    dry_run: bool


class RowExample(TypedDict):
    """A story a watch rule would take from a file: its day, title and reference."""

    date: str
    title: str
    ref: str


class RuleTried(TypedDict):
    """What one watch rule would take from an event-data file (`watch test --json`)."""

    rule: str
    dispute: str
    watching: str  # the rule, as people read it
    rows: int
    matched: int
    events: int
    bad: int
    examples: list[RowExample]


class FetchedFile(TypedDict):
    """A file of the feed `fetch` imported (`imported`: its rows and the events they added or
    updated), or (not `imported`, with --dry-run) one it would fetch, with its size."""

    file: str
    size: NotRequired[int]
    imported: bool
    rows: NotRequired[int]
    added: NotRequired[int]
    updated: NotRequired[int]


class MergedRows(TypedDict):
    """What --merge-rows made of a file: rows read into disputes, and each dispute's parties
    named in opposite roles across its rows (made plain parties)."""

    rows: int
    disputes: int
    both_sides: dict[str, list[str]]


class StatusPhrase(TypedDict):
    """A status phrase of the source, the status it maps to, and how many rows have it."""

    phrase: str
    status: str
    rows: int


class CsvCounts(TypedDict):
    """A CSV import's counts and sections, before it says whether it was a dry run."""

    rows: NotRequired[int]
    first: NotRequired[list[JsonRecord]]  # the first rows as disputes, with their line and status date
    statuses: NotRequired[list[StatusPhrase]]
    status_date: NotRequired[str]
    disputes: int
    skipped: list[RowProblem]
    updated: NotRequired[int]
    unchanged: NotRequired[int]
    conflicts: NotRequired[int]
    merged: NotRequired[MergedRows]


class CsvImport(CsvCounts):
    """What an import of a CSV file did (with `dry_run`, would do): `import --json`'s shape.
    `updated`, `unchanged` and `conflicts` come with --update, `merged` with --merge-rows,
    and a dry run's preview (`rows`, `first`, `statuses`, `status_date`) with --dry-run."""

    dry_run: bool


class Preview(TypedDict):
    """A CSV dry run's preview: the first rows as disputes, every status phrase."""

    rows: int
    first: list[JsonRecord]
    statuses: list[StatusPhrase]
    status_date: str
    skipped: list[RowProblem]


# What an import of a JSON export (or hand-written file) did: the records added to each table
# (the registry's tables, in its order), then `dry_run`
StoreImport = dict[str, int | bool]
