"""Issue 15: the HTML briefing, escalation charts, the sparkline in `show`, and the monthly digest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
from conftest import assert_one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.render.output import printable

HOSTILE = "<script>alert(1)</script> & *bold* | pipe"
SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def parsed(page: str):
    """The page parsed as strict HTML5: any parse error raises."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(page)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def briefing(cli, *options: str) -> str:
    return cli("report", "--as-of", "2016-06-30", "--format", "html", *options).stdout


@pytest.fixture
def seed(cli):
    cli("seed")


@pytest.fixture
def hostile(cli, seed):
    dispute = cli.add(
        HOSTILE, "-p", "A&B <Ltd>", "--opened", "2016-06-01",
        "--source", "https://example.org/case?id=1&x=2", "--source", "javascript:alert(1)",
        "--source", 'https://evil.example/"onmouseover="alert(1)',
    )["id"]  # fmt: skip
    cli(
        "event", "add", dispute, "--date", "2016-06-20", "--title", "<b>bold</b> move", "--score", "-4",
        "--source", "http://news.example/a", "--source", "not a url",
    )  # fmt: skip
    return dispute


def test_the_briefing_is_strict_html5_with_a_real_table_and_a_chart_per_brief(cli, seed):
    document = parsed(briefing(cli))
    table = document.find(f".//{XHTML}section[@id='unresolved']//{XHTML}table")
    headings = [text_of(th) for th in table.iter(f"{XHTML}th")]
    assert headings == [
        "ID",
        "Ref",
        "Title",
        "Status",
        "Priority",
        "Parties",
        "Age (days)",
        "Last event",
        "Quiet (days)",
        "Trend",
    ]
    rows = {text_of(tr.findall(f"{XHTML}td")[2]): tr for tr in table.iter(f"{XHTML}tr") if tr.findall(f"{XHTML}td")}
    reexports = "Belarusian re-exports of goods under Russia's food counter-sanctions"
    assert set(rows) == {
        reexports,
        "Price of Russian gas supplies to Belarus",
        "Belarusian claims of discriminatory measures against its products in Russia",
    }
    cells = [text_of(td) for td in rows[reexports].findall(f"{XHTML}td")]
    assert cells[3:] == [
        "escalated (warning shown: Polish apples detained at the border)",
        "high",
        "Belarus, Russia",
        "181",
        "2016-06-07",
        "23",
        "↘ deteriorated",
    ]
    briefs = document.findall(f".//{XHTML}article[@class='brief']")
    assert len(briefs) == 3
    for brief in briefs:
        chart = brief.find(f".//{SVG}svg")
        assert chart is not None and chart.findall(f".//{SVG}circle")  # a mark for each period with events
        assert "2014" in text_of(chart) and "Jun 2016" in text_of(chart)  # the lifetime, not 24 months
    # the re-exports brief: the apples are in its window, with the score, and its curve dips in June 2016
    apples = next(b for b in briefs if reexports in text_of(b))
    assert "Russian customs detain a large shipment of Polish apples" in text_of(apples)
    marks = {
        c.find(f"{SVG}title").text.split(", ")[-1].split(":")[0]: float(c.get("cy"))
        for c in apples.iter(f"{SVG}circle")
    }
    assert marks["Jun 2016"] < marks["Jun 2014"]  # the apples: higher on the page, more escalation
    assert not apples.findall(f".//{SVG}polyline")  # months apart: dots, never joined through empty months
    assert (
        "status" not in marks and apples.find(f".//{SVG}line[@stroke-dasharray]") is not None
    )  # status changes marked
    assert document.find(f".//{XHTML}section[@id='status']//{SVG}svg") is not None  # the status bar chart


def test_the_briefing_escapes_user_text_and_links_only_http_sources(cli, hostile):
    page = briefing(cli)
    document = parsed(page)
    assert "<script" not in page.lower() and not document.findall(f".//{XHTML}script")
    assert HOSTILE in text_of(document)  # shown as text, exactly
    assert "A&B <Ltd>" in text_of(document)
    hrefs = [a.get("href") for a in document.iter(f"{XHTML}a")]
    external = sorted(h for h in hrefs if not h.startswith("#"))
    assert external == ["http://news.example/a", "https://example.org/case?id=1&x=2"]
    for text in ("javascript:alert(1)", "not a url", 'https://evil.example/"onmouseover="alert(1)'):
        assert text in text_of(document)  # shown, not linked
    assert not any(name.startswith("on") for element in document.iter() for name in element.attrib)
    assert f"#d-{hostile}" in hrefs  # the table links to the brief
    for tag in ("img", "link", "iframe", "object", "embed"):
        assert not document.findall(f".//{XHTML}{tag}"), tag  # nothing is fetched from anywhere


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_any_title_is_shown_as_its_text_in_a_strict_page(cli, title):
    added = cli("add", title, "--json", expect=None)
    if added.exit_code != 0:  # the title rules refused it (blank, controls): one clear line
        assert_one_error_line(added)
        return
    stored = json.loads(added.stdout)["title"]
    document = parsed(cli("report", "--format", "html").stdout)
    assert " ".join(printable(stored).split()) in text_of(document)
    cli("delete", json.loads(added.stdout)["id"], "--yes")


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_the_file_formats_do_not_depend_on_the_terminal(cli, hostile, tmp_path, fmt):
    outputs = []
    for env in ({"TERM": "dumb", "COLUMNS": "40"}, {"TERM": "xterm-256color", "COLUMNS": "200"}, {"NO_COLOR": "1"}):
        out = tmp_path / f"{len(outputs)}.{fmt}"
        cli("report", "--as-of", "2016-06-30", "--format", fmt, "--output", str(out), env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    if fmt == "svg":  # the recorded table keeps every column, even under TERM=dumb
        text = "".join(ElementTree.fromstring(outputs[0]).itertext()).replace("\xa0", " ")
        for column in ("TITLE", "PARTIES", "TREND"):
            assert column in text


def test_the_briefing_lists_the_first_rows_and_says_how_many_more(cli, seed):
    for n in range(3):
        cli.add(f"Extra dispute {n}", "--priority", "low", "--opened", "2016-06-01")
    document = parsed(briefing(cli, "--limit", "2"))
    assert len(document.findall(f".//{XHTML}article[@class='brief']")) == 2
    assert "… and 4 more" in text_of(document)


def test_chart_draws_an_svg_a_reader_understands(cli, seed, tmp_path):
    out = tmp_path / "c.svg"
    result = cli("chart", "--as-of", "2016-06-30", "--format", "svg", "--output", str(out))
    assert "Wrote the svg chart" in result.stdout
    root = ElementTree.parse(out).getroot()
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    text = " ".join(root.itertext())
    assert "Escalation by month, Jan 2014 to Jun 2016" in text  # from the first event (dated 2014) on
    assert "score per month: escalation (below 0) drawn upward" in text  # the axis label whole
    for title in ("Price of Russian gas supplies to Belarus", "Belarusian re-exports of goods"):
        assert title in text  # the legend
    assert len(root.findall(f".//{SVG}circle")) >= 3
    assert [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.lstrip("−").isdigit()][:2]  # y axis numbers


def test_chart_of_named_disputes_and_months_in_the_terminal(cli, seed):
    cli("event", "add", "vfb3", "--date", "2016-05-10", "--title", "Gazprom cuts deliveries", "--score", "-6")
    cli("event", "add", "vfb3", "--date", "2016-04-02", "--title", "Talks resume", "--score", "2")
    out = cli("chart", "vfb3", "--months", "4", "--as-of", "2016-06-30").stdout
    assert "Escalation by month, Mar 2016 to Jun 2016" in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("vfb3"))
    assert "Price of Russian gas supplies to Belarus" in lines[at] and "worst May 2016 (−6)" in lines[at + 1]
    spark = lines[at + 1].split()[0]
    assert spark == "·▿█─"  # Mar quiet, Apr de-escalating, May the worst (drawn tallest), Jun neutral
    assert "fr45" not in out


@pytest.mark.parametrize(
    "args, words, code",
    [
        (["--format", "png"], "unknown format", 2),
        (["--output", "x.svg"], "--output needs a file format: --format svg or json", 2),
        (["nosuchdispute"], "no dispute", 1),
        (["--as-of", "2016"], "full date", 2),
    ],
)
def test_chart_refuses_bad_input(cli, seed, args, words, code):
    assert_one_error_line(cli("chart", *args, expect=code), words)


def test_chart_of_an_empty_store_says_what_to_do(cli):
    assert_one_error_line(cli("chart", expect=2), "no unresolved disputes")


def test_show_has_a_sparkline_of_the_disputes_lifetime(cli, seed):
    from disputes.core.dates import today

    this_year = int(today()[:4])
    cli("event", "add", "3zp0", "--date", today()[:7], "--title", "New duties announced", "--score", "-5")
    line = next(line for line in cli("show", "3zp0").stdout.splitlines() if line.startswith("escalation"))
    # its first event (2014) to today: more than ten years, so a character a year
    assert line.split()[1].endswith("█") and len(line.split()[1]) == this_year - 2014 + 1
    assert f"2014 to {this_year}" in line and "(−5)" in line


def test_bug_show_drew_the_24_months_before_today_for_a_2016_dispute(cli):
    gas = cli.add("Gas", "--opened", "2016-01")["id"]
    cli("event", "add", gas, "--date", "2016-06-07", "--title", "Cut", "--score", "-4")
    cli("status", gas, "resolved", "--date", "2016-09")
    line = next(line for line in cli("show", gas).stdout.splitlines() if line.startswith("escalation"))
    assert "2016" in line and "worst" in line and "(−4)" in line


def test_the_june_2016_digest_lists_the_reexports_as_deteriorated_because_of_the_apples(cli, seed):
    data = cli.json("digest", "--month", "2016-06")
    assert [e["title"] for e in data["deteriorated"]] == [
        "Belarusian re-exports of goods under Russia's food counter-sanctions"
    ]
    assert "Polish apples" in data["deteriorated"][0]["reason"]["title"]
    assert data["improved"] == [] and len(data["unchanged"]) == 2
    out = cli("digest", "--month", "2016-06").stdout
    assert out.startswith("Digest: June 2016") and "Deteriorated (1)" in out and "Polish apples" in out
    md = cli("digest", "--month", "2016-06", "--format", "md").stdout
    assert md.startswith("# Digest: June 2016") and "## Deteriorated" in md and "July 2016 ahead" in md
    document = parsed(cli("digest", "--month", "2016-06", "--format", "html").stdout)
    deteriorated = document.find(f".//{XHTML}section[@id='deteriorated']")
    assert "Polish apples" in text_of(deteriorated)


def test_the_digest_names_what_opened_ended_and_falls_due_next_month(cli, seed):
    new = cli.add("Potash transit dispute", "--opened", "2016-06-03", "--alert", "conflict-risk")["id"]
    cli("status", "3zp0", "resolved", "--date", "2016-06-20", "--note", "claims withdrawn")
    cli("deadline", "add", "vfb3", "--date", "2016-07-01", "--title", "Gas contract expires")
    cli("deadline", "add", "vfb3", "--date", "2016-08-15", "--title", "Not next month")
    data = cli.json("digest", "--month", "2016-06")
    assert [e["id"] for e in data["opened"]] == [new]
    assert [(e["title"][:20], e["date"], e["note"]) for e in data["ended"]] == [
        ("Belarusian claims of", "2016-06-20", "claims withdrawn")
    ]
    assert all(e["id"] != data["ended"][0]["id"] for name in ("improved", "unchanged") for e in data[name])
    assert [(d["date"], d["title"]) for d in data["ahead"]["due"]] == [("2016-07-01", "Gas contract expires")]
    assert [(a["id"], a["alert"]) for a in data["ahead"]["alerts"]] == [(new, "conflict-risk")]
    # a month before anything: nothing in it
    empty = cli.json("digest", "--month", "2013-01")
    assert not any(empty[k] for k in ("deteriorated", "improved", "unchanged", "opened", "ended"))


@pytest.mark.parametrize("month, words", [("2016-13", "impossible month"), ("2016", "not a month"), ("june", "")])
def test_the_digest_refuses_a_bad_month(cli, seed, month, words):
    assert_one_error_line(cli("digest", "--month", month, expect=2), words)


def _chromium() -> str | None:
    return next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (Debian: apt install chromium)")
def test_the_briefing_in_a_real_browser(cli, hostile, tmp_path):
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "brief.html"
    cli("report", "--as-of", "2016-06-30", "--format", "html", "--output", str(page_file))
    titles = [row["title"] for row in cli.json("report", "--as-of", "2016-06-30")["unresolved"]]
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=flags)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems, requests = [], []
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            assert problems == []
            assert requests == [page_file.as_uri()]  # nothing fetched but the page itself
            table = page.locator("#unresolved table")
            for title in titles:
                assert table.get_by_text(title, exact=True).is_visible(), title
            charts = page.locator("article.brief svg")
            assert charts.count() == len(titles)
            for index in range(charts.count()):
                box = charts.nth(index).bounding_box()
                assert box and box["width"] > 200 and box["height"] > 100
            page.emulate_media(color_scheme="dark")
            dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
            page.emulate_media(color_scheme="light")
            assert dark != page.evaluate("getComputedStyle(document.body).backgroundColor")
            page.screenshot(path=str(tmp_path / "brief.png"), full_page=True)
            assert (tmp_path / "brief.png").stat().st_size > 10_000
        finally:
            browser.close()


def test_disputes_without_events_in_the_month_are_counted_not_listed(cli, seed):
    data = cli.json("digest", "--month", "2016-05")
    assert [e["events"] for e in data["unchanged"]] == [0, 0, 0]  # JSON keeps every one
    out = cli("digest", "--month", "2016-05").stdout
    assert "Unchanged (3)" in out and "3 more had no events this month." in out
    assert "Price of Russian gas supplies to Belarus" not in out
    assert "- 3 more had no events this month." in cli("digest", "--month", "2016-05", "--format", "md").stdout


def test_beyond_four_curves_the_chart_draws_one_small_chart_each(cli, seed, tmp_path):
    for n in range(3):
        extra = cli.add(f"Extra {n}", "--opened", "2016-01")["id"]
        cli("event", "add", extra, "--date", "2016-06-01", "--title", f"move {n}", "--score", "-2")
    out = tmp_path / "many.svg"
    cli("chart", "--as-of", "2016-06-30", "--format", "svg", "--output", str(out))
    root = ElementTree.parse(out).getroot()
    text = " ".join(root.itertext())
    for n in range(3):
        assert f"Extra {n}" in text  # each its own small chart, named
    assert text.count("score per month: escalation (below 0) drawn upward") == 1  # the axis said once
    assert not [t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("Extra") and t.get("font-size") == "12"]
