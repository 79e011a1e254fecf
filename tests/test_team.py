"""Issue 26: a team's desk -- clones that join before the first push, a clean tree, who changed
what, a dropped value taken back, redo, and a merge driver that survives a moved environment.
Real git: a bare repository and clones, each analyst with a `user.name` of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, assert_one_error_line, git, later, run

pytestmark = [pytest.mark.slow, NEEDS_GIT]


@pytest.fixture(autouse=True)
def no_identity_from_the_environment(monkeypatch):
    """Each clone says who its analyst is in its own git config, as on three machines."""
    for variable in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "DISPUTES_AUTHOR"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # the machine's own identity plays no part


def clone(origin: Path, folder: Path, analyst: str) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(folder)], check=True, capture_output=True)
    git(folder, "config", "user.name", analyst)
    return folder / "disputes.json"


@pytest.fixture
def origin(tmp_path) -> Path:
    path = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


def clean(store: Path) -> bool:
    return git(store.parent, "status", "--porcelain") == ""


def titles(cli, store: Path) -> set[str]:
    return {d["title"] for d in cli.json("--db", str(store), "list", "--all")}


def test_two_clones_made_before_the_first_push_both_join(cli, origin, tmp_path):
    anna = clone(origin, tmp_path / "anna", "Anna")
    boris = clone(origin, tmp_path / "boris", "Boris")  # both cloned the empty repository
    cli("--db", str(anna), "add", "Gas transit fees")
    cli("--db", str(anna), "git-setup")
    cli("--db", str(anna), "sync")  # publishes
    cli("--db", str(boris), "add", "Dairy ban")
    cli("--db", str(boris), "git-setup")  # its own .gitattributes and .gitignore, untracked
    said = cli("--db", str(boris), "sync").stdout
    assert "joined origin/main" in said
    cli("--db", str(anna), "sync")
    assert titles(cli, anna) == titles(cli, boris) == {"Gas transit fees", "Dairy ban"}
    assert clean(anna) and clean(boris)
    # a third who has no store of their own yet joins too
    clara = clone(origin, tmp_path / "clara", "Clara")
    cli("--db", str(clara), "git-setup")
    cli("--db", str(clara), "sync")
    assert titles(cli, clara) == {"Gas transit fees", "Dairy ban"} and clean(clara)


def test_a_repository_s_own_gitignore_and_gitattributes_are_kept(cli, origin, tmp_path):
    anna = clone(origin, tmp_path / "anna", "Anna")
    (anna.parent / ".gitignore").write_text("*.pyc\nbuild/\n")
    (anna.parent / ".gitattributes").write_text("*.png binary\n")
    cli("--db", str(anna), "add", "Kept")
    cli("--db", str(anna), "git-setup")
    ignored = (anna.parent / ".gitignore").read_text().splitlines()
    assert ignored[:2] == ["*.pyc", "build/"] and "disputes.json.undo" in ignored
    assert (anna.parent / ".gitattributes").read_text().startswith("*.png binary\n")


def test_the_tree_stays_clean_after_any_command_and_sync(cli, origin, tmp_path):
    anna = clone(origin, tmp_path / "anna", "Anna")
    cli("--db", str(anna), "seed")
    cli("--db", str(anna), "sync")
    for command in (["edit", "fr45", "--priority", "low"], ["undo"], ["doctor"], ["export", "--format", "csv"]):
        cli("--db", str(anna), *command)
    cli("--db", str(anna), "sync")
    assert clean(anna), git(anna.parent, "status", "--porcelain")


def test_history_names_who_changed_what(cli, origin, tmp_path):
    anna, boris = clone(origin, tmp_path / "anna", "Anna"), None
    cli("--db", str(anna), "seed")
    cli("--db", str(anna), "sync")
    boris = clone(origin, tmp_path / "boris", "Boris")
    cli("--db", str(boris), "edit", "fr45", "--priority", "low")
    cli("--db", str(boris), "sync")
    cli("--db", str(anna), "sync")
    entries = cli.json("--db", str(anna), "history")
    assert {e["author"] for e in entries} == {"Anna", "Boris"}
    by_boris = cli.json("--db", str(anna), "history", "--author", "boris")
    assert [e["summary"] for e in by_boris] == ["changed priority"]
    assert "by Boris" in cli("--db", str(anna), "show", "fr45").stdout
    assert "(Boris)" in cli("--db", str(anna), "history").stdout


def test_conflicts_say_who_and_a_dropped_value_comes_back(cli, origin, tmp_path, monkeypatch):
    anna = clone(origin, tmp_path / "anna", "Anna")
    cli("--db", str(anna), "seed")
    cli("--db", str(anna), "sync")
    boris = clone(origin, tmp_path / "boris", "Boris")
    cli("--db", str(anna), "edit", "vfb3", "--title", "Gas price (Anna)")
    cli("--db", str(anna), "sync")
    later(monkeypatch)  # Boris's edit is the newer one
    cli("--db", str(boris), "edit", "vfb3", "--title", "Gas price (Boris)")
    said = cli("--db", str(boris), "sync").stdout
    assert "the merge decided 1 conflict(s)" in said
    [decision] = cli.json("--db", str(boris), "conflicts")
    assert (decision["record"], decision["field"], decision["kept"], decision["dropped"]) == (
        "vfb3nbqd37",
        "title",
        "Gas price (Boris)",
        "Gas price (Anna)",
    )
    assert (decision["kept_by"], decision["dropped_by"], decision["dispute"]) == ("Boris", "Anna", "vfb3nbqd37")
    assert decision["id"] and decision["at"]
    restored = cli.json("--db", str(boris), "conflicts", "restore", decision["id"][:5])
    assert restored["dropped"] == "Gas price (Anna)"
    assert cli.json("--db", str(boris), "show", "vfb3")["title"] == "Gas price (Anna)"
    cli("--db", str(boris), "undo")  # a restore is a change like any other
    assert cli.json("--db", str(boris), "show", "vfb3")["title"] == "Gas price (Boris)"
    cli("--db", str(boris), "edit", "vfb3", "--title", "Gas price (agreed)")
    assert_one_error_line(
        cli("--db", str(boris), "conflicts", "restore", decision["id"], expect=2), "title", "has changed since"
    )
    assert_one_error_line(cli("--db", str(boris), "conflicts", "restore", "zzzz", expect=1), "no decision matches")


def test_redo_takes_back_what_undo_reverted_until_another_change(cli, tmp_path):
    store = tmp_path / "alone.json"
    cli("--db", str(store), "seed")
    cli("--db", str(store), "edit", "fr45", "--priority", "low")
    cli("--db", str(store), "edit", "fr45", "--title", "Re-exports")
    cli("--db", str(store), "undo")
    cli("--db", str(store), "undo")
    cli("--db", str(store), "redo")
    assert cli.json("--db", str(store), "show", "fr45")["priority"] == "low"
    cli("--db", str(store), "redo")
    assert cli.json("--db", str(store), "show", "fr45")["title"] == "Re-exports"
    assert_one_error_line(cli("--db", str(store), "redo", expect=1), "nothing to redo")
    cli("--db", str(store), "undo")
    cli("--db", str(store), "edit", "fr45", "--priority", "high")  # another change: the undo stays
    assert_one_error_line(cli("--db", str(store), "redo", expect=1), "nothing to redo")


def test_the_merge_driver_survives_a_moved_environment_and_doctor_notices_a_broken_one(cli, origin, tmp_path):
    anna = clone(origin, tmp_path / "anna", "Anna")
    cli("--db", str(anna), "seed")
    cli("--db", str(anna), "sync")
    script = anna.parent / ".git" / "disputes-merge-driver"
    moved = script.read_text().replace(f"recorded='{sys.executable}'", "recorded=/gone/venv/bin/python")
    moved = moved.replace(f"recorded={sys.executable}", "recorded=/gone/venv/bin/python")
    script.write_text(moved)
    here = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = subprocess.run(["sh", str(script), "--check"], env={**os.environ, "PATH": here})
    assert found.returncode == 0  # the environment moved, the tool is still found on PATH
    # an old setup that names an interpreter that is gone: doctor says so, git-setup mends it
    git(anna.parent, "config", "merge.disputes.driver", "/gone/venv/bin/python -m disputes merge-file %O %A %B")
    checked = cli("--db", str(anna), "doctor", expect=1).stdout
    assert "merge driver" in checked and "git-setup" in checked
    cli("--db", str(anna), "git-setup")
    assert cli("--db", str(anna), "doctor").exit_code == 0
    # and a real merge runs through the driver
    boris = clone(origin, tmp_path / "boris", "Boris")
    cli("--db", str(boris), "git-setup")
    cli("--db", str(anna), "edit", "fr45", "--priority", "low")
    cli("--db", str(boris), "edit", "vfb3", "--priority", "low")
    cli("--db", str(anna), "sync")
    done = run("--db", str(boris), "sync", env={"PATH": here})
    assert done.returncode == 0, done.stderr
    merged = {d["id"][:4]: d["priority"] for d in json.loads(run("--db", str(boris), "list", "--json").stdout)}
    assert merged["fr45"] == "low" and merged["vfb3"] == "low"
