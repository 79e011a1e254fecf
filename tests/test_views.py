"""Portfolios inside a big register: one filter language on every command, saved views,
the view in use; checked on the seed plus the real WTO list plus a tagged portfolio."""

from __future__ import annotations

import json

import pytest
from conftest import WTO_ARGS, assert_one_error_line, on_terminal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core.model import PRIORITIES

PORTFOLIO = ("fr45", "vfb3", "DS512")


@pytest.fixture
def desk(cli):
    """The seed, the WTO list (not monitored: reference data), and a portfolio tagged "desk":
    two seed disputes and DS512, each with a deadline, one WTO case with another."""
    cli("seed")
    cli(*WTO_ARGS, "--set", "monitored=no")
    for dispute in PORTFOLIO:
        cli("edit", dispute, "--add-tag", "desk")
        cli("deadline", "add", dispute, "--date", "2016-07-15", "--title", f"brief on {dispute}")
    cli("deadline", "add", "DS1", "--date", "2016-07-10", "--title", "not ours")
    cli("event", "add", "DS1", "DS512", "--date", "2016-06-20", "--title", "shared with a case outside")
    cli("view", "save", "desk", "--tag", "desk")
    ids = {d["id"] for d in cli.json("list", "--all", "--tag", "desk")}
    assert len(ids) == 3
    cli.portfolio = ids
    return cli


def _every_command_sees(cli, *scope) -> dict[str, set[str]]:
    """The disputes each command's JSON names, with `scope` (e.g. --view desk) given."""
    seen = {
        "list": {d["id"] for d in cli.json("list", "--all", *scope)},
        "report": {r["id"] for r in cli.json("report", "--as-of", "2016-06-30", *scope)["unresolved"]},
        "agenda": {i["dispute"] for i in cli.json("agenda", "--as-of", "2016-07-01", "--within", "30", *scope)},
        "chart": {d["id"] for d in cli.json("chart", "--as-of", "2016-06-30", *scope)["disputes"]},
        "deadline list": {d["dispute"] for d in cli.json("deadline", "list", *scope)},
    }
    digest = cli.json("digest", "--month", "2016-06", *scope)
    seen["digest"] = {e["id"] for name in ("deteriorated", "improved", "unchanged") for e in digest[name]}
    for command in (["timeline"], ["event", "list"]):
        events = json.loads(cli(*command, "--json", *scope).stdout)
        seen[" ".join(command)] = {d for e in events for d in e["disputes"] if d in cli.portfolio} | (
            {"outside"} if any(not set(e["disputes"]) & cli.portfolio for e in events) else set()
        )
    exported = json.loads(cli("export", *scope).stdout)
    seen["export"] = {d["id"] for d in exported["disputes"]}
    seen["export events"] = {d for e in exported["events"] for d in e["disputes"]}
    seen["export deadlines"] = {d["dispute"] for d in exported["deadlines"]}
    return seen


def test_every_command_with_the_view_shows_only_the_portfolio(desk):
    for command, ids in _every_command_sees(desk, "--view", "desk").items():
        assert ids and ids <= desk.portfolio, command
    assert len(desk.json("list", "--all")) == 541  # and without it, everything


def test_the_view_in_use_scopes_every_command_until_none(desk):
    assert "Working in view desk" in desk("view", "use", "desk").stdout
    for command, ids in _every_command_sees(desk).items():
        assert ids and ids <= desk.portfolio, command
    assert len(desk.json("list", "--all", "--all-disputes")) == 541
    assert desk.json("report")["chosen"] == "view desk (tag desk)"
    desk("view", "use", "--none")
    assert len(desk.json("list", "--all")) == 541


def test_the_headers_say_which_view_is_in_force(desk, store_path, tmp_path):
    desk("view", "use", "desk")
    env = {"DISPUTES_DB": str(store_path)}
    assert "Disputes: view desk (tag desk)" in on_terminal("report", env=env, width=80)
    assert "Disputes: view desk (tag desk)" in on_terminal("list", env=env, width=80)
    assert "Disputes: view desk (tag desk)" in on_terminal("agenda", env=env, width=80)
    assert "Disputes: view desk" in desk("report", "--format", "md").stdout
    page = tmp_path / "r.html"
    desk("report", "--format", "html", "--output", str(page))
    assert "Disputes: view desk (tag desk)" in page.read_text()
    assert "Disputes: view desk" in desk("digest", "--month", "2016-06", "--format", "md").stdout
    assert desk("list").stdout.splitlines()[0].startswith("ID")  # a pipe gets the rows alone


def test_a_filtered_export_holds_the_chosen_disputes_and_exactly_what_belongs_to_them(desk, tmp_path):
    exported = tmp_path / "desk.json"
    desk("export", "--view", "desk", "--output", str(exported))
    data = json.loads(exported.read_text())
    assert {d["id"] for d in data["disputes"]} == desk.portfolio
    shared = next(e for e in data["events"] if e["title"] == "shared with a case outside")
    assert set(shared["disputes"]) <= desk.portfolio  # the case outside is not named
    assert not data["history"] and data["complete"]["disputes"] == 3
    copy = tmp_path / "copy.json"
    desk("--db", str(copy), "import", str(exported))
    assert {d["ref"] for d in desk.json("--db", str(copy), "list", "--all")} >= {"DS512"}
    assert len(desk.json("--db", str(copy), "deadline", "list")) == 3
    assert [v["name"] for v in desk.json("--db", str(copy), "view", "list")] == ["desk"]  # views travel too
    csv_text = desk("export", "--format", "csv", "--tag", "desk").stdout
    assert len(csv_text.strip().splitlines()) == 4


def test_views_are_shared_records_listed_shown_and_deleted(desk):
    assert desk.json("view", "list") == [{"name": "desk", "filters": {"tag": ["desk"]}}]
    shown = desk.json("view", "show", "desk")
    assert set(shown["disputes"]) == desk.portfolio
    saved = desk("view", "save", "ru", "--respondent", "Russia", "--party", "Narnia")
    assert "no dispute names the party 'Narnia' yet" in saved.stderr
    assert [v["name"] for v in desk.json("view", "list")] == ["desk", "ru"]
    desk("view", "use", "ru")
    desk("view", "delete", "ru")
    assert len(desk.json("list", "--all")) == 541  # deleting the view in use stops using it
    desk("undo")
    assert [v["name"] for v in desk.json("view", "list")] == ["desk", "ru"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["list", "--view", "nope"], "no view 'nope'"),
        (["view", "use", "nope"], "no view 'nope'"),
        (["view", "save", "empty"], "at least one filter"),
        (["view", "save", "bad name", "--tag", "x"], "a view's name"),
        (["view", "save", "x", "--status", "sleeping"], "unknown status"),
        (["report", "--priority", "urgent"], "unknown priority"),
        (["agenda", "--opened-since", "2016-13"], "impossible month"),
        (["timeline", "--dispute", "nosuch"], "no dispute matches"),
        (["view", "use"], "name a view"),
        (["list", "--party", " "], "--party needs a value"),
        (["export", "--tag", ""], "--tag needs a value"),
    ],
)
def test_bad_filters_and_views_are_refused_in_one_line(cli, store_path, args, words):
    cli("seed")
    before = store_path.read_bytes()
    assert_one_error_line(cli(*args, expect=2), words)
    assert store_path.read_bytes() == before


def test_a_view_in_use_that_a_teammate_deleted_says_how_to_go_on(cli, store_path):
    cli("seed")
    cli("view", "save", "gone", "--tag", "x")
    cli("view", "use", "gone")
    store_path.with_name(store_path.name + ".view").write_text("other\n")  # as if deleted elsewhere
    assert_one_error_line(cli("list", expect=2), "no longer exists", "view use --none")
    assert len(cli.json("list", "--all-disputes")) == 3


def test_timeline_takes_several_disputes(cli):
    cli("seed")
    both = {
        d
        for e in json.loads(cli("timeline", "--json", "--dispute", "fr45", "--dispute", "vfb3").stdout)
        for d in e["disputes"]
    }
    assert {"fr45z4r7dr", "vfb3nbqd37"} <= both


def test_a_stale_wto_register_does_not_fill_the_agenda(desk):
    due = desk.json("agenda")
    assert not [
        item for item in due if item["kind"] == "stale" and item["dispute"] not in desk.portfolio | {"3zp0pdgwa5"}
    ]


# Filters compose like set operations: the same option repeated is a union, different options an intersection.
VALUES = {
    "--party": ["Belarus", "Russia", "RUS", "Gazprom", "Ukraine"],
    "--tag": ["food", "energy", "desk", "wto"],
    "--topic": ["energy", "trade", "sanctions"],
    "--priority": list(PRIORITIES),
    "--status": ["open", "escalated", "negotiating", "resolved"],
    "--search": ["gas", "Russia", "belarus"],
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A register with the seed and a few disputes of every kind, built once for the property."""
    from conftest import Cli

    path = tmp_path_factory.mktemp("small") / "store.json"
    cli = Cli()
    run = lambda *a: cli("--db", str(path), *a)  # noqa: E731
    run("seed")
    run(
        "add",
        "Transit",
        "--respondent",
        "Russia",
        "--complainant",
        "Ukraine",
        "--topic",
        "trade",
        "--tag",
        "wto",
        "--priority",
        "low",
    )
    run(
        "add",
        "Milk",
        "-p",
        "Belarus",
        "-t",
        "food",
        "--topic",
        "trade",
        "--status",
        "escalated",
        "--priority",
        "critical",
    )
    run("add", "Oil", "-p", "Belarus", "-p", "Russia", "-t", "energy", "--topic", "energy", "--status", "resolved")
    return cli, path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_filters_compose_like_set_operations(small, data):
    cli, path = small

    def chosen(*args):
        return {d["id"] for d in cli.json("--db", str(path), "list", "--all", *args)}

    first, second = data.draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=2, max_size=2, unique=True))
    a1, a2 = data.draw(st.lists(st.sampled_from(VALUES[first]), min_size=2, max_size=2, unique=True))
    b = data.draw(st.sampled_from(VALUES[second]))
    assert chosen(first, a1, first, a2) == chosen(first, a1) | chosen(first, a2)
    assert chosen(first, a1, second, b) == chosen(first, a1) & chosen(second, b)
    assert chosen(first, a1, first, a2, second, b) == (chosen(first, a1) | chosen(first, a2)) & chosen(second, b)
