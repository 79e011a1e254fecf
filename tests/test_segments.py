"""A register fed for years (issue 48): the generated register the targets are measured on,
and the bench's runs on a store generated once and reused."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

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
