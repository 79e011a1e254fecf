"""Polish found by new users and attackers of the charts, the brief, the help and the inputs:
each test is named after the bug it pins."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line


@pytest.fixture
def seed(cli):
    cli("seed")


def test_chart_dropped_the_disputes_past_the_sixth_silently(cli, seed, tmp_path):
    extra = [cli.add(f"Extra dispute {n}", "--opened", "2016")["id"] for n in range(7)]
    out = cli("chart", "--as-of", "2016-06-30").stdout
    said = " ".join(out.split()[-30:])
    assert "4 more unresolved disputes with fewer events not drawn (a chart draws 6)" in said
    command = said.split("disputes chart ")[1].split()
    assert len(command) == 4 and all(any(d.startswith(short) for d in extra) for short in command)
    drawn = cli("chart", "--as-of", "2016-06-30", *command).stdout
    assert "not drawn" not in drawn and all(short in drawn for short in command)  # the way out works
    numbers = cli.json("chart", "--as-of", "2016-06-30")
    assert len(numbers["disputes"]) == 6 and len(numbers["left_out"]) == 4
    result = cli("chart", "--as-of", "2016-06-30", "-f", "svg", "-o", str(tmp_path / "c.svg"))
    assert "4 more unresolved disputes" in result.stderr  # beside a picture, on stderr
    for n in range(8):  # many left out: how to narrow the choice
        cli.add(f"Another dispute {n}", "--opened", "2016")
    assert "narrow the choice with a filter" in " ".join(cli("chart", "--as-of", "2016-06-30").stdout.split())
    assert "left out" not in cli("chart", "--as-of", "2016-06-30", "--tag", "nothing", expect=2).stdout


def test_brief_on_a_quiet_week_was_a_single_line(cli, seed):
    from disputes.core.brief import SECTIONS

    cli("deadline", "add", "fr45", "--date", "2016-09-01", "--title", "Reply due")
    out = cli("brief", "--as-of", "2016-06-30", "--since", "2016-06-20").stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    out = " ".join(out.split())
    assert "Nothing since 2016-06-20. Checked, in this order:" in lines
    checked = [line.split(":")[0] for line in lines if line.endswith(": none") or ": none;" in line]
    assert checked == [heading for _, heading in SECTIONS]  # every section, in the brief's order
    assert "next due 2016-09-01" in out and "Reply due" in out  # and what falls due next
    for fmt in ("md", "html"):
        assert "next due 2016-09-01" in cli("brief", "--as-of", "2016-06-30", "--since", "2016-06-20", "-f", fmt).stdout
    said = cli.json("brief", "--as-of", "2016-06-30", "--since", "2016-06-20")
    assert said["found_empty"] == [key for key, _ in SECTIONS] and said["next_due"][0]["date"] == "2016-09-01"
    busy = " ".join(cli("brief", "--as-of", "2016-06-30", "--since", "2016-06-01").stdout.split())
    assert "Nothing since 2016-06-01: bottom lines revised; new disputes;" in busy  # a busy week says the rest


def _every_command():
    import typer.main

    from disputes.cli import app

    def walk(command, path):
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def test_help_examples_wrapped_in_the_middle_of_a_command(cli):
    import shlex

    examples = 0
    for path, _ in _every_command():
        shown = cli(*path, "--help", env={"COLUMNS": "80"}).stdout.splitlines()
        for at, line in enumerate(shown):
            if line.strip() != "Example:":
                continue
            block = []
            for below in shown[at + 1 :]:
                if not below.strip():
                    break
                block.append(below)
            examples += 1
            assert all(len(row) <= 80 for row in block), block
            said = [row.strip() for row in block if not row.strip().startswith("# ")]
            assert said[0].startswith("disputes ") and all(row.endswith(" \\") for row in said[:-1]), block
            command = " ".join(row.removesuffix(" \\") for row in said)
            assert shlex.split(command)[:1] == ["disputes"]  # quotes balanced: a command that runs
    assert examples > 90


def test_profile_show_wrapped_in_the_middle_of_an_option(cli, store_path):
    import shlex

    import pyte
    from conftest import WTO_ARGS, on_terminal

    from disputes.core import profile

    cli(*WTO_ARGS, "--save-profile", "wto")
    stored = cli.json("profile", "show", "wto")
    record = stored[0] if isinstance(stored, list) else stored
    words = profile.command_line(record["options"])
    for width in (60, 80, 120):
        raw = on_terminal("profile", "show", "wto", env={"DISPUTES_DB": str(store_path)}, width=width)
        written = [line for line in raw.replace("\r", "").splitlines() if line.strip()][1:]
        assert all(line.endswith(" \\") for line in written[:-1]), written
        for line in written:  # a line within the width, or one option alone (the terminal folds it)
            assert len(line) <= width or len(shlex.split(line.removesuffix(" \\"))) == 2, line
        assert shlex.split(" ".join(line.removesuffix(" \\") for line in written)) == words
        term = pyte.Screen(width, 200)
        pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
        assert term.display[1].startswith("    --map '#1=ref' --map title=title")  # as written, on screen


def _report_on(store_path, width: int) -> list[str]:
    import pyte
    from conftest import on_terminal

    raw = on_terminal("report", "--as-of", "2016-06-30", env={"DISPUTES_DB": str(store_path)}, width=width)
    term = pyte.Screen(width, 300)
    pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
    return [line.rstrip() for line in term.display]


def _column(lines: list[str], name: str, short: str) -> tuple[int, list[str]]:
    """A column of the unresolved table: its width (to the next heading) and the cells of one row."""
    head = next(line for line in lines if line.startswith("ID ") and " TITLE " in line)
    start = head.index(name)
    after = start + len(name)
    end = next((n for n in range(after + 1, len(head)) if head[n] != " " and head[n - 1] == " "), len(head))
    at = next(n for n, line in enumerate(lines) if line.startswith(short))
    cells = [lines[at][start:end].strip()]
    for line in lines[at + 1 :]:
        if not line.strip() or line[:4].strip():
            break
        cells.append(line[start:end].strip())
    return end - start, [cell for cell in cells if cell]


@pytest.mark.parametrize("width", [80, 120, 160])
def test_report_gave_a_wider_terminal_to_age_and_quiet_before_the_titles(cli, seed, store_path, width):
    lines = _report_on(store_path, width)
    title_width, title = _column(lines, "TITLE", "fr45")
    head = next(line for line in lines if line.startswith("ID "))
    if "AGE" in head or "QUIET" in head:  # a low-value column only once the titles had their room
        assert title_width >= 44 and len(title) <= 2, (title_width, title)
    assert " ".join(title) == "Belarusian re-exports of goods under Russia's food counter-sanctions"


@pytest.mark.parametrize("width", [60, 80, 120])
def test_report_status_with_a_long_detail_wrapped_a_word_a_line(cli, seed, store_path, width):
    lines = _report_on(store_path, width)
    if width == 60:  # stacked: the status on its own line, as wide as the screen allows
        at = next(n for n, line in enumerate(lines) if line.strip().startswith("status") and "escalated" in line)
        assert lines[at].split("status", 1)[1].strip().startswith("escalated (warning shown: Polish")
        return
    status_width, status = _column(lines, "STATUS", "fr45")
    assert status_width >= 20 and len(status) <= 4, (status_width, status)
    assert " ".join(status) == "escalated (warning shown: Polish apples detained at the border)"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        (("list", "--tags", "x"), "; did you mean --tag?"),  # Click offered --stage, --status, --tag
        (("list", "--s", "x"), "; did you mean -s?"),  # Click offered --json, --sort, --stale
        (("event", "add", "fr45", "--scor", "3"), "; did you mean --score?"),  # and --actor first
        (("list", "--zzzz"), " (see"),  # nothing close: no guess
    ],
)
def test_a_mistyped_option_was_offered_misleading_possible_options(cli, seed, store_path, typed, hint):
    before = store_path.read_bytes()
    result = cli(*typed, expect=2)
    mistyped = next(word for word in reversed(typed) if word.startswith("-"))
    assert_one_error_line(result, f"No such option: {mistyped}{hint}")
    assert "Possible options" not in result.stderr and store_path.read_bytes() == before


@pytest.mark.parametrize(
    "typed",
    [
        ("forecast", "fr45", "Seizures go on", "--by", "2017-01-01", "-p", "1_0%"),
        ("forecast", "fr45", "Seizures go on", "--by", "2017-01-01", "-p", "0.1_5"),
        ("chart", "--months", "1_2"),
        ("event", "add", "fr45", "--date", "2016-06-08", "--title", "More apples", "--score", "-1_0"),
        ("list", "--limit", "1_0"),
    ],
)
def test_a_number_with_an_underscore_was_read_as_another_number(cli, seed, store_path, typed):
    before = store_path.read_bytes()
    result = cli(*typed, expect=2)
    assert_one_error_line(result, "has an underscore")
    assert store_path.read_bytes() == before


def test_a_probability_of_1e_300_was_stored_as_0_and_shown_as_0_percent(cli, seed, store_path):
    from disputes.core import forecast

    before = store_path.read_bytes()
    for tiny in ("1e-300", "0.0000001", "0.99999999"):
        result = cli("forecast", "fr45", "Seizures go on", "--by", "2017-01-01", "-p", tiny, expect=2)
        assert_one_error_line(result, f"probability '{tiny}' rounds to", "0.000001 to 0.999999")
    assert store_path.read_bytes() == before
    small = cli(
        "forecast", "fr45", "Seizures go on", "--by", "2017-01-01", "--date", "2016-06-01", "-p", "0.0004"
    ).stdout
    assert "almost no chance (0.04 %)" in small  # the ICD 203 band, and the digits it needs
    assert forecast.said(0.999999) == "almost certain (99.9999 %)" and forecast.said(0.7) == "likely (70 %)"
    assert forecast.percent(0.000001) == "0.0001 %" and forecast.percent(0.125) == "12.5 %"


@pytest.mark.parametrize(
    "typed",
    [
        ("forecast", "score", "--since", ""),
        ("brief", "--since", " "),
        ("report", "--as-of", ""),
        ("chart", "--as-of", ""),
        ("event", "list", "--since", ""),
        ("brief", "--mark", "--as-of", ""),
    ],
)
def test_a_blank_date_was_taken_as_no_date(cli, seed, store_path, typed):
    before = store_path.read_bytes()
    result = cli(*typed, expect=2)
    assert_one_error_line(result, f"Invalid value for '{typed[-2]}'", "is blank: give a date")
    assert store_path.read_bytes() == before


@pytest.mark.parametrize("mapped", [("--map", "ref=ref", "--map", "title=title"), ()])
def test_a_csv_with_a_duplicate_header_silently_used_its_first_column(cli, store_path, tmp_path, mapped):
    source = tmp_path / "dup.csv"
    source.write_text("ref,Title,title\nX1,First,Second\n", encoding="utf-8")
    cli.add("Already here")  # a store to keep unchanged
    before = store_path.read_bytes()
    result = cli("import", str(source), *mapped, expect=2)
    assert_one_error_line(result, "2 columns named 'Title' (columns 2, 3)", "#2 or #3", "nothing was imported")
    assert store_path.read_bytes() == before
    cli("import", str(source), "--map", "ref=ref", "--map", "#3=title")  # the way out works
    assert sorted(d["title"] for d in cli.json("list")) == ["Already here", "Second"]


def test_watch_sql_for_year_9999_wrote_a_partition_filter_ending_before_it_began(cli, seed, store_path):
    rule = cli.json("watch", "vfb3", "--codes", "16")["id"]
    before = store_path.read_bytes()
    future = cli("watch", "sql", rule, "--since", "9999", "--until", "9999", expect=2)
    assert_one_error_line(future, "--since 9999 is after today", "GDELT holds no events")
    past = cli("watch", "sql", rule, "--since", "2010", "--until", "2012", expect=2)
    assert_one_error_line(past, "before gdelt-bq.gdeltv2.events_partitioned begins, on 2015-02-18", "1979 on")
    assert store_path.read_bytes() == before
    from disputes.core.dates import today

    bounded = cli("watch", "sql", rule, "--since", "2014", "--until", "9999").stdout
    assert f"SQLDATE BETWEEN 20150218 AND {today().replace('-', '')}" in bounded  # what the table holds
    start, end = bounded.split("_PARTITIONTIME >= TIMESTAMP '")[1].split("'")[0], bounded.split("< TIMESTAMP '")[1][:10]
    assert start == "2015-02-18" < end  # a partition filter that can hold rows
    older = cli("watch", "sql", rule, "--since", "2010", "--until", "2012", "--table", "gdelt-bq.full.events").stdout
    assert "SQLDATE BETWEEN 20100101 AND 20121231" in older


def test_an_empty_bigquery_export_imported_nothing_and_exited_0(cli, seed, store_path, tmp_path):
    import gzip

    cli("watch", "vfb3", "--codes", "16")
    empty, header = tmp_path / "empty.csv.gz", tmp_path / "header.csv.gz"
    empty.write_bytes(gzip.compress(b""))
    from disputes.core import bigquery

    header.write_bytes(gzip.compress(",".join(bigquery.READ).encode() + b"\n"))
    before = store_path.read_bytes()
    for files in ([empty], [header, empty]):
        result = cli("import", "--format", "gdelt-bq", *map(str, files), expect=1)
        assert_one_error_line(result, "no rows", "nothing was imported")
    assert store_path.read_bytes() == before


def test_fetch_dry_run_did_not_mention_the_list_lines_it_would_skip(cli, tmp_path):
    import test_feed
    import test_feed_hostile as hostile

    cli("seed")
    cli("watch", "fr45", "--actors", "BLR,RUS")
    (tmp_path / "mirror").mkdir()
    served = test_feed.Mirror(tmp_path / "mirror")
    try:
        served.publish(hostile.OLD, hostile.GOOD_ROW_IDS)
        hostile.write_lists(served, hostile.HOSTILE_LINES)
        real_said = None
        for dry in (True, False):
            done = cli("fetch", "gdelt", "--url", served.url, *(["--dry-run"] if dry else []))
            said = [line for line in done.stderr.splitlines() if "bad lines passed over" in line]
            assert said, (dry, done.stderr)
            real_said = real_said or said
        assert said == real_said  # the dry run says what the real run says
        dry_json = cli("fetch", "gdelt", "--url", served.url, "--dry-run", "--json")
        assert "bad lines passed over" in dry_json.stderr
    finally:
        served.server.shutdown()


@pytest.mark.parametrize("width", [80, 100, 120])
def test_report_at_80_columns_dropped_the_trend_for_a_wider_status(cli, seed, store_path, width):
    # the trend (CrisisWatch's reading) outranks the room a status detail wraps in
    lines = _report_on(store_path, width)
    head = next(line for line in lines if line.startswith("ID ") and " TITLE " in line)
    assert "TREND" in head and "STATUS" in head, head
    fr45 = next(line for line in lines if line.startswith("fr45"))
    assert "deteriorated" in fr45
