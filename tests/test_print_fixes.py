"""A new user's trial of print and charts with the WTO list: the PDF report's cards, its
briefs' charts and contents; the SVG chart's panel titles, axis and what it left out; the
terminal chart's help and legend."""

from __future__ import annotations

import json
from itertools import takewhile

import pyte
import pytest
from conftest import on_terminal

from disputes.render import charts

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
