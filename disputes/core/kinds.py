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
    # the module of disputes/cli that registers the commands of this record type, and those
    # command words (the CLI loads only that module for them: cli.MODULE_OF is read off these)
    module: str = ""
    commands: tuple[str, ...] = ()
    # its section in `show`, for records hanging on one dispute that are shown alike (each a
    # detail line and a Markdown line, declared by its record class with `in_order` in its
    # module): the heading, and how they are ordered when that is worth saying
    shown: str = ""
    shown_order: str = ""


ENTRIES: tuple[Entry, ...] = (
    Entry(
        "disputes",
        ("dispute", "disputes"),
        section="disputes.index",
        module="disputes",
        commands=("add", "list", "show", "delete"),
    ),
    Entry(
        "events",
        ("event", "events"),
        hangs=True,
        section="events.index",
        module="events",
        commands=("event", "timeline"),
    ),
    Entry("relations", ("relation", "relations"), hangs=True, module="relations", commands=("link", "unlink")),
    Entry(
        "deadlines",
        ("deadline", "deadlines"),
        hangs=True,
        attached=True,
        shown="Deadlines",
        module="deadlines",
        commands=("deadline", "review", "agenda", "stage"),
    ),
    Entry(
        "watches",
        ("watch rule", "watch rules"),
        hangs=True,
        attached=True,
        shown="Watch rules (event data)",
        module="watches",
        commands=("watch",),
    ),
    Entry(
        "assessments",
        ("assessment", "assessments"),
        hangs=True,
        attached=True,
        module="assessments",
        commands=("assess",),
    ),
    Entry(
        "forecasts", ("forecast", "forecasts"), hangs=True, attached=True, module="forecasts", commands=("forecast",)
    ),
    # a table whose records name a record of another (`parent`) comes after that one
    Entry("forecast_revisions", ("forecast revision", "forecast revisions"), hangs=True, attached=True),
    Entry(
        "comments",
        ("comment", "comments"),
        hangs=True,
        attached=True,
        shown="Comments",
        shown_order="newest first",
        module="comments",
        commands=("comment",),
    ),
    Entry(
        "documents",
        ("document", "documents"),
        hangs=True,
        attached=True,
        shown="Documents",
        module="documents",
        commands=("document",),
    ),
    Entry("actors", ("actor", "actors"), module="parties", commands=("party",)),
    Entry("views", ("view", "views"), hangs=True, module="views", commands=("view",)),  # its members
    Entry("brief_marks", ("brief mark", "brief marks"), module="brief", commands=("brief",)),
    Entry("profiles", ("import profile", "import profiles"), module="profiles", commands=("profile",)),
    Entry("fetched", ("fetched file", "fetched files"), module="fetch", commands=("fetch",)),
    Entry("history", ("history entry", "history entries"), module="history", commands=("history", "undo", "redo")),
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
# the tables `show` gives a section each, in this order
SHOWN = tuple(entry for entry in ENTRIES if entry.shown)
# the command words of each record type, and the module of disputes/cli registering them
COMMANDS = {command: entry.module for entry in ENTRIES for command in entry.commands}
