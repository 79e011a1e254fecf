"""The status report: figures, trend, staleness, alerts, as-of, and every output format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest
from conftest import assert_one_error_line


def _report(cli, *args):
    return cli.json("report", *args)


def _row(data, dispute_id):
    return next(r for r in data["unresolved"] if r["id"] == dispute_id)


def test_trend_follows_the_events_of_the_window(cli):
    worse = cli.add("Worse", "--opened", "2016-01")["id"]
    better = cli.add("Better", "--opened", "2016-01")["id"]
    same = cli.add("Same", "--opened", "2016-01")["id"]
    old = cli.add("Old news", "--opened", "2016-01")["id"]
    cli("event", "add", worse, "--date", "2016-06-07", "--title", "Apples detained", "--code", "171")
    cli("event", "add", worse, "--date", "2016-06-10", "--title", "Talks", "--effect", "de-escalating")
    cli("event", "add", better, "--date", "2016-06-20", "--title", "Deal", "--score", "7")
    cli("event", "add", same, "--date", "2016-06-15", "--title", "Meeting", "--effect", "neutral")
    cli("event", "add", old, "--date", "2016-03-01", "--title", "Long ago", "--effect", "escalating")
    data = _report(cli, "--as-of", "2016-06-30")
    assert [_row(data, d)["trend"] for d in (worse, better, same, old)] == [
        "deteriorated",
        "improved",
        "unchanged",
        "unchanged",
    ]
    assert data["trends"] == {"deteriorated": 1, "improved": 1, "unchanged": 2}
    assert _row(data, old)["trend"] == "unchanged" and _row(data, old)["last_event"] == "2016-03-01"
    assert _row(_report(cli, "--as-of", "2016-06-30", "--window", "180"), old)["trend"] == "deteriorated"
    text = cli("report", "--as-of", "2016-06-30", env={"COLUMNS": "200"}).stdout
    assert "↘ deteriorated" in text and "↗ improved" in text and "→ unchanged" in text


def test_events_after_the_as_of_date_are_not_seen(cli):
    gas = cli.add("Gas", "--opened", "2016")["id"]
    cli("event", "add", gas, "--date", "2016-07-15", "--title", "Later", "--effect", "escalating")
    row = _row(_report(cli, "--as-of", "2016-06-30"), gas)
    assert row["last_event"] == "" and row["trend"] == "unchanged"
    assert _report(cli, "--as-of", "2016-06-30")["recent_events"] == []


def test_quiet_disputes_are_flagged_stale(cli):
    quiet = cli.add("Quiet", "--opened", "2016-01-01")["id"]
    busy = cli.add("Busy", "--opened", "2016-01-01")["id"]
    cli("event", "add", busy, "--date", "2016-11-20", "--title", "Still going")
    data = _report(cli, "--as-of", "2016-12-31")
    assert (_row(data, quiet)["days_quiet"], _row(data, quiet)["stale"]) == (365, True)
    assert (_row(data, busy)["days_quiet"], _row(data, busy)["stale"]) == (41, False)
    assert _row(_report(cli, "--as-of", "2016-12-31", "--stale-after", "400"), quiet)["stale"] is False
    assert data["stale_total"] == 1
    assert "stale" in cli("report", "--as-of", "2016-12-31", env={"COLUMNS": "200"}).stdout


def test_alerts_are_set_on_disputes_and_shown_in_reports(cli):
    gas = cli.add("Gas", "--alert", "conflict-risk")["id"]
    cli("edit", gas, "--add-alert", "resolution-opportunity", "--remove-alert", "conflict-risk")
    assert _row(_report(cli), gas)["alerts"] == ["resolution-opportunity"]
    assert "⚑ resolution-opportunity" in cli("report", env={"COLUMNS": "200"}).stdout
    assert_one_error_line(cli("edit", gas, "--add-alert", "panic", expect=2), "unknown alert")


def test_breakdowns_by_party_and_topic_count_unresolved_disputes(cli):
    cli.add("A", "-p", "Belarus", "-p", "Russia", "--topic", "energy")
    cli.add("B", "-p", "Belarus", "--topic", "trade")
    ended = cli.add("C", "-p", "Russia", "--topic", "trade")["id"]
    cli("resolve", ended)
    data = _report(cli)
    assert data["by_party"] == [{"name": "Belarus", "count": 2}, {"name": "Russia", "count": 1}]
    assert {t["name"]: t["count"] for t in data["by_topic"]} == {"energy": 1, "trade": 1}


def test_seed_report_reads_like_june_2016(cli):
    cli("seed")
    data = _report(cli, "--as-of", "2016-06-30")
    assert data["counts"]["escalated"] == 1 and data["counts"]["negotiating"] == 1 and data["counts"]["open"] == 1
    assert {r["last_event"] for r in data["unresolved"]} == {"2016-06-07"}
    assert any("apples" in e["title"] for e in data["recent_events"])
    reexports = next(r for r in data["unresolved"] if "re-exports" in r["title"])
    assert reexports["trend"] == "deteriorated"
    assert _report(cli, "--as-of", "2015-06-30")["total"] == 0  # the seed disputes are dated 2016


def test_report_filters(cli):
    cli("seed")
    assert _report(cli, "--topic", "energy")["total"] == 1
    assert _report(cli, "--party", "gazprom")["total"] == 1
    assert _report(cli, "--status", "escalated")["total"] == 1


@pytest.mark.parametrize(
    "args, words",
    [
        (["--as-of", "2016"], "full date"),
        (["--format", "docx"], "unknown format"),
        (["--window", "0"], "--window"),
        (["--output", "x.txt"], "--output needs a file format"),
    ],
)
def test_report_refuses_bad_options(cli, args, words):
    assert_one_error_line(cli("report", *args, expect=2), words)


HOSTILE = "<script>alert(1)</script> | [bold]x[/bold] *stars* _under_ `tick`"


@pytest.fixture
def hostile_store(cli):
    cli("seed")
    dispute = cli.add(HOSTILE, "-p", "A&B <Ltd>", "--opened", "2016-06-01")["id"]
    cli("event", "add", dispute, "--date", "2016-06-20", "--title", "<b>bold</b> move", "--effect", "escalating")
    return dispute


def test_markdown_report_escapes_user_text(cli, hostile_store, tmp_path):
    out = tmp_path / "report.md"
    cli("report", "--as-of", "2016-06-30", "--format", "md", "--output", str(out))
    text = out.read_text()
    assert text.startswith("# Status report as of 2016-06-30")
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>" not in text
    table_line = next(line for line in text.splitlines() if "alert(1)" in line)
    assert table_line.count("|") - table_line.count("\\|") == 11  # 10 cells: the title's | is escaped
    assert "\\[bold\\]" in text and "\\*stars\\*" in text
    assert "A&amp;B &lt;Ltd&gt;" in text
    for title in ("Price of Russian gas supplies to Belarus", "Recent events", "By party", "By topic"):
        assert title in text


def test_html_report_opens_as_a_page_with_escaped_text(cli, hostile_store, tmp_path):
    out = tmp_path / "report.html"
    cli("report", "--as-of", "2016-06-30", "--format", "html", "--output", str(out))
    page = out.read_text()
    assert (
        page.lstrip().lower().startswith("<!doctype html>") and "<title>Status report as of 2016-06-30</title>" in page
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Unresolved disputes (4)" in page and "↘ deteriorated" in page


def test_svg_report_is_valid_xml_with_the_figures(cli, hostile_store, tmp_path):
    out = tmp_path / "report.svg"
    cli("report", "--as-of", "2016-06-30", "--format", "svg", "--output", str(out))
    root = ElementTree.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = "".join(root.itertext()).replace("\xa0", " ")
    assert "Unresolved" in text and "<script>" in text  # escaped in the file, text again once parsed


def test_json_report_file_has_the_same_figures(cli, hostile_store, tmp_path):
    out = tmp_path / "report.json"
    cli("report", "--as-of", "2016-06-30", "--format", "json", "--output", str(out))
    assert json.loads(out.read_text()) == _report(cli, "--as-of", "2016-06-30")


def test_reports_print_to_stdout_without_output(cli, hostile_store):
    assert cli("report", "--format", "md").stdout.startswith("# Status report")


def test_long_reports_show_the_first_rows_and_say_how_many_more(cli):
    for n in range(7):
        cli.add(f"Dispute {n}", "--priority", "critical" if n < 2 else "low")
    text = cli("report", "--limit", "3", env={"COLUMNS": "200"}).stdout
    assert "… and 4 more" in text and "Unresolved disputes (7)" in text
    assert text.count("Dispute 0") + text.count("Dispute 1") == 2  # the critical ones come first
    assert "… and" not in cli("report", "--limit", "0").stdout
    assert len(cli.json("report", "--limit", "3")["unresolved"]) == 7
    assert "… and 4 more." in cli("report", "--limit", "3", "--format", "md").stdout
