"""Data in and out: JSON round trips, CSV and Markdown exports, and CSV import with a mapping."""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import random
from pathlib import Path

import pytest
from conftest import WTO, WTO_ARGS, WTO_STATUS_MAP, assert_one_error_line
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

DATA = Path(__file__).parent / "data"


def _tables(cli, store):
    data = json.loads(cli("--db", str(store), "export", "--format", "json").stdout)
    return data


def test_json_export_imports_into_an_equal_store(cli, tmp_path, store_path):
    cli("seed")
    gas = "vfb3nbqd37"
    cli("status", gas, "frozen", "--date", "2016-09", "--note", "no talks")
    cli("link", gas, "fr45", "--as", "blocks")
    exported = tmp_path / "export.json"
    cli("export", "--output", str(exported))
    copy = tmp_path / "copy.json"
    cli("--db", str(copy), "import", str(exported))
    original, restored = _tables(cli, store_path), _tables(cli, copy)
    for table in ("disputes", "events", "relations"):
        assert restored[table] == original[table], table
    assert [e for e in restored["history"] if e["action"] != "import"] == original["history"]
    assert cli("--db", str(copy), "doctor").exit_code == 0


def test_a_zipped_export_imports_as_the_plain_one_and_a_cut_one_is_refused(cli, tmp_path, store_path):
    """A zip's one member is read through a buffer of its own, line by line (as exports are)."""
    import zipfile

    cli("seed")
    exported = tmp_path / "export.json"
    cli("export", "--output", str(exported))
    zipped = tmp_path / "export.json.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(exported, "export.json")
    plain, from_zip = tmp_path / "plain.json", tmp_path / "zip.json"
    cli("--db", str(plain), "import", str(exported))
    cli("--db", str(from_zip), "import", str(zipped))
    for table in ("disputes", "events", "relations"):
        assert _tables(cli, from_zip)[table] == _tables(cli, plain)[table], table
    cut = tmp_path / "cut.json.zip"
    cut.write_bytes(zipped.read_bytes()[: zipped.stat().st_size // 2])
    assert_one_error_line(cli("--db", str(tmp_path / "none.json"), "import", str(cut), expect=2), "cut.json.zip")
    # a member damaged inside (its CRC-32 no longer matches): the buffer's first read finds it
    damaged = bytearray(zipped.read_bytes())
    middle = len(damaged) // 3
    damaged[middle : middle + 40] = bytes(b ^ 0x55 for b in damaged[middle : middle + 40])
    spoiled = tmp_path / "spoiled.json.zip"
    spoiled.write_bytes(bytes(damaged))
    refused = cli("--db", str(tmp_path / "none.json"), "import", str(spoiled), expect=2)
    assert_one_error_line(refused, "spoiled.json.zip is damaged", "nothing was imported")
    # its local header damaged, the directory at its end intact: the member is not where it says
    headless = tmp_path / "headless.json.zip"
    headless.write_bytes(b"XX" + zipped.read_bytes()[2:])
    refused = cli("--db", str(tmp_path / "none.json"), "import", str(headless), expect=2)
    assert_one_error_line(refused, "headless.json.zip is not a readable zip file")
    # packed by a method zipfile does not know (its number in both headers changed)
    odd = bytearray(zipped.read_bytes())
    odd[8], odd[odd.rfind(b"PK\x01\x02") + 10] = 99, 99
    (tmp_path / "odd.json.zip").write_bytes(bytes(odd))
    refused = cli("--db", str(tmp_path / "none.json"), "import", str(tmp_path / "odd.json.zip"), expect=2)
    assert_one_error_line(refused, "odd.json.zip is compressed in a way this program cannot read")
    assert not (tmp_path / "none.json").exists()
    assert not (tmp_path / "none.json").exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# bytes that do not compress are kept in stored blocks of the deflate stream, which inflate
# whatever a byte says: only the CRC-32 at the member's end finds a change there
@example(piece=random.Random(1).randbytes(3000), repeat=1, sizes=[4096], packed="deflated", flip=0.25)
@given(
    piece=st.binary(max_size=2000),
    repeat=st.integers(1, 3000),
    sizes=st.lists(st.integers(1000, 1 << 21), min_size=1, max_size=4),
    packed=st.sampled_from(["deflated", "stored"]),
    flip=st.one_of(st.none(), st.floats(0, 0.5)),
)
def test_a_zip_member_reads_as_written_and_any_damage_to_it_is_found(tmp_path, piece, repeat, sizes, packed, flip):
    """Deflated members are inflated by ISA-L a megabyte at a time (megabytes of repeated
    text cross that boundary), stored ones by zipfile; a byte changed in the member's data
    is found, by the inflater or by the CRC-32 at the end, whatever the reads' sizes; a
    seek back reads on from there."""
    import zipfile

    from disputes.ops import inputs

    written = piece * repeat
    zipped = tmp_path / "member.zip"
    method = zipfile.ZIP_DEFLATED if packed == "deflated" else zipfile.ZIP_STORED
    with zipfile.ZipFile(zipped, "w", method) as archive:
        archive.writestr("member.CSV", written)
    if flip is not None:
        info = zipfile.ZipFile(zipped).infolist()[0]
        if not info.compress_size:
            return
        damaged = bytearray(zipped.read_bytes())
        damaged[30 + len("member.CSV") + int(flip * info.compress_size)] ^= 0xFF
        zipped.write_bytes(bytes(damaged))
    read, turn, back = b"", 0, int(len(written) * (sizes[0] % 7) / 7)
    try:
        with inputs.open_input(zipped) as handle:
            while chunk := handle.read(sizes[turn % len(sizes)]):
                read, turn = read + chunk, turn + 1
            handle.seek(back)  # an export is read again from a section's start
            again = handle.read()
    except inputs.DAMAGED:
        assert flip is not None, "an intact member was refused"
        return
    assert flip is None and read == written and again == written[back:]


def test_importing_into_a_store_that_has_the_ids_remaps_every_reference(cli, tmp_path):
    cli("seed")
    exported = tmp_path / "export.json"
    cli("export", "--output", str(exported))
    cli("import", str(exported))  # the same ids again: all taken
    disputes = cli.json("list", "--all")
    assert len(disputes) == 6 and len({d["id"] for d in disputes}) == 6
    events = cli.json("event", "list")
    assert len(events) == 12
    known = {d["id"] for d in disputes}
    assert all(set(e["disputes"]) <= known for e in events)
    copies = {d["id"] for d in disputes} - {"vfb3nbqd37", "fr45z4r7dr", "3zp0pdgwa5"}
    apples = [e for e in events if "apples" in e["title"]]
    assert {e["disputes"][0] in copies for e in apples} == {True, False}
    assert cli("doctor").exit_code == 0


def test_a_hand_written_file_of_disputes_and_events(cli, tmp_path):
    hand = tmp_path / "hand.json"
    hand.write_text(
        json.dumps(
            {
                "disputes": [
                    {"id": "gas", "title": "Gas price", "parties": ["Belarus", "Russia"], "opened": "2016"},
                    {"id": "milk", "title": "Milk ban", "status": "escalated"},
                ],
                "events": [{"date": "2016-06-07", "title": "Forum", "disputes": ["gas", "milk"], "kind": "meeting"}],
            }
        )
    )
    assert "Imported 2 disputes, 1 event," in cli("import", str(hand)).stdout
    disputes = {d["title"]: d for d in cli.json("list")}
    assert disputes["Milk ban"]["status"] == "escalated"
    assert "gas" not in {d["id"] for d in disputes.values()}  # "gas" is not an id of ours: a new one is given
    event = cli.json("event", "list")[0]
    assert sorted(event["disputes"]) == sorted(d["id"] for d in disputes.values())


@pytest.mark.parametrize(
    "content, words",
    [
        ('{"disputes": [{"title": ""}]}', "title must not be empty"),
        ('{"disputes": [{"title": "x", "status": "won"}]}', "unknown status"),
        (
            '{"disputes": [{"title": "x"}], "events": [{"date": "2016", "title": "e", "disputes": ["nope"]}]}',
            "unknown dispute",
        ),
        ('{"disputes": "not a list"}', "not a disputes export"),
        ("[1, 2]", "not a disputes export"),
        ('{"disputes": [', "not valid JSON"),
    ],
)
def test_bad_json_imports_change_nothing(cli, tmp_path, store_path, content, words):
    cli.add("Existing")
    before = store_path.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert_one_error_line(cli("import", str(bad), expect=2), words)
    assert store_path.read_bytes() == before


def test_csv_export_has_every_dispute_and_field(cli):
    cli("seed")
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert len(rows) == 3
    gas = next(r for r in rows if r["id"] == "vfb3nbqd37")
    assert gas["parties"] == "Belarus; Russia; Gazprom" and gas["status"] == "negotiating" and gas["opened"] == "2016"


def test_markdown_export_has_a_section_per_dispute_with_events(cli):
    cli("seed")
    text = cli("export", "--format", "md").stdout
    assert text.count("\n## ") == 3 and "### Events" in text and "**2016-06-07**" in text


def test_the_wto_list_imports_with_the_documented_mapping(cli):
    result = cli(*WTO_ARGS)
    assert "Imported 538 disputes" in result.stdout and result.stderr == ""  # no progress bar on a pipe
    with WTO.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    expected = {}
    for row in rows:
        state = next((s for p, s in WTO_STATUS_MAP if fnmatch.fnmatchcase(row[4], p)), "open")
        expected[state] = expected.get(state, 0) + 1
    counts = cli.json("report")["counts"]
    assert {k: v for k, v in counts.items() if v} == expected
    assert sum(counts.values()) == len(rows)
    ds512 = cli.json("show", "DS512")
    assert ds512["title"] == rows[511][1] and ds512["status_detail"] == rows[511][4]
    several = next(r for r in rows if "; " in r[2])
    shown = cli.json("show", several[0])
    assert [p.casefold() for p in shown["parties"][:-1]] == [
        cli.json("party", "show", name)["name"].casefold() for name in several[2].split("; ")
    ]
    assert shown["roles"][shown["parties"][-1]] == "respondent"
    assert shown["opened"] and shown["topic"] == "trade" and shown["tags"] == ["wto"]
    complained = sum("BRAZIL" in r[2].split("; ") for r in rows)
    answered = sum(r[1].startswith("Brazil — ") for r in rows)
    assert len(cli.json("list", "--complainant", "BRAZIL", "--all")) == complained
    assert len(cli.json("list", "--party", "BRAZIL", "--all")) == complained + answered


def test_a_bad_csv_row_stops_the_import_with_its_line_and_column(cli, tmp_path, store_path):
    cli.add("Existing")
    before = store_path.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Started\nGood one,2016-01\nBad one,2016-02-30\nAnother,2017\n")
    args = ["import", str(bad), "--map", "Name=title", "--map", "Started=opened"]
    result = cli(*args, expect=2)
    assert_one_error_line(result, "line 3", "'Started'", "not a day", "nothing was imported")
    assert store_path.read_bytes() == before
    skipped = cli(*args, "--skip-bad")
    assert "Imported 2 disputes" in skipped.stdout and "Skipped line 3" in skipped.stdout
    assert sorted(d["title"] for d in cli.json("list")) == ["Another", "Existing", "Good one"]


@pytest.mark.parametrize(
    "options, words",
    [
        (["--map", "Nope=title"], "no column 'Nope'"),
        (["--map", "#9=title"], "#9 does not exist"),
        (["--map", "Name=colour"], "unknown field 'colour'"),
        (["--map", "Name"], "NAME=VALUE"),
        (["--map", "Name=title", "--split", "title=;"], "not a list field"),
        (["--map", "Name=title", "--status-map", "X*=won"], "unknown status"),
        (["--map", "Started=opened"], "map a column to the title"),
    ],
)
def test_bad_csv_mappings_are_refused(cli, tmp_path, options, words):
    data = tmp_path / "data.csv"
    data.write_text("Name,Started\nGood one,2016-01\n")
    assert_one_error_line(cli("import", str(data), *options, expect=2), words)
    assert cli.json("list") == []


def test_a_csv_that_is_not_utf8_is_refused(cli, tmp_path):
    data = tmp_path / "data.csv"
    data.write_bytes("Name\nCaf\xe9 dispute\n".encode("cp1252"))
    assert_one_error_line(cli("import", str(data), "--map", "Name=title", expect=2), "not UTF-8")


one_line = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(
    lambda t: t.strip() == t and t and not t.startswith("-")
)  # a leading dash reads as an option
disputes_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "title": one_line,
            "parties": st.lists(one_line, max_size=3, unique_by=str.casefold),
            "status": st.sampled_from(["open", "negotiating", "escalated", "frozen", "resolved", "closed"]),
            "opened": st.tuples(st.dates(), st.sampled_from([4, 7, 10])).map(lambda p: p[0].isoformat()[: p[1]]),
            "priority": st.sampled_from(["low", "medium", "high", "critical"]),
        }
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(disputes=disputes_strategy, score=st.one_of(st.none(), st.floats(-10, 10)))
def test_any_store_survives_an_export_import_round_trip(cli, tmp_path_factory, disputes, score):
    folder = tmp_path_factory.mktemp("roundtrip")
    source, copy, exported = folder / "a.json", folder / "b.json", folder / "export.json"
    ids = []
    for dispute in disputes:
        args = [
            "--db",
            str(source),
            "add",
            dispute["title"],
            "--status",
            dispute["status"],
            "--opened",
            dispute["opened"],
            "--priority",
            dispute["priority"],
            "--json",
        ]
        for party in dispute["parties"]:
            args += ["--party", party]
        ids.append(json.loads(cli(*args).stdout)["id"])
    event = ["--db", str(source), "event", "add", *ids, "--date", "2016-06-07", "--title", "Forum"]
    cli(*event, *(["--score", repr(score)] if score is not None else []))
    cli("--db", str(source), "export", "--output", str(exported))
    cli("--db", str(copy), "import", str(exported))
    original, restored = _tables(cli, source), _tables(cli, copy)
    for table in ("disputes", "events", "relations"):
        assert restored[table] == original[table]
