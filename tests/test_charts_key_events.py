"""Issue 44: key events -- a dispute's escalating events that weighed most -- marked on every
chart with their date: the terminal's `chart`, `show`'s sparkline, the SVG (and the briefing's
charts), and in `chart --json`."""

from __future__ import annotations

from xml.etree import ElementTree

import pyte
import pytest
from conftest import on_terminal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from disputes.core import escalation
from disputes.render import charts, svg

SVG = "{http://www.w3.org/2000/svg}"
KEY_PX = svg.KEY_PX


@pytest.fixture
def seed(cli):
    cli("seed")
    cli("event", "add", "vfb3", "--date", "2016-05-10", "--title", "Gazprom cuts deliveries", "--score", "-2")
    cli("event", "add", "vfb3", "--date", "2015-05-10", "--title", "Talks stall", "--effect", "escalating")
    cli("event", "add", "vfb3", "--date", "2015-08-03", "--title", "Talks resume", "--score", "3")


def test_chart_json_had_no_key_events(cli, seed):
    drawn = cli.json("chart", "vfb3", "fr45", "--as-of", "2016-06-30")
    by_id = {d["id"][:4]: d for d in drawn["disputes"]}
    assert set(by_id["vfb3"]) >= {"id", "title", "values", "events", "key_events"}  # fields only added
    keys = by_id["vfb3"]["key_events"]
    assert [(k["date"], k["score"], k["title"]) for k in keys] == [
        ("2015-05-10", -1.0, "Talks stall"),  # an escalating event without a score weighs -1, as on the curve
        ("2016-05-10", -2.0, "Gazprom cuts deliveries"),
    ]  # oldest first; the de-escalating event is no key event
    assert all(k["period"] in drawn["months"] for k in keys)
    fr45 = by_id["fr45"]["key_events"]
    assert [k["score"] for k in fr45] == [-9.2] and fr45[0]["description"].startswith("On the day")


def test_key_events_are_the_worst_few_and_the_later_wins_a_tie():
    events = [
        {"id": f"e{n}", "date": f"2016-0{n}-01", "effect": "escalating", "score": score, "disputes": ["d"]}
        for n, score in enumerate([-3, -8, -3, -1, None, -8], start=1)
    ]
    months = escalation.months_up_to("2016-06-30", 6)
    keys = escalation.key_events(events, ["d"], months)["d"]
    assert [k["id"] for k in keys] == ["e2", "e3", "e6"]  # -8, -8 and the later -3
    assert escalation.key_events(events, ["d"], ["2015-11", "2015-12"])["d"] == []  # outside the periods: none


def test_three_key_events_of_one_day_were_drawn_on_one_another():
    # a dispute with 10,000 events on one day marked three triangles at one point, their
    # dates stacked over the axis labels: one mark a period, the worst of it
    events = [
        {"id": f"e{n:05d}", "date": "2016-06-07", "effect": "escalating", "score": -10.0, "disputes": ["d"]}
        for n in range(50)
    ] + [{"id": "f", "date": "2016-03-02", "effect": "escalating", "score": -4.0, "disputes": ["d"]}]
    months = escalation.months_up_to("2016-06-30", 6)
    keys = escalation.key_events(events, ["d"], months)["d"]
    assert [(k["date"], k["score"]) for k in keys] == [("2016-03-02", -4.0), ("2016-06-07", -10.0)]
    assert len({k["period"] for k in keys}) == len(keys)


def screen(store_path, width: int, *args: str) -> list[str]:
    raw = on_terminal(*args, env={"DISPUTES_DB": str(store_path)}, width=width)
    term = pyte.Screen(width, 500)
    pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
    return [line.rstrip() for line in term.display if line.strip()]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_terminal_chart_did_not_mark_the_key_events(cli, seed, store_path, width):
    shown = screen(store_path, width, "chart", "vfb3", "fr45", "--as-of", "2016-06-30")
    assert f"{charts.KEY} key event" in " ".join(" ".join(shown[:4]).split())  # the legend says the mark
    for short, dates in (("vfb3", ["2016-05-10 (−2)", "2015-05-10 (−1)"]), ("fr45", ["2016-06-07 (−9.2)"])):
        at = next(n for n, line in enumerate(shown) if line.startswith(short))
        curve_at = next(n for n in range(at + 1, len(shown)) if set(shown[n].strip()[:5]) & set("·─▁▂▃▄▅▆▇█▿"))
        curve, marks = shown[curve_at], shown[curve_at + 1]
        drawn = marks.split("  key event")[0]  # the marks under the line, before their dates
        key_columns = [column for column, mark in enumerate(drawn) if mark == charts.KEY]
        assert key_columns and all(curve[c] in charts.BLOCKS for c in key_columns), (curve, marks)
        said = " ".join(" ".join(shown[curve_at + 1 : curve_at + 4]).split())
        assert all(date in said for date in dates), said


def test_shows_sparkline_did_not_say_the_worst_event(cli, seed):
    line = next(line for line in cli("show", "vfb3").stdout.splitlines() if line.startswith("escalation"))
    assert "worst event 2016-05-10 (−2)" in line
    quiet = next(line for line in cli("show", "3zp0").stdout.splitlines() if line.startswith("escalation"))
    assert "worst event" not in quiet  # no escalating event, nothing to name


def boxes(root) -> tuple[list[tuple[float, float, float, float]], list[tuple[float, float, float, float]]]:
    """The key events' labels and the panels' titles, as boxes (left, top, right, bottom)."""
    labels, titles = [], []
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x")), float(text.get("y"))
        if text.get("class") == "key-label":
            labels.append((x, y - 10, x + KEY_PX * len(text.text), y + 2))
        elif text.get("class") == "panel-title":
            shown = "".join(text.itertext()).replace(text.findtext(f"{SVG}tspan/{SVG}title") or "", "", 1)
            titles.append((x, y - 11, x + svg.CHARACTER_PX * 1.1 * len(shown), y + 3))
    return labels, titles


def overlap(one, other) -> bool:
    """Whether two boxes share more than the rounding of the coordinates they are read from
    (written to 0.1 px: labels that abut, 131.7 - 10 and 119.7 + 2, must not read as overlapping)."""
    e = 0.05
    return one[0] < other[2] - e and other[0] < one[2] - e and one[1] < other[3] - e and other[1] < one[3] - e


def assert_readable(root) -> None:
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    labels, titles = boxes(root)
    for box in labels:
        assert box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height, box
        assert not any(overlap(box, title) for title in titles), (box, titles)
    for n, box in enumerate(labels):
        assert not any(overlap(box, other) for other in labels[n + 1 :]), (box, labels)
    for marker in root.iter(f"{SVG}path"):
        if marker.get("class") == "key-event":
            x, y = (float(v) for v in marker.get("d")[1:].split(" ")[0].split(","))
            assert 0 <= x <= width and 0 <= y <= height


def test_the_svg_did_not_mark_the_key_events(cli, seed, tmp_path):
    target = tmp_path / "c.svg"
    cli("chart", "vfb3", "fr45", "--as-of", "2016-06-30", "--format", "svg", "--output", str(target))
    root = ElementTree.parse(target).getroot()
    markers = [p for p in root.iter(f"{SVG}path") if p.get("class") == "key-event"]
    tips = [m.findtext(f"{SVG}title") for m in markers]
    assert len(markers) == 3 and any("Gazprom cuts deliveries" in t for t in tips)
    assert any(t.startswith("2016-06-07 (−9.2) Russian customs") and "On the day" in t for t in tips)  # the description
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "key-label"]
    assert sorted(labels) == ["2015-05-10", "2016-05-10", "2016-06-07"]
    assert_readable(root)


def test_key_event_labels_crowded_in_small_charts_overlapped(cli, tmp_path):
    """Six disputes (small multiples), each with its three worst events in neighbouring months."""
    made = []
    for n in range(6):
        dispute = cli.add(f"Dispute number {n} with a title long enough to be shortened at a word", "--opened", "2016")
        made.append(dispute["id"])
        for month, score in ((4, -9), (5, -8.5), (6, -10)):
            cli(
                "event",
                "add",
                dispute["id"],
                "--date",
                f"2016-0{month}-1{n}",
                "--title",
                "Clash",
                "--score",
                str(score),
            )
    target = tmp_path / "m.svg"
    cli("chart", *made, "--as-of", "2016-06-30", "--format", "svg", "--output", str(target))
    root = ElementTree.parse(target).getroot()
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "key-event"]) == 18
    assert_readable(root)


periods = escalation.months_up_to("2016-12-31", 24)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, len(periods) - 1), st.floats(-10, -0.1)), min_size=0, max_size=5),
        min_size=1,
        max_size=7,
    ),
    st.sampled_from([130, 320]),
)
@example(lines=[[(0, -3.0), (0, -10.0)], [(20, -1.0), (20, -1.0), (20, -4.0)]], height=320)  # abutting labels
def test_key_event_labels_never_overlap_nor_leave_the_canvas(lines, height):
    series, keys = [], []
    for n, events in enumerate(lines):
        values, counts = [0.0] * len(periods), [0] * len(periods)
        for index, score in events:
            values[index] += score
            counts[index] += 1
        series.append((f"Dispute {n}", values, counts))
        records = [
            {
                "id": f"e{n}-{i}",
                "date": f"{periods[index]}-15",
                "effect": "escalating",
                "score": score,
                "disputes": ["d"],
            }
            for i, (index, score) in enumerate(events)
        ]
        keys.append(escalation.key_events(records, ["d"], periods)["d"])
    drawn = svg.curves(series, periods, title="A title", height=height, marks=((periods[-2], "escalated"),), keys=keys)
    root = ElementTree.fromstring(drawn)
    assert_readable(root)
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "key-event"]) == sum(len(k) for k in keys)


def test_the_briefing_charts_did_not_mark_key_events(cli, seed):
    page = cli("report", "--as-of", "2016-06-30", "--format", "html").stdout
    assert page.count('class="key-event"') >= 3 and "Gazprom cuts deliveries" in page
