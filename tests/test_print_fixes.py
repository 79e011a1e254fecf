"""A new user's trial of print and charts with the WTO list: the PDF report's cards, its
briefs' charts and contents; the SVG chart's panel titles, axis and what it left out; the
terminal chart's help and legend."""

from __future__ import annotations

import json
import re
from itertools import pairwise, takewhile
from xml.etree import ElementTree

import pyte
import pytest
from conftest import on_terminal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from disputes.render import charts, svg

SVG = "{http://www.w3.org/2000/svg}"
RECYCLING = "Russian Federation — Recycling Fee on Motor Vehicles"  # DS462's and DS463's title


def register(cli, tmp_path, count: int = 3) -> dict[str, str]:
    """DS462 and DS463 (one title), and `count - 2` more disputes, the last without a ref,
    each with escalating events from 2013 to 2020; their ids by ref (the last by "")."""
    disputes = [
        {"id": f"w{n}", "title": RECYCLING if n < 2 else f"Measures number {n} on steel",
         "ref": "" if n == count - 1 and n >= 2 else f"DS{462 + n}", "parties": ["European Union", "Russia"],
         "status": "escalated", "opened": "2013-07-09"}
        for n in range(count)
    ]  # fmt: skip
    events = [
        {"date": f"{2014 + k}-0{1 + (n + k) % 9}-10", "title": f"Step {k} in case {n}", "disputes": [f"w{n}"],
         "score": -(1 + (n + 2 * k) % 9)}
        for n in range(count) for k in range(6)
    ]  # fmt: skip
    source = tmp_path / "wto.json"
    source.write_text(json.dumps({"disputes": disputes, "events": events}))
    cli("import", str(source))
    return {d["ref"]: d["id"] for d in cli.json("list")}


def test_chart_help_said_lower_is_worse_and_monthly_of_a_chart_drawn_upward_by_quarters(cli):
    said = " ".join(cli("chart", "--help").stdout.split())
    assert "lower is worse" not in said and "monthly sum" not in said
    assert "upward" in said and "taller is worse" in said
    assert "quarter" in said  # the period it sums by


def screen(store_path, width: int, *args: str) -> list[str]:
    raw = on_terminal(*args, env={"DISPUTES_DB": str(store_path)}, width=width)
    term = pyte.Screen(width, 500)
    pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
    return [line.rstrip() for line in term.display if line.strip()]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_chart_legend_wrapped_an_orphan_key_event_and_its_separator_was_the_no_events_dot(
    cli, tmp_path, store_path, width
):
    register(cli, tmp_path)
    shown = screen(store_path, width, "chart", "--as-of", "2020-06-30")
    legend = list(takewhile(lambda line: line.startswith(tuple(charts.LEGEND_ITEMS)), shown[1:]))  # under the title
    for item in charts.LEGEND_ITEMS:  # every item whole on one line: wrapped between items only
        assert sum(item in line for line in legend) == 1, (item, legend)
    assert sum(line.count(charts.QUIET) for line in legend) == 1, legend  # the dot only as the mark it explains
    assert all(len(line) <= width for line in legend)
    assert not any(line.strip() == f"{charts.KEY} key event" for line in legend)  # no orphan


def _parsed(drawing: str) -> ElementTree.Element:
    return ElementTree.fromstring(drawing)


def _period_labels(root: ElementTree.Element) -> list[tuple[float, str]]:
    """The axis labels, a panel's after another's (each panel's axis read left to right)."""
    found = [(float(t.get("y")), float(t.get("x")), t.text or "") for t in root.iter(f"{SVG}text")]
    return [(x, text) for _, x, text in sorted(found) if text and re.fullmatch(r"(Q\d |[A-Z][a-z]{2} )?\d{4}", text)]


def _crowded(labels: list[tuple[float, str]]) -> list[tuple[str, str]]:
    """Neighbouring axis labels nearer each other (edge to edge) than the later one's width."""
    found = []
    for (x0, one), (x1, other) in pairwise(labels):
        if x1 <= x0:  # the next panel's axis
            continue
        room = (x1 - svg.CHARACTER_PX * len(other) / 2) - (x0 + svg.CHARACTER_PX * len(one) / 2)
        if room < svg.CHARACTER_PX * len(other):
            found.append((one, other))
    return found


def test_the_last_axis_labels_crowded_q4_2018_q2_2019_and_q3_2019_q2_2020(cli, tmp_path):
    for first, last in (("2013-Q3", "2019-Q2"), ("2013-Q3", "2020-Q2")):
        quarters = [f"{y}-Q{q}" for y in range(2013, 2021) for q in range(1, 5)]
        months = quarters[quarters.index(first) : quarters.index(last) + 1]
        line = ("x", [-1.0] * len(months), [1] * len(months))
        for drawing in (svg.curves([line], months, height=190), svg.curves([line] * 6, months)):
            labels = _period_labels(_parsed(drawing))
            assert labels and not _crowded(labels), _crowded(labels)


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["month", "quarter", "year"]),
    count=st.integers(min_value=2, max_value=120),
    width=st.sampled_from([360, 520, 760]),
)
# 66 quarters: two labels exactly their width apart came 0.05 px closer once written to 0.1 px
@example(kind="quarter", count=66, width=760)
def test_no_axis_label_came_closer_than_its_width_to_the_one_before(kind, count, width):
    if kind == "year":
        months = [str(1950 + n) for n in range(count)]
    elif kind == "quarter":
        months = [f"{1980 + n // 4}-Q{1 + n % 4}" for n in range(count)]
    else:
        months = [f"{1990 + n // 12}-{1 + n % 12:02d}" for n in range(count)]
    drawing = svg.curves([("x", [-1.0] * count, [1] * count)], months, width=width)
    labels = _period_labels(_parsed(drawing))
    assert labels and labels[0][1] == svg.month_label(months[0])  # the first period always said
    assert not _crowded(labels), _crowded(labels)
    assert all(x - svg.CHARACTER_PX * len(t) / 2 >= 0 and x + svg.CHARACTER_PX * len(t) / 2 <= width for x, t in labels)


def _panel_titles(root: ElementTree.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "panel-title"]


def _legend_titles(root: ElementTree.Element) -> list[str]:
    return [t.findtext(f"{SVG}title") or "" for t in root.iter(f"{SVG}text") if t.get("class") == "legend"]


@pytest.mark.parametrize("count", [3, 6])
def test_ds462_and_ds463_had_one_panel_title_in_the_svg(cli, tmp_path, count):
    ids = register(cli, tmp_path, count)
    target = tmp_path / "c.svg"
    cli("chart", "--as-of", "2020-06-30", "--format", "svg", "--output", str(target))
    root = ElementTree.parse(target).getroot()
    named = _panel_titles(root) if count > svg.MOST_LINES else _legend_titles(root)
    assert any(n.startswith(f"DS462 — {RECYCLING[:20]}") for n in named), named
    assert any(n.startswith(f"DS463 — {RECYCLING[:20]}") for n in named), named
    short = cli.json("show", ids[""])["id"][:4]
    assert any(n.startswith(f"{short} — Measures number") for n in named), named  # no ref: its short id


def test_the_disputes_a_chart_left_out_were_said_only_on_stderr_not_in_the_picture(cli, tmp_path):
    register(cli, tmp_path, 10)
    result = cli("chart", "--as-of", "2020-06-30", "--format", "svg")
    root = _parsed(result.stdout)
    footer = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text") if t.get("class") == "left-out"]
    assert len(footer) == 1 and footer[0].startswith("4 more unresolved disputes"), footer
    assert "disputes chart" in footer[0] or "--" in footer[0]  # and how to draw them
    height = float(root.get("height"))
    assert all(float(t.get("y")) <= height - 2 for t in root.iter(f"{SVG}text"))  # inside the canvas
    assert "4 more unresolved disputes" in result.stderr  # still said where the shell shows it


def _report_html(cli, tmp_path) -> str:
    register(cli, tmp_path, 10)
    target = tmp_path / "r.html"
    cli("report", "--as-of", "2019-05-15", "--format", "html", "--output", str(target))
    return target.read_text()


def _print_rules(html: str) -> str:
    return html[html.index("@media print") :]


def test_the_printed_cards_ran_labels_and_values_together_in_seven_point_text(cli, tmp_path):
    html = _report_html(cli, tmp_path)
    assert 'class="cards"' in html  # the WTO list's unresolved table is too wide for A4
    printed = _print_rules(html)
    assert 'content: "  "' not in printed  # two spaces were all that parted one field from the next
    for rule in re.findall(r"\.card[^{}]*\{[^}]*\}", printed):
        for size in re.findall(r"font-size:\s*([\d.]+)pt", rule):
            assert float(size) >= 8.5 or "dt" in rule, rule  # values readable; labels may be small capitals
    card = re.search(r'<div class="card">(.*?)</div>\s*(?=<div class="card">|</div>)', html, re.S)
    assert card
    fields = re.findall(r'<div class="field"><dt>([^<]*)</dt><dd>', card.group(1))
    assert fields[:3] == ["ID", "Ref", "Status"]  # each label with its value, one unit that never splits


def _brief_figures(html: str) -> list[ElementTree.Element]:
    """The briefs' charts (inline, so without the SVG namespace: given it to be read alike)."""
    found = re.findall(r"<figure>\s*<svg(.*?</svg>)", html, re.S)
    return [_parsed(f'<svg xmlns="http://www.w3.org/2000/svg"{drawing}') for drawing in found]


def test_a_briefs_chart_was_a_thin_strip_with_its_key_event_on_the_top_frame(cli, tmp_path):
    figures = _brief_figures(_report_html(cli, tmp_path))
    assert figures
    for root in figures:
        axis = next(line for line in root.iter(f"{SVG}line") if line.get("x1") == line.get("x2") == "56")
        top, bottom = float(axis.get("y1")), float(axis.get("y2"))  # the plot's top and bottom
        assert bottom - top >= 80, (top, bottom)  # a plot, not a strip
        for marker in (p for p in root.iter(f"{SVG}path") if p.get("class") == "key-event"):
            tip = float(marker.get("d").split(",")[1].split()[0])
            assert tip >= top + 2, (tip, top)  # headroom: the triangle under the plot's top, not on it


def test_the_pdf_contents_cut_titles_so_ds462_and_ds463_read_alike(cli, tmp_path):
    html = _report_html(cli, tmp_path)
    contents = re.search(r'<nav id="contents".*?</nav>', html, re.S)
    assert contents
    entries = [re.sub(r"<[^>]+>", "", e) for e in re.findall(r"<li><a href=\"#d-[^>]*>.*?</a></li>", contents.group(0))]
    assert entries and not any("…" in entry for entry in entries), entries
    assert f"DS462 — {RECYCLING}" in entries and f"DS463 — {RECYCLING}" in entries
