"""Shell completion from the current store: dispute ids and references (with their titles),
event ids, statuses, priorities, parties and topics.

Completion runs on every TAB, so it reads only the table it needs, never takes the lock
and never writes; a store it cannot read completes nothing rather than print an error.
"""

import os
from pathlib import Path

import typer

from disputes.core import vocabulary
from disputes.core.errors import DisputesError
from disputes.core.patterns import Pattern

MOST = 200  # a shell shows no more than this usefully


def _rows(ctx: typer.Context, table: str, fields: tuple[str, ...]) -> list[dict]:
    """Each record of a table cut down to `fields`, read from the table's index where it has
    one: a TAB on 10,000 disputes parses 3 MB of index, not 10 MB of records."""
    return _read(ctx, lambda store: list(store.scan(table, fields)))


def _read(ctx: typer.Context, reading) -> list:
    """What `reading` finds in the store the command line names; nothing where it cannot be read."""
    from disputes.store.database import Store, default_path

    db = ctx.find_root().params.get("db")
    try:
        return reading(Store.load(Path(db) if db else default_path()))
    except (DisputesError, OSError):
        return []


def _starting(incomplete: str, pairs) -> list[tuple[str, str]]:
    wanted = _typed(incomplete)
    found = sorted({(value, help_text) for value, help_text in pairs if value.casefold().startswith(wanted)})[:MOST]
    return [(_for_the_shell(value), _described(help_text)) for value, help_text in found]


def _typed(incomplete: str) -> str:
    """What the user typed, as values are matched against it: an open quote dropped, any case."""
    return incomplete.strip("'\"").casefold()


DESCRIBED = 60  # Typer lays a description out at 80 columns, value included: longer ones break fish's lines


def _described(text: str) -> str:
    """A description zsh and fish show beside a value: one short line, its brackets escaped
    (Typer reads them as Rich markup)."""
    line = " ".join(text.split())
    line = line if len(line) <= DESCRIBED else line[: DESCRIBED - 1] + "…"
    return line.replace("[", "\\[")


_SPECIAL = Pattern(r"([^\w@%+=:,./-])")


def _for_the_shell(value: str) -> str:
    """A value as bash must insert it: bash puts a completion on the command line as it is,
    so `Saudi Arabia` would become two words; zsh and fish quote what they insert themselves."""
    if os.environ.get("_DISPUTES_COMPLETE", "").endswith("bash"):
        return _SPECIAL.sub(r"\\\1", value)
    return value


def disputes(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Dispute ids and references, each with the dispute's title."""
    rows = _rows(ctx, "disputes", ("id", "ref", "title"))
    pairs = [(row["id"], row.get("title") or "") for row in rows]
    pairs += [(row["ref"], row.get("title") or "") for row in rows if row.get("ref")]
    return _starting(incomplete, pairs)


def events(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Event ids, each with the event's date and title. Only the events whose id starts with
    what is typed are read, at most MOST of them: a store may hold 100,000 (a TAB read them all,
    for seconds)."""

    def reading(store) -> list[tuple[str, str]]:
        keys = sorted(store.ids("events").starting(_typed(incomplete)))[:MOST]
        records = ((key, store.record("events", key) or {}) for key in keys)
        return [(key, f"{r.get('date', '')} {r.get('title', '')}") for key, r in records]

    return _starting(incomplete, _read(ctx, reading))


def statuses(incomplete: str) -> list[tuple[str, str]]:
    return _starting(incomplete, vocabulary.STATUSES.items())


def priorities(incomplete: str) -> list[str]:
    return [value for value, _ in _starting(incomplete, ((name, "") for name in vocabulary.PRIORITIES))]


def parties(ctx: typer.Context, incomplete: str) -> list[str]:
    names = {party for row in _rows(ctx, "disputes", ("parties",)) for party in row.get("parties") or ()}
    return [value for value, _ in _starting(incomplete, ((name, "") for name in names))]


def topics(ctx: typer.Context, incomplete: str) -> list[str]:
    names = {row.get("topic") for row in _rows(ctx, "disputes", ("topic",))} - {"", None}
    return [value for value, _ in _starting(incomplete, ((name, "") for name in names))]


def cameo_codes(incomplete: str) -> list[tuple[str, str]]:
    """CAMEO codes with their names; after a comma (`--codes 16,17`), the next code of the list."""
    from disputes.core import cameo

    done, _, last = incomplete.rpartition(",")
    lead = f"{done}," if done else ""
    return [(lead + code, name) for code, name in _starting(last, ((c, n) for c, (n, _) in cameo.codes().items()))]


def tags(ctx: typer.Context, incomplete: str) -> list[str]:
    names = {tag for row in _rows(ctx, "disputes", ("tags",)) for tag in row.get("tags") or ()}
    return [value for value, _ in _starting(incomplete, ((name, "") for name in names))]


def views(ctx: typer.Context, incomplete: str) -> list[str]:
    names = {row.get("name") or "" for row in _rows(ctx, "views", ("name",))} - {""}
    return [value for value, _ in _starting(incomplete, ((name, "") for name in names))]
