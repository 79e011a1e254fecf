"""The record-level merge on its own: the cases two analysts can produce, one by one."""

from __future__ import annotations

from disputes.core.merge import merge_stores

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
