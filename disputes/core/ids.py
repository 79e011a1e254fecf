"""Record ids: random, short to type, safe to merge, found by any unambiguous prefix."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Container, Iterable
from typing import cast

# Crockford's base32 without i, l, o, u: nothing to misread when typing an id.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
LENGTH = 10  # 50 random bits: two copies of a store edited apart will not collide
SHORT = 4  # the fewest characters shown for an id in a listing


def new_id(taken: Container[str] = ()) -> str:
    """A fresh random id, not among `taken`."""
    while True:  # 256 is a multiple of 32, so `byte & 31` picks each letter evenly
        candidate = "".join(ALPHABET[byte & 31] for byte in os.urandom(LENGTH))
        if candidate not in taken:
            return candidate


def derived(name: str) -> str:
    """The id of a record named elsewhere (an event's reference in its source, "gdelt:498552812"):
    the same in every copy of a store, so two clones importing one file make one event."""
    import hashlib

    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()  # a damaged row's bytes too
    return "".join(ALPHABET[byte & 31] for byte in digest[:LENGTH])


def is_ours(text: str) -> bool:
    """Whether `text` has the shape of an id this program makes (hand-written ones do not)."""
    return len(text) == LENGTH and not text.strip(ALPHABET)  # nothing left once the alphabet is stripped


def matching(prefix: str, ids: Iterable[str]) -> list[str]:
    """The ids that start with `prefix` (case-insensitive)."""
    wanted = prefix.strip().lower()
    return [record_id for record_id in ids if record_id.startswith(wanted)]


def resolve(text: str, records: Container[str], what: str, listing: str, candidates: list[str] | None = None) -> str:
    """The one id that `text` names in `records`: the id itself, else the only candidate
    (by default the ids it prefixes); NotFound or Ambiguous otherwise."""
    from disputes.core.errors import Ambiguous, InvalidValue, NotFound

    wanted = text.strip().lower()
    if not wanted:
        article = "an" if what[0] in "aeiou" else "a"
        kinds = "id, id prefix or reference" if what == "dispute" else "id or id prefix"
        raise InvalidValue(f"give {article} {what} {kinds} (it was empty)")
    if wanted in records:
        return wanted
    if candidates is None:  # a container that cannot list its ids comes with its candidates
        candidates = matching(wanted, cast(Iterable[str], records))
    if not candidates:
        raise NotFound(f"no {what} matches {text!r}: see `{listing}` for ids")
    if len(candidates) > 1:
        shown = ", ".join(sorted(candidates)[:5])
        raise Ambiguous(f"{text!r} matches {len(candidates)} {what}s ({shown}): type more of the id")
    return candidates[0]


def short_forms(ids: Iterable[str]) -> dict[str, str]:
    """The shortest prefix (at least SHORT characters) that tells each id from all others."""
    result: dict[str, str] = {}
    pending = list(ids)
    length = SHORT
    while pending:
        counts = Counter(record_id[:length] for record_id in pending)
        unique = [i for i in pending if counts[i[:length]] == 1 or len(i) <= length]
        result.update((i, i[:length]) for i in unique)
        pending = [i for i in pending if i not in result]
        length += 1
    return result
