"""Issue 42: what `doctor` passes, every command reads; and no file of ours beside a file we refuse.

A store any command refuses is one doctor flags, with a remedy that works; each test is
named after the bug it pins. The property test damages one record of any table of the
registry, written with correct checksums (as a newer teammate's version or a careful hand
edit would), and holds doctor to what the commands then do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core import registry
from disputes.ops import doctor
from disputes.store.decoding import encode
from disputes.store.paths import StoreFiles

GAS = "vfb3nbqd37"  # the seed's gas dispute


def _desk(cli, store_path) -> dict:
    """A seeded store with a record in every table a command can fill, and a view in use."""
    cli("seed")
    cli("deadline", "add", "vfb3", "--date", "2017-03", "--title", "reply due")
    cli("watch", "vfb3", "--actors", "BLR,RUS")
    cli("assess", "vfb3", "Talks stall", "--date", "2016-07")
    cli("party", "alias", "Belarusia", "Belarus")
    cli("view", "save", "gas", "--dispute", "vfb3")
    cli("view", "use", "gas")
    listed = store_path.parent / "pairs.csv"
    listed.write_text("ref,complainant,day,month,year\nP1,UKG,-9,5,1914\nP1,FRN,1,6,1914\n", encoding="utf-8")
    parts = ("--date-parts", "opened=day,month,year", "--unknown", "-9")
    cli("import", str(listed), *parts, "--merge-rows", "--save-profile", "pairs")
    data = json.loads(store_path.read_bytes())
    data["fetched"]["20160607.export.CSV.zip"] = {"name": "20160607.export.CSV.zip", "fetched": "2026-01-01T00:00:00Z"}
    return data


def _written(store_path: Path, data: dict) -> bytes:
    """`data` written as a store with every checksum right: damage in it is in the records, not the bytes."""
    payload = encode({name: table for name, table in data.items() if not name.endswith(".index")})
    store_path.write_bytes(payload)
    return payload


def _hand_edited(store_path: Path, data: dict) -> bytes:
    """`data` written as an editor would leave it: read whole, every record checked."""
    store_path.write_text(json.dumps(data, indent=1))
    return store_path.read_bytes()


def _problems(cli) -> str:
    return " | ".join(json.loads(cli("doctor", "--json", expect=None).stdout)["problems"])


# Every table, by the store's own rules


def test_doctor_found_no_problem_in_an_invalid_actor_every_command_refused(cli, store_path):
    data = _desk(cli, store_path)
    data["actors"]["BLR"]["name"] = 5
    damaged = _hand_edited(store_path, data)
    assert_one_error_line(cli("list", expect=1), "actor BLR")
    assert "actor BLR" in _problems(cli)
    cli("doctor", expect=1)
    fixed = cli("doctor", "--fix").stdout
    assert "actor BLR" in fixed and "before-fix" in fixed
    cli("list")
    cli("party", "list")
    aside = next(store_path.parent.glob(f"{store_path.name}.before-fix-*"))
    assert aside.read_bytes() == damaged  # nothing is lost: the actor as it was is kept aside


def test_doctor_passed_an_invalid_actor_that_party_list_crashed_on(cli, store_path):
    data = _desk(cli, store_path)
    data["actors"]["BLR"]["name"] = 5
    _written(store_path, data)
    assert "actor BLR" in _problems(cli)
    cli("doctor", "--fix")
    assert _problems(cli) == ""
    cli("party", "list")


def test_doctor_passed_a_view_with_a_filter_from_a_newer_version_and_view_delete_was_refused(cli, store_path):
    data = _desk(cli, store_path)
    data["views"]["gas"]["filters"]["watcher"] = ["ann"]  # a filter a newer version knows
    _hand_edited(store_path, data)
    assert_one_error_line(cli("view", "delete", "gas", expect=None), "view gas")
    problems = _problems(cli)
    assert "view gas" in problems and "upgrade disputes" in problems
    assert "view gas" in cli("doctor", "--fix").stdout
    assert _problems(cli) == ""
    cli("list")
    assert cli.json("view", "list") == []


def test_a_view_from_a_newer_version_is_deleted_with_view_delete_as_doctor_says(cli, store_path):
    data = _desk(cli, store_path)
    data["views"]["gas"]["filters"]["watcher"] = ["ann"]
    _written(store_path, data)  # as the newer version wrote it
    assert "upgrade disputes" in _problems(cli)
    cli("view", "delete", "gas")
    assert _problems(cli) == ""


def test_doctor_passed_a_dispute_field_from_a_newer_version_that_an_edit_dropped_silently(cli, store_path):
    data = _desk(cli, store_path)
    data["disputes"][GAS]["watcher"] = "ann"  # a field a newer version writes
    written = _written(store_path, data)
    problems = _problems(cli)
    assert f"dispute {GAS}" in problems and "'watcher'" in problems and "upgrade disputes" in problems
    assert_one_error_line(cli("edit", "vfb3", "--priority", "low", expect=1), "watcher", "upgrade disputes")
    assert store_path.read_bytes() == written
    cli("list")  # reading it is fine: nothing is lost by a read


# Files beside the store


def test_a_view_file_that_is_a_folder_gave_an_internal_error(cli, store_path):
    _desk(cli, store_path)
    view_file = StoreFiles(store_path).view
    view_file.unlink()
    view_file.mkdir()
    for command in (["list"], ["report"], ["view", "use", "gas"], ["view", "use", "--none"]):
        assert_one_error_line(cli(*command, expect=1), str(view_file))
    assert str(view_file) in _problems(cli)
    assert view_file.is_dir()  # a folder is the user's to remove, not ours


def test_doctor_passed_a_view_in_use_that_no_longer_exists(cli, store_path):
    data = _desk(cli, store_path)
    del data["views"]["gas"]
    _written(store_path, data)
    assert_one_error_line(cli("list", expect=2), "gas")  # a value that no longer names a view
    assert "gas" in _problems(cli)
    cli("doctor", "--fix")
    assert _problems(cli) == ""
    cli("list")


def test_a_blank_disputes_db_created_a_file_named_with_spaces(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["add", "Gas"], ["list"], ["doctor", "--fix"]):
        result = cli(*command, expect=2, env={"DISPUTES_DB": "   "})
        assert_one_error_line(result, "DISPUTES_DB")
    assert_one_error_line(cli("--db", "   ", "list", expect=2), "--db is blank")
    assert [p.name for p in tmp_path.iterdir()] == []  # the store fixture's folder is made by a first write only


def test_a_store_folder_from_disputes_db_was_blamed_on_db(cli, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for command in (["list"], ["add", "Gas"]):
        result = cli(*command, expect=1, env={"DISPUTES_DB": str(folder)})
        assert_one_error_line(result, "give a file path in $DISPUTES_DB")
        assert "--db" not in result.stderr
    said = cli("doctor", expect=1, env={"DISPUTES_DB": str(folder)}).stdout
    assert "in $DISPUTES_DB" in said and "--db" not in said
    assert_one_error_line(cli("--db", str(folder), "list", expect=1), "give a file path with --db")


def _foreign(tmp_path: Path) -> tuple[Path, Path]:
    """Another tool's file, in its own folder, and a symlink to it in another."""
    system = tmp_path / "etc"
    system.mkdir()
    target = system / "hosts"
    target.write_text("127.0.0.1 localhost\n")
    ours = tmp_path / "mine"
    ours.mkdir()
    link = ours / "store.json"
    link.symlink_to(target)
    return target, link


def test_doctor_fix_on_a_symlink_to_another_tools_file_created_lock_files_beside_it(cli, tmp_path):
    target, link = _foreign(tmp_path)
    for command in (
        ["doctor", "--fix"],
        ["doctor", "--restore"],
        ["add", "Gas"],
        ["seed"],
        ["undo"],
        ["view", "use", "--none"],
        ["view", "save", "gas", "--tag", "gas"],
    ):
        for db in (link, target):
            result = cli("--db", str(db), *command, expect=None)
            assert result.exit_code == 1, (command, result.stdout, result.stderr)
            assert_one_error_line(result, "not a disputes store")
    assert sorted(p.name for p in target.parent.iterdir()) == ["hosts"]
    assert sorted(p.name for p in link.parent.iterdir()) == ["store.json"]
    assert target.read_text() == "127.0.0.1 localhost\n"


# The property: doctor finds nothing, every command reads


def _damages(record: dict, refers: tuple[str, ...]) -> dict:
    """What a hand edit or another version can do to one record, by name."""
    fields = sorted(record)
    found: dict = {"unknown key": ("add", "from_a_newer_version", 1)}
    for field in fields:
        found[f"drop {field}"] = ("drop", field, None)
        value = record[field]
        for other in (5, "text", ["a"], {"a": 1}, None, True, 2.5):
            if type(other) is not type(value):
                found[f"{field} as {type(other).__name__}"] = ("set", field, other)
        if field in ("date", "opened", "created", "updated", "done", "last_review", "at", "fetched"):
            found[f"bad date in {field}"] = ("set", field, "2016-13-45")
        # a value in another form than the program writes, that the typed-input cleaners take
        if isinstance(value, str) and value:
            found[f"{field} with spaces"] = ("set", field, f" {value} ")
            found[f"{field} in a list"] = ("set", field, [value])
        if isinstance(value, int | float) and not isinstance(value, bool):
            found[f"{field} as a number in text"] = ("set", field, str(value))
    history = record.get("status_history")
    if isinstance(history, list) and history and isinstance(history[-1], dict):
        last = history[-1].get("status")
        found["status not its history's last step"] = ("set", "status", "resolved" if last != "resolved" else "active")
    for field in refers:
        if field in record and field != "id":
            dangling = ["nosuchdispute"] if isinstance(record[field], list) else "nosuchdispute"
            found[f"dangling {field}"] = ("set", field, dangling)
    return found


COMMANDS = (
    ["list"],
    ["show", GAS],
    ["report"],
    ["agenda"],
    ["timeline"],
    ["event", "list"],
    ["party", "list"],
    ["view", "list"],
    ["profile", "list"],
    ["deadline", "list"],
    ["export"],
)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_BASE: dict = {}


@PROPERTY
@given(choice=st.data())
def test_what_doctor_passes_every_command_reads(cli, store_path, choice):
    if not _BASE:
        _BASE.update(_desk(cli, store_path))
    data = json.loads(json.dumps(_BASE))
    tables = [name for name in registry.types() if data.get(name)]
    table = choice.draw(st.sampled_from(tables), label="table")
    key = choice.draw(st.sampled_from(sorted(data[table])), label="record")
    damages = _damages(data[table][key], registry.of(table).refers)
    what, field, value = damages[choice.draw(st.sampled_from(sorted(damages)), label="damage")]
    record = data[table][key]
    if what == "drop":
        del record[field]
    else:
        record[field] = value
    _written(store_path, data)
    StoreFiles(store_path).view.write_text("gas\n")
    checkup = doctor.run(store_path)
    if not checkup.healthy:
        return
    for command in COMMANDS:
        result = cli(*command, expect=None)
        assert result.exit_code == 0, f"doctor found nothing, yet {command}: {result.stderr}"


_READS = (*COMMANDS, ["forecast", "list"], ["forecast", "score"], ["digest", "--month", "2016-07"], ["history"])
_FORECAST: dict = {}


@PROPERTY
@given(choice=st.data())
def test_a_command_on_a_store_doctor_flags_said_internal_error(cli, store_path, choice):
    """Damage doctor flags (a hand edit, a buggy writer) made `show`, `report` or `party list`
    say "internal error"; now the one line names the damaged record and says to run doctor."""
    if not _FORECAST:
        _FORECAST.update(_desk(cli, store_path))
        cli("forecast", "vfb3", "A deal by 2017", "--by", "2017-01-31", "-p", "0.6", "--date", "2016-07-01")
        _FORECAST.clear()
        _FORECAST.update(json.loads(store_path.read_bytes()))
    data = {name: table for name, table in json.loads(json.dumps(_FORECAST)).items() if not name.endswith(".index")}
    tables = [name for name in registry.types() if data.get(name)]
    table = choice.draw(st.sampled_from(tables), label="table")
    key = choice.draw(st.sampled_from(sorted(data[table])), label="record")
    damages = _damages(data[table][key], registry.of(table).refers)
    what, field, value = damages[choice.draw(st.sampled_from(sorted(damages)), label="damage")]
    if what == "drop":
        del data[table][key][field]
    else:
        data[table][key][field] = value
    _written(store_path, data)
    StoreFiles(store_path).view.write_text("gas\n")
    for command in _READS:
        result = cli(*command, expect=None)
        said = result.stderr + result.stdout
        assert "internal error" not in said and "Traceback" not in said, (command, said[-300:])
        if result.exit_code:
            assert_one_error_line(result)


@pytest.mark.parametrize("foreign", ['{"name": "pkg", "version": "1.0"}\n', "{}", '{"disputes": {}}'])
def test_a_write_to_a_foreign_json_file_left_its_lock_files_beside_it(cli, tmp_path, foreign):
    """`package.json` parses as JSON, so only reading it whole says it is another tool's: the
    lock taken before that left package.json.lock and its holder beside it."""
    target = tmp_path / "package.json"
    target.write_text(foreign)
    for command in (["add", "x"], ["doctor", "--fix"], ["doctor", "--restore"], ["undo"], ["party", "alias", "A", "B"]):
        result = cli("--db", str(target), *command, expect=None)
        assert result.exit_code == 1, (command, result.stdout, result.stderr)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["package.json"], command
    assert target.read_text() == foreign


# A stored value in another form than the program writes (issue 42, fix B)


def _forecast_desk(cli, store_path) -> dict:
    cli("seed")
    cli("forecast", "vfb3", "A deal by 2017", "--by", "2017-01-31", "-p", "0.6", "--date", "2016-07-01")
    return json.loads(store_path.read_bytes())


def _edited(cli, store_path, data: dict, table: str, field: str, value, key: str | None = None) -> str:
    """One field of one record (the first of its table, else `key`) set by hand; what doctor says."""
    key = key or sorted(data[table])[0]
    data[table][key][field] = value
    _written(store_path, data)
    return _problems(cli)


def test_doctor_passed_a_probability_stored_as_text_that_forecast_list_crashed_on(cli, store_path):
    said = _edited(cli, store_path, _forecast_desk(cli, store_path), "forecasts", "probability", "0.6")
    assert "probability" in said
    cli("doctor", "--fix")
    assert cli("forecast", "list").exit_code == 0
    assert _problems(cli) == ""


def test_doctor_passed_a_priority_with_spaces_that_list_crashed_on(cli, store_path):
    cli("seed")
    said = _edited(cli, store_path, json.loads(store_path.read_bytes()), "disputes", "priority", " high ", GAS)
    assert f"dispute {GAS}" in said and "priority" in said
    fixed = cli("doctor", "--fix").stdout
    assert "priority" in fixed
    assert cli("list").exit_code == 0
    assert json.loads(store_path.read_bytes())["disputes"][GAS]["priority"] == "high"


def test_doctor_passed_an_opened_date_with_spaces_that_report_crashed_on(cli, store_path):
    cli("seed")
    said = _edited(cli, store_path, json.loads(store_path.read_bytes()), "disputes", "opened", " 2016-01-01 ", GAS)
    assert "opened" in said
    cli("doctor", "--fix")
    assert cli("report").exit_code == 0 and cli("agenda").exit_code == 0


def test_doctor_passed_an_event_effect_with_spaces_that_show_crashed_on(cli, store_path):
    cli("seed")
    data = json.loads(store_path.read_bytes())
    key = next(k for k, e in sorted(data["events"].items()) if GAS in e["disputes"])
    said = _edited(cli, store_path, data, "events", "effect", f" {data['events'][key]['effect']} ", key)
    assert f"event {key}" in said and "effect" in said
    cli("doctor", "--fix")
    assert cli("show", GAS).exit_code == 0


def test_doctor_passed_a_forecast_naming_its_dispute_in_a_list_that_report_crashed_on(cli, store_path):
    data = _forecast_desk(cli, store_path)
    dispute = data["forecasts"][sorted(data["forecasts"])[0]]["dispute"]
    said = _edited(cli, store_path, data, "forecasts", "dispute", [dispute])
    assert "dispute" in said
    result = cli("report", expect=None)
    assert "internal error" not in result.stderr
    assert_one_error_line(result, "doctor")
    cli("doctor", "--fix")
    assert json.loads(store_path.read_bytes())["forecasts"][sorted(data["forecasts"])[0]]["dispute"] == dispute
    assert cli("report").exit_code == 0


def test_doctor_passed_a_resolution_date_scores_silently_left_out(cli, store_path):
    data = _forecast_desk(cli, store_path)
    key = sorted(data["forecasts"])[0]
    data["forecasts"][key]["outcome"] = "yes"
    said = _edited(cli, store_path, data, "forecasts", "resolved", "yesterday", key)
    assert "resolved" in said


def test_doctor_passed_a_status_that_is_not_its_historys_last_step(cli, store_path):
    cli("seed")
    data = json.loads(store_path.read_bytes())
    last = data["disputes"][GAS]["status_history"][-1]["status"]
    other = "resolved" if last != "resolved" else "active"
    said = _edited(cli, store_path, data, "disputes", "status", other, GAS)
    assert f"dispute {GAS}" in said and "status" in said and "history" in said
