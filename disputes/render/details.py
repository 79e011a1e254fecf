"""A record in detail for people: a dispute with its history, events, deadlines and links,
and an event with its sources (whole, as terminal links). User text goes to Rich as Text."""

from __future__ import annotations

from collections.abc import Sequence

from disputes.core import ids
from disputes.core.model import Dispute
from disputes.render.common import bottom_line_said, with_roles
from disputes.render.output import console, text
from disputes.render.views import EFFECT_MARK


def _heading_and_fields(out, title: str, rows: list[tuple[str, str]], sources) -> None:
    """A record's title, then its non-empty fields as a two-column grid, sources last."""
    from rich.table import Table

    out.print(text(title, style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")  # a long value (a URL) is folded onto the next line, never cut
    for name, value in rows:
        if value:
            grid.add_row(name, text(value) if isinstance(value, str) else value)
    for source in sources:
        grid.add_row("source", linked(source))
    out.print(grid)


def linked(source: str):
    """A source as Text: a web address whole, and a terminal hyperlink (OSC 8) where the
    terminal can show one; Rich leaves the link out when stdout is not a terminal."""
    shown = text(source)
    if source.startswith(("http://", "https://")) and source.isprintable() and " " not in source:
        shown.stylize(f"link {source}")
    return shown


def dispute_detail(
    dispute: Dispute,
    history: list[dict],
    events: Sequence = (),
    links: Sequence[dict] = (),
    deadlines: Sequence = (),
    curve: tuple[list[str], dict] | None = None,
    watches: Sequence = (),
    judged: Sequence = (),
) -> None:
    """One dispute with its fields, its bottom line (`judged`: the assessment in force, or
    every one asked for, oldest first), escalation sparkline (`curve`: months and the values
    and counts of `escalation.curves`), status history, deadlines, events, links and changes."""
    from disputes.core.agenda import review_due
    from disputes.render import charts

    out = console()
    rows = [
        ("id", dispute.id),
        ("ref", dispute.ref),
        ("status", dispute.status + (f" ({dispute.status_detail})" if dispute.status_detail else "")),
        ("priority", dispute.priority),
        ("topic", dispute.topic),
        ("parties", with_roles(dispute.parties, dispute.roles)),
        ("tags", ", ".join(dispute.tags)),
        ("opened", dispute.opened),
        ("alerts", ", ".join(dispute.alerts)),
        ("created", dispute.created),
        ("updated", dispute.updated + next((f" by {e['author']}" for e in reversed(history) if e.get("author")), "")),
        ("reviews", f"every {dispute.review_every} days, next {review_due(dispute)}" if dispute.review_every else ""),
    ]
    if curve:
        months, found = curve
        line = charts.spark_text(found["values"], found["events"])
        line.append(text(f"  {months[0]} to {months[-1]}; " + charts.worst(found["values"], found["events"], months)))
        rows.append(("escalation", line))
    _heading_and_fields(out, dispute.title, rows, dispute.sources)
    if len(judged) == 1:
        out.print()
        out.print(text(f"Bottom line ({bottom_line_said(judged[0].to_dict())})", style="bold"))
        out.print(text(judged[0].text, multiline=True))
    elif judged:
        _rows_under(
            out,
            "Assessments",
            [
                (text(a.date), text(bottom_line_said(a.to_dict(), dated=False)), text(a.text, multiline=True))
                for a in judged
            ],
        )
    if dispute.summary:
        out.print()
        out.print(text(dispute.summary, multiline=True))
    _rows_under(
        out, "Status history", [(text(s["date"]), text(s["status"]), text(s["note"])) for s in dispute.status_history]
    )
    _rows_under(out, "Relations", [(text(link["reads"]), link["id"], text(link["title"])) for link in links])
    if events:
        out.print()
        out.print(text(f"Events ({len(events)})", style="bold"))
        out.print(_event_grid(events))
    _rows_under(
        out,
        "Deadlines",
        [(text(d.date), text(f"done {d.done}" if d.done else "open"), text(d.title)) for d in deadlines],
    )
    _rows_under(out, "Watch rules (event data)", [(rule.id, text(rule.describe())) for rule in watches])
    _rows_under(
        out,
        "Changes",
        [
            (
                text(entry["at"].replace("T", " ")[:16]),
                text(entry["action"]),
                text(entry["summary"] + (" (undone)" if entry.get("undone") else "")),
                text(entry.get("note", "")),
            )
            for entry in history
        ],
    )


def _rows_under(out, heading: str, rows: list[tuple]) -> None:
    """A bold heading and its rows as a borderless grid, after a blank line; nothing without rows."""
    from rich.table import Table

    if not rows:
        return
    out.print()
    out.print(text(heading, style="bold"))
    grid = Table.grid(padding=(0, 2))
    for row in rows:
        grid.add_row(*row)
    out.print(grid)


def _event_grid(events):
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    short = ids.short_forms(e.id for e in events)
    for event in events:
        score = "" if event.score is None else f"{event.score:+g}"
        table.add_row(
            text(event.date),
            short[event.id],
            text(EFFECT_MARK[event.effect]),
            score,
            text(event.kind),
            text(event.title),
        )
    return table


def event_detail(event, dispute_titles: dict[str, str], code_name: str = "") -> None:
    """One event with its fields and the disputes it is linked to."""

    out = console()
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
    _heading_and_fields(out, event.title, rows, event.sources)
    if event.description:
        out.print()
        out.print(text(event.description, multiline=True))
