"""Issue 45: portfolios a team works in -- one change for many disputes (`--match`, `--view`),
owners, and text that wraps at words."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, assert_one_error_line, git, later
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.store.migrations import SCHEMA

RUSSIA = ["3zp0pdgwa5", "fr45z4r7dr", "vfb3nbqd37"]  # the seed's disputes with Russia as a party


@pytest.fixture
def seed(cli):
    cli("seed")


def tags_of(cli) -> dict[str, list[str]]:
    return {d["id"]: d["tags"] for d in cli.json("list", "--all")}


def test_tagging_a_portfolio_took_one_edit_per_dispute(cli, seed):
    said = cli("edit", "--match", "party=Russia", "--add-tag", "desk", "--yes").stdout
    assert said.splitlines()[0] == "Changed 3 disputes (add tag desk):"
    assert all("desk" in tags for tags in tags_of(cli).values())
    [entry] = [e for e in cli.json("history") if e["action"] == "edit"]
    assert all(key in entry["summary"] for key in RUSSIA)  # one entry, naming the disputes
    assert sorted(change["id"] for change in entry["changes"]) == RUSSIA
    cli("undo")  # the whole change is one undo step
    assert not any("desk" in tags for tags in tags_of(cli).values())


def test_match_repeats_a_field_as_or_and_different_fields_as_and(cli, seed):
    either = cli.json("edit", "--match", "dispute=vfb3", "--match", "dispute=fr45", "--priority", "low", "--yes")
    assert sorted(d["id"] for d in either) == ["fr45z4r7dr", "vfb3nbqd37"]
    both = cli.json(
        "edit", "--match", "party=Gazprom", "--match", "status=negotiating", "--add-tag", "pipeline", "--yes"
    )
    assert [d["id"] for d in both] == ["vfb3nbqd37"]


def test_a_change_of_many_without_yes_and_no_terminal_to_ask_changes_nothing(cli, seed, store_path):
    before = store_path.read_bytes()
    refused = cli("close", "--match", "party=Russia", expect=2)
    assert_one_error_line(refused, "not changing 3 disputes (party Russia) without --yes")
    assert store_path.read_bytes() == before


def test_the_view_in_use_alone_never_chooses_disputes_for_a_change(cli, seed, store_path):
    cli("view", "save", "gas", "--party", "Gazprom")
    cli("view", "use", "gas")
    before = store_path.read_bytes()
    refused = cli("edit", "--add-tag", "desk", "--yes", expect=2)
    assert_one_error_line(refused, "give a dispute", "--match FIELD=VALUE or --view NAME")
    assert store_path.read_bytes() == before
    chosen = cli.json("edit", "--view", "gas", "--add-tag", "desk", "--yes")  # named: it chooses
    assert [d["id"] for d in chosen] == ["vfb3nbqd37"]


def test_a_dispute_and_a_selection_together_are_refused(cli, seed):
    refused = cli("edit", "vfb3", "--match", "tag=wto", "--priority", "low", expect=2)
    assert_one_error_line(refused, "not both")


def test_a_match_naming_no_field_is_refused_with_the_fields(cli, seed):
    assert_one_error_line(cli("edit", "--match", "owner-ish=x", "--priority", "low", expect=2), "fields: dispute")
    assert_one_error_line(cli("edit", "--match", "Russia", "--priority", "low", expect=2), "FIELD=VALUE")


def test_a_selection_that_chooses_nothing_says_so_and_changes_nothing(cli, seed):
    assert_one_error_line(cli("review", "--match", "tag=nowhere", "--yes", expect=1), "no dispute matches tag nowhere")


def test_a_step_the_lifecycle_refuses_for_one_dispute_changes_none(cli, seed):
    cli("close", "vfb3")
    refused = cli("resolve", "--match", "party=Russia", "--yes", expect=2)
    assert_one_error_line(refused, "dispute vfb3nbqd37", "nothing was changed")
    assert {d["id"]: d["status"] for d in cli.json("list", "--all")} == {
        "3zp0pdgwa5": "open",
        "fr45z4r7dr": "escalated",
        "vfb3nbqd37": "closed",
    }


def test_status_of_many_passes_over_those_already_there_and_is_one_undo_step(cli, seed):
    moved = cli.json("status", "--match", "party=Russia", "escalated", "--note", "talks broke", "--yes")
    assert sorted(d["id"] for d in moved) == ["3zp0pdgwa5", "vfb3nbqd37"]  # fr45 was escalated already
    assert {d["status"] for d in cli.json("list", "--all")} == {"escalated"}
    cli("undo")
    assert {d["id"]: d["status"] for d in cli.json("list", "--all")}["vfb3nbqd37"] == "negotiating"


def test_a_bulk_removal_passes_over_the_disputes_without_the_tag(cli, seed):
    cli("edit", "3zp0", "--add-tag", "gas")
    changed = cli.json("edit", "--match", "party=Russia", "--remove-tag", "gas", "--yes")
    assert sorted(d["id"] for d in changed) == ["3zp0pdgwa5", "vfb3nbqd37"]


def test_review_of_a_view_records_each_dispute_reviewed(cli, seed):
    cli("view", "save", "belarus", "--party", "Belarus")
    reviewed = cli.json("review", "--view", "belarus", "--date", "2024-05-01", "--yes")
    assert {d["last_review"] for d in reviewed} == {"2024-05-01"}


def test_a_reference_is_not_given_to_many_disputes(cli, seed):
    assert_one_error_line(cli("edit", "--match", "party=Russia", "--ref", "DS1", "--yes", expect=2), "one dispute")


# ---- two clones merging -----------------------------------------------------------------


@pytest.fixture
def origin(tmp_path, monkeypatch) -> Path:
    for variable in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "DISPUTES_AUTHOR"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    path = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


def clone(origin: Path, folder: Path, analyst: str) -> str:
    subprocess.run(["git", "clone", "-q", str(origin), str(folder)], check=True, capture_output=True)
    git(folder, "config", "user.name", analyst)
    return str(folder / "disputes.json")


@pytest.mark.slow
@NEEDS_GIT
def test_a_bulk_change_merges_with_a_teammates_edit_record_by_record(cli, origin, tmp_path, monkeypatch):
    anna = clone(origin, tmp_path / "anna", "Anna")
    cli("--db", anna, "seed")
    cli("--db", anna, "sync")
    boris = clone(origin, tmp_path / "boris", "Boris")
    cli("--db", anna, "edit", "--match", "party=Russia", "--add-tag", "desk", "--yes")
    cli("--db", anna, "sync")
    later(monkeypatch)
    cli("--db", boris, "edit", "vfb3", "--add-tag", "pipeline", "--priority", "critical")
    cli("--db", boris, "sync")
    merged = {d["id"]: d for d in cli.json("--db", boris, "list", "--all")}
    assert all("desk" in d["tags"] for d in merged.values())
    assert set(merged["vfb3nbqd37"]["tags"]) >= {"desk", "pipeline"}
    assert merged["vfb3nbqd37"]["priority"] == "critical"


# ---- owners -----------------------------------------------------------------------------


def test_no_dispute_had_an_owner_and_list_could_not_say_whose(cli, seed, monkeypatch):
    monkeypatch.setenv("DISPUTES_AUTHOR", "Anna")
    added = cli.add("Potash transit", "-p", "Lithuania", "--owner", "Boris")
    assert added["owner"] == "Boris"
    cli("edit", "--match", "party=Russia", "--owner", "Anna", "--yes")  # in bulk too
    mine = cli.json("list", "--mine")
    assert sorted(d["id"] for d in mine) == RUSSIA
    assert [d["id"] for d in cli.json("list", "--owner", "boris")] == [added["id"]]
    assert [d["id"] for d in cli.json("list", "--owner", "Anna", "--status", "open")] == ["3zp0pdgwa5"]
    assert {d["id"] for d in cli.json("edit", "--match", "owner=Boris", "--add-tag", "potash", "--yes")} == {
        added["id"]
    }


def test_the_owner_is_shown_in_the_listing_show_the_report_and_exports(cli, seed):
    cli("edit", "vfb3", "--owner", "Anna Petrova")
    listing = cli("list").stdout
    assert listing.splitlines()[0].split()[-1] == "OWNER" and "Anna Petrova" in listing
    assert "Anna Petrova" in cli("show", "vfb3").stdout
    assert "- **Owner:** Anna Petrova" in cli("show", "vfb3", "--format", "md").stdout
    assert "(owner: Anna Petrova)" in cli("report", "--as-of", "2018-02-28").stdout
    [row] = [r for r in cli.json("report", "--as-of", "2018-02-28")["unresolved"] if r["id"] == "vfb3nbqd37"]
    assert row["owner"] == "Anna Petrova"
    assert "owner" in cli("export", "--format", "csv").stdout.splitlines()[0]
    page = cli("report", "--as-of", "2018-02-28", "--format", "html").stdout
    assert "owner Anna Petrova" in page  # the briefing's brief of it says whose it is


def test_a_listing_without_owners_has_no_empty_owner_column(cli, seed):
    assert "OWNER" not in cli("list").stdout


def test_an_owner_survives_export_and_import_and_undo(cli, seed, tmp_path):
    cli("edit", "vfb3", "--owner", "Anna")
    exported = tmp_path / "out.json"
    cli("export", "--format", "json", "--output", str(exported))
    other = tmp_path / "other.json"
    cli("--db", str(other), "import", str(exported))
    assert cli.json("--db", str(other), "show", "vfb3")["owner"] == "Anna"
    cli("undo")
    assert cli.json("show", "vfb3")["owner"] == ""
    assert "Problem" not in cli("--db", str(other), "doctor").stdout


def test_an_owner_of_two_lines_is_refused(cli, seed, store_path):
    before = store_path.read_bytes()
    assert_one_error_line(cli("edit", "vfb3", "--owner", "Anna\nBoris", expect=2), "owner")
    assert store_path.read_bytes() == before


# ---- comments ---------------------------------------------------------------------------


def test_analysts_had_no_comments_to_leave_one_another(cli, seed, monkeypatch):
    monkeypatch.setenv("DISPUTES_AUTHOR", "Anna")
    first = cli.json("comment", "vfb3", "The April talks moved to Minsk", "--date", "2024-04-02")
    later(monkeypatch)
    monkeypatch.setenv("DISPUTES_AUTHOR", "Boris")
    second = cli.json("comment", "add", "vfb3", "Gazprom says no", "--date", "2024-04-03")
    assert (first["author"], first["date"], first["dispute"]) == ("Anna", "2024-04-02", "vfb3nbqd37")
    shown = cli.json("show", "vfb3")
    assert [c["id"] for c in shown["comments"]] == [second["id"], first["id"]]  # newest first
    terminal = cli("show", "vfb3").stdout
    assert terminal.index("Gazprom says no") < terminal.index("The April talks moved to Minsk")
    assert "Comments (2, newest first)" in terminal
    markdown = cli("show", "vfb3", "--format", "md").stdout
    assert "## Comments" in markdown and "- **2024-04-03** Boris: Gazprom says no" in markdown
    history = cli.json("history", "vfb3")
    assert {e["note"] for e in history if e["action"] == "comment"} == {
        "Gazprom says no",
        "The April talks moved to Minsk",
    }


def test_only_its_author_deletes_a_comment_and_undo_brings_it_back(cli, seed, monkeypatch, store_path):
    monkeypatch.setenv("DISPUTES_AUTHOR", "Anna")
    made = cli.json("comment", "vfb3", "Mine")
    monkeypatch.setenv("DISPUTES_AUTHOR", "Boris")
    before = store_path.read_bytes()
    refused = cli("comment", "delete", made["id"][:6], expect=2)
    assert_one_error_line(refused, f"comment {made['id']} is Anna's", "only its author")
    assert store_path.read_bytes() == before
    monkeypatch.setenv("DISPUTES_AUTHOR", "Anna")
    cli("comment", "delete", made["id"][:6])
    assert cli.json("comment", "list") == []
    cli("undo")
    assert [c["id"] for c in cli.json("comment", "list", "vfb3")] == [made["id"]]


def test_comments_go_with_their_dispute_and_come_back_with_undo(cli, seed):
    cli("comment", "3zp0", "Market access talks")
    cli("delete", "3zp0", "--yes", "--cascade")
    assert cli.json("comment", "list") == []
    assert "Problem" not in cli("doctor").stdout
    cli("undo")
    assert [c["text"] for c in cli.json("comment", "list")] == ["Market access talks"]


def test_comments_survive_export_and_import_and_the_library_reads_them(cli, seed, tmp_path):
    cli("comment", "vfb3", "Round trip", "--date", "2024-01-02")
    exported = tmp_path / "out.json"
    cli("export", "--format", "json", "--output", str(exported))
    assert json.loads(exported.read_text())["comments"][0]["text"] == "Round trip"
    other = tmp_path / "other.json"
    cli("--db", str(other), "import", str(exported))
    [back] = cli.json("--db", str(other), "comment", "list")
    assert (back["text"], back["date"], back["dispute"]) == ("Round trip", "2024-01-02", "vfb3nbqd37")

    import disputes

    register = disputes.open(other)
    made = register.comment("vfb3", "From a notebook")
    assert made["text"] == "From a notebook"
    assert sorted(register.frame("comments")["text"]) == ["From a notebook", "Round trip"]


def test_an_empty_comment_and_a_comment_on_no_dispute_are_refused(cli, seed, store_path):
    before = store_path.read_bytes()
    assert_one_error_line(cli("comment", "vfb3", "  ", expect=2), "a comment needs its text")
    assert_one_error_line(cli("comment", "nosuch", "text", expect=1), "nosuch")
    assert store_path.read_bytes() == before


def test_doctor_names_a_damaged_comment(cli, seed, store_path):
    made = cli.json("comment", "vfb3", "fine")
    data = json.loads(store_path.read_bytes())
    data["comments"][made["id"]]["text"] = 5
    store_path.write_text(json.dumps(data, indent=1))
    assert f"comment {made['id']}" in json.loads(cli("doctor", "--json", expect=None).stdout)["problems"][0]


def test_a_schema_12_store_opens_with_an_empty_comments_table(cli, seed, store_path):
    data = json.loads(store_path.read_bytes())
    del data["comments"]
    data["_meta"]["schema"] = 12
    store_path.write_text(json.dumps(data, indent=1))
    assert cli.json("comment", "list") == []
    cli("comment", "vfb3", "after the upgrade")
    assert json.loads(store_path.read_bytes())["_meta"]["schema"] == SCHEMA


@pytest.mark.slow
@NEEDS_GIT
def test_two_analysts_comments_merge_record_by_record(cli, origin, tmp_path, monkeypatch):
    anna = clone(origin, tmp_path / "anna", "Anna")
    cli("--db", anna, "seed")
    cli("--db", anna, "sync")
    boris = clone(origin, tmp_path / "boris", "Boris")
    cli("--db", anna, "comment", "vfb3", "Anna's note")
    cli("--db", anna, "sync")
    cli("--db", boris, "comment", "vfb3", "Boris's note")
    cli("--db", boris, "sync")
    merged = cli.json("--db", boris, "comment", "list", "vfb3")
    assert sorted((c["author"], c["text"]) for c in merged) == [("Anna", "Anna's note"), ("Boris", "Boris's note")]


# ---- views that combine -----------------------------------------------------------------


def test_either_of_two_portfolios_could_not_be_said(cli, seed):
    cli("view", "save", "gas", "--party", "Gazprom")
    cli("view", "save", "market", "--search", "market")
    cli("view", "save", "desk", "gas", "market", "--any-of")
    shown = cli.json("view", "show", "desk")
    assert sorted(shown["disputes"]) == ["3zp0pdgwa5", "vfb3nbqd37"]
    assert shown["why"] == {"3zp0pdgwa5": ["view market"], "vfb3nbqd37": ["view gas"]}
    assert sorted(d["id"] for d in cli.json("list", "--view", "desk")) == ["3zp0pdgwa5", "vfb3nbqd37"]
    cli("view", "save", "both", "desk", "gas", "--all-of")
    assert cli.json("view", "show", "both")["disputes"] == ["vfb3nbqd37"]


def test_a_dispute_could_not_be_put_into_a_portfolio_by_hand(cli, seed):
    cli("view", "save", "gas", "--party", "Gazprom")
    added = cli.json("view", "add", "gas", "fr45", "3zp0")
    assert added["members"] == ["fr45z4r7dr", "3zp0pdgwa5"]
    shown = cli.json("view", "show", "gas")
    assert shown["why"]["fr45z4r7dr"] == ["member"] and shown["why"]["vfb3nbqd37"] == ["filters party Gazprom"]
    assert "fr45  Belarusian re-exports" in cli("view", "show", "gas").stdout
    cli("view", "remove", "gas", "fr45")
    assert sorted(cli.json("view", "show", "gas")["disputes"]) == ["3zp0pdgwa5", "vfb3nbqd37"]
    made = cli.json("view", "add", "picked", "vfb3")  # a view of members alone
    assert made["members"] == ["vfb3nbqd37"] and made["filters"] == {}
    assert_one_error_line(cli("view", "remove", "picked", "vfb3", expect=2), "left holding nothing", "view delete")
    cli("undo")
    assert "picked" not in {v["name"] for v in cli.json("view", "list")}


def test_a_view_that_holds_itself_is_refused_and_changes_nothing(cli, seed, store_path):
    cli("view", "save", "gas", "--party", "Gazprom")
    cli("view", "save", "desk", "gas", "--any-of")
    before = store_path.read_bytes()
    refused = cli("view", "save", "gas", "desk", "--any-of", expect=2)
    assert_one_error_line(refused, "gas → desk → gas")
    assert store_path.read_bytes() == before


def test_deleting_a_view_another_names_is_refused_naming_it(cli, seed, store_path):
    cli("view", "save", "gas", "--party", "Gazprom")
    cli("view", "save", "desk", "gas", "--any-of")
    before = store_path.read_bytes()
    assert_one_error_line(cli("view", "delete", "gas", expect=2), "view gas is part of view desk")
    assert store_path.read_bytes() == before
    cli("view", "delete", "desk")
    cli("view", "delete", "gas")


def test_deleting_a_dispute_takes_it_out_of_the_views_and_undo_puts_it_back(cli, seed):
    cli("view", "add", "picked", "3zp0", "vfb3")
    cli("delete", "3zp0", "--yes", "--cascade")
    assert cli.json("view", "list")[0]["members"] == ["vfb3nbqd37"]
    assert "Problem" not in cli("doctor").stdout
    cli("undo")
    assert cli.json("view", "list")[0]["members"] == ["3zp0pdgwa5", "vfb3nbqd37"]


def test_doctor_names_a_cycle_of_views_two_clones_made_between_them(cli, seed, store_path):
    cli("view", "save", "gas", "--party", "Gazprom")
    cli("view", "save", "desk", "gas", "--any-of")
    data = json.loads(store_path.read_bytes())
    data["views"]["gas"]["any_of"] = ["desk"]  # as a merge of two clones' saves could leave it
    store_path.write_text(json.dumps(data, indent=1))
    problems = " | ".join(json.loads(cli("doctor", "--json", expect=None).stdout)["problems"])
    assert "names itself through other views" in problems


def test_a_member_and_a_combined_view_survive_export_and_import(cli, seed, tmp_path):
    cli("view", "save", "gas", "--party", "Gazprom")
    cli("view", "add", "desk", "fr45")
    cli("view", "save", "desk", "gas", "--any-of")  # re-saved: its members stay
    exported = tmp_path / "out.json"
    cli("export", "--format", "json", "--output", str(exported))
    other = tmp_path / "other.json"
    cli("--db", str(other), "import", str(exported))
    assert sorted(cli.json("--db", str(other), "view", "show", "desk")["disputes"]) == ["fr45z4r7dr", "vfb3nbqd37"]


@pytest.mark.slow
@NEEDS_GIT
def test_view_members_added_in_two_clones_merge(cli, origin, tmp_path):
    anna = clone(origin, tmp_path / "anna", "Anna")
    cli("--db", anna, "seed")
    cli("--db", anna, "view", "add", "desk", "vfb3")
    cli("--db", anna, "sync")
    boris = clone(origin, tmp_path / "boris", "Boris")
    cli("--db", anna, "view", "add", "desk", "fr45")
    cli("--db", anna, "sync")
    cli("--db", boris, "view", "add", "desk", "3zp0")
    cli("--db", boris, "sync")
    [desk] = cli.json("--db", boris, "view", "list")
    assert sorted(desk["members"]) == RUSSIA


# ---- text that wraps at words -----------------------------------------------------------

ROW = "Netherlands–Turkey diplomatic row over campaign rallies"
LISTINGS = [
    ("list",),
    ("list", "--all", "--owner", "Anna-Maria Koval-Petrenko"),
    ("deadline", "list", "--all-disputes"),
    ("agenda", "--as-of", "2017-03-25"),
    ("report", "--as-of", "2017-03-25"),
    ("view", "show", "rallies"),
    ("comment", "list"),
    ("event", "list"),
    ("timeline",),
]


@pytest.fixture(scope="module")
def rallies(tmp_path_factory):
    """A dispute whose title holds a long word (two names joined by a dash), with a deadline,
    an event, an owner, a comment and a view."""
    from typer.testing import CliRunner

    from disputes.cli import app

    path = tmp_path_factory.mktemp("rallies") / "store.json"
    runner = CliRunner()

    def cli(*args: str) -> None:
        done = runner.invoke(app, ["--db", str(path), *args], prog_name="disputes")
        assert done.exit_code == 0, done.stderr

    cli("add", ROW, "-p", "Netherlands", "-p", "Türkiye", "--opened", "2017-03", "--owner", "Anna-Maria Koval-Petrenko")
    cli(
        "deadline",
        "add",
        "rallies",
        "--date",
        "2017-04-01",
        "--title",
        "Ambassadors return, as ministries agreed",
    )
    cli("event", "add", "rallies", "--date", "2017-03-11", "--title", "Netherlands–Turkey rally permit withdrawn")
    cli("comment", "rallies", "Netherlands–Turkey talks resume after the Rotterdam–Ankara flights")
    cli("view", "add", "rallies", "rallies")
    return path


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: " ".join(c))
def test_a_long_word_was_broken_inside_at_80_columns(rallies, width, command):
    import pyte
    from conftest import on_terminal

    raw = on_terminal(*command, env={"DISPUTES_DB": str(rallies)}, width=width)
    term = pyte.Screen(width, 500)
    pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
    shown = [line.rstrip() for line in term.display]
    words = [word for line in shown for word in line.split()]
    said = "\n".join(line for line in shown if line)
    assert all(word.strip("(),.:") == "Netherlands–Turkey" for word in words if word.startswith("Netherlands–")), said
    if width == 80:  # where the dispute's title (or the event's) is shown whole
        assert "Netherlands–Turkey" in words, said


def _answered(store_path: Path, answer: bytes, *args: str) -> tuple[int, str]:
    """A command run on a terminal (a pty) whose question is answered with `answer`."""
    import pty

    from conftest import disputes_command

    leader, follower = pty.openpty()
    quiet = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    process = subprocess.Popen(
        [*disputes_command(), "--no-pager", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**quiet, "TERM": "xterm", "PAGER": "cat", "DISPUTES_DB": str(store_path)},
    )
    os.close(follower)
    written, asked = b"", False
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        written += chunk
        if not asked and b"[y/N]" in written:
            os.write(leader, answer)
            asked = True
    process.wait(timeout=60)
    os.close(leader)
    return process.returncode, written.decode("utf-8", "replace")


def test_a_change_of_many_on_a_terminal_says_how_many_and_asks(cli, seed, store_path):
    code, said = _answered(store_path, b"n\n", "edit", "--match", "party=Russia", "--add-tag", "desk")
    assert "3 disputes chosen (party Russia): add tag desk. Change 3 disputes? [y/N]" in said.replace("\r\n", " ")
    assert code == 1 and not any("desk" in tags for tags in tags_of(cli).values())  # refused: nothing changed
    code, said = _answered(store_path, b"y\n", "edit", "--match", "party=Russia", "--add-tag", "desk")
    assert code == 0 and "Changed 3 disputes (add tag desk)" in said
    assert all("desk" in tags for tags in tags_of(cli).values())


MATCHES = st.lists(
    st.sampled_from(
        [
            "party=Russia",
            "party=Gazprom",
            "tag=gas",
            "tag=food",
            "priority=high",
            "priority=medium",
            "status=open",
            "status=escalated",
            "dispute=vfb3",
            "search=Belarus",
        ]
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(matches=MATCHES)
def test_a_bulk_change_changes_what_list_shows_for_the_same_filters_in_one_undo_step(cli, tmp_path, matches):
    store = str(tmp_path / f"{abs(hash(tuple(matches)))}.json")
    cli("--db", store, "seed")
    options = [f"--{m.split('=')[0]}={m.split('=')[1]}" for m in matches]
    listed = {d["id"] for d in cli.json("--db", store, "list", "--all", *options)}
    before = cli.json("--db", store, "list", "--all")
    typed = [arg for m in matches for arg in ("--match", m)]
    result = cli("--db", store, "edit", *typed, "--add-tag", "desk", "--yes", "--json", expect=None)
    if not listed:
        assert result.exit_code == 1 and cli.json("--db", store, "list", "--all") == before
        return
    assert result.exit_code == 0, result.stderr
    assert {d["id"] for d in json.loads(result.stdout)} == listed
    assert {d["id"] for d in cli.json("--db", store, "list", "--all", "--tag", "desk")} == listed
    cli("--db", store, "undo")
    assert cli.json("--db", store, "list", "--all") == before
