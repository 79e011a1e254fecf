"""Issue 50: the speed rules docs/architecture.md lists, each held by a test that does not
time anything (the bench measures their gains): here the rules no other test held."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = (
    "import gc, sys; sys.argv = ['disputes', '--db', sys.argv[1], *sys.argv[2:]]\n"
    "from disputes import cli\n"
    "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
    "print(gc.get_freeze_count() > 0, gc.get_threshold(), sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
)


def _probe(store: str, *command: str) -> str:
    ran = subprocess.run([sys.executable, "-c", PROBE, store, *command], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout.splitlines()[-1]


def test_a_command_runs_with_the_imports_frozen_and_the_collector_seldom(tmp_path):
    """cli.main freezes what the imports made and raises the collector's thresholds: its
    passes cost `report` on 10,000 disputes a quarter of its time (docs/architecture.md)."""
    store = str(tmp_path / "store.json")
    _probe(store, "seed")
    for command in (["list"], ["report"], ["add", "A dispute"], ["--version"]):
        frozen, threshold, _ = _probe(store, *command).split(" ", 2)
        assert (frozen, threshold) == ("True", "(100000,"), command


def test_add_and_version_load_no_rich(tmp_path):
    """DESIGN.md: `add` and `--version` must not import table rendering (nor the rest of Rich)."""
    store = str(tmp_path / "store.json")
    for command in (["--version"], ["add", "A dispute", "-p", "Belarus"], ["seed"]):
        assert _probe(store, *command).endswith("[]"), command


def test_the_readme_tour_printed_what_the_program_no_longer_prints():
    """Each `$ disputes ...` of the README's tour, run on a fresh store in an 80-column pty,
    prints what the README shows (ids aside); `python docs/tour.py --write` brings it up to date."""
    script = Path(__file__).resolve().parents[1] / "docs" / "tour.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
