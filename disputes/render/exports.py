"""Disputes written out for other tools: CSV for spreadsheets, Markdown for documents.
Every CSV cell goes through `csv_cells.neutral`: none is a formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from disputes.core.content import AgendaShown, DisputeShown, EventsListed
from disputes.core.csv_cells import neutral
from disputes.core.dates import MONTH_NAMES
from disputes.core.model import Dispute
from disputes.render.common import markdown_escape, with_roles

CSV_COLUMNS = (
    "id",
    "ref",
    "title",
    "status",
    "status_detail",
    "priority",
    "topic",
    "parties",
    "tags",
    "opened",
    "alerts",
    "sources",
    "summary",
    "created",
    "updated",
    "owner",
)


def disputes_csv(disputes: list[Dispute]) -> str:
    """Disputes as CSV, list fields joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for dispute in disputes:
        record = dispute.to_dict()
        writer.writerow([neutral("; ".join(v) if isinstance(v, list) else v) for v in map(record.get, CSV_COLUMNS)])
    return buffer.getvalue()


# the event fields the document shows: 100,000 events are read as these, never as whole records
MARKDOWN_EVENT_FIELDS = ("date", "effect", "title", "disputes")


def disputes_markdown(disputes: list[Dispute], events):
    """Disputes as a Markdown document, one section each with its events, as UTF-8 pieces
    to write one after the other. `events` are records with MARKDOWN_EVENT_FIELDS and may
    come as a stream: each is kept only as its line, under each dispute it names."""
    by_dispute: dict[str, list[tuple[str, str]]] = {}
    for event in events:
        line = f"- **{event['date']}** ({event['effect']}) {markdown_escape(event['title'])}"
        for dispute_id in event["disputes"]:
            by_dispute.setdefault(dispute_id, []).append((event["date"], line))
    yield b"# Disputes\n"
    for dispute in disputes:
        lines = ["", f"## {markdown_escape(dispute.title)}", "", *_facts(dispute)]
        if by_dispute.get(dispute.id):  # in date order; events of one date as they were read
            lines += ["", "### Events", ""]
            lines += [line for _, line in sorted(by_dispute[dispute.id], key=lambda pair: pair[0])]
        yield ("\n".join(lines) + "\n").encode()


def _facts(dispute: Dispute) -> list[str]:
    """A dispute's fields, sources and summary as Markdown lines (both Markdown writers' heading)."""
    facts = [
        ("Id", dispute.id),
        ("Reference", dispute.ref),
        ("Status", dispute.status),
        ("Status detail", dispute.status_detail),
        ("Priority", dispute.priority),
        ("Owner", dispute.owner),
        ("Topic", dispute.topic),
        ("Parties", with_roles(dispute.parties, dispute.roles)),
        ("Opened", dispute.opened),
        ("Tags", ", ".join(dispute.tags)),
    ]
    lines = [f"- **{name}:** {markdown_escape(value)}" for name, value in facts if value]
    lines += [f"- **Source:** {_source(source)}" for source in dispute.sources]
    return lines + (["", markdown_escape(dispute.summary)] if dispute.summary else [])


def _source(text: str) -> str:
    """A source for Markdown: a web address as a link (whole), anything else as text."""
    if text.startswith(("http://", "https://")) and " " not in text and ">" not in text:
        return f"<{text}>"
    return markdown_escape(text)


def dispute_markdown(shown: DisputeShown) -> str:
    """One dispute (`show`'s content) as Markdown to paste into an email or a note: its facts,
    bottom line, summary, status history, deadlines, forecasts (each with where it stands),
    watch rules, events, links and changes: the sections the terminal shows."""
    from disputes.core.content import change_said
    from disputes.core.steps import note_said, said
    from disputes.render.common import bottom_line_said
    from disputes.render.forecasts import state

    dispute, events, links, forecasts = shown.dispute, shown.events, shown.relations, shown.forecasts
    lines = [f"# {markdown_escape(dispute.title)}", "", *_facts(dispute)]
    judged = [
        f"- **Bottom line** ({markdown_escape(bottom_line_said(a.to_dict()))}): "
        f"{markdown_escape(' '.join(a.text.split()))}"
        for a in shown.judged
    ]
    lines += ["", *judged] if judged else []
    history = [
        f"- **{s['date']}** {markdown_escape(said(s))}" + (f": {markdown_escape(note_said(s))}" if s["note"] else "")
        for s in shown.status_steps
    ]
    dated = [
        f"- **{e.date}** ({e.effect}) {markdown_escape(e.title)}"
        + "".join(f" [{n}](<{s}>)" for n, s in enumerate(e.sources, 1) if s.startswith(("http://", "https://")))
        for e in events
    ]
    related = [
        f"- {markdown_escape(link['reads'])} {markdown_escape(link['title'])} ({markdown_escape(known_as)})"
        for link in links
        for known_as in [link.get("ref") or link["id"]]
    ]
    stated = [
        f"- **{f.by}** {markdown_escape(f.question)}: {state(f, now)}"
        + (f" ({markdown_escape(f.author)})" if f.author else "")
        for f, now in forecasts
    ]
    changed = [
        f"- **{e['at'].replace('T', ' ')[:16]}** {markdown_escape(e['action'])}: {markdown_escape(change_said(e))}"
        + (f" — {markdown_escape(e['note'])}" if e.get("note") else "")
        for e in shown.changes
    ]
    sections = [
        ("Status history", history),
        ("Forecasts", stated),
        *(
            (section.heading, [_markdown_line(*record.markdown_line()) for record in section.records])
            for section in shown.sections
        ),
        ("Events", dated),
        ("Related disputes", related),
        ("Changes", changed),
    ]
    for heading, items in sections:
        if items:
            lines += ["", f"## {heading}", "", *items]
    return "\n".join(lines) + "\n"


def timeline_markdown(listed: EventsListed) -> str:
    """Events across disputes as Markdown, by year and month, each naming its disputes (by
    ref, else short id), under the view in force."""
    view = listed.view
    lines, year, month = ["# Timeline", *(["", f"Disputes: {markdown_escape(view)}"] if view else [])], None, None
    for event in listed.rows:
        if event["date"][:4] != year:
            year, month = event["date"][:4], None
            lines += ["", f"## {year}"]
        if event["date"][:7] != month:
            month = event["date"][:7]
            name = MONTH_NAMES[int(month[5:7]) - 1] if len(month) == 7 else "During the year"
            lines += ["", f"### {name}", ""]
        linked = markdown_escape(", ".join(listed.named(event)))
        lines.append(f"- **{event['date']}** ({event['effect']}) {markdown_escape(event['title'])} [{linked}]")
    return "\n".join(lines) + "\n"


def _markdown_line(bold: str, text: str) -> str:
    return f"- **{markdown_escape(bold)}** {markdown_escape(text)}"


EVENT_CSV_COLUMNS = ("id", "date", "kind", "effect", "score", "disputes", "dispute_refs", "title")


def events_csv(listed: EventsListed) -> Iterator[str]:
    """`event list --format csv`: one row an event, written as they come, its disputes by id
    and as every listing names them (by ref, else short id), joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EVENT_CSV_COLUMNS)
    for number, event in enumerate(listed.rows):
        score = "" if event["score"] is None else f"{event['score']:g}"
        row = (event["id"], event["date"], event["kind"], event["effect"], score, "; ".join(event["disputes"]))
        writer.writerow([neutral(cell) for cell in (*row, "; ".join(listed.named(event)), event["title"])])
        if number % 1000 == 999:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def agenda_markdown(shown: AgendaShown) -> str:
    """`agenda --format md`: what is due as a Markdown table, each dispute by ref (else short
    id), under the view and filters in force."""
    from disputes.render.listings import agenda_rows

    lines = [
        f"# Agenda as of {shown.as_of}",
        *(["", f"Disputes: {markdown_escape(shown.chosen)}"] if shown.chosen else []),
    ]
    if not shown.items:
        return "\n".join([*lines, "", f"Nothing due as of {shown.as_of} or in the {shown.within} days after."]) + "\n"
    lines += ["", "| Date | Kind | When | Dispute | What |", "| --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(map(markdown_escape, row)) + " |" for row in agenda_rows(list(shown.items))]
    return "\n".join(lines) + "\n"
