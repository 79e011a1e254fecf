"""Links between disputes (relates to, part of, blocks, duplicates): their kinds and keys."""

from __future__ import annotations

from disputes.core.fields import choice, shown
from disputes.core.jsontypes import JsonRecord

TABLE = "relations"
FIELDS = ("from", "type", "to")  # a link is its ends and its type
# each type, with how it reads from the other side
TYPES = {"relates": "relates to", "part-of": "part of", "blocks": "blocks", "duplicates": "duplicates"}
INVERSE = {"relates": "relates to", "part-of": "has part", "blocks": "blocked by", "duplicates": "duplicated by"}


def key(source: str, kind: str, target: str) -> str:
    """The record key of a link; a symmetric link has one key whichever way it was typed."""
    if kind == "relates":
        source, target = sorted((source, target))
    return f"{source}:{kind}:{target}"


def kind(value: str) -> str:
    """A link type as the user typed it, validated."""
    return choice(value, TYPES, "relation")


def read_from(record: JsonRecord, dispute_id: str) -> tuple[str, str]:
    """How a link reads from one of its ends: (the words, the other dispute's id)."""
    if record["from"] == dispute_id:
        return TYPES[record["type"]], record["to"]
    return INVERSE[record["type"]], record["from"]


def record_problems(record_key: str, record: object) -> list[str]:
    """What is wrong with a stored link, by the same rules as typed input."""
    if not isinstance(record, dict) or not all(isinstance(record.get(end), str) for end in ("from", "type", "to")):
        return [f"relation {record_key} needs 'from', 'type' and 'to' (dispute ids and a link type)"]
    if record["type"] not in TYPES:
        return [f"relation {record_key} has an unknown type {shown(record['type'])}"]
    if record_key != key(record["from"], record["type"], record["to"]):
        return [f"relation {record_key} is stored under another key than its ends and type give"]
    return []
