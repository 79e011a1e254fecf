"""Issue 12: deadlines, procedural clocks, reviews, the agenda and the calendar export."""

from __future__ import annotations

import json

import pytest
from conftest import assert_one_error_line


def agenda(cli, as_of: str, within: int = 14) -> list[tuple[str, str, str, bool]]:
    items = cli.json("agenda", "--as-of", as_of, "--within", str(within))
    return [(item["kind"], item["date"], item["title"], item["overdue"]) for item in items]


def test_the_seed_story_deadline_and_review_show_in_the_agenda_and_the_report(cli):
    cli("seed")
    gas = cli.json("deadline", "add", "vfb3", "--date", "2016-06-30", "--title", "Q3 gas price agreement expires")
    cli("edit", "3zp0", "--review-every", "21")
    cli("review", "3zp0", "--date", "2016-06-01")
    assert agenda(cli, "2016-06-30") == [
        (
            "review",
            "2016-06-22",
            "review Belarusian claims of discriminatory measures against its products in Russia",
            True,
        ),
        ("deadline", "2016-06-30", "Q3 gas price agreement expires", False),
    ]
    report = cli.json("report", "--as-of", "2016-06-30")
    assert [item["kind"] for item in report["due"]] == ["review", "deadline"]
    terminal = cli("report", "--as-of", "2016-06-30").stdout
    assert "Due" in terminal and "Q3 gas price agreement expires" in terminal and "overdue" in terminal
    assert "## Due" in cli("report", "--as-of", "2016-06-30", "--format", "md").stdout

    cli("deadline", "done", gas[0]["id"], "--date", "2016-06-29")
    assert [kind for kind, *_ in agenda(cli, "2016-06-30")] == ["review"]
    assert [kind for kind, *_ in agenda(cli, "2016-06-28")] == ["review", "deadline"]  # done later: open then
    cli("undo")
    assert cli.json("deadline", "list")[0]["done"] is None
    cli("undo")  # the review
    cli("undo")  # the cadence
    cli("undo")  # the deadline itself
    assert cli.json("deadline", "list", "--all") == [] and agenda(cli, "2016-06-30") == []


def test_an_as_of_walk_through_the_wto_clock(cli):
    """DSU Art. 4.3: a reply within 10 days and consultations within 30 days of the request;
    Art. 4.7: a panel may be requested after 60 -- a right that opens, never overdue."""
    cli.add("EU — Measures on Russian steel", "--ref", "DS999", "-p", "Russia", "--opened", "2016-04-29")
    made = cli.json("deadline", "add", "DS999", "--rules", "wto-dsu", "--from", "2016-04-29")
    assert [(d["date"], d["kind"], d["rule"]) for d in made] == [
        ("2016-05-09", "due", "wto-dsu"),
        ("2016-05-29", "due", "wto-dsu"),
        ("2016-06-28", "opens", "wto-dsu"),
    ]
    assert "Article 4.3" in made[1]["sources"][0] and "Article 4.7" in made[2]["sources"][0]
    reply = "reply to the request for consultations due (DSU Art. 4.3)"
    assert agenda(cli, "2016-04-30") == [("deadline", "2016-05-09", reply, False)]
    cli("deadline", "done", made[0]["id"][:6], "--date", "2016-05-08")
    assert agenda(cli, "2016-05-20") == [("deadline", "2016-05-29", "consultations due (DSU Art. 4.3)", False)]
    assert agenda(cli, "2016-06-01")[0][3] is True  # overdue
    cli("deadline", "done", made[1]["id"][:6], "--date", "2016-06-05")
    assert agenda(cli, "2016-06-03")[0][:2] == ("deadline", "2016-05-29")  # still open on that day
    assert agenda(cli, "2016-06-20") == [("deadline", "2016-06-28", "panel may be requested (DSU Art. 4.7)", False)]
    assert agenda(cli, "2016-07-01") == [("deadline", "2016-06-28", "panel may be requested (DSU Art. 4.7)", False)]


def test_the_calendar_parses_back_with_stable_uids(cli, tmp_path):
    from icalendar import Calendar

    cli("seed")
    cli("deadline", "add", "fr45", "--rules", "wto-dsu", "--from", "2016-06-07")
    cli("edit", "vfb3", "--review-every", "30")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    cli("export", "--format", "ics", "--output", str(first))
    cli("export", "--format", "ics", "--output", str(second))
    events = [c for c in Calendar.from_ical(first.read_bytes()).walk("VEVENT")]
    assert sorted(str(e["categories"].cats[0]) for e in events) == ["deadline", "deadline", "deadline", "review"]
    assert all(type(e.decoded("dtstart")).__name__ == "date" for e in events)  # all-day
    uids = sorted(str(e["uid"]) for e in events)
    assert uids == sorted(str(e["uid"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT"))
    assert any("DSU Art. 4.7" in str(e["summary"]) for e in events)


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["deadline", "add", "vfb3", "--date", "2016-02-30", "--title", "x"], 2, "not a day of the calendar"),
        (["deadline", "add", "vfb3", "--date", "+3x", "--title", "x"], 2, "not a date"),
        (["deadline", "add", "vfb3", "--stage", "adopted", "--from", "2016-01-01"], 2, "--stage goes with --rules"),
        (["deadline", "add", "vfb3", "--rules", "wto-dsu", "--stage", "panel", "--from", "2016-01-01"], 2, "adopted"),
        (["deadline", "add", "vfb3", "--rules", "wto-dsu", "--stage", "adopted", "--from", "9998-12-01"], 2, "9999"),
        (["deadline", "add", "nosuch", "--date", "2016-06-30", "--title", "x"], 1, "no dispute matches"),
        (["deadline", "add", "vfb3", "--date", "2016-06-30"], 2, "--title"),
        (["deadline", "add", "vfb3", "--rules", "icj", "--from", "2016-01-01"], 2, "unknown rule"),
        (["deadline", "add", "vfb3", "--rules", "wto-dsu"], 2, "--from"),
        (["edit", "vfb3", "--review-every", "-3"], 2, "cadence"),
        (["review", "vfb3", "--date", "2016-13-01"], 2, "review date"),
        (["deadline", "done", "zzzz"], 1, "no deadline matches"),
    ],
)
def test_bad_deadline_input_is_refused_and_changes_nothing(cli, store_path, args, code, words):
    cli("seed")
    before = store_path.read_bytes()
    assert_one_error_line(cli(*args, expect=code), words)
    assert store_path.read_bytes() == before


def test_a_deadline_is_done_only_once(cli, store_path):
    cli("seed")
    (deadline,) = cli.json("deadline", "add", "vfb3", "--date", "2016-06-30", "--title", "x")
    cli("deadline", "done", deadline["id"], "--date", "2016-06-29")
    before = store_path.read_bytes()
    assert_one_error_line(cli("deadline", "done", deadline["id"], expect=2), "already done on 2016-06-29")
    assert store_path.read_bytes() == before


def test_reviews_are_computed_and_can_be_stopped(cli):
    cli("seed")
    cli("edit", "vfb3", "--review-every", "7")
    said = cli("review", "vfb3", "--date", "2016-06-10").stdout
    assert "next review 2016-06-17" in said
    assert agenda(cli, "2016-06-16", within=0) == []
    assert agenda(cli, "2016-06-17", within=0)[0][:2] == ("review", "2016-06-17")
    assert "every 7 days, next 2016-06-17" in cli("show", "vfb3").stdout
    cli("edit", "vfb3", "--no-review")
    assert agenda(cli, "2016-06-30") == []


def test_two_clones_that_both_reviewed_keep_the_later_review():
    from disputes.core.record_merge import merge_stores

    base = {
        "id": "d",
        "title": "Gas",
        "review_every": 7,
        "last_review": "2016-06-01",
        "updated": "2016-06-01T00:00:00Z",
    }
    ours = {**base, "last_review": "2016-06-20", "updated": "2016-06-20T10:00:00Z"}
    theirs = {**base, "last_review": "2016-06-15", "updated": "2016-06-21T10:00:00Z"}  # edited later, reviewed earlier
    meta = {"_meta": {"format": "disputes", "schema": 4}}
    merged, decisions = merge_stores(*({**meta, "disputes": {"d": r}} for r in (base, ours, theirs)))
    assert merged["disputes"]["d"]["last_review"] == "2016-06-20" and decisions == []


def test_deadlines_travel_in_export_import_show_and_are_checked_by_doctor(cli, store_path, tmp_path):
    cli("seed")
    cli("deadline", "add", "vfb3", "--date", "2016-06-30", "--title", "Q3 price")
    shown = cli.json("show", "vfb3")
    assert [d["title"] for d in shown["deadlines"]] == ["Q3 price"]
    assert "Deadlines" in cli("show", "vfb3").stdout
    exported = tmp_path / "export.json"
    cli("export", "--output", str(exported))
    copy = tmp_path / "copy.json"
    cli("--db", str(copy), "import", str(exported))
    assert [d["title"] for d in json.loads(cli("--db", str(copy), "deadline", "list", "--json").stdout)] == ["Q3 price"]
    data = json.loads(store_path.read_bytes())
    (key,) = data["deadlines"]
    data["deadlines"][key]["dispute"] = "gone000000"
    store_path.write_text(json.dumps(data))
    problems = " ".join(json.loads(cli("doctor", "--json", expect=1).stdout)["problems"])
    assert f"deadline {key} is on a missing dispute" in problems


# Issue 27: the whole DSU clock, rights that open vs steps that fall due, partial and relative dates

STAGES = [  # stage, the day it began (in the manner of DS414, China — GOES), then (date, kind, article) of each step
    (
        "request",
        "2010-09-15",
        [("2010-09-25", "due", "4.3"), ("2010-10-15", "due", "4.3"), ("2010-11-14", "opens", "4.7")],
    ),
    ("established", "2011-03-25", [("2011-04-14", "opens", "8.7"), ("2011-12-25", "due", "12.9")]),
    ("composed", "2011-05-31", [("2011-11-30", "due", "12.8")]),  # six months on, clamped to November's end
    ("circulated", "2012-06-15", [("2012-08-14", "due", "16.4")]),
    ("appealed", "2012-07-20", [("2012-09-18", "due", "17.5"), ("2012-10-18", "due", "17.5")]),
    ("ab-circulated", "2012-10-18", [("2012-11-17", "due", "17.14")]),
    ("adopted", "2012-11-16", [("2013-02-14", "due", "21.3(c)"), ("2014-02-16", "due", "21.3(c)")]),
    ("rpt-expired", "2013-07-31", [("2013-09-29", "due", "22.6")]),
    ("compliance", "2014-01-13", [("2014-04-13", "due", "21.5")]),
]


def test_one_dispute_walks_through_every_stage_of_the_dsu_clock(cli):
    cli.add("China — Duties on grain oriented electrical steel", "--ref", "DS414", "--opened", "2010-09-15")
    for stage, began, steps in STAGES:
        made = cli.json("deadline", "add", "DS414", "--rules", "wto-dsu", "--stage", stage, "--from", began)
        assert [(d["date"], d["kind"]) for d in made] == [(date, kind) for date, kind, _ in steps], stage
        for deadline, (_, _, article) in zip(made, steps, strict=True):
            assert f"Art. {article})" in deadline["title"] and f"Article {article}" in deadline["sources"][0]
    # an opening is never overdue, whenever the agenda is read; a missed step is
    for as_of in ("2010-11-20", "2011-04-20", "2016-01-01"):
        items = cli.json("agenda", "--as-of", as_of, "--within", "0")
        openings = [i for i in items if i["opens"]]
        assert openings and not any(i["overdue"] for i in openings)
    late = cli.json("agenda", "--as-of", "2010-11-20", "--within", "0")
    assert [i["date"] for i in late if i["overdue"]] == ["2010-09-25", "2010-10-15"]
    assert "open since" in cli("agenda", "--as-of", "2010-11-20").stdout


def test_an_eu_trade_defence_clock_counts_months_from_initiation(cli):
    cli.add("EU anti-dumping investigation", "--opened", "2024-01-31")
    dispute = cli.json("list")[0]["id"]
    made = cli.json("deadline", "add", dispute, "--rules", "eu-ad", "--from", "2024-01-31")
    assert [(d["date"], d["kind"]) for d in made] == [
        ("2024-03-31", "opens"),
        ("2024-09-30", "due"),
        ("2025-03-31", "due"),
    ]
    assert "Regulation (EU) 2016/1036" in made[0]["sources"][0] and "Art. 6(9)" in made[2]["title"]
    subsidy = cli.json("deadline", "add", dispute, "--rules", "eu-as", "--from", "2024-01-31")
    assert subsidy[-1]["date"] == "2025-02-28" and "Art. 11(9)" in subsidy[-1]["title"]  # 13 months, clamped


def test_partial_and_relative_dates_for_deadlines_and_reviews(cli):
    import datetime as dt

    added = cli.add("Quick logging", "--opened", "2017-01")
    cli("deadline", "add", added["id"], "--date", "2017-03", "--title", "answer due in March")
    # due by the end of March
    assert cli.json("agenda", "--as-of", "2017-03-15", "--within", "30")[0]["overdue"] is False
    assert cli.json("agenda", "--as-of", "2017-04-01", "--within", "0")[0]["overdue"] is True
    soon = cli.json("deadline", "add", added["id"], "--date", "+2w", "--title", "soon", "--opens")[0]
    assert soon["date"] == (dt.date.today() + dt.timedelta(days=14)).isoformat() and soon["kind"] == "opens"
    reviewed = cli.json("review", added["id"], "--date", "yesterday")
    assert reviewed["last_review"] == (dt.date.today() - dt.timedelta(days=1)).isoformat()


def test_deadline_list_and_agenda_name_a_dispute_by_its_reference(cli):
    cli.add("Russia — Traffic in Transit", "--ref", "DS512", "--opened", "2016-09-14")
    cli("deadline", "add", "DS512", "--rules", "wto-dsu", "--from", "2016-09-14")
    assert "DS512" in cli("deadline", "list").stdout
    assert "DS512" in cli("agenda", "--as-of", "2016-09-20").stdout


def test_an_old_store_s_panel_request_becomes_an_opening(cli, store_path):
    cli.add("Old", "--opened", "2016-01-01")
    cli("deadline", "add", cli.json("list")[0]["id"], "--rules", "wto-dsu", "--from", "2016-01-01")
    from disputes.store.migrations import SCHEMA

    text = store_path.read_text().replace('"kind":"opens",', "")
    text = text.replace(f'"format":"disputes","schema":{SCHEMA},', '"format":"disputes","schema":5,', 1)
    store_path.write_text(text)
    panel = next(d for d in cli.json("deadline", "list") if d["title"].startswith("panel may be requested"))
    assert panel["kind"] == "opens"
