"""A record in detail for people: a dispute with its history, events, deadlines and links,
and an event with its sources (whole, as terminal links).

Drawn under the layout rule (render/layout.py) as lines of styled segments, which
output.write_lines writes: `show` loads no table library, and starts as fast as `list`.
User text is made printable before it is laid out.
"""

from __future__ import annotations

from disputes.core import ids
from disputes.core.content import DisputeShown, change_said
from disputes.render import layout
from disputes.render.common import bottom_line_said, with_roles
from disputes.render.layout import Column, Line, cells
from disputes.render.listings import EFFECT_MARK
from disputes.render.output import paragraph, printable, terminal_width, write_lines

CELL = Column("")  # a short value, never wrapped
FIRST = Column("", heading=True)  # a grid's first cell: a record's heading when too narrow for side by side
TEXT = Column("", wrap=True, least=16)  # free text, wrapped in the room left
EVENT_COLUMNS = [
    Column("DATE", heading=True),
    Column("ID", heading=True),
    Column("EFFECT", priority=1),
    Column("SCORE", priority=2, right=True),
    Column("KIND", priority=3),
    Column("TITLE", wrap=True, least=20, heading=True),
]


def _heading_and_fields(title: str, rows: list[tuple[str, str]], sources, width: int | None, curve=None) -> list[Line]:
    """A record's title, then its non-empty fields as a two-column grid (the escalation
    sparkline of `curve` after them), sources last."""
    shown = [(name, value) for name, value in rows if value]
    label = max(cells(name) for name in [*(name for name, _ in shown), "source", "escalation" if curve else ""])
    columns = [Column("", size=label, heading=True), TEXT]
    lines = paragraph(title, width, "bold")
    lines += layout.table(columns, [((name, "dim"), printable(value)) for name, value in shown], width, header=False)
    if curve:
        lines += _escalation(curve, label, width)
    lines += layout.table(columns, [(("source", "dim"), linked(source)) for source in sources], width, header=False)
    return lines


def linked(source: str) -> tuple[str, str]:
    """A source as a styled cell: a web address whole, and a terminal hyperlink (OSC 8) where
    the terminal shows styles (output.write_lines leaves it out of a pipe)."""
    if source.startswith(("http://", "https://")) and source.isprintable() and " " not in source:
        return source, f"link {source}"
    return printable(source), ""


def _escalation(curve: tuple[list[str], dict], label: int, width: int | None) -> list[Line]:
    """The escalation row: a sparkline (a mark a month, coloured) and the worst month, folded
    onto lines under the value column when the width cannot hold it."""
    from disputes.render import charts

    months, found = curve
    marks = charts.sparkline(found["values"], found["events"])
    said = f"{months[0]} to {months[-1]}; " + charts.worst(found["values"], found["events"], months)
    if found.get("key_events"):  # the worst event itself, dated, as every chart marks it
        said += f"; worst event {charts.keys_said(found['key_events']).split(', ')[0]}"
    room = None if width is None else width - label - layout.GAP
    lead: Line = [("escalation", "dim"), (" " * (label - len("escalation") + layout.GAP), "")]
    under: Line = [(" " * (label + layout.GAP), "")]
    if room is None or len(marks) + 2 + cells(said) <= room:
        return [[*lead, *marks, ("  " + said, "")]]
    lines: list[Line] = []
    if room < 10:  # too narrow for a value column: the value goes under its name
        lines, lead, under, room = [[("escalation", "dim")]], [], [], max(width or 0, 1)
    chunks = [marks[at : at + room] for at in range(0, len(marks), room)]
    lines += [[*(under if number else lead), *chunk] for number, chunk in enumerate(chunks)]
    return lines + [[*under, (part, "")] for part in layout.wrap(said, room)]


def dispute_detail(shown: DisputeShown) -> None:
    """One dispute (`show`'s content) with its fields, its bottom line (the assessment in
    force, or every one asked for, oldest first), escalation sparkline, status history,
    events, links, forecasts (with the probability each stands at), the sections of the record
    types the registry shows (deadlines, watch rules, comments...) and changes."""
    from disputes.core import escalation
    from disputes.core.agenda import review_due
    from disputes.core.dates import today

    dispute, history, events, links = shown.dispute, shown.changes, shown.events, shown.relations
    judged, forecasts = shown.judged, shown.forecasts
    months = escalation.lifetime([dispute.opened, *(e.date for e in events)], today())
    weighed = [e.to_dict() for e in events]
    found = escalation.curves(weighed, [dispute.id], months)[dispute.id]
    curve = (months, {**found, "key_events": escalation.key_events(weighed, [dispute.id], months, 1)[dispute.id]})
    width = terminal_width()
    rows = [
        ("id", dispute.id),
        ("ref", dispute.ref),
        ("status", dispute.status + (f" ({dispute.status_detail})" if dispute.status_detail else "")),
        ("stage", dispute.stage),
        ("priority", dispute.priority),
        ("owner", dispute.owner),
        ("topic", dispute.topic),
        ("parties", with_roles(dispute.parties, dispute.roles)),
        ("tags", ", ".join(dispute.tags)),
        ("opened", dispute.opened),
        ("alerts", ", ".join(dispute.alerts)),
        ("created", dispute.created),
        ("updated", dispute.updated + next((f" by {e['author']}" for e in reversed(history) if e.get("author")), "")),
        ("reviews", f"every {dispute.review_every} days, next {review_due(dispute)}" if dispute.review_every else ""),
    ]
    lines = _heading_and_fields(dispute.title, rows, dispute.sources, width, curve)
    if len(judged) == 1:
        lines += [
            [],
            *paragraph(f"Bottom line ({bottom_line_said(judged[0].to_dict())})", width, "bold"),
        ]
        lines += paragraph(judged[0].text, width, multiline=True)
    else:
        assessed = [(a.date, bottom_line_said(a.to_dict(), dated=False), " ".join(a.text.split("\n"))) for a in judged]
        lines += _rows_under("Assessments", [FIRST, TEXT, TEXT], assessed, width)
    if dispute.summary:
        lines += [[], *paragraph(dispute.summary, width, multiline=True)]
    from disputes.core.steps import note_said, said

    steps = [(s["date"], said(s), note_said(s)) for s in shown.status_steps]
    lines += _rows_under("Status history", [FIRST, CELL, TEXT], steps, width)
    related = [(link["reads"], link.get("ref") or link["id"], link["title"]) for link in links]
    lines += _rows_under("Relations", [FIRST, CELL, TEXT], related, width)
    lines += _rows_under(f"Events ({len(events)})", EVENT_COLUMNS, _event_rows(events), width)
    from disputes.render.forecasts import state

    stated = [(f.by, state(f, now), f"{f.question} ({f.author})" if f.author else f.question) for f, now in forecasts]
    lines += _rows_under("Forecasts", [FIRST, CELL, TEXT], stated, width)
    for section in shown.sections:
        rows = [record.detail_line() for record in section.records]
        heading = f"{section.heading} ({len(rows)}, {section.order})" if section.order else section.heading
        columns = [FIRST, *[CELL] * (max(map(len, rows), default=2) - 2), TEXT]
        lines += _rows_under(heading, columns, rows, width)
    changes = [
        (
            entry["at"].replace("T", " ")[:16],
            entry["action"],
            change_said(entry),
            entry.get("note", ""),
        )
        for entry in history
    ]
    lines += _rows_under("Changes", [FIRST, CELL, TEXT, TEXT], changes, width)
    write_lines(lines)


def _rows_under(heading: str, columns: list[Column], rows: list[tuple], width: int | None) -> list[Line]:
    """A bold heading and its rows as a grid, after a blank line; nothing without rows."""
    if not rows:
        return []
    shown = [tuple(map(printable, row)) for row in rows]
    return [
        [],
        *paragraph(heading, width, "bold"),
        *layout.table(columns, shown, width, header=False),
    ]


def _event_rows(events) -> list[tuple]:
    short = ids.short_forms(e.id for e in events)
    return [
        (
            event.date,
            short[event.id],
            EFFECT_MARK[event.effect],
            "" if event.score is None else f"{event.score:+g}",
            event.kind,
            event.title,
        )
        for event in events
    ]


def event_detail(event, dispute_titles: dict[str, str], code_name: str = "") -> None:
    """One event with its fields and the disputes it is linked to."""
    width = terminal_width()
    rows = [
        ("id", event.id),
        ("date", event.date),
        ("kind", event.kind),
        ("effect", EFFECT_MARK[event.effect]),
        ("score", "" if event.score is None else f"{event.score:+g}"),
        ("code", f"{event.code} {code_name}".strip() if event.code else ""),
        ("actors", ", ".join(event.actors)),
        ("place", event.place),
        ("ref", event.ref),
        ("mentions", "" if event.mentions is None else f"{event.mentions:,}"),
    ]
    rows += [("dispute", f"{d}  {dispute_titles.get(d, '')}") for d in event.disputes]
    lines = _heading_and_fields(event.title, rows, event.sources, width)
    if event.description:
        lines += [[], *paragraph(event.description, width, multiline=True)]
    write_lines(lines)
