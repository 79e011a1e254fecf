"""The benchmark runner works (on a tiny store); its figures are not asserted: they are not tests."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parent.parent / "bench"


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
        "event add (generated)",
        "undo (imported)",
        "timeline (generated)",
        "export (imported)",
        "merge-file (imported)",
        "list (generated) vs stock TinyDB",
        "import GDELT (300 rows)",
        "import GDELT zipped (300)",
    ):
        assert any(line.startswith(measure) for line in lines), measure


def test_the_generator_writes_a_store_doctor_accepts(tmp_path):
    store = tmp_path / "large.json"
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(store), "--disputes", "30", "--events", "90"],
        check=True,
        timeout=120,
    )
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
