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
    """DSU Art. 4.3: consultations within 30 days of the request; Art. 4.7: a panel after 60."""
    cli.add("EU — Measures on Russian steel", "--ref", "DS999", "-p", "Russia", "--opened", "2016-04-29")
    made = cli.json("deadline", "add", "DS999", "--rules", "wto-dsu", "--from", "2016-04-29")
    assert [(d["date"], d["rule"]) for d in made] == [("2016-05-29", "wto-dsu"), ("2016-06-28", "wto-dsu")]
    assert "Article 4.3" in made[0]["sources"][0] and "Article 4.7" in made[1]["sources"][0]
    assert agenda(cli, "2016-05-01") == []
    assert agenda(cli, "2016-05-20") == [("deadline", "2016-05-29", "consultations due (DSU Art. 4.3)", False)]
    assert agenda(cli, "2016-06-01")[0][3] is True  # overdue
    cli("deadline", "done", made[0]["id"][:6], "--date", "2016-06-05")
    assert agenda(cli, "2016-06-03")[0][:2] == ("deadline", "2016-05-29")  # still open on that day
    assert agenda(cli, "2016-06-20") == [("deadline", "2016-06-28", "panel may be requested (DSU Art. 4.7)", False)]
    assert agenda(cli, "2016-07-01")[0][3] is True


def test_the_calendar_parses_back_with_stable_uids(cli, tmp_path):
    from icalendar import Calendar

    cli("seed")
    cli("deadline", "add", "fr45", "--rules", "wto-dsu", "--from", "2016-06-07")
    cli("edit", "vfb3", "--review-every", "30")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    cli("export", "--format", "ics", "--output", str(first))
    cli("export", "--format", "ics", "--output", str(second))
    events = [c for c in Calendar.from_ical(first.read_bytes()).walk("VEVENT")]
    assert sorted(str(e["categories"].cats[0]) for e in events) == ["deadline", "deadline", "review"]
    assert all(type(e.decoded("dtstart")).__name__ == "date" for e in events)  # all-day
    uids = sorted(str(e["uid"]) for e in events)
    assert uids == sorted(str(e["uid"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT"))
    assert any("DSU Art. 4.7" in str(e["summary"]) for e in events)


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["deadline", "add", "vfb3", "--date", "2016-02-30", "--title", "x"], 2, "not a day of the calendar"),
        (["deadline", "add", "vfb3", "--date", "2016-06", "--title", "x"], 2, "full date"),
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
    from disputes.core.merge import merge_stores

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
