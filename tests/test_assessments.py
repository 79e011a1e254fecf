"""Issue 25: dated bottom lines, and a briefing a director reads (title block, key judgements,
contents, key events of a dispute's life, deadlines, related disputes, PDF)."""

from __future__ import annotations

import io
import re

import pytest
from conftest import assert_one_error_line
from test_briefing import XHTML, _chromium, parsed, text_of

GAS = "vfb3nbqd37"
REEXPORTS = "fr45z4r7dr"


@pytest.fixture
def judged(cli):
    cli("seed")
    cli(
        "assess",
        "vfb3",
        "A deal on the 2016 price is likely by autumn",
        "--date",
        "2016-05-20",
        "--confidence",
        "medium",
    )
    cli("assess", "vfb3", "Talks stalled: no deal before winter", "--date", "2016-06-25", "--confidence", "high")
    cli("assess", "fr45", "Re-exports keep growing; more seizures ahead", "--date", "2016-06-10")
    cli("deadline", "add", "fr45", "--date", "2016-07-15", "--title", "Customs union review")
    cli("link", "fr45", "vfb3", "--as", "relates")
    return cli


def test_show_gives_the_latest_bottom_line_every_one_and_the_one_in_force(judged):
    assert judged.json("show", "vfb3")["assessment"]["text"] == "Talks stalled: no deal before winter"
    assert judged.json("show", "vfb3", "--as-of", "2016-06-01")["assessment"]["confidence"] == "medium"
    assert judged.json("show", "vfb3", "--as-of", "2016-05-01")["assessment"] is None
    assert len(judged.json("show", "vfb3")["assessments"]) == 2
    shown = judged("show", "vfb3").stdout
    bottom = shown[shown.index("Bottom line") :].split("\n\n")[0]
    assert "(2016-06-25, high confidence" in bottom and "no deal before winter" in bottom
    assert "likely by autumn" not in bottom
    every = judged("show", "vfb3", "--history").stdout
    assert "likely by autumn" in every and "no deal before winter" in every


def test_the_reports_json_carries_the_bottom_line_in_force_that_day(judged):
    rows = {r["id"]: r for r in judged.json("report", "--as-of", "2016-06-01")["unresolved"]}
    assert rows[GAS]["assessment"]["text"].startswith("A deal on the 2016 price")
    assert rows["3zp0pdgwa5"]["assessment"] is None


@pytest.mark.parametrize(
    "args, words",
    [
        (["assess", "vfb3", "  "], "needs its text"),
        (["assess", "vfb3", "x", "--confidence", "certain"], "unknown confidence"),
        (["assess", "vfb3", "x", "--date", "+2d"], "after today"),
        (["assess", "nosuch", "x"], "no dispute"),
        (["report", "--format", "pdf"], "--output"),
        (["digest", "--format", "pdf"], "--output"),
    ],
)
def test_bad_assessments_and_a_pdf_to_the_screen_are_refused(cli, store_path, args, words):
    cli("seed")
    before = store_path.read_bytes()
    result = cli(*args, expect=None)
    assert result.exit_code in (1, 2)
    assert_one_error_line(result, words)
    assert store_path.read_bytes() == before


def _briefing(cli, *options) -> str:
    return cli("report", "--as-of", "2016-06-30", "--format", "html", "--author", "A. Analyst", *options).stdout


def test_the_briefing_leads_with_a_title_block_contents_and_key_judgements(judged):
    cli = judged
    cli("view", "save", "energy", "--topic", "energy", "--topic", "sanctions")
    cli("edit", "fr45", "--priority", "medium")
    page = _briefing(cli, "--view", "energy")
    document = parsed(page)
    header = text_of(document.find(f".//{XHTML}header"))
    assert "2016-06-30" in header and "Prepared by A. Analyst" in header
    assert "view energy (topic energy or sanctions)" in header and "2 disputes" in header
    judgements = text_of(document.find(f".//{XHTML}section[@id='judgements']"))
    assert judgements.index("no deal before winter") < judgements.index("more seizures ahead")  # high priority first
    assert "likely by autumn" not in judgements  # the one in force only
    anchors = {e.get("id") for e in document.iter() if e.get("id")}
    links = [a.get("href")[1:] for a in document.iter(f"{XHTML}a") if (a.get("href") or "").startswith("#")]
    assert links and set(links) <= anchors  # every link of the contents (and elsewhere) resolves
    nav = document.find(f".//{XHTML}nav")
    contents = text_of(nav)
    for title in (r["title"] for r in cli.json("report", "--as-of", "2016-06-30", "--view", "energy")["unresolved"]):
        assert title in " ".join(contents.split())  # whole in the contents, wrapped at words (a cut one read alike)
    assert not re.search(r"(?<![\w-])--[a-z]", text_of(document.find(f".//{XHTML}body")))  # no command-line advice


def test_a_brief_holds_its_life_its_deadlines_and_its_related_disputes(judged):
    document = parsed(_briefing(judged))
    brief = document.find(f".//{XHTML}article[@id='d-{REEXPORTS}']")
    said = text_of(brief)
    assert "Bottom line" in said and "more seizures ahead" in said
    assert "2014-06-10" in said  # a key event years older than the 30-day window
    assert "status escalated" in said  # status changes are key events too
    assert "(in the window)" in said  # the apples, June 2016
    assert "2016-07-15 Customs union review" in said
    related = brief.find(f".//{XHTML}a[@href='#d-{GAS}']")
    assert related is not None
    recent = text_of(document.find(f".//{XHTML}section[@id='recent']"))
    assert "Belarusian re-exports of goods" in recent  # recent events name their disputes


def test_the_pdf_briefing_holds_every_unresolved_title_on_numbered_a4_pages(judged, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "brief.pdf"
    judged("report", "--as-of", "2016-06-30", "--format", "pdf", "--output", str(target))
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for row in judged.json("report", "--as-of", "2016-06-30")["unresolved"]:
        assert " ".join(row["title"].split()) in text.replace("- ", "-"), row["title"]
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    digest = tmp_path / "digest.pdf"
    judged("digest", "--month", "2016-06", "--format", "pdf", "--output", str(digest))
    assert digest.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (Debian: apt install chromium)")
def test_no_date_breaks_over_two_lines_in_a_narrow_window(judged, tmp_path):
    from playwright.sync_api import sync_playwright

    judged("deadline", "add", "3zp0", "--date", "2016-07-02", "--title", "A deadline with a long title " * 6)
    page_file = tmp_path / "brief.html"
    judged("report", "--as-of", "2016-06-30", "--format", "html", "--output", str(page_file))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=flags)
        try:
            page = browser.new_page(viewport={"width": 480, "height": 900})
            page.goto(page_file.as_uri())
            dates = page.locator("#due td:first-child time")
            assert dates.count() >= 1
            for index in range(dates.count()):
                box = dates.nth(index).bounding_box()
                line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
                assert box and box["height"] < 1.5 * line, dates.nth(index).inner_text()
        finally:
            browser.close()


def test_the_digest_gives_the_bottom_line_of_what_deteriorated(judged):
    data = judged.json("digest", "--month", "2016-06")
    (worse,) = data["deteriorated"]
    assert worse["id"] == REEXPORTS and worse["assessment"]["text"] == "Re-exports keep growing; more seizures ahead"
    # the others carry theirs too, as in force at the month's end (issue 43: not only what deteriorated)
    assert all(entry["assessment"]["date"] <= "2016-06-30" for entry in data["unchanged"] if "assessment" in entry)
    assert "Bottom line: Re-exports keep growing" in judged("digest", "--month", "2016-06", "--format", "md").stdout
