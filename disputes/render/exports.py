"""Disputes written out for other tools: CSV for spreadsheets, Markdown for documents."""

from __future__ import annotations

import csv
import io

from disputes.core.model import Dispute
from disputes.render.report import markdown_escape

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
)


def disputes_csv(disputes: list[Dispute]) -> str:
    """Disputes as CSV, list fields joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for dispute in disputes:
        record = dispute.to_dict()
        writer.writerow(["; ".join(record[c]) if isinstance(record[c], list) else record[c] for c in CSV_COLUMNS])
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
        lines = ["", f"## {markdown_escape(dispute.title)}", ""]
        facts = [
            ("Id", dispute.id),
            ("Reference", dispute.ref),
            ("Status", dispute.status),
            ("Status detail", dispute.status_detail),
            ("Priority", dispute.priority),
            ("Topic", dispute.topic),
            ("Parties", ", ".join(dispute.parties)),
            ("Opened", dispute.opened),
            ("Tags", ", ".join(dispute.tags)),
        ]
        lines += [f"- **{name}:** {markdown_escape(value)}" for name, value in facts if value]
        lines += [f"- **Source:** {markdown_escape(source)}" for source in dispute.sources]
        if dispute.summary:
            lines += ["", markdown_escape(dispute.summary)]
        if by_dispute.get(dispute.id):  # in date order; events of one date as they were read
            lines += ["", "### Events", ""]
            lines += [line for _, line in sorted(by_dispute[dispute.id], key=lambda pair: pair[0])]
        yield ("\n".join(lines) + "\n").encode()
