"""The monthly digest rendered: terminal, Markdown, HTML (a page of `briefing`) or JSON."""

from __future__ import annotations

import orjson

from disputes.core.errors import InvalidValue
from disputes.render.common import markdown_escape, quiet_line, shown, status_said
from disputes.render.html_page import bottom_line, page, source
from disputes.render.listings import EFFECT_MARK, TREND_MARK, TREND_STYLE, agenda_rows
from disputes.render.output import console, text
from disputes.render.svg import month_label, number, safe

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
            about.append(text(f"{status_said(entry)} · {', '.join(entry['parties'])} · {_reason(entry)}"))
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
            f"- {TREND_MARK[name][0]} **{markdown_escape(_name(e))}** ({markdown_escape(status_said(e))}): "
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
        page = html(data)
        if fmt == "pdf":
            from disputes.render import pdf

            return pdf.from_html(page)
        return page
    raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def html(data: dict) -> str:
    """The monthly digest as a standalone page."""
    month = month_label(data["month"], long=True)
    chosen = f'<p class="chosen">Disputes: {safe(data["chosen"])}</p>' if data.get("chosen") else ""
    body = [f"<header><h1>Digest: {month}</h1>{chosen}</header>"]
    for name, heading in (("deteriorated", "Deteriorated"), ("improved", "Improved"), ("unchanged", "Unchanged")):
        listed, quiet = shown(data, name)
        body += [f'<section id="{name}">', f'<h2 class="{name}">{heading}</h2>']
        body += [_digest_entry(e) for e in listed] or ([] if quiet else ['<p class="note">None.</p>'])
        body += [f'<p class="note">{quiet_line(quiet)}</p>'] if quiet else []
        body.append("</section>")
    ahead = data["ahead"]
    body += ['<section id="ahead">', f"<h2>{month_label(ahead['month'], long=True)} ahead</h2>"]
    items = [f"<li>{_html_name(a)}: <span class='alert'>⚑ {safe(a['alert'])}</span></li>" for a in ahead["alerts"]]
    items += [f"<li>{' · '.join(safe(c) for c in row)}</li>" for row in agenda_rows(ahead["due"])]
    body += ["<ul>", *items, "</ul>"] if items else ['<p class="note">No alerts, deadlines or reviews.</p>']
    body.append("</section>")
    for key, heading in (("opened", "Opened"), ("ended", "Ended")):
        body += [f'<section id="{key}">', f"<h2>{heading} in {month}</h2>"]
        entries: list[str] = [
            f"<li>{_html_name(e)}" + (f" — {safe(e['status'])} on {safe(e['date'])}" if "date" in e else "") + "</li>"
            for e in data[key]
        ]
        body += ["<ul>", *entries, "</ul>"] if entries else ['<p class="note">None.</p>']
        body.append("</section>")
    return page(f"Digest: {month}", body)


def _html_name(entry: dict) -> str:
    return f"<strong>{safe(entry['title'])}</strong> <code>{safe(entry['ref'] or entry['id'])}</code>"


def _digest_entry(entry: dict) -> str:
    reason = entry["reason"]
    if reason:
        sources = ", ".join(source(s) for s in reason["sources"])
        because = (
            f"<p>{safe(reason['date'])}: {safe(reason['title'])} "
            f'<span class="{reason["effect"]}">({EFFECT_MARK[reason["effect"]]})</span>'
            + (f' <span class="note">— {sources}</span>' if sources else "")
            + "</p>"
        )
    else:
        because = '<p class="note">No events recorded this month.</p>'

    return (
        f"<article><h3>{safe(entry['title'])}</h3>"
        f'<p class="meta"><code>{safe(entry["ref"] or entry["id"])}</code> · {safe(status_said(entry))} · '
        f"{safe(', '.join(entry['parties']))} · {entry['events']:,} event{'s' * (entry['events'] != 1)}</p>"
        f"{bottom_line(entry.get('assessment'))}{because}</article>"
    )
