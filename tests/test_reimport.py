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

from conftest import WTO_ARGS, assert_one_error_line

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
