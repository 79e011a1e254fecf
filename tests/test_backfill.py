"""Issue 49: backfills from GDELT's BigQuery tables -- watch rules written as SQL (its meaning
checked by running it in DuckDB over a table with BigQuery's column names), BigQuery's exports
imported in every shape they come in, and a backfill over rows already fetched."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import tempfile
from pathlib import Path

import duckdb
import pytest
from conftest import Cli, assert_one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core.bigquery import COLUMNS, READ

DATA = Path(__file__).parent / "data"
GDELT1 = DATA / "gdelt-1.0-20160607.export.CSV"
GDELT2 = DATA / "gdelt-2.0-20160607120000.export.CSV"
NUMBERS = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions"}
NUMBERS |= {"NumSources", "NumArticles", "DATEADDED"}
DECIMALS = {"FractionDate", "GoldsteinScale", "AvgTone"} | {c for c in COLUMNS if c.endswith(("_Lat", "_Long"))}


@pytest.fixture
def watched(cli):
    """As in test_eventdata: sanctions (16) on the re-exports dispute, coercion (17) and
    retreats (0874) mentioned at least twice on the gas dispute."""
    cli("seed")
    cli("watch", "fr45", "--actors", "BLR,RUS", "--codes", "16")
    cli("watch", "vfb3", "--actors", "rus, blr", "--codes", "17,0874", "--min-mentions", "2")


def gdelt_rows(path: Path) -> list[dict]:
    """A GDELT file's rows under BigQuery's column names: 1.0's 58 columns lack the ADM2 codes;
    an empty field is NULL, as in the tables."""
    rows = []
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        names = COLUMNS if len(fields) == len(COLUMNS) else [c for c in COLUMNS if not c.endswith("ADM2Code")]
        rows.append({name: typed(name, value) for name, value in zip(names, fields, strict=True)})
    return rows


def typed(name: str, value: str):
    if value == "":
        return None
    return int(value) if name in NUMBERS else float(value) if name in DECIMALS else value


def as_gdelt_file(rows: list[dict], path: Path) -> Path:
    """Rows written back as a GDELT 2.0 file (61 tab-separated columns, no header)."""
    lines = ["\t".join("" if row.get(c) is None else str(row[c]) for c in COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def duck(rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the rows twice, under the names of BigQuery's tables: as
    `gdelt-bq.gdeltv2.events`, and as its partitioned twin, filed by the day each row was added."""
    db = duckdb.connect()
    kinds = ", ".join(
        f'"{c}" {"BIGINT" if c in NUMBERS else "DOUBLE" if c in DECIMALS else "VARCHAR"}' for c in COLUMNS
    )
    db.execute(f'CREATE TABLE "gdelt-bq.gdeltv2.events" ({kinds})')
    if rows:
        marks = ", ".join("?" for _ in COLUMNS)
        db.executemany(
            f'INSERT INTO "gdelt-bq.gdeltv2.events" VALUES ({marks})', [[r.get(c) for c in COLUMNS] for r in rows]
        )
    db.execute(
        'CREATE TABLE "gdelt-bq.gdeltv2.events_partitioned" AS SELECT *, '
        "strptime(CAST(DATEADDED AS VARCHAR)[1:8], '%Y%m%d') AS _PARTITIONTIME FROM \"gdelt-bq.gdeltv2.events\""
    )
    return db


def selected(db: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The references of the rows BigQuery's SQL selects, run by DuckDB: the one dialect
    difference the SQL has, the table's backticks, becomes DuckDB's double quotes."""
    assert sql.count("`") == 2
    result = db.execute(sql.replace("`", '"'))
    names = [column[0] for column in result.description]
    assert names == list(READ)  # only the columns an import reads: what BigQuery bills
    return {f"gdelt:{row[0]}" for row in result.fetchall()}


def taken(cli: Cli, db: str, path: Path, *options: str) -> set[str]:
    """The references of the rows an import of the file takes, one event a row."""
    result = json.loads(
        cli("--db", db, "import", str(path), "--dry-run", "--keep-duplicates", "--json", *options).stdout
    )
    return {event["ref"] for event in result["events"]}


def test_the_sql_selects_in_duckdb_the_rows_the_import_of_the_gdelt_files_takes(cli, watched, tmp_path):
    rows = gdelt_rows(GDELT1) + gdelt_rows(GDELT2)
    db = duck(rows)
    for table in ("gdelt-bq.gdeltv2.events", "gdelt-bq.gdeltv2.events_partitioned"):
        sql = cli("watch", "sql", "--since", "2016-06-07", "--until", "2016-06-08", "--table", table).stdout
        assert selected(db, sql) == {"gdelt:498552801", "gdelt:498552805", "gdelt:598552801"}
    imported = {e["ref"] for e in json.loads(cli("import", str(GDELT1), "--dry-run", "--json").stdout)["events"]}
    imported |= {e["ref"] for e in json.loads(cli("import", str(GDELT2), "--dry-run", "--json").stdout)["events"]}
    assert imported == {"gdelt:498552801", "gdelt:498552805", "gdelt:598552801"}
    # one day only, and one rule (by a prefix of its id)
    rule = next(w["id"] for w in cli.json("watch", "list") if w["codes"] == ["16"])
    one = cli("watch", "sql", rule, "--since", "2016-06-07", "--until", "2016-06-07").stdout
    assert selected(db, one) == {"gdelt:498552801"}
    assert "_PARTITIONTIME" not in cli("watch", "sql", "--since", "2016-06", "--until", "2016-06", "--table",
                                       "gdelt-bq:full.events").stdout  # fmt: skip


ACTORS = ("BLR", "RUS", "POL", "")
CODES = ("010", "036", "042", "0874", "163", "172", "1721", "1724")
DAY = dt.date(2016, 6, 7)


@st.composite
def gdelt_table(draw):
    """Rows of a made-up GDELT table: a few actors (or none), codes, mentions, days, and rows
    added to GDELT up to ten days after their day."""
    rows = []
    for number in range(draw(st.integers(1, 12))):
        day = DAY + dt.timedelta(days=draw(st.integers(0, 6)))
        added = day + dt.timedelta(days=draw(st.integers(0, 10)))
        one, two = draw(st.sampled_from(ACTORS)), draw(st.sampled_from(ACTORS))
        rows.append(
            {
                "GLOBALEVENTID": 600_000_000 + number,
                "SQLDATE": int(day.strftime("%Y%m%d")),
                "Actor1Code": one or None,
                "Actor1Name": one or None,
                "Actor1CountryCode": one or None,
                "Actor2Code": two or None,
                "Actor2Name": two or None,
                "Actor2CountryCode": two or None,
                "EventCode": draw(st.sampled_from(CODES)),
                "GoldsteinScale": -5.0,
                "NumMentions": draw(st.integers(0, 6)),
                "ActionGeo_FullName": "Minsk, Horad Minsk, Belarus",
                "DATEADDED": int(added.strftime("%Y%m%d")) * 1_000_000 + 120000,
                "SOURCEURL": f"https://example.org/{number}",
            }
        )
    return rows


RULES = st.lists(
    st.tuples(
        st.lists(st.sampled_from(ACTORS[:3]), min_size=1, max_size=3, unique=True),
        st.lists(st.sampled_from(("16", "17", "172", "0874", "04")), max_size=2, unique=True),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=gdelt_table(), rules=RULES, since=st.integers(0, 6), span=st.integers(0, 6), late=st.integers(0, 5))
def test_the_sql_means_what_the_watch_rules_mean(cli, rows, rules, since, span, late):
    """DuckDB over the rows selects what an import of the same rows (those of the days asked)
    takes; from the partitioned table, less only the rows added more than --late-days after."""
    first, last = DAY + dt.timedelta(days=since), DAY + dt.timedelta(days=since + span)
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "store.json")
        for number, (actors, codes, least) in enumerate(rules):
            dispute = cli("--db", db, "add", f"Dispute {number}", "--json").stdout
            options = ["--actors", ",".join(actors), "--min-mentions", str(least)]
            cli(
                "--db",
                db,
                "watch",
                json.loads(dispute)["id"],
                *options,
                *(["--codes", ",".join(codes)] if codes else []),
            )
        in_range = [r for r in rows if first.strftime("%Y%m%d") <= str(r["SQLDATE"]) <= last.strftime("%Y%m%d")]
        expected = taken(cli, db, as_gdelt_file(in_range, Path(folder) / "rows.export.CSV")) if in_range else set()
        table = duck(rows)
        span_options = ["--since", first.isoformat(), "--until", last.isoformat(), "--late-days", str(late)]
        plain = cli("--db", db, "watch", "sql", *span_options, "--table", "gdelt-bq.gdeltv2.events").stdout
        assert selected(table, plain) == expected
        added_late = {
            f"gdelt:{r['GLOBALEVENTID']}"
            for r in rows
            if str(r["DATEADDED"])[:8] > (last + dt.timedelta(days=late)).strftime("%Y%m%d")
        }
        partitioned = cli("--db", db, "watch", "sql", *span_options).stdout  # the default table
        assert "gdelt-bq.gdeltv2.events_partitioned" in partitioned
        assert selected(table, partitioned) == expected - added_late


def exported(rows: list[dict]) -> list[dict]:
    """What BigQuery exports of the rows: the columns `watch sql` selects."""
    return [{name: row.get(name) for name in READ} for row in rows]


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(READ)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in READ])
    return out.getvalue()


def as_json_lines(rows: list[dict], *, integers_as_text: bool = False, nulls: bool = True) -> str:
    lines = []
    for row in rows:
        shown = {
            c: str(v) if integers_as_text and isinstance(v, int) else v
            for c, v in row.items()
            if nulls or v is not None
        }
        lines.append(json.dumps(shown, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def events_of(cli: Cli, db: str) -> list[dict]:
    """A store's events from GDELT, less the moments they were written."""
    found = json.loads(cli("--db", db, "event", "list", "--json").stdout)
    gdelt = (e for e in found if e.get("ref", "").startswith("gdelt:"))
    return sorted(({k: v for k, v in e.items() if k not in ("created", "updated")} for e in gdelt), key=str)


def watched_store(cli: Cli, path: Path) -> str:
    db = str(path)
    cli("--db", db, "seed")
    cli("--db", db, "watch", "fr45", "--actors", "BLR,RUS", "--codes", "16")
    cli("--db", db, "watch", "vfb3", "--actors", "rus, blr", "--codes", "17,0874", "--min-mentions", "2")
    return db


def test_every_export_shape_imports_what_the_gdelt_files_do(cli, tmp_path):
    """CSV under a header, JSON lines with integers as numbers or as text and nulls written or
    left out, gzipped as published, and shards (a story's two rows in two shards: one event)."""
    rows = gdelt_rows(GDELT1) + gdelt_rows(GDELT2)
    again = {**rows[0], "GLOBALEVENTID": 498552901, "NumMentions": 5}  # the same story, from another article
    rows.append(again)
    files = tmp_path / "gdelt"
    files.mkdir()
    expected_db = watched_store(cli, tmp_path / "expected.json")
    cli("--db", expected_db, "import", str(as_gdelt_file(rows, files / "all.export.CSV")))
    expected = events_of(cli, expected_db)
    story = next(e for e in expected if "gdelt:498552801" in e.get("refs", []))
    assert story["mentions"] == 12 + 5
    shaped = exported(rows)
    shapes = {
        "csv": [("rows.csv", as_csv(shaped))],
        "json": [("rows.json", as_json_lines(shaped))],
        "json-text": [("rows.json", as_json_lines(shaped, integers_as_text=True, nulls=False))],
        "gzip": [("rows-000000000000.csv.gz", as_csv(shaped)), ("rows-000000000001.json.gz", as_json_lines([]))],
        "shards": [(f"rows-00000000000{n}.csv", as_csv(shaped[n::3])) for n in range(3)],
        "mixed": [("a.json", as_json_lines(shaped[:4])), ("b.csv.gz", as_csv(shaped[4:]))],
    }
    for shape, written in shapes.items():
        folder = tmp_path / shape
        folder.mkdir()
        paths = []
        for name, text in written:
            path = folder / name
            path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
            paths.append(str(path))
        db = watched_store(cli, folder / "store.json")
        result = json.loads(cli("--db", db, "import", "--format", "gdelt-bq", *paths, "--json").stdout)
        assert (result["format"], result["rows"], result["added"]) == ("gdelt-bq", len(rows), len(expected)), shape
        assert events_of(cli, db) == expected, shape
    # the format is told from a CSV header or a JSON line, without --format
    told = json.loads(cli("--db", db, "import", str(tmp_path / "csv" / "rows.csv"), "--dry-run", "--json").stdout)
    assert told["format"] == "gdelt-bq"
    told = json.loads(cli("--db", db, "import", str(tmp_path / "json" / "rows.json"), "--dry-run", "--json").stdout)
    assert told["format"] == "gdelt-bq"


def test_a_backfill_over_rows_already_fetched_adds_nothing_twice(cli, watched, tmp_path, store_path):
    """The 15-minute file was fetched; the backfill holds its rows, a story's second row, and a
    day before: only what is new comes in, the story keeps one event."""
    cli("import", str(GDELT2))
    fetched = {e["ref"]: e for e in cli.json("event", "list") if e.get("ref", "").startswith("gdelt:")}
    assert set(fetched) == {"gdelt:598552801"}
    rows = gdelt_rows(GDELT2) + gdelt_rows(GDELT1)
    rows.append({**rows[0], "GLOBALEVENTID": 598552901, "NumMentions": 3})  # the fetched story, another article
    shards = []
    for number, part in enumerate((rows[:3], rows[3:])):
        shards.append(tmp_path / f"backfill-{number}.json")
        shards[-1].write_text(as_json_lines(exported(part), integers_as_text=True))
    first = json.loads(cli("import", "--format", "gdelt-bq", *map(str, shards), "--json").stdout)
    assert (first["added"], first["updated"]) == (2, 1)
    events = [e for e in cli.json("event", "list") if e.get("ref", "").startswith("gdelt:")]
    assert sorted(e["ref"] for e in events) == ["gdelt:498552801", "gdelt:498552805", "gdelt:598552801"]
    story = next(e for e in events if e["ref"] == "gdelt:598552801")
    assert story["id"] == fetched["gdelt:598552801"]["id"]
    assert story["mentions"] == 7 + 3  # the story's two rows, each counted once
    assert story["refs"] == ["gdelt:598552801", "gdelt:598552901"]  # a backfill's second row was not kept
    before = store_path.read_bytes()
    again = json.loads(cli("import", "--format", "gdelt-bq", *map(str, shards), "--json").stdout)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert store_path.read_bytes() == before
    # the file fetched again after the backfill changes nothing either
    refetched = json.loads(cli("import", str(GDELT2), "--json").stdout)
    assert (refetched["added"], refetched["updated"]) == (0, 0)  # it set the story's mentions back to 7
    assert store_path.read_bytes() == before
    history = cli.json("history")
    assert "backfill-0.json and 1 more" in history[0]["note"] or "backfill-0.json and 1 more" in json.dumps(history)


def test_a_bad_export_or_sql_request_is_one_line_and_changes_nothing(cli, watched, tmp_path, store_path):
    shaped = exported(gdelt_rows(GDELT1))
    lacking = tmp_path / "lacking.csv"
    lacking.write_text(as_csv(shaped).replace("NumMentions", "Mentions"))
    before = store_path.read_bytes()
    assert_one_error_line(cli("import", "--format", "gdelt-bq", str(lacking), expect=2), "'NumMentions'", "watch sql")
    good = tmp_path / "good.csv"
    good.write_text(as_csv(shaped))
    bad = tmp_path / "bad.json"
    bad.write_text(as_json_lines(shaped[:2]) + '{"GLOBALEVENTID": 1, "SQLDATE": "2016-13-01"}\n')
    result = cli("import", "--format", "gdelt-bq", str(good), str(bad), expect=2)
    assert_one_error_line(result, "bad.json line 3", "SQLDATE")
    broken = tmp_path / "broken.json"
    broken.write_text('{"GLOBALEVENTID": 1,\n')
    assert_one_error_line(cli("import", "--format", "gdelt-bq", str(broken), expect=2), "broken.json line 1", "JSON")
    assert store_path.read_bytes() == before
    assert_one_error_line(cli("import", str(good), str(DATA / "wto_disputes.csv"), expect=2), "event data")
    for args, words in (
        (["--since", "2016-06-08", "--until", "2016-06-07"], "after --until"),
        (["--since", "2016-06", "--until", "2016-06", "--table", "my.table"], "not one of GDELT"),
        (["--since", "June 2016"], "--until"),
        (["nosuchrule", "--since", "2016", "--until", "2016"], "no watch rule"),
    ):
        assert_one_error_line(cli("watch", "sql", *args, expect=2 if "nosuch" not in args[0] else 1), words)
    empty = tmp_path / "empty.json"
    cli("--db", str(empty), "seed")
    assert_one_error_line(
        cli("--db", str(empty), "watch", "sql", "--since", "2016", "--until", "2016", expect=2), "no watch rules"
    )


def test_watch_sql_help_says_how_to_run_it_and_what_it_costs(cli):
    shown = " ".join(cli("watch", "sql", "--help").stdout.split())
    for words in ("bq query", "--format=csv", "console", "bytes", "dry_run", "import --format gdelt-bq"):
        assert words in shown, words


def test_a_storys_rows_in_two_files_were_not_all_kept(cli, watched, tmp_path):
    """The first file holds one row of a story, the second only another: one event with both
    ids and both rows' mentions, and either file read again changes nothing."""
    first_row = gdelt_rows(GDELT2)[0]
    second_row = {**first_row, "GLOBALEVENTID": 598552901, "NumMentions": 3}
    files = []
    for number, row in enumerate((first_row, second_row)):
        files.append(tmp_path / f"part-{number}.json")
        files[-1].write_text(as_json_lines(exported([row]), integers_as_text=False))
        cli("import", "--format", "gdelt-bq", str(files[-1]))
    story = [e for e in cli.json("event", "list") if set(e.get("refs") or [e.get("ref")]) & {"gdelt:598552901"}]
    assert len(story) == 1
    assert story[0]["refs"] == ["gdelt:598552801", "gdelt:598552901"]
    assert story[0]["mentions"] == int(first_row["NumMentions"]) + 3
    for again in files:
        result = json.loads(cli("import", "--format", "gdelt-bq", str(again), "--json").stdout)
        assert (result["added"], result["updated"]) == (0, 0)
