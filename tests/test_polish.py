"""Polish found by new users and attackers of the charts, the brief, the help and the inputs:
each test is named after the bug it pins."""

from __future__ import annotations

import pytest


@pytest.fixture
def seed(cli):
    cli("seed")


def test_chart_dropped_the_disputes_past_the_sixth_silently(cli, seed, tmp_path):
    extra = [cli.add(f"Extra dispute {n}", "--opened", "2016")["id"] for n in range(7)]
    out = cli("chart", "--as-of", "2016-06-30").stdout
    said = " ".join(out.split()[-30:])
    assert "4 more unresolved disputes with fewer events not drawn (a chart draws 6)" in said
    command = said.split("disputes chart ")[1].split()
    assert len(command) == 4 and all(any(d.startswith(short) for d in extra) for short in command)
    drawn = cli("chart", "--as-of", "2016-06-30", *command).stdout
    assert "not drawn" not in drawn and all(short in drawn for short in command)  # the way out works
    numbers = cli.json("chart", "--as-of", "2016-06-30")
    assert len(numbers["disputes"]) == 6 and len(numbers["left_out"]) == 4
    result = cli("chart", "--as-of", "2016-06-30", "-f", "svg", "-o", str(tmp_path / "c.svg"))
    assert "4 more unresolved disputes" in result.stderr  # beside a picture, on stderr
    for n in range(8):  # many left out: how to narrow the choice
        cli.add(f"Another dispute {n}", "--opened", "2016")
    assert "narrow the choice with a filter" in " ".join(cli("chart", "--as-of", "2016-06-30").stdout.split())
    assert "left out" not in cli("chart", "--as-of", "2016-06-30", "--tag", "nothing", expect=2).stdout
