"""The status report rendered: for the terminal (Rich), and as Markdown, HTML, SVG or JSON.

HTML is the briefing page of `briefing`; SVG is a recording of the terminal view at a
fixed size, whatever the environment says. User text is escaped in every format: Rich
Text for the terminal and the recording, explicit escaping for Markdown and HTML.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import orjson

from disputes.core import ids, model
from disputes.core.errors import InvalidValue
from disputes.render import layout
from disputes.render.common import markdown_escape, versus
from disputes.render.output import printable, text
from disputes.render.views import AGENDA_COLUMNS, EFFECT_MARK, TREND_MARK, TREND_STYLE, agenda_rows

FORMATS = ("terminal", "md", "html", "pdf", "svg", "json")


def _shown(rows: list, limit: int) -> tuple[list, int]:
    """The first `limit` rows (all with 0) and how many were left out."""
    return (rows, 0) if not limit or len(rows) <= limit else (rows[:limit], len(rows) - limit)


# the report's tables under the layout rule: id, title and parties never go; age, quiet,
# last event and priority go first
UNRESOLVED_COLUMNS = [
    layout.Column("ID", heading=True),
    layout.Column("TITLE", wrap=True, least=24, heading=True),
    layout.Column("STATUS", priority=1),
    layout.Column("PRIORITY", priority=3),
    layout.Column("PARTIES", wrap=True, least=14),
    layout.Column("AGE", priority=6, right=True),
    layout.Column("LAST EVENT", priority=4),
    layout.Column("QUIET", priority=5, right=True),
    layout.Column("TREND", priority=2),
]
RECENT_COLUMNS = [
    layout.Column("DATE", heading=True),
    layout.Column("EFFECT", priority=2),
    layout.Column("EVENT", wrap=True, least=24, heading=True),
    layout.Column("DISPUTE"),
    layout.Column("OF DISPUTE", wrap=True, least=16, priority=1),
]


def _unresolved_row(row: dict, short: dict[str, str]) -> tuple:
    title = printable(row["title"]) + "".join(f" ⚑ {printable(alert)}" for alert in row["alerts"])
    quiet = "" if row["days_quiet"] is None else f"{row['days_quiet']:,}"
    return (
        short[row["id"]],
        title,
        row["status"],
        row["priority"],
        printable(versus(row["parties"], row.get("roles", {}))),
        "" if row["age_days"] is None else f"{row['age_days']:,}",
        row["last_event"] or "—",
        (quiet + (" stale" if row["stale"] else ""), "yellow" if row["stale"] else ""),
        (TREND_MARK[row["trend"]], TREND_STYLE[row["trend"]]),
    )


def _print_lines(out, lines) -> None:
    for line in lines:
        out.print(layout.rich_text(line), overflow="ignore", crop=False, soft_wrap=True)


def terminal(data: dict, out, limit: int = 0) -> None:
    """Print the report on a Rich console; tables show at most `limit` rows (0: all)."""
    from rich import box
    from rich.columns import Columns
    from rich.table import Table

    out.print(text(f"Status report as of {data['as_of']}", style="bold"))
    if data.get("chosen"):
        out.print(text(f"Disputes: {data['chosen']}"))
    out.print(
        text(
            f"window {data['window_days']} days · stale after {data['stale_after_days']} days quiet"
            + (f" · store {data['store']}" if data["store"] else ""),
            style="dim",
        )
    )
    out.print()
    total = max(data["total"], 1)
    counts = Table.grid(padding=(0, 2))
    counts.add_column()
    counts.add_column(justify="right")
    counts.add_column()
    for status, count in data["counts"].items():
        bar = "█" * round(24 * count / total) if count else ""
        counts.add_row(text(status), str(count), text(bar, style="green" if status in model.FINAL else "cyan"))
    counts.add_row(text("total", style="bold"), str(data["total"]), "")
    out.print(counts)
    out.print()

    rows, hidden = _shown(data["unresolved"], limit)
    if rows:
        short = ids.short_forms(r["id"] for r in data["unresolved"])
        out.print(text(f"Unresolved disputes ({data['unresolved_total']})", style="bold"))
        _print_lines(out, layout.table(UNRESOLVED_COLUMNS, [_unresolved_row(row, short) for row in rows], out.width))
        if hidden:
            out.print(
                text(
                    f"… and {hidden:,} more (highest priority first): --limit 0 shows all, `disputes list` lists them.",
                    style="yellow",
                )
            )
        out.print(text("Age and Quiet in days; Quiet counts days since the last event or status change.", style="dim"))
    else:
        out.print("No unresolved disputes.")
    out.print()

    if data.get("due"):
        due, hidden = _shown(data["due"], limit)
        out.print(text(f"Due ({len(data['due']):,})", style="bold"))
        due_rows = [
            tuple((printable(cell), "red" if cell == "overdue" else "") for cell in row) for row in agenda_rows(due)
        ]
        _print_lines(out, layout.table(AGENDA_COLUMNS, due_rows, out.width))
        if hidden:
            out.print(text(f"… and {hidden:,} more: `disputes agenda` lists them all.", style="yellow"))
        out.print()

    out.print(text(f"Recent events (last {data['window_days']} days)", style="bold"))
    recent, hidden = _shown(data["recent_events"], limit)
    if recent:
        titles = {r["id"]: r["title"] for r in data["unresolved"]}
        disputes = ids.short_forms({d for e in recent for d in e.get("disputes", ())} | set(titles))
        event_rows = [
            (
                event["date"],
                (EFFECT_MARK[event["effect"]], ""),
                printable(event["title"]),
                printable(", ".join(disputes[d] for d in event.get("disputes", ()))),
                printable(titles.get(event["disputes"][0], "") if len(event.get("disputes", ())) == 1 else ""),
            )
            for event in recent
        ]
        _print_lines(out, layout.table(RECENT_COLUMNS, event_rows, out.width))
        if hidden:
            out.print(text(f"… and {hidden:,} earlier events: `disputes timeline` shows them.", style="yellow"))
    else:
        out.print(text("None.", style="dim"))
    out.print()
    breakdowns = []
    for key, heading in (("by_party", "Party"), ("by_topic", "Topic")):
        table = Table(
            heading,
            "Unresolved",
            title=f"By {heading.lower()}",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            title_style="bold",
            pad_edge=False,
        )
        for item in data[key]:
            table.add_row(text(item["name"]), str(item["count"]))
        breakdowns.append(table)
    out.print(Columns(breakdowns, padding=(0, 4)))


def markdown(data: dict, limit: int = 0) -> str:
    """The report as Markdown that pastes cleanly into a wiki or an email."""
    lines = [
        f"# Status report as of {data['as_of']}",
        "",
        f"Window {data['window_days']} days; stale after {data['stale_after_days']} days quiet.",
        "",
        *([f"Disputes: {markdown_escape(data['chosen'])}", ""] if data.get("chosen") else []),
        "## Disputes by status",
        "",
        "| Status | Count |",
        "| --- | ---: |",
    ]
    lines += [f"| {status} | {count} |" for status, count in data["counts"].items()]
    lines += [f"| **total** | **{data['total']}** |", ""]
    lines += [f"## Unresolved disputes ({data['unresolved_total']})", ""]
    if data["unresolved"]:
        lines += [
            "| ID | Title | Status | Priority | Parties | Age (days) | Last event | Quiet (days) | Trend |",
            "| --- | --- | --- | --- | --- | ---: | --- | ---: | --- |",
        ]
        short = ids.short_forms(r["id"] for r in data["unresolved"])
        rows, hidden = _shown(data["unresolved"], limit)
        for row in rows:
            title = markdown_escape(row["title"]) + "".join(f" ⚑ {markdown_escape(a)}" for a in row["alerts"])
            quiet = "" if row["days_quiet"] is None else str(row["days_quiet"]) + (" (stale)" if row["stale"] else "")
            age = "" if row["age_days"] is None else row["age_days"]
            lines.append(
                f"| {short[row['id']]} | {title} | {row['status']} | {row['priority']} | "
                f"{markdown_escape(versus(row['parties'], row.get('roles', {})))} | {age} | "
                f"{row['last_event'] or '—'} | {quiet} | {TREND_MARK[row['trend']]} |"
            )
        if hidden:
            lines += ["", f"… and {hidden:,} more."]
    else:
        lines.append("None.")
    if data.get("due"):
        lines += ["", "## Due", "", "| Date | Kind | When | Dispute | What |", "| --- | --- | --- | --- | --- |"]
        due, hidden = _shown(data["due"], limit)
        lines += ["| " + " | ".join(markdown_escape(cell) for cell in row) + " |" for row in agenda_rows(due)]
        lines += [f"\n… and {hidden:,} more." if hidden else ""]
    lines += ["", f"## Recent events (last {data['window_days']} days)", ""]
    recent, hidden = _shown(data["recent_events"], limit)
    lines += [f"- **{e['date']}** {EFFECT_MARK[e['effect']]}: {markdown_escape(e['title'])}" for e in recent] or [
        "None."
    ]
    if hidden:
        lines.append(f"- … and {hidden:,} earlier events.")
    for key, heading in (("by_party", "Party"), ("by_topic", "Topic")):
        lines += ["", f"## By {heading.lower()}", "", f"| {heading} | Unresolved |", "| --- | ---: |"]
        lines += [f"| {markdown_escape(item['name'])} | {item['count']} |" for item in data[key]]
    return "\n".join(lines) + "\n"


def recorded(data: dict, limit: int = 0) -> str:
    """The terminal view recorded as SVG, 120 columns wide in true colour; the environment
    (TERM=dumb, COLUMNS, NO_COLOR) is not consulted, so every machine writes the same file."""
    from rich.console import Console

    recorder = Console(
        record=True,
        file=io.StringIO(),
        width=120,
        height=50,
        force_terminal=True,
        color_system="truecolor",
        no_color=False,
        highlight=False,
        emoji=False,
        _environ={},
    )
    terminal(data, recorder, limit)
    return recorder.export_svg(title=f"Status report as of {data['as_of']}", code_format=_svg_format())


def _svg_format() -> str:
    """Rich's SVG template without its web font: a file that loads nothing from the network
    (the viewer's monospace font draws it)."""
    from rich._export_format import CONSOLE_SVG_FORMAT

    return re.sub(r"@font-face \{\{.*?\}\}\s*", "", CONSOLE_SVG_FORMAT, flags=re.S)


def render(data: dict, fmt: str, limit: int = 0, briefs: Sequence[dict] = ()) -> str | bytes:
    """The report in one of the file formats (JSON always holds every row); the HTML page
    carries the `briefs` of `disputes.core.report.briefs`."""
    if fmt == "md":
        return markdown(data, limit)
    if fmt == "json":
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    if fmt in ("html", "pdf"):
        from disputes.render import briefing

        page = briefing.report(data, list(briefs), limit)
        if fmt == "pdf":
            from disputes.render import pdf

            return pdf.from_html(page)
        return page
    if fmt == "svg":
        return recorded(data, limit)
    raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
