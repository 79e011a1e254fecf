"""Store bytes as tables, and tables as store bytes (the format: fileformat.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from disputes.core.errors import NotAStore, StoreCorrupt, StoreError
from disputes.store.fileformat import FORMAT, META, check_meta, doctor_hint, is_blank, sections_of
from disputes.store.files import Payload, read_mapped, viewed
from disputes.store.tables import Tables


def read_file(path: Path, *, validate: bool = True, expected: str = FORMAT) -> Tables | None:
    """The store at `path`, its tables parsed when first used; None when there is no file yet.

    The file is mapped where the system allows (POSIX: a write replaces the file by a rename,
    never in place), so only the sections a command reads count in its memory: a report
    touches the disputes and the events' index, not the 50 MB of events."""
    try:
        payload = read_mapped(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {error.strerror}") from None
    return decode(payload, path, validate=validate, expected=expected)


def decode(
    payload: Payload, path: Path, *, validate: bool = True, expected: str = FORMAT, owner: Path | None = None
) -> Tables:
    """Store bytes as tables, refusing empty, broken, conflicted and foreign files.

    With `validate`, a file read whole has its records checked by the models' rules.
    """
    if is_blank(payload):
        raise StoreCorrupt(f"store {path} is empty: {doctor_hint(path)}")
    if payload[:64].lstrip().startswith(b'{"format":"disputes-export"'):  # told at once, not after a full parse
        raise NotAStore(f"{path} is a disputes export, not a store: `disputes import {path}` brings it into one")
    laid_out = sections_of(payload)
    if laid_out is not None:
        meta, spans = laid_out
        check_meta(meta, path, expected)
        tables = Tables(path, meta, payload, spans, validate=validate, expected=expected)
        tables.owner = owner or path
        return tables
    tables = Tables(path, {}, payload, None, validate=validate, expected=expected)
    tables.owner = owner or path
    tables.parse_whole()
    return tables


def encode(data: Mapping[str, Any]) -> bytes:
    """Serialise with stable order and one record per line, so that git diffs are readable."""
    if isinstance(data, Tables):
        return b"".join(map(viewed, data.chunks()))
    tables = Tables(Path(), data[META], b"", {})
    for name, records in data.items():
        if name != META:
            tables[name] = records
    return b"".join(map(viewed, tables.chunks()))
