"""The git merge driver on store files, without reading what did not change.

A table whose section is the same on two of the three versions (same length and
checksum in the meta lines) is taken whole from the third, unparsed. A table changed on
both sides is merged record line by record line: lines equal on two sides need no
parsing, and only records changed on both are parsed and merged by core/record_merge.py. So a
teammate's one new dispute merges against 100,000 events without building any of them.
The events' index comes along: taken whole with its table, or line by line from the
side whose record line was kept (only records merged afresh are indexed anew).
When a dispute disappears in the merge (deleted on one side) and something still refers to
it (the other side linked an event to it, say), the driver merges the whole stores instead,
whose rules keep such a dispute; a dispute deleted with all that hung on it merges here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from disputes.core import actors, changes, model, record_merge, registry
from disputes.core.errors import StoreConflicted, StoreCorrupt
from disputes.store import migrations
from disputes.store.decoding import decode, encode
from disputes.store.fileformat import FORMAT, META, assemble, is_blank, record_line, section_text, split_line
from disputes.store.files import Payload, Piece
from disputes.store.segfiles import SEGMENT_FORMAT
from disputes.store.tables import Tables


def merge_files(
    base_bytes: Payload, ours_bytes: Payload, theirs_bytes: Payload, author: str = ""
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Merge three store files' bytes (an empty base means the file is new on both sides):
    the merged file as pieces to write one after the other, and the decisions taken."""
    expected = _format_of(ours_bytes) if not is_blank(ours_bytes) else _format_of(theirs_bytes)
    if not is_blank(base_bytes):
        versions = zip(_SIDES, (base_bytes, ours_bytes, theirs_bytes), strict=True)
        sides = [_side(payload, label, expected=expected) for label, payload in versions]
        if all(side.laid_out and side.meta.get("schema") == migrations.SCHEMA for side in sides):
            merged = _by_sections(sides[0], sides[1], sides[2], author)
            if merged is not None:
                return merged
    return _whole(base_bytes, ours_bytes, theirs_bytes, author, expected)


def _format_of(payload: Payload) -> str:
    """A register's format, or a segment's (segfiles.py): each file git merges is one or the other."""
    return SEGMENT_FORMAT if _first_line(payload).find(b'"format":"disputes-segment"') != -1 else FORMAT


def _first_line(payload: Payload) -> bytes:
    head = bytes(payload[:65536])
    return head.split(b"\n", 2)[1] if head.count(b"\n") >= 2 else head


def _rebuilt(meta: dict[str, Any], *others: dict[str, Any]) -> dict[str, Any]:
    """A merged register's meta: its manifest is derived data, never merged; the next command
    that opens it rebuilds it from the segments folder (segments.py)."""
    if any("segments" in m for m in (meta, *others)):
        return {**meta, "rebuild": True}
    return meta


# git's three versions, as the person reading the driver's message knows them
_SIDES = {"base": "the common ancestor's", "ours": "this branch's", "theirs": "the other branch's"}


def _side(payload: Payload, label: str, *, whole: bool = False, expected: str = FORMAT) -> Tables:
    """One of git's versions (parsed whole with `whole`). One that does not read is named by
    its side, with what to do; it was called a store file named "theirs", and the user
    told to run `disputes --db theirs doctor` on a file that is nowhere."""
    try:
        tables = decode(payload, Path(label), expected=expected)
        return tables.load_all() if whole else tables
    except StoreCorrupt as problem:
        why = "holds git conflict markers" if isinstance(problem, StoreConflicted) else "is damaged or not a store"
        raise StoreCorrupt(
            f"cannot merge the store: {_SIDES[label]} version {why}; repair it where it was committed "
            "(`disputes doctor`), then merge again"
        ) from None


def _by_sections(
    base: Tables, ours: Tables, theirs: Tables, author: str = ""
) -> tuple[list[Any], list[dict[str, Any]]] | None:
    decisions: list[dict[str, Any]] = []
    sections: dict[str, list[Any]] = {}
    taken: dict[str, Tables] = {}  # tables taken whole, and from which version
    merged: dict[str, dict[str, bytes]] = {}  # tables merged line by line
    kept: dict[str, dict[str, int]] = {}  # of those, each line kept as a side had it: 0 ours, 1 theirs
    for name in sorted(set(base.names()) | set(ours.names()) | set(theirs.names())):
        b, o, t = base.fingerprint(name), ours.fingerprint(name), theirs.fingerprint(name)
        whole = ours if o == t or t == b else theirs if o == b else None
        if whole is not None:
            if whole.fingerprint(name) is not None:
                section = whole.section(name)
                if section is None:  # its checksum failed: merge the whole stores instead
                    return None
                sections[name], taken[name] = [section], whole
            continue
        found = _merged_lines(name, base, ours, theirs, decisions)
        if found is None:
            return None
        merged[name], kept[name] = found
    if actors.TABLE in merged:  # changed on both sides: one name, one actor
        _one_actor_per_name(merged[actors.TABLE], kept[actors.TABLE], base, decisions)
    after = (
        set(merged[model.TABLE])
        if model.TABLE in merged
        else set(taken[model.TABLE].keys_starting(model.TABLE, "") if model.TABLE in taken else ())
    )
    gone = set(base.keys_starting(model.TABLE, "")) - after
    if gone and _still_referenced(gone, taken, merged):
        return None  # a dispute is gone but named elsewhere: for the whole merge to decide
    was = set(base.keys_starting(model.TABLE, ""))
    if ((was - set(ours.keys_starting(model.TABLE, ""))) ^ (was - set(theirs.keys_starting(model.TABLE, "")))) & after:
        return None  # a dispute one side deleted is kept: what its deletion took comes back, in the whole merge
    if _orphaned(base, taken, merged):
        return None  # a record is gone that another still hangs on: for the whole merge to decide
    if decisions and ours.meta.get("format") == FORMAT:  # a segment's decisions: not yet recorded
        entry = record_merge.merge_entry(
            decisions,
            lambda table, key: ours.mentioning(changes.TABLE, key).values(),
            lambda table, key: theirs.mentioning(changes.TABLE, key).values(),
            author,
        )
        decisions[:] = entry["decisions"]
        history = merged.get(changes.TABLE)
        if history is None:
            history = dict(taken[changes.TABLE].lines_by_key(changes.TABLE) or {}) if changes.TABLE in taken else {}
            merged[changes.TABLE] = history
        history[entry["id"]] = record_line(entry["id"], entry)
    for name, lines in merged.items():
        sections[name] = [section_text(name, b",\n".join(lines[key] for key in sorted(lines)))]
    derived = _indexes(sections, taken, merged, kept, (ours, theirs))
    schema = max(ours.meta.get("schema", 0), theirs.meta.get("schema", 0))
    meta = {**ours.meta, "schema": schema}
    meta.pop("keys", None)  # a segment's key filter (keysets.py) is of one side's keys: the next write makes it anew
    if meta.get("format") == FORMAT:
        meta = _rebuilt(meta, theirs.meta)
    return assemble(meta, sections, derived), decisions


def _indexes(
    sections: dict[str, Any],
    taken: dict[str, Tables],
    merged: dict[str, Any],
    kept: dict[str, Any],
    sides: tuple[Any, ...],
) -> dict[str, str]:
    """The index of each indexed table in the merge, into `sections`; its table by index name.

    A table taken whole brings its index along when that index matches it. A table merged
    line by line gets each record's index line from the side whose record line it kept (when
    that side's index matches its table), else from its own line: only records merged
    afresh are parsed. An index that cannot be had this way is left out; the next write
    lays it out anew."""
    derived = {}
    for name, index in registry.INDEXED.items():
        if name in taken:
            if taken[name].index_of(name) is None:
                continue
            section = taken[name].section(index)
            if section is None:
                continue
            sections[index] = [section]
        elif name in merged:
            kind, origin = registry.of(name), kept[name]
            indexed = {n: sides[n].lines_by_key(index) or {} for n in set(origin.values()) if sides[n].index_of(name)}
            rows = {}
            for key, line in merged[name].items():
                row = indexed[origin[key]].get(key) if origin.get(key) in indexed else None
                rows[key] = bytes(row) if row is not None else record_line(key, kind.indexed(split_line(line)[1]))
            sections[index] = [section_text(index, b",\n".join(rows[key] for key in sorted(rows)))]
        else:
            continue
        derived[index] = name
    return derived


def _one_actor_per_name(lines: dict[str, bytes], origin: dict[str, int], base: Tables, decisions: list[Any]) -> None:
    """The actors' merged lines with each name left to one actor, as the whole merge does."""
    records = {key: split_line(line)[1] for key, line in lines.items()}
    before = {key: split_line(line)[1] for key, line in (base.lines_by_key(actors.TABLE) or {}).items()}
    fixed = record_merge.one_actor_per_name(records, before, decisions)
    for key, record in fixed.items():
        if record != records[key]:
            lines[key] = bytes(record_line(key, record))
            origin.pop(key, None)


def _still_referenced(gone: set[str], taken: dict[str, Tables], merged: dict[str, dict[str, bytes]]) -> bool:
    """Whether a record of the merged tables names one of the disputes that are gone."""
    for name in registry.REFERRING:
        named = registry.of(name).names
        for dispute in gone:
            candidates: list[dict[str, Any]]
            if name in taken:
                candidates = list(taken[name].mentioning(name, dispute).values())
            else:
                needle = orjson.dumps(dispute)
                candidates = [split_line(line)[1] for line in merged.get(name, {}).values() if needle in line]
            if any(dispute in named(record) for record in candidates):
                return True
    return False


def _keys(name: str, taken: dict[str, Tables], merged: dict[str, dict[str, bytes]]) -> set[str] | None:
    """The keys of a table in the merge (None: taken from no side, so absent)."""
    if name in merged:
        return set(merged[name])
    return set(taken[name].keys_starting(name, "")) if name in taken else None


def _orphaned(base: Tables, taken: dict[str, Tables], merged: dict[str, dict[str, bytes]]) -> bool:
    """Whether a record of the merge names as its registry `parent` a record the merge lost
    (a forecast deleted on one side, revised on the other)."""
    for name in registry.types():
        if registry.of(name).parent is None:
            continue
        field, holder = registry.of(name).parent or ("", "")
        gone = set(base.keys_starting(holder, "")) - (_keys(holder, taken, merged) or set())
        for parent in gone:
            if name in taken:
                candidates = list(taken[name].mentioning(name, parent).values())
            else:
                needle = orjson.dumps(parent)
                candidates = [split_line(line)[1] for line in merged.get(name, {}).values() if needle in line]
            if any(isinstance(record, dict) and record.get(field) == parent for record in candidates):
                return True
    return False


def _merged_lines(
    name: str, base: Tables, ours: Tables, theirs: Tables, decisions: list[dict[str, Any]]
) -> tuple[dict[str, bytes], dict[str, int]] | None:
    """A table's lines merged (None: for the whole merge to decide), and the side each line
    kept unchanged came from, 0 ours or 1 theirs (a line merged afresh has none)."""
    lines_b, lines_o, lines_t = (side.lines_by_key(name) for side in (base, ours, theirs))
    if lines_b is None or lines_o is None or lines_t is None:
        return None
    merged, kept = {}, {}
    for key in set(lines_b) | set(lines_o) | set(lines_t):
        b, o, t = lines_b.get(key), lines_o.get(key), lines_t.get(key)
        if o == t or t == b:
            line, kept[key] = o, 0
        elif o == b:
            line, kept[key] = t, 1
        else:
            rb, ro, rt = (None if x is None else split_line(x)[1] for x in (b, o, t))
            if name == changes.TABLE:
                result = record_merge.history_entry(ro, rt) if ro is not None and rt is not None else (ro or rt)
            else:
                result = record_merge.record(name, key, rb, ro, rt, decisions)
                if name == "events" and result is not None and not result.get("disputes"):
                    return None  # links removed on both sides left none: the whole merge decides
            line = None if result is None else record_line(key, result)
        if line is not None:
            merged[key] = bytes(line)
    return merged, kept


def _whole(
    base_bytes: Payload, ours_bytes: Payload, theirs_bytes: Payload, author: str = "", expected: str = FORMAT
) -> tuple[list[Piece], list[dict[str, Any]]]:
    """The merge of the whole stores, every table parsed (the general case)."""

    def load(payload: Payload, label: str) -> dict[str, Any]:
        if is_blank(payload):
            return {META: {"format": expected, "schema": migrations.SCHEMA}}
        tables = _side(payload, label, whole=True, expected=expected)
        if expected == FORMAT:  # a segment holds its own table only: no step adds another to it
            migrations.upgrade(tables, Path(label))
        return {META: tables.meta, **tables}

    sides = load(base_bytes, "base"), load(ours_bytes, "ours"), load(theirs_bytes, "theirs")
    merged, decisions = record_merge.merge_stores(*sides, author)
    merged[META].pop("keys", None)  # a segment's key filter: of one side's keys only
    if expected == FORMAT:
        merged[META] = _rebuilt(merged[META], sides[1][META], sides[2][META])
    elif changes.TABLE in merged and merged[META].get("period", "").split("/")[0] != changes.TABLE:
        del merged[changes.TABLE]  # a merge of events keeps its decisions in the register's history (not yet)
    return [encode(merged)], decisions
