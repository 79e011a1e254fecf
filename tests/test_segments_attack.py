"""What an attacker found in the segment storage (docs/storage.md): each test is named after
the bug it pins, on a real store with its events in segments (DISPUTES_SEGMENTS_AT=0)."""

import shutil
from pathlib import Path

import pytest
from conftest import assert_one_error_line, whole_store


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
