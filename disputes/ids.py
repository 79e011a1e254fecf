"""Record ids: random, short to type, safe to merge, found by any unambiguous prefix."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable

# Crockford's base32 without i, l, o, u: nothing to misread when typing an id.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
LENGTH = 10  # 50 random bits: two copies of a store edited apart will not collide
SHORT = 4  # the fewest characters shown for an id in a listing


def new_id(taken: Collection[str] = ()) -> str:
    """A fresh random id, not among `taken`."""
    while True:
        candidate = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if candidate not in taken:
            return candidate


def is_ours(text: str) -> bool:
    """Whether `text` has the shape of an id this program makes (hand-written ones do not)."""
    return len(text) == LENGTH and all(ch in ALPHABET for ch in text)


def matching(prefix: str, ids: Iterable[str]) -> list[str]:
    """The ids that start with `prefix` (case-insensitive)."""
    wanted = prefix.strip().lower()
    return [record_id for record_id in ids if record_id.startswith(wanted)]


def short_forms(ids: Iterable[str]) -> dict[str, str]:
    """The shortest prefix (at least SHORT characters) that tells each id from all others."""
    ordered = sorted(ids)
    result = {}
    for index, record_id in enumerate(ordered):
        length = SHORT
        for neighbour in (ordered[index - 1] if index else "", ordered[index + 1] if index + 1 < len(ordered) else ""):
            common = 0
            while common < min(len(record_id), len(neighbour)) and record_id[common] == neighbour[common]:
                common += 1
            length = max(length, common + 1)
        result[record_id] = record_id[:length]
    return result
