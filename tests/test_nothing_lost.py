"""Issue 20: nothing lost on the way in or out -- exports, re-imports, pipes, closed streams,
hand-merged files. Each test is named after the bug it pins; each failed before its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WTO, WTO_ARGS, assert_one_error_line, disputes_command, on_terminal, run

from disputes.store.paths import StoreFiles

DATA = Path(__file__).parent / "data"
GDELT = DATA / "gdelt-1.0-20160607.export.CSV"
ICEWS = DATA / "icews-events-2016-06.tab"
ACLED = DATA / "acled-2016-06.csv"


@pytest.fixture
def seeded(cli):
    cli("seed")


@pytest.fixture
def watched(cli, seeded):
    cli("watch", "fr45", "--actors", "BLR,RUS", "--codes", "16")


def shell(command: str, store_path: Path, **options) -> subprocess.CompletedProcess:
    """A command line through bash, with `disputes` the real command of this checkout."""
    program = " ".join(f"'{part}'" for part in disputes_command())
    return subprocess.run(
        ["bash", "-c", command.replace("disputes", program)],
        capture_output=True,
        env={**os.environ, "DISPUTES_DB": str(store_path)},
        timeout=120,
        **options,
    )


# Data lost on the way out and back in


def test_a_cut_export_is_refused_whole_not_imported_in_part(cli, seeded, tmp_path):
    export = tmp_path / "register.json"
    cli("export", "--output", str(export))
    lines = export.read_bytes().splitlines(keepends=True)
    for keep in (2, 10, len(lines) - 1):
        cut = tmp_path / f"cut-{keep}.json"
        cut.write_bytes(b"".join(lines[:keep]))
        result = cli("--db", str(tmp_path / f"new-{keep}.json"), "import", str(cut), expect=2)
        assert_one_error_line(result, "incomplete", "nothing was imported")
        assert not (tmp_path / f"new-{keep}.json").exists()


def test_an_export_whose_counts_do_not_match_is_refused(cli, seeded, tmp_path):
    export = tmp_path / "register.json"
    cli("export", "--output", str(export))
    text = export.read_text()
    # one event line gone, the file still well-formed JSON
    lines = text.splitlines(keepends=True)
    start = lines.index('"events": [\n')
    del lines[start + 1]
    (tmp_path / "short.json").write_text("".join(lines))
    assert_one_error_line(
        cli("--db", str(tmp_path / "new.json"), "import", str(tmp_path / "short.json"), expect=2),
        "nothing was imported",
    )


def test_an_export_from_before_the_counts_still_imports_and_a_cut_one_does_not(cli, seeded, tmp_path):
    export = tmp_path / "register.json"
    cli("export", "--output", str(export))
    text = export.read_text()
    legacy = text[: text.index(',\n"complete"')] + "\n}\n"  # as exports were written before they counted
    (tmp_path / "legacy.json").write_text(legacy)
    cli("--db", str(tmp_path / "a.json"), "import", str(tmp_path / "legacy.json"))
    assert len(cli.json("--db", str(tmp_path / "a.json"), "event", "list")) == 6
    (tmp_path / "legacy-cut.json").write_text(legacy[: len(legacy) * 2 // 3])
    result = cli("--db", str(tmp_path / "b.json"), "import", str(tmp_path / "legacy-cut.json"), expect=2)
    assert_one_error_line(result, "incomplete or damaged export", "nothing was imported")


def test_an_interrupted_export_leaves_the_previous_file_whole(tmp_path):
    from disputes.store.files import write_output

    target = tmp_path / "register.json"
    target.write_bytes(b"the good export\n")

    def pieces():
        yield b"half of a new"
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing

    with pytest.raises(KeyboardInterrupt):
        write_output(target, pieces())
    assert target.read_bytes() == b"the good export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["register.json"]  # no temporary file left


def test_export_then_import_keeps_review_cadence(cli, seeded, tmp_path):
    cli("edit", "fr45", "--review-every", "30")
    cli("review", "fr45", "--date", "2016-07-01")
    export = tmp_path / "register.json"
    cli("export", "--output", str(export))
    cli("--db", str(tmp_path / "copy.json"), "import", str(export))
    copy = cli.json("--db", str(tmp_path / "copy.json"), "show", "fr45")
    assert (copy["review_every"], copy["last_review"]) == (30, "2016-07-01")


@pytest.mark.parametrize("beside", ["", ".bak", ".undo", ".lock", ".lock.holder"])
def test_output_onto_the_store_or_a_file_beside_it_is_refused(cli, seeded, store_path, beside):
    cli("edit", "fr45", "--priority", "low")  # so that there is a backup and an undo log
    target = Path(str(store_path) + beside)
    before = target.read_bytes() if target.exists() else None
    for command in (["export"], ["report", "--format", "md"], ["export", "--format", "ics"]):
        result = cli(*command, "--output", str(target), expect=2)
        assert_one_error_line(result, "the store or a file kept beside it", "nothing was written")
    assert (target.read_bytes() if target.exists() else None) == before
    assert cli("undo").exit_code == 0  # the last change can still be taken back


def test_reimporting_event_data_keeps_the_analysts_edits(cli, watched, tmp_path):
    cli("import", str(GDELT))
    event = next(e for e in cli.json("event", "list") if e["ref"] == "gdelt:498552801")
    cli("event", "edit", event["id"], "--title", "Apples held at the border", "--place", "Krasnoye")
    again = json.loads(cli("import", str(GDELT), "--json").stdout)
    assert (again["updated"], again["unchanged"]) == (0, 1)
    kept = cli.json("event", "show", event["id"])
    assert (kept["title"], kept["place"]) == ("Apples held at the border", "Krasnoye")
    # what the source changes since is taken; what the analyst edited stays
    rows = [line.split("\t") for line in GDELT.read_text().splitlines()]
    rows[0][30], rows[0][31] = "-9.0", "30"
    revised = tmp_path / "20160607.export.CSV"
    revised.write_text("\n".join("\t".join(row) for row in rows) + "\n")
    cli("import", str(revised))
    after = cli.json("event", "show", event["id"])
    assert (after["score"], after["mentions"], after["title"], after["place"]) == (
        -9.0,
        30,
        "Apples held at the border",
        "Krasnoye",
    )


@pytest.mark.parametrize("source, column", [(ICEWS, "Event ID"), (ACLED, "event_id_cnty")])
def test_rows_without_an_event_id_are_bad_rows_never_merged(cli, seeded, tmp_path, source, column):
    cli("watch", "fr45", "--actors", "BLR,RUS")
    separator = "\t" if source == ICEWS else ","
    lines = source.read_text(encoding="utf-8", errors="surrogateescape").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(separator)
    at = header.index(column)
    for number in (1, 2):
        fields = lines[number].split(separator)
        fields[at] = ""
        lines[number] = separator.join(fields)
    bad = tmp_path / source.name
    bad.write_text("".join(lines), encoding="utf-8", errors="surrogateescape")
    assert_one_error_line(cli("import", str(bad), expect=2), "line 2", column, "no usable event id")
    skipped = json.loads(cli("import", str(bad), "--skip-bad", "--json").stdout)
    assert skipped["bad"] == 2


# Undo that reverted the wrong thing


def test_git_setup_ignores_the_undo_log_and_every_file_beside_the_store():
    from disputes.ops.sharing import ignore_lines

    lines = ignore_lines("data/disputes.json")
    files = StoreFiles(Path("data/disputes.json"))
    for path in files.own()[1:]:
        assert path.as_posix() in lines
    assert "data/disputes.json.undo" in lines and "data/disputes.json.before-fix-*" in lines


def test_undo_after_a_forced_restore_refuses_instead_of_reverting_an_older_command(cli, seeded, store_path):
    cli("edit", "fr45", "--priority", "low")
    cli("doctor", "--restore", "--force")
    before = store_path.read_bytes()
    assert_one_error_line(cli("undo", expect=1), "restore", "cannot revert it")
    assert store_path.read_bytes() == before
    assert len(cli.json("list")) == 3


def test_a_command_stops_when_its_undo_log_cannot_be_kept(cli, seeded, store_path):
    undo_log = StoreFiles(store_path).undo
    undo_log.unlink()
    undo_log.mkdir()  # a folder where the log should be
    before = store_path.read_bytes()
    assert_one_error_line(cli("edit", "fr45", "--priority", "low", expect=1), "undo log", "nothing was changed")
    assert store_path.read_bytes() == before


# Silently wrong answers


def test_skip_bad_with_a_malformed_first_gdelt_row_keeps_the_good_rows(cli, watched, tmp_path):
    rows = GDELT.read_text().splitlines()
    bad = tmp_path / "first-bad.export.CSV"
    bad.write_text("\n".join([rows[0].rsplit("\t", 3)[0], *rows[1:]]) + "\n")  # the first row cut short
    assert_one_error_line(cli("import", str(bad), expect=2), "line 1", "columns where the file has 58")
    result = json.loads(cli("import", str(bad), "--skip-bad", "--json").stdout)
    assert (result["bad"], result["rows"]) == (1, 6)
    assert result["problems"][0]["line"] == 1


def test_repeated_actors_and_codes_on_watch_combine(cli, seeded):
    rule = cli.json("watch", "fr45", "--actors", "BLR", "--actors", "RUS", "--codes", "16", "--codes", "17")
    assert (rule["actors"], rule["codes"]) == (["BLR", "RUS"], ["16", "17"])
    assert "Repeat or comma-separate" in " ".join(cli("watch", "add", "--help").stdout.split())


def test_sources_that_differ_only_in_case_are_both_kept(cli):
    added = cli.add("Case", "--source", "https://example.org/Doc", "--source", "https://example.org/doc")
    assert added["sources"] == ["https://example.org/Doc", "https://example.org/doc"]


def test_a_long_source_url_does_not_abort_an_import(cli, watched, tmp_path):
    rows = [line.split("\t") for line in GDELT.read_text().splitlines()]
    rows[0][-1] = "https://example.org/" + "a" * 400
    long = tmp_path / "long.export.CSV"
    long.write_text("\n".join("\t".join(row) for row in rows) + "\n")
    assert json.loads(cli("import", str(long), "--json").stdout)["added"] == 1


def test_add_with_an_empty_opened_date_makes_a_record_doctor_and_import_accept(cli, tmp_path):
    cli("add", "No date", "--opened", "")
    assert cli("doctor").exit_code == 0
    cli("export", "--output", str(tmp_path / "e.json"))
    cli("--db", str(tmp_path / "copy.json"), "import", str(tmp_path / "e.json"))


def _hand_edit(store_path: Path, change) -> None:
    lines = store_path.read_text().split("\n")
    store_path.write_text("\n".join(change(lines)))


def test_a_repeated_key_in_a_hand_merged_store_is_refused_and_reported(cli, seeded, store_path):
    def repeat(lines):
        at = next(n for n, line in enumerate(lines) if line.startswith('"fr45'))
        return [*lines[: at + 1], lines[at].replace("re-exports", "exports").rstrip(",") + ",", *lines[at + 1 :]]

    _hand_edit(store_path, repeat)
    assert_one_error_line(cli("list", expect=1), "'fr45z4r7dr' is given twice")
    assert "given twice" in cli("doctor", expect=1).stdout


def test_a_watch_rule_whose_actors_are_text_is_refused(cli, watched, store_path):
    _hand_edit(store_path, lambda lines: [line.replace('"actors":["BLR","RUS"]', '"actors":"BLR"') for line in lines])
    assert_one_error_line(cli("watch", "list", expect=1), "actors must be a list")


def test_a_relation_missing_its_to_is_refused_not_an_internal_error(cli, seeded, store_path):
    _hand_edit(
        store_path,
        lambda lines: [
            line.replace(',"to":"3zp0pdgwa5"', "") if line.startswith('"3zp0pdgwa5:relates') else line for line in lines
        ],
    )
    shown = cli("show", "fr45", expect=1)
    assert_one_error_line(shown, "needs 'from', 'type' and 'to'")
    assert "relation 3zp0pdgwa5:relates:fr45z4r7dr" in cli("doctor", expect=1).stdout
    cli("doctor", "--fix")  # the broken link is removed, the store is whole again
    assert cli.json("show", "fr45")["relations"] == []


# Streams and pipes


def test_a_closed_stdout_is_one_clear_line(store_path, seeded):
    done = shell("disputes list >&-", store_path)
    assert (
        done.returncode == 1
        and done.stderr.decode().strip() == "Error: cannot write the output: standard output is closed"
    )


def test_a_full_stdout_after_a_saved_change_says_it_was_saved_and_exits_0(cli, store_path, seeded):
    done = shell("disputes add 'Full disk' > /dev/full", store_path)
    assert done.returncode == 0, done.stderr
    assert "the change was saved" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
    assert any(d["title"] == "Full disk" for d in cli.json("list"))
    listing = shell("disputes list > /dev/full", store_path)
    assert listing.returncode == 1 and listing.stderr.decode().count("\n") == 1


def test_a_closed_stdin_is_one_clear_line(store_path, seeded):
    done = shell("disputes import - <&-", store_path)
    assert done.returncode == 2 and b"standard input is closed" in done.stderr
    done = shell("disputes delete fr45 <&-", store_path)
    assert done.returncode == 2 and done.stderr.count(b"\n") == 1


def test_a_gdelt_day_of_70000_rows_imports_from_a_pipe(store_path, cli, watched, tmp_path):
    rows = GDELT.read_text().splitlines()
    filler = rows[2].split("\t")
    day = tmp_path / "day.CSV"
    with day.open("w") as handle:
        handle.write("\n".join(rows) + "\n")
        for number in range(70_000):
            filler[0] = str(600_000_000 + number)
            handle.write("\t".join(filler) + "\n")
    done = shell(f"cat '{day}' | disputes import /dev/stdin --json", store_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 70_006
    done = shell(f"cat '{GDELT}' | disputes import - --json", store_path)  # and its format told from the pipe
    assert done.returncode == 0 and json.loads(done.stdout)["format"] == "gdelt"


def test_an_export_imports_from_standard_input_and_from_a_fifo(cli, seeded, tmp_path):
    export = tmp_path / "register.json"
    cli("export", "--output", str(export))
    done = shell(f"disputes import - < '{export}'", tmp_path / "from-stdin.json")
    assert done.returncode == 0, done.stderr
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = shell(f"cat '{export}' > '{fifo}' & disputes import '{fifo}'; wait", tmp_path / "from-fifo.json")
    assert done.returncode == 0, done.stderr
    for copy in ("from-stdin.json", "from-fifo.json"):
        assert len(cli.json("--db", str(tmp_path / copy), "list", "--all")) == 3


def test_a_cut_export_piped_in_is_refused_by_the_name_the_user_gave(cli, seeded, tmp_path):
    """A piped input is read from a copy in a temporary folder: a cut export piped in was
    refused as `/tmp/disputes-import-…/stdin`, a file the user never named and that is gone."""
    export = tmp_path / "register.json"
    cli("export", "--output", str(export))
    cut = tmp_path / "cut.json"
    cut.write_bytes(export.read_bytes()[: export.stat().st_size * 2 // 3])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    store = tmp_path / "new.json"
    for command, named in (
        (f"disputes import - < '{cut}'", "standard input is an incomplete or damaged export"),
        (f"cat '{cut}' > '{fifo}' & disputes import '{fifo}'; said=$?; wait; exit $said", f"{fifo} is an incomplete"),
    ):
        done = shell(command, store)
        assert done.returncode == 2 and done.stderr.decode().count("\n") == 1, done.stderr
        assert named in done.stderr.decode() and "disputes-import-" not in done.stderr.decode()
    assert not store.exists()


def test_a_file_without_line_ends_is_refused_within_bounded_memory(store_path, watched):
    done = shell("head -c 50000000 /dev/zero | disputes import - --format gdelt", store_path)
    assert done.returncode == 2 and b"longer than" in done.stderr


# Clean refusals where an internal error showed


@pytest.mark.parametrize(
    "column, value",
    [(31, "1" + "0" * 30), (31, "9" * 5000), (31, "²"), (0, "4" * 5000), (0, "¹²³")],
    ids=["mentions-1e30", "mentions-5000-digits", "superscript", "id-5000-digits", "id-superscript"],
)
def test_absurd_numbers_in_gdelt_are_bad_rows(cli, watched, tmp_path, column, value):
    rows = [line.split("\t") for line in GDELT.read_text().splitlines()]
    rows[3][column] = value  # a row no rule wants
    bad = tmp_path / "bad.export.CSV"
    bad.write_text("\n".join("\t".join(row) for row in rows) + "\n")
    assert_one_error_line(cli("import", str(bad), expect=2), "line 4")
    assert json.loads(cli("import", str(bad), "--skip-bad", "--json").stdout)["bad"] == 1


@pytest.mark.parametrize("column", ["fatalities", "iso"])
def test_absurd_numbers_in_acled_are_bad_rows(cli, watched, tmp_path, column):
    import csv

    with ACLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index(column)] = "9" * 5000
    bad = tmp_path / "acled.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert_one_error_line(cli("import", str(bad), expect=2), column)


def test_dates_at_the_end_of_the_calendar_are_refused_or_exported(cli, seeded):
    assert_one_error_line(
        cli("deadline", "add", "fr45", "--rules", "wto-dsu", "--from", "9999-12-01", expect=2), "after the year 9999"
    )
    cli("deadline", "add", "fr45", "--date", "9999-12-31", "--title", "The end")
    cli("edit", "vfb3", "--review-every", "30")
    cli("review", "vfb3", "--date", "9999-12-31")
    calendar = cli("export", "--format", "ics").stdout
    assert "DTSTART;VALUE=DATE:99991231" in calendar


def test_text_that_is_not_utf8_is_refused_in_one_line(store_path):
    done = subprocess.run(
        [*disputes_command(), "add", b"caf\xe9"],
        capture_output=True,
        env={**os.environ, "DISPUTES_DB": str(store_path)},
    )
    assert done.returncode == 2 and b"not UTF-8" in done.stderr and b"internal error" not in done.stderr
    assert not store_path.exists()


def test_a_lock_timeout_of_nan_is_refused(cli):
    assert_one_error_line(cli("--lock-timeout", "nan", "add", "x", expect=2), "--lock-timeout")


def test_an_imported_event_naming_disputes_by_a_number_is_refused(cli, tmp_path):
    hand = tmp_path / "hand.json"
    hand.write_text(
        json.dumps({"disputes": [{"id": "a", "title": "A"}], "events": [{"date": "2016", "title": "E", "disputes": 5}]})
    )
    assert_one_error_line(cli("import", str(hand), expect=2), "'disputes' must be a list")


def test_noncharacters_in_a_title_keep_svg_and_html_valid(cli, tmp_path):
    import xml.dom.minidom

    import html5lib

    added = cli.add("Odd \ufffe\uffff title")
    cli("report", "--format", "svg", "--output", str(tmp_path / "r.svg"))
    xml.dom.minidom.parse(str(tmp_path / "r.svg"))
    cli("chart", added["id"], "--format", "svg", "--output", str(tmp_path / "c.svg"))
    xml.dom.minidom.parse(str(tmp_path / "c.svg"))
    cli("report", "--format", "html", "--output", str(tmp_path / "r.html"))
    html5lib.HTMLParser(strict=True).parse((tmp_path / "r.html").read_bytes())
    assert cli.json("show", added["id"])["title"] == "Odd \ufffe\uffff title"  # the data itself is kept


def test_line_separators_and_bidi_overrides_never_reach_a_terminal_raw(cli, store_path):
    added = cli.add("Line\u2028break and \u202eevil")
    for command in (["list"], ["show", added["id"]], ["report"]):
        shown = on_terminal(*command, env={"DISPUTES_DB": str(store_path)})
        assert "\u2028" not in shown and "\u202e" not in shown, command
    shown = on_terminal("list", "--json", env={"DISPUTES_DB": str(store_path)})
    assert "\u202e" not in shown and "\\u202e" in shown
    piped = cli("list", "--json").stdout  # for a script the JSON is the data as it is
    assert "\u202e" in piped


def test_an_acled_file_from_excel_with_crlf_inside_a_quoted_field_imports(cli, seeded, tmp_path):
    cli("watch", "fr45", "--actors", "BLR,RUS")
    text = ACLED.read_text(encoding="utf-8").replace("\n", "\r\n")
    excel = tmp_path / "acled-excel.csv"
    excel.write_bytes(text.encode())
    result = json.loads(cli("import", str(excel), "--json").stdout)
    assert result["added"] >= 1
    described = [e["description"] for e in cli.json("event", "list") if e["ref"] == "acled:RUS45"]
    assert described and "\r" not in described[0] and "\n" in described[0]


# Messages


def test_sync_to_an_unreachable_remote_says_why(cli, store_path, tmp_path):
    repo = store_path.parent
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", str(tmp_path / "nowhere")], check=True)
    cli("add", "Shared")
    result = cli("sync", expect=1)
    line = result.stderr.strip()
    assert "does not appear to be a git repository" in line and "and the repository exists" not in line


def test_doctor_fix_on_an_orphan_event_says_what_to_do(cli, seeded, store_path):
    event = cli.json("event", "list")[0]
    _hand_edit(
        store_path,
        lambda lines: [
            line.replace(json.dumps(event["disputes"], separators=(",", ":")), '["gone000000"]')
            if line.startswith(f'"{event["id"]}"')
            else line
            for line in lines
        ],
    )
    out = cli("doctor", "--fix", expect=1).stdout
    assert "event link" in out and "event delete" in out
    assert "run `disputes doctor --fix`" not in out


def test_a_folder_where_the_backup_goes_leaves_no_staging_file(cli, store_path):
    cli.add("One")
    cli.add("Two")
    backup = StoreFiles(store_path).backup
    backup.unlink()
    backup.mkdir()
    cli("add", "Three", expect=1)
    assert sorted(p.name for p in store_path.parent.iterdir() if p.name.startswith(".")) == []


def test_an_empty_watch_rule_id_reads_as_a_whole_sentence(cli, watched):
    assert_one_error_line(cli("watch", "remove", "", expect=2), "give a watch rule id or id prefix (it was empty)")


def test_two_clones_adding_the_same_watch_rule_merge_into_one(cli, seeded, store_path, tmp_path):
    base = tmp_path / "base.json"
    base.write_bytes(store_path.read_bytes())
    cli("watch", "fr45", "--actors", "BLR,RUS", "--codes", "16")
    ours = tmp_path / "ours.json"
    ours.write_bytes(store_path.read_bytes())
    store_path.write_bytes(base.read_bytes())
    cli("watch", "fr45", "--actors", "RUS,BLR", "--codes", "16")  # the same rule, typed the other way
    theirs = store_path
    done = run("merge-file", str(base), str(ours), str(theirs))
    assert done.returncode == 0, done.stderr
    assert len(cli.json("--db", str(ours), "watch", "list")) == 1


def test_the_fuzzer_runs_in_the_real_program_too(store_path):
    """A handful of the fuzzer's harshest lines through the installed command, not the test runner."""
    for args in (
        ["list", "--limit", "nan"],
        ["deadline", "add", "x", "--from", "9999-12-01"],
        ["watch", "", "--actors", ""],
    ):
        done = run(*args, env={"DISPUTES_DB": str(store_path)})
        assert done.returncode in (1, 2) and "internal error" not in done.stderr and "Traceback" not in done.stderr


if sys.platform == "win32":  # pragma: no cover - pty and /dev/full are POSIX
    pytestmark = pytest.mark.skip("POSIX terminals and devices")


def test_bug_a_csv_cut_inside_a_quoted_field_imported_as_if_whole(cli, store_path, tmp_path):
    cli(*WTO_ARGS)
    before = store_path.read_bytes()
    text = WTO.read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.index('"SETTLED OR TERMINATED', 5000) + 9], encoding="utf-8")  # inside the status
    update = [str(cut) if arg == str(WTO) else arg for arg in WTO_ARGS]
    assert_one_error_line(cli(*update, "--update", expect=2), "ends inside a quoted field", "nothing was imported")
    assert store_path.read_bytes() == before  # no status cut to "SETTLED" on the last row
    stray = tmp_path / "stray.csv"
    stray.write_text('Name,Note\nA,"5"" pipe"\nB,7" bolt\n', encoding="utf-8")  # an odd quote, not a cut
    assert (
        "Imported 2 disputes" in cli("import", str(stray), "--map", "Name=title", "--map", "Note=status_detail").stdout
    )


def test_a_saved_change_whose_reader_went_away_exited_1_so_a_retry_added_it_twice(cli, store_path, seeded):
    """`disputes add Gas | true`: the change was saved, the pipe was closed before its line was
    written; Click ended it with 1, so a script retried it and the dispute was there twice."""
    done = shell("set -o pipefail; disputes add 'Piped away' | true", store_path)  # `true` ends long before
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr.decode()
    assert [d["title"] for d in cli.json("list")].count("Piped away") == 1
    refused = shell("set -o pipefail; disputes add '' | true", store_path)
    assert refused.returncode == 2  # a refused change is still said to have failed
