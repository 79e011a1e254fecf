"""Issue 30: the indexes of the events and of the disputes, sections of the store file that
whole-store reads and listings parse instead of the records. They are derived data: every
command answers the same with them and without them, a write lays one anew when it is not
known to match, and doctor finds one that lies."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import orjson
import pytest
from conftest import assert_one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core.event import SUMMARY
from disputes.ops import reports
from disputes.store.fileformat import FIRST_LINE, sections_of

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
INDEX = "events.index"

day = st.dates(min_value=__import__("datetime").date(2014, 1, 1), max_value=__import__("datetime").date(2016, 12, 31))
partial = st.one_of(day.map(str), day.map(lambda d: str(d)[:7]), day.map(lambda d: str(d)[:4]))
effect = st.sampled_from(["escalating", "de-escalating", "neutral"])
score = st.one_of(st.none(), st.sampled_from(["-10", "-2.5", "0", "3.4", "10"]))

steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), partial, st.sampled_from(["open", "negotiating", "escalated", "resolved"])),
        st.tuples(st.just("event"), partial, effect, score, st.integers(0, 3), st.integers(0, 3)),
        st.tuples(st.just("move"), st.integers(0, 50), partial),
        st.tuples(st.just("drop event"), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 3)),
        st.tuples(st.just("undo")),
    ),
    min_size=1,
    max_size=14,
)

READS = [
    ["timeline", "--format", "md"],
    ["timeline", "--since", "2015"],
    ["event", "list"],
    ["event", "list", "--kind", "statement", "--effect", "escalating"],
    ["report", "--json", "--as-of", "2016-06-30"],
    ["report", "--json", "--as-of", "2015-12-31", "--window", "400"],
    ["agenda", "--json", "--as-of", "2016-06-30"],
    ["chart", "--json", "--as-of", "2016-12-31", "--months", "36"],
    ["list", "--all", "--json"],
    ["export", "--format", "md"],
    ["report", "--format", "html", "--as-of", "2016-06-30"],  # briefs: each event's sources, read afterwards
    ["digest", "--month", "2016-06", "--json"],  # its reasons' sources too
    ["list"],  # listings read the disputes' index ...
    ["list", "--all", "--sort", "updated", "--reverse"],
    ["list", "--all", "--party", "Russia", "--sort", "opened", "--status", "open", "--status", "resolved"],
    ["list", "--priority", "high", "--tag", "gas", "--sort", "title"],
    ["list", "--search", "gas"],  # ... but for --search, which reads all of their text
    ["list", "--stale", "--sort", "quiet"],  # and the sorts by activity
    ["timeline", "--party", "Russia", "--status", "open"],  # filters choose disputes by the index
    ["party", "show", "Russia", "--json"],
    ["party", "list", "--json"],
    ["view", "show", "russia-open", "--json"],
    ["show", "vfb3", "--json"],  # a dispute named by an id prefix, a reference or a title word
    ["show", "DS-1", "--json"],
    ["show", "discriminatory", "--json"],
    ["show", "drawn", "--json"],  # none, one, or several of the drawn ones
]


def meta_of(path: Path) -> dict:
    payload = path.read_bytes()
    laid_out = sections_of(payload)
    assert laid_out is not None, "the store is laid out as its meta line says"
    return laid_out[0]


def with_meta(path: Path, meta: dict) -> None:
    """The store file with another meta line (the meta line carries no checksum of its own)."""
    payload = path.read_bytes()
    line_end = payload.find(b"\n", len(FIRST_LINE))
    path.write_bytes(FIRST_LINE + orjson.dumps(meta, option=orjson.OPT_SORT_KEYS) + b"," + payload[line_end:])


def answers(cli, path: Path) -> list[tuple[int, str, str]]:
    said = [cli("--db", str(path), *read, expect=None) for read in READS]
    return [(result.exit_code, result.stdout, result.stderr) for result in said]


def build(cli, path: Path, drawn) -> None:
    cli("--db", str(path), "seed")
    cli("--db", str(path), "edit", "vfb3", "--ref", "DS-1")
    cli("--db", str(path), "view", "save", "russia-open", "--party", "Russia", "--status", "open")
    for step in drawn:
        disputes = [d["id"] for d in cli.json("--db", str(path), "list", "--all")]
        events = [e["id"] for e in cli.json("--db", str(path), "event", "list")]
        match step:
            case ("add", opened, status):
                cli("--db", str(path), "add", "Drawn", "--opened", opened, "--status", status)
            case ("event", date, kind, weight, first, second) if disputes:
                named = dict.fromkeys([disputes[first % len(disputes)], disputes[second % len(disputes)]])
                scored = ["--score", weight] if weight is not None else []
                options = [
                    "--date",
                    date,
                    "--title",
                    "Drawn",
                    "--effect",
                    kind,
                    *scored,
                    "--source",
                    f"https://x.org/{first}",
                ]
                cli("--db", str(path), "event", "add", *named, *options)
            case ("move", which, date) if events:  # the same date is refused: nothing to change
                cli("--db", str(path), "event", "edit", events[which % len(events)], "--date", date, expect=None)
            case ("drop event", which) if events:
                cli("--db", str(path), "event", "delete", events[which % len(events)], "--yes")
            case ("delete", which) if disputes:
                cli("--db", str(path), "delete", disputes[which % len(disputes)], "--yes", "--cascade")
            case ("undo",):
                cli("--db", str(path), "undo", expect=None)  # with nothing left to undo, a refusal


@SETTINGS
@given(drawn=steps)
def test_every_read_answers_the_same_with_the_index_and_without_it(cli, tmp_path_factory, drawn):
    path = tmp_path_factory.mktemp("index") / "store.json"
    build(cli, path, drawn)
    meta = meta_of(path)
    for table in ("events", "disputes"):
        assert meta["derived"][f"{table}.index"] == meta["sections"][table][1], "every write leaves it matching"
    with_index = answers(cli, path)
    with_meta(path, {k: v for k, v in meta.items() if k != "derived"})  # the index no longer vouched for
    assert answers(cli, path) == with_index
    assert "No problems" in cli("--db", str(path), "doctor").stdout


def test_an_index_not_vouched_for_is_written_anew_by_the_next_write(cli, store_path):
    cli("seed")
    meta = meta_of(store_path)
    with_meta(store_path, {**meta, "derived": {INDEX: 12345}})  # as after a hand edit of the events
    cli("add", "Any change")
    meta = meta_of(store_path)
    assert meta["derived"][INDEX] == meta["sections"]["events"][1]
    lines = json.loads("{" + _section(store_path, INDEX) + "}")
    events = {e["id"]: e for e in cli.json("event", "list")}
    assert lines == {key: {f: e.get(f) for f in SUMMARY} for key, e in events.items()}


@pytest.mark.parametrize(
    "table, truth, lie",
    [("events", b'"2016-06-07"', b'"1999-01-01"'), ("disputes", b'"status":"escalated"', b'"status":"resolved"')],
)
def test_doctor_finds_an_index_that_lies_and_writes_it_anew(cli, store_path, table, truth, lie):
    cli("seed")
    before = answers(cli, store_path)
    payload = store_path.read_bytes()
    meta = meta_of(store_path)
    start = payload.index(f'"{table}.index": {{'.encode())
    section = payload[start : start + meta["sections"][f"{table}.index"][0]]
    lying = section.replace(truth, lie)  # checksummed anew: only the records can tell
    assert lying != section
    meta["sections"][f"{table}.index"] = [len(lying), zlib.crc32(lying)]
    store_path.write_bytes(payload.replace(section, lying))
    with_meta(store_path, meta)
    checked = cli("doctor", expect=1)
    assert f"the index of the {table} does not match them" in checked.stdout
    fixed = cli("doctor", "--fix").stdout
    assert f"wrote the index of the {table} anew" in fixed
    assert answers(cli, store_path) == before
    assert "No problems" in cli("doctor").stdout


def _section(path: Path, name: str) -> str:
    payload = path.read_bytes()
    start = payload.index(f'"{name}": {{'.encode())
    length = meta_of(path)["sections"][name][0]
    return payload[start + len(name) + 5 : start + length - 2].decode()


def test_the_merge_driver_carries_the_index_that_matches_what_it_merged(cli, tmp_path):
    base, ours, theirs = (tmp_path / f"{side}.json" for side in ("base", "ours", "theirs"))
    cli("--db", str(base), "seed")
    for side in (ours, theirs):
        side.write_bytes(base.read_bytes())
    cli("--db", str(ours), "event", "add", "fr45", "--date", "2016-06-20", "--title", "Ours", "--effect", "escalating")
    cli("--db", str(theirs), "event", "add", "vfb3", "--date", "2016-06-21", "--title", "Theirs", "--score", "4")
    cli(
        "--db", str(theirs), "event", "edit", "--title", "Edited", cli.json("--db", str(base), "event", "list")[0]["id"]
    )
    cli("--db", str(theirs), "edit", "fr45", "--priority", "low")
    cli("--db", str(ours), "edit", "vfb3", "--title", "Gas, ours")
    cli("--db", str(ours), "merge-file", str(base), str(ours), str(theirs))
    meta = meta_of(ours)
    for table in ("events", "disputes"):
        assert meta["derived"][f"{table}.index"] == meta["sections"][table][1], "the merged index is vouched for"
    assert "No problems" in cli("--db", str(ours), "doctor").stdout  # and matches the events, record by record
    titles = {e["title"] for e in cli.json("--db", str(ours), "event", "list")}
    assert {"Ours", "Theirs", "Edited"} <= titles
    listed = cli("--db", str(ours), "list", "--priority", "low").stdout  # from the merged disputes' index
    assert "Gas, ours" not in listed and "re-exports" in listed
    assert "Gas, ours" in cli("--db", str(ours), "list").stdout
    with_index = answers(cli, ours)
    with_meta(ours, {k: v for k, v in meta.items() if k != "derived"})
    assert answers(cli, ours) == with_index


def test_a_digest_gives_each_reason_with_its_sources(cli):
    cli("seed")
    cli(
        "event",
        "add",
        "vfb3",
        "--date",
        "2016-06-09",
        "--title",
        "Big",
        "--score",
        "-9",
        "--source",
        "https://a.example/1",
    )
    digest = cli.json("digest", "--month", "2016-06")
    reasons = {row["reason"]["title"]: row["reason"]["sources"] for row in digest["deteriorated"]}
    assert reasons["Big"] == ["https://a.example/1"]
    assert all(sources for sources in reasons.values())  # the seed's reasons have theirs


@pytest.mark.parametrize("one_by_one", [5000, 10])
def test_a_briefing_of_many_events_shows_each_one_s_sources(cli, tmp_path, monkeypatch, one_by_one):
    """The briefs' events (their windows hold 1,000 here) get their sources by id, or past
    ONE_BY_ONE in one pass over the events; the page lists each brief's key events with them."""
    monkeypatch.setattr(reports, "ONE_BY_ONE", one_by_one)
    disputes = [{"id": f"#{d}", "title": f"Busy {d}", "opened": "2016-01-01"} for d in range(50)]
    events = [
        {
            "date": f"2016-06-{1 + n % 28:02d}",
            "title": f"Move {n}",
            "disputes": [f"#{n % 50}"],
            "sources": [f"https://x.org/{n}"],
        }
        for n in range(1000)
    ]
    export = tmp_path / "many.json"
    export.write_text(json.dumps({"disputes": disputes, "events": events}))
    cli("import", str(export))
    page = cli("report", "--format", "html", "--as-of", "2016-06-30").stdout
    key_events = [line for line in page.splitlines() if "Move " in line and "(in the window)" in line]
    assert len(key_events) >= 300
    for line in key_events:
        number = re.search(r"Move (\d+)", line).group(1)
        assert f'href="https://x.org/{number}"' in line


def forged(path: Path, section: str, old: bytes, new: bytes) -> None:
    """A section changed by hand with its checksum set anew, so that only its lines can tell."""
    payload = path.read_bytes()
    meta = meta_of(path)
    start = payload.index(f'"{section}": {{'.encode())
    text = payload[start : start + meta["sections"][section][0]]
    changed = text.replace(old, new, 1)
    assert changed != text
    meta["sections"][section] = [len(changed), zlib.crc32(changed)]
    path.write_bytes(payload.replace(text, changed))
    with_meta(path, meta)


EVENT_READS = (["report"], ["event", "list"], ["timeline"], ["chart"])
BROKEN_DATE = (b'"date":"2016-06-07"', b'"date":2016-06-07')


@pytest.mark.parametrize(
    "section, broken, reads",
    [
        ("events.index", BROKEN_DATE, EVENT_READS),
        ("events", BROKEN_DATE, EVENT_READS),
        ("disputes.index", (b'"opened":"2016"', b'"opened":2016-01'), (["list"], ["list", "--all", "--sort", "ref"])),
    ],
)
def test_a_section_whose_checksum_matches_but_whose_lines_do_not_read_is_one_clear_line(
    cli, store_path, section, broken, reads
):
    cli("seed")
    forged(store_path, section, *broken)
    before = store_path.read_bytes()
    for read in reads:
        refused = cli(*read, expect=1)
        assert_one_error_line(refused, section)
        assert "internal error" not in refused.stderr
    checked = cli("doctor", expect=1)
    assert store_path.read_bytes() == before
    if section.endswith(".index"):  # derived: doctor writes it anew, and every read works again
        table = section.removesuffix(".index")
        assert f"the index of the {table} does not match them" in checked.stdout
        assert f"wrote the index of the {table} anew" in cli("doctor", "--fix").stdout
        assert "No problems" in cli("doctor").stdout
        for read in reads:
            cli(*read)
    else:  # the user's records: named, and left for the backup or a hand to mend
        assert section in checked.stdout


def test_a_hand_edit_of_the_events_shows_at_once_though_the_index_says_otherwise(cli, store_path):
    """An edit of the same length leaves the file's layout as it was; only the events'
    checksum can tell, and the index is not read without it."""
    cli("seed")
    payload = store_path.read_bytes()
    start = payload.index(b'"events": {')
    end = start + meta_of(store_path)["sections"]["events"][0]
    section = payload[start:end]
    edited = section.replace(b"Third Forum of Regions", b"Fifth Forum of Regions", 1)
    assert edited != section and len(edited) == len(section)
    store_path.write_bytes(payload[:start] + edited + payload[end:])
    for read in (["timeline"], ["event", "list"], ["export", "--format", "md"]):
        shown = cli(*read).stdout
        assert "Fifth Forum of Regions of Belarus" in shown and "Third Forum of Regions of Belarus" not in shown, read
    cli("add", "Any change")  # the next write takes the edit in, and writes the index anew
    meta = meta_of(store_path)
    assert meta["derived"][INDEX] == meta["sections"]["events"][1]
    assert "Fifth Forum" in cli("timeline").stdout
    assert "No problems" in cli("doctor").stdout


def test_the_tables_of_a_store_are_a_mapping_that_says_what_it_holds(cli, store_path):
    """Issue 21: every table the mapping names it hands out, and the index, not a table, is
    neither named nor handed out (scan reads it)."""
    from disputes.store.decoding import read_file

    cli("seed")
    tables = read_file(store_path)
    assert INDEX not in tables and INDEX not in list(tables)
    with pytest.raises(KeyError):
        tables[INDEX]
    assert len(tables) == len(list(tables)) == len(tables.names())
    assert all(isinstance(tables[name], dict) for name in tables)


def test_bug_an_index_damaged_in_place_was_read_past_its_checksum(cli, store_path):
    """Damage inside the events' index (a key changed, the length kept): its checksum fails,
    yet report read the damaged rows it had already chosen to read, and said "internal error
    (KeyError)". The index is checked before it is used; the file is then read whole."""
    cli("seed")
    reads = (["report", "--json", "--as-of", "2016-06-30"], ["list", "--json"])
    before = [cli(*read).stdout for read in reads]
    payload = store_path.read_bytes()
    for section, field in ((b'"events.index": {', b'"disputes":'), (b'"disputes.index": {', b'"title":')):
        at = payload.index(field, payload.index(section))  # in each index, one key of one line
        payload = payload[:at] + field.replace(b"t", b" ", 1) + payload[at + len(field) :]
    store_path.write_bytes(payload)
    assert [cli(*read).stdout for read in reads] == before


@settings(max_examples=60, deadline=None)
@given(
    dates=st.lists(st.one_of(st.none(), day.map(str)), max_size=30),
    cuts=st.lists(st.integers(0, 30), max_size=4),
    change=st.sampled_from(["none", "value", "drop", "extra", "twice"]),
)
def test_doctor_s_index_check_compares_every_line_whatever_the_batches(dates, cuts, change):
    """doctor compares an index with its records as bytes, a batch of records at a time:
    batches of any size agree with a true index, and any changed, missing, extra or repeated line is found."""
    from disputes.store import indexes
    from disputes.store.sections import Body

    records = {
        f"e{n:03}": {"id": f"e{n:03}", "date": date, "title": "t", "disputes": ["d1"]} for n, date in enumerate(dates)
    }
    rows = {key: {f: record.get(f) for f in SUMMARY} for key, record in records.items()}
    if change == "value" and rows:
        first = next(iter(rows))
        rows[first] = {**rows[first], "date": "1900-01-01" if rows[first]["date"] != "1900-01-01" else None}
    elif change == "drop" and rows:
        del rows[next(iter(rows))]
    elif change == "extra":
        rows["zz"] = {f: None for f in SUMMARY}
    if change == "twice" and rows:
        lines = indexes.record_lines(rows).split(b",\n")
        body = b",\n".join([lines[0], *lines])
    else:
        body = indexes.record_lines(rows)
    check = indexes.IndexCheck("events", Body(b"{\n" + body + b"\n}", 2, 2 + len(body)))
    keys, start = list(records), 0
    for cut in [*sorted(cuts), len(keys)]:
        check.add({key: records[key] for key in keys[start:cut]})
        start = max(start, cut)
    unchanged = change == "none" or (change != "extra" and not records)  # no line to change, drop or repeat
    assert check.matches() == unchanged


_REFS = st.text(alphabet='aDs1ßſẞ\u212aﬀK"\\é ', max_size=4)


@given(st.lists(_REFS, max_size=6), _REFS)
def test_an_index_may_hold_every_reference_that_folds_to_the_one_asked_and_says_when_none_does(refs, asked):
    from disputes.store import indexes
    from disputes.store.sections import Body

    body = indexes.record_lines({f"k{n}": {"ref": ref, "title": ref} for n, ref in enumerate(refs)})
    lines = Body(b"{\n" + body + b"\n}", 2, 2 + len(body))
    wanted = asked.casefold()
    assert all(indexes.may_hold(lines, "ref", ref.casefold()) for ref in refs)  # no reference is ever missed
    if all(ref.isascii() for ref in refs) and wanted.isascii():  # the fast answer a lookup relies on
        assert indexes.may_hold(lines, "ref", wanted) == any(ref.casefold() == wanted for ref in refs)
