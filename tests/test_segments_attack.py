"""What an attacker found in the segment storage (docs/storage.md): each test is named after
the bug it pins, on a real store with its events in segments (DISPUTES_SEGMENTS_AT=0)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, assert_one_error_line, git, whole_store


@pytest.fixture
def segmented(cli, store_path, monkeypatch):
    """The seed store and an event of June 2016, its events in segments beside the register."""
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")
    cli("seed")
    cli("event", "add", "fr45", "--date", "2016-06-08", "--title", "y")
    return store_path


def _events(cli) -> list[dict]:
    return cli.json("event", "list")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_doctor_fix_on_a_register_copied_without_its_folder_is_no_internal_error_and_changes_nothing(
    cli, segmented, tmp_path
):
    copy = tmp_path / "copy" / "s2.json"
    copy.parent.mkdir()
    shutil.copy(segmented, copy)
    before = _files(copy.parent)
    checked = cli("--db", str(copy), "doctor", expect=1)
    assert "segments folder s2.json.d/ is missing" in checked.stdout and "--restore" not in checked.stdout
    fixed = cli("--db", str(copy), "doctor", "--fix", expect=1)
    assert_one_error_line(fixed, "segments folder s2.json.d/ is missing", "copy")
    assert {n: b for n, b in _files(copy.parent).items() if not n.startswith("s2.json.lock")} == before


def test_doctor_fix_on_a_register_beside_an_empty_segments_folder_is_no_internal_error(cli, segmented, tmp_path):
    copy = tmp_path / "copy" / "s2.json"
    (copy.parent / "s2.json.d").mkdir(parents=True)
    shutil.copy(segmented, copy)
    fixed = cli("--db", str(copy), "doctor", "--fix", expect=1)
    assert_one_error_line(fixed, "segments folder s2.json.d/events/ is missing", "copy")
    assert copy.read_bytes() == segmented.read_bytes()


def _other_store_july(cli, tmp_path, monkeypatch) -> bytes:
    """The July 2016 segment of another store (its own event of that month)."""
    other = tmp_path / "other" / "o.json"
    cli("--db", str(other), "seed")
    cli("--db", str(other), "event", "add", "fr45", "--date", "2016-07-01", "--title", "theirs")
    return Path(str(other) + ".d/events/2016-07.json").read_bytes()


def test_a_segment_file_the_manifest_does_not_name_was_silently_overwritten_by_the_next_write(
    cli, segmented, tmp_path, monkeypatch
):
    stray = Path(str(segmented) + ".d/events/2016-07.json")
    stray.write_bytes(_other_store_july(cli, tmp_path, monkeypatch))
    kept = stray.read_bytes()
    checked = cli("doctor", expect=1)
    assert "events/2016-07.json" in checked.stdout and "not one the register names" in checked.stdout
    before = _events(cli)
    refused = cli("event", "add", "fr45", "--date", "2016-07-02", "--title", "july", expect=1)
    assert_one_error_line(refused, "2016-07.json", "not one the register names")
    assert stray.read_bytes() == kept and _events(cli) == before
    fixed = cli("doctor", "--fix")
    assert "2016-07.json" in fixed.stdout and "aside as 2016-07.json.stray-" in fixed.stdout
    assert not stray.exists() and [p.read_bytes() for p in stray.parent.glob("2016-07.json.stray-*")] == [kept]
    cli("event", "add", "fr45", "--date", "2016-07-02", "--title", "july")
    assert "No problems found" in cli("doctor").stdout


def test_doctor_fix_dropped_a_renamed_segment_whose_intact_file_was_there(cli, segmented):
    folder = Path(str(segmented) + ".d/events")
    events = whole_store(segmented)["events"]
    (folder / "2016-06.json").rename(folder / "2016-05.json")
    checked = cli("doctor", expect=1)
    assert "2016-05.json" in checked.stdout and "events/2016-06" in checked.stdout
    fixed = cli("doctor", "--fix")
    assert "lost" not in fixed.stdout and "put 2016-05.json back as events/2016-06.json" in fixed.stdout
    assert whole_store(segmented)["events"] == events
    assert "No problems found" in cli("doctor").stdout


def test_a_segment_left_by_a_write_killed_before_it_removed_it_made_later_writes_of_its_month_refuse(cli, segmented):
    file = Path(str(segmented) + ".d/events/2016-07.json")
    added = cli.json("event", "add", "fr45", "--date", "2016-07-01", "--title", "gone soon")
    left = file.read_bytes()
    cli("event", "delete", added["id"], "--yes")
    file.write_bytes(left)  # as a write killed between the register's rename and the file's removal leaves it
    cli("event", "add", "fr45", "--date", "2014-06-02", "--title", "another month")
    cli("event", "add", "fr45", "--date", "2016-07-02", "--title", "july")
    assert [e["title"] for e in _events(cli) if e["date"].startswith("2016-07")] == ["july"]
    assert "No problems found" in cli("doctor").stdout


@pytest.fixture
def clones(tmp_path, cli, monkeypatch):
    """Two clones of one store with its events in segments, shared through git."""
    for variable, value in (
        ("GIT_AUTHOR_NAME", "Analyst"),
        ("GIT_AUTHOR_EMAIL", "analyst@example.org"),
        ("GIT_COMMITTER_NAME", "Analyst"),
        ("GIT_COMMITTER_EMAIL", "analyst@example.org"),
        ("DISPUTES_SEGMENTS_AT", "0"),
    ):
        monkeypatch.setenv(variable, value)
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
    return store, second / "register" / "disputes.json"


@pytest.mark.slow
@NEEDS_GIT
def test_an_event_moved_to_another_month_in_one_clone_and_retitled_in_the_other_was_in_two_segments_after_the_merge(
    cli, clones
):
    first, second = clones
    event = next(e for e in cli.json("--db", str(first), "event", "list") if e["date"].startswith("2016-06"))
    cli("--db", str(first), "event", "edit", event["id"], "--date", "2016-08-01")
    cli("--db", str(second), "event", "edit", event["id"], "--title", "Retitled")
    cli("--db", str(first), "sync")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "sync")
    listed = [e for e in cli.json("--db", str(second), "event", "list") if e["id"] == event["id"]]
    assert len(listed) >= 1
    checked = cli("--db", str(first), "doctor", expect=None)
    if len(listed) > 1:  # the merge left it in both segments: doctor says so, --fix keeps one
        assert f"event {event['id']} is in 2 segments" in checked.stdout
    deleted = cli("--db", str(second), "event", "delete", event["id"], "--yes")
    assert "Deleted" in deleted.stdout
    assert not [e for e in cli.json("--db", str(second), "event", "list") if e["id"] == event["id"]]
    fixed = cli("--db", str(first), "doctor", "--fix")
    # both copies sit in their date's segment: the newest edit (the retitle, made last) is kept
    assert f"kept one copy of event {event['id']}, the one in events/2016-06" in fixed.stdout
    assert [e["title"] for e in cli.json("--db", str(first), "event", "list") if e["id"] == event["id"]] == ["Retitled"]
    assert "No problems found" in cli("--db", str(first), "doctor").stdout
