"""Attacker findings (fixer D): each test is named after the bug it pins, runs the real
command on a real temporary store, and checks the store is unchanged where it refuses."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import WTO_ARGS, assert_one_error_line, disputes_command
from hypothesis import given, settings
from hypothesis import strategies as st

from disputes.core.csv_cells import TRIGGERS, neutral, read_back


@pytest.fixture
def seeded(cli):
    cli("seed")


# 1. An author name from the environment is checked before anything is written


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("document", "add", "fr45", "https://x.org/a", "--title", "A"), {"DISPUTES_AUTHOR": "eve\tsmith"}),
        (("comment", "add", "fr45", "a note"), {"DISPUTES_AUTHOR": "eve\nsmith"}),
        (("assess", "fr45", "likely to settle"), {"DISPUTES_AUTHOR": "x" * 301}),
        (("brief", "--mark", "--author", "a\nb"), {}),
    ],
)
def test_an_author_name_that_a_record_would_refuse_is_not_written(seeded, cli, store_path, args, env):
    before = store_path.read_bytes()
    done = cli(*args, env=env, expect=2)
    assert_one_error_line(done, "the author name from")
    assert ("$DISPUTES_AUTHOR" if env else "--author") in done.stderr
    assert store_path.read_bytes() == before
    assert cli("doctor", expect=None).exit_code == 0


# 6. A score typed as -0 is 0


def test_a_score_of_minus_zero_is_stored_and_shown_as_zero(seeded, cli, store_path):
    made = cli.json("event", "add", "fr45", "--title", "z", "--date", "2016", "--score", "-0")
    assert str(made["score"]) == "0.0"
    assert "-0.0" not in store_path.read_text(encoding="utf-8")
    listed = cli("event", "list", "--dispute", "fr45", "--format", "csv").stdout
    row = next(line for line in listed.splitlines() if line.endswith(",z"))
    assert ",-0," not in row and ",0," in row
    shown = cli("event", "list", "--dispute", "fr45").stdout
    assert "-0 " not in shown


# 7. A document's location may be as long as a source URL (a signed link)


def test_a_signed_link_longer_than_a_title_is_a_valid_document_location(seeded, cli, tmp_path):
    link = "https://share.example.org/d/report.pdf?X-Amz-Signature=" + "a" * 1500
    made = cli.json("document", "add", "fr45", link, "--title", "Signed")
    assert made["location"] == link
    assert cli("doctor", expect=None).exit_code == 0
    cli("export", "-o", str(tmp_path / "e.json"))
    other = {"DISPUTES_DB": str(tmp_path / "other" / "s.json")}
    cli("import", str(tmp_path / "e.json"), env=other)
    brought = json.loads(cli("document", "list", "--json", env=other).stdout)
    assert [d["location"] for d in brought if d["title"] == "Signed"] == [link]


# 3. Every date option refuses a blank value, and says the forms it takes


@pytest.mark.parametrize(
    ("typed", "forms"),
    [
        (("list", "--opened-since", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("report", "--opened-before", " "), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("export", "--opened-since", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("agenda", "--opened-before", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("status", "fr45", "active", "--date", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("resolve", "fr45", "--date", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("close", "fr45", "--date", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("assess", "fr45", "likely", "--date", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("comment", "add", "fr45", "a note", "--date", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("document", "add", "fr45", "https://x.org/a", "--date", ""), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("report", "--as-of", ""), "(YYYY-MM-DD)"),
        (("brief", "--since", ""), "(YYYY-MM-DD)"),
        (("digest", "--month", ""), "(YYYY-MM)"),
    ],
)
def test_a_blank_opened_since_or_write_date_was_taken_as_no_filter_or_today(seeded, cli, store_path, typed, forms):
    before = store_path.read_bytes()
    result = cli(*typed, expect=2)
    assert_one_error_line(result, f"Invalid value for '{typed[-2]}'", "is blank: give a date", forms)
    assert store_path.read_bytes() == before


def test_every_option_that_takes_a_date_refuses_a_blank(cli):
    """The rule reads the options themselves: one that names a date, day or month in its
    flag or help and is not in the list would be missed; this lists such options."""
    import typer.main

    from disputes.cli import app, date_forms, load

    load()
    missed = []

    def walk(command, path):
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])
        for option in getattr(command, "params", ()):
            said = f"{' '.join(option.opts)} {getattr(option, 'help', '') or ''}".lower()
            looks = any(word in said for word in ("date", " day", "month", "yyyy", "since", "until", "opened"))
            text = option.param_type_name == "option" and option.type.name == "text"
            if text and looks and date_forms(option, path[-1] if path else "") is None and option.name not in NOT_DATES:
                missed.append(f"{' '.join(path)} {option.opts[0]}")

    walk(typer.main.get_command(app), [])
    assert missed == []


# --date-parts takes a date's column names, not a date; a blank --opened says the dispute's
# opening is not known (test_add_with_an_empty_opened_date_makes_a_record_doctor_and_import_accept)
NOT_DATES = {"date_parts", "opened"}


# 4. A file with no data rows (a header alone, or nothing) fails, in every format

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("source", ["acled-2016-06.csv", "icews-events-2016-06.tab", "wto_disputes.csv", None])
def test_a_header_only_file_was_imported_as_zero_rows_with_success(seeded, cli, store_path, tmp_path, source):
    cli("watch", "fr45", "--actors", "BLR,RUS")
    before = store_path.read_bytes()
    header = tmp_path / (source or "empty.export.CSV")
    header.write_bytes(DATA.joinpath(source).read_bytes().splitlines(keepends=True)[0] if source else b"")
    extra = WTO_ARGS[2:] if source == "wto_disputes.csv" else []
    result = cli("import", str(header), *extra, "--json", expect=1)
    assert_one_error_line(result, f"{header.name} holds no rows", "a download that stopped", "nothing was imported")
    assert store_path.read_bytes() == before


# 5. Messages name a file as given, and doctor says (and --fix does) the remedy


def test_an_import_of_dev_null_was_called_null(seeded, cli):
    assert_one_error_line(cli("import", "/dev/null", expect=1), "/dev/null holds no rows")


def test_an_import_from_a_pipe_was_said_to_come_from_63(seeded, cli, store_path):
    cli("watch", "fr45", "--actors", "BLR,RUS")
    command = " ".join(disputes_command())
    done = subprocess.run(
        ["bash", "-c", f"{command} import <(cat {DATA / 'acled-2016-06.csv'}) --dry-run"],
        capture_output=True,
        text=True,
        env={**os.environ, "DISPUTES_DB": str(store_path)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"from /dev/fd/\d+ \(acled\)", done.stdout), done.stdout


def _hand_edit(store_path: Path, table: str, key: str, dispute: object) -> None:
    data = json.loads(store_path.read_bytes())
    data[table][key]["dispute"] = dispute
    store_path.write_text(json.dumps(data))


def test_a_document_on_a_missing_dispute_had_no_remedy_and_fix_left_it(seeded, cli, store_path):
    document = cli.json("document", "add", "fr45", "https://x.org/a", "--title", "A")["id"]
    forecast = cli.json("forecast", "add", "fr45", "Settled", "--by", "2030", "--probability", "0.3")["id"]
    cli("forecast", "update", forecast, "--probability", "0.4")
    _hand_edit(store_path, "documents", document, "zzzz")
    _hand_edit(store_path, "forecasts", forecast, "zzzz")
    problems = json.loads(cli("doctor", "--json", expect=1).stdout)["problems"]
    said = [p for p in problems if document in p]
    assert said == [
        f"document {document} is on a missing dispute 'zzzz': set its dispute by hand, "
        "or `doctor --fix` removes it (as deleting that dispute would have)"
    ]
    fixed = cli("doctor", "--fix").stdout
    assert f"removed document {document}" in fixed and f"removed forecast {forecast}" in fixed
    assert "No problems found" in cli("doctor").stdout  # the forecast's revisions went with it


def test_a_document_whose_dispute_is_a_number_gave_three_contradictory_problems(seeded, cli, store_path):
    document = cli.json("document", "add", "fr45", "https://x.org/a", "--title", "A")["id"]
    _hand_edit(store_path, "documents", document, 5)
    problems = json.loads(cli("doctor", "--json", expect=1).stdout)["problems"]
    assert len([p for p in problems if document in p]) == 1


# 2. No CSV we write holds a cell a spreadsheet runs as a formula; our import reads it back

FORMULA = '=HYPERLINK("http://evil","x")'


def test_a_csv_export_wrote_a_formula_a_spreadsheet_would_run(seeded, cli, tmp_path):
    cli("event", "add", "fr45", "--title", FORMULA, "--date", "2016", "--score", "-3.5")
    cli("edit", "fr45", "--title", "@SUM(1+1)", "--summary", "-2+3 and more")
    events = list(csv.reader(io.StringIO(cli("event", "list", "--format", "csv").stdout)))
    (row,) = [r for r in events if "HYPERLINK" in r[-1]]
    assert row[-1] == "'" + FORMULA and row[4] == "-3.5"  # a number is no formula: kept as it is
    exported = tmp_path / "e.csv"
    cli("export", "--format", "csv", "-o", str(exported))
    cells = [cell for r in csv.reader(exported.open(encoding="utf-8")) for cell in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'@SUM(1+1)" in cells and "'-2+3 and more" in cells
    # our CSV import reads our CSV export back as it was
    other = str(tmp_path / "other" / "s.json")
    mapped = ("--map", "title=title", "--map", "summary=summary")
    cli("--db", other, "import", str(exported), *mapped)
    brought = json.loads(cli("--db", other, "list", "--json").stdout)
    assert {"@SUM(1+1)"} <= {d["title"] for d in brought}
    assert "-2+3 and more" in {d["summary"] for d in brought}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r1.a "), max_size=8))
def test_a_neutralised_csv_cell_reads_back_as_it_was_and_runs_as_no_formula(cell):
    written = neutral(cell)
    assert read_back(written) == cell
    assert not written.startswith(TRIGGERS) or float(written) == float(written)  # only a number may


def test_doctor_advised_restoring_the_backup_over_a_store_of_a_newer_disputes(cli, store_path):
    # `doctor` said "upgrade disputes" and then "Run `disputes doctor --restore`", which put
    # the older backup over everything the newer version had written
    cli("seed")
    cli("add", "A second change", "-p", "A", "-p", "B")  # a backup to restore exists
    payload = store_path.read_bytes()
    newer = re.sub(rb'"schema": ?\d+', b'"schema":99', payload, count=1)
    assert newer != payload
    store_path.write_bytes(newer)
    said = cli("doctor", expect=1)
    assert "upgrade disputes" in said.stdout + said.stderr
    assert "--restore" not in said.stdout + said.stderr and "--fix" not in said.stdout + said.stderr
    refused = cli("doctor", "--restore", expect=None)
    assert refused.exit_code != 0 and "upgrade disputes" in refused.stderr
    assert store_path.read_bytes() == newer
