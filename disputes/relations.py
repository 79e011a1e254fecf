"""Links between disputes (relates to, part of, blocks, duplicates), seen from both sides."""

from __future__ import annotations

from disputes import model, register
from disputes.errors import InvalidValue
from disputes.store import Store

TABLE = "relations"
# each type, with how it reads from the other side
TYPES = {"relates": "relates to", "part-of": "part of", "blocks": "blocks", "duplicates": "duplicates"}
INVERSE = {"relates": "relates to", "part-of": "has part", "blocks": "blocked by", "duplicates": "duplicated by"}


def key(source: str, kind: str, target: str) -> str:
    if kind == "relates":  # symmetric: one record whichever way it was typed
        source, target = sorted((source, target))
    return f"{source}:{kind}:{target}"


def _kind(value: str) -> str:
    return model.choice(value, TYPES, "relation")


def link(store: Store, first: str, second: str, kind: str) -> dict:
    """Record that `first` <kind> `second`."""
    kind = _kind(kind)
    source, target = register.find_id(store, first), register.find_id(store, second)
    if source == target:
        raise InvalidValue("a dispute cannot be linked to itself")
    record_key = key(source, kind, target)
    if store.record(TABLE, record_key) is not None:
        raise InvalidValue(f"dispute {source} already {TYPES[kind]} {target}")
    record = {"from": source, "type": kind, "to": target}
    store.put(TABLE, record_key, record)
    store.describe("link", f"{source} {TYPES[kind]} {target}")
    return record


def unlink(store: Store, first: str, second: str, kind: str | None = None) -> list[dict]:
    """Remove the links between two disputes (of one type, or all)."""
    a, b = register.find_id(store, first), register.find_id(store, second)
    kinds = [_kind(kind)] if kind else list(TYPES)
    gone = []
    for each in kinds:
        for record_key in {key(a, each, b), key(b, each, a)}:
            record = store.record(TABLE, record_key)
            if record is not None:
                store.remove(TABLE, record_key)
                gone.append(record)
    if not gone:
        raise InvalidValue(f"disputes {a} and {b} are not linked" + (f" as {kind}" if kind else ""))
    store.describe("unlink", f"unlinked {a} and {b}")
    return gone


def of(store: Store, dispute_id: str) -> list[dict]:
    """The links of one dispute, each read from its side: type, other id and title."""
    disputes = store.records("disputes")
    seen = []
    for record in store.records(TABLE).values():
        if dispute_id not in (record["from"], record["to"]):
            continue
        outgoing = record["from"] == dispute_id
        other = record["to"] if outgoing else record["from"]
        reads = TYPES[record["type"]] if outgoing else INVERSE[record["type"]]
        title = disputes.get(other, {}).get("title", "(deleted)")
        seen.append({"type": record["type"], "reads": reads, "id": other, "title": title})
    return sorted(seen, key=lambda r: (r["reads"], r["id"]))


def remove_all(store: Store, dispute_id: str) -> int:
    """Drop every link of a dispute (when it is deleted)."""
    keys = [k for k, r in store.records(TABLE).items() if dispute_id in (r["from"], r["to"])]
    for record_key in keys:
        store.remove(TABLE, record_key)
    return len(keys)
