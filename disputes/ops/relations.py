"""Linking disputes to each other, and reading a dispute's links from its side."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from disputes.core import relation
from disputes.core.errors import InvalidValue
from disputes.core.jsontypes import JsonRecord
from disputes.core.relation import TABLE, TYPES
from disputes.ops import lookup
from disputes.store.database import Store


def link(store: Store, first: str, second: str, kind: str) -> JsonRecord:
    """Record that `first` <kind> `second`."""
    kind = relation.kind(kind)
    source, target = lookup.dispute_id(store, first), lookup.dispute_id(store, second)
    if source == target:
        raise InvalidValue("a dispute cannot be linked to itself")
    record_key = relation.key(source, kind, target)
    if store.record(TABLE, record_key) is not None:
        raise InvalidValue(f"dispute {source} already {TYPES[kind]} {target}")
    record = {"from": source, "type": kind, "to": target}
    store.put(TABLE, record_key, record)
    store.describe("link", f"{source} {TYPES[kind]} {target}")
    return record


def unlink(store: Store, first: str, second: str, kind: str | None = None) -> list[JsonRecord]:
    """Remove the links between two disputes (of one type, or all)."""
    a, b = lookup.dispute_id(store, first), lookup.dispute_id(store, second)
    kinds = [relation.kind(kind)] if kind else list(TYPES)
    gone = []
    for each in kinds:
        for record_key in {relation.key(a, each, b), relation.key(b, each, a)}:
            record = store.record(TABLE, record_key)
            if record is not None:
                store.remove(TABLE, record_key)
                gone.append(record)
    if not gone:
        raise InvalidValue(f"disputes {a} and {b} are not linked" + (f" as {kind}" if kind else ""))
    store.describe("unlink", f"unlinked {a} and {b}")
    return gone


def of(store: Store, dispute_id: str) -> list[JsonRecord]:
    """The links of one dispute, each read from its side: type, other id and title."""
    return of_each(store, [dispute_id])[dispute_id]


BY_ID = 200  # fewer linked disputes than this are read by id; more, with every dispute at once


def of_each(store: Store, dispute_ids: Iterable[str]) -> dict[str, list[JsonRecord]]:
    """The links of each of these disputes (read from its side), the relations read once;
    the other disputes' titles read by id (`show` on 10,000 disputes parses none of them)."""
    seen: dict[str, list[JsonRecord]] = {key: [] for key in dispute_ids}
    for record in store.records(TABLE).values():
        for dispute_id in {record["from"], record["to"]} & seen.keys():
            reads, other = relation.read_from(record, dispute_id)
            seen[dispute_id].append({"type": record["type"], "reads": reads, "id": other})
    others = {link["id"] for links in seen.values() for link in links}
    disputes: Mapping[str, JsonRecord | None] = (
        store.records("disputes") if len(others) > BY_ID else {key: store.record("disputes", key) for key in others}
    )
    for links in seen.values():
        for link in links:
            linked = disputes.get(link["id"]) or {}
            link["title"] = linked.get("title", "(deleted)")
            link["ref"] = linked.get("ref", "")  # what people know it by (DS512), in every format
    return {key: sorted(links, key=lambda r: (r["reads"], r["id"])) for key, links in seen.items()}
