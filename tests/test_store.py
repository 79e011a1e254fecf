"""The store's promises: atomic and locked writes, refusal of bad files, backups, migrations."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import assert_one_error_line, disputes_command, run

from disputes.store.lock import StoreLock
from disputes.store.paths import StoreFiles


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(store_path):
    """Issue 2: at least 20 `disputes add` processes at once, every record present."""
    writers = [
        subprocess.Popen(
            [*disputes_command(), "add", f"parallel {n}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for n in range(24)
    ]
    results = []
    for writer in writers:
        _, errors = writer.communicate(timeout=120)  # reads and closes its pipes
        results.append((writer.returncode, errors))
    assert all(code == 0 for code, _ in results), results
    titles = {d["title"] for d in json.loads(run("list", "--json").stdout)}
    assert titles == {f"parallel {n}" for n in range(24)}


@pytest.mark.slow
def test_concurrent_adds_and_changes_repeated(cli, store_path):
    """Issue 3: 16 processes adding and changing disputes at once (on 2 cores), in two rounds."""
    targets = [cli.add(f"target {n}")["id"] for n in range(8)]
    expected_titles = {f"target {n}" for n in range(8)}
    for round_number in range(2):
        commands = []
        for n in range(16):
            if n % 2:
                commands.append(["add", f"round {round_number} writer {n}"])
                expected_titles.add(f"round {round_number} writer {n}")
            else:
                commands.append(["edit", targets[n % 8], "--add-tag", f"r{round_number}w{n}"])
        workers = [
            subprocess.Popen([*disputes_command(), *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        said = [w.communicate(timeout=180)[1] for w in workers]  # reads and closes their pipes
        assert [w.returncode for w in workers] == [0] * 16, said
    disputes = {d["title"]: d for d in cli.json("list")}
    assert set(disputes) == expected_titles
    for round_number in range(2):
        for n in range(0, 16, 2):
            assert f"r{round_number}w{n}" in disputes[f"target {n % 8}"]["tags"]
    assert "No problems" in cli("doctor").stdout


@pytest.mark.slow
def test_sigkill_during_writes_never_loses_a_reported_success(cli, store_path):
    """Issue 3: kill writers at random moments on a store of thousands of disputes."""
    from disputes.ops.interchange import store_json
    from disputes.store.database import open_store

    with open_store(store_path, write=True) as store:
        store_json.import_store(
            store,
            {
                "disputes": [
                    {"title": f"bulk {n}", "parties": ["Belarus", "Russia"], "summary": "x" * 200} for n in range(3000)
                ]
            },
        )
    rng = random.Random(2016)
    succeeded = []
    rounds = 12  # each kill lands in its own slice of 0.05-0.6 s: start-up, reading, writing, renaming all get hit
    for attempt in range(rounds):
        child = subprocess.Popen(
            [*disputes_command(), "add", f"killed {attempt}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(0.05 + 0.55 * (attempt + rng.random()) / rounds)
        child.send_signal(signal.SIGKILL)
        child.communicate()  # reads and closes its pipe
        if child.returncode == 0:
            succeeded.append(f"killed {attempt}")
        with open_store(store_path) as store:  # read and checked as any command reads it, in this process
            titles = {d["title"] for d in store.records("disputes").values()}
        assert set(succeeded) <= titles
        assert sum(t.startswith("bulk ") for t in titles) == 3000
    print(f"{rounds - len(succeeded)} of {rounds} writers killed before they reported success; none lost")
    # what killed writers leave (temporary and staging files) is reported, and --fix removes it
    leftovers = list(store_path.parent.glob(".disputes.json.*"))
    checked = cli("doctor", expect=None)
    assert all(leftover.name in checked.stdout for leftover in leftovers)
    cli("doctor", "--fix")
    assert not list(store_path.parent.glob(".disputes.json.*"))
    assert "No problems" in cli("doctor").stdout


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   \n",
        b'{"_meta": {"format": "disputes", "schema": 1}, "disputes": {',
        b"\x00\x01\x02\xff\xfe binary",
        b'{"name": "a foreign file", "items": [1, 2]}',
        b"[1, 2, 3]",
        b"not json at all",
        b'{"_meta": {"format": "disputes", "schema": 1}, "disputes": []}',
    ],
)
def test_bad_store_files_are_refused_and_left_untouched(cli, store_path, content):
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(content)
    for command in (["list"], ["add", "New"], ["report"]):
        result = cli(*command, expect=1)
        assert_one_error_line(result, str(store_path))
        assert store_path.read_bytes() == content
    assert not StoreFiles(store_path).backup.exists()


def test_a_damaged_store_message_suggests_doctor(cli, store_path):
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b'{"_meta": {"format": "disputes", "schema": 1}, "disp')
    assert_one_error_line(cli("list", expect=1), "doctor")


def test_a_csv_given_to_db_is_another_tools_file_not_a_damaged_store(cli, tmp_path):
    """The WTO list given to --db instead of to `import`: it was called damaged, and doctor
    offered to restore a backup it never had. Nothing is written beside or into it."""
    wto = tmp_path / "wto_disputes.csv"
    wto.write_bytes((Path(__file__).parent / "data" / "wto_disputes.csv").read_bytes())
    content = wto.read_bytes()
    for command in (("list",), ("add", "A dispute", "-p", "Belarus"), ("report",)):
        refused = cli("--db", str(wto), *command, expect=1)
        assert_one_error_line(refused, "is not a disputes store", f"disputes import {wto}")
        assert "damaged" not in refused.stderr
    checked = cli("--db", str(wto), "doctor", expect=1)
    assert "is not a disputes store" in checked.stdout and "--restore" not in checked.stdout
    assert wto.read_bytes() == content and sorted(tmp_path.iterdir()) == [wto]  # no backup, no lock files


def test_the_merge_driver_names_the_version_that_does_not_read(cli, store_path, tmp_path):
    """The versions git hands the merge driver are bytes, not the user's --db: one that did not
    read was called 'not a disputes store' with `disputes import base` offered, or told to run
    `disputes --db theirs doctor` on a file that is nowhere. It is named by its side now."""
    cli.add("First")
    store, garbage = store_path.read_bytes(), tmp_path / "base"
    garbage.write_bytes(b"garbage, not a store\n")
    marked = tmp_path / "theirs"
    marked.write_bytes(store.replace(b'"disputes": {', b'<<<<<<< HEAD\n"disputes": {', 1))
    for base, theirs, said in (
        (garbage, store_path, "the common ancestor's version is damaged or not a store"),
        (store_path, marked, "the other branch's version holds git conflict markers"),
    ):
        ours = tmp_path / "ours"
        ours.write_bytes(store)
        refused = cli("merge-file", str(base), str(ours), str(theirs), expect=1)
        assert_one_error_line(refused, "cannot merge the store", said, "disputes doctor")
        assert "disputes import" not in refused.stderr and "--db" not in refused.stderr
        assert ours.read_bytes() == store


@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
def test_a_pipe_a_device_or_a_folder_given_to_db_is_refused_at_once(cli, tmp_path, kind):
    """A named pipe given to --db hung every command, waiting for a writer; /dev/null read
    as an empty store. Each is one line, for readers, writers and doctor, nothing beside it."""
    if kind == "pipe":
        given = tmp_path / "pipe"
        os.mkfifo(given)
    elif kind == "folder":
        given = tmp_path / "folder"
        given.mkdir()
    else:
        given = Path(os.devnull)
    what = "a folder" if kind == "folder" else "not a regular file"
    before = sorted(tmp_path.iterdir())
    for command in (("list",), ("add", "A dispute", "-p", "Belarus"), ("report",)):
        assert_one_error_line(cli("--db", str(given), *command, expect=1), what, "--db")
    checked = cli("--db", str(given), "doctor", expect=1)
    assert what in checked.stdout and "--restore" not in checked.stdout
    assert sorted(tmp_path.iterdir()) == before


def test_a_store_damaged_at_its_first_byte_is_still_a_damaged_store(cli, store_path):
    cli.add("First")
    cli.add("Second")
    store_path.write_bytes(b"#" + store_path.read_bytes()[1:])
    assert_one_error_line(cli("list", expect=1), "damaged", "doctor")
    assert "--restore" in cli("doctor", expect=1).stdout


def test_every_write_keeps_the_previous_version_as_backup(cli, store_path):
    cli.add("First")
    first_version = store_path.read_bytes()
    cli.add("Second")
    assert StoreFiles(store_path).backup.read_bytes() == first_version


def test_store_file_is_friendly_to_git(cli, store_path):
    for n in range(3):
        cli.add(f"Dispute {n}")
    lines = store_path.read_text().splitlines()
    start = lines.index('"disputes": {') + 1
    disputes = lines[start : lines.index("},", start)]
    assert len(disputes) == 3  # one record per line
    keys = [line.split('"', 2)[1] for line in disputes]
    assert keys == sorted(keys)
    record = json.loads(disputes[0].split(": ", 1)[1].rstrip(","))
    assert list(record) == sorted(record)  # stable key order


def test_a_busy_lock_gives_a_clear_error_naming_the_holder(cli, store_path):
    cli.add("Existing")
    before = store_path.read_bytes()
    with StoreLock(store_path):
        result = cli("--lock-timeout", "0.3", "add", "Blocked", expect=1)
    assert_one_error_line(result, "locked by pid", str(os.getpid()), "--lock-timeout")
    assert store_path.read_bytes() == before


def test_readers_do_not_wait_for_the_lock(cli, store_path):
    cli.add("Existing")
    with StoreLock(store_path):
        assert [d["title"] for d in cli.json("list")] == ["Existing"]


@pytest.mark.slow
def test_a_lock_left_by_a_dead_process_blocks_nobody(cli, store_path):
    store_path.parent.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock_file = store_path.with_name(store_path.name + ".lock")
    lock_file.write_text(json.dumps({"pid": dead.pid, "host": "elsewhere", "since": "2016-06-07T00:00:00Z"}))
    cli("--lock-timeout", "0.5", "add", "After the crash")
    assert cli.json("list")[0]["title"] == "After the crash"


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_a_failing_write_leaves_the_store_intact(cli, store_path, monkeypatch, failure):
    cli.add("Kept")
    before = store_path.read_bytes()

    def broken_fsync(fd):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(os, "fsync", broken_fsync)
    result = cli("add", "Lost", expect=1)
    assert_one_error_line(result, "cannot write store", os.strerror(failure), "unchanged")
    monkeypatch.undo()
    assert store_path.read_bytes() == before
    assert [p.name for p in store_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_read_only_folder_gives_a_clear_error(cli, store_path, monkeypatch):
    cli.add("Kept")
    before = store_path.read_bytes()
    if os.geteuid() == 0:  # root ignores permissions: make the folder refuse new files instead
        real_open = os.open

        def refusing_new_files(path, flags, *args, **kwargs):
            if flags & os.O_CREAT and str(path).endswith(".tmp"):
                raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_new_files)
        result = cli("add", "Lost", expect=1)
    else:
        store_path.parent.chmod(0o555)
        try:
            result = cli("add", "Lost", expect=1)
        finally:
            store_path.parent.chmod(0o755)
    assert_one_error_line(result, "cannot write store", str(store_path))
    assert store_path.read_bytes() == before


def test_a_store_of_the_first_released_format_opens(cli, store_path):
    """A store written by schema 1 (tests/data/store-v1.json) opens and reads back."""
    from pathlib import Path

    store_path.parent.mkdir(parents=True)
    store_path.write_bytes((Path(__file__).parent / "data" / "store-v1.json").read_bytes())
    titles = {d["title"] for d in cli.json("list", "--all")}
    assert "Price of Russian gas supplies to Belarus" in titles
    cli.add("Added after the upgrade")
    from disputes.store.migrations import SCHEMA

    assert json.loads(store_path.read_text())["_meta"]["schema"] == SCHEMA


def test_a_store_from_a_newer_version_is_refused(cli, store_path):
    store_path.parent.mkdir(parents=True)
    content = b'{"_meta": {"format": "disputes", "schema": 999}, "disputes": {}}'
    store_path.write_bytes(content)
    assert_one_error_line(cli("list", expect=1), "newer disputes", "upgrade")
    assert store_path.read_bytes() == content


def _edit_store(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_doctor_finds_dangling_links_and_fixes_them(cli, store_path):
    cli("seed")
    gas = "vfb3nbqd37"

    def drop_gas(data):  # as a bad hand edit or merge might
        del data["disputes"][gas]
        data["relations"]["fr45z4r7dr:blocks:" + gas] = {"from": "fr45z4r7dr", "type": "blocks", "to": gas}

    _edit_store(store_path, drop_gas)
    found = cli("doctor", expect=1).stdout
    assert "missing dispute(s) vfb3nbqd37" in found and "doctor --fix" in found
    fixed = cli("doctor", "--fix")
    assert "unlinked event" in fixed.stdout and "removed relation" in fixed.stdout
    assert "No problems found" in fixed.stdout
    assert all(gas not in e["disputes"] for e in cli.json("event", "list"))


def test_bug_doctor_stopped_on_an_event_linked_to_a_list_instead_of_an_id(cli, store_path):
    """A hand edit left `"disputes": [["x"], "fr45z4r7dr"]`: doctor and doctor --fix ended in
    "internal error (TypeError: unhashable type: 'list')"."""
    cli("seed")
    apples = "8cyza2xcg0"

    def spoil(data):
        data["events"][apples]["disputes"] = [["x"], "fr45z4r7dr"]
        del data["_meta"]["sections"]

    _edit_store(store_path, spoil)
    found = cli("doctor", expect=1)
    assert f"event {apples} is linked to missing dispute(s) ['x']" in found.stdout
    assert "internal error" not in found.stderr
    fixed = cli("doctor", "--fix")
    assert f"unlinked event {apples} from missing disputes" in fixed.stdout and "No problems found" in fixed.stdout
    assert cli.json("event", "show", apples)["disputes"] == ["fr45z4r7dr"]


def test_doctor_reports_invalid_values(cli, store_path):
    cli("seed")

    def spoil(data):
        data["disputes"]["3zp0pdgwa5"]["status"] = "settled"
        data["disputes"]["fr45z4r7dr"]["opened"] = "2016-13"
        data["events"]["8cyza2xcg0"]["score"] = 42

    _edit_store(store_path, spoil)
    report = json.loads(cli("doctor", "--json", expect=1).stdout)
    problems = " | ".join(report["problems"])
    assert "invalid status: 'settled'" in problems and "invalid opened" in problems and "outside -10..10" in problems


def test_doctor_restores_a_damaged_store_from_its_backup(cli, store_path):
    cli.add("First")
    cli.add("Second")
    store_path.write_bytes(b'{"_meta": {"format": "disputes", "sch')
    assert "damaged" in cli("doctor", expect=1).stdout
    restored = cli("doctor", "--restore")
    assert "restored" in restored.stdout and "No problems found" in restored.stdout
    assert [d["title"] for d in cli.json("list")] == ["First"]
    assert len(list(store_path.parent.glob("disputes.json.damaged-*"))) == 1


def test_doctor_on_a_healthy_seed_store(cli):
    cli("seed")
    assert cli.json("doctor")["problems"] == []


def test_an_export_given_as_the_store_is_named_for_what_it_is(cli, tmp_path):
    from conftest import assert_one_error_line

    cli("seed")
    exported = tmp_path / "export.json"
    cli("export", "--output", str(exported))
    before = exported.read_bytes()
    result = cli("--db", str(exported), "add", "Not here", expect=1)
    assert_one_error_line(result, "is a disputes export, not a store", f"disputes import {exported}")
    assert exported.read_bytes() == before


def test_an_upgraded_store_trusted_an_index_of_the_older_fields_and_doctor_flagged_it(cli, store_path):
    """A store of schema 13 (before owners and stages were indexed) upgraded in memory kept
    trusting its index, whose lines lack those fields: doctor said it did not match. An
    upgrade now trusts no index, and the next write writes each anew with every field."""
    from disputes.core import model
    from disputes.store.database import read_unchecked
    from disputes.store.migrations import SCHEMA, upgrade

    cli("seed")
    text = store_path.read_text(encoding="utf-8")
    store_path.write_text(text.replace(f'"schema":{SCHEMA},', '"schema":13,', 1), encoding="utf-8")
    tables = read_unchecked(store_path)
    assert tables is not None and tables.index_as_read("disputes") is not None  # as the file vouches
    upgrade(tables, store_path)
    assert tables.index_as_read("disputes") is None
    cli("add", "After the upgrade")
    rows = json.loads(store_path.read_bytes())["disputes.index"].values()
    assert all(set(row) == set(model.SUMMARY) for row in rows)
    assert "No problems found" in cli("doctor").stdout
