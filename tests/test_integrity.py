"""Issue 10: nothing a user saved is ever lost or silently damaged, whatever the file has
been through. Each test is named after the class of bug it pins (an adversarial sweep)."""

from __future__ import annotations

import json

import pytest
from conftest import assert_one_error_line

from disputes.store.files import backup_path

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
    damaged, backup = store_path.read_bytes(), backup_path(store_path).read_bytes()
    for command in WRITES:
        result = cli(*command, expect=1)
        assert_one_error_line(result, str(store_path), "doctor")
        assert "conflict markers" in result.stderr or "'events'" in result.stderr or "'history'" in result.stderr
        assert store_path.read_bytes() == damaged and backup_path(store_path).read_bytes() == backup
    assert cli("doctor", expect=1).exit_code == 1


HAND_EDITS = {
    "parties as text": ("disputes", "vfb3nbqd37", "parties", "Belarus", "parties"),
    "a title that is a list": ("disputes", "vfb3nbqd37", "title", ["Gas", "price"], "title"),
    "created as a number": ("disputes", "vfb3nbqd37", "created", 20160607, "created"),
    "a score that is text": ("events", "8cyza2xcg0", "score", "-7", "score"),
    "the disputes of an event as text": ("events", "8cyza2xcg0", "disputes", "fr45z4r7dr", "disputes"),
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
