"""The keys a segment holds, as a Bloom filter in its meta line (docs/storage.md).

Finding one event by its id among a register's segments meant checking every segment's
section against its CRC-32 (all of the events read, and mapped) only to learn that a new id
was free. A segment's meta line, which the manifest's checksum vouches for, carries a filter
of its keys: a segment whose filter says no does not hold the key, and is not opened. A
filter says yes for about one key in a hundred it does not hold; those are looked up.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any

_BITS_PER_KEY = 10  # one false yes in about a hundred, with seven probes
_PROBES = 7


def filter_of(keys: Iterable[str]) -> str:
    """The filter of a set of keys, as text for the meta line: "probes:bits:base64"."""
    listed = list(keys)
    bits = max(64, (len(listed) * _BITS_PER_KEY + 7) // 8 * 8)
    field = bytearray(bits // 8)
    digest = _digest()
    for key in listed:
        for bit in _probes(digest, key, bits):
            field[bit >> 3] |= 1 << (bit & 7)
    return f"{_PROBES}:{bits}:{base64.b64encode(bytes(field)).decode()}"


def may_hold(text: object, key: str) -> bool:
    """Whether a filter may hold `key` (True also for no filter, or one that does not read)."""
    if not isinstance(text, str):
        return True
    try:
        probes, bits, encoded = text.split(":", 2)
        field = base64.b64decode(encoded)
        if int(probes) != _PROBES or len(field) * 8 != int(bits):
            return True
    except ValueError:
        return True
    return all(field[bit >> 3] & (1 << (bit & 7)) for bit in _probes(_digest(), key, int(bits)))


def _digest() -> Callable[..., Any]:
    """BLAKE2b, imported when a filter is made or read: hashlib's OpenSSL half cost every
    command's start-up 3-5 ms (`python -X importtime`), and only a segmented store probes."""
    import hashlib

    return hashlib.blake2b


def _probes(blake2b: Callable[..., Any], key: str, bits: int) -> list[int]:
    digest = blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).digest()
    first, second = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little") | 1
    return [(first + n * second) % bits for n in range(_PROBES)]
