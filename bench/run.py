"""Benchmarks, measured side by side in one run: every command on two large stores.

The stores: the seed; 10,000 disputes and 100,000 events as bench/generate.py writes them;
and the same records brought in through `disputes import`. Every one-record command is
compared with its cost on the seed store, every whole-store command with one bare parse of
the store file, the git merge driver with a parse of its three versions, start-up with the
bare import of the framework, and `list` with stock TinyDB and Taskwarrior. Prints one
table of medians (--runs N) with peak memory. Nothing here is a test: machines are shared
and noisy, so only ratios measured in the same run mean anything.

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
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAIVE_COPY = """
import json, pathlib, sys
data = json.load(open(sys.argv[1]))
for segment in sorted(pathlib.Path(sys.argv[1] + ".d").glob("events/[!.]*.json")):  # a register with segments
    data.setdefault("events", {}).update(json.loads(segment.read_bytes())["events"])
json.dump({name: {str(i): r for i, r in enumerate(data[name].values(), 1)} for name in ("disputes", "events")},
          open(sys.argv[2], "w"))
"""


def side_by_side(rounds: int, runs: dict) -> dict[str, tuple[float, float]]:
    """Each of `runs` (label -> a run measured once) in turn, round after round: a machine
    whose speed moves during the bench moves every one of them alike, and their ratios
    hold. Median seconds and peak memory of each."""
    found: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    for _ in range(rounds):
        for label, run in runs.items():
            found[label].append(run())
    return {label: (statistics.median(t for t, _ in got), max(p for _, p in got)) for label, got in found.items()}


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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-taskwarrior", action="store_true", help="skip the Taskwarrior comparison")
    parser.add_argument("--no-import", action="store_true", help="skip the store built through `disputes import`")
    parser.add_argument("--gdelt-rows", type=int, default=1_000_000, help="rows of the GDELT file (0: skip)")
    parser.add_argument(
        "--story-rows", type=int, default=35_000, help="rows of one story, imported against twice as many (0: skip)"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="measure only the commands whose name holds this (repeatable)"
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="measure this store as the generated one instead of generating it (bench/generate.py writes it with "
        "--disputes and --events; a store of 1,000,000 events takes minutes: generate it once and reuse it)",
    )
    parser.add_argument(
        "--fewer-events",
        type=Path,
        metavar="STORE",
        help="a store of the same disputes with fewer events (bench/generate.py --events 100000): the reads whose "
        "answer does not grow with history are measured on both, side by side (target ≤ 1.2)",
    )
    args = parser.parse_args()
    wanted = (lambda name: any(part in name for part in args.only)) if args.only else (lambda name: True)
    one_record = {name: command for name, command in ONE_RECORD.items() if wanted(name)}
    whole_store = {name: command for name, command in WHOLE_STORE.items() if wanted(name) or name in FILTERED.values()}
    library = {name: code for name, code in LIBRARY.items() if wanted(name)}

    work = Path(tempfile.mkdtemp(prefix="disputes-bench-"))
    # measured as users run it: pip compiles a package's bytecode on install; a source
    # checkout under PYTHONDONTWRITEBYTECODE would compile every module in every command
    subprocess.run([sys.executable, "-c", COMPILE], check=True)
    disputes = shutil.which("disputes")
    our = [disputes] if disputes else [sys.executable, "-m", "disputes"]
    py = sys.executable
    rows: list[tuple[str, str, float, float, float, float, str]] = []

    def compare(name: str, ours: tuple[float, float], base: tuple[float, float], against: str, target: str) -> None:
        rows.append((name, against, ours[0], base[0], ours[0] / base[0], ours[1], target))

    seed_store = work / "seed.json"
    subprocess.run([*our, "--db", str(seed_store), "seed"], check=True, stdout=subprocess.DEVNULL)
    if not args.store:
        print(f"generating {args.disputes:,} disputes and {args.events:,} events …", file=sys.stderr)
    # generated in a child process: a child forked from a bench holding 300 MB of records
    # would report that as its own peak memory
    generated = args.store or work / "generated.json"
    if not args.store:
        size = ["--disputes", str(args.disputes), "--events", str(args.events)]
        subprocess.run([py, str(HERE / "generate.py"), str(generated), *size], check=True)
    stores = {"generated": generated}
    if not args.no_import:
        exported, imported = work / "export.json", work / "imported.json"
        subprocess.run(
            [*our, "--db", str(generated), "export", "--output", str(exported)], check=True, stdout=subprocess.DEVNULL
        )
        print("importing the same records with `disputes import` …", file=sys.stderr)

        def import_anew() -> tuple[float, float]:
            for made in work.glob("imported.json*"):  # each round imports into a new store
                made.unlink()
            return measure([*our, "--db", str(imported), "import", str(exported)], 1)

        got = side_by_side(
            args.runs,
            {
                "built": import_anew,
                "written": partial(measure, [py, "-c", WRITE_ONCE, str(generated), str(work / "written.json")], 1),
            },
        )
        records = f"{args.disputes + args.events:,} records"
        compare(f"import {records}", got["built"], got["written"], "write the file once", "≤ 2")
        stores["imported"] = imported

    if args.gdelt_rows:
        compare(f"import GDELT ({args.gdelt_rows:,} rows)", *measure_gdelt(py, our, work, args.gdelt_rows, args.runs))
        compare(f"import GDELT zipped ({args.gdelt_rows:,})", *measure_zipped_gdelt(py, our, work, args.runs))
        compare(f"import gdelt-bq ({args.gdelt_rows:,}, 2 shards)", *measure_bigquery(py, our, work, args.runs))

    if args.story_rows:  # linear: twice the rows of one story cost twice the time (quadratic took four times)
        merged = measure_story(our, work, args.story_rows, args.runs)
        compare(f"import one story ({2 * args.story_rows:,} rows)", *merged)

    compare("import disputes (the library)", measure([py, "-c", "import disputes"], args.runs),
            measure([py, "-c", "pass"], args.runs), "python -c pass", "≈ 1")  # fmt: skip
    seed_ids = ids_of(seed_store)
    for name in ("--version", "add", "list", "show", "report"):
        framework = "import typer, tinydb"  # none of them draws with Rich
        command = ONE_RECORD.get(name, [name])
        got = side_by_side(
            args.runs,
            {
                "ours": partial(measure_command, our, seed_store, work, command, 1, name, seed_ids),
                "floor": partial(measure, [py, "-c", framework], 1),
            },
        )
        compare(f"{name} (seed store)", got["ours"], got["floor"], "import floor", "≤ 1.2")

    store_ids = {label: ids_of(store) for label, store in stores.items()}
    for name, command in one_record.items():  # on the seed store and each large one, in turn
        got = side_by_side(
            args.runs,
            {
                label: partial(measure_command, our, store, work, command, 1, name, ids)
                for label, store, ids in [("seed", seed_store, seed_ids)]
                + [(label, store, store_ids[label]) for label, store in stores.items()]
            },
        )
        for label in stores:
            compare(f"{name} ({label})", got[label], got["seed"], "seed store", "≤ 2")

    if args.fewer_events:  # the answer is the same size on both: its cost should be too
        fewer_ids = ids_of(args.fewer_events)
        for name, command in FLAT_READS.items():
            if not wanted(name):
                continue
            got = side_by_side(
                args.runs,
                {
                    "more": partial(measure_command, our, generated, work, command, 1, name, store_ids["generated"]),
                    "fewer": partial(measure_command, our, args.fewer_events, work, command, 1, name, fewer_ids),
                },
            )
            compare(f"{name} (generated)", got["more"], got["fewer"], "fewer events", "≤ 1.2")

    for label, store in stores.items():
        ids = store_ids[label]
        parsing = partial(measure, [py, "-c", PARSE_ALL, str(store)], 1)
        whole = {}
        for name, command in whole_store.items():  # each against a parse measured in the same rounds
            got = side_by_side(
                args.runs, {"ours": partial(measure_command, our, store, work, command, 1, name, ids), "parse": parsing}
            )
            whole[name] = got["ours"]
            target = "≤ 1" if {name, name.split(" --")[0]} & AT_PARSE_SPEED else "≤ 1.5"
            compare(f"{name} ({label})", whole[name], got["parse"], "parse the file", target)
        for name, plain in FILTERED.items():
            if name not in whole:
                continue
            compare(f"{name} vs {plain} ({label})", whole[name], whole[plain], plain, "≤ 1")
        for name, code in library.items():
            if ".frame(" in code and not _has("pandas"):  # frames need the pandas extra
                continue
            got = side_by_side(
                args.runs, {"ours": partial(measure, [py, "-c", code.format(store=str(store))], 1), "parse": parsing}
            )
            compare(f"{name} ({label})", got["ours"], got["parse"], "parse the file", "≤ 1.5")
        merged = measure_merge(py, our, store, work, args.runs)
        three = measure(
            [py, "-c", PARSE_THREE, *(str(work / f"merge-{side}.json") for side in ("base", "ours", "theirs"))],
            args.runs,
        )
        compare(f"merge-file ({label})", merged, three, "parse the three", "≤ 1.5")

    if wanted("stock TinyDB"):  # a copy of every record in stock TinyDB's file: minutes at 1,000,000 events
        naive_store = work / "naive.json"
        subprocess.run([py, "-c", NAIVE_COPY, str(generated), str(naive_store)], check=True)
        naive_copy = work / "naive-add.json"
        naive_reset = lambda: shutil.copyfile(naive_store, naive_copy)  # noqa: E731
        large_add = measure_command(our, generated, work, ONE_RECORD["add"], args.runs, "add", ids_of(generated))
        large_list = measure_command(our, generated, work, ["list"], args.runs, "list", ids_of(generated))
        compare(
            "add (generated) vs stock TinyDB",
            large_add,
            measure([py, "-c", NAIVE_ADD.format(path=str(naive_copy))], args.runs, before=naive_reset),
            "TinyDB JSONStorage",
            "< 1",
        )
        compare(
            "list (generated) vs stock TinyDB",
            large_list,
            measure([py, "-c", NAIVE_LIST.format(path=str(naive_copy))], args.runs, before=naive_reset),
            "TinyDB JSONStorage",
            "< 1",
        )
    if not args.no_taskwarrior:
        task = taskwarrior()
        if task:
            env = tasks(work, args.disputes, task)
            got = side_by_side(
                args.runs,
                {
                    "ours": partial(measure_command, our, generated, work, ["list"], 1, "list", store_ids["generated"]),
                    "task": partial(measure, [task, "list"], 1, env),
                    "least": partial(measure, [py, "-c", LEAST_LIST, str(generated)], 1),
                },
            )
            compare("list (generated) vs task list", got["ours"], got["task"], "Taskwarrior", "≤ 1")
            # what is within reach: the least a Python listing costs, against both
            compare("list (generated) vs least Python list", got["ours"], got["least"], "index, sort, print", "—")
            compare("least Python list vs task list", got["least"], got["task"], "Taskwarrior", "—")
        else:
            print("Taskwarrior is not installed and could not be installed: skipped", file=sys.stderr)

    if args.gdelt_rows:  # last: what it leaves in this process would count in later children's peaks
        compare(f"fetch gdelt ({args.gdelt_rows:,}, local feed)", *measure_fetch(py, our, work, args.runs))

    sizes = ", ".join(f"{label} {path.stat().st_size / 2**20:.0f} MiB" for label, path in stores.items())
    print(
        f"\nStores: seed {seed_store.stat().st_size / 1024:.0f} KiB; {sizes} ({args.disputes:,} disputes, "
        f"{args.events:,} events). Medians of {args.runs} runs.\n"
    )
    header = ("measure", "against", "ours s", "base s", "ratio", "peak MiB", "target")
    table = [header] + [(n, a, f"{o:.3f}", f"{b:.3f}", f"{r:.2f}", f"{m:.0f}", t) for n, a, o, b, r, m, t in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
    print(f"\nPeak memory target: under 250 MiB for every command (largest here: {max(r[5] for r in rows):.0f} MiB).")
    shutil.rmtree(work, ignore_errors=True)


# the register from Python (disputes.open): a TinyDB query, and a DataFrame when pandas is there
LIBRARY = {
    "library: table search": "import disputes; from tinydb import Query; "
    "disputes.open({store!r}).table('disputes').search(Query().status == 'escalated')",
    "library: frame events": "import disputes; disputes.open({store!r}).frame('events', party='Belarus')",
}


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


WTO = HERE.parent / "tests" / "data" / "wto_disputes.csv"
GDELT_SAMPLE = HERE.parent / "tests" / "data" / "gdelt-1.0-20160607.export.CSV"
DYADIC = HERE.parent / "tests" / "data" / "dyadic_mid_sample.csv"  # a dyadic data set's shape: rows by pair and year
DYADIC_MAPPING = [
    "--map", "disno=ref", "--map", "namea=complainant", "--map", "nameb=respondent",
    "--date-parts", "opened=strtday,strtmnth,strtyr", "--unknown", "-9", "--merge-rows",
]  # fmt: skip
WTO_MAPPING = [
    "--map", "title=title", "--map", "complainant=complainant", "--split", "complainant=; ",
    "--derive", "respondent=title:^(.+?) — ", "--map", "consultation_requested=opened",
    "--map", "curr_stat=status_detail", "--status-date", "2018-02", "--set", "monitored=no",
    "--status-map", "IN CONSULTATIONS=negotiating", "--status-map", "SETTLED OR TERMINATED*=resolved",
]  # fmt: skip


# One-record commands (target: at most 2x their seed-store cost) and whole-store commands
# (target: at most one bare parse of the file, AT_PARSE_SPEED; else 1.5x). {dispute} and {event} are filled in.
ONE_RECORD = {
    "add": ["add", "Bench dispute", "-p", "Belarus"],
    "show": ["show", "{dispute}"],
    "show by prefix": ["show", "{prefix}"],  # as users type ids: the short form a listing shows
    "event show by prefix": ["event", "show", "{event_prefix}"],
    "edit": ["edit", "{dispute}", "--add-tag", "bench"],
    "status": ["status", "{dispute}", "frozen"],
    "event add": ["event", "add", "{dispute}", "--date", "2016-06-07", "--title", "Bench event"],
    "event edit": ["event", "edit", "{event}", "--title", "Bench title"],
    "link": ["link", "{dispute}", "{other}", "--as", "blocks"],
    "deadline add": ["deadline", "add", "{dispute}", "--date", "2016-06-30", "--title", "Bench deadline"],
    "review": ["review", "{dispute}", "--date", "2016-06-30"],
    "watch": ["watch", "{dispute}", "--actors", "BLR,RUS", "--codes", "16"],
    "watch sql": ["watch", "sql", "--since", "2016-06", "--until", "2016-06"],  # a rule added just before
    "watch test": ["watch", "test", "all", "{gdelt_sample}"],  # the same rule, tried on a day file's rows
    "event delete": ["event", "delete", "{event}", "--yes"],
    "delete": ["delete", "{dispute}", "--yes", "--cascade"],
    "undo": ["undo"],
    "redo": ["redo"],
    "show md": ["show", "{dispute}", "--format", "md"],
    # a stage reached: its clock added, the earlier stages' open deadlines superseded
    "stage --rules": ["stage", "{dispute}", "established", "--date", "2016-07-01", "--rules", "wto-dsu"],
    "deadline add --rules": [
        "deadline",
        "add",
        "{dispute}",
        "--rules",
        "wto-dsu",
        "--stage",
        "adopted",
        "--from",
        "2016-06-30",
    ],
    "cameo search": ["cameo", "search", "sanction"],  # reads the codebook, not the store: about its seed cost
    "party show": ["party", "show", "RUS"],
    "assess": ["assess", "{dispute}", "Bench bottom line", "--confidence", "low"],
    "comment": ["comment", "{dispute}", "Bench comment"],
    "comment list": ["comment", "list", "{dispute}"],
    "document add": ["document", "add", "{dispute}", "https://example.org/bench.pdf", "--title", "Bench document"],
    "document list": ["document", "list", "{dispute}"],
    "forecast": ["forecast", "{dispute}", "Bench question", "--by", "2030-01-01", "--probability", "likely"],
    "forecast update": ["forecast", "update", "{forecast}", "--probability", "70%"],  # stated just before
    "forecast resolve": ["forecast", "resolve", "{forecast}", "yes", "--date", "today"],
    "forecast delete": ["forecast", "delete", "{forecast}"],
    "resolve": ["resolve", "{dispute}"],
    "close": ["close", "{dispute}"],
    "reopen": ["reopen", "{dispute}"],  # resolved just before
    "unlink": ["unlink", "{dispute}", "{other}"],  # linked just before
    "view save": ["view", "save", "bench", "--tag", "milk", "--party", "Belarus"],
    "view add": ["view", "add", "bench", "{dispute}"],
    "view list": ["view", "list"],
    "view show": ["view", "show", "bench"],
    "view use": ["view", "use", "bench"],
}
WHOLE_STORE = {
    "report": ["report"],
    "timeline": ["timeline"],
    "event list": ["event", "list"],
    "export": ["export", "--format", "json"],
    "export md": ["export", "--format", "md"],
    "export csv": ["export", "--format", "csv"],
    "export ics": ["export", "--format", "ics"],
    "doctor": ["doctor"],
    "list --all --json": ["list", "--all", "--json"],
    "agenda": ["agenda"],
    "history": ["history"],
    "report html": ["report", "--format", "html"],
    "chart": ["chart"],
    "digest": ["digest", "--month", "2016-06"],
    "brief": ["brief", "--since", "2016-01-01"],
    "list --stale --sort quiet": ["list", "--stale", "--sort", "quiet"],
    "timeline md": ["timeline", "--format", "md"],
    "chart --json": ["chart", "--json"],
    "history --author": ["history", "--author", "nobody"],
    "conflicts": ["conflicts"],
    # a change of many disputes reads the listing to choose them, then writes each one chosen
    "edit --match": ["edit", "--match", "tag=milk", "--match", "priority=high", "--add-tag", "bench", "--yes"],
    "status --match": ["status", "--match", "tag=milk", "--match", "priority=high", "frozen", "--yes"],
    "forecast list": ["forecast", "list"],
    "forecast score": ["forecast", "score"],
    "party list": ["party", "list"],
    "party alias": ["party", "alias", "Rossiya", "Russia"],  # every dispute that named "Rossiya" renamed
    "party rename": ["party", "rename", "Gazprom", "Gazprom PJSC"],  # rewrites every dispute naming it
    "report --view": ["report", "--view", "bench"],
    "list --tag": ["list", "--tag", "milk"],
    "list --respondent": ["list", "--respondent", "Russia", "--all"],
    "timeline --view": ["timeline", "--view", "bench"],
    "export --view": ["export", "--view", "bench"],
    "import csv": ["import", "{wto}", *WTO_MAPPING],
    "import csv --dry-run": ["import", "{wto}", *WTO_MAPPING, "--dry-run"],
    # the generated disputes are DS1, DS2, …: the list's rows update them
    "import csv --update": ["import", "{wto}", *WTO_MAPPING, "--map", "#1=ref", "--update"],
    "import csv --merge-rows": ["import", "{dyadic}", *DYADIC_MAPPING],
    "import csv --code-scheme cow": ["import", "{dyadic}", *DYADIC_MAPPING, "--code-scheme", "cow"],
    "import csv --profile": ["import", "{wto}", "--profile", "bench", "--map", "#1=ref", "--update"],  # saved before
    "party list --unresolved": ["party", "list", "--unresolved"],
    "profile list": ["profile", "list"],
}
# Reads whose answer does not grow with history (issue 48): at 1,000,000 events at most 1.2x
# their cost on the same disputes with 100,000 (--fewer-events). The generated events run to 2025-12.
FLAT_READS = {
    "report": ["report"],
    "agenda": ["agenda"],
    "list": ["list"],
    "digest of one month": ["digest", "--month", "2016-06"],
    "chart of one dispute": ["chart", "{dispute}", "--json"],
    "timeline of the last 30 days": ["timeline", "--since", "2025-12-01"],
    "party show": ["party", "show", "RUS"],
    "view show": ["view", "show", "bench"],
}
# the whole-store commands that must cost no more than one bare parse of the file (issue 30);
# the others (history, parties, CSV imports, ...) at most 1.5 times it
AT_PARSE_SPEED = {
    "report", "report html", "timeline", "timeline md", "event list", "agenda", "digest", "chart", "chart --json",
    "doctor", "export", "export md", "export csv", "export ics", "list --all --json",
}  # fmt: skip
# filtering must not slow the unfiltered path: these pairs are compared with each other too
FILTERED = {"report --view": "report", "list --tag": "list --all --json"}
COMPILE = """
import compileall, pathlib, disputes
compileall.compile_dir(pathlib.Path(disputes.__file__).parent, quiet=1)
"""
WRITE_ONCE = """
import orjson, sys
data = orjson.loads(open(sys.argv[1], "rb").read())
open(sys.argv[2], "wb").write(orjson.dumps(data))
"""
# one bare parse of the files a whole-store read reads: the register and its segments, one at a time
PARSE_ALL = """
import orjson, pathlib, sys
orjson.loads(open(sys.argv[1], "rb").read())
for file in sorted(pathlib.Path(sys.argv[1] + ".d").glob("*/[!.]*.json")):
    orjson.loads(file.read_bytes())
"""
PARSE_THREE = "import orjson, sys\nfor f in sys.argv[1:]: orjson.loads(open(f, 'rb').read())"


IDS_OF = """
import json, pathlib, sys
data = json.loads(open(sys.argv[1], "rb").read())
active = [k for k, r in data["disputes"].items() if r["status"] not in ("resolved", "closed", "frozen")]
chosen = active[len(active) // 2]
segments = sorted(pathlib.Path(sys.argv[1] + ".d").glob("events/[!.]*.json"))  # a register with segments
events = data["events"] if "events" in data else json.loads(segments[0].read_bytes())["events"]
event = next(iter(events))
print(json.dumps({"dispute": chosen, "prefix": chosen[:7], "other": active[len(active) // 2 - 1],
                  "event": event, "event_prefix": event[:7]}))
"""


def ids_of(store: Path) -> dict[str, str]:
    """A dispute that is not resolved, another one, and one of its events, read from the file
    in a child process: a bench holding the parsed store would pass its memory on to every
    command it forks, and their peak memory would all read as the bench's."""
    found = subprocess.run([sys.executable, "-c", IDS_OF, str(store)], check=True, capture_output=True, text=True)
    return json.loads(found.stdout)


def copy_store(store: Path, copy: Path) -> None:
    """A copy of a store to change: the register copied, its segments (docs/storage.md) hard
    linked, as a write never changes a segment file in place but renames a new one over it."""
    shutil.copyfile(store, copy)
    folder = Path(str(store) + ".d")
    if folder.is_dir():
        shutil.rmtree(Path(str(copy) + ".d"), ignore_errors=True)
        shutil.copytree(folder, Path(str(copy) + ".d"), copy_function=os.link)


def measure_command(our, store: Path, work: Path, command: list[str], runs: int, name: str, ids: dict):
    """A command on a fresh copy of the store each run (undo first gets a change to undo)."""
    copy = work / "copy.json"
    args = [
        part.format(**ids, wto=WTO, dyadic=DYADIC, gdelt_sample=GDELT_SAMPLE, forecast="{forecast}")
        if part.startswith("{")
        else part
        for part in command
    ]
    run = [*our, "--db", str(copy), *args]

    def fresh() -> None:
        for leftover in work.glob("copy.json*"):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        copy_store(store, copy)
        if name in ("undo", "redo"):
            subprocess.run([*our, "--db", str(copy), "add", "To be undone"], check=True, stdout=subprocess.DEVNULL)
        if name == "redo":
            subprocess.run([*our, "--db", str(copy), "undo"], check=True, stdout=subprocess.DEVNULL)
        if name in ("watch sql", "watch test"):
            watching = [*our, "--db", str(copy), *ONE_RECORD["watch"]]
            subprocess.run([part.format(**ids) for part in watching], check=True, stdout=subprocess.DEVNULL)
        if name == "reopen":
            subprocess.run([*our, "--db", str(copy), "resolve", ids["dispute"]], check=True, stdout=subprocess.DEVNULL)
        if name == "unlink":
            linked = [*our, "--db", str(copy), "link", ids["dispute"], ids["other"], "--as", "blocks"]
            subprocess.run(linked, check=True, stdout=subprocess.DEVNULL)
        if "view" in name and name != "view save":
            saved = [*our, "--db", str(copy), *ONE_RECORD["view save"]]
            subprocess.run(saved, check=True, stdout=subprocess.DEVNULL)
        if name in ("import csv --profile", "profile list"):  # the list imported once, its mapping saved
            saved = [*our, "--db", str(copy), "import", str(WTO), *WTO_MAPPING, "--save-profile", "bench"]
            subprocess.run(saved, check=True, stdout=subprocess.DEVNULL)
        if name == "import csv --update":  # a newer copy of a list already imported
            subprocess.run(
                [*our, "--db", str(copy), "import", str(WTO), *WTO_MAPPING], check=True, stdout=subprocess.DEVNULL
            )

        if "{forecast}" in command:  # a forecast to revise, resolve or delete: its id is new each run
            stated = [*our, "--db", str(copy), *ONE_RECORD["forecast"], "--json"]
            stated = [part.format(**ids) if part.startswith("{") else part for part in stated]
            made = subprocess.run(stated, check=True, capture_output=True, text=True)
            run[len(our) + 2 + command.index("{forecast}")] = json.loads(made.stdout)["id"]

    return measure(run, runs, before=fresh)


READ_AND_SPLIT = "import sys\nfor line in open(sys.argv[1], 'rb'): line.split(b'\\t')"


def measure_gdelt(py, our, work: Path, rows: int, runs: int):
    """`import` of a GDELT day file into the seed store with two watch rules (a fresh copy each
    run), against reading the file and splitting its lines in Python."""
    gdelt, watched, store = work / "gdelt.export.CSV", work / "watched.json", work / "gdelt-store.json"
    print(f"writing a GDELT file of {rows:,} rows …", file=sys.stderr)
    subprocess.run([py, str(HERE / "generate_gdelt.py"), str(gdelt), "--rows", str(rows)], check=True)
    subprocess.run([*our, "--db", str(watched), "seed"], check=True, stdout=subprocess.DEVNULL)
    for dispute, codes in (("fr45", "16"), ("vfb3", "17")):
        subprocess.run(
            [*our, "--db", str(watched), "watch", dispute, "--actors", "BLR,RUS", "--codes", codes],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    ours = measure(
        [*our, "--db", str(store), "import", str(gdelt)], runs, before=lambda: shutil.copyfile(watched, store)
    )
    return ours, measure([py, "-c", READ_AND_SPLIT, str(gdelt)], runs), "read and split the file", "≈ 1"


def measure_zipped_gdelt(py, our, work: Path, runs: int):
    """The same GDELT file zipped as GDELT publishes it, imported as it is, against the plain
    file's import (zipped or not, the import should cost the same)."""
    import zipfile

    gdelt, zipped = work / "gdelt.export.CSV", work / "20160607120000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(gdelt, "20160607120000.export.CSV")
    watched, store = work / "watched.json", work / "gdelt-store.json"

    def fresh() -> None:
        shutil.copyfile(watched, store)

    got = side_by_side(
        runs,
        {
            "plain": partial(measure, [*our, "--db", str(store), "import", str(gdelt)], 1, before=fresh),
            "packed": partial(measure, [*our, "--db", str(store), "import", str(zipped)], 1, before=fresh),
        },
    )
    return got["packed"], got["plain"], "the plain file's import", "≤ 1.1"


def measure_story(our, work: Path, rows: int, runs: int):
    """`import` of a GDELT file of 2n rows that all tell one story (one event keeping every
    row's id), against n such rows, side by side: the ratio of a linear merge is about 2."""
    story = (HERE.parent / "tests" / "data" / "gdelt-1.0-20160607.export.CSV").read_text().splitlines()[0].split("\t")
    watched, store = work / "story-watched.json", work / "story-store.json"
    subprocess.run([*our, "--db", str(watched), "seed"], check=True, stdout=subprocess.DEVNULL)
    watch = [*our, "--db", str(watched), "watch", "fr45", "--actors", "BLR,RUS"]
    subprocess.run(watch, check=True, stdout=subprocess.DEVNULL)
    files = {}
    for label, count in (("n", rows), ("2n", 2 * rows)):
        files[label] = work / f"story-{count}.export.CSV"
        with files[label].open("w", encoding="utf-8") as out:
            for number in range(count):
                out.write("\t".join([str(900_000_000 + number), *story[1:]]) + "\n")

    def fresh() -> None:
        for made in work.glob("story-store.json*"):
            made.unlink()
        shutil.copyfile(watched, store)

    got = side_by_side(
        runs,
        {
            label: partial(measure, [*our, "--db", str(store), "import", str(path)], 1, before=fresh)
            for label, path in files.items()
        },
    )
    return got["2n"], got["n"], f"{rows:,} rows of one story", "≈ 2"


TO_BIGQUERY = """
import csv, sys
from disputes.core.bigquery import COLUMNS, READ
wide = [COLUMNS.index(name) for name in READ]  # GDELT 2.0's 61 columns; 1.0's 58 lack the ADM2 codes
narrow = [[c for c in COLUMNS if not c.endswith("ADM2Code")].index(name) for name in READ]
shards = [open(name, "w", newline="") for name in sys.argv[2:]]
writers = [csv.writer(shard) for shard in shards]
for writer in writers:
    writer.writerow(READ)
for number, line in enumerate(open(sys.argv[1], newline="")):
    fields = line.rstrip("\\r\\n").split("\\t")
    at = wide if len(fields) == len(COLUMNS) else narrow
    writers[number % len(writers)].writerow([fields[i] for i in at])
for shard in shards:
    shard.close()
"""


def measure_bigquery(py, our, work: Path, runs: int):
    """The same GDELT rows as BigQuery exports what `watch sql` selects (CSV under a header, its
    13 columns, in two shards), imported with `--format gdelt-bq`, against the plain file's import."""
    gdelt, watched, store = work / "gdelt.export.CSV", work / "watched.json", work / "gdelt-store.json"
    shards = [work / f"bq-00000000000{n}.csv" for n in range(2)]
    subprocess.run([py, "-c", TO_BIGQUERY, str(gdelt), *map(str, shards)], check=True)

    def fresh() -> None:
        shutil.copyfile(watched, store)

    exported = [*our, "--db", str(store), "import", "--format", "gdelt-bq", *map(str, shards)]
    got = side_by_side(
        runs,
        {
            "plain": partial(measure, [*our, "--db", str(store), "import", str(gdelt)], 1, before=fresh),
            "exported": partial(measure, exported, 1, before=fresh),
        },
    )
    return got["exported"], got["plain"], "the GDELT file's import", "≤ 1.1"


def measure_fetch(py, our, work: Path, runs: int):
    """`fetch gdelt` of the zipped GDELT file from a feed served over HTTP on this machine
    (its two file lists, size and MD5 checked), against importing the same zipped file."""
    import hashlib
    import socket

    zipped, watched, store = work / "20160607120000.export.CSV.zip", work / "watched.json", work / "gdelt-store.json"
    feed = work / "feed"
    feed.mkdir(exist_ok=True)
    shutil.copyfile(zipped, feed / zipped.name)
    with zipped.open("rb") as handle:  # streamed: a child forked from a bench holding the file would count it
        digest = hashlib.file_digest(handle, "md5").hexdigest()
    line = f"{zipped.stat().st_size} {digest} http://data.gdeltproject.org/gdeltv2/{zipped.name}\n"
    for listing in ("lastupdate.txt", "masterfilelist.txt"):
        (feed / listing).write_text(line)

    # served by a process of its own: a child forked from a bench that runs a server would
    # count the bench's own memory as its peak
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [py, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(feed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):  # until it listens
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)

    def fresh() -> None:
        shutil.copyfile(watched, store)

    url = f"http://127.0.0.1:{port}"
    try:
        got = side_by_side(
            runs,
            {
                "fetched": partial(
                    measure, [*our, "--db", str(store), "fetch", "gdelt", "--url", url], 1, before=fresh
                ),
                "imported": partial(measure, [*our, "--db", str(store), "import", str(zipped)], 1, before=fresh),
            },
        )
    finally:
        server.terminate()
        server.wait()
    return got["fetched"], got["imported"], "import the zipped file", "≤ 1.1"


def measure_merge(py, our, store: Path, work: Path, runs: int):
    """The git merge driver on three versions: one dispute added on each side."""
    base, ours, theirs = (work / f"merge-{side}.json" for side in ("base", "ours", "theirs"))
    shutil.copyfile(store, base)
    for side, title in ((ours, "Ours"), (theirs, "Theirs")):
        shutil.copyfile(store, side)
        subprocess.run([*our, "--db", str(side), "add", title], check=True, stdout=subprocess.DEVNULL)
    result = work / "merge-result.json"
    return measure(
        [*our, "merge-file", str(base), str(result), str(theirs)], runs, before=lambda: shutil.copyfile(ours, result)
    )


NAIVE_ADD = (
    "from tinydb import TinyDB; db = TinyDB({path!r}); "
    "db.table('disputes').insert({{'title': 'Bench dispute', 'parties': ['Belarus']}})"
)
# The least a listing in Python costs, as a reference for `list` against Taskwarrior: the
# imports a Typer and TinyDB tool starts with, the disputes' index parsed with orjson (no
# checksum, no objects, no filters), the unresolved ones sorted by priority, and printed.
LEAST_LIST = """
import mmap, sys, orjson, typer, tinydb
with open(sys.argv[1], "rb") as handle:
    data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
start = data.find(b'\\n"disputes.index": ') + len(b'\\n"disputes.index": ')
rows = orjson.loads(data[start : data.find(b"\\n}", start) + 2])
rank = {"critical": 0, "high": 1, "medium": 2, "low": 3}
chosen = sorted(
    ((key, row) for key, row in rows.items() if row["status"] not in ("resolved", "closed")),
    key=lambda item: (rank[item[1]["priority"]], item[1]["opened"], item[0]),
)
sys.stdout.write("".join(
    f"{key[:4]}  {row['ref']}  {row['status']}  {row['priority']}  {row['opened']}  "
    f"{', '.join(row['parties'])}  {row['title']}\\n"
    for key, row in chosen
))
"""
NAIVE_LIST = (
    "from tinydb import TinyDB, Query; db = TinyDB({path!r}); "
    "rows = db.table('disputes').search(Query().status.one_of(['open','negotiating','escalated','frozen'])); "
    "print('\\n'.join(r['id'] + '  ' + r['title'] for r in rows))"
)


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
