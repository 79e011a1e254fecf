"""Parties as actors, with roles, checked on the real WTO list (tests/data/wto_disputes.csv,
see its SOURCE.md): one actor however the sources spell it, roles from the columns and the
titles, statuses dated on the day the list was true, and newer copies re-imported."""

from __future__ import annotations

import csv
import json
import unicodedata

import pytest
from conftest import WTO, WTO_ARGS, assert_one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core.actors import Directory, built_in

with WTO.open(encoding="utf-8") as _handle:
    ROWS = list(csv.reader(_handle))[1:]  # ref, title, complainants ("; "), consulted, status, ...


def _complainants(row) -> list[str]:
    return row[2].split("; ")


def refs(cli, *args) -> set[str]:
    return {d["ref"] for d in cli.json("list", "--all", *args)}


@pytest.fixture
def wto(cli):
    cli(*WTO_ARGS)
    return cli


def test_cases_against_russia_are_exactly_those_whose_title_begins_russian_federation(wto):
    against = {row[0] for row in ROWS if row[1].startswith("Russian Federation — ")}
    assert 0 < len(against) < 20  # a handful
    for spelling in ("Russia", "RUSSIAN FEDERATION", "russian federation", "RUS"):
        assert refs(wto, "--respondent", spelling) == against
    by_russia = {row[0] for row in ROWS if "RUSSIAN FEDERATION" in _complainants(row)}
    assert refs(wto, "--complainant", "Russia") == by_russia
    assert refs(wto, "--party", "rus") == against | by_russia


def test_the_united_states_is_in_249_disputes_in_one_role_or_the_other(wto):
    named = {row[0] for row in ROWS if "UNITED STATES" in _complainants(row) or row[1].startswith("United States — ")}
    assert len(named) == 249
    assert refs(wto, "--party", "United States of America") == named
    listed = {a["name"]: a for a in wto.json("party", "list")}
    assert listed["United States"]["disputes"] == 249 and listed["United States"]["code"] == "USA"
    # OR within an option, AND across options: the US against the EU, either way round
    both = refs(wto, "--party", "US", "--complainant", "EU", "--complainant", "USA")
    assert both == {
        row[0]
        for row in ROWS
        if row[0] in named and ({"EUROPEAN UNION", "EUROPEAN COMMUNITIES", "UNITED STATES"} & set(_complainants(row)))
    }


def test_the_eus_complaints_include_those_filed_as_european_communities(wto):
    filed = {row[0] for row in ROWS if {"EUROPEAN UNION", "EUROPEAN COMMUNITIES"} & set(_complainants(row))}
    as_ec = {row[0] for row in ROWS if "EUROPEAN COMMUNITIES" in _complainants(row)}
    assert as_ec and as_ec < filed
    assert refs(wto, "--complainant", "European Union") == filed == refs(wto, "--complainant", "ec")
    eu = wto.json("party", "show", "EUROPEAN COMMUNITIES")
    assert eu["name"] == "European Union" and "European Communities" in eu["aliases"]
    assert {"complainant", "respondent"} <= {role for role, found in eu["disputes"].items() if found}


def test_party_list_names_each_actor_once_with_its_code_and_count(wto):
    listed = wto.json("party", "list")
    names = [a["name"] for a in listed]
    assert len(names) == len(set(names))
    assert not [n for n in names if n.isupper() and len(n) > 3]  # no upper-case WTO spelling left over
    korea = next(a for a in listed if a["code"] == "KOR")
    assert korea["name"] == "South Korea" and "Korea, Republic of" in korea["aliases"]
    assert sum(a["disputes"] for a in listed) == sum(len(d["parties"]) for d in wto.json("list", "--all"))


def test_a_dispute_keeps_parties_and_adds_roles_in_json(cli):
    made = cli.add(
        "Pigs",
        "--complainant",
        "EUROPEAN COMMUNITIES",
        "--respondent",
        "RUSSIAN FEDERATION",
        "--third-party",
        "kor",
        "-p",
        "Gazprom",
    )
    assert made["parties"] == ["Gazprom", "European Union", "Russia", "South Korea"]
    assert made["roles"] == {"European Union": "complainant", "Russia": "respondent", "South Korea": "third-party"}
    changed = cli.json("edit", made["id"], "--respondent", "Belarus", "--remove-party", "eu")
    assert changed["parties"] == ["Gazprom", "Russia", "South Korea", "Belarus"]
    assert changed["roles"] == {"Russia": "respondent", "South Korea": "third-party", "Belarus": "respondent"}
    shown = cli("show", made["id"]).stdout
    assert "Russia (respondent), Belarus (respondent), South Korea (third party), Gazprom" in shown


def test_alias_and_rename_are_one_undoable_change_each(cli, store_path):
    cli("seed")
    cli.add("Pipeline", "-p", "Gazprom PJSC", "-p", "Belarus")
    said = cli("party", "alias", "Gazprom PJSC", "Gazprom").stdout
    assert "1 dispute renamed" in said
    assert len(cli.json("list", "--party", "gazprom pjsc")) == 2
    assert "Gazprom" in {a["name"] for a in cli.json("party", "list")}
    cli("party", "rename", "Gazprom", "Gazprom Export")
    assert {tuple(d["parties"]) for d in cli.json("list", "--party", "Gazprom Export")} >= {
        ("Belarus", "Russia", "Gazprom Export")
    }
    assert len(cli.json("list", "--party", "gazprom")) == 2  # the old name stays an alias
    exported, copy = store_path.with_name("team.json"), store_path.with_name("copy.json")
    cli("export", "--output", str(exported))
    cli("--db", str(copy), "import", str(exported))  # the actors travel with the disputes
    assert len(cli.json("--db", str(copy), "list", "--party", "gazprom pjsc")) == 2
    cli("undo")
    cli("undo")
    assert "Gazprom PJSC" in {p for d in cli.json("list") for p in d["parties"]}


@pytest.mark.parametrize(
    "args, words",
    [
        (["party", "alias", "Russia", "Belarus"], "already names Russia"),
        (["party", "rename", "Russia", "Belarus"], "already another actor"),
        (["party", "rename", "Narnia", "Oz"], "no actor or party 'Narnia'"),
        (["party", "show", "Narnia"], "no actor or party"),
        (["import", str(WTO), "--map", "title=title", "--derive", "respondent=title:("], "does not compile"),
        (["import", str(WTO), "--map", "title=title", "--derive", "respondent=title:^Russia"], "needs a group"),
        (["import", str(WTO), "--map", "title=title", "--derive", "respondent=nosuch:(x)"], "no column 'nosuch'"),
        (["import", str(WTO), "--map", "title=title", "--status-date", "2018-13"], "impossible month"),
        (["import", str(WTO), "--map", "title=title", "--update"], "--update matches rows"),
        (["import", str(WTO), "--map", "title=title", "--map", "curr_stat=role"], "unknown field 'role'"),
    ],
)
def test_bad_party_and_import_input_is_refused_and_changes_nothing(cli, store_path, args, words):
    cli("seed")
    before = store_path.read_bytes()
    assert_one_error_line(cli(*args, expect=2), words)
    assert store_path.read_bytes() == before


def test_an_unknown_role_in_an_import_is_refused(cli, tmp_path, store_path):
    cli("seed")
    before = store_path.read_bytes()
    hand = tmp_path / "hand.json"
    hand.write_text(json.dumps({"disputes": [{"title": "X", "parties": ["Russia"], "roles": {"Russia": "judge"}}]}))
    assert_one_error_line(cli("import", str(hand), expect=2), "unknown role 'judge'")
    assert store_path.read_bytes() == before


def test_statuses_are_dated_on_the_day_the_list_was_true(wto):
    ds1 = wto.json("show", "DS1")
    assert [s["date"] for s in ds1["status_history"]] == ["1995-01-10", "2018-02"]
    in_2017 = wto.json("report", "--as-of", "2017-06-30", "--search", "Polyethylene and Polypropylene")
    assert in_2017["counts"]["open"] == 1 and in_2017["counts"]["resolved"] == 0
    from disputes.core.dates import today

    assert wto.json("digest", "--month", today()[:7])["ended"] == []  # not ~250 cases "ended this month"


def test_without_a_status_date_the_import_says_its_statuses_are_dated_today(cli):
    args = [a for a in WTO_ARGS if a not in ("--status-date", "2018-02")]
    result = cli(*args)
    assert "dated today" in result.stderr and "--status-date" in result.stderr


def test_a_newer_copy_of_the_list_updates_its_disputes_and_nothing_twice(wto, tmp_path):
    newer = tmp_path / "newer.csv"
    lines = WTO.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",IN CONSULTATIONS,", ",MUTUALLY ACCEPTABLE SOLUTION ON IMPLEMENTATION NOTIFIED,")
    newer.write_text("".join(lines), encoding="utf-8")
    update = [newer if a == str(WTO) else a for a in WTO_ARGS]
    update = [str(a) for a in update]
    update[update.index("2018-02")] = "2019-05"
    refused = wto(*update, expect=2)
    assert "--update" in refused.stderr
    done = wto(*update, "--update").stdout
    assert "Imported 0 disputes" in done and "1 updated, 537 unchanged" in done
    ds3 = wto.json("show", "DS3")
    assert ds3["status"] == "resolved" and ds3["status_history"][-1]["date"] == "2019-05"
    entries = len(wto.json("history", "--limit", "0"))
    assert "0 updated, 538 unchanged" in wto(*update, "--update").stdout
    assert len(wto.json("history", "--limit", "0")) == entries  # unchanged rows changed nothing
    assert len(wto.json("list", "--all")) == 538


def test_a_csv_dry_run_shows_every_status_phrase_and_writes_nothing(cli, store_path):
    cli("seed")
    before = store_path.read_bytes()
    preview = cli.json(*WTO_ARGS, "--dry-run")
    assert store_path.read_bytes() == before
    assert preview["rows"] == 538 and sum(p["rows"] for p in preview["statuses"]) == 538
    assert {p["phrase"] for p in preview["statuses"]} == {row[4] for row in ROWS}
    consult = next(p for p in preview["statuses"] if p["phrase"] == "IN CONSULTATIONS")
    assert consult["status"] == "negotiating"
    first = preview["first"][0]
    assert first["ref"] == "DS1" and first["roles"] == {"Singapore": "complainant", "Malaysia": "respondent"}
    shown = cli(*WTO_ARGS, "--dry-run").stdout
    assert "IN CONSULTATIONS → negotiating" in shown and "Nothing was written" in shown


def test_watch_without_actors_takes_the_codes_of_the_disputes_parties(wto):
    made = wto("watch", "DS512")
    assert "Russia RUS" in made.stdout and "Ukraine UKR" in made.stdout
    assert set(wto.json("watch", "list")[0]["actors"]) == {"RUS", "UKR"}
    odd = wto.add("Odd", "-p", "Gazprom")["id"]
    assert_one_error_line(wto("watch", odd, expect=2), "country code", "--actors")


def test_an_old_store_upgrades_its_parties_to_actors_and_keeps_every_spelling(cli, store_path):
    record = {
        "id": "aaaa000000",
        "title": "Pigs",
        "status": "open",
        "parties": ["RUSSIAN FEDERATION", "EUROPEAN COMMUNITIES", "Narnia", "Russia"],
        "status_history": [{"date": "2014", "status": "open", "note": ""}],
    }
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text(
        json.dumps({"_meta": {"format": "disputes", "schema": 7}, "disputes": {"aaaa000000": record}})
    )
    assert cli.json("show", "aaaa")["parties"] == ["Russia", "European Union", "Narnia"]
    russia = next(a for a in cli.json("party", "list") if a["name"] == "Russia")
    assert "RUSSIAN FEDERATION" in russia["aliases"]
    assert cli("doctor").exit_code == 0


def _spelled(draw_case, text: str) -> str:
    """`text` as a source might write it: another case, accents off, punctuation doubled."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return (
        "".join(c.upper() if flip else c.lower() for c, flip in zip(plain, draw_case, strict=False))
        + draw_case[-1] * "."
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(built_in()), st.data())
def test_any_name_or_code_of_an_actor_in_any_case_is_that_actor(actor, data):
    directory = Directory()
    name = data.draw(st.sampled_from([actor.name, actor.code, *actor.aliases]))
    case = data.draw(st.lists(st.booleans(), min_size=len(name) + 1, max_size=len(name) + 1))
    if directory.find(name) is not actor:  # a name two actors share (none should): the first is kept
        pytest.fail(f"{name!r} names {directory.find(name)} as well as {actor}")
    assert directory.canonical(_spelled(case, name)) == actor.name


def test_bug_an_actor_renamed_in_a_teammates_export_left_older_disputes_unfound(cli, store_path, tmp_path):
    cli("seed")  # disputes name "Russia"
    theirs = tmp_path / "theirs.json"
    cli("--db", str(theirs), "add", "Transit", "--respondent", "Russia")
    cli("--db", str(theirs), "party", "rename", "Russia", "Russian Federation")
    exported = tmp_path / "theirs-export.json"
    cli("--db", str(theirs), "export", "--output", str(exported))
    cli("import", str(exported))  # the rename arrives; the seed's disputes still say "Russia"
    assert len(cli.json("list", "--party", "Russian Federation")) == 4
    assert len(cli.json("list", "--party", "RUS")) == 4
    listed = {a["name"]: a["disputes"] for a in cli.json("party", "list")}
    assert listed["Russian Federation"] == 4 and "Russia" not in listed  # one actor, counted once
    shown = cli.json("party", "show", "Russia")["disputes"]
    assert len(shown["party"]) == 3 and len(shown["respondent"]) == 1


def test_the_shipped_country_table_reads_as_the_csv_module_reads_it():
    """actors.countries splits the ISO table itself (the csv module cost `add` its start-up):
    every row, quoted names with commas included, must be what csv.DictReader gives."""
    import csv

    from disputes.core import actors

    with actors.COUNTRIES.open(encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert actors.countries() == expected
    assert any("," in row["names"] for row in expected)  # the quoted rows are among them
