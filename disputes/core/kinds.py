"""The tables of a store, listed once: what each record is called and its place in the lists
the store, import, delete and the merges read (REFERRING, ATTACHED, INDEXED...).

This is the registry's list (core.registry holds each table's rules, loaded when first asked
for); it imports nothing, so that the vocabulary, the history's checks and the store can read
it without a circle. A new record type is one entry here and its rules in the registry.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    table: str
    noun: tuple[str, str]  # one record, several, in a sentence
    hangs: bool = False  # its records name disputes (every table but the disputes' own and the bookkeeping)
    attached: bool = False  # its records hang on one dispute and are imported field by field
    section: str = ""  # the section of the store file holding the table's index


ENTRIES: tuple[Entry, ...] = (
    Entry("disputes", ("dispute", "disputes"), section="disputes.index"),
    Entry("events", ("event", "events"), hangs=True, section="events.index"),
    Entry("relations", ("relation", "relations"), hangs=True),
    Entry("deadlines", ("deadline", "deadlines"), hangs=True, attached=True),
    Entry("watches", ("watch rule", "watch rules"), hangs=True, attached=True),
    Entry("assessments", ("assessment", "assessments"), hangs=True, attached=True),
    Entry("forecasts", ("forecast", "forecasts"), hangs=True, attached=True),
    # a table whose records name a record of another (`parent`) comes after that one
    Entry("forecast_revisions", ("forecast revision", "forecast revisions"), hangs=True, attached=True),
    Entry("comments", ("comment", "comments"), hangs=True, attached=True),
    Entry("actors", ("actor", "actors")),
    Entry("views", ("view", "views"), hangs=True),  # its members
    Entry("brief_marks", ("brief mark", "brief marks")),
    Entry("profiles", ("import profile", "import profiles")),
    Entry("fetched", ("fetched file", "fetched files")),
    Entry("history", ("history entry", "history entries")),
)

# every list of tables, read off the entries (test_layout holds each to the registry's rules)
TABLES = tuple(entry.table for entry in ENTRIES)  # in the order of the store file and exports
NOUNS = {entry.table: entry.noun for entry in ENTRIES}
# the tables whose records hang on disputes
REFERRING = tuple(entry.table for entry in ENTRIES if entry.hangs)
# the tables that have an index, and the name of each index's section
INDEXED = {entry.table: entry.section for entry in ENTRIES if entry.section}
INDEX_SECTIONS = frozenset(INDEXED.values())  # sections of the file that are not tables
# the tables of records that hang on one dispute and are imported field by field (deadlines, ...)
ATTACHED = tuple(entry.table for entry in ENTRIES if entry.attached)
