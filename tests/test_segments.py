"""A register fed for years (issue 48): the generated register the targets are measured on,
the bench's runs on a store generated once and reused, and what a write costs a large store."""

import json
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disputes.store.checksums import Marks, apart, combine

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _generate(folder: Path, name: str, disputes: int, events: int) -> Path:
    store = folder / name
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(store), "--disputes", str(disputes), "--events", str(events)],
        check=True,
        timeout=120,
    )
    return store


def _tables(store: Path) -> dict:
    return json.loads(store.read_bytes())


def test_the_generated_register_holds_ten_years_of_events_mostly_on_twenty_hot_disputes(tmp_path):
    data = _tables(_generate(tmp_path, "hot.json", 200, 4000))
    events = list(data["events"].values())
    assert len(events) == 4000
    years = {int(event["date"][:4]) for event in events}
    assert years == set(range(2016, 2026))
    named = Counter(dispute for event in events for dispute in set(event["disputes"]))
    hot = {dispute for dispute, _ in named.most_common(20)}
    on_hot = sum(1 for event in events if hot & set(event["disputes"]))
    assert 0.75 < on_hot / len(events) < 0.9
    assert all(len(set(event["disputes"])) == len(event["disputes"]) for event in events)  # none named twice


def test_the_generated_disputes_are_the_same_whatever_the_number_of_events(tmp_path):
    fewer = _tables(_generate(tmp_path, "fewer.json", 50, 100))
    more = _tables(_generate(tmp_path, "more.json", 50, 1000))
    assert fewer["disputes"] == more["disputes"]
    assert set(fewer["events"]) < set(more["events"])  # the first events are the same too


@pytest.mark.slow
@pytest.mark.bench
def test_the_bench_measures_a_store_generated_once_against_one_with_fewer_events(tmp_path):
    more = _generate(tmp_path, "more.json", 30, 300)
    fewer = _generate(tmp_path, "fewer.json", 30, 60)
    before = more.read_bytes()
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            *("--store", str(more), "--fewer-events", str(fewer)),
            *("--runs", "1", "--no-taskwarrior", "--no-import", "--gdelt-rows", "0", "--story-rows", "0"),
            *("--only", "agenda", "--only", "chart of one dispute", "--only", "view show"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "generating" not in done.stderr  # the store given is measured, not written anew
    rows = [line for line in done.stdout.splitlines() if "fewer events" in line]
    assert [row.split("  ")[0] for row in rows] == [
        "agenda (generated)",
        "chart of one dispute (generated)",
        "view show (generated)",
    ]
    assert all(row.rstrip().endswith("≤ 1.2") for row in rows)
    assert more.read_bytes() == before  # measured on copies: the store given is left as it was


@settings(max_examples=60, deadline=None)
@given(first=st.binary(max_size=300), second=st.binary(max_size=300))
def test_the_checksum_of_two_runs_follows_from_theirs(first, second):
    whole = zlib.crc32(first + second)
    assert combine(zlib.crc32(first), zlib.crc32(second), len(second)) == whole
    assert apart(whole, zlib.crc32(first), len(second)) == zlib.crc32(second)


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=400),
    cuts=st.lists(st.integers(0, 400), max_size=6),
    ends=st.tuples(st.integers(0, 400), st.integers(0, 400)),
)
def test_the_marks_a_check_leaves_give_the_checksum_of_any_run_they_cover(data, cuts, ends):
    marks, crc, last = Marks(memoryview(data), 0), 0, 0
    for cut in sorted({min(c, len(data)) for c in cuts} | {len(data)}):
        crc = zlib.crc32(data[last:cut], crc)
        marks.note(cut, crc)
        last = cut
    start, end = sorted(min(e, len(data)) for e in ends)
    assert marks.covers(start, end)
    assert marks.crc_of(start, end, zlib.crc32) == zlib.crc32(data[start:end])


# run from a small process of its own: a child forked from pytest would count pytest's memory as its own
PEAK = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stderr.decode()[-300:])
"""


def _peak_mib(command: list[str]) -> float:
    code, peak, stderr = subprocess.run(
        [sys.executable, "-c", PEAK, *command], capture_output=True, text=True, check=True
    ).stdout.split(" ", 2)
    assert code == "0", stderr
    return int(peak) / 1024  # KiB on Linux


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory as Linux's getrusage counts it; mapped where POSIX")
def test_a_one_event_write_on_a_large_store_no_longer_holds_its_events_in_memory(tmp_path, monkeypatch):
    """The new checksum of the events section was taken by reading the carried lines again,
    mapped: `event add` on the 1,000,000-event store peaked at 751 MiB (its whole file)."""
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", str(1 << 40))  # the single file's own write
    store = _generate(tmp_path, "large.json", 300, 90_000)
    size_mib = store.stat().st_size / 2**20
    dispute = next(iter(_tables(store)["disputes"]))
    cli = [sys.executable, "-m", "disputes", "--db", str(store)]
    started = _peak_mib([*cli, "--version"])
    added = _peak_mib([*cli, "event", "add", dispute, "--date", "2016-06-07", "--title", "One more"])
    # holding the file costs all of it (751 MiB for 781 MB); the write's own working set
    # measured 25-33 MiB of this 65 MiB store, more under a loaded machine's allocator
    assert added - started < size_mib * 0.8, (added, started, size_mib)
    payload = store.read_bytes()  # the sections' checksums, computed without reading them, are theirs
    from disputes.store.fileformat import sections_of

    laid_out = sections_of(payload)
    assert laid_out is not None
    for name, (start, end, crc) in laid_out[1].items():
        assert zlib.crc32(payload[start:end]) == crc, name
    assert max(end - start for start, end, _ in laid_out[1].values()) > 3 * 4 * 2**20  # spans past 8 MB were carried
    checked = subprocess.run([*cli, "doctor"], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# The segments themselves (docs/storage.md): a register whose events moved out beside it.

from conftest import assert_one_error_line, run, whole_store  # noqa: E402

from disputes.store.migrations import SCHEMA  # noqa: E402

MOVE_NOW = {"DISPUTES_SEGMENTS_AT": "0"}  # a store's first write moves its events into segments


@pytest.fixture
def segmented(cli, store_path, monkeypatch):
    """The seed store, its events in segments beside the register."""
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")
    cli("seed")
    return store_path


def _events(cli) -> dict:
    return {event["id"]: event for event in cli.json("event", "list")}


def test_events_move_out_of_the_register_into_one_segment_a_period(segmented):
    folder = Path(str(segmented) + ".d") / "events"
    register = json.loads(segmented.read_bytes())
    assert "events" not in register and "events.index" not in register
    periods = sorted(file.name for file in folder.glob("[!.]*.json"))
    dated = {event["date"] for event in whole_store(segmented)["events"].values()}
    assert periods == sorted({(d[:7] if len(d) >= 7 else d[:4]) + ".json" for d in dated})
    manifest = register["_meta"]["segments"]
    assert sorted(manifest) == sorted(f"events/{p.removesuffix('.json')}" for p in periods)
    for name, entry in manifest.items():
        payload = (folder.parent / f"{name}.json").read_bytes()
        assert zlib.crc32(payload[: payload.index(b"\n", 3)].removesuffix(b",")) == entry["crc"]
        segment = json.loads(payload)
        assert segment["_meta"]["format"] == "disputes-segment" and entry["count"] == len(segment["events"])


def test_a_segmented_store_reads_and_writes_as_the_single_file_did(cli, segmented, store_path, tmp_path, monkeypatch):
    whole = _events(cli)
    dispute = next(iter(cli.json("list", "--all")))["id"]
    added = cli.json("event", "add", dispute, "--date", "2016-06-08", "--title", "One more")
    moved = next(iter(whole))
    cli("event", "edit", moved, "--date", "1999-12-31")
    events = _events(cli)
    assert events.keys() == whole.keys() | {added["id"]} and events[moved]["date"] == "1999-12-31"
    assert Path(str(store_path) + ".d/events/1999-12.json").is_file()
    cli("undo")
    cli("undo")
    assert _events(cli) == whole
    assert "No problems found" in cli("doctor").stdout


def test_a_write_of_one_event_rewrites_its_segment_and_no_other(cli, segmented):
    folder = Path(str(segmented) + ".d") / "events"
    before = {file.name: file.stat().st_ino for file in folder.glob("[!.]*.json")}
    dispute = next(iter(cli.json("list", "--all")))["id"]
    cli("event", "add", dispute, "--date", "2016-06-09", "--title", "Another")
    after = {file.name: file.stat().st_ino for file in folder.glob("[!.]*.json")}
    assert {name for name in after if after[name] != before.get(name)} == {"2016-06.json"}


def test_reads_that_need_only_disputes_do_not_open_the_segments(cli, segmented):
    folder = Path(str(segmented) + ".d") / "events"
    for file in folder.glob("[!.]*.json"):
        file.write_bytes(b"damaged")
    assert len(cli.json("list", "--all")) == 3
    cli("add", "A new dispute", "--party", "France")  # a write that does not touch events works too
    result = cli("event", "list", expect=1)
    assert_one_error_line(result, "segment", "is damaged", "doctor")


def test_a_missing_segment_is_said_with_its_count_and_doctor_names_it(cli, segmented):
    register = json.loads(segmented.read_bytes())
    name, entry = next(iter(sorted(register["_meta"]["segments"].items())))
    Path(str(segmented) + f".d/{name}.json").unlink()
    result = cli("event", "list", expect=1)
    assert_one_error_line(result, f"{name}.json is missing", f"{entry['count']:,} record(s)")
    checked = cli("doctor", expect=None)
    assert checked.exit_code != 0 and f"{name}.json is missing" in checked.stdout + checked.stderr


def test_a_single_file_store_moves_into_segments_on_its_first_write_past_the_size(cli, store_path, monkeypatch):
    cli("seed")
    single = store_path.read_bytes()
    records = whole_store(store_path)
    assert records["events"] and not Path(str(store_path) + ".d").exists()
    cli("event", "list")  # a read reads it as it is, and writes nothing
    assert store_path.read_bytes() == single
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")
    cli("add", "Written after the move", "--party", "France")
    moved = whole_store(store_path)
    assert "events" not in json.loads(store_path.read_bytes())
    assert moved["events"] == records["events"]  # record for record
    assert json.loads(Path(str(store_path) + ".bak").read_bytes())["events"] == records["events"]
    assert "No problems found" in cli("doctor").stdout


def test_a_store_of_the_oldest_schema_moves_into_segments(cli, store_path, monkeypatch):
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_bytes((Path(__file__).parent / "data" / "store-v1.json").read_bytes())
    before = whole_store(store_path)["events"]
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")
    cli("add", "Written after the move", "--party", "France")
    assert json.loads(store_path.read_bytes())["_meta"]["schema"] == SCHEMA
    assert set(whole_store(store_path)["events"]) == set(before)


def test_a_register_from_a_newer_disputes_is_refused_with_upgrade_disputes(cli, segmented):
    text = segmented.read_text(encoding="utf-8").replace(f'"schema":{SCHEMA},', f'"schema":{SCHEMA + 1},', 1)
    segmented.write_text(text, encoding="utf-8")
    assert_one_error_line(cli("event", "list", expect=1), "upgrade disputes")


KILLER = """
import os, signal, sys
step, calls = int(sys.argv[1]), [0]
def killing(call):
    def wrapped(*args, **kwargs):
        calls[0] += 1
        if calls[0] == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return call(*args, **kwargs)
    return wrapped
for name in ("replace", "rename", "link", "unlink", "fsync"):
    setattr(os, name, killing(getattr(os, name)))
sys.argv = ["disputes", *sys.argv[2:]]
from disputes.cli import main
main()
"""


def _killed_at(step: int, folder: Path, *args: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(step), "--db", str(folder / "disputes.json"), *args],
        capture_output=True,
        env={**__import__("os").environ, "DISPUTES_SEGMENTS_AT": "0"},
        timeout=60,
    )
    return done.returncode


def _read_events(store: Path) -> dict:
    listed = run("--db", str(store), "event", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {event["id"]: event["date"] for event in json.loads(listed.stdout)}


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["segmented", "single file"])
def test_a_kill_at_any_step_of_a_write_leaves_the_store_as_before_or_after_never_between(
    cli, store_path, tmp_path, monkeypatch, shape
):
    """A write that moves an event from one segment to another and commits the register
    (or, on a single-file store, moves all its events into segments: the migration), killed
    at each of its system calls that change the disk: the store reads as before or as after."""
    if shape == "segmented":
        monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")
    cli("seed")
    template = store_path.parent
    before = _read_events(store_path)
    moved = sorted(before)[0]
    after = {**before, moved: "1999-12-31"}
    import shutil

    seen = set()
    for step in range(1, 200):
        folder = tmp_path / f"step-{step}"
        shutil.copytree(template, folder)
        code = _killed_at(step, folder, "event", "edit", moved, "--date", "1999-12-31")
        reads = _read_events(folder / "disputes.json")
        assert reads in (before, after), (step, code)
        seen.add("after" if reads == after else "before")
        if code == 0:  # the write ran to its end without reaching this step: every step was tried
            break
        # the next write finishes what was committed (or redoes what was not)
        follow = ("add", "Written next", "--party", "France") if reads == after else ("event", "edit", moved)
        again = run(
            "--db", str(folder / "disputes.json"), *follow, *(() if reads == after else ("--date", "1999-12-31"))
        )
        assert again.returncode == 0, again.stderr
        assert not list(folder.glob("disputes.json.d/*/.*.tmp"))  # what the killed write was writing: removed
        assert _read_events(folder / "disputes.json") == after
        shutil.rmtree(folder)
    else:
        pytest.fail("the write never finished")
    assert seen == {"before", "after"} and step > 5


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory as Linux's getrusage counts it; mapped where POSIX")
def test_the_move_into_segments_holds_a_batch_not_the_events(tmp_path, monkeypatch):
    """Measured against a one-event write on the same store as a single file (its peak is the
    command's own, about 30 MiB here): the move adds a batch and a period, not the events."""
    import shutil

    store = _generate(tmp_path, "large.json", 300, 90_000)
    copy = tmp_path / "copy.json"
    shutil.copyfile(store, copy)
    size_mib = store.stat().st_size / 2**20
    events = len(_tables(store)["events"])
    dispute = next(iter(_tables(store)["disputes"]))
    add = ["event", "add", dispute, "--date", "2016-06-07", "--title", "One more"]
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", str(1 << 40))
    single = _peak_mib([sys.executable, "-m", "disputes", "--db", str(copy), *add])
    monkeypatch.setenv("DISPUTES_SEGMENTS_AT", "0")
    cli = [sys.executable, "-m", "disputes", "--db", str(store)]
    moved = _peak_mib([*cli, *add])
    assert "events" not in _tables(store) and len(whole_store(store)["events"]) == events + 1
    assert moved - single < size_mib / 2, (moved, single, size_mib)  # at 200 MB: 24 MiB more


def test_doctor_fix_leaves_a_lost_segment_out_saying_how_many_events_it_held(cli, segmented):
    register = json.loads(segmented.read_bytes())
    name, entry = sorted(register["_meta"]["segments"].items())[-1]
    file = Path(str(segmented) + f".d/{name}.json")
    kept = {k for k, e in whole_store(segmented)["events"].items() if not e["date"].startswith(name.split("/")[1])}
    payload = file.read_bytes()
    file.write_bytes(payload[: len(payload) - 20])  # its end lost: it no longer reads
    checked = cli("doctor", expect=None)
    assert checked.exit_code != 0 and f"{file.name}" in checked.stdout and "damaged" in checked.stdout
    fixed = cli("doctor", "--fix", expect=None)
    assert f"left segment {name} out of the register: {entry['count']:,} record(s) lost" in fixed.stdout
    assert list(file.parent.glob(file.name + ".damaged-*"))  # the damaged file kept aside
    assert set(_events(cli)) == kept
    assert "No problems found" in cli("doctor").stdout


def test_the_librarys_events_table_iterates_one_segment_at_a_time(cli, segmented):
    from tinydb import Query

    import disputes

    register = json.loads(segmented.read_bytes())
    last = sorted(register["_meta"]["segments"])[-1]
    events = whole_store(segmented)["events"]
    table = disputes.open(segmented).table("events")
    assert {doc.doc_id: dict(doc) for doc in table} == events
    assert len(table) == len(events)
    found = table.search(Query().kind == "meeting")
    assert {doc.doc_id for doc in found} == {k for k, e in events.items() if e["kind"] == "meeting"}
    Path(str(segmented) + f".d/{last}.json").write_bytes(b"damaged")  # the last segment, read last
    assert next(iter(disputes.open(segmented).table("events"))).doc_id in events  # read before it is reached


def test_adding_one_event_no_longer_reads_every_segment_to_check_its_new_id(cli, segmented):
    """A new id was looked for in every segment, each checked whole against its checksum first:
    `event add` on 1,000,000 events read (and held mapped) all of them. Each segment's meta
    line now carries a filter of its keys, and a segment that cannot hold the id is not read."""
    folder = Path(str(segmented) + ".d") / "events"
    for file in folder.glob("[!.]*.json"):
        if file.name != "2016-06.json":  # every other segment: its meta line whole, its records cut
            payload = file.read_bytes()
            file.write_bytes(payload[: payload.index(b"\n", 3) + 1])
    dispute = next(iter(cli.json("list", "--all")))["id"]
    added = cli.json("event", "add", dispute, "--date", "2016-06-10", "--title", "Found without the others")
    assert added["date"] == "2016-06-10"
    assert "damaged" in cli("event", "list", expect=1).stderr  # the others are still cut


def test_a_register_moved_into_segments_that_were_not_yet_safe_to_share(tmp_path, monkeypatch):
    """Segments are asked for ($DISPUTES_SEGMENTS_AT) until a merge reconciles what spans
    files: without it, a store of any size stays one file."""
    monkeypatch.delenv("DISPUTES_SEGMENTS_AT", raising=False)
    store = _generate(tmp_path, "large.json", 300, 90_000)
    dispute = next(iter(_tables(store)["disputes"]))
    done = subprocess.run(
        [sys.executable, "-m", "disputes", "--db", str(store), "event", "add", dispute, "--date", "2016-06-07",
         "--title", "One more"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert store.stat().st_size > 8 << 20 and not (tmp_path / "large.json.d").exists()
