"""Issue 42: re-imports never lose an analyst's edit, and a dry run is the run without the write.

`import --update` is a three-way merge: each dispute keeps the values its mapped fields had at
the last import (`imported`); what the source changed since is taken, what the analyst changed
is kept, and a field both changed keeps the analyst's value with the source's in a conflict
that `conflicts restore` takes back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import NEEDS_GIT, WTO_ARGS, assert_one_error_line, later
from test_one_truth import team  # noqa: F401 (the fixture: Anna's and Boris's clones)

HEADER = ["Case", "Title", "Stage", "Area", "Labels"]
MAPPING = [
    "--map", "Case=ref", "--map", "Title=title", "--map", "Stage=status_detail", "--map", "Area=topic",
    "--map", "Labels=tags", "--split", "tags=;", "--status-map", "PANEL*=escalated",
    "--status-map", "SETTLED*=resolved", "--status-date", "2019-01",
]  # fmt: skip
ROWS = [
    ["C1", "Steel safeguards", "IN CONSULTATIONS", "steel", "trade"],
    ["C2", "Apple quotas", "PANEL ESTABLISHED", "food", "trade;food"],
]


def write_list(path: Path, rows: list[list[str]]) -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def imported(cli, path: Path, *options: str):
    return cli("import", str(path), *MAPPING, *options)


def update(cli, path: Path, *options: str):
    return cli("import", str(path), *MAPPING, "--update", *options)


def test_update_of_an_unchanged_csv_keeps_the_analysts_title(cli, tmp_path):
    listed = write_list(tmp_path / "list.csv", ROWS)
    imported(cli, listed)
    cli("edit", "C1", "--title", "Steel safeguards (our reading)", "--topic", "metals", "--add-tag", "desk")
    done = update(cli, listed)
    assert "0 updated, 2 unchanged" in done.stdout
    c1 = cli.json("show", "C1")
    assert c1["title"] == "Steel safeguards (our reading)" and c1["topic"] == "metals"
    assert set(c1["tags"]) == {"trade", "desk"}
    assert cli.json("conflicts") == []


def test_update_of_an_unchanged_wto_list_drops_no_desk_tag(cli):
    cli(*WTO_ARGS)
    for ref in ("DS1", "DS2"):
        cli("edit", ref, "--add-tag", "desk")
    done = cli(*WTO_ARGS, "--update")
    assert "0 updated, 538 unchanged" in done.stdout
    for ref in ("DS1", "DS2"):
        assert set(cli.json("show", ref)["tags"]) == {"wto", "desk"}
    assert sorted(d["ref"] for d in cli.json("list", "--all", "--tag", "desk")) == ["DS1", "DS2"]


def test_update_takes_what_only_the_source_changed_and_keeps_what_only_the_analyst_changed(cli, tmp_path):
    imported(cli, write_list(tmp_path / "list.csv", ROWS))
    cli("edit", "C1", "--title", "Steel safeguards (ours)")
    source = [["C1", "Steel safeguards", "IN CONSULTATIONS", "metals", "trade;eu"], ROWS[1]]
    newer = write_list(tmp_path / "newer.csv", source)
    assert "1 updated, 1 unchanged" in update(cli, newer).stdout
    c1 = cli.json("show", "C1")
    assert c1["title"] == "Steel safeguards (ours)"  # the analyst's
    assert c1["topic"] == "metals" and set(c1["tags"]) == {"trade", "eu"}  # the source's
    assert c1["imported"]["topic"] == "metals" and c1["imported"]["title"] == "Steel safeguards"
    assert cli.json("conflicts") == []


def test_update_of_a_field_both_sides_changed_overwrote_the_analyst_without_a_trace(cli, tmp_path):
    imported(cli, write_list(tmp_path / "list.csv", ROWS))
    cli("edit", "C1", "--topic", "metals")
    source = [["C1", "Steel safeguards", "IN CONSULTATIONS", "steel products", "trade"]]
    newer = write_list(tmp_path / "newer.csv", source)
    done = update(cli, newer)
    assert "1 conflict" in done.stdout
    assert cli.json("show", "C1")["topic"] == "metals"  # the analyst's edit wins
    [conflict] = cli.json("conflicts")
    assert (conflict["field"], conflict["kept"], conflict["dropped"]) == ("topic", "metals", "steel products")
    assert "newer.csv" in conflict["dropped_by"] and conflict["record"] == cli.json("show", "C1")["id"]
    assert "newer.csv" in cli("conflicts").stdout
    cli("conflicts", "restore", conflict["id"])
    assert cli.json("show", "C1")["topic"] == "steel products"
    assert "0 updated" in update(cli, newer).stdout  # restored: the source's value, nothing to do
    assert len(cli.json("conflicts")) == 1


def test_update_of_a_status_the_analyst_moved_put_the_sources_status_back(cli, tmp_path):
    listed = write_list(tmp_path / "list.csv", ROWS)
    imported(cli, listed)
    cli("status", "C1", "frozen")
    assert "0 updated" in update(cli, listed).stdout
    assert cli.json("show", "C1")["status"] == "frozen"
    settled = ["C2", "Apple quotas", "SETTLED BY AGREEMENT", "food", "trade;food"]
    moved = write_list(tmp_path / "moved.csv", [ROWS[0], settled])
    update(cli, moved)
    c2 = cli.json("show", "C2")
    assert c2["status"] == "resolved"  # a new step, the newest (the list gives no opening: not before today's)
    assert c2["status_history"][-1]["note"] == "as reported at import: SETTLED BY AGREEMENT"
    assert c2["status_detail"] == "SETTLED BY AGREEMENT"
    assert c2["imported"]["status"] == "resolved"


def test_update_of_a_dispute_imported_before_the_base_was_kept_overwrote_it_silently(cli, tmp_path, store_path):
    listed = write_list(tmp_path / "list.csv", ROWS)
    imported(cli, listed)
    cli("edit", "C1", "--topic", "metals", "--add-tag", "desk")
    # the store as an import before `imported` was kept left it (schema 10, no base)
    data = json.loads(store_path.read_text(encoding="utf-8"))
    data["_meta"] = {"format": "disputes", "schema": 10}
    for record in data["disputes"].values():
        record.pop("imported", None)
    store_path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    done = update(cli, listed)
    c1 = cli.json("show", "C1")
    assert c1["topic"] == "metals" and set(c1["tags"]) == {"trade", "desk"}
    [conflict] = cli.json("conflicts")
    assert (conflict["field"], conflict["kept"], conflict["dropped"]) == ("topic", "metals", "steel")
    assert "1 conflict" in done.stdout
    assert "0 updated" in update(cli, listed).stdout and len(cli.json("conflicts")) == 1  # the base is kept now


def test_update_dry_run_said_every_row_would_be_refused(cli, tmp_path, store_path):
    imported(cli, write_list(tmp_path / "list.csv", ROWS))
    cli("edit", "C1", "--topic", "metals")
    newer = write_list(
        tmp_path / "newer.csv",
        [["C1", "Steel safeguards", "IN CONSULTATIONS", "steel products", "trade"], ROWS[1], ["C3", "New", "", "", ""]],
    )
    before = store_path.read_bytes()
    shown = update(cli, newer, "--dry-run")
    assert store_path.read_bytes() == before
    assert "refused" not in shown.stdout and "Nothing was written" in shown.stdout
    assert "Would import 1 dispute" in shown.stdout and "0 updated, 2 unchanged, 1 conflict" in shown.stdout
    said = cli.json("import", str(newer), *MAPPING, "--update", "--dry-run")
    done = cli.json("import", str(newer), *MAPPING, "--update")
    assert said["dry_run"] is True and done["dry_run"] is False
    assert {k: said[k] for k in ("disputes", "updated", "unchanged", "conflicts")} == {
        k: done[k] for k in ("disputes", "updated", "unchanged", "conflicts")
    }


def test_a_json_dry_run_was_refused_instead_of_run_without_the_write(cli, tmp_path, store_path):
    cli("seed")
    exported = tmp_path / "all.json"
    cli("export", "--output", str(exported))
    before = store_path.read_bytes()
    shown = cli("import", str(exported), "--dry-run")
    assert store_path.read_bytes() == before
    assert "Would import 3 disputes" in shown.stdout and "Nothing was written" in shown.stdout
    said = cli.json("import", str(exported), "--dry-run")
    assert said["dry_run"] is True and said["disputes"] == 3


def test_a_json_import_with_disputes_given_twice_kept_the_last_silently(cli, tmp_path, store_path):
    cli("seed")
    before = store_path.read_bytes()
    hand = tmp_path / "hand.json"
    hand.write_text('{"disputes": [{"title": "First"}],\n "disputes": [{"title": "Second"}]}', encoding="utf-8")
    assert_one_error_line(cli("import", str(hand), expect=2), "'disputes'", "twice", "hand.json")
    assert store_path.read_bytes() == before


def test_a_json_import_with_a_key_given_twice_in_a_record_kept_the_last_silently(cli, tmp_path, store_path):
    cli("seed")
    before = store_path.read_bytes()
    hand = tmp_path / "hand.json"
    hand.write_text('{"disputes": [{"title": "First", "topic": "gas", "topic": "oil"}]}', encoding="utf-8")
    assert_one_error_line(cli("import", str(hand), expect=2), "'topic'", "twice", "hand.json")
    assert store_path.read_bytes() == before


def test_an_export_and_import_lost_the_base_of_the_next_reimport(cli, tmp_path):
    listed = write_list(tmp_path / "list.csv", ROWS)
    imported(cli, listed)
    cli("edit", "C1", "--topic", "metals")
    exported = tmp_path / "all.json"
    cli("export", "--output", str(exported))
    other = str(tmp_path / "other.json")
    cli("--db", other, "import", str(exported))
    assert cli.json("--db", other, "show", "C1")["imported"] == cli.json("show", "C1")["imported"]
    assert "0 updated, 2 unchanged" in cli("--db", other, "import", str(listed), *MAPPING, "--update").stdout
    assert cli.json("--db", other, "show", "C1")["topic"] == "metals"


def test_undo_of_an_update_left_the_newer_base_behind(cli, tmp_path):
    imported(cli, write_list(tmp_path / "list.csv", ROWS))
    base = cli.json("show", "C1")["imported"]
    newer = write_list(tmp_path / "newer.csv", [["C1", "Steel safeguards", "IN CONSULTATIONS", "metals", "trade"]])
    update(cli, newer)
    assert cli.json("show", "C1")["imported"]["topic"] == "metals"
    cli("undo")
    c1 = cli.json("show", "C1")
    assert c1["imported"] == base and c1["topic"] == "steel"


def test_doctor_passed_an_import_base_no_field_rule_allows(cli, tmp_path, store_path):
    imported(cli, write_list(tmp_path / "list.csv", ROWS))
    assert cli("doctor").exit_code == 0
    data = json.loads(store_path.read_text(encoding="utf-8"))
    key = next(k for k, record in data["disputes"].items() if record["ref"] == "C1")
    data["disputes"][key]["imported"]["status"] = "pending"
    store_path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    checked = cli("doctor", expect=1)
    assert f"dispute {key} has an invalid imported" in checked.stdout


def test_a_merge_of_two_reimports_asked_about_the_base_no_one_typed():
    from disputes.core import record_merge

    base = {"id": "a", "title": "T", "updated": "2024-01-01", "imported": {"title": "T"}}
    ours = {**base, "updated": "2024-02-01", "imported": {"title": "T", "topic": "gas"}}
    theirs = {**base, "updated": "2024-03-01", "imported": {"title": "T", "topic": "oil"}}
    decisions: list = []
    merged = record_merge.record("disputes", "a", base, ours, theirs, decisions)
    assert merged is not None and merged["imported"] == theirs["imported"] and decisions == []


# The property: analyst edits (through the library) and source edits (in the CSV) in any
# order, re-imports in between. A model of the three-way rule says what each field must hold.

STAGES = {"OPEN": "open", "TALKS": "negotiating", "PANEL": "escalated", "SETTLED": "resolved"}
STATUS_MAPS = [f"{phrase}={state}" for phrase, state in STAGES.items()]
WORDS = ["alpha", "beta", "gamma"]
TAGS = ["trade", "food", "desk", "eu"]


def _actions():
    from hypothesis import strategies as st

    analyst = st.one_of(
        st.tuples(st.just("analyst"), st.sampled_from(["title", "topic"]), st.sampled_from(WORDS)),
        st.tuples(st.just("analyst-tag"), st.sampled_from(["add", "remove"]), st.sampled_from(TAGS)),
        st.tuples(st.just("analyst-status"), st.sampled_from(["open", "negotiating", "frozen", "escalated"])),
    )
    source = st.one_of(
        st.tuples(st.just("source"), st.sampled_from(["title", "topic"]), st.sampled_from(WORDS)),
        st.tuples(st.just("source-tags"), st.frozensets(st.sampled_from(TAGS), max_size=3)),
        st.tuples(st.just("source-stage"), st.sampled_from(sorted(STAGES))),
    )
    return st.lists(st.one_of(analyst, source, st.just(("reimport",)), st.just(("restore",))), max_size=12)


def _write_source(path: Path, source: dict) -> None:
    text = io.StringIO(newline="")
    rows = [["Case", "Title", "Stage", "Area", "Labels"]]
    rows.append(["C1", source["title"], source["stage"], source["topic"], ";".join(sorted(source["tags"]))])
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")


def _three_way(mine, theirs, base):
    """The model's rule for one field: (the value kept, the source's value dropped or None)."""
    if theirs == base or mine == theirs:
        return mine, None
    if mine == base:
        return theirs, None
    return mine, theirs


def test_property_a_reimport_never_loses_an_analysts_value_unless_the_source_changed_it_too():
    from hypothesis import given, settings

    @settings(max_examples=40, deadline=None)
    @given(_actions())
    def check(actions):
        import tempfile

        from disputes import library
        from disputes.ops import history
        from disputes.ops.interchange import csv_import
        from disputes.store.database import open_store

        with tempfile.TemporaryDirectory() as folder:
            store_file, listed = Path(folder) / "store.json", Path(folder) / "list.csv"
            reg = library.Register(store_file)
            mapping = csv_import.Mapping.parse(
                ["Case=ref", "Title=title", "Stage=status_detail", "Area=topic", "Labels=tags"],
                ["tags=;"],
                STATUS_MAPS,
                status_date="2019-01",
            )
            source = {"title": "alpha", "topic": "alpha", "tags": frozenset({"trade"}), "stage": "OPEN"}
            _write_source(listed, source)
            reg.import_file(listed, "csv", mapping=mapping, update=True)
            base = {**source}
            mine = {"title": "alpha", "topic": "alpha", "tags": {"trade"}, "status": "open"}
            pending: list[tuple[str, str]] = []  # (field, the source's dropped value) of the last import
            for action in actions:
                kind = action[0]
                if kind == "analyst" and mine[action[1]] != action[2]:
                    reg.edit("C1", **{action[1]: action[2]})
                    mine[action[1]] = action[2]
                elif kind == "analyst-tag":
                    if action[1] == "add" and action[2] not in mine["tags"]:
                        reg.edit("C1", add={"tags": [action[2]]})
                        mine["tags"] = mine["tags"] | {action[2]}
                    elif action[1] == "remove" and action[2] in mine["tags"]:
                        reg.edit("C1", remove={"tags": [action[2]]})
                        mine["tags"] = mine["tags"] - {action[2]}
                elif kind == "analyst-status" and mine["status"] != action[1]:
                    reg.status("C1", action[1])
                    mine["status"] = action[1]
                elif kind == "source":
                    source[action[1]] = action[2]
                elif kind == "source-tags":
                    source["tags"] = action[1]
                elif kind == "source-stage":
                    source["stage"] = action[1]
                elif kind == "reimport":
                    _write_source(listed, source)
                    reg.import_file(listed, "csv", mapping=mapping, update=True)
                    pending = []
                    for field in ("title", "topic"):
                        mine[field], dropped = _three_way(mine[field], source[field], base[field])
                        if dropped is not None:
                            pending.append((field, dropped))
                    status, dropped = _three_way(mine["status"], STAGES[source["stage"]], STAGES[base["stage"]])
                    mine["status"] = status
                    if dropped is not None:
                        pending.append(("status", dropped))
                    gone, came = base["tags"] - source["tags"], source["tags"] - base["tags"]
                    mine["tags"] = (mine["tags"] - gone) | came
                    base = {**source}
                    with open_store(store_file) as store:
                        found = history.decisions(store)
                    told = [(d["field"], d["dropped"]) for d in found if d["at"] and d["dropped_by"]]
                    for field, dropped in pending:  # the source's value is in a conflict record
                        assert (field, dropped) in told, (field, dropped, told)
                elif kind == "restore" and pending and pending[0][0] != "status":
                    field, dropped = pending.pop(0)
                    with open_store(store_file) as store:
                        newest = next(d for d in history.decisions(store) if d["field"] == field)
                    if newest["kept"] == mine[field]:
                        with open_store(store_file, write=True) as store:
                            history.restore_dropped(store, newest["id"])
                        mine[field] = dropped
                dispute = reg.table("disputes").all()[0]
                assert {f: dispute[f] for f in ("title", "topic", "status")} == {
                    f: mine[f] for f in ("title", "topic", "status")
                }
                assert set(dispute["tags"]) == mine["tags"], (dispute["tags"], mine["tags"])

    check()


def test_a_library_dry_run_wrote_what_it_only_meant_to_show(cli, tmp_path, store_path):
    from disputes import library
    from disputes.ops.interchange import csv_import

    listed = write_list(tmp_path / "list.csv", ROWS)
    imported(cli, listed)
    before = store_path.read_bytes()
    mapping = csv_import.Mapping.parse(["Case=ref", "Title=title", "Area=topic"], status_date="2019-01")
    newer = write_list(tmp_path / "newer.csv", [["C1", "Steel", "", "metals", ""], ["C9", "New", "", "", ""]])
    said = library.Register(store_path).import_file(newer, "csv", mapping=mapping, update=True, dry_run=True)
    assert (said["disputes"], said["updated"], said["dry_run"]) == (1, 1, True)
    assert store_path.read_bytes() == before
    assert sorted(d["ref"] for d in cli.json("list", "--all")) == ["C1", "C2"]


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_update_with_two_rows_of_one_ref_took_the_last_silently(cli, tmp_path, store_path):
    cli("add", "Gas", "--ref", "DS1")
    twice = _csv(tmp_path / "dup.csv", "ref,title\nDS1,Gas\nDS1,Gas2\n")
    before = store_path.read_bytes()
    refused = cli("import", str(twice), "--map", "ref=ref", "--map", "title=title", "--update", expect=2)
    assert_one_error_line(refused, "line 3", "'DS1' is already used by line 2", "nothing was imported")
    assert store_path.read_bytes() == before
    assert cli.json("show", "DS1")["title"] == "Gas"


def test_a_status_date_was_ignored_when_no_opened_column_was_mapped(cli, tmp_path):
    listed = _csv(tmp_path / "v.csv", "ref,title,status\nDS1,Gas,In consultations\n")
    cli(
        "import", str(listed), "--map", "ref=ref", "--map", "title=title", "--map", "status=status_detail",
        "--status-map", "In cons*=negotiating", "--status-date", "2016-03-01",
    )  # fmt: skip
    shown = cli.json("show", "DS1")
    assert shown["status_history"][-1]["date"] == "2016-03-01"
    assert shown["opened"] <= "2016-03-01" and shown["status_history"][0]["date"] == shown["opened"]


STAGED = [
    "--map", "ref=ref", "--map", "title=title", "--map", "status=status_detail", "--map", "opened=opened",
    "--status-map", "Panel*=escalated", "--status-map", "In*=negotiating",
]  # fmt: skip


def test_a_reimport_status_conflict_kept_our_status_with_the_sources_detail(cli, tmp_path):
    head = "ref,title,status,opened\n"
    v1 = _csv(tmp_path / "v1.csv", head + "DS1,Gas,In consultations,2016-01-01\n")
    v2 = _csv(tmp_path / "v2.csv", head + "DS1,Gas,Panel established,2016-01-01\n")
    cli("import", str(v1), *STAGED, "--status-date", "2016-03-01")
    cli("status", "DS1", "frozen", "--date", "2016-04-01")
    cli("import", str(v2), *STAGED, "--status-date", "2016-05-01", "--update")
    shown = cli.json("show", "DS1")
    assert (shown["status"], shown["status_detail"]) == ("frozen", "")
    assert shown["status_history"][-1]["status"] == "frozen" and not shown["status_history"][-1].get("detail")
    assert "Panel established" not in json.dumps(shown["status_history"])
    [decision] = cli.json("conflicts")  # the detail goes with its status: one conflict, not two
    assert (decision["field"], decision["kept"], decision["dropped"]) == ("status", "frozen", "escalated")
    [step] = decision["dropped_steps"]
    assert (step["date"], step["status"], step["detail"]) == ("2016-05-01", "escalated", "Panel established")
    cli("conflicts", "restore", decision["id"])
    restored = cli.json("show", "DS1")
    assert (restored["status"], restored["status_detail"]) == ("escalated", "Panel established")
    assert restored["status_history"][-1]["date"] == "2016-05-01"
    assert [s["status"] for s in restored["status_history"]][-2:] == ["frozen", "escalated"]


@NEEDS_GIT
@pytest.mark.slow
def test_a_status_changed_on_both_sides_of_a_merge_dropped_the_earlier_step(cli, team, monkeypatch):  # noqa: F811
    anna, boris = team
    cli("--db", str(anna), "status", "vfb3", "escalated", "--date", "2016-08-01", "--note", "panel asked")
    cli("--db", str(anna), "sync")
    later(monkeypatch)
    cli("--db", str(boris), "status", "vfb3", "frozen", "--date", "2016-08-02", "--note", "talks paused")
    cli("--db", str(boris), "sync")
    shown = cli.json("--db", str(boris), "show", "vfb3")
    # escalated on the 1st, then frozen on the 2nd: one consistent history, nothing to restore
    assert [(s["date"], s["status"]) for s in shown["status_history"]][-2:] == [
        ("2016-08-01", "escalated"),
        ("2016-08-02", "frozen"),
    ]
    assert shown["status"] == "frozen"
    assert [d for d in cli.json("--db", str(boris), "conflicts") if d["field"] == "status"] == []


@NEEDS_GIT
@pytest.mark.slow
def test_a_restored_forecast_outcome_came_back_with_the_other_sides_resolved_date(cli, team, monkeypatch):  # noqa: F811
    anna, boris = team
    made = cli.json("--db", str(anna), "forecast", "add", "vfb3", "A deal is signed", "--by", "2017-04-30",
                    "--probability", "likely", "--date", "2017-01-01")  # fmt: skip
    cli("--db", str(anna), "sync")
    cli("--db", str(boris), "sync")
    cli("--db", str(anna), "forecast", "resolve", made["id"], "yes", "--date", "2017-03-01")
    cli("--db", str(anna), "sync")
    later(monkeypatch)  # Boris's resolution is the newer: the merge keeps it
    cli("--db", str(boris), "forecast", "resolve", made["id"], "no", "--date", "2017-04-20")
    cli("--db", str(boris), "sync")
    kept = cli.json("--db", str(boris), "forecast", "list")
    [forecast] = [f for f in kept if f["id"] == made["id"]]
    assert (forecast["outcome"], forecast["resolved"]) == ("no", "2017-04-20")
    [decision] = [d for d in cli.json("--db", str(boris), "conflicts") if d["field"] == "outcome"]
    cli("--db", str(boris), "conflicts", "restore", decision["id"])
    [forecast] = [f for f in cli.json("--db", str(boris), "forecast", "list") if f["id"] == made["id"]]
    assert (forecast["outcome"], forecast["resolved"]) == ("yes", "2017-03-01")


@NEEDS_GIT
@pytest.mark.slow
def test_a_restored_status_from_a_merge_was_dated_today_not_on_its_own_day(cli, team, monkeypatch):  # noqa: F811
    anna, boris = team
    cli("--db", str(boris), "status", "vfb3", "frozen", "--date", "2016-08-02", "--note", "talks paused")
    cli("--db", str(boris), "sync")
    later(monkeypatch)  # Anna's change on the same day is the newer: the merge keeps it
    cli("--db", str(anna), "status", "vfb3", "resolved", "--date", "2016-08-02", "--note", "price agreed")
    cli("--db", str(anna), "sync")
    [decision] = [d for d in cli.json("--db", str(anna), "conflicts") if d["field"] == "status"]
    cli("--db", str(anna), "conflicts", "restore", decision["id"])
    last = cli.json("--db", str(anna), "show", "vfb3")["status_history"][-1]
    assert (last["date"], last["status"]) == ("2016-08-02", "frozen")  # its own day, still the last step
