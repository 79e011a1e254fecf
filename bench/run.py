"""Benchmarks, measured side by side in one run: start-up, scale, the naive way, Taskwarrior.

Prints one table of medians (at least 5 runs each, --runs N) with the ratio each target
is about, and the peak memory of each command. Nothing here is a test: machines are
shared and noisy, so only ratios measured in the same run mean anything.

    python bench/run.py                       # 10,000 disputes / 100,000 events
    python bench/run.py --disputes 50 --events 200 --runs 1 --no-taskwarrior   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAIVE_COPY = """
import json, sys
data = json.load(open(sys.argv[1]))
json.dump({name: {str(i): r for i, r in enumerate(data[name].values(), 1)} for name in ("disputes", "events")},
          open(sys.argv[2], "w"))
"""


def measure(command: list[str], runs: int, env: dict | None = None, before=None) -> tuple[float, float]:
    """Median seconds and peak memory (MiB) of a command over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{child.stderr.read().decode()}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disputes", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-taskwarrior", action="store_true", help="skip the Taskwarrior comparison")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="disputes-bench-"))
    disputes = shutil.which("disputes")
    our = [disputes] if disputes else [sys.executable, "-m", "disputes"]
    py = sys.executable

    seed_store, large_store, large_copy = work / "seed.json", work / "large.json", work / "large-add.json"
    subprocess.run([*our, "--db", str(seed_store), "seed"], check=True, stdout=subprocess.DEVNULL)
    print(f"generating {args.disputes:,} disputes and {args.events:,} events …", file=sys.stderr)
    # generated in a child process: a child forked from a bench holding 300 MB of records
    # would report that as its own peak memory
    subprocess.run(
        [
            py,
            str(HERE / "generate.py"),
            str(large_store),
            "--disputes",
            str(args.disputes),
            "--events",
            str(args.events),
        ],
        check=True,
    )
    some_dispute = "DS" + str(args.disputes // 2)  # found by its reference
    size = large_store.stat().st_size / 2**20

    rows: list[tuple[str, str, float, float, float, float, str]] = []

    def compare(name: str, ours: tuple[float, float], base: tuple[float, float], against: str, target: str) -> None:
        rows.append((name, against, ours[0], base[0], ours[0] / base[0], ours[1], target))

    floor = measure([py, "-c", "import typer, tinydb"], args.runs)
    floor_tables = measure([py, "-c", "import typer, tinydb, rich.table"], args.runs)
    seed_cmds = {
        "--version": ["--version"],
        "add": ["add", "Bench dispute", "-p", "Belarus"],
        "list": ["list"],
        "show": ["show", "vfb3"],
        "report": ["report"],
    }
    seed_times = {}
    for name, cmd in seed_cmds.items():
        seed_times[name] = measure([*our, "--db", str(seed_store), *cmd], args.runs)
        base = floor if name in ("--version", "add", "list") else floor_tables
        compare(f"{name} (seed store)", seed_times[name], base, "import floor", "≤ 1.2")

    reset = lambda: shutil.copyfile(large_store, large_copy)  # noqa: E731
    large_cmds = {
        "add": ["add", "Bench dispute", "-p", "Belarus"],
        "list": ["list"],
        "show": ["show", some_dispute],
        "report": ["report"],
    }
    large_times = {}
    for name, cmd in large_cmds.items():
        large_times[name] = measure([*our, "--db", str(large_copy), *cmd], args.runs, before=reset)
        compare(
            f"{name} (large store)", large_times[name], seed_times[name], "seed store", "≤ 3" if name == "add" else ""
        )
    parse = measure([py, "-c", f"import orjson; orjson.loads(open({str(large_store)!r}, 'rb').read())"], args.runs)
    compare("report (large store)", large_times["report"], parse, "parse the file", "< 2")

    # The naive way: TinyDB's stock JSONStorage over the same records.
    naive_store = work / "naive.json"
    subprocess.run([py, "-c", NAIVE_COPY, str(large_store), str(naive_store)], check=True)
    naive_copy = work / "naive-add.json"
    naive_reset = lambda: shutil.copyfile(naive_store, naive_copy)  # noqa: E731
    naive_add = (
        "from tinydb import TinyDB; db = TinyDB({path!r}); "
        "db.table('disputes').insert({{'title': 'Bench dispute', 'parties': ['Belarus']}})"
    )
    naive_list = (
        "from tinydb import TinyDB, Query; db = TinyDB({path!r}); "
        "rows = db.table('disputes').search(Query().status.one_of(['open','negotiating','escalated','frozen'])); "
        "print('\\n'.join(r['id'] + '  ' + r['title'] for r in rows))"
    )
    compare(
        "add (large) vs stock TinyDB",
        large_times["add"],
        measure([py, "-c", naive_add.format(path=str(naive_copy))], args.runs, before=naive_reset),
        "TinyDB JSONStorage",
        "< 1",
    )
    compare(
        "list (large) vs stock TinyDB",
        large_times["list"],
        measure([py, "-c", naive_list.format(path=str(naive_copy))], args.runs, before=naive_reset),
        "TinyDB JSONStorage",
        "< 1",
    )

    if not args.no_taskwarrior:
        task = taskwarrior()
        if task:
            env = tasks(work, args.disputes, task)
            compare(
                "list (large) vs task list",
                large_times["list"],
                measure([task, "list"], args.runs, env),
                "Taskwarrior",
                "≤ 1",
            )
            compare(
                "add (large) vs task add",
                large_times["add"],
                measure([task, "add", "Bench task"], args.runs, env),
                "Taskwarrior",
                "",
            )
        else:
            print("Taskwarrior is not installed and could not be installed: skipped", file=sys.stderr)

    print(
        f"\nStore sizes: seed {seed_store.stat().st_size / 1024:.0f} KiB; large {size:.0f} MiB "
        f"({args.disputes:,} disputes, {args.events:,} events). Medians of {args.runs} runs.\n"
    )
    header = ("measure", "against", "ours s", "base s", "ratio", "peak MiB", "target")
    table = [header] + [(n, a, f"{o:.3f}", f"{b:.3f}", f"{r:.2f}", f"{m:.0f}", t) for n, a, o, b, r, m, t in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
    print(f"\nPeak memory target: under 250 MiB for every command (largest here: {max(r[5] for r in rows):.0f} MiB).")
    shutil.rmtree(work, ignore_errors=True)


def taskwarrior() -> str | None:
    """The `task` command, installed from Debian's packages when missing and we may."""
    found = shutil.which("task")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing Taskwarrior (Debian package taskwarrior) …", file=sys.stderr)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "taskwarrior"],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        **quiet,
    )
    return shutil.which("task")


def tasks(work: Path, count: int, task: str) -> dict:
    """A Taskwarrior database of `count` tasks, a quarter completed, like the large store."""
    data = work / "task"
    data.mkdir()
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\n")
    env = {"TASKRC": str(rc), "TASKDATA": str(data)}
    records = [
        {
            "description": f"Dispute {n} over gas price and transit",
            "uuid": f"{n:08x}-0000-4000-8000-{n:012x}",
            "status": "completed" if n % 4 == 0 else "pending",
            "entry": "20161201T000000Z",
            **({"end": "20170101T000000Z"} if n % 4 == 0 else {}),
        }
        for n in range(count)
    ]
    source = work / "tasks.json"
    source.write_text(json.dumps(records))
    subprocess.run(
        [task, "import", str(source)],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return env


if __name__ == "__main__":
    main()
