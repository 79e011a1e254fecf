"""The one rule for JSON text that gives a key twice in one object: a parser keeps the last
value silently and the first is lost, so the store file and an imported file are refused."""

from __future__ import annotations

import json
from typing import NamedTuple


class RepeatedKey(NamedTuple):
    """A key given twice in one object, and what holds it: the object's `id` or `title`
    when it has one (a record), else "" (another object: the file's own, a table)."""

    key: str
    holder: str

    def where(self, otherwise: str) -> str:
        """Where the key is repeated, as a message says it (`otherwise`: an object that is not a record)."""
        return f"the record {self.holder!r}" if self.holder else otherwise


class _Found(Exception):
    def __init__(self, repeated: RepeatedKey):
        self.repeated = repeated


def _holder(items: list[tuple[str, object]]) -> str:
    named = dict(items)
    for name in ("id", "title"):
        value = named.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def _pairs(items: list[tuple[str, object]]) -> None:
    seen: set[str] = set()
    for key, _ in items:
        if key in seen:
            raise _Found(RepeatedKey(key, _holder(items)))
        seen.add(key)
    return None  # nothing is kept: the check costs the text, not a second copy of the records


def repeated_key(text: bytes | bytearray | memoryview | str) -> RepeatedKey | None:
    """The first key JSON text gives twice in one object, at any depth (None: none is).
    The text is known to parse (it was decoded already)."""
    try:
        json.loads(bytes(text) if not isinstance(text, str) else text, object_pairs_hook=_pairs)
    except _Found as found:
        return found.repeated
    return None
