"""Events, relations, the timeline, history and undo through the real CLI."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line


@pytest.fixture
def two(cli):
    gas = cli.add("Gas price", "-p", "Belarus", "-p", "Russia", "--opened", "2016")
    apples = cli.add("Re-exports", "-p", "Belarus", "--opened", "2016")
    return gas["id"], apples["id"]


def test_event_links_to_several_disputes_with_all_fields(cli, two):
    gas, apples = two
    event = cli.json(
        "event",
        "add",
        gas,
        apples,
        "--date",
        "2016-06-07",
        "--title",
        "Third Forum of Regions",
        "--description",
        "No concrete results.",
        "--kind",
        "meeting",
        "--effect",
        "neutral",
        "--actor",
        "Belarus",
        "--actor",
        "Russia",
        "--place",
        "Minsk",
        "--source",
        "article",
    )
    assert event["disputes"] == [gas, apples]
    for name, value in {
        "date": "2016-06-07",
        "kind": "meeting",
        "effect": "neutral",
        "place": "Minsk",
        "actors": ["Belarus", "Russia"],
        "sources": ["article"],
        "score": None,
        "code": "",
    }.items():
        assert event[name] == value, name
    for dispute in two:
        assert [e["title"] for e in cli.json("show", dispute)["events"]] == ["Third Forum of Regions"]


def test_partial_dates_sort_before_the_days_they_contain(cli, two):
    gas, _ = two
    for date in ("2015-06-01", "2015", "2015-06", "2014-12-31"):
        cli("event", "add", gas, "--date", date, "--title", f"on {date}")
    assert [e["date"] for e in cli.json("event", "list")] == ["2014-12-31", "2015", "2015-06", "2015-06-01"]


def test_cameo_code_sets_score_effect_and_shows_its_name(cli, two):
    gas, _ = two
    event = cli.json("event", "add", gas, "--date", "2016", "--title", "Sanctions", "--code", "172")
    assert (event["code"], event["score"], event["effect"]) == ("172", -5.0, "escalating")
    assert "Impose administrative sanctions" in cli("event", "show", event["id"]).stdout
    statement = cli.json("event", "add", gas, "--date", "2016", "--title", "Said", "--code", "010")
    assert statement["code"] == "010" and statement["score"] == 0.0
    demand = cli.json("event", "add", gas, "--date", "2016", "--title", "Demanded", "--code", "10")
    assert demand["code"] == "10" and demand["score"] == -5.0  # "10" is DEMAND, not "010" Make statement
    own_score = cli.json("event", "add", gas, "--date", "2016", "--title", "Own", "--code", "172", "--score", "-2")
    assert own_score["score"] == -2.0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--code", "1"], "leading zeros"),
        (["--code", "999"], "unknown CAMEO code '999'"),
        (["--score", "11"], "outside -10..10"),
        (["--score", "-10.5"], "outside -10..10"),
        (["--score", "nan"], "outside -10..10"),
        (["--kind", "party"], "unknown kind"),
        (["--effect", "worse"], "unknown effect"),
    ],
)
def test_bad_event_values_are_refused_and_change_nothing(cli, two, store_path, args, words):
    before = store_path.read_bytes()
    result = cli("event", "add", two[0], "--date", "2016", "--title", "x", *args, expect=2)
    assert_one_error_line(result, words)
    assert store_path.read_bytes() == before


def test_event_errors_for_dates_and_unknown_disputes(cli, two, store_path):
    before = store_path.read_bytes()
    assert_one_error_line(cli("event", "add", two[0], "--date", "2016-02-30", "--title", "x", expect=2), "not a day")
    assert_one_error_line(cli("event", "add", "zzzz", "--date", "2016", "--title", "x", expect=1), "no dispute matches")
    assert_one_error_line(cli("event", "show", "zzzz", expect=1), "no event matches")
    assert store_path.read_bytes() == before


def test_event_list_filters(cli, two):
    gas, apples = two
    cli("event", "add", gas, "--date", "2014-06-10", "--title", "Forum", "--kind", "meeting")
    cli("event", "add", apples, "--date", "2016-06-07", "--title", "Apples", "--kind", "measure", "--score", "-7")
    cli("event", "add", gas, apples, "--date", "2016-06-07", "--title", "Forum 3", "--kind", "meeting")

    def titles(*args):
        return [e["title"] for e in cli.json("event", "list", *args)]

    assert titles("--dispute", apples) == ["Apples", "Forum 3"]
    assert titles("--since", "2016") == ["Apples", "Forum 3"]
    assert titles("--until", "2015") == ["Forum"]
    assert titles("--kind", "measure") == ["Apples"]
    assert titles("--effect", "escalating") == ["Apples"]
    assert titles("--limit", "1") == ["Forum 3"]
    assert "Forum 3" in cli("event", "list").stdout


def test_event_edit_link_unlink_delete(cli, two):
    gas, apples = two
    event = cli.json("event", "add", gas, "--date", "2016", "--title", "Talks")
    cli("event", "edit", event["id"], "--title", "Gas talks", "--effect", "de-escalating", "--score", "4")
    cli("event", "link", event["id"], apples)
    shown = cli.json("event", "show", event["id"])
    assert (shown["title"], shown["effect"], shown["score"], shown["disputes"]) == (
        "Gas talks",
        "de-escalating",
        4.0,
        [gas, apples],
    )
    cli("event", "unlink", event["id"], gas)
    assert cli.json("event", "show", event["id"])["disputes"] == [apples]
    assert_one_error_line(cli("event", "unlink", event["id"], apples, expect=2), "delete it instead")
    assert_one_error_line(cli("event", "delete", event["id"], expect=2), "--yes")
    cli("event", "delete", event["id"], "--yes")
    assert cli.json("event", "list") == []


def test_relations_show_from_both_sides(cli, two):
    gas, apples = two
    cli("link", gas, apples, "--as", "blocks")
    assert [(r["reads"], r["id"]) for r in cli.json("show", gas)["relations"]] == [("blocks", apples)]
    assert [(r["reads"], r["id"]) for r in cli.json("show", apples)["relations"]] == [("blocked by", gas)]
    assert "blocked by" in cli("show", apples).stdout
    assert_one_error_line(cli("link", gas, apples, "--as", "blocks", expect=2), "already")
    assert_one_error_line(cli("link", gas, gas, expect=2), "itself")
    assert_one_error_line(cli("link", gas, apples, "--as", "hates", expect=2), "unknown relation")
    cli("unlink", apples, gas)
    assert cli.json("show", gas)["relations"] == []


def test_relates_is_one_link_whichever_way_it_is_typed(cli, two):
    gas, apples = two
    cli("link", gas, apples)
    assert_one_error_line(cli("link", apples, gas, expect=2), "already")


def test_every_change_is_in_the_history_with_before_and_after(cli, two):
    gas, apples = two
    cli("edit", gas, "--priority", "high", "--note", "more urgent")
    cli("status", gas, "escalated", "--note", "talks failed")
    cli("event", "add", gas, "--date", "2016", "--title", "Talks")
    cli("link", gas, apples)
    actions = [e["action"] for e in cli.json("history", gas)]
    assert actions == ["add", "edit", "status", "event add", "link"]
    edit = cli.json("history", gas)[1]
    assert edit["note"] == "more urgent"
    assert (edit["changes"][0]["before"]["priority"], edit["changes"][0]["after"]["priority"]) == ("medium", "high")
    text = cli("history").stdout
    assert text.index("link") < text.index("status")  # newest first


def test_undo_reverts_one_command_at_a_time(cli, two):
    gas, _ = two
    cli("status", gas, "escalated")
    cli("edit", gas, "--title", "Renamed")
    assert "Undid edit" in cli("undo").stdout
    assert cli.json("show", gas)["title"] == "Gas price"
    assert cli.json("show", gas)["status"] == "escalated"
    cli("undo")
    shown = cli.json("show", gas)
    assert shown["status"] == "open" and [s["status"] for s in shown["status_history"]] == ["open"]
    assert "(undone)" in cli("history").stdout


def test_undo_brings_back_a_cascaded_delete_whole(cli, two):
    gas, apples = two
    own = cli.json("event", "add", gas, "--date", "2016", "--title", "Own event")
    shared = cli.json("event", "add", gas, apples, "--date", "2016", "--title", "Shared event")
    cli("link", gas, apples)
    assert_one_error_line(cli("delete", gas, "--yes", expect=2), "--cascade")
    cli("delete", gas, "--yes", "--cascade")
    assert [e["title"] for e in cli.json("event", "list")] == ["Shared event"]
    assert cli.json("event", "show", shared["id"])["disputes"] == [apples]
    assert cli.json("show", apples)["relations"] == []
    cli("undo")
    assert cli.json("show", gas)["title"] == "Gas price"
    assert cli.json("event", "show", own["id"])["disputes"] == [gas]
    assert cli.json("event", "show", shared["id"])["disputes"] == [gas, apples]
    assert len(cli.json("show", apples)["relations"]) == 1


def test_undo_with_nothing_left_fails_clearly(cli):
    assert_one_error_line(cli("undo", expect=1), "nothing to undo")
    cli.add("Only")
    cli("undo")
    assert cli.json("list") == []
    assert_one_error_line(cli("undo", expect=1), "nothing to undo")


def test_seed_tells_the_story_as_a_timeline(cli):
    cli("seed")
    events = cli.json("timeline")
    dates = [e["date"] for e in events]
    assert dates == sorted(dates) and {"2014-06-10", "2015", "2016-06-07", "2014"} <= set(dates)
    third_forum = next(e for e in events if e["title"].startswith("Third Forum"))
    assert len(third_forum["disputes"]) == 3
    apples = next(e for e in events if "apples" in e["title"])
    assert apples["effect"] == "escalating" and apples["code"] == "171"
    assert any("Inter-Parliamentary" in e["title"] for e in events)
    assert any("30" in e["title"] for e in events)
    text = cli("timeline", env={"COLUMNS": "160"}).stdout
    assert text.index("2014") < text.index("June") < text.index("2015") < text.index("2016")
    assert "Russian customs detain a large shipment of Polish apples" in text
    assert "Added 0 disputes, 0 events" in cli("seed").stdout


def test_a_user_can_record_the_seed_story_by_hand(cli):
    gas = cli.add("Price of Russian gas", "-p", "Belarus", "-p", "Russia", "--topic", "energy", "--opened", "2016")[
        "id"
    ]
    reexports = cli.add("Re-exports under counter-sanctions", "-p", "Belarus", "-p", "Russia", "--opened", "2016")["id"]
    claims = cli.add("Claims of discrimination", "-p", "Belarus", "--opened", "2016")["id"]
    cli(
        "event",
        "add",
        gas,
        reexports,
        claims,
        "--date",
        "2016-06-07",
        "--title",
        "Third Forum of Regions",
        "--kind",
        "meeting",
        "--place",
        "Minsk",
    )
    cli(
        "event",
        "add",
        reexports,
        "--date",
        "2016-06-07",
        "--title",
        "Polish apples detained",
        "--kind",
        "measure",
        "--code",
        "171",
    )
    cli("status", reexports, "escalated", "--date", "2016-06-07", "--note", "apples detained")
    cli("link", reexports, claims)
    story = cli.json("show", reexports)
    assert sorted(e["title"] for e in story["events"]) == ["Polish apples detained", "Third Forum of Regions"]
    assert story["status"] == "escalated" and len(story["relations"]) == 1
