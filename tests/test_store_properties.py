"""Property tests of the store's promise (issue 10): whatever happened to the file, every
command gives the right answer, or exits 1 leaving the file and its backup untouched.

"The right answer" is what a full JSON parse of the same bytes says: the lazy reader,
which trusts a section only after its checksum matched, must agree with it.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.store.paths import StoreFiles

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

READERS = [
    ("list", "--all", "--json"),
    ("event", "list", "--json"),
    ("history", "--json"),
    ("export",),
    ("report", "--as-of", "2016-06-30", "--json"),
]
WRITERS = [
    ("add", "Written after"),
    ("edit", "vfb3", "--priority", "low"),
    ("event", "add", "fr45", "--date", "2016-07", "--title", "Later"),
]


@pytest.fixture
def seeded(cli, store_path):
    """A small real store and its backup; `reset()` puts both back (hypothesis reuses the fixture)."""
    cli("seed")
    cli("edit", "vfb3", "--add-tag", "transit")
    cli("link", "vfb3", "3zp0")
    payload, backup = store_path.read_bytes(), StoreFiles(store_path).backup.read_bytes()

    def reset() -> bytes:
        store_path.write_bytes(payload)
        StoreFiles(store_path).backup.write_bytes(backup)
        return payload

    return reset


def _whole(payload: bytes) -> dict | None:
    """The store as a full parse reads it, or None when it is not a store every command accepts."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("_meta"), dict) else None


def _answers(cli) -> list:
    outputs = []
    for command in READERS:
        result = cli(*command, expect=None)
        outputs.append((result.exit_code, result.stdout if result.exit_code == 0 else ""))
    return outputs


def _check(cli, store_path, damaged: bytes, before: list | None = None) -> None:
    """Every reader and writer on the damaged bytes: the right answer, or exit 1 and nothing
    touched. A reader may answer from the sections it needs when their checksums hold, so
    its answer is either the one from before the damage, or the one the full parse gives."""
    backup = StoreFiles(store_path).backup.read_bytes()
    whole = _whole(damaged)
    for number, command in enumerate(READERS):
        store_path.write_bytes(damaged)
        result = cli(*command, expect=None)
        assert result.exit_code in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        if result.exit_code == 0 and (before is None or result.stdout != before[number][1]):
            assert whole is not None, f"{command}: a damaged section was read as if it were whole"
            assert result.stdout, command
            if command[0] == "list":
                assert {d["id"] for d in json.loads(result.stdout)} == set(whole.get("disputes", {}))
            if command[:2] == ("event", "list"):
                assert {e["id"] for e in json.loads(result.stdout)} == set(whole.get("events", {}))
        elif result.exit_code != 0:
            assert len(result.stderr.strip().splitlines()) == 1
        assert store_path.read_bytes() == damaged and StoreFiles(store_path).backup.read_bytes() == backup
    for command in WRITERS:
        store_path.write_bytes(damaged)
        StoreFiles(store_path).backup.write_bytes(backup)
        result = cli(*command, expect=None)
        assert result.exit_code in (0, 1, 2), (command, result.stderr)
        assert "internal error" not in result.stderr, result.stderr
        if result.exit_code == 0:
            after = _whole(store_path.read_bytes())
            assert whole is not None and after is not None
            for table in ("disputes", "events", "relations", "history"):
                assert set(whole.get(table, {})) <= set(after.get(table, {})), f"a write dropped records of {table}"
        else:
            assert store_path.read_bytes() == damaged and StoreFiles(store_path).backup.read_bytes() == backup


damage = st.one_of(
    st.tuples(st.just("byte"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("drop line"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("repeat line"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("garbage line"), st.integers(0, 10**6), st.integers(0, 3)),
)
GARBAGE = [b"<<<<<<< HEAD", b"=======", b'"x": {"title": ', b"}"]


def _damaged(payload: bytes, how: tuple) -> bytes:
    kind, where, value = how
    if kind == "byte":
        at = where % len(payload)
        return payload[:at] + bytes([value]) + payload[at + 1 :]
    if kind == "cut":
        return payload[: where % len(payload)]
    lines = payload.split(b"\n")
    at = where % len(lines)
    if kind == "drop line":
        return b"\n".join(lines[:at] + lines[at + 1 :])
    if kind == "repeat line":
        return b"\n".join(lines[: at + 1] + lines[at:])
    return b"\n".join([*lines[:at], GARBAGE[value], *lines[at:]])


@SETTINGS
@given(how=damage)
def test_damage_anywhere_gives_the_right_answer_or_a_clean_refusal(cli, store_path, seeded, how):
    payload = seeded()
    _check(cli, store_path, _damaged(payload, how), before=_answers(cli))


def _layouts(data: dict) -> dict[str, bytes]:
    reordered = {name: dict(reversed(list(table.items()))) for name, table in reversed(list(data.items()))}
    return {
        "one line": json.dumps(data, ensure_ascii=False).encode(),
        "indented": json.dumps(data, indent=2).encode(),
        "reordered": json.dumps(reordered, sort_keys=False).encode(),
        "keys sorted inside records": json.dumps(data, sort_keys=True, indent=1).encode(),
        "crlf": json.dumps(data, indent=1).replace("\n", "\r\n").encode(),
    }


def test_every_valid_layout_reads_as_the_canonical_file_does(cli, store_path, seeded):
    """The differential test: each reading command answers the same on the store read
    lazily (the canonical file) and read whole (the same data in another layout)."""
    original = seeded()
    canonical = _answers(cli)
    assert all(code == 0 for code, _ in canonical)
    for name, payload in _layouts(json.loads(original)).items():
        seeded()
        store_path.write_bytes(payload)
        assert _answers(cli) == canonical, name
        _check(cli, store_path, payload)


@SETTINGS
@given(drop=st.sets(st.sampled_from(["disputes", "events", "relations", "history"])))
def test_a_valid_store_missing_whole_tables_still_reads_and_writes(cli, store_path, seeded, drop):
    data = {name: table for name, table in json.loads(seeded()).items() if name not in drop}
    _check(cli, store_path, json.dumps(data).encode())


keys = st.text(alphabet='abc"\\: \n{}é', min_size=1, max_size=4)
records_ = st.dictionaries(keys, st.fixed_dictionaries({"title": st.text(max_size=8)}), max_size=8)
changes_ = st.lists(
    st.tuples(keys, st.one_of(st.none(), st.fixed_dictionaries({"title": st.text(max_size=8)}))), max_size=8
)


@given(first=records_, changes=changes_, second=records_)
def test_record_changes_spliced_into_an_unparsed_table_equal_a_full_encode(first, changes, second):
    """The writer splices changed lines into the old bytes of a table it never parsed;
    the file must be byte for byte what encoding the changed tables afresh gives."""
    from pathlib import Path

    from disputes.store.decoding import decode, encode

    meta = {"format": "disputes", "schema": 4}
    tables = decode(encode({"_meta": meta, "events": first, "history": second}), Path("store.json"))
    expected = _changed(tables, changes, first, second)
    written = b"".join(tables.chunks())
    assert written == encode({"_meta": meta, **expected})
    assert decode(written, Path("store.json")).load_all()["events"] == expected["events"]


@given(first=records_, changes=changes_, prefix=st.text(alphabet='abc"\\: \n{}é', max_size=3))
def test_keys_typed_in_part_are_found_in_an_unparsed_table_as_in_a_parsed_one(first, changes, prefix):
    """An id prefix is looked for by a plain search over the table's bytes (a newline, then the
    key's JSON text): keys with quotes, backslashes, colons, braces or escaped newlines, and
    records changed by this command, give what a search of the parsed keys gives."""
    from pathlib import Path

    from disputes.store.decoding import decode, encode

    meta = {"format": "disputes", "schema": 4}
    tables = decode(encode({"_meta": meta, "events": first, "history": {}}), Path("store.json"))
    expected = _changed(tables, changes, first, {})["events"]
    assert tables.keys_starting("events", prefix) == sorted(key for key in expected if key.startswith(prefix))


def _changed(tables, changes, first: dict, second: dict) -> dict:
    """Put each change into the events of `tables`; the tables they should then hold."""
    expected = {"events": dict(first), "history": dict(second)}
    for key, record in changes:
        tables.put("events", key, record)
        if record is None:
            expected["events"].pop(key, None)
        else:
            expected["events"][key] = record
        assert tables.record("events", key) == expected["events"].get(key)
    return expected


COPIES = ["by the system", "not at all", "a few bytes at a time", "refused midway"]


@SETTINGS
@given(first=records_, changes=changes_, second=records_, copy=st.sampled_from(COPIES))
def test_old_bytes_carried_into_a_write_are_written_whatever_the_system_copies(
    tmp_path_factory, monkeypatch, first, changes, second, copy
):
    """A write copies the unchanged runs of a mapped store file file to file (copy_file_range)
    where the system can, and writes them itself where it cannot, or stops: the file is
    byte for byte the same either way."""
    import errno
    import os

    from disputes.store.decoding import encode, read_file
    from disputes.store.files import write_atomically

    real = getattr(os, "copy_file_range", None)
    if real is None:
        pytest.skip("no copy_file_range on this system: the bytes are always written")
    meta = {"format": "disputes", "schema": 4}
    path = tmp_path_factory.mktemp("carried") / "store.json"
    path.write_bytes(encode({"_meta": meta, "events": first, "history": second}))
    tables = read_file(path)
    expected = _changed(tables, changes, first, second)
    copied: list[int] = []

    def few(source, target, count, offset_source=None, offset_target=None):
        if copy == "refused midway" and copied:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        copied.append(count)
        return real(source, target, min(count, 5), offset_source)

    with monkeypatch.context() as patched:
        if copy == "not at all":
            patched.delattr(os, "copy_file_range")
        elif copy != "by the system":
            patched.setattr(os, "copy_file_range", few)
        write_atomically(path, tables.chunks())
    assert path.read_bytes() == encode({"_meta": meta, **expected})
