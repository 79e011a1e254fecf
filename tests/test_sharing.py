"""Sharing a store through git, with real git and no network: two clones of a bare repository."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, assert_one_error_line, git, later

pytestmark = [pytest.mark.slow, NEEDS_GIT]


@pytest.fixture(autouse=True)
def analyst(monkeypatch):
    """The analysts' git identity, whatever the machine's git configuration says."""
    for variable, value in (
        ("GIT_AUTHOR_NAME", "Analyst"),
        ("GIT_AUTHOR_EMAIL", "analyst@example.org"),
        ("GIT_COMMITTER_NAME", "Analyst"),
        ("GIT_COMMITTER_EMAIL", "analyst@example.org"),
    ):
        monkeypatch.setenv(variable, value)


@pytest.fixture
def clones(tmp_path, cli):
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    first, second = tmp_path / "first", tmp_path / "second"
    subprocess.run(["git", "clone", "-q", str(origin), str(first)], check=True, capture_output=True)
    git(first, "commit", "-q", "--allow-empty", "-m", "start")
    git(first, "push", "-q", "-u", "origin", "HEAD")
    store = first / "register" / "disputes.json"
    cli("--db", str(store), "seed")
    cli("--db", str(store), "sync")
    subprocess.run(["git", "clone", "-q", str(origin), str(second)], check=True, capture_output=True)
    return first / "register" / "disputes.json", second / "register" / "disputes.json"


def test_sync_outside_a_repository_says_so(cli, tmp_path):
    store = tmp_path / "alone" / "disputes.json"
    cli("--db", str(store), "add", "Lonely")
    assert_one_error_line(cli("--db", str(store), "sync", expect=1), "not in a git repository", "git init")


def test_git_setup_writes_the_driver_and_attributes(cli, clones):
    first, _ = clones
    repo = first.parent.parent
    assert "disputes-merge-driver" in git(repo, "config", "--get", "merge.disputes.driver")
    assert "merge-file" in (repo / ".git" / "disputes-merge-driver").read_text()
    assert "register/disputes.json merge=disputes" in (repo / ".gitattributes").read_text()
    assert "register/disputes.json.lock" in (repo / ".gitignore").read_text()
    assert "already set up" in cli("--db", str(first), "git-setup").stdout


def test_sync_commits_with_a_message_saying_what_changed(cli, clones):
    first, _ = clones
    cli("--db", str(first), "add", "Transit fees")
    said = cli("--db", str(first), "sync").stdout
    assert "committed" in said and "pushed" in said
    message = git(first.parent.parent, "log", "-1", "--format=%B")
    assert "added 'Transit fees' as open" in message
    assert "nothing to commit" in cli("--db", str(first), "sync").stdout


def test_no_push_merges_locally_only(cli, clones):
    first, second = clones
    cli("--db", str(first), "add", "From the first")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "add", "From the second")
    published = git(first.parent.parent, "ls-remote", "origin")
    said = cli("--db", str(second), "sync", "--no-push").stdout
    assert "pushed" not in said
    assert {"From the first", "From the second"} <= {
        d["title"] for d in json.loads(cli("--db", str(second), "list", "--json").stdout)
    }
    assert git(first.parent.parent, "ls-remote", "origin") == published  # nothing new pushed
    cli("--db", str(first), "sync")
    assert "From the second" not in {d["title"] for d in json.loads(cli("--db", str(first), "list", "--json").stdout)}


def test_the_same_field_changed_on_both_sides_keeps_the_newer_and_records_the_other(cli, clones, monkeypatch):
    first, second = clones
    cli("--db", str(first), "edit", "vfb3", "--title", "Gas price (first)")
    cli("--db", str(first), "sync")
    later(monkeypatch)  # the second edit is the newer one
    cli("--db", str(second), "edit", "vfb3", "--title", "Gas price (second)", "--add-tag", "pipeline")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "sync")
    for store in (first, second):
        shown = json.loads(cli("--db", str(store), "show", "vfb3", "--json").stdout)
        assert shown["title"] == "Gas price (second)" and "pipeline" in shown["tags"]
    decided = json.loads(cli("--db", str(first), "conflicts", "--json").stdout)
    assert [(d["record"], d["field"], d["kept"], d["dropped"]) for d in decided] == [
        ("vfb3nbqd37", "title", "Gas price (second)", "Gas price (first)")
    ]
    assert "changed on both sides" in cli("--db", str(first), "conflicts").stdout
    assert first.read_bytes() == second.read_bytes()
    assert "<<<<<<<" not in first.read_text()


def test_a_dispute_deleted_on_one_side_and_changed_on_the_other_is_kept_and_flagged(cli, clones):
    first, second = clones
    cli("--db", str(first), "delete", "3zp0", "--yes", "--cascade")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "status", "3zp0", "escalated", "--note", "new measures")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "sync")
    for store in (first, second):
        assert json.loads(cli("--db", str(store), "show", "3zp0", "--json").stdout)["status"] == "escalated"
    assert any(
        "deleted on one side" in d["why"] for d in json.loads(cli("--db", str(first), "conflicts", "--json").stdout)
    )
    assert cli("--db", str(first), "doctor").exit_code == 0


def _random_edit(cli, store: Path, rng: random.Random, side: str, n: int, log: dict) -> None:
    disputes = json.loads(cli("--db", str(store), "list", "--all", "--json").stdout)
    ids = [d["id"] for d in disputes]
    choice = rng.random()
    if choice < 0.3 or not ids:
        added = json.loads(
            cli(
                "--db",
                str(store),
                "add",
                f"{side} dispute {n}",
                "-p",
                rng.choice(["Belarus", "Russia", "Poland"]),
                "--json",
            ).stdout
        )
        log["added"].add(added["id"])
    elif choice < 0.5:
        target = rng.choice(ids)
        title = f"{side} title {n}"
        cli("--db", str(store), "edit", target, "--title", title)
        log["titles"].setdefault(target, set()).add(title)
    elif choice < 0.6:
        cli("--db", str(store), "edit", rng.choice(ids), "--add-tag", f"{side}{n}")
    elif choice < 0.75:
        target = rng.choice(disputes)
        new = rng.choice([s for s in ("open", "negotiating", "escalated", "frozen") if s != target["status"]])
        if target["status"] in ("resolved", "closed"):
            cli("--db", str(store), "reopen", target["id"], "--status", new)
        else:
            cli("--db", str(store), "status", target["id"], new)
    elif choice < 0.9:
        linked = rng.sample(ids, min(len(ids), rng.randint(1, 2)))
        event = json.loads(
            cli(
                "--db",
                str(store),
                "event",
                "add",
                *linked,
                "--date",
                f"2016-{rng.randint(1, 12):02d}",
                "--title",
                f"{side} event {n}",
                "--json",
            ).stdout
        )
        log["events"][event["id"]] = set(linked)
    elif len(ids) > 5:
        target = rng.choice(ids)
        cli("--db", str(store), "delete", target, "--yes", "--cascade")
        log["deleted"].add(target)


def test_two_analysts_editing_apart_end_with_the_same_store(cli, clones):
    """Issue 7: 100+ random edits on each side, synced in turn: identical, complete, valid."""
    first, second = clones
    rng = random.Random(7)
    logs = {side: {"added": set(), "titles": {}, "events": {}, "deleted": set()} for side in ("first", "second")}
    for round_number in range(2):
        for n in range(55):
            _random_edit(cli, first, rng, "first", round_number * 100 + n, logs["first"])
            _random_edit(cli, second, rng, "second", round_number * 100 + n, logs["second"])
        cli("--db", str(first), "sync")
        cli("--db", str(second), "sync")
        cli("--db", str(first), "sync")
    assert first.read_bytes() == second.read_bytes()
    assert "<<<<<<<" not in first.read_text() and "=======" not in first.read_text()
    assert cli("--db", str(first), "doctor").exit_code == 0
    disputes = json.loads(cli("--db", str(first), "list", "--all", "--json").stdout)
    assert len({d["id"] for d in disputes}) == len(disputes)
    by_id = {d["id"]: d for d in disputes}
    decided = json.loads(cli("--db", str(first), "conflicts", "--json").stdout)
    deleted = logs["first"]["deleted"] | logs["second"]["deleted"]
    events = {e["id"] for e in json.loads(cli("--db", str(first), "event", "list", "--json").stdout)}
    for side, log in logs.items():
        other = logs["second" if side == "first" else "first"]
        for dispute_id in log["added"]:
            assert dispute_id in by_id or dispute_id in deleted, f"{side} added {dispute_id}, and it is gone"
        for dispute_id, set_titles in log["titles"].items():
            if dispute_id in by_id and dispute_id not in deleted and by_id[dispute_id]["title"] not in set_titles:
                # another title won: the other side renamed it too, and a merge decided, or it came later
                # (a dispute deleted on one side but changed on the other comes back as that side had it)
                assert dispute_id in other["titles"], dispute_id
        for event_id, linked in log["events"].items():
            assert event_id in events or linked & deleted, f"{side} added event {event_id}, and it is gone"
    print(f"{len(decided)} merge decisions, {len(deleted)} deletes")  # shown with pytest -s


@pytest.fixture
def empty_origin(tmp_path):
    """An empty shared repository, as a team starts with one."""
    origin = tmp_path / "register.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    return origin


def clone(origin: Path, folder: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(folder)], check=True, capture_output=True)
    return folder


def test_a_team_starts_from_an_empty_repository(cli, empty_origin, tmp_path):
    """The README's set-up, as written: clone, git-setup, add, sync; a teammate does the same."""
    first = clone(empty_origin, tmp_path / "first") / "disputes.json"
    cli("--db", str(first), "git-setup")
    cli("--db", str(first), "seed")
    said = cli("--db", str(first), "sync").stdout
    assert "pushed to origin/main" in said and "upstream" in said
    assert "origin/main" in git(first.parent, "rev-parse", "--abbrev-ref", "main@{u}")

    second = clone(empty_origin, tmp_path / "second") / "disputes.json"
    cli("--db", str(second), "git-setup")
    cli("--db", str(second), "add", "Transit fees for potash", "-p", "Belarus", "-p", "Lithuania")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "add", "Dairy certificates")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "sync")
    for store in (first, second):
        titles = {d["title"] for d in json.loads(cli("--db", str(store), "list", "--json").stdout)}
        assert {"Transit fees for potash", "Dairy certificates", "Price of Russian gas supplies to Belarus"} <= titles
    assert first.read_bytes() == second.read_bytes()


def test_sync_without_a_remote_fails_and_leaves_the_repository_as_it_was(cli, tmp_path):
    folder = tmp_path / "alone"
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    store = folder / "disputes.json"
    cli("--db", str(store), "seed")
    result = cli("--db", str(store), "sync", expect=1)
    assert_one_error_line(result, "no remote", "git remote add")
    assert (
        subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "-q", "--verify", "HEAD"], capture_output=True
        ).returncode
        != 0
    )  # still no commit
    assert "committed here only" in cli("--db", str(store), "sync", "--no-push").stdout
    assert git(folder, "log", "--format=%s").startswith("disputes:")


def test_sync_with_several_remotes_asks_which(cli, empty_origin, tmp_path):
    folder = tmp_path / "first"
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    store = folder / "disputes.json"
    other = tmp_path / "other.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(other)], check=True)
    git(folder, "remote", "add", "origin", str(empty_origin))
    git(folder, "remote", "add", "backup", str(other))
    cli("--db", str(store), "add", "Gas")
    assert_one_error_line(cli("--db", str(store), "sync", expect=1), "--remote")
    assert "pushed to backup/main" in cli("--db", str(store), "sync", "--remote", "backup").stdout


def test_a_failed_sync_puts_the_repository_back(cli, clones):
    first, _ = clones
    cli("--db", str(first), "add", "Not yet shared")
    head = git(first.parent, "rev-parse", "HEAD")
    payload = first.read_bytes()
    git(first.parent, "remote", "set-url", "origin", str(first.parent.parent / "gone.git"))
    assert_one_error_line(cli("--db", str(first), "sync", expect=1), "cannot reach the remote 'origin'")
    assert git(first.parent, "rev-parse", "HEAD") == head
    assert first.read_bytes() == payload
    assert "Not yet shared" in {d["title"] for d in json.loads(cli("--db", str(first), "list", "--json").stdout)}


@pytest.mark.parametrize("name", ["team register.json", "disputes[2016].json", "a*b?.json"])
def test_git_setup_works_for_any_store_name(cli, clones, name):
    first, _ = clones
    store = first.parent / name
    cli("--db", str(store), "seed")
    cli("--db", str(store), "git-setup")
    relative = store.relative_to(first.parent.parent).as_posix()
    assert git(first.parent.parent, "check-attr", "merge", "--", relative).strip().endswith("merge: disputes")
    lock = store.with_name(store.name + ".lock")
    assert git(first.parent.parent, "check-ignore", "--", lock.relative_to(first.parent.parent).as_posix())
    temporary = store.with_name(f".{store.name}.123.abcd.tmp")
    assert git(first.parent.parent, "check-ignore", "--", temporary.relative_to(first.parent.parent).as_posix())


def test_conflict_markers_from_a_plain_git_merge_are_refused_then_repaired(cli, empty_origin, tmp_path):
    """A teammate who never ran git-setup merges with plain git: the store is refused, and
    `doctor --fix` merges both sides the way the driver would have."""
    first = clone(empty_origin, tmp_path / "first") / "disputes.json"
    cli("--db", str(first), "seed")
    git(first.parent, "add", "disputes.json")
    git(first.parent, "commit", "-q", "-m", "seed")
    git(first.parent, "push", "-q", "-u", "origin", "main")
    second = clone(empty_origin, tmp_path / "second") / "disputes.json"
    cli("--db", str(first), "add", "From the first")
    cli("--db", str(first), "status", "vfb3", "escalated")
    cli("--db", str(second), "add", "From the second")
    cli("--db", str(second), "edit", "fr45", "--add-tag", "apples")
    git(first.parent, "commit", "-q", "-am", "first")
    git(first.parent, "push", "-q")
    git(second.parent, "commit", "-q", "-am", "second")
    merged = subprocess.run(
        ["git", "-C", str(second.parent), "pull", "-q", "--no-rebase", "--no-edit"], capture_output=True, text=True
    )
    assert merged.returncode != 0 and b"<<<<<<<" in second.read_bytes()  # plain git: markers

    payload = second.read_bytes()
    result = cli("--db", str(second), "list", expect=1)
    assert_one_error_line(result, "conflict markers", "doctor --fix")
    cli("--db", str(second), "add", "Refused too", expect=1)
    assert second.read_bytes() == payload

    said = cli("--db", str(second), "doctor", "--fix").stdout
    assert "common ancestor from git" in said and "git add" in said
    titles = {d["title"] for d in json.loads(cli("--db", str(second), "list", "--json").stdout)}
    assert {"From the first", "From the second"} <= titles
    shown = json.loads(cli("--db", str(second), "show", "fr45", "--json").stdout)
    assert "apples" in shown["tags"]
    assert json.loads(cli("--db", str(second), "show", "vfb3", "--json").stdout)["status"] == "escalated"
    assert cli("--db", str(second), "doctor").exit_code == 0
    assert list(second.parent.glob("disputes.json.conflicted-*"))
