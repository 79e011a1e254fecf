"""Links between disputes (relates to, part of, blocks, duplicates): their kinds and keys."""

from __future__ import annotations

from disputes.core import model

TABLE = "relations"
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
    return model.choice(value, TYPES, "relation")


def read_from(record: dict, dispute_id: str) -> tuple[str, str]:
    """How a link reads from one of its ends: (the words, the other dispute's id)."""
    if record["from"] == dispute_id:
        return TYPES[record["type"]], record["to"]
    return INVERSE[record["type"]], record["from"]
