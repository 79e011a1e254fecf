"""The benchmark runner works (on a tiny store); its figures are not asserted: they are not tests."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.bench
def test_bench_runs_on_a_tiny_store_and_prints_its_table():
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--disputes",
            "20",
            "--events",
            "60",
            "--runs",
            "1",
            "--no-taskwarrior",
            "--gdelt-rows",
            "300",  # the GDELT paths (plain and zipped) run; a million rows is the bench's, not the suite's
            *("--story-rows", "100"),
            # a command of each kind: every command's presence is checked below without running them all
            *("--only", "undo", "--only", "timeline", "--only", "export", "--only", "report --view"),
            *("--only", "library: table", "--only", "view show", "--only", "stock TinyDB"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("measure"))
    assert "ratio" in header and "peak MiB" in header
    for measure in (
        "--version (seed store)",
        "import 80 records",
        "undo (imported)",
        "timeline (generated)",
        "export (imported)",
        "report --view vs report (generated)",
        "library: table search (imported)",
        "view show (imported)",
        "merge-file (imported)",
        "list (generated) vs stock TinyDB",
        "import GDELT (300 rows)",
        "import GDELT zipped (300)",
        "fetch gdelt (300, local feed)",
        "import one story (200 rows)",
    ):
        assert any(line.startswith(measure) for line in lines), measure


def _generated(folder: Path) -> Path:
    """A small store as bench/generate.py writes the large one: 30 disputes, 90 events."""
    store = folder / "large.json"
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(store), "--disputes", "30", "--events", "90"],
        check=True,
        timeout=120,
    )
    return store


def test_the_generator_writes_a_store_doctor_accepts(tmp_path):
    store = _generated(tmp_path)
    checked = subprocess.run(
        [sys.executable, "-m", "disputes", "--db", str(store), "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "disputes", "--db", str(store), "list", "--all", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(__import__("json").loads(listed.stdout)) == 30


def test_the_bench_measures_every_command():
    """bench/run.py covers every command the CLI has, each at least once (by its first words)."""
    import importlib.util

    from disputes.cli import MODULE_OF

    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    measured = {command[0] for command in (*bench.ONE_RECORD.values(), *bench.WHOLE_STORE.values())}
    measured |= {"list", "--version", "merge-file", "import", "seed"}  # the start-up, merge and import rows
    measured.add("fetch")  # fetch gdelt, from a feed served on this machine
    unmeasured = set(MODULE_OF) - measured - {"git-setup", "sync"}  # git and a remote: not timed here
    assert not unmeasured, f"bench/run.py does not measure: {sorted(unmeasured)}"


@pytest.mark.bench
def test_the_store_shapes_are_measured_on_a_generated_store(tmp_path):
    store = _generated(tmp_path)
    done = subprocess.run(
        [sys.executable, str(BENCH / "write_shapes.py"), str(store), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = {line[:32].strip(): line[32:].split() for line in done.stdout.splitlines()[1:]}
    assert set(rows) == {
        "the file as it is",
        "indexes kept apart in a cache",
        "events in a file of their own",
        "a seed-sized store",
        "sections aligned to blocks",
        "register and a month's segment",
        "one change appended to a log",
    }
    written = {name: float(values[0].replace(",", "")) for name, values in rows.items()}
    assert (
        written["events in a file of their own"]
        < written["indexes kept apart in a cache"]
        < written["the file as it is"]
    )
    assert sorted(tmp_path.iterdir()) == [store]  # its scratch files are gone
    refused = subprocess.run(
        [sys.executable, str(BENCH / "write_shapes.py"), str(BENCH / "run.py")], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "not a store laid out in sections" in refused.stderr
