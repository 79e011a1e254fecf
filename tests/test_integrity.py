"""Issue 10: nothing a user saved is ever lost or silently damaged, whatever the file has
been through. Each test is named after the class of bug it pins (an adversarial sweep)."""

from __future__ import annotations

import errno
import json

import pytest
from conftest import assert_one_error_line

from disputes.store.paths import StoreFiles

WRITES = [
    ["add", "One more"],
    ["edit", "vfb3", "--priority", "low"],
    ["status", "3zp0", "frozen"],
]


def _seeded(cli, store_path) -> bytes:
    cli("seed")
    cli("edit", "vfb3", "--add-tag", "transit")  # a second write: the backup holds a good version
    return store_path.read_bytes()


def _records(path) -> dict:
    data = json.loads(path.read_bytes())
    return {name: set(table) for name, table in data.items() if name != "_meta"}


@pytest.mark.parametrize("layout", ["one line", "indented", "keys reversed"])
def test_bug_a_store_in_another_valid_layout_was_misread_and_its_records_dropped(cli, store_path, layout):
    _seeded(cli, store_path)
    data = json.loads(store_path.read_bytes())
    if layout == "one line":
        text = json.dumps(data, ensure_ascii=False)
    elif layout == "indented":
        text = json.dumps(data, indent=4, ensure_ascii=False)
    else:
        text = json.dumps({name: dict(reversed(list(table.items()))) for name, table in reversed(list(data.items()))})
    store_path.write_text(text)
    before = _records(store_path)
    assert {d["id"] for d in cli.json("list", "--all")} == before["disputes"]
    assert {e["id"] for e in cli.json("event", "list")} == before["events"]
    cli("add", "After the hand edit")
    after = _records(store_path)
    assert after["disputes"] > before["disputes"] and after["events"] == before["events"]
    assert after["relations"] == before["relations"] and after["history"] > before["history"]
    assert cli("doctor").exit_code == 0


DAMAGE = {
    "conflict markers in the events": ('"events": {\n', '"events": {\n<<<<<<< HEAD\n=======\n>>>>>>> theirs\n'),
    "a broken event line": ('"events": {\n', '"events": {\n"broken": {"title": \n'),
    "a broken history line": ('"history": {\n', '"history": {\n"x": [,\n'),
    "one byte of an event changed": ('"events": {\n"', '"events": {\n#'),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_bug_damage_inside_a_table_was_copied_forward_by_writes_and_into_the_backup(cli, store_path, damage):
    _seeded(cli, store_path)
    old, new = DAMAGE[damage]
    store_path.write_bytes(store_path.read_bytes().replace(old.encode(), new.encode(), 1))
    damaged, backup = store_path.read_bytes(), StoreFiles(store_path).backup.read_bytes()
    for command in WRITES:
        result = cli(*command, expect=1)
        assert_one_error_line(result, str(store_path), "doctor")
        assert "conflict markers" in result.stderr or "'events'" in result.stderr or "'history'" in result.stderr
        assert store_path.read_bytes() == damaged and StoreFiles(store_path).backup.read_bytes() == backup
    assert cli("doctor", expect=1).exit_code == 1


HAND_EDITS = {
    "parties as text": ("disputes", "vfb3nbqd37", "parties", "Belarus", "parties"),
    "a title that is a list": ("disputes", "vfb3nbqd37", "title", ["Gas", "price"], "title"),
    "created as a number": ("disputes", "vfb3nbqd37", "created", 20160607, "created"),
    "a score that is text": ("events", "8cyza2xcg0", "score", "-7", "score"),
    "the disputes of an event as text": ("events", "8cyza2xcg0", "disputes", "fr45z4r7dr", "disputes"),
    "an event's actors as an object": ("events", "8cyza2xcg0", "actors", {"BLR": 1}, "actors"),  # was a TypeError
}


@pytest.mark.parametrize("edit", sorted(HAND_EDITS))
def test_bug_wrong_types_in_a_hand_edited_store_were_accepted_or_crashed(cli, store_path, edit):
    table, key, field, value, named = HAND_EDITS[edit]
    _seeded(cli, store_path)
    data = json.loads(store_path.read_bytes())
    data[table][key][field] = value
    store_path.write_text(json.dumps(data, indent=1))
    edited = store_path.read_bytes()
    for command in (*WRITES, ["list"], ["report"], ["event", "list"]):
        result = cli(*command, expect=1)
        assert_one_error_line(result, key, named)
        assert store_path.read_bytes() == edited
    problems = " | ".join(json.loads(cli("doctor", "--json", expect=1).stdout)["problems"])
    assert key in problems and named in problems


# Doctor and backups


def test_bug_restore_checked_only_the_first_line_of_the_backup(cli, store_path):
    _seeded(cli, store_path)
    backup = StoreFiles(store_path).backup
    spoiled = backup.read_bytes().replace(b'"events": {\n"', b'"events": {\n#', 1)  # deep inside
    backup.write_bytes(spoiled)
    store_path.write_bytes(b"{ damaged")
    result = cli("doctor", "--restore", expect=1)
    assert_one_error_line(result, "backup", "damaged")
    assert store_path.read_bytes() == b"{ damaged" and backup.read_bytes() == spoiled


def test_bug_restore_on_a_healthy_store_silently_rolled_back_the_last_change(cli, store_path):
    _seeded(cli, store_path)
    healthy = store_path.read_bytes()
    assert_one_error_line(cli("doctor", "--restore", expect=1), "healthy", "--force")
    assert store_path.read_bytes() == healthy
    cli("doctor", "--restore", "--force")
    assert "transit" not in cli.json("show", "vfb3")["tags"]  # rolled back, as forced
    assert cli.json("history")[-1]["action"] == "restore"  # and recorded


def test_bug_two_restores_in_one_second_overwrote_the_set_aside_copy(cli, store_path):
    _seeded(cli, store_path)
    store_path.write_bytes(b"{ first damage")
    cli("doctor", "--restore")
    store_path.write_bytes(b"{ second damage")
    cli("doctor", "--restore")
    kept = sorted(p.read_bytes() for p in store_path.parent.glob("disputes.json.damaged-*"))
    assert kept == [b"{ first damage", b"{ second damage"]


def test_bug_what_killed_writers_leave_was_never_reported_or_cleaned(cli, store_path):
    _seeded(cli, store_path)
    leftovers = [
        store_path.with_name(".disputes.json.4242.0badf00d.tmp"),
        store_path.with_name(".disputes.json.bak.4242"),
    ]
    for leftover in leftovers:
        leftover.write_bytes(store_path.read_bytes()[:1000])
    problems = " ".join(json.loads(cli("doctor", "--json", expect=1).stdout)["problems"])
    assert all(leftover.name in problems for leftover in leftovers)
    cli("doctor", "--fix")
    assert not any(leftover.exists() for leftover in leftovers)
    assert cli("doctor").exit_code == 0


# Files as users have them


def test_bug_a_symlinked_store_was_replaced_by_a_regular_file(cli, store_path, tmp_path):
    real = tmp_path / "shared" / "register.json"
    real.parent.mkdir()
    store_path.parent.mkdir(parents=True)
    store_path.symlink_to(real)
    cli.add("Through the link")
    cli.add("Twice")
    assert store_path.is_symlink() and {d["title"] for d in json.loads(real.read_bytes())["disputes"].values()} == {
        "Through the link",
        "Twice",
    }


def test_bug_a_read_only_store_was_silently_replaced(cli, store_path):
    _seeded(cli, store_path)
    before = store_path.read_bytes()
    store_path.chmod(0o444)
    try:
        assert_one_error_line(cli("add", "Not allowed", expect=1), "read-only")
        assert store_path.read_bytes() == before
    finally:
        store_path.chmod(0o644)


def test_bug_a_full_disk_while_writing_the_lock_file_was_an_internal_error(cli, store_path, monkeypatch):
    import errno
    import os

    _seeded(cli, store_path)
    before = store_path.read_bytes()
    real_open = os.open

    def full_disk(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", full_disk)
    assert_one_error_line(cli("add", "No room", expect=1), "No space left", "previous version is unchanged")
    assert store_path.read_bytes() == before


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EIO])
def test_a_failed_copy_of_the_unchanged_bytes_leaves_the_store_as_it_was(cli, store_path, monkeypatch, failure):
    """The sections a write carries are copied by the system (copy_file_range): a full disk
    or an I/O error there is one line, and the old file stays."""
    import os

    if not hasattr(os, "copy_file_range"):
        pytest.skip("no copy_file_range on this system")
    _seeded(cli, store_path)
    before = store_path.read_bytes()

    def failing(*args, **kwargs):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(os, "copy_file_range", failing)
    assert_one_error_line(cli("add", "No room", expect=1), os.strerror(failure), "previous version is unchanged")
    assert store_path.read_bytes() == before
    assert not list(store_path.parent.glob(".*.tmp"))  # the new version, not kept


# Keys, history and undo

HOSTILE_KEYS = ['a": b', 'quo"te', "back\\slash", "new\nline", "ключ ✓", '": {"x": 1}, "y', "}\n,"]


def test_bug_an_imported_history_id_with_quotes_broke_every_later_write(cli, store_path, tmp_path):
    cli("seed")
    source = tmp_path / "hostile.json"
    history = [
        {"id": key, "at": "2016-06-07T00:00:00Z", "action": "add", "summary": "x", "changes": []}
        for key in HOSTILE_KEYS
    ]
    source.write_text(json.dumps({"disputes": [{"title": "Imported"}], "history": history}))
    cli("import", str(source))
    for n in range(3):
        cli("add", f"After {n}")
        cli("edit", "vfb3", "--priority", ["low", "high", "critical"][n])
    keys = {entry["id"] for entry in cli.json("history")}
    assert set(HOSTILE_KEYS) <= keys
    assert cli("doctor").exit_code == 0


def test_bug_undo_after_an_import_deleted_an_unrelated_dispute(cli, store_path, tmp_path):
    mine = cli.add("Mine, typed here")["id"]
    other = tmp_path / "other.json"
    cli("--db", str(other), "add", "Theirs")
    cli("--db", str(other), "add", "Theirs too")
    exported = tmp_path / "export.json"
    cli("--db", str(other), "export", "--output", str(exported))
    cli("import", str(exported))
    cli("undo")  # undoes the import: exactly what it added
    assert [d["id"] for d in cli.json("list")] == [mine]
    cli("undo")  # then my own add
    assert cli.json("list") == []
    assert_one_error_line(cli("undo", expect=1), "nothing to undo")


def test_bug_an_entry_from_a_clone_whose_clock_runs_ahead_jumped_the_undo_queue(cli, store_path, tmp_path):
    source = tmp_path / "ahead.json"
    future = {
        "id": "29991231T235959000000-ffff",
        "at": "2999-12-31T23:59:59Z",
        "action": "add",
        "summary": "from the future",
        "changes": [
            {"table": "disputes", "id": "zzzz000000", "before": None, "after": {"id": "zzzz000000", "title": "x"}}
        ],
    }
    source.write_text(json.dumps({"disputes": [{"title": "Imported"}], "history": [future]}))
    cli("import", str(source))
    local = cli.add("Typed after the import")["id"]
    undone = cli.json("undo")
    assert undone["action"] == "add" and local not in {d["id"] for d in cli.json("list")}
    assert "Imported" in {d["title"] for d in cli.json("list")}


def _as_if_merged(cli, store_path, tmp_path, *change: str) -> None:
    """A teammate's change arriving in the file (as a git merge brings it), not through this copy."""
    teammate = tmp_path / "teammate.json"
    teammate.write_bytes(store_path.read_bytes())
    cli("--db", str(teammate), *change)
    store_path.write_bytes(teammate.read_bytes())


def test_bug_undo_after_a_merge_lost_the_other_clones_change_to_another_field(cli, store_path, tmp_path):
    gas = cli.add("Gas", "--priority", "medium")["id"]
    cli("edit", gas, "--priority", "high")
    _as_if_merged(cli, store_path, tmp_path, "edit", gas, "--title", "Gas price (teammate's title)")
    cli("undo")
    shown = cli.json("show", gas)
    assert (shown["priority"], shown["title"]) == ("medium", "Gas price (teammate's title)")


def test_bug_undo_overwrote_a_field_changed_since_by_a_merge(cli, store_path, tmp_path):
    gas = cli.add("Gas")["id"]
    cli("edit", gas, "--priority", "high")
    _as_if_merged(cli, store_path, tmp_path, "edit", gas, "--priority", "critical")
    before = store_path.read_bytes()
    assert_one_error_line(cli("undo", expect=1), "priority", gas, "changed since")
    assert store_path.read_bytes() == before


def test_bug_an_import_with_duplicate_ids_linked_an_event_to_the_wrong_dispute(cli, store_path, tmp_path):
    source = tmp_path / "dupes.json"
    source.write_text(
        json.dumps(
            {
                "disputes": [{"id": "gas", "title": "Gas"}, {"id": "gas", "title": "Milk"}],
                "events": [{"date": "2016", "title": "Talks", "disputes": ["gas"]}],
            }
        )
    )
    assert_one_error_line(cli("import", str(source), expect=2), "'gas'", "two disputes")
    assert not store_path.exists()


def test_bug_hand_written_ids_were_lowercased_so_Gas_was_refused(cli, store_path, tmp_path):
    source = tmp_path / "cased.json"
    source.write_text(
        json.dumps(
            {
                "disputes": [{"id": "Gas", "title": "Gas price"}, {"id": "gas", "title": "Another"}],
                "events": [{"date": "2016", "title": "Talks", "disputes": ["Gas"]}],
            }
        )
    )
    cli("import", str(source))
    (talks,) = cli.json("event", "list")
    assert cli.json("show", talks["disputes"][0])["title"] == "Gas price"


# One truth


def test_bug_a_backdated_status_change_made_list_and_report_disagree(cli):
    gas = cli.add("Gas", "--opened", "2016-01")["id"]
    cli("status", gas, "negotiating", "--date", "2016-06-07")
    said = cli("status", gas, "escalated", "--date", "2016-03-01").stdout
    assert "stays negotiating" in said
    listed = cli.json("list")[0]["status"]
    reported = cli.json("report", "--as-of", "2016-12-31")["unresolved"][0]["status"]
    assert listed == reported == "negotiating"


def test_bug_a_merge_where_both_sides_changed_the_status_left_status_and_history_disagreeing():
    from disputes.core.record_merge import merge_stores

    base_record = {
        "id": "d",
        "title": "Gas",
        "status": "open",
        "updated": "2016-01-01T00:00:00Z",
        "status_history": [{"date": "2016-01", "status": "open", "note": ""}],
    }
    ours = {
        **base_record,
        "status": "escalated",
        "updated": "2016-09-01T00:00:00Z",
        "status_history": [*base_record["status_history"], {"date": "2016-06", "status": "escalated", "note": ""}],
    }
    theirs = {
        **base_record,
        "status": "frozen",
        "updated": "2016-08-01T00:00:00Z",
        "status_history": [*base_record["status_history"], {"date": "2016-07", "status": "frozen", "note": ""}],
    }
    meta = {"_meta": {"format": "disputes", "schema": 3}}
    merged, _ = merge_stores(
        {**meta, "disputes": {"d": base_record}}, {**meta, "disputes": {"d": ours}}, {**meta, "disputes": {"d": theirs}}
    )
    record = merged["disputes"]["d"]
    assert record["status"] == record["status_history"][-1]["status"] == "frozen"


def test_bug_a_reference_equal_to_another_disputes_short_id_silently_won(cli):
    cli("seed")
    warned = cli("add", "Lookalike", "--ref", "VFB3")
    assert "Warning:" in warned.stderr and "vfb3nbqd37" in warned.stderr
    result = cli("status", "vfb3", "resolved", expect=2)
    assert_one_error_line(result, "vfb3nbqd37", "reference")
    assert cli.json("show", "vfb3nbqd37")["status"] == "negotiating"


# What reaches the terminal


def test_bug_escape_sequences_and_bidi_overrides_reached_the_terminal_raw(cli):
    tricky = "Gas \u202eecirp\u202c talks"
    gas = cli.add(tricky, "--summary", "line one\nline two")["id"]
    cli("edit", gas, "--note", "why \u2066 not", "--priority", "high")
    for command in (["show", gas], ["history"], ["list"], ["report"], ["timeline"]):
        shown = cli(*command).stdout
        assert "\u202e" not in shown and "\u2066" not in shown
    assert "\\u202e" in cli("show", gas).stdout
    assert cli.json("show", gas)["title"] == tricky  # the data is kept as it is
    result = cli("show", "\x1b]0;owned\x07\x1b[2J", expect=1)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_bug_a_huge_value_gave_an_error_line_as_long(cli):
    result = cli("show", "x" * 200_000, expect=1)
    assert_one_error_line(result, "disputes list")
    assert len(result.stderr) < 1100


@pytest.mark.parametrize(
    "content, words",
    [
        ('{"disputes": [], "events": 5}', "'events' is not a list"),
        ('{"disputes": [], "history": [{"id": "h", "changes": 3}]}', "history entry 1 is malformed"),
        ('{"disputes": [], "history": [{"id": "h", "changes": [{"table": "nope", "id": "x"}]}]}', "history entry 1"),
        ('{"disputes": [{"title": ' + "[" * 300 + "]" * 300 + "}]}", "dispute 1"),
        ('{"disputes": [{"title": "x", "parties": "Belarus"}]}', "list of names"),
    ],
)
def test_bug_malformed_imports_gave_internal_errors(cli, store_path, tmp_path, content, words):
    source = tmp_path / "bad.json"
    source.write_text(content)
    assert_one_error_line(cli("import", str(source), expect=2), words)
    assert not store_path.exists()


@pytest.mark.parametrize("args", [["report", "--as-of", "0001-01-05"], ["report", "--window", "1000000000"]])
def test_bug_extreme_report_dates_gave_internal_errors(cli, args):
    cli("seed")
    assert "Status report" in cli(*args).stdout


def test_bug_a_huge_csv_field_gave_no_line_number(cli, store_path, tmp_path):
    source = tmp_path / "huge.csv"
    source.write_text('Title\nfine\n"' + "x" * 140_000 + '"\n')
    assert_one_error_line(cli("import", str(source), "--map", "Title=title", expect=2), "line 3")
    assert not store_path.exists()


def test_bug_ragged_csv_rows_with_extra_columns_were_silently_accepted(cli, store_path, tmp_path):
    source = tmp_path / "ragged.csv"
    source.write_text("Title,Topic\nGas,energy\nMilk,trade,surplus\n")
    assert_one_error_line(cli("import", str(source), "--map", "Title=title", expect=2), "line 3", "column 3")
    assert not store_path.exists()
    said = cli("import", str(source), "--map", "Title=title", "--skip-bad").stdout
    assert "Skipped line 3" in said and [d["title"] for d in cli.json("list")] == ["Gas"]


def test_bug_an_import_wrote_one_history_entry_the_size_of_the_store(cli, store_path, tmp_path):
    source = tmp_path / "many.json"
    source.write_text(json.dumps({"disputes": [{"title": f"Imported {n}", "summary": "x" * 200} for n in range(300)]}))
    cli("import", str(source))
    (entry,) = [e for e in cli.json("history") if e["action"] == "import"]
    assert len(entry["added"]["disputes"]) == 300 and entry["changes"] == []
    assert len(json.dumps(entry)) < 300 * 40  # ids and fingerprints, not copies of the records
    some = sorted(entry["added"]["disputes"])[7]
    assert [e["action"] for e in cli.json("show", some)["history"]] == ["import"]
    # a dispute's history holds what the import added of it, not the other 299 fingerprints
    for scoped in (cli.json("show", some)["history"], cli.json("history", some)):
        assert [e["added"] for e in scoped] == [{"disputes": {some: entry["added"]["disputes"][some]}}]
    _as_if_merged(cli, store_path, tmp_path, "edit", some, "--priority", "high")
    before = store_path.read_bytes()
    assert_one_error_line(cli("undo", expect=1), some, "changed since it was imported")
    assert store_path.read_bytes() == before


def test_bug_a_boolean_score_passed_as_a_cached_number(cli, store_path):
    """The value checks of stored events are cached; True equals 1.0 as a key, so a hand-edited
    `"score": true` checked after a real score of 1.0 was taken as valid."""
    import json

    cli("seed")
    data = json.loads(store_path.read_text())
    first, second = sorted(data["events"])[:2]  # checked in file order: the 1.0 first
    data["events"][first]["score"] = 1.0
    data["events"][second]["score"] = True
    del data["_meta"]["sections"]  # a hand edit: the file is read whole and every record checked
    store_path.write_text(json.dumps(data))
    result = cli("list", expect=1)
    assert f"event {second} has an invalid score: True" in result.stderr
