"""The record-level merge on its own: the cases two analysts can produce, one by one."""

from __future__ import annotations

from pathlib import Path

import orjson

from disputes.core.record_merge import merge_stores

META = {"format": "disputes", "schema": 2}


def store(disputes=(), events=()):
    return {
        "_meta": META,
        "disputes": {d["id"]: d for d in disputes},
        "events": {e["id"]: e for e in events},
        "relations": {},
        "history": {},
    }


def dispute(key, **fields):
    return {"id": key, "title": key, "tags": [], "updated": "2016-01-01T00:00:00Z", **fields}


def event(key, *linked):
    return {"id": key, "title": key, "date": "2016", "disputes": list(linked)}


def test_changes_to_different_records_merge_without_decisions():
    base = store([dispute("a"), dispute("b")])
    ours = store([dispute("a", title="A2"), dispute("b")])
    theirs = store([dispute("a"), dispute("b", title="B2"), dispute("c")])
    merged, decisions = merge_stores(base, ours, theirs)
    assert {k: d["title"] for k, d in merged["disputes"].items()} == {"a": "A2", "b": "B2", "c": "c"}
    assert decisions == [] and merged["history"] == {}


def test_list_fields_merge_as_sets():
    base = store([dispute("a", tags=["x", "y"])])
    ours = store([dispute("a", tags=["x", "y", "ours"])])
    theirs = store([dispute("a", tags=["y", "theirs"])])
    merged, decisions = merge_stores(base, ours, theirs)
    assert merged["disputes"]["a"]["tags"] == ["y", "ours", "theirs"] and decisions == []


def test_both_sides_unlinking_different_disputes_relinks_instead_of_orphaning():
    """Regression: an event left with no dispute after a merge (seen in the two-clone test)."""
    base = store([dispute("a"), dispute("b")], [event("e", "a", "b")])
    ours = store([dispute("b")], [event("e", "b")])  # a deleted here
    theirs = store([dispute("a"), dispute("b")], [event("e", "a")])  # e unlinked from b there
    merged, decisions = merge_stores(base, ours, theirs)
    assert merged["events"]["e"]["disputes"] == ["b"]
    assert next(d["why"] for d in decisions).startswith("both sides removed different links")


def test_an_event_whose_disputes_were_all_deleted_goes_too():
    base = store([dispute("a"), dispute("b")], [event("e", "a", "b")])
    ours = store([dispute("b")], [event("e", "b")])
    theirs = store([dispute("a")], [event("e", "a")])
    merged, decisions = merge_stores(base, ours, theirs)
    assert "e" not in merged["events"] and merged["disputes"] == {}
    assert any("every dispute it was linked to" in d["why"] for d in decisions)
    assert merged["history"]  # the decisions are recorded for `disputes conflicts`


# The driver merges by sections and record lines; it must decide exactly as the merge of
# the whole stores does.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from disputes.store import file_merge  # noqa: E402
from disputes.store.decoding import decode, encode  # noqa: E402
from disputes.store.migrations import SCHEMA  # noqa: E402


def _store(disputes: dict, events: dict, history: dict, watches: dict | None = None) -> bytes:
    meta = {"format": "disputes", "schema": SCHEMA}  # the current schema: an older one takes the whole merge
    tables = {"disputes": disputes, "events": events, "relations": {}, "deadlines": {}, "history": history}
    return encode({"_meta": meta, **tables, "watches": watches or {}})


def _dispute(key: str, title: str, priority: str = "medium", tags=(), updated="2016-01-01T00:00:00Z") -> dict:
    return {
        "id": key,
        "title": title,
        "status": "open",
        "priority": priority,
        "tags": list(tags),
        "status_history": [{"date": "2016", "status": "open", "note": ""}],
        "updated": updated,
    }


edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "title", "priority", "tag", "event", "history", "delete", "watch"]),
        st.integers(0, 4),
        st.integers(0, 3),
    ),
    max_size=6,
)


def _apply(disputes: dict, events: dict, history: dict, changes, side: str, stamp: str):
    disputes, events, history, watches = dict(disputes), dict(events), dict(history), {}
    for kind, which, value in changes:
        key = f"d{which}"
        if kind == "delete" and key in disputes:  # as `delete --cascade` does, or (odd values) leaving links
            del disputes[key]
            for event_key, event in list(events.items()):
                if key in event["disputes"] and value % 2 == 0:
                    rest = [d for d in event["disputes"] if d != key]
                    if rest:
                        events[event_key] = {**event, "disputes": rest}
                    else:
                        del events[event_key]
            watches = {k: w for k, w in watches.items() if w["dispute"] != key}
        elif kind == "watch" and key in disputes:
            watches[f"w{side}{which}{value}"] = {
                "id": f"w{side}{which}{value}",
                "dispute": key,
                "actors": ["BLR", "RUS"],
                "codes": [],
                "min_mentions": value,
            }
        elif kind == "add":
            disputes[f"{side}{which}{value}"] = _dispute(f"{side}{which}{value}", f"{side} new {value}", updated=stamp)
        elif key in disputes and kind == "title":
            disputes[key] = {**disputes[key], "title": f"{side} title {value}", "updated": stamp}
        elif key in disputes and kind == "priority":
            disputes[key] = {
                **disputes[key],
                "priority": ["low", "medium", "high", "critical"][value],
                "updated": stamp,
            }
        elif key in disputes and kind == "tag":
            disputes[key] = {**disputes[key], "tags": [*disputes[key]["tags"], f"{side}{value}"], "updated": stamp}
        elif kind == "event":
            events[f"e{side}{which}{value}"] = {
                "id": f"e{side}{which}{value}",
                "date": "2016",
                "title": "e",
                "kind": "other",
                "effect": "neutral",
                "disputes": [f"d{which % 3}"],
            }
        elif kind == "history":
            history[f"2016{side}{which}{value}"] = {"id": f"2016{side}{which}{value}", "action": "add", "changes": []}
    return disputes, events, history, watches


def _comparable(payload: bytes) -> dict:
    tables = decode(payload, Path("merged.json")).load_all()
    result = {name: dict(tables[name]) for name in tables.names()}
    result["history"] = {k: e for k, e in result.get("history", {}).items() if e.get("action") != "merge"}
    merges = [e for e in dict(tables.get("history", {})).values() if e.get("action") == "merge"]
    result["decisions"] = sorted(orjson.dumps(d, option=orjson.OPT_SORT_KEYS) for e in merges for d in e["decisions"])
    return result


@settings(max_examples=60, deadline=None)
@given(ours=edits, theirs=edits)
def test_the_driver_merges_by_sections_exactly_as_the_whole_merge_does(ours, theirs):
    disputes = {f"d{n}": _dispute(f"d{n}", f"Dispute {n}") for n in range(5)}
    events = {
        f"e{n}": {
            "id": f"e{n}",
            "date": "2015",
            "title": "e",
            "kind": "other",
            "effect": "neutral",
            "disputes": [f"d{n % 5}"],
        }
        for n in range(8)
    }
    history = {"2015a": {"id": "2015a", "action": "add", "changes": []}}
    base = _store(disputes, events, history)
    mine = _store(*_apply(disputes, events, history, ours, "o", "2016-02-01T00:00:00Z"))
    yours = _store(*_apply(disputes, events, history, theirs, "t", "2016-03-01T00:00:00Z"))
    pieces, decided = file_merge.merge_files(base, mine, yours)
    assert file_merge._by_sections(*(decode(v, Path("x")) for v in (base, mine, yours))) is not None or any(
        kind in ("delete", "event") for kind, *_ in ours + theirs
    )  # only a dispute gone while still named, or links gone on both sides, takes the whole merge
    whole_pieces, decided_whole = file_merge._whole(base, mine, yours)
    by_sections, whole = b"".join(pieces), b"".join(whole_pieces)
    assert _comparable(by_sections) == _comparable(whole)
    assert len(decided) == len(decided_whole)
    assert decode(by_sections, Path("merged.json")).load_all()  # a well-formed store, checksums and all


def test_a_dispute_deleted_with_all_that_named_it_merges_by_sections():
    disputes = {f"d{n}": _dispute(f"d{n}", f"Dispute {n}") for n in range(3)}
    events = {
        "e0": {"id": "e0", "date": "2015", "title": "e", "kind": "other", "effect": "neutral", "disputes": ["d1"]}
    }
    history = {"2015a": {"id": "2015a", "action": "add", "changes": []}}
    base = _store(disputes, events, history)
    mine = _store(*_apply(disputes, events, history, [("delete", 1, 0)], "o", "2016-02-01T00:00:00Z"))
    yours = _store(*_apply(disputes, events, history, [("title", 2, 1)], "t", "2016-03-01T00:00:00Z"))
    sides = [decode(version, Path(label)) for version, label in ((base, "b"), (mine, "o"), (yours, "t"))]
    pieces, _ = file_merge._by_sections(*sides)  # not None: no whole merge needed
    merged = decode(b"".join(pieces), Path("merged.json")).load_all()
    assert set(merged["disputes"]) == {"d0", "d2"} and merged["events"] == {}
    assert merged["disputes"]["d2"]["title"] == "t title 1"
    # the other side linking a new event to it: the whole merge keeps the dispute
    linked = _store(*_apply(disputes, events, history, [("event", 1, 0)], "t", "2016-03-01T00:00:00Z"))
    sides[2] = decode(linked, Path("t"))
    assert file_merge._by_sections(*sides) is None
    pieces, decisions = file_merge.merge_files(base, mine, linked)
    assert "d1" in decode(b"".join(pieces), Path("m")).load_all()["disputes"] and decisions


def test_the_driver_reads_mapped_files_and_falls_back_to_the_whole_merge_on_them(tmp_path):
    from disputes.ops import merge_driver

    disputes = {f"d{n}": _dispute(f"d{n}", f"Dispute {n}") for n in range(3)}
    events = {
        "e0": {"id": "e0", "date": "2015", "title": "e", "kind": "other", "effect": "neutral", "disputes": ["d1"]}
    }
    history = {"2015a": {"id": "2015a", "action": "add", "changes": []}}
    versions = {
        "base": _store(disputes, events, history),
        "ours": _store(*_apply(disputes, events, history, [("delete", 1, 0)], "o", "2016-02-01T00:00:00Z")),
        "theirs": _store(*_apply(disputes, events, history, [("event", 1, 0)], "t", "2016-03-01T00:00:00Z")),
    }
    for name, payload in versions.items():
        (tmp_path / name).write_bytes(payload)
    decisions = merge_driver.merge_file(tmp_path / "base", tmp_path / "ours", tmp_path / "theirs")
    merged = decode((tmp_path / "ours").read_bytes(), Path("ours")).load_all()
    assert "d1" in merged["disputes"] and decisions  # kept: the other side linked an event to it
