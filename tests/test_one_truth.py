"""Issue 42: actors and merges keep one truth -- one actor on one side of a dispute, a status
that is its history's last step (restored conflicts included), one alias for one actor.
Real stores, the real commands; merges through real git clones and the merge driver."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, assert_one_error_line, git, later

# One actor on one side of a dispute


@pytest.fixture
def acme(cli) -> dict:
    """Two spellings of one company on the two sides of one dispute, and elsewhere alone."""
    both = cli.add("Widget dumping", "--complainant", "Acme Holdings", "--respondent", "Acme Ltd")
    alone = cli.add("Widget patents", "--complainant", "Acme Holdings", "--respondent", "Russia")
    return {"both": both["id"], "alone": alone["id"]}


@pytest.mark.parametrize("alias, name", [("Acme Holdings", "Acme Ltd"), ("Acme Ltd", "Acme Holdings")])
def test_an_alias_that_puts_one_actor_on_both_sides_of_a_dispute_is_refused(cli, acme, store_path, alias, name):
    before = store_path.read_bytes()
    refused = cli("party", "alias", alias, name, expect=2)
    assert_one_error_line(refused, "both sides", acme["both"][:4])
    assert acme["alone"][:4] not in refused.stderr  # only the disputes it would contradict
    assert store_path.read_bytes() == before  # bad input changes nothing
    assert cli.json("show", acme["both"])["roles"] == {"Acme Holdings": "complainant", "Acme Ltd": "respondent"}


def test_a_party_given_as_complainant_and_respondent_is_refused_not_kept_as_respondent(cli, store_path):
    made = cli.add("Gas transit", "--party", "Russia")
    before = store_path.read_bytes()
    for spellings in (("Belarus", "Belarus"), ("Belarus", "BLR"), ("Republic of Belarus", "belarus")):
        added = cli("add", "Potash", "--complainant", spellings[0], "--respondent", spellings[1], expect=2)
        assert_one_error_line(added, "Belarus", "both sides")
        edited = cli("edit", made["id"], "--complainant", spellings[0], "--respondent", spellings[1], expect=2)
        assert_one_error_line(edited, "Belarus", "both sides", made["id"][:4])
    assert store_path.read_bytes() == before


def test_a_party_named_twice_in_one_command_keeps_its_principal_role_whatever_the_option(cli):
    """Not a contradiction, a duplicate: a complainant (or respondent) is a party, and more
    than a third party; the principal role is kept (the third party's option won before)."""
    made = cli.add("Steel", "--party", "Belarus", "--complainant", "Belarus", "--third-party", "BLR")
    assert made["roles"] == {"Belarus": "complainant"} and made["parties"] == ["Belarus"]
    kept = cli("edit", made["id"], "--add-party", "belarus", expect=2)  # it took the role away
    assert_one_error_line(kept, "nothing to change")
    assert cli.json("show", made["id"])["roles"] == {"Belarus": "complainant"}
    cli("edit", made["id"], "--third-party", "Belarus")  # one role given to a party of it: a change
    assert cli.json("show", made["id"])["roles"] == {"Belarus": "third-party"}


def test_an_alias_of_a_third_party_onto_the_complainant_keeps_the_complainant_whatever_the_order(cli):
    for alias, name in (("Acme Holdings", "Acme Ltd"), ("Acme Ltd", "Acme Holdings")):
        made = cli.add("Widgets", "--complainant", "Acme Ltd", "--third-party", "Acme Holdings")
        cli("party", "alias", alias, name)
        assert cli.json("show", made["id"])["roles"] == {name: "complainant"}
        cli("undo")
        cli("delete", made["id"], "--yes")


def test_a_rename_onto_another_actor_s_name_is_refused(cli, acme, store_path):
    before = store_path.read_bytes()
    assert_one_error_line(cli("party", "rename", "Acme Holdings", "acme ltd", expect=2), "already another actor")
    assert store_path.read_bytes() == before


# Merges through git: two analysts' clones of one bare repository


@pytest.fixture
def team(tmp_path, cli, monkeypatch):
    """Anna's and Boris's clones of a shared register (the seed), each with its own identity."""
    for variable in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "DISPUTES_AUTHOR"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)

    def clone(analyst: str) -> Path:
        folder = tmp_path / analyst.lower()
        subprocess.run(["git", "clone", "-q", str(origin), str(folder)], check=True, capture_output=True)
        git(folder, "config", "user.name", analyst)
        return folder / "disputes.json"

    anna = clone("Anna")
    cli("--db", str(anna), "seed")
    cli("--db", str(anna), "add", "Widget dumping", "--complainant", "Acme Holdings", "--respondent", "Russia")
    cli("--db", str(anna), "add", "Widget patents", "--complainant", "Acme Ltd", "--respondent", "Belarus")
    cli("--db", str(anna), "sync")
    return anna, clone("Boris")


@NEEDS_GIT
@pytest.mark.slow
def test_a_restored_status_is_its_history_s_last_step_not_a_contradiction(cli, team, monkeypatch):
    anna, boris = team
    cli("--db", str(boris), "status", "vfb3", "frozen", "--note", "talks paused")
    cli("--db", str(boris), "sync")
    later(monkeypatch)  # Anna's change is the newer: the merge keeps it
    cli("--db", str(anna), "status", "vfb3", "resolved", "--note", "price agreed")
    cli("--db", str(anna), "sync")

    def agrees(expected: str) -> None:
        shown = cli.json("--db", str(anna), "show", "vfb3")
        assert shown["status"] == shown["status_history"][-1]["status"] == expected
        assert "vfb3nbqd37" in {d["id"] for d in cli.json("--db", str(anna), "list", "--all", "--status", expected)}
        counts = cli.json("--db", str(anna), "report", "--as-of", "2999-12-31")["counts"]
        assert counts[expected] == 1 + (expected == "escalated")

    agrees("resolved")
    steps = cli.json("--db", str(anna), "show", "vfb3")["status_history"]
    assert "talks paused" not in {step["note"] for step in steps}  # the loser's step is in the conflict
    [decision] = [d for d in cli.json("--db", str(anna), "conflicts") if d["field"] == "status"]
    assert (decision["kept"], decision["dropped"], decision["restored"]) == ("resolved", "frozen", "")
    assert [step["note"] for step in decision["dropped_steps"]] == ["talks paused"]

    cli("--db", str(anna), "conflicts", "restore", decision["id"])
    agrees("frozen")
    assert len(cli.json("--db", str(anna), "show", "vfb3")["status_history"]) == len(steps) + 1  # a new step
    [again] = [d for d in cli.json("--db", str(anna), "conflicts") if d["id"] == decision["id"]]
    assert again["restored"]
    assert_one_error_line(
        cli("--db", str(anna), "conflicts", "restore", decision["id"], expect=2), "already restored", "vfb3"
    )
    cli("--db", str(anna), "undo")  # the restore undone: the decision is restorable again
    agrees("resolved")
    assert not next(d for d in cli.json("--db", str(anna), "conflicts") if d["id"] == decision["id"])["restored"]
    cli("--db", str(anna), "sync")
    cli("--db", str(boris), "sync")
    assert cli.json("--db", str(boris), "show", "vfb3")["status"] == "resolved"


@NEEDS_GIT
@pytest.mark.slow
def test_an_alias_on_one_clone_and_a_rename_on_the_other_leave_the_alias_in_one_actor(cli, team, monkeypatch):
    anna, boris = team
    cli("--db", str(anna), "party", "alias", "Acme Holdings", "Acme Ltd")
    cli("--db", str(anna), "sync")
    later(monkeypatch)
    cli("--db", str(boris), "party", "rename", "Acme Holdings", "Acme Group")
    cli("--db", str(boris), "sync")
    cli("--db", str(anna), "sync")
    for store in (anna, boris):
        actors = [a for a in cli.json("--db", str(store), "party", "list") if "Acme" in a["name"]]
        holders = [a["name"] for a in actors if "Acme Holdings" in (a["name"], *a["aliases"])]
        assert len(holders) == 1, actors
        shown = cli.json("--db", str(store), "party", "show", "Acme Holdings")
        assert shown["name"] == holders[0]
        assert cli("--db", str(store), "doctor").exit_code == 0
    [decision] = [d for d in cli.json("--db", str(anna), "conflicts") if d["table"] == "actors"]
    assert "Acme Holdings" in decision["why"] and decision["dropped"] == ["Acme Holdings"]
    loser = {"acmeltd": "Acme Ltd", "acmegroup": "Acme Group"}[decision["record"]]
    assert loser != holders[0]
    refused = cli("--db", str(anna), "conflicts", "restore", decision["id"], expect=2)
    assert_one_error_line(refused, "two actors")


def test_doctor_flags_one_alias_in_two_actors_and_fix_keeps_it_with_one(cli, store_path):
    from disputes.store.database import Store

    cli("add", "Widgets", "--party", "Acme Ltd")
    store = Store.load(store_path)  # as an old version's merge left it
    store.put("actors", "acmeltd", {"name": "Acme Ltd", "code": "", "aliases": ["Acme Holdings"]})
    store.put("actors", "acmegroup", {"name": "Acme Group", "code": "", "aliases": ["acme holdings"]})
    store.describe("merge", "as an old merge left it")
    store.commit()
    checked = cli("doctor", expect=1).stdout
    assert "acme holdings" in checked.casefold() and "Acme Ltd" in checked and "Acme Group" in checked
    cli("doctor", "--fix")
    assert cli("doctor").exit_code == 0
    actors = cli.json("party", "list")
    assert sum("acme holdings" in [n.casefold() for n in (a["name"], *a["aliases"])] for a in actors) == 1


# The merge, property by property: for random alias, rename and status edits on two sides


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = ("Acme Ltd", "Acme Holdings", "Acme Group", "Widget Co", "Belarus")
STATUSES = ("negotiating", "escalated", "frozen", "resolved")
side_edits = st.lists(
    st.tuples(st.sampled_from(["alias", "rename", "status"]), st.integers(0, 4), st.integers(0, 4)),
    max_size=5,
)


def _edited(path: Path, edits, date: str) -> bytes:
    from disputes.core.errors import InvalidValue
    from disputes.ops import actors, disputes
    from disputes.store.database import open_store

    for kind, one, other in edits:
        try:
            with open_store(path, write=True) as store:
                if kind == "alias":
                    actors.alias(store, NAMES[one], NAMES[other])
                elif kind == "rename":
                    actors.rename(store, NAMES[one], f"{NAMES[other]} {one}")
                else:
                    ids = sorted(store.records("disputes"))
                    disputes.change_status(store, ids[one % len(ids)], STATUSES[other % 4], date=date, note=date)
        except InvalidValue:
            continue  # refused, as the command would be: nothing changed
    return path.read_bytes()


@settings(max_examples=30, deadline=None)
@given(ours=side_edits, theirs=side_edits, same_day=st.booleans())
# an alias then a rename through it on one clone, the same rename on the other: two actors
# renamed to one name kept it both
@example(ours=[("alias", 0, 4), ("rename", 0, 0)], theirs=[("rename", 0, 0)], same_day=False)
@example(ours=[("alias", 3, 4), ("rename", 3, 0)], theirs=[("rename", 3, 0)], same_day=False)
@example(ours=[("alias", 3, 4), ("rename", 3, 0)], theirs=[("rename", 3, 0)], same_day=True)
def test_a_merge_of_aliases_renames_and_statuses_keeps_one_truth(tmp_path_factory, ours, theirs, same_day):
    from disputes.core import actors
    from disputes.ops import disputes
    from disputes.store import file_merge
    from disputes.store.database import open_store
    from disputes.store.decoding import decode

    folder = tmp_path_factory.mktemp("sides")
    base = folder / "base.json"
    for title, named in (
        ("Widgets", ("Acme Ltd", "Acme Holdings", "Belarus")),
        ("Patents", ("Acme Group", "Widget Co")),
    ):
        with open_store(base, write=True) as store:
            disputes.add(store, title, parties=named)
    sides = {}
    for label, edits, date in (
        ("ours", ours, "2016-05-01"),
        ("theirs", theirs, "2016-05-01" if same_day else "2016-06"),
    ):
        path = folder / f"{label}.json"
        path.write_bytes(base.read_bytes())
        sides[label] = decode(_edited(path, edits, date), path).load_all()
    pieces, _ = file_merge.merge_files(base.read_bytes(), *(sides[s].path.read_bytes() for s in ("ours", "theirs")))
    merged = decode(b"".join(pieces), Path("merged.json")).load_all()
    decided = [d for e in merged.get("history", {}).values() if e.get("action") == "merge" for d in e["decisions"]]
    # (a) each alias or name in exactly one actor
    assert actors.shared(merged.get("actors", {})) == {}
    # (b) each dispute's status is its history's last status step
    for record in merged["disputes"].values():
        assert record["status"] == record["status_history"][-1]["status"]
    for decision in (d for d in decided if d["field"] == "status"):  # and the conflict says which status won
        assert merged["disputes"][decision["id"]]["status"] == decision["kept"] != decision["dropped"]
    # (c) every value a side had and the merge dropped is in a conflict record
    spelled = {n for a in actors.Directory(merged.get("actors", {}).values()).actors.values() for n in a.spellings()}
    taken = {actors.fold(a) for d in decided if d["table"] == "actors" for a in d["dropped"]}
    steps = {
        (d["id"], repr(step)) for d in decided if d["field"] == "status" for step in d.get("dropped_steps", ())
    } | {(key, repr(step)) for key, record in merged["disputes"].items() for step in record["status_history"]}
    for side in sides.values():
        for record in side.get("actors", {}).values():
            assert {actors.fold(a) for a in record["aliases"]} <= spelled | taken
        for key, record in side["disputes"].items():
            assert {(key, repr(step)) for step in record["status_history"]} <= steps
