"""Print that fits the page: the PDF briefing laid out by WeasyPrint, counted and read back
(pypdf), and its pages' text held to what the register says."""

from __future__ import annotations

import io
import json
import re

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

# Long titles of long words, as the WTO list has them (every word must come back unbroken).
WORDS = [
    "Countervailing",
    "Antidumping",
    "Safeguard",
    "Measures",
    "Concerning",
    "Certain",
    "Importation",
    "Agricultural",
    "Pharmaceutical",
    "Telecommunications",
    "Semiconductors",
    "Shrimp",
    "Steel",
    "Aluminium",
    "Intellectual",
    "Property",
    "Rights",
    "Subsidies",
    "Automobiles",
    "Renewable",
    "Energy",
    "Generation",
    "Sector",
    "Equipment",
    "Poultry",
    "Biotechnology",
]


def _title(n: int) -> str:
    words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(9 + n % 5)]
    return f"Portfolio{n:02d} " + " ".join(words)


def portfolio(cli, tmp_path, judged: int = 10, quiet: int = 40) -> list[str]:
    """A register of `judged` disputes with events and a bottom line and `quiet` ones with
    neither, all with long titles and refs; their ids, in order."""
    disputes = [
        {"id": f"p{n}", "title": _title(n), "ref": f"DS{700 + n}", "parties": ["Ruritania", "Freedonia"],
         "status": "negotiating" if n % 2 else "escalated", "priority": "high" if n < judged else "medium",
         "opened": "2015-03-01"}
        for n in range(judged + quiet)
    ]  # fmt: skip
    events = [
        {"date": f"2016-0{1 + k}-1{n % 9}", "title": f"Round {k} of talks on {_title(n)[12:60]}",
         "disputes": [f"p{n}"], "effect": ("escalating", "neutral", "de-escalating")[k % 3],
         "score": (-6.5, 0, 3.0)[k % 3]}
        for n in range(judged) for k in range(4)
    ]  # fmt: skip
    source = tmp_path / "portfolio.json"
    source.write_text(json.dumps({"disputes": disputes, "events": events}))
    cli("import", str(source))
    found = cli.json("list")
    ids = {d["title"]: d["id"] for d in found}
    for n in range(judged):
        cli("assess", ids[_title(n)], f"Bottom line {n}: talks stall while the panel sits", "--date", "2016-06-01")
    return [ids[_title(n)] for n in range(judged + quiet)]


@pytest.fixture
def seed(cli):
    cli("seed")


def pdf_text(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_seed_report_squeezed_titles_into_one_syllable_a_line_over_ten_pages(cli, seed, tmp_path):
    target = tmp_path / "seed.pdf"
    cli("report", "--as-of", "2016-06-30", "--format", "pdf", "--output", str(target))
    pages, text = pdf_text(target)
    assert pages <= 4
    flat = _flat(text)
    for row in cli.json("report", "--as-of", "2016-06-30")["unresolved"]:
        assert row["title"] in flat, row["title"]  # every word unbroken, in reading order


@pytest.mark.slow
def test_a_portfolio_of_fifty_long_titles_took_a_page_a_row(cli, tmp_path):
    portfolio(cli, tmp_path)
    target = tmp_path / "fifty.pdf"
    cli("report", "--as-of", "2016-06-30", "--format", "pdf", "--output", str(target))
    pages, text = pdf_text(target)
    assert pages <= 12
    flat = _flat(text)
    for row in cli.json("report", "--as-of", "2016-06-30")["unresolved"]:
        assert row["title"] in flat, row["title"]
        assert row["ref"] in flat and row["status"] in flat
        if row.get("assessment"):
            assert _flat(row["assessment"]["text"]) in flat


def test_a_dispute_with_neither_events_nor_a_bottom_line_drew_an_empty_chart(cli, tmp_path):
    ids = portfolio(cli, tmp_path, judged=1, quiet=2)
    page = tmp_path / "r.html"
    cli("report", "--as-of", "2016-06-30", "--format", "html", "--output", str(page))
    html = page.read_text()
    quiet = re.search(rf'<article class="[^"]*" id="d-{ids[1]}">(.*?)</article>', html, re.S)
    assert quiet and "<svg" not in quiet.group(1) and "compact" in quiet.group(0)
    judged = re.search(rf'<article class="brief" id="d-{ids[0]}">(.*?)</article>', html, re.S)
    assert judged and "<svg" in judged.group(1)


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_pdf_was_a4_whatever_the_reader_printed_on(cli, seed, tmp_path, paper, size):
    target = tmp_path / f"{paper}.pdf"
    cli("report", "--as-of", "2016-06-30", "--format", "pdf", "--paper", paper, "--output", str(target))
    box = pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_an_unknown_paper_is_refused_with_the_choices(cli, seed, tmp_path):
    result = cli("report", "--format", "pdf", "--paper", "a3", "--output", str(tmp_path / "x.pdf"), expect=2)
    assert "a4" in result.stderr and "letter" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_table_wider_than_the_page_is_written_as_cards(cli, tmp_path):
    from disputes.render import briefing

    words = ["Supercalifragilisticexpialidocious" * 2] * 3
    wide = briefing.table_or_cards(["A", "B", "C", "D"], [[*words, "x"]], paper="a4")
    assert 'class="cards"' in wide and '<div class="on-screen"><table' in wide  # the table only on screens
    narrow = briefing.table_or_cards(["A", "B"], [["short", "words"]], paper="a4")
    assert "<table" in narrow and "cards" not in narrow


def test_a_neutral_quarter_drew_like_another_disputes_worst_and_each_line_had_its_own_scale(cli, seed):
    from disputes.render import charts

    cli("event", "add", "vfb3", "--date", "2016-05-10", "--title", "Gazprom cuts deliveries", "--score", "-2")
    out = cli("chart", "vfb3", "fr45", "--months", "3", "--as-of", "2016-06-30").stdout
    assert charts.LEGEND in out
    lines = out.splitlines()
    curve = {
        lines[i].split()[0]: lines[i + 1].split()[0] for i, line in enumerate(lines) if line[:4] in ("vfb3", "fr45")
    }
    assert curve["fr45"][-1] == "█"  # −9.2, the chart's worst: the tallest block
    assert curve["vfb3"][1] in "▁▂" and curve["vfb3"][2] == "─"  # −2 small on the shared scale; 0 the midline
    assert charts.sparkline([0.0, -9.2], [1, 1])[0][0] != charts.sparkline([0.0, -9.2], [1, 1])[1][0]


def test_the_svg_drew_calm_upward_and_each_panel_on_its_own_range(cli, seed, tmp_path):
    from xml.etree import ElementTree

    target = tmp_path / "c.svg"
    cli("chart", "--as-of", "2016-06-30", "--format", "svg", "--output", str(target))
    svg = "{http://www.w3.org/2000/svg}"
    root = ElementTree.parse(target).getroot()
    ticks = {t.text: float(t.get("y")) for t in root.iter(f"{svg}text") if t.text and t.text.lstrip("−").isdigit()}
    assert ticks["−10"] < ticks["0"] < ticks["10"]  # escalation (negative) upward, zero between
    assert abs((ticks["−10"] + ticks["10"]) / 2 - ticks["0"]) < 1  # zero on the midline
    worst = [c for c in root.iter(f"{svg}circle") if "−9.2" in (c.findtext(f"{svg}title") or "")]
    calm = [c for c in root.iter(f"{svg}circle") if ": 0 (" in (c.findtext(f"{svg}title") or "")]
    assert worst and calm and float(worst[0].get("cy")) < float(calm[0].get("cy"))


def test_small_charts_shared_one_range_and_a_quiet_dispute_drew_an_empty_panel(cli, tmp_path):
    from xml.etree import ElementTree

    ids = portfolio(cli, tmp_path, judged=4, quiet=1)
    target = tmp_path / "m.svg"
    cli("chart", *ids, "--as-of", "2016-06-30", "--format", "svg", "--output", str(target))
    svg = "{http://www.w3.org/2000/svg}"
    root = ElementTree.parse(target).getroot()
    texts = [" ".join(t.itertext()) for t in root.iter(f"{svg}text")]
    assert "no events" in texts
    assert texts.count("−10") == 5 and texts.count("10") == 5  # one range for the five panels
    width = float(root.get("viewBox").split()[2])
    for t in root.iter(f"{svg}text"):
        full = t.findtext(f"{svg}tspan/{svg}title")
        if full:  # a panel's name: shortened at a word to fit the canvas, the full title kept
            shown = "".join(t.itertext()).replace(full, "", 1)
            assert shown.endswith("…") and len(shown) * 7.2 + float(t.get("x")) <= width
            assert full.startswith(shown[:-1].rstrip())


def _chromium():
    import shutil
    from pathlib import Path

    return next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)


OVERFLOWING = """() => {
  const page = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.right > page + 1) found.push('wider than the page: ' + el.tagName + ' ' + el.textContent.slice(0, 40));
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline')
      found.push('text past its box: ' + el.tagName + ' ' + el.textContent.slice(0, 40));
  }
  return found;
}"""


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (Debian: apt install chromium)")
def test_the_briefing_and_the_brief_overflowed_nothing_at_1200_and_800_pixels(cli, tmp_path):
    from playwright.sync_api import sync_playwright

    portfolio(cli, tmp_path, judged=4, quiet=6)
    pages = [tmp_path / "report.html", tmp_path / "brief.html"]
    cli("report", "--as-of", "2016-06-30", "--format", "html", "--output", str(pages[0]))
    cli("brief", "--as-of", "2016-06-30", "--since", "2015-01-01", "--format", "html", "--output", str(pages[1]))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=flags)
        try:
            for width in (1200, 800):
                view = browser.new_page(viewport={"width": width, "height": 900})
                for page_file in pages:
                    view.goto(page_file.as_uri())
                    found = view.evaluate(OVERFLOWING)
                    assert found == [], (width, page_file.name, found[:12])
                view.close()
        finally:
            browser.close()
