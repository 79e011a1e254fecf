"""Listings: disputes, events, deadlines, the agenda, watch rules and CAMEO codes as plain
columns, the timeline, the history, conflicts and what doctor found (what an import did is
imported.py's). User text goes to Rich as Text, never as markup."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from disputes.core import ids
from disputes.core.dates import MONTH_NAMES
from disputes.core.model import Dispute
from disputes.render.common import versus
from disputes.render.layout import Column, hanging
from disputes.render.output import done, printable, table, terminal_width

if TYPE_CHECKING:  # the content types, for mypy only: `list` need not build their classes
    from disputes.core.content import AgendaShown, EventsListed, HistoryShown


def under_view(said: str) -> None:
    """Which disputes a listing holds, above it on a terminal (a pipe gets the rows alone)."""
    width = terminal_width()
    if said and width:
        done("\n".join(hanging(f"Disputes: {said}", width, 2)))


def listing(disputes: list[Dispute], all_ids: list[str], view: str = "") -> None:
    """Disputes as aligned plain columns: fast for 10,000 rows, easy to grep and cut; on a
    terminal, under the view in force (`view`, in words)."""
    under_view(view)
    if not disputes:
        done("No disputes match. Add one with `disputes add TITLE` or see `disputes list --all`.")
        return
    short = ids.short_forms(all_ids)
    rows: list[tuple[str, ...]] = [
        (short[d.id], d.ref, d.status, d.priority, d.opened, versus(d.parties, d.roles), d.title, d.owner)
        for d in disputes
    ]
    if not "".join(itertools.chain.from_iterable(rows)).isprintable():  # checked at once, in C: mostly
        rows = [tuple(map(printable, row)) for row in rows]
    header: list[Column] = list(DISPUTE_COLUMNS)
    shown: list[tuple[str, ...]] = list(rows)
    if not any(row[7] for row in shown):  # no owners at all: no empty OWNER column
        header, shown = header[:7], [row[:7] for row in shown]
    if not any(row[1] for row in shown):  # no references at all: no empty REF column
        header, shown = header[:1] + header[2:], [row[:1] + row[2:] for row in shown]
    table(header, shown)


# the essentials (id, title, parties) are never dropped; what matters least goes first
DISPUTE_COLUMNS = (
    Column("ID", heading=True),
    Column("REF", heading=True),  # the name people know a case by (DS512): never dropped
    Column("STATUS", priority=1),
    Column("PRIORITY", priority=3),
    Column("OPENED", priority=4),
    Column("PARTIES", wrap=True, least=14),
    Column("TITLE", wrap=True, least=24, heading=True),
    Column("OWNER", priority=2),
)


def checkup(result) -> None:
    """What `doctor` found and did, as plain lines."""
    lines = [f"Store: {result.path}"]
    lines += [f"Did: {line}" for line in result.done]
    lines += [f"Problem: {line}" for line in result.problems]
    if result.fixable and result.problems:
        lines.append("Run `disputes doctor --fix` to repair what is safe to repair.")
    if result.conflicted:
        lines.append("Run `disputes doctor --fix` to merge both sides of the conflict record by record.")
    elif result.unreadable:
        lines.append("Run `disputes doctor --restore` to put the backup in its place.")
    if result.healthy:
        lines.append("No problems found.")
    done("\n".join(lines))


EFFECT_MARK = {"escalating": "▲ escalating", "de-escalating": "▼ de-escalating", "neutral": "• neutral"}
TREND_MARK = {
    "deteriorated": "↘ deteriorated",
    "improved": "↗ improved",
    "unchanged": "→ unchanged",
    "no events": "· no events",
}
TREND_STYLE = {"deteriorated": "red", "improved": "green", "unchanged": "", "no events": "dim"}


def event_listing(listed: EventsListed) -> None:
    """Events as aligned plain columns, in date order, written as they go: each with the
    disputes it is linked to (by ref, else short id); on a terminal, under the view in force."""
    under_view(listed.view)
    first = list(itertools.islice(listed.rows, 1000))  # what the columns are measured on
    if not first:
        done("No events match. Record one with `disputes event add DISPUTE --date DATE --title TITLE`.")
        return
    short = listed.short
    id_width = max(len(short[e["id"]]) for e in first)

    def row(e: dict) -> tuple:
        score = "" if e["score"] is None else f"{e['score']:+g}"
        return (
            short[e["id"]],
            e["date"],
            e["kind"],
            e["effect"],
            score,
            printable(", ".join(listed.named(e))),
            printable(e["title"]),
        )

    header = [
        Column("ID", size=id_width, heading=True),
        Column("DATE", size=10, priority=1),
        Column("KIND", size=9, priority=4),
        Column("EFFECT", size=13, priority=2),
        Column("SCORE", size=5, priority=3, right=True),
        Column("DISPUTES", wrap=True, least=8),
        Column("TITLE", wrap=True, least=24, heading=True),
    ]
    table(header, (row(e) for e in itertools.chain(first, listed.rows)), measured=[row(e) for e in first])


def timeline(listed: EventsListed) -> None:
    """Events across disputes, grouped by year and month, written as they go (plain lines:
    a timeline of 100,000 events is never one big table in memory); on a terminal, under the
    view in force."""
    from itertools import groupby

    under_view(listed.view)
    width = terminal_width()
    lines: list[str] = []
    any_event = False
    for year, in_year in groupby(listed.rows, key=lambda e: e["date"][:4]):
        lines.append(year)
        for month, in_month in groupby(in_year, key=lambda e: e["date"][:7]):
            lines.append("  " + (MONTH_NAMES[int(month[5:7]) - 1] if len(month) == 7 else "(during the year)"))
            for e in in_month:
                any_event = True
                linked = ", ".join(listed.named(e))
                line = f"    {e['date']:<10}  {EFFECT_MARK[e['effect']]:<15}  {printable(e['title'])}  [{linked}]"
                if width is None:  # piped: one line an event, as it is
                    lines.append(line)
                else:
                    lines += hanging(line, width, 33)
            if len(lines) > 2000:
                done("\n".join(lines))
                lines = []
    if not any_event:
        done("No events match.")
    elif lines:
        done("\n".join(lines))


def conflicts(decisions: list[dict]) -> None:
    """What merges decided, newest first, each wrapped to the terminal with a hanging indent."""
    if not decisions:
        done("No merge has had to decide anything.")
        return
    if any(d["field"] for d in decisions):
        done("`disputes conflicts restore ID` takes a dropped value back.")
    width, lines = terminal_width(), []
    for d in decisions:
        what = f"{d['table'][:-1]} {d['record']}" + (f" field {d['field']}" if d["field"] else "")
        kept = f"kept {d['kept']!r}" + (f" ({d['kept_by']})" if d["kept_by"] else "")
        dropped = f"dropped {d['dropped']!r}" + (f" ({d['dropped_by']})" if d["dropped_by"] else "")
        line = f"{d['id'][:6]}  {d['at'].replace('T', ' ')[:16]}  {what}: {d['why']}; {kept}, {dropped}"
        if d.get("restored"):
            line += f"; restored {d['restored'].replace('T', ' ')[:16]}"
        lines += hanging(printable(line), width, 8)
    done("\n".join(lines))


def history(shown: HistoryShown) -> None:
    """Changes, newest first: when, what, which disputes, the note and who."""
    if not shown.entries:
        done("No changes recorded.")
        return
    lines = []
    width = terminal_width()
    action = max(len(entry["action"]) for entry in shown.entries)  # every entry's text starts in one column
    for entry in reversed(shown.entries):
        when = entry["at"].replace("T", " ")[:16]
        summary = shown.summary(entry) + ("  (undone)" if entry.get("undone") else "")
        subject = shown.subject(entry)
        note = f"  — {entry['note']}" if entry.get("note") else ""
        by = f"  ({entry['author']})" if entry.get("author") else ""
        said = f"{when}  {entry['action']:<{action}}  " + (f"{subject}: " if subject else "") + f"{summary}{note}{by}"
        lines += hanging(printable(said), width, len(when) + 2 + action + 2)
    done("\n".join(lines))


AGENDA_COLUMNS = [
    Column("DATE", heading=True),
    Column("KIND", priority=2),
    Column("WHEN", priority=1),
    Column("DISPUTE", heading=True),
    Column("WHAT", wrap=True, least=24),
]


def _when(item: dict) -> str:
    if item.get("opens"):  # a right or a window: it opens, then it is open; it is never missed
        return "open since" if item.get("opened") else "opens"
    return "overdue" if item["overdue"] else "due"


def agenda_rows(items: list[dict]) -> list[tuple[str, ...]]:
    """Agenda items as rows of plain columns: date, kind, overdue or due, dispute, what."""
    short = ids.short_forms({item["dispute"] for item in items})
    return [
        (
            item["date"],
            item["kind"],
            _when(item),
            item.get("dispute_ref") or short[item["dispute"]],
            item["title"] if item["kind"] == "review" else f"{item['title']} — {item['dispute_title']}",
        )
        for item in items
    ]


def agenda(shown: AgendaShown) -> None:
    """What is due: overdue and upcoming deadlines, reviews, stale disputes, by date; under
    the view and filters in force on a terminal."""
    under_view(shown.chosen)
    if not shown.items:
        done(f"Nothing due as of {shown.as_of} or in the {shown.within} days after.")
        return
    table(AGENDA_COLUMNS, [tuple(printable(cell) for cell in row) for row in agenda_rows(list(shown.items))])


def deadline_listing(
    deadlines: list, dispute_titles: dict[str, str], dispute_refs: dict[str, str] | None = None
) -> None:
    """Deadlines as plain columns, by date."""
    if not deadlines:
        done("No deadlines. Add one with `disputes deadline add DISPUTE --date DATE --title TITLE`.")
        return
    short = ids.short_forms(d.id for d in deadlines)
    dispute_short = ids.short_forms(dispute_titles)
    dispute_refs = dispute_refs or {}
    rows = [
        (
            short[d.id],
            d.date,
            d.kind,
            d.done or (f"superseded {d.superseded}" if d.superseded else "open"),
            printable(dispute_refs.get(d.dispute) or dispute_short.get(d.dispute, d.dispute)),
            printable(d.title),
            printable(dispute_titles.get(d.dispute, "")),
        )
        for d in deadlines
    ]
    header = [
        Column("ID", heading=True),
        Column("DATE", priority=0),
        Column("KIND", priority=1),
        Column("DONE", priority=1),
        Column("DISPUTE"),
        Column("TITLE", wrap=True, least=20, heading=True),
        Column("OF DISPUTE", wrap=True, least=16, priority=2),
    ]
    table(header, rows)


def watch_listing(watches: list, dispute_titles: dict[str, str], named: dict[str, str] | None = None) -> None:
    """Watch rules as plain columns, each dispute by its ref (else short id, in `named`)."""
    if not watches:
        done("No watch rules. Add one with `disputes watch DISPUTE --actors BLR,RUS`.")
        return
    short = ids.short_forms(w.id for w in watches)
    named = named or {}
    rows = [
        (short[w.id], named.get(w.dispute, w.dispute), ",".join(w.actors), ",".join(w.codes) or "any",
         str(w.min_mentions or ""), printable(dispute_titles.get(w.dispute, "?")))
        for w in watches
    ]  # fmt: skip
    header = [
        Column("ID", heading=True),
        Column("DISPUTE"),
        Column("ACTORS", wrap=True, least=7),
        Column("CODES", wrap=True, least=5, priority=1),
        Column("MENTIONS", priority=2, right=True),
        Column("TITLE", wrap=True, least=20, heading=True),
    ]
    table(header, rows)


CAMEO_COLUMNS = [
    Column("CODE", heading=True),
    Column("GOLDSTEIN", priority=1, right=True),
    Column("NAME", wrap=True, least=20, heading=True),
]


def cameo_codes(found: list[dict], words: str) -> None:
    """CAMEO codes found by a search, in code order."""
    if not found:
        done(f"No CAMEO code's name or description holds {words!r}.")
        return
    table(CAMEO_COLUMNS, [(c["code"], f"{c['goldstein']:+g}", c["name"]) for c in found])


def cameo_code(record: dict) -> None:
    """One CAMEO code: its name and weight, description, parents and children."""
    width = terminal_width()
    lines = [f"{record['code']}  {record['name']} (Goldstein {record['goldstein']:+g})"]
    if record["description"]:
        lines += ["", *hanging(record["description"], width, 0)]
    for heading, codes in (("Under", record["parents"]), ("Codes under it", record["children"])):
        if codes:
            lines += ["", heading]
            lines += [f"  {c['code']:<5} {c['goldstein']:+5g}  {c['name']}" for c in codes]
    done("\n".join(lines))
