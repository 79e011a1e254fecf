"""Issue 50: operations return typed results, and `--json` prints them in the shapes
docs/import-results.md promises: the same keys, in the same order, of the same types."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from disputes import library
from disputes.core import imported, kinds
from disputes.ops.interchange import csv_import

DATA = Path(__file__).parent / "data"
GDELT2 = DATA / "gdelt-2.0-20160607120000.export.CSV"
WTO = DATA / "wto_disputes.csv"
DYADIC = DATA / "dyadic_mid_sample.csv"
WTO_MAP = ("--map", "#1=ref", "--map", "title=title", "--map", "complainant=complainant", "--split", "complainant=; ")
WTO_MAP += ("--derive", "respondent=title:^(.+?) — ", "--map", "curr_stat=status_detail")
WTO_MAP += ("--status-map", "IN CONSULTATIONS=negotiating", "--status-map", "SETTLED*=resolved")
DYADIC_MAP = ("--map", "disno=ref", "--map", "namea=complainant", "--map", "nameb=respondent")
DYADIC_MAP += ("--date-parts", "opened=strtday,strtmnth,strtyr", "--unknown", "-9", "--merge-rows")
DYADIC_MAP += ("--code-scheme", "cow")

# the keys docs/import-results.md lists, in its order
EVENT_DATA_KEYS = ["format", "rows", "matched", "added", "updated", "unchanged", "unmatched", "bad", "problems"]
EVENT_DATA_KEYS += ["by_dispute", "events", "dry_run"]
EVENT_KEYS = ["id", "new", "date", "title", "disputes", "ref"]
PREVIEW_KEYS = ["rows", "first", "statuses", "status_date"]


def conforms(value: object, hint: object) -> bool:
    """Whether a JSON value has the type a result class declares (TypedDicts at any depth)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if typing.is_typeddict(hint):
        hints = typing.get_type_hints(hint)
        return (
            isinstance(value, dict)
            and hint.__required_keys__ <= value.keys() <= hints.keys()
            and all(conforms(value[key], hints[key]) for key in value)
        )
    if origin in (typing.Union, __import__("types").UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if hint is typing.Any:
        return True
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, typing.cast(type, hint))


@pytest.fixture
def watched(cli):
    cli("seed")
    cli("watch", "vfb3", "--actors", "BLR,RUS")
    cli("watch", "fr45", "--actors", "BLR,RUS,POL")


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_import_json_of_event_data_has_the_documented_keys_and_types(cli, watched, dry_run):
    said = cli.json("import", str(GDELT2), *dry_run)
    assert list(said) == EVENT_DATA_KEYS
    assert conforms(said, imported.EventDataImport)
    assert said["format"] == "gdelt" and said["dry_run"] == bool(dry_run)
    assert said["events"] and all(list(event) == EVENT_KEYS for event in said["events"])
    assert said["added"] == len(said["events"]) and sum(said["by_dispute"].values()) >= said["added"]


def test_import_json_of_a_csv_file_has_the_documented_keys_and_types(cli):
    said = cli.json("import", str(WTO), *WTO_MAP)
    assert list(said) == ["disputes", "skipped", "dry_run"]
    assert conforms(said, imported.CsvImport) and said["disputes"] > 500 and not said["dry_run"]


def test_import_json_of_a_csv_dry_run_puts_its_preview_first(cli, store_path):
    said = cli.json("import", str(WTO), *WTO_MAP, "--dry-run")
    assert list(said) == [*PREVIEW_KEYS, "skipped", "disputes", "dry_run"]
    assert conforms(said, imported.CsvImport) and said["dry_run"]
    assert said["first"][0]["line"] == 2 and said["first"][0]["ref"] == "DS1"
    assert cli.json("list", "--all") == []  # and nothing was written


def test_import_json_of_a_csv_update_says_updated_unchanged_and_conflicts(cli):
    cli("import", str(WTO), *WTO_MAP, "--save-profile", "wto")
    said = cli.json("import", str(WTO), "--profile", "wto", "--update")
    assert list(said) == ["disputes", "skipped", "updated", "unchanged", "conflicts", "dry_run"]
    assert conforms(said, imported.CsvImport)
    assert said["disputes"] == 0 and said["updated"] + said["unchanged"] > 500


def test_import_json_of_merged_rows_says_what_went_into_what(cli):
    said = cli.json("import", str(DYADIC), *DYADIC_MAP)
    assert list(said) == ["disputes", "skipped", "merged", "dry_run"]
    assert conforms(said, imported.CsvImport)
    assert list(said["merged"]) == ["rows", "disputes", "both_sides"]
    assert said["merged"]["disputes"] == said["disputes"]


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_import_json_of_an_export_counts_every_table_in_the_stores_order(cli, tmp_path, monkeypatch, dry_run):
    cli("seed")
    cli("export", "--output", str(tmp_path / "export.json"))
    monkeypatch.setenv("DISPUTES_DB", str(tmp_path / "other" / "disputes.json"))
    said = cli.json("import", str(tmp_path / "export.json"), *dry_run)
    assert list(said) == [*kinds.TABLES, "dry_run"]
    assert conforms(said, imported.StoreImport) and said["dry_run"] == bool(dry_run)
    assert said["disputes"] == 3 and said["events"] > 0


def test_the_library_returns_the_result_class_of_the_format_it_imported(cli, store_path):
    register = library.Register(store_path)
    mapping = csv_import.Mapping.from_options({"map": ["#1=ref", "title=title"]}, "")
    said = register.import_file(WTO, "csv", mapping=mapping, dry_run=True)
    assert conforms(said, imported.CsvImport) and said["dry_run"] and "statuses" in said


def test_the_terminal_view_of_each_kind_says_what_the_json_says(cli, watched, tmp_path):
    events = cli.json("import", str(GDELT2), "--dry-run")
    shown = cli("import", str(GDELT2), "--dry-run").stdout
    assert f"Would add {events['added']:,} and update {events['updated']:,} events" in shown
    rows = cli.json("import", str(WTO), *WTO_MAP, "--dry-run")
    shown = cli("import", str(WTO), *WTO_MAP, "--dry-run").stdout
    assert f"Would import {rows['disputes']} disputes from {WTO}" in shown
    cli("export", "--output", str(tmp_path / "export.json"))
    text = cli("import", str(tmp_path / "export.json"), "--dry-run").stdout
    assert text.startswith("Would import 3 disputes, ") and json.dumps(True) not in text


def test_watch_test_json_says_what_each_rule_would_take(cli, watched):
    said = cli.json("watch", "test", "all", str(GDELT2))
    assert len(said) == 2 and all(conforms(rule, imported.RuleTried) for rule in said)
    assert all(
        list(rule) == ["rule", "dispute", "watching", "rows", "matched", "events", "bad", "examples"] for rule in said
    )
    assert all(list(example) == ["date", "title", "ref"] for rule in said for example in rule["examples"])


def test_fetch_json_names_each_file_with_what_it_did_or_would_do(cli, watched, tmp_path):
    from test_feed import Mirror

    (tmp_path / "mirror").mkdir()
    served = Mirror(tmp_path / "mirror")
    try:
        served.publish("20160607120000", 700_000_001)
        planned = cli.json("fetch", "gdelt", "--url", served.url, "--dry-run")
        assert [list(row) for row in planned] == [["file", "size", "imported"]]
        done = cli.json("fetch", "gdelt", "--url", served.url)
        assert [list(row) for row in done] == [["file", "imported", "rows", "added", "updated"]]
        assert all(conforms(row, imported.FetchedFile) for row in [*planned, *done])
        assert not planned[0]["imported"] and done[0]["imported"] and done[0]["file"] == planned[0]["file"]
    finally:
        served.server.shutdown()
