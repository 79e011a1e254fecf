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

from disputes.core import frozen, model
from disputes.core import report as reporting
from disputes.core.errors import InvalidValue
from disputes.render import layout
from disputes.render.common import bottom_line_said, called, markdown_escape, shortened, status_said, versus
from disputes.render.layout import Line
from disputes.render.listings import AGENDA_COLUMNS, EFFECT_MARK, TREND_MARK, TREND_STYLE, agenda_rows
from disputes.render.output import paragraph, printable

FORMATS = ("terminal", "md", "html", "pdf", "svg", "json")


def _shown(rows: list, limit: int) -> tuple[list, int]:
    """The first `limit` rows (all with 0) and how many were left out."""
    return (rows, 0) if not limit or len(rows) <= limit else (rows[:limit], len(rows) - limit)


# the report's tables under the layout rule: id, title and parties never go; age, quiet,
# last event and priority go first
UNRESOLVED_COLUMNS = [
    layout.Column("ID", heading=True),
    layout.Column("REF", heading=True),
    layout.Column("TITLE", wrap=True, least=24, heading=True, comfort=44),  # titles first, before Age or Quiet
    layout.Column("STATUS", wrap=True, least=20, comfort=26),  # with its detail: never dropped, never a word a line
    layout.Column("PRIORITY", priority=3),
    layout.Column("PARTIES", wrap=True, least=10),
    layout.Column("AGE", priority=6, right=True),
    layout.Column("LAST EVENT", priority=4),
    layout.Column("QUIET", priority=5, right=True),
    layout.Column("TREND", priority=2),
]
STATUS, AGE, QUIET = 3, 6, 8  # their places in UNRESOLVED_COLUMNS
RECENT_COLUMNS = [
    layout.Column("DATE", heading=True),
    layout.Column("EFFECT", priority=2),
    layout.Column("EVENT", wrap=True, least=24, heading=True),
    layout.Column("DISPUTE"),
    layout.Column("ITS TITLE", wrap=True, least=16, priority=1),
]


def _unresolved_columns(rows: list[tuple]) -> list[layout.Column]:
    """The report's columns, the status never narrower than its longest word (a source's
    phrase such as CONSULTATIONS is never cut inside a word)."""
    longest = max((len(word) for row in rows for word in row[STATUS].split()), default=0)
    columns = list(UNRESOLVED_COLUMNS)
    columns[STATUS] = frozen.replace(columns[STATUS], least=max(columns[STATUS].least, longest))
    return columns


def _unresolved_row(row: dict, short: dict[str, str]) -> tuple:
    title = printable(row["title"]) + "".join(f" ⚑ {printable(alert)}" for alert in row["alerts"])
    title += f" (owner: {printable(row['owner'])})" if row.get("owner") else ""
    title += f" (stage: {printable(row['stage'])})" if row.get("stage") else ""
    quiet = "" if row["days_quiet"] is None else f"{row['days_quiet']:,}"
    return (
        short[row["id"]],
        printable(row["ref"]),
        title,
        printable(status_said(row)),
        row["priority"],
        printable(versus(row["parties"], row.get("roles", {}))),
        "" if row["age_days"] is None else f"{row['age_days']:,}",
        row["last_event"] or "—",
        (quiet + (" stale" if row["stale"] else ""), "yellow" if row["stale"] else ""),
        (TREND_MARK[_trend(row)], TREND_STYLE[_trend(row)]),
    )


def _trend(row: dict) -> str:
    return row.get("trend_shown", row["trend"])


def terminal(data: dict, width: int | None, limit: int = 0) -> list[Line]:
    """The report for a terminal `width` columns wide (None: piped, one record a line), as
    lines of styled segments (output.write_lines); tables show at most `limit` rows (0: all)."""
    lines = paragraph(f"Status report as of {data['as_of']}", width, "bold")
    if data.get("chosen"):
        lines += paragraph(f"Disputes: {data['chosen']}", width)
    said = f"window {data['window_days']} days · stale after {data['stale_after_days']} days quiet"
    lines += paragraph(said + (f" · store {data['store']}" if data["store"] else ""), width, "dim")
    lines.append([])
    total = max(data["total"], 1)
    counts: list[tuple] = [
        (status, str(count), ("█" * round(24 * count / total), "green" if status in model.FINAL else "cyan"))
        for status, count in data["counts"].items()
    ]
    counts.append((("total", "bold"), str(data["total"]), ""))
    lines += layout.table(COUNT_COLUMNS, counts, width, header=False)
    lines.append([])

    rows, hidden = _shown(data["unresolved"], limit)
    short = shortened(data)
    lines += _judged_lines(data["unresolved"], short, width)
    if rows:
        lines += _heading(f"Unresolved disputes ({data['unresolved_total']})", width)
        table_rows = [_unresolved_row(row, short) for row in rows]
        columns = _unresolved_columns(table_rows)
        age, quiet = AGE, QUIET
        if not any(row[1] for row in table_rows):  # no references at all: no empty REF column
            columns, table_rows = columns[:1] + columns[2:], [row[:1] + row[2:] for row in table_rows]
            age, quiet = AGE - 1, QUIET - 1
        lines += layout.table(columns, table_rows, width)
        if hidden:
            more = f"… and {hidden:,} more (highest priority first): --limit 0 shows all, `disputes list` lists them."
            lines += layout.paragraph(more, width, "yellow")
        kept = None if width is None else layout.fit(columns, table_rows, width)
        if kept is None or age in kept or quiet in kept:  # the footnote only for the columns it explains
            said = "Age and Quiet in days; Quiet counts days since the last event or status change."
            lines += layout.paragraph(said, width, "dim")
    else:
        lines.append([("No unresolved disputes.", "")])
    lines.append([])

    if data.get("due"):
        due, hidden = _shown(data["due"], limit)
        lines += _heading(f"Due ({len(data['due']):,})", width)
        due_rows = [
            tuple((printable(cell), "red" if cell == "overdue" else "") for cell in row) for row in agenda_rows(due)
        ]
        lines += layout.table(AGENDA_COLUMNS, due_rows, width)
        if hidden:
            lines += layout.paragraph(f"… and {hidden:,} more: `disputes agenda` lists them all.", width, "yellow")
        lines.append([])

    if data.get("forecasts"):
        from disputes.render.forecasts import report_lines

        lines += _heading(f"Open forecasts ({len(data['forecasts']):,})", width)
        columns = [
            layout.Column("BY"),
            layout.Column("DISPUTE"),
            layout.Column("QUESTION", wrap=True, least=20),
            layout.Column("STANDS AT", wrap=True, least=10),
        ]
        rows = [tuple((printable(cell), "") for cell in row) for row in report_lines(data["forecasts"])]
        lines += layout.table(columns, rows, width)
        lines.append([])

    lines += _heading(f"Recent events (last {data['window_days']} days)", width)
    recent, hidden = _shown(data["recent_events"], limit)
    if recent:
        titles = {**data.get("titles", {}), **{r["id"]: r["title"] for r in data["unresolved"]}}
        refs = {**data.get("refs", {}), **{r["id"]: r["ref"] for r in data["unresolved"] if r["ref"]}}
        disputes = shortened(data)
        event_rows = [
            (
                event["date"],
                (EFFECT_MARK[event["effect"]], ""),
                printable(event["title"]),
                printable(", ".join(called(d, refs.get(d, ""), disputes) for d in event.get("disputes", ()))),
                printable(titles.get(event["disputes"][0], "") if len(event.get("disputes", ())) == 1 else ""),
            )
            for event in recent
        ]
        lines += layout.table(RECENT_COLUMNS, event_rows, width)
        if hidden:
            more = f"… and {hidden:,} earlier events: `disputes timeline` shows them."
            lines += layout.paragraph(more, width, "yellow")
    else:
        lines.append([("None.", "dim")])
    lines.append([])
    breakdowns = []
    for key, heading in (("by_party", "Party"), ("by_topic", "Topic")):
        counted = [(printable(item["name"]), str(item["count"])) for item in data[key]]
        columns = [layout.Column(heading, wrap=True, least=12), layout.Column("Unresolved", right=True)]
        half = None if width is None else (width - layout.BESIDE_GAP) // 2
        table = list(layout.table(columns, counted, half))
        rule = [("─" * layout.width_of(table), "")]
        breakdowns.append([[(f"By {heading.lower()}", "bold")], *table[:1], rule, *table[1:]])
    return lines + layout.beside(breakdowns, width)


def _judged_lines(rows: list[dict], short: dict[str, str], width: int | None) -> list[Line]:
    """Key judgements: the bottom lines the report leads with, each with its dispute and who said it."""
    judged = reporting.judgements(rows)
    if not judged:
        return []
    lines = _heading("Key judgements", width)
    for row in judged:
        made = row["assessment"]
        said = f"{called(row['id'], row['ref'], short)} {row['title']}: {made['text']} ({bottom_line_said(made)})"
        lines += layout.paragraph(printable(" ".join(said.split())), width)
    lines.append([])
    return lines


# the counts by status: a status, its count, and a bar of its share (dropped first when narrow)
COUNT_COLUMNS = [layout.Column("", heading=True), layout.Column("", right=True), layout.Column("", priority=1)]


def _heading(said: str, width: int | None) -> list[Line]:
    return paragraph(said, width, "bold")


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
    judged = reporting.judgements(data["unresolved"])
    if judged:
        short = shortened(data)
        lines += ["## Key judgements", ""]
        lines += [
            f"- **{markdown_escape(called(r['id'], r['ref'], short))}** {markdown_escape(r['title'])}: "
            f"{markdown_escape(' '.join(r['assessment']['text'].split()))} "
            f"({markdown_escape(bottom_line_said(r['assessment']))})"
            for r in judged
        ]
        lines.append("")
    lines += [f"## Unresolved disputes ({data['unresolved_total']})", ""]
    if data["unresolved"]:
        lines += [
            "| ID | Ref | Title | Status | Priority | Parties | Age (days) | Last event | Quiet (days) | Trend |",
            "| --- | --- | --- | --- | --- | --- | ---: | --- | ---: | --- |",
        ]
        short = shortened(data)
        rows, hidden = _shown(data["unresolved"], limit)
        for row in rows:
            title = markdown_escape(row["title"]) + "".join(f" ⚑ {markdown_escape(a)}" for a in row["alerts"])
            title += f" (owner: {markdown_escape(row['owner'])})" if row.get("owner") else ""
            title += f" (stage: {markdown_escape(row['stage'])})" if row.get("stage") else ""
            quiet = "" if row["days_quiet"] is None else str(row["days_quiet"]) + (" (stale)" if row["stale"] else "")
            age = "" if row["age_days"] is None else row["age_days"]
            lines.append(
                f"| {short[row['id']]} | {markdown_escape(row['ref'])} | {title} | "
                f"{markdown_escape(status_said(row))} | {row['priority']} | "
                f"{markdown_escape(versus(row['parties'], row.get('roles', {})))} | {age} | "
                f"{row['last_event'] or '—'} | {quiet} | {TREND_MARK[_trend(row)]} |"
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
    if data.get("forecasts"):
        from disputes.render.forecasts import report_lines

        lines += ["", "## Open forecasts", "", "| By | Dispute | Question | Stands at |", "| --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(markdown_escape(c) for c in row) + " |" for row in report_lines(data["forecasts"])]
    lines += ["", f"## Recent events (last {data['window_days']} days)", ""]
    recent, hidden = _shown(data["recent_events"], limit)
    lines += [
        f"- **{e['date']}** {EFFECT_MARK[e['effect']]}: {markdown_escape(e['title'])}{_named_md(e, data)}"
        for e in recent
    ] or ["None."]
    if hidden:
        lines.append(f"- … and {hidden:,} earlier events.")
    for key, heading in (("by_party", "Party"), ("by_topic", "Topic")):
        lines += ["", f"## By {heading.lower()}", "", f"| {heading} | Unresolved |", "| --- | ---: |"]
        lines += [f"| {markdown_escape(item['name'])} | {item['count']} |" for item in data[key]]
    return "\n".join(lines) + "\n"


def _named_md(event: dict, data: dict) -> str:
    """The disputes an event is linked to, after it: ` — DS512 Recycling fee; 6xwz Gas`."""
    short = shortened(data)
    titles, refs = data.get("titles", {}), data.get("refs", {})
    named = [
        markdown_escape(" ".join(filter(None, (called(key, refs.get(key, ""), short), titles.get(key, "")))))
        for key in event["disputes"]
    ]
    return f" — {'; '.join(named)}" if named else ""


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
    for line in terminal(data, 120, limit):
        recorder.print(layout.rich_text(line), overflow="ignore", crop=False, soft_wrap=True)
    return recorder.export_svg(title=f"Status report as of {data['as_of']}", code_format=_svg_format())


def _svg_format() -> str:
    """Rich's SVG template without its web font: a file that loads nothing from the network
    (the viewer's monospace font draws it)."""
    from rich._export_format import CONSOLE_SVG_FORMAT

    return re.sub(r"@font-face \{\{.*?\}\}\s*", "", CONSOLE_SVG_FORMAT, flags=re.S)


def render(data: dict, fmt: str, limit: int = 0, briefs: Sequence[dict] = (), paper: str = "a4") -> str | bytes:
    """The report in one of the file formats (JSON always holds every row); the HTML page
    carries the `briefs` of `disputes.core.report.briefs`."""
    if fmt == "md":
        return markdown(data, limit)
    if fmt == "json":
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    if fmt in ("html", "pdf"):
        from disputes.render import briefing

        page = briefing.report(data, list(briefs), limit, paper)
        if fmt == "pdf":
            from disputes.render import pdf

            return pdf.from_html(page)
        return page
    if fmt == "svg":
        return recorded(data, limit)
    raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
