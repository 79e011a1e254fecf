"""A register with segments shared through git (issue 48, docs/storage.md): the folder is the
register; each segment file is merged record by record; the manifest is rebuilt, never merged."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, git

pytestmark = [pytest.mark.slow, NEEDS_GIT]


@pytest.fixture(autouse=True)
def analyst(monkeypatch):
    for variable, value in (
        ("GIT_AUTHOR_NAME", "Analyst"),
        ("GIT_AUTHOR_EMAIL", "analyst@example.org"),
        ("GIT_COMMITTER_NAME", "Analyst"),
        ("GIT_COMMITTER_EMAIL", "analyst@example.org"),
    ):
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")  # every store here keeps its events in segments


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
    return store, second / "register" / "disputes.json"


def _events(cli, store: Path) -> dict[str, dict]:
    return {e["id"]: e for e in json.loads(cli("--db", str(store), "event", "list", "--json").stdout)}


def test_git_setup_tracks_the_segments_folder_and_gives_its_files_the_driver(cli, clones):
    first, second = clones
    repo = first.parent.parent
    assert "register/disputes.json.d/**/*.json merge=disputes" in (repo / ".gitattributes").read_text()
    assert "register/disputes.json.d/**/.*.json.old" in (repo / ".gitignore").read_text()
    tracked = git(repo, "ls-files", "register").split()
    assert "register/disputes.json.d/events/2016-06.json" in tracked
    assert _events(cli, second) == _events(cli, first)  # the clone reads the events it was given


def test_events_added_in_two_clones_in_the_same_month_and_in_others_all_survive_the_merge(cli, clones):
    first, second = clones
    dispute = json.loads(cli("--db", str(first), "list", "--all", "--json").stdout)[0]["id"]

    def add(store: Path, date: str, title: str) -> str:
        return json.loads(
            cli("--db", str(store), "event", "add", dispute, "--date", date, "--title", title, "--json").stdout
        )["id"]

    added = {
        add(first, "2016-06-20", "First, same month"),
        add(first, "2001-01-05", "First, a month of its own"),
        add(second, "2016-06-21", "Second, same month"),
        add(second, "2002-02-06", "Second, another month of its own"),
    }
    seeded = _events(cli, first).keys() - added
    cli("--db", str(first), "sync")
    cli("--db", str(second), "sync")
    cli("--db", str(first), "sync")
    for store in (first, second):
        events = _events(cli, store)
        assert events.keys() == seeded | added
        assert "No problems found" in cli("--db", str(store), "doctor").stdout
        text = (Path(str(store) + ".d") / "events" / "2016-06.json").read_text()
        assert "<<<<<<<" not in text and "First, same month" in text and "Second, same month" in text
    assert _events(cli, first) == _events(cli, second)
    # the manifest is derived: after the merge it is rebuilt from the files, and a write lays it out
    cli("--db", str(second), "add", "After the merge", "--party", "France")
    manifest = json.loads(second.read_bytes())["_meta"]["segments"]
    assert {"events/2001-01", "events/2002-02", "events/2016-06"} <= manifest.keys()
    assert "rebuild" not in json.loads(second.read_bytes())["_meta"]
