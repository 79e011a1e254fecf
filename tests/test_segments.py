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
def test_a_one_event_write_on_a_large_store_no_longer_holds_its_events_in_memory(tmp_path):
    """The new checksum of the events section was taken by reading the carried lines again,
    mapped: `event add` on the 1,000,000-event store peaked at 751 MiB (its whole file)."""
    store = _generate(tmp_path, "large.json", 300, 90_000)
    size_mib = store.stat().st_size / 2**20
    dispute = next(iter(_tables(store)["disputes"]))
    cli = [sys.executable, "-m", "disputes", "--db", str(store)]
    started = _peak_mib([*cli, "--version"])
    added = _peak_mib([*cli, "event", "add", dispute, "--date", "2016-06-07", "--title", "One more"])
    assert added - started < size_mib / 2, (added, started, size_mib)
    payload = store.read_bytes()  # the sections' checksums, computed without reading them, are theirs
    from disputes.store.fileformat import sections_of

    laid_out = sections_of(payload)
    assert laid_out is not None
    for name, (start, end, crc) in laid_out[1].items():
        assert zlib.crc32(payload[start:end]) == crc, name
    assert max(end - start for start, end, _ in laid_out[1].values()) > 3 * 4 * 2**20  # spans past 8 MB were carried
    checked = subprocess.run([*cli, "doctor"], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
