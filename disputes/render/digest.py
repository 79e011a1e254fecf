"""The monthly digest rendered: terminal, Markdown, HTML (a page of `briefing`) or JSON."""

from __future__ import annotations

import orjson

from disputes.core.errors import InvalidValue
from disputes.render.common import markdown_escape, quiet_line, shown
from disputes.render.output import console, text
from disputes.render.svg import month_label, number
from disputes.render.views import EFFECT_MARK, TREND_MARK, TREND_STYLE, agenda_rows

FORMATS = ("terminal", "md", "html", "pdf", "json")
HEADINGS = {"deteriorated": "Deteriorated", "improved": "Improved", "unchanged": "Unchanged"}


def _name(entry: dict) -> str:
    return f"{entry['title']} [{entry['ref'] or entry['id']}]"


def _reason(entry: dict) -> str:
    reason = entry["reason"]
    if not reason:
        return "no events recorded this month"
    score = f" {number(reason['score'])}" if reason["score"] is not None else ""
    many = f" (1 of {entry['events']} events)" if entry["events"] > 1 else ""
    return f"{reason['date']} {EFFECT_MARK[reason['effect']]}{score}: {reason['title']}{many}"


def _ahead(data: dict) -> list[str]:
    ahead = data["ahead"]
    lines = [f"{_name(a)}: ⚑ {a['alert']}" for a in ahead["alerts"]]
    return lines + [" · ".join(row) for row in agenda_rows(ahead["due"])]


def _ended(entry: dict) -> str:
    return f"{_name(entry)}: {entry['status']} on {entry['date']}" + (f" ({entry['note']})" if entry["note"] else "")


def terminal(data: dict) -> None:
    from rich.table import Table

    out = console()
    month = month_label(data["month"], long=True)
    out.print(text(f"Digest: {month}", style="bold"))
    if data.get("chosen"):
        out.print(text(f"Disputes: {data['chosen']}"))
    for name, heading in HEADINGS.items():
        out.print()
        out.print(text(f"{heading} ({len(data[name])})", style=f"bold {TREND_STYLE[name]}".strip()))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column()
        entries, quiet = shown(data, name)
        for entry in entries:
            about = text(_name(entry), style=f"bold {TREND_STYLE[name]}".strip())
            about.append("\n")
            about.append(text(f"{entry['status']} · {', '.join(entry['parties'])} · {_reason(entry)}"))
            if entry.get("assessment"):
                about.append("\n")
                about.append(text(f"Bottom line: {entry['assessment']['text']}"))
            grid.add_row(text(TREND_MARK[name][0], style=TREND_STYLE[name]), about)
        out.print(grid if entries else text("  none" if not quiet else "", style="dim"))
        if quiet:
            out.print(text(f"  {quiet_line(quiet)}", style="dim"))
    for heading, lines in (
        (f"{month_label(data['ahead']['month'], long=True)} ahead", _ahead(data)),
        (f"Opened in {month}", [_name(e) for e in data["opened"]]),
        (f"Ended in {month}", [_ended(e) for e in data["ended"]]),
    ):
        out.print()
        out.print(text(heading, style="bold"))
        for line in lines or ["none"]:
            out.print(text(f"  {line}", style="" if lines else "dim"))


def markdown(data: dict) -> str:
    month = month_label(data["month"], long=True)
    lines = [f"# Digest: {month}"]
    if data.get("chosen"):
        lines += ["", f"Disputes: {markdown_escape(data['chosen'])}"]
    for name, heading in HEADINGS.items():
        lines += ["", f"## {heading}", ""]
        entries, quiet = shown(data, name)
        lines += [
            f"- {TREND_MARK[name][0]} **{markdown_escape(_name(e))}** ({markdown_escape(e['status'])}): "
            f"{markdown_escape(_reason(e))}"
            + (f" Bottom line: {markdown_escape(e['assessment']['text'])}" if e.get("assessment") else "")
            for e in entries
        ] or ([] if quiet else ["None."])
        lines += [f"- {quiet_line(quiet)}"] if quiet else []
    for heading, items in (
        (f"{month_label(data['ahead']['month'], long=True)} ahead", _ahead(data)),
        (f"Opened in {month}", [_name(e) for e in data["opened"]]),
        (f"Ended in {month}", [_ended(e) for e in data["ended"]]),
    ):
        lines += ["", f"## {heading}", ""]
        lines += [f"- {markdown_escape(item)}" for item in items] or ["None."]
    return "\n".join(lines) + "\n"


def render(data: dict, fmt: str) -> str | bytes:
    if fmt == "md":
        return markdown(data)
    if fmt == "json":
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    if fmt in ("html", "pdf"):
        from disputes.render import briefing

        page = briefing.digest(data)
        if fmt == "pdf":
            from disputes.render import pdf

            return pdf.from_html(page)
        return page
    raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
