"""The one-page weekly brief: what changed since your last marked brief, then what is due."""

from __future__ import annotations

import io
import json
import re

import pytest
from test_print import portfolio


@pytest.fixture
def seed(cli):
    cli("seed")
    cli(
        "assess",
        "vfb3",
        "A deal on the 2016 price is likely by autumn",
        "--date",
        "2016-06-20",
        "--confidence",
        "medium",
    )


def _sections(cli, *args):
    return cli.json("brief", *args)["sections"]


def test_there_was_no_short_form_only_the_whole_register(cli, seed):
    said = cli("brief", "--as-of", "2016-06-30", "--since", "2016-06-01").stdout
    order = [said.index(heading) for heading in ("Bottom lines revised", "Status changed or deteriorated")]
    assert order == sorted(order)
    assert "A deal on the 2016 price is likely by autumn" in said and "medium confidence" in said
    assert "[escalated] fr45" in said and "[negotiating] vfb3" in said
    assert "Belarusian claims of discriminatory" not in said  # nothing changed on it in June


def test_the_seed_brief_is_one_page_with_its_bottom_line_and_changes(cli, seed, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    target = tmp_path / "brief.pdf"
    cli("brief", "--as-of", "2016-06-30", "--since", "2016-06-01", "--format", "pdf", "--output", str(target))
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert len(reader.pages) == 1
    assert "A deal on the 2016 price is likely by autumn" in text
    assert "Belarusian re-exports of goods under Russia's food counter-sanctions" in text
    assert "annex" not in text


@pytest.mark.slow
def test_a_fifty_dispute_brief_says_on_page_one_what_went_to_the_annex(cli, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    portfolio(cli, tmp_path)
    target = tmp_path / "brief.pdf"
    cli("brief", "--as-of", "2016-06-30", "--since", "2015-01-01", "--format", "pdf", "--output", str(target))
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert re.search(r"\d+ more in the annex", first)
    assert "Bottom lines revised" in first and "Bottom line 0: talks stall" in first
    whole = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for dispute in cli.json("list"):
        assert dispute["title"] in whole  # every new dispute is on page one or in the annex


def test_a_marked_brief_is_where_the_next_one_starts_and_marks_are_their_authors(cli, seed):
    first = cli("brief", "--as-of", "2016-06-10", "--since", "2016-06-01", "--mark", "--author", "Ann")
    assert "Marked the brief of 2016-06-10" in first.stderr + first.stdout
    mine = cli.json("brief", "--as-of", "2016-06-30", "--author", "Ann")
    assert (mine["since"], mine["since_from"]) == ("2016-06-10", "mark")
    theirs = cli.json("brief", "--as-of", "2016-06-30", "--author", "Bob")
    assert (theirs["since"], theirs["since_from"]) == ("2016-06-23", "default")
    assert "brief" in cli("history").stdout
    cli("undo")
    again = cli.json("brief", "--as-of", "2016-06-30", "--author", "Ann")
    assert again["since_from"] == "default"


def test_brief_marks_survive_an_export_and_import_and_doctor_passes(cli, seed, tmp_path, store_path):
    cli("brief", "--as-of", "2016-06-10", "--mark", "--author", "Ann")
    exported = tmp_path / "all.json"
    cli("export", "--format", "json", "--output", str(exported))
    marks = json.loads(exported.read_text())["brief_marks"]
    assert [m["author"] for m in marks] == ["Ann"]
    cli("doctor")
    other = tmp_path / "other.json"
    cli("--db", str(other), "import", str(exported))
    assert cli.json("--db", str(other), "brief", "--as-of", "2016-06-30", "--author", "Ann")["since"] == "2016-06-10"


def test_a_store_of_schema_12_gains_the_brief_marks_table(cli, seed, store_path):
    data = json.loads(store_path.read_text()) if store_path.read_text().lstrip().startswith("{") else None
    if data is None or "brief_marks" not in data:
        pytest.skip("the store file is not one JSON object here")
    from disputes.store import migrations

    del data["brief_marks"]
    migrations.m013_brief_marks(data)
    assert data["brief_marks"] == {}


def test_the_brief_lists_forecasts_due_and_those_resolved_since_with_their_scores(cli, seed):
    cli("forecast", "vfb3", "A gas price deal is signed", "--by", "2016-07-10", "-p", "0.7", "--date", "2016-06-01")
    cli("forecast", "fr45", "Russia lifts the apple ban", "--by", "2016-06-25", "-p", "0.2", "--date", "2016-06-01")
    found = cli.json("forecast", "list")
    ban = next(f for f in found if "apple" in f["question"])
    cli("forecast", "resolve", ban["id"], "no", "--date", "2016-06-26")
    sections = _sections(cli, "--as-of", "2016-06-30", "--since", "2016-06-01")
    assert [line["mark"] for line in sections["due"]] == ["forecast"]
    assert "A gas price deal is signed" in sections["due"][0]["text"]
    assert len(sections["forecasts"]) == 1 and "Brier 0.04" in sections["forecasts"][0]["text"]


def test_a_since_after_the_briefs_day_is_refused_and_nothing_marked(cli, seed):
    result = cli("brief", "--as-of", "2016-06-10", "--since", "2016-06-20", "--mark", expect=2)
    assert "--since" in result.stderr
    assert "brief" not in cli("history").stdout.splitlines()[0]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_every_format_says_the_same_facts(cli, seed, fmt):
    out = cli("brief", "--as-of", "2016-06-30", "--since", "2016-06-01", "--format", fmt).stdout
    for fact in ("A deal on the 2016 price is likely by autumn", "2016-06-07", "2016-06-20"):
        assert fact in out, fact


def test_the_library_gives_the_brief_a_notebook_reads(cli, seed, store_path):
    import disputes

    with disputes.open(store_path) as register:
        made = register.brief(as_of="2016-06-30", since="2016-06-01", author="Ann", mark=True)
        assert made.to_dict()["sections"]["bottom_lines"][0]["text"] == "A deal on the 2016 price is likely by autumn"
        assert register.brief(as_of="2016-07-05", author="Ann").since == "2016-06-30"
        assert list(register.frame("brief_marks")["author"]) == ["Ann"]
