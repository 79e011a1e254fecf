"""What an attacker found in the segment storage (docs/storage.md): each test is named after
the bug it pins, on a real store with its events in segments (DISPUTES_SEGMENTS_AT=0)."""

import shutil
from pathlib import Path

import pytest
from conftest import assert_one_error_line


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
