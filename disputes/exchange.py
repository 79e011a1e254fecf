"""Data in and out: a whole store as JSON (and back), disputes as CSV or Markdown."""

from __future__ import annotations

import csv
import io

from disputes import events as event_rules, ids, model, relations
from disputes.dates import now, parse_date
from disputes.errors import InvalidValue
from disputes.events import Event
from disputes.migrations import SCHEMA
from disputes.model import Dispute
from disputes.store import Store

EXPORT_FORMAT = "disputes-export"
TABLES = ("disputes", "events", "relations", "history")
CSV_COLUMNS = ("id", "ref", "title", "status", "status_detail", "priority", "topic", "parties", "tags",
               "opened", "alerts", "sources", "summary", "created", "updated")


def export_store(store: Store) -> dict:
    """The whole store as one object: disputes, events, relations and history, in stable order."""
    data = {"format": EXPORT_FORMAT, "schema": SCHEMA}
    for table in TABLES:
        records = store.records(table)
        data[table] = [records[key] for key in sorted(records)]
    return data


def import_store(store: Store, data: dict) -> dict[str, int]:
    """Add an export (or a hand-written file of `disputes` and `events`) to the store.

    Ids of our own shape are kept where the store does not have them yet; otherwise (or for
    a hand-written id such as "gas") the record gets a new
    id and every reference to it (events, relations, history) follows. Records are
    validated like typed input; the first bad one stops the import with nothing written.
    """
    if not isinstance(data, dict) or not isinstance(data.get("disputes", []), list):
        raise InvalidValue("the file is not a disputes export: expected an object with a 'disputes' list")
    stamp = now()
    taken = set(store.records("disputes"))
    dispute_ids: dict[str, str] = {}
    disputes: dict[str, dict] = {}
    for number, record in enumerate(data.get("disputes", []), 1):
        dispute = _dispute(record, f"dispute {number}", stamp)
        old = dispute.id
        new = old if ids.is_ours(old) and old not in taken and old not in disputes else ids.new_id(taken | set(disputes))
        dispute_ids[old or f"#{number}"] = new
        disputes[new] = dispute.replace(id=new).to_dict()
    _check_refs(store, disputes)

    taken_events = set(store.records("events"))
    event_ids: dict[str, str] = {}
    events: dict[str, dict] = {}
    for number, record in enumerate(data.get("events", []), 1):
        event = _event(record, f"event {number}", stamp, dispute_ids, store)
        free = ids.is_ours(event.id) and event.id not in taken_events and event.id not in events
        new = event.id if free else ids.new_id(taken_events | set(events))
        event_ids[event.id] = new
        events[new] = Event.from_dict({**event.to_dict(), "id": new}).to_dict()

    links: dict[str, dict] = {}
    for number, record in enumerate(data.get("relations", []), 1):
        try:
            source, target = dispute_ids.get(record["from"], record["from"]), dispute_ids.get(record["to"], record["to"])
            kind = record["type"]
        except (KeyError, TypeError):
            raise InvalidValue(f"relation {number}: needs 'from', 'type' and 'to'") from None
        if kind not in relations.TYPES or not all(d in disputes or store.record("disputes", d) for d in (source, target)):
            raise InvalidValue(f"relation {number}: unknown type or dispute ({source} {kind} {target})")
        key = relations.key(source, kind, target)
        if store.record("relations", key) is None:
            links[key] = {"from": source, "type": kind, "to": target}

    store.insert_many("disputes", disputes)
    store.insert_many("events", events)
    store.insert_many("relations", links)
    history = _history(data.get("history", []), dispute_ids, event_ids, store)
    store.add_history(history)
    store.describe("import", f"imported {len(disputes)} disputes, {len(events)} events, "
                             f"{len(links)} relations")
    return {"disputes": len(disputes), "events": len(events), "relations": len(links), "history": len(history)}


def _dispute(record, where: str, stamp: str) -> Dispute:
    if not isinstance(record, dict):
        raise InvalidValue(f"{where} is not an object")
    try:
        fields = model.clean_fields({k: v for k, v in record.items() if k in model.EDITABLE or k == "status"})
        if "title" not in fields:
            raise InvalidValue("title must not be empty")
        history = tuple({"date": parse_date(s["date"]), "status": model.status(s["status"]), "note": s.get("note", "")}
                        for s in record.get("status_history", []))
    except (InvalidValue, KeyError, TypeError, AttributeError) as problem:
        raise InvalidValue(f"{where} ({record.get('id') or record.get('title', '?')}): {problem}") from None
    status = fields.get("status", "open")
    fields.setdefault("opened", "")
    history = history or ({"date": fields["opened"] or stamp[:10], "status": status, "note": ""},)
    return Dispute(id=str(record.get("id", "")).lower(), created=record.get("created", stamp),
                   updated=record.get("updated", stamp), status_history=history, **fields)


def _event(record, where: str, stamp: str, dispute_ids: dict[str, str], store: Store) -> Event:
    if not isinstance(record, dict):
        raise InvalidValue(f"{where} is not an object")
    linked = []
    for ref in record.get("disputes", []):
        if ref in dispute_ids:
            linked.append(dispute_ids[ref])
        elif store.record("disputes", ref) is not None:
            linked.append(ref)
        else:
            raise InvalidValue(f"{where} ({record.get('title', '?')}) names an unknown dispute {ref!r}")
    if not linked:
        raise InvalidValue(f"{where} ({record.get('title', '?')}) is linked to no dispute")
    given = {k: record[k] for k in ("date", "title", "description", "kind", "effect", "score", "code", "actors", "place", "sources") if k in record}
    try:
        fields = event_rules.clean_fields(given)
    except (InvalidValue, TypeError, AttributeError) as problem:
        raise InvalidValue(f"{where} ({record.get('title', '?')}): {problem}") from None
    if "date" not in fields or "title" not in fields:
        raise InvalidValue(f"{where}: an event needs a date and a title")
    return Event(id=str(record.get("id", "")).lower(), disputes=tuple(dict.fromkeys(linked)),
                 created=record.get("created", stamp), updated=record.get("updated", stamp), **fields)


def _check_refs(store: Store, disputes: dict[str, dict]) -> None:
    seen = {r["ref"].casefold(): k for k, r in store.records("disputes").items() if r.get("ref")}
    for key, record in disputes.items():
        ref = record["ref"].casefold()
        if ref and ref in seen:
            raise InvalidValue(f"reference {record['ref']!r} is already used by dispute {seen[ref]}")
        if ref:
            seen[ref] = key


def _history(entries, dispute_ids: dict[str, str], event_ids: dict[str, str], store: Store) -> dict[str, dict]:
    """History entries of the file, their references remapped; entries already present are skipped."""
    kept = {}
    rename = {"disputes": dispute_ids, "events": event_ids}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or "id" not in entry or store.record("history", entry["id"]) is not None:
            continue
        changes = []
        for change in entry.get("changes", []):
            table = change.get("table")
            mapping = rename.get(table, {})
            changes.append({**change, "id": mapping.get(change.get("id"), change.get("id")),
                            "before": _renamed(table, change.get("before"), dispute_ids, event_ids),
                            "after": _renamed(table, change.get("after"), dispute_ids, event_ids)})
        kept[entry["id"]] = {**entry, "changes": changes}
    return kept


def _renamed(table, record, dispute_ids, event_ids):
    if not isinstance(record, dict):
        return record
    if table == "disputes":
        return {**record, "id": dispute_ids.get(record.get("id"), record.get("id"))}
    if table == "events":
        return {**record, "id": event_ids.get(record.get("id"), record.get("id")),
                "disputes": [dispute_ids.get(d, d) for d in record.get("disputes", [])]}
    if table == "relations":
        return {**record, "from": dispute_ids.get(record.get("from"), record.get("from")),
                "to": dispute_ids.get(record.get("to"), record.get("to"))}
    return record


def disputes_csv(disputes: list[Dispute]) -> str:
    """Disputes as CSV, list fields joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for dispute in disputes:
        record = dispute.to_dict()
        writer.writerow(["; ".join(record[c]) if isinstance(record[c], list) else record[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def disputes_markdown(disputes: list[Dispute], events: list[Event]) -> str:
    """Disputes as a Markdown document: one section each, with its events."""
    from disputes.render_report import markdown_escape
    by_dispute: dict[str, list[Event]] = {}
    for event in sorted(events, key=lambda e: e.date):
        for dispute_id in event.disputes:
            by_dispute.setdefault(dispute_id, []).append(event)
    lines = ["# Disputes", ""]
    for dispute in disputes:
        lines += [f"## {markdown_escape(dispute.title)}", ""]
        facts = [("Id", dispute.id), ("Reference", dispute.ref), ("Status", dispute.status),
                 ("Status detail", dispute.status_detail), ("Priority", dispute.priority), ("Topic", dispute.topic),
                 ("Parties", ", ".join(dispute.parties)), ("Opened", dispute.opened), ("Tags", ", ".join(dispute.tags))]
        lines += [f"- **{name}:** {markdown_escape(value)}" for name, value in facts if value]
        lines += [f"- **Source:** {markdown_escape(source)}" for source in dispute.sources]
        if dispute.summary:
            lines += ["", markdown_escape(dispute.summary)]
        if by_dispute.get(dispute.id):
            lines += ["", "### Events", ""]
            lines += [f"- **{e.date}** ({e.effect}) {markdown_escape(e.title)}" for e in by_dispute[dispute.id]]
        lines.append("")
    return "\n".join(lines)
