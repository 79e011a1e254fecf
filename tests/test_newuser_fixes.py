"""Findings of a new user's trial: each test is named after what the user ran into."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyte
import pytest
from conftest import on_terminal
from typer.testing import CliRunner

from disputes.cli import app

ROOT = Path(__file__).resolve().parent.parent
ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-z]|\r")
LONG = (
    "The panel's interim report leaves the security exception open; we should say so in the "
    "brief before the parties' comments are due, and ask the legal unit for its reading"
)


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Path:
    """The seed, with long comments and documents on two disputes (one with a ref)."""
    path = tmp_path_factory.mktemp("newuser") / "store.json"
    runner = CliRunner()

    def run(*args: str) -> str:
        done = runner.invoke(app, ["--db", str(path), *args], prog_name="disputes")
        assert done.exit_code == 0, done.stderr
        return done.stdout

    run("seed")
    disputes = json.loads(run("list", "--all", "--json"))
    with_ref = disputes[0]
    run("edit", with_ref["id"], "--ref", "DS512")
    title = "Panel report on the measures concerning traffic in transit, as circulated"
    for d in (with_ref, disputes[-1]):
        run("comment", "add", d["id"], LONG, "--date", "2020-03-01")
        run("comment", "add", d["id"], "Short one.", "--date", "2020-03-02")
        run(
            "document", "add", d["id"], "https://docs.wto.org/dol2fe/Pages/SS/directdoc.aspx?filename=q:/WT/DS/512R.pdf",
            "--date", "2019-04-05", "--title", title,
        )  # fmt: skip
    return path


def screen(path: Path, width: int, *args: str) -> list[str]:
    """The command's screen in a terminal `width` columns wide, as pyte draws it."""
    raw = on_terminal(*args, env={"DISPUTES_DB": str(path)}, width=width)
    term = pyte.Screen(width, 500)
    pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
    shown = [line.rstrip() for line in term.display]
    while shown and not shown[-1]:
        shown.pop()
    return shown


def piped(path: Path, *args: str) -> list[str]:
    done = CliRunner().invoke(app, ["--db", str(path), *args], prog_name="disputes")
    assert done.exit_code == 0, done.stderr
    return done.stdout.splitlines()


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_document_command_has_a_row_in_the_readmes_commands_table():
    """`document` was missing from the README's commands table (CONTRIBUTING asks for one)."""
    rows = [line for line in _read("README.md").splitlines() if line.startswith("| `")]
    assert any(re.search(r"`document\b", row) for row in rows)


def test_the_documents_page_is_linked_from_the_readme():
    """docs/documents.md was linked from nowhere."""
    assert "docs/documents.md" in _read("README.md")


def test_the_changelog_mentions_documents():
    """The CHANGELOG never said documents had come."""
    assert "`document" in _read("CHANGELOG.md")


def test_the_architecture_pages_list_of_tables_names_documents():
    """docs/architecture.md listed the store's tables without documents (core/kinds.py has it)."""
    text = _read("docs/architecture.md")
    section = text.split("## The record-type registry", 1)[1].split("- `core/kinds.py`", 1)[0]
    assert "documents" in section


def test_the_charts_page_is_not_stale_about_the_readme_and_is_linked_from_it():
    """docs/charts.md said the README's chart sample predated the key-event marks."""
    assert "predates" not in _read("docs/charts.md")
    assert "docs/charts.md" in _read("README.md")


def test_the_import_results_page_is_linked_from_data_in_and_out():
    """docs/import-results.md was linked from nowhere."""
    assert "import-results.md" in _read("docs/data-in-and-out.md")


def test_contributing_and_changelog_do_not_send_the_reader_to_design_md():
    """CONTRIBUTING pointed to DESIGN.md, a file a user's clone does not have."""
    pages = [f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")]
    for name in ("CONTRIBUTING.md", "CHANGELOG.md", "README.md", *pages):
        assert "DESIGN.md" not in _read(name), name


def test_contributing_states_the_record_type_checklist_itself():
    """The record-type checklist lived only in DESIGN.md."""
    text = " ".join(_read("CONTRIBUTING.md").lower().replace("*", "").split())
    for item in (
        "registry entry",
        "stable json names",
        "merge rule",
        "undo",
        "doctor",
        "cascade",
        "unlink",
        "markdown",
        "round trip",
        "the library",
        "fuzzer",
        "migration",
    ):
        assert item in text, item


def test_contributing_gives_the_suites_time_on_a_shared_machine():
    """It said 'about a minute on two idle cores'; on a shared 2-core machine it takes minutes."""
    text = " ".join(_read("CONTRIBUTING.md").split())
    assert "a few minutes on a shared 2-core machine" in text


@pytest.mark.parametrize("group", ["comment", "document"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_comment_and_document_lists_have_a_header_and_never_wrap_to_column_zero(desk, group, width):
    """`comment list` and `document list` were hand-built lines: no header, and their
    continuation lines wrapped to the left edge at 80 columns. Laid out by the house's rule,
    they have a header over columns, or (too narrow for columns) each record's fields labelled
    under its id; either way only a record's first line starts at the left edge."""
    records = json.loads("\n".join(piped(desk, group, "list", "--json")))
    shown = screen(desk, width, group, "list")
    starts = {r["id"][:4] for r in records}
    if shown[0][:4] not in starts:
        assert shown[0].split()[:3] == ["ID", "DATE", "DISPUTE"], shown[0]
        shown = shown[1:]
    assert {line[:4] for line in shown if line and not line.startswith(" ")} == starts
    assert all(len(line) <= width for line in shown)


@pytest.mark.parametrize("group", ["comment", "document"])
def test_comment_and_document_lists_use_four_character_ids_and_refs(desk, group):
    """Comment ids were shown with 6 characters where every other listing uses 4."""
    records = json.loads("\n".join(piped(desk, group, "list", "--json")))
    refs = {d["id"]: d["ref"] for d in json.loads("\n".join(piped(desk, "list", "--all", "--json")))}
    lines = piped(desk, group, "list")
    assert lines[0].split()[:3] == ["ID", "DATE", "DISPUTE"]
    lines = lines[1:]
    assert len(lines) == len(records)  # piped: one record a line
    for record in records:
        line = next(line for line in lines if line.startswith(record["id"][:4]))
        assert line.split()[0] == record["id"][:4]
        assert (refs[record["dispute"]] or record["dispute"][:4]) in line.split()


TITLE = "Measures concerning traffic in transit through the territory of the Russian Federation"


def _decided(cli) -> dict:
    """A dispute with a ref and a long title, assessed, forecast, the forecast resolved."""
    made = cli.json("add", TITLE, "--ref", "DS512", "-p", "Ukraine", "-p", "Russia")
    cli("assess", "DS512", "Russia's security exception is unlikely to be reviewed in substance by the panel")
    forecast = cli.json("forecast", "DS512", "The panel rules that it may review the security exception", "--by",
                        "2019-12-31", "-p", "0.325", "--date", "2019-01-10")  # fmt: skip
    cli("forecast", "resolve", forecast["id"], "no", "--date", "2019-12-31")
    cli("event", "add", "DS512", "--date", "2019-04-05", "--title", "Panel report circulated")
    return made


@pytest.mark.parametrize("width", [80, 120])
def test_history_continuation_lines_stay_aligned_after_a_long_action_name(cli, store_path, width):
    """`forecast resolve` (16 characters) overflowed history's fixed 12-character action
    field, so that entry's continuation lines no longer lined up under its text."""
    _decided(cli)
    entries = cli.json("history")
    shown = screen(store_path, width, "history")
    starts = set()
    for line in shown:
        if line[:2] == "20":
            action = max((e["action"] for e in entries if line[18:].startswith(e["action"] + " ")), key=len)
            rest = line[18 + len(action) :]
            starts.add(18 + len(action) + len(rest) - len(rest.lstrip()))
    indents = {len(line) - len(line.lstrip()) for line in shown if line.startswith(" ")}
    assert len(starts) == 1 and indents and indents <= starts, (starts, indents, shown)


def test_history_names_a_disputes_title_once_a_line(cli):
    """History said `DS512 <title>: forecast '…' on '<title>'` and `assessed '<title>'`."""
    _decided(cli)
    lines = cli("history").stdout.splitlines()
    assert len(lines) == len(cli.json("history"))
    for line in lines:
        assert line.count(TITLE) <= 1, line
    assert any("DS512" in line and "assess" in line and TITLE in line for line in lines)


def test_an_event_on_one_dispute_is_on_1_dispute_not_1_dispute_s(cli):
    """History said an event was `on 1 dispute(s)`."""
    _decided(cli)
    said = [e["summary"] for e in cli.json("history") if e["action"] == "event add"]
    assert said and all(s.endswith(" on 1 dispute") for s in said), said


def _help(*command: str) -> str:
    done = CliRunner().invoke(app, [*command, "--help"], prog_name="disputes", env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    return done.output


def test_the_docs_list_of_russias_disputes_shows_parties_as_the_program_does(tmp_path):
    """docs/data-in-and-out.md showed `European Union, Russia` where the program prints
    `European Union v. Russia`; the sample is compared with the real command at 80 columns."""
    from conftest import WTO_ARGS

    path = tmp_path / "wto.json"
    done = CliRunner().invoke(app, ["--db", str(path), *WTO_ARGS, "--set", "monitored=no"], prog_name="disputes")
    assert done.exit_code == 0, done.output
    text = _read("docs/data-in-and-out.md")
    command = "$ disputes list --respondent 'RUSSIAN FEDERATION' --all\n"
    sample = text.split(command, 1)[1].split("```", 1)[0].splitlines()
    shown = screen(path, 80, "list", "--respondent", "RUSSIAN FEDERATION", "--all")
    assert [line[4:] for line in sample if line != "…"] == [line[4:] for line in shown if line[4:] in
                                                            {s[4:] for s in sample}]  # fmt: skip
    assert sum(line != "…" for line in sample) >= 4


def _options(command: str) -> set[str]:
    return {word for word in re.findall(r"(--[a-z-]+(?: '[^']*'| [^\s'\\\\-][^\s\\\\]*)?)", command)}


def test_import_helps_example_is_the_docs_recommended_command_one_option_a_line():
    """`import --help` gave --status-date 2018-03-01 and 3 status maps where the docs
    recommend 2018-02 and 10; its example now is the docs' command, one option a line."""
    text = _read("docs/data-in-and-out.md")
    recipe = text.split("$ M=(", 1)[1].split(")\n", 1)[0]
    saved = next(line for line in text.splitlines() if "--save-profile wto" in line and line.startswith("$ "))
    example = _help("import").split("Example:", 2)[1].split("\n\n", 1)[0]
    assert _options(example) == _options(recipe) | _options(saved)
    lines = [line for line in example.splitlines() if line.strip()]
    assert all(len(re.findall(r"(?:^|\s)--[a-z]", line)) <= 1 for line in lines), lines


def test_report_help_names_disputes_author_between_git_and_the_login():
    """`report --help` said --author defaults to git's user.name, else the login name,
    leaving out $DISPUTES_AUTHOR, which the program reads in between."""
    said = " ".join(_help("report").split())
    assert "git's user.name, else $DISPUTES_AUTHOR, else the login name" in said


def test_the_readmes_filters_list_names_every_filter():
    """The README's filters omitted --stage."""
    from disputes.core import vocabulary

    paragraph = " ".join(_read("README.md").split("**Filters.**", 1)[1].split("\n\n", 1)[0].split())
    missing = [flag for flag, _ in vocabulary.FILTERS.values() if f"`{flag}" not in paragraph]
    assert not missing


def _forecast_desk(cli) -> dict:
    """DS512 with a ref, an open forecast at 32.5 % and a resolved one; another dispute
    without a ref; a view of both by hand."""
    made = cli.json("add", TITLE, "--ref", "DS512", "-p", "Ukraine", "-p", "Russia")
    other = cli.json("add", "Belarusian potash transit through Lithuania", "-p", "Belarus")
    cli("forecast", "DS512", "Russia's security exception is reviewed by a panel in substance", "--by", "2099-12-31",
        "-p", "0.325")  # fmt: skip
    old = cli.json("forecast", "DS512", "The panel report is circulated in 2019", "--by", "2019-12-31", "-p", "0.6",
                   "--date", "2019-01-10")  # fmt: skip
    cli("forecast", "resolve", old["id"], "no", "--date", "2019-12-31")
    cli("view", "add", "mine", made["id"], other["id"])
    return {"made": made, "other": other}


def test_the_reports_open_forecasts_name_the_dispute_by_its_ref(cli):
    """The report's "Open forecasts" named the dispute by short id (`b2as`) where "Recent
    events" used refs (`DS512`)."""
    desk = _forecast_desk(cli)
    report = cli("report", "--format", "md").stdout
    section = report.split("Open forecasts", 1)[1].split("\n#", 1)[0]
    row = next(line for line in section.splitlines() if "security exception" in line)
    assert "DS512" in row and desk["made"]["id"][:4] not in row.replace("DS512", "")


def test_a_views_description_names_its_members_by_ref_not_full_id(cli):
    """The report's header (and the brief's, the PDF's) listed a view's members by their full ids."""
    desk = _forecast_desk(cli)
    header = cli("report", "--view", "mine", "--format", "md").stdout
    assert "members DS512, " + desk["other"]["id"][:4] in header
    assert desk["made"]["id"] not in header and desk["other"]["id"] not in header


def test_shows_status_history_says_the_imported_phrase_once(cli, tmp_path):
    """`show` said `escalated (PANEL COMPOSED)  as reported at import: PANEL COMPOSED`."""
    listed = tmp_path / "list.csv"
    listed.write_text("ref,title,curr_stat\nDS512,Traffic in transit,PANEL COMPOSED\n", encoding="utf-8")
    cli("import", str(listed), "--map", "ref=ref", "--map", "title=title", "--map", "curr_stat=status_detail",
        "--status-map", "PANEL*=escalated", "--status-date", "2018-02")  # fmt: skip
    for shown in (cli("show", "DS512").stdout, cli("show", "DS512", "--format", "md").stdout):
        history = shown.split("Status history", 1)[1].lstrip("\n").split("\n\n", 1)[0]
        assert history.count("PANEL COMPOSED") == 1, history
        assert "as reported at import" in history


def test_forecast_list_keeps_a_number_with_its_percent_sign_and_says_resolved(cli, store_path):
    """`forecast list` wrapped `(32.5` / `%)` and showed a resolved forecast as `STANDS AT:
    no on 2019-12-31`. The layout rule keeps a number with its percent sign, wherever a
    narrow column wraps it (here laid out by the library at widths that squeeze it)."""
    from disputes.render import layout

    _forecast_desk(cli)
    assert "resolved no on 2019-12-31" in cli("forecast", "list").stdout
    columns = [layout.Column("STANDS AT", wrap=True, least=1), layout.Column("QUESTION", wrap=True, least=30)]
    rows = [("unlikely (32.5 %)", "Russia's security exception is reviewed by a panel in substance")]
    for width in range(20, 60):
        lines = [layout.plain(line) for line in layout.table(columns, rows, width)]
        assert "(32.5 %)" in "\n".join(lines), lines


def test_view_save_help_keeps_option_names_whole(store_path):
    """`view save --help` broke `--all-of` across lines (`--all-` / `of`)."""
    for width in range(60, 90):
        lines = screen(store_path, width, "view", "save", "--help")
        assert not [line for line in lines if re.search(r"(?:^|\s)--[a-z]+-$", line)], (width, lines)
