"""Two data-loss bugs of a deleted dispute: a merge that kept it brought it back without what
its deletion took, and `delete` took documents, comments and deadlines without a word."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, assert_one_error_line, git, on_terminal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture
def analyst(monkeypatch):
    for variable, value in (
        ("GIT_AUTHOR_NAME", "Analyst"),
        ("GIT_AUTHOR_EMAIL", "analyst@example.org"),
        ("GIT_COMMITTER_NAME", "Analyst"),
        ("GIT_COMMITTER_EMAIL", "analyst@example.org"),
    ):
        monkeypatch.setenv(variable, value)


@pytest.fixture
def clones(tmp_path, cli, analyst):
    """Two clones of one bare repository sharing the seeded store, fr45 with two documents."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    first, second = tmp_path / "first", tmp_path / "second"
    subprocess.run(["git", "clone", "-q", str(origin), str(first)], check=True, capture_output=True)
    git(first, "commit", "-q", "--allow-empty", "-m", "start")
    git(first, "push", "-q", "-u", "origin", "HEAD")
    store = first / "register" / "disputes.json"
    cli("--db", str(store), "seed")
    for n in (1, 2):
        cli("--db", str(store), "document", "add", "fr45", f"https://x.org/{n}.pdf", "--title", f"Paper {n}")
    cli("--db", str(store), "comment", "fr45", "worth watching")
    cli("--db", str(store), "sync")
    subprocess.run(["git", "clone", "-q", str(origin), str(second)], check=True, capture_output=True)
    return store, second / "register" / "disputes.json"


def _held(cli, store) -> dict:
    """What hangs on fr45 in a store: its documents, comments, events and relations."""
    shown = cli.json("--db", str(store), "show", "fr45")
    return {
        "documents": sorted(d["title"] for d in cli.json("--db", str(store), "document", "list", "fr45")),
        "comments": sorted(c["text"] for c in shown.get("comments", [])),
        "events": sorted(e["id"] for e in shown.get("events", [])),
        "relations": len(shown.get("relations", [])),
    }


@pytest.mark.slow
@NEEDS_GIT
def test_a_merge_that_keeps_a_deleted_dispute_brings_back_all_its_deletion_took(cli, clones):
    first, second = clones
    before = _held(cli, first)
    assert before["documents"] == ["Paper 1", "Paper 2"] and len(before["events"]) == 4 and before["relations"] == 1
    cli("--db", str(first), "delete", "fr45", "--yes", "--cascade")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "document", "add", "fr45", "https://x.org/reply.pdf", "--title", "Reply")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "sync")
    for store in (first, second):
        held = _held(cli, store)
        assert held == {**before, "documents": ["Paper 1", "Paper 2", "Reply"]}, store
        assert cli("--db", str(store), "doctor").exit_code == 0
    decided = cli.json("--db", str(first), "conflicts")
    kept = [d for d in decided if d["record"] == "fr45z4r7dr"]
    assert len(kept) == 1 and "restored" in kept[0]["why"], decided
    assert "2 documents" in kept[0]["why"] and "4 events" in kept[0]["why"] and "1 relation" in kept[0]["why"]


@pytest.mark.slow
@NEEDS_GIT
def test_a_dispute_deleted_here_and_changed_there_comes_back_with_its_events_and_documents(cli, clones):
    first, second = clones
    before = _held(cli, first)
    cli("--db", str(first), "delete", "fr45", "--yes", "--cascade")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "status", "fr45", "negotiating", "--note", "talks")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "sync")
    assert cli.json("--db", str(first), "show", "fr45")["status"] == "negotiating"
    assert _held(cli, first) == before
    assert cli("--db", str(first), "doctor").exit_code == 0


def _an_empty_one_with_a_document_a_comment_and_a_deadline(cli) -> str:
    made = cli.add("Empty one", "-p", "A", "-p", "B")["id"]
    cli("document", "add", made, "https://x.org/a.pdf", "--title", "A paper")
    cli("comment", made, "a note")
    cli("deadline", "add", made, "--date", "2030-01-01", "--title", "Reply due")
    return made


def _what_hangs_on(cli, dispute: str) -> tuple:
    return (
        [d["title"] for d in cli.json("document", "list", dispute)],
        [c["text"] for c in cli.json("show", dispute).get("comments", [])],
        [d["title"] for d in cli.json("deadline", "list", "--dispute", dispute)],
    )


def test_delete_silently_dropped_a_disputes_documents_comments_and_deadlines(cli, store_path):
    made = _an_empty_one_with_a_document_a_comment_and_a_deadline(cli)
    before = store_path.read_bytes()
    assert_one_error_line(cli("delete", made, "--yes", expect=2), "1 deadline, 1 comment and 1 document", "--cascade")
    # refused before anything is asked: without --cascade no answer could let it through
    assert_one_error_line(cli("delete", made, expect=2), "1 deadline, 1 comment and 1 document", "--cascade")
    cli("comment", "list")  # (the store is readable: nothing half-done)
    assert store_path.read_bytes() == before  # refused: nothing changed
    said = cli("delete", made, "--yes", "--cascade").stdout
    assert f"Deleted dispute {made} with 1 deadline, 1 comment and 1 document: Empty one" in said
    undone = cli("undo").stdout
    assert "with 1 deadline, 1 comment and 1 document" in undone
    assert _what_hangs_on(cli, made) == (["A paper"], ["a note"], ["Reply due"])


def test_delete_on_a_terminal_asked_without_naming_what_goes_with_the_dispute(cli, tmp_path):
    made = _an_empty_one_with_a_document_a_comment_and_a_deadline(cli)
    asked = on_terminal("delete", made, "--cascade", env={}, answer=b"n\n", expect=None)
    assert "Delete dispute" in asked and "'Empty one' with 1 deadline, 1 comment and 1 document?" in asked, asked
    assert cli.json("show", made)["title"] == "Empty one"  # answered no: still there


def test_delete_with_cascade_took_fr45s_documents_unmentioned(cli):
    cli("seed")
    for n in (1, 2):
        cli("document", "add", "fr45", f"https://x.org/{n}.pdf", "--title", f"Paper {n}")
    said = cli("delete", "fr45", "--yes", "--cascade").stdout
    assert "with 1 event, 1 relation and 2 documents (3 events unlinked)" in said, said
    assert cli.json("document", "list") == []
    cli("undo")
    assert len(cli.json("document", "list", "fr45")) == 2
    assert len(cli.json("show", "fr45")["events"]) == 4


# what the side that keeps fr45 may do, each with whether it names fr45 (and so keeps it)
_KEEPING = {
    "document": (("document", "add", "fr45", "https://x.org/reply.pdf", "--title", "Reply"), True),
    "event": (("event", "add", "fr45", "--date", "2026-01-02", "--title", "Talks resume"), True),
    "edit": (("edit", "fr45", "--title", "Re-exports (retitled)"), True),
    "comment": (("comment", "fr45", "still open"), True),
    "elsewhere": (("edit", "vfb3", "--title", "Gas (retitled)"), False),
}


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> bytes:
    """The seeded store with two documents and a comment on fr45, as bytes."""
    from conftest import Cli

    path = tmp_path_factory.mktemp("base") / "disputes.json"
    cli = Cli()
    cli("--db", str(path), "seed")
    for n in (1, 2):
        cli("--db", str(path), "document", "add", "fr45", f"https://x.org/{n}.pdf", "--title", f"Paper {n}")
    cli("--db", str(path), "comment", "fr45", "worth watching")
    return path.read_bytes()


@given(
    doing=st.lists(st.sampled_from(sorted(_KEEPING)), min_size=1, max_size=3, unique=True),
    deleting_is_ours=st.booleans(),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_merge_of_a_delete_and_other_work_loses_nothing_it_keeps(cli, tmp_path, base_store, doing, deleting_is_ours):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # a folder of its own for each example
    base, deleting, keeping = (folder / name / "disputes.json" for name in ("base", "deleting", "keeping"))
    for path in (base, deleting, keeping):
        path.parent.mkdir()
        path.write_bytes(base_store)
    before = _held(cli, base)
    cli("--db", str(deleting), "delete", "fr45", "--yes", "--cascade")
    for step in doing:
        cli("--db", str(keeping), *_KEEPING[step][0])
    ours, theirs = (deleting, keeping) if deleting_is_ours else (keeping, deleting)
    cli("merge-file", str(base), str(ours), str(theirs))
    kept = any(_KEEPING[step][1] for step in doing)
    titles = {d["id"][:4]: d["title"] for d in cli.json("--db", str(ours), "list")}
    assert ("fr45" in titles) == kept
    assert cli("--db", str(ours), "doctor").exit_code == 0
    if kept:
        held = _held(cli, ours)
        assert set(before["documents"]) <= set(held["documents"]) and set(before["events"]) <= set(held["events"])
        assert set(before["comments"]) <= set(held["comments"]) and held["relations"] == before["relations"]
        assert ("Reply" in held["documents"]) == ("document" in doing)
        assert ("still open" in held["comments"]) == ("comment" in doing)
        assert len(held["events"]) == len(before["events"]) + ("event" in doing)
    else:
        assert cli.json("--db", str(ours), "document", "list") == []


def test_delete_without_cascade_asked_first_and_refused_after_the_yes(cli, tmp_path):
    # on a terminal, `delete` put its question, and only a "y" brought the refusal
    made = _an_empty_one_with_a_document_a_comment_and_a_deadline(cli)
    said = on_terminal("delete", made, env={}, answer=b"y\n", expect=2)
    assert "--cascade" in said and "Delete dispute" not in said, said
    assert cli.json("show", made)["title"] == "Empty one"
