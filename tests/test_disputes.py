"""Adding, finding, listing, changing and ending disputes through the real CLI."""

from __future__ import annotations

import json

import pytest
from conftest import assert_one_error_line


def test_add_then_show_keeps_every_field(cli):
    added = cli.add(
        "Price of Russian gas",
        "--summary",
        "Belarus wants a lower price.",
        "-p",
        "Belarus",
        "-p",
        "Russia",
        "--topic",
        "energy",
        "-t",
        "gas",
        "--priority",
        "high",
        "--opened",
        "2016",
        "--ref",
        "BY-GAS",
        "--source",
        "https://example.org/a",
        "--status",
        "negotiating",
        "--status-detail",
        "not resolved",
    )
    shown = cli.json("show", added["id"])
    for name, value in {
        "title": "Price of Russian gas",
        "summary": "Belarus wants a lower price.",
        "parties": ["Belarus", "Russia"],
        "topic": "energy",
        "tags": ["gas"],
        "priority": "high",
        "opened": "2016",
        "ref": "BY-GAS",
        "sources": ["https://example.org/a"],
        "status": "negotiating",
        "status_detail": "not resolved",
    }.items():
        assert shown[name] == value, name
    assert shown["created"] and shown["updated"]
    assert [h["action"] for h in shown["history"]] == ["add"]
    assert {"events", "relations", "history"} <= shown.keys()


def test_partial_dates_are_kept_as_given(cli):
    assert cli.add("A", "--opened", "2015")["opened"] == "2015"
    assert cli.add("B", "--opened", "2015-06")["opened"] == "2015-06"
    assert cli.add("C", "--opened", "7 June 2016")["opened"] == "2016-06-07"


def test_opened_defaults_to_today(cli):
    import datetime

    assert cli.add("A")["opened"] == datetime.date.today().isoformat()


def test_ids_are_short_unique_and_found_by_prefix_or_reference(cli):
    first = cli.add("First", "--ref", "DS512")
    second = cli.add("Second")
    assert first["id"] != second["id"] and len(first["id"]) == 10
    assert cli.json("show", first["id"][:6])["title"] == "First"
    assert cli.json("show", "ds512")["title"] == "First"
    assert cli.json("show", second["id"].upper())["title"] == "Second"


def test_a_reference_that_begins_another_dispute_s_id_names_its_own_dispute_in_any_case(cli):
    other = cli.add("Other")
    prefix = other["id"][:5]
    cli.add("Referenced", "--ref", prefix.upper())
    assert cli.json("show", prefix)["title"] == "Referenced"  # a reference wins over an id it begins
    assert cli.json("show", other["id"][:6])["title"] == "Other"


def test_ambiguous_prefix_is_refused_with_the_candidates(cli, store_path):
    ids = [cli.add(f"D{n}")["id"] for n in range(40)]
    first_chars = [i[0] for i in ids]
    shared = max(set(first_chars), key=first_chars.count)
    result = cli("show", shared, expect=2)
    assert_one_error_line(result, "matches", "type more of the id")


def test_unknown_id_fails_with_exit_1(cli):
    cli.add("Something")
    result = cli("show", "zzzzzzzz", expect=1)
    assert_one_error_line(result, "no dispute matches 'zzzzzzzz'")


def test_reference_must_be_unique(cli):
    cli.add("First", "--ref", "DS1")
    result = cli("add", "Second", "--ref", "ds1", expect=2)
    assert_one_error_line(result, "already used")


def test_list_shows_unresolved_by_default_and_all_with_flag(cli):
    gas = cli.add("Gas price")
    apples = cli.add("Apples")
    cli("resolve", apples["id"], "--note", "released")
    assert [d["title"] for d in cli.json("list")] == ["Gas price"]
    assert {d["title"] for d in cli.json("list", "--all")} == {"Gas price", "Apples"}
    assert [d["title"] for d in cli.json("list", "--status", "resolved")] == ["Apples"]
    text = cli("list").stdout
    assert "Gas price" in text and "Apples" not in text and gas["id"][:4] in text


def test_list_filters_combine(cli):
    cli.add(
        "Gas",
        "-p",
        "Belarus",
        "-p",
        "Russia",
        "--topic",
        "energy",
        "-t",
        "gas",
        "--priority",
        "high",
        "--opened",
        "2016",
    )
    cli.add("Milk", "-p", "Belarus", "--topic", "trade", "-t", "dairy", "--opened", "2014-06")
    cli.add("Steel", "-p", "United States", "--topic", "trade", "--priority", "low", "--opened", "2002")

    def titles(*args):
        return sorted(d["title"] for d in cli.json("list", *args))

    assert titles("--party", "belarus") == ["Gas", "Milk"]
    assert titles("--topic", "trade") == ["Milk", "Steel"]
    assert titles("--tag", "dairy") == ["Milk"]
    assert titles("--priority", "high", "--priority", "low") == ["Gas", "Steel"]
    assert titles("--search", "STE") == ["Steel"]
    assert titles("--opened-since", "2010") == ["Gas", "Milk"]
    assert titles("--opened-before", "2014") == ["Milk", "Steel"]
    assert titles("--party", "Belarus", "--topic", "trade") == ["Milk"]


def test_list_sorts_and_limits(cli):
    cli.add("B", "--opened", "2016", "--priority", "low")
    cli.add("A", "--opened", "2014", "--priority", "critical")
    cli.add("C", "--opened", "2015", "--priority", "medium")
    assert [d["title"] for d in cli.json("list")] == ["A", "C", "B"]
    assert [d["title"] for d in cli.json("list", "--sort", "opened")] == ["A", "C", "B"]
    assert [d["title"] for d in cli.json("list", "--sort", "title", "--reverse")] == ["C", "B", "A"]
    assert [d["title"] for d in cli.json("list", "--sort", "opened", "--limit", "2")] == ["A", "C"]


def test_references_sort_naturally(cli):
    for ref in ("DS10", "DS2", "DS1"):
        cli.add(f"case {ref}", "--ref", ref)
    assert [d["ref"] for d in cli.json("list", "--sort", "ref")] == ["DS1", "DS2", "DS10"]


def test_empty_list_prints_empty_json_and_a_hint(cli):
    assert cli.json("list") == []
    assert "No disputes match" in cli("list").stdout


def test_edit_changes_fields_and_records_history(cli):
    added = cli.add("Gas", "-p", "Belarus", "-t", "gas")
    cli(
        "edit",
        added["id"],
        "--title",
        "Gas price",
        "--add-party",
        "Russia",
        "--remove-tag",
        "gas",
        "--add-tag",
        "energy",
        "--priority",
        "critical",
        "--note",
        "clarified",
    )
    shown = cli.json("show", added["id"])
    assert shown["title"] == "Gas price"
    assert shown["parties"] == ["Belarus", "Russia"]
    assert shown["tags"] == ["energy"]
    assert shown["priority"] == "critical"
    edit = shown["history"][-1]
    assert edit["action"] == "edit" and edit["note"] == "clarified"
    assert edit["changes"][0]["before"]["title"] == "Gas"
    assert edit["changes"][0]["after"]["title"] == "Gas price"


def test_edit_without_changes_is_refused(cli):
    added = cli.add("Gas")
    assert_one_error_line(cli("edit", added["id"], "--title", "Gas", expect=2), "nothing to change")


def test_removing_a_missing_party_is_refused(cli, store_path):
    added = cli.add("Gas", "-p", "Belarus")
    before = store_path.read_bytes()
    assert_one_error_line(cli("edit", added["id"], "--remove-party", "Poland", expect=2), "no party 'Poland'")
    assert store_path.read_bytes() == before


def test_status_lifecycle_records_dated_notes(cli):
    added = cli.add("Apples", "--opened", "2016")
    cli("status", added["id"], "escalated", "--date", "2016-06-07", "--note", "apples detained")
    cli("resolve", added["id"], "--date", "2016-07", "--note", "released")
    shown = cli.json("show", added["id"])
    assert shown["status"] == "resolved"
    assert [(s["date"], s["status"], s["note"]) for s in shown["status_history"]] == [
        ("2016", "open", ""),
        ("2016-06-07", "escalated", "apples detained"),
        ("2016-07", "resolved", "released"),
    ]
    assert "escalated" in cli("show", added["id"]).stdout


@pytest.mark.parametrize(
    "start, command, expected_status",
    [
        ("open", ["status", "{id}", "open"], "already open"),
        ("resolved", ["close", "{id}"], "reopen it before"),
        ("resolved", ["resolve", "{id}"], "already resolved"),
        ("open", ["reopen", "{id}"], "not ended"),
    ],
)
def test_lifecycle_refuses_impossible_moves(cli, store_path, start, command, expected_status):
    added = cli.add("X", "--status", start)
    before = store_path.read_bytes()
    result = cli(*[part.format(id=added["id"]) for part in command], expect=2)
    assert_one_error_line(result, expected_status)
    assert store_path.read_bytes() == before


def test_close_and_reopen(cli):
    added = cli.add("X")
    cli("close", added["id"], "--note", "moot")
    assert cli.json("show", added["id"])["status"] == "closed"
    cli("reopen", added["id"], "--status", "negotiating", "--note", "talks resumed")
    assert cli.json("show", added["id"])["status"] == "negotiating"


def test_delete_asks_and_yes_skips(cli):
    added = cli.add("Doomed")
    refused = cli("delete", added["id"], expect=2)
    assert_one_error_line(refused, "--yes")
    assert cli.json("show", added["id"])["title"] == "Doomed"
    deleted = cli("delete", added["id"], "--yes")
    assert "Deleted" in deleted.stdout
    assert_one_error_line(cli("show", added["id"], expect=1), "no dispute matches")


def test_seed_loads_three_disputes_once(cli):
    first = cli("seed")
    assert "Added 3" in first.stdout
    assert "Added 0" in cli("seed").stdout
    disputes = cli.json("list")
    assert len(disputes) == 3
    titles = " ".join(d["title"] for d in disputes)
    assert "gas" in titles and "re-exports" in titles and "discriminatory" in titles
    apples = next(d for d in disputes if "re-exports" in d["title"])
    assert any(s["date"] == "2016-06-07" for s in apples["status_history"])
    assert all("Belarus in Focus" in d["sources"][0] for d in disputes)


def test_report_counts_by_status_and_lists_unresolved(cli):
    cli("seed")
    done = cli.add("Old quarrel", "--opened", "2010")
    cli("resolve", done["id"])
    data = cli.json("report")
    assert data["counts"]["resolved"] == 1
    assert data["total"] == 4 and data["unresolved_total"] == 3
    assert sum(data["counts"].values()) == data["total"]
    then = cli.json("report", "--as-of", "2016-06-30", "--party", "Russia")
    assert {row["age_days"] for row in then["unresolved"]} == {181}  # 2016-01-01 .. 2016-06-30
    text = cli("report").stdout
    assert "Unresolved disputes (3)" in text and "resolved" in text


def test_user_text_is_never_markup(cli):
    title = "Gas [price] [/] talks [bold]x[/bold]"
    added = cli.add(title, "-p", "[red]Belarus[/red]")
    assert title in cli("list").stdout
    assert title in cli("show", added["id"]).stdout
    assert "[red]Belarus[/red]" in cli("show", added["id"]).stdout
    assert title in cli("report", env={"COLUMNS": "200"}).stdout


def test_no_colour_codes_when_piped(cli):
    cli("seed")
    for command in (["list"], ["report"], ["show", "vfb3"]):
        assert "\x1b[" not in cli(*command).stdout


def test_every_command_has_help_with_an_example(cli):
    from disputes.cli import app

    names = [c.name or c.callback.__name__ for c in app.registered_commands if not c.hidden]
    assert {"add", "list", "show", "edit", "status", "resolve", "close", "reopen", "delete", "seed", "report"} <= set(
        names
    )
    for name in names:
        text = cli(name, "--help").stdout
        assert "Example:" in text, name


def test_status_help_documents_the_states(cli):
    text = cli("status", "--help").stdout
    for state in ("open", "negotiating", "escalated", "frozen", "resolved", "closed"):
        assert state in text


def test_version(cli):
    from disputes import __version__

    assert cli("--version").stdout.strip() == f"disputes {__version__}"


def test_reading_a_missing_store_is_empty_and_creates_nothing(cli, store_path):
    assert cli.json("list") == []
    assert not store_path.exists()


def test_db_option_wins_over_environment(cli, tmp_path, store_path):
    other = tmp_path / "other.json"
    cli("--db", str(other), "add", "Elsewhere")
    assert other.exists() and not store_path.exists()
    assert json.loads(cli("--db", str(other), "list", "--json").stdout)[0]["title"] == "Elsewhere"


def test_report_as_of_a_past_date_uses_the_status_of_that_day(cli):
    added = cli.add("Apples", "--opened", "2016-01")
    cli("status", added["id"], "escalated", "--date", "2016-06-07")
    cli("resolve", added["id"], "--date", "2017-03")
    cli.add("Later quarrel", "--opened", "2018")
    before = cli.json("report", "--as-of", "2016-05-31")
    assert before["counts"]["open"] == 1 and before["total"] == 1
    during = cli.json("report", "--as-of", "2016-06-30")
    assert during["counts"]["escalated"] == 1 and during["unresolved_total"] == 1
    after = cli.json("report", "--as-of", "2017-12-31")
    assert after["counts"]["resolved"] == 1 and after["unresolved_total"] == 0
    assert cli.json("report")["total"] == 2


def test_the_bare_command_prints_its_help_not_an_error(cli):
    """Regression: `disputes` alone printed the help as an `Error:` line on stderr, exit 2."""
    for args in ([], ["event"]):
        result = cli(*args)
        assert "Usage: disputes" in result.stdout and "Commands:" in result.stdout
        assert result.stderr == ""
