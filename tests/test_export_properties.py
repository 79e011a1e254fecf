"""Issue 20, properties: a random store with every field of every table set comes back from
export -> import equal, field for field; a random cut of an export is refused whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core import cameo, ids, relation
from disputes.core.actors import Directory, fold
from disputes.core.deadline import Deadline
from disputes.core.event import Event
from disputes.core.model import Dispute
from disputes.core.vocabulary import ALERTS, PRIORITIES, STATUSES
from disputes.core.watch import Watch
from disputes.store.database import open_store

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
TABLES = ("disputes", "events", "relations", "deadlines", "watches")

# one line of text as the models keep it: trimmed, printable, NFC (what typed input becomes)
line = (
    st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=30)
    .map(lambda text: __import__("unicodedata").normalize("NFC", text).strip())
    .filter(bool)
)
day = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
partial = st.one_of(day, day.map(lambda d: d[:7]), day.map(lambda d: d[:4]))
stamp = st.datetimes(dt.datetime(2015, 1, 1), dt.datetime(2030, 1, 1)).map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ"))
names = st.lists(line, max_size=3, unique_by=str.casefold).map(tuple)
sources = st.lists(line, max_size=3, unique=True).map(tuple)
DIRECTORY = Directory()
# parties as a store keeps them: each under its actor's name ("EC" is kept as "European Union")
parties = names.map(lambda drawn: tuple({fold(n): n for n in map(DIRECTORY.canonical, drawn)}.values()))


@st.composite
def disputes(draw, key: str) -> Dispute:
    steps = sorted(draw(st.lists(st.tuples(partial, st.sampled_from(sorted(STATUSES)), line), min_size=1, max_size=3)))
    return Dispute(
        id=key,
        title=draw(line),
        status=steps[-1][1],
        ref=draw(st.one_of(st.just(""), line.map(lambda t: f"{t}-{key}"))),
        summary=draw(line),
        status_detail=draw(line),
        topic=draw(line),
        parties=draw(parties),
        tags=draw(names),
        priority=draw(st.sampled_from(sorted(PRIORITIES))),
        opened=draw(partial),
        sources=draw(sources),
        alerts=tuple(draw(st.lists(st.sampled_from(sorted(ALERTS)), max_size=2, unique=True))),
        created=draw(stamp),
        updated=draw(stamp),
        status_history=tuple({"date": d, "status": s, "note": n} for d, s, n in steps),
        review_every=draw(st.integers(0, 365)),
        last_review=draw(st.one_of(st.just(""), day)),
    )


@st.composite
def events(draw, key: str, linked: tuple[str, ...]) -> Event:
    fields = {
        "date": draw(partial),
        "title": draw(line),
        "description": draw(line),
        "kind": draw(st.sampled_from(("meeting", "statement", "measure", "agreement", "incident", "ruling", "other"))),
        "effect": draw(st.sampled_from(("escalating", "de-escalating", "neutral"))),
        "score": draw(st.one_of(st.none(), st.integers(-20, 20).map(lambda n: n / 2))),
        "code": draw(st.one_of(st.just(""), st.sampled_from(sorted(cameo.codes())))),
        "actors": draw(names),
        "place": draw(line),
        "sources": draw(sources),
        "ref": draw(st.one_of(st.just(""), line.map(lambda t: f"gdelt:{t}"))),
        "mentions": draw(st.one_of(st.none(), st.integers(0, 10_000))),
    }
    imported = draw(
        st.one_of(st.none(), st.just({k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()}))
    )
    return Event(id=key, disputes=linked, imported=imported, created=draw(stamp), updated=draw(stamp), **fields)


@st.composite
def stores(draw) -> dict[str, dict]:
    keys = draw(
        st.lists(
            st.text("0123456789abcdefghjkmnpqrstvwxyz", min_size=10, max_size=10), min_size=1, max_size=4, unique=True
        )
    )
    tables: dict[str, dict] = {name: {} for name in TABLES}
    for key in keys:
        tables["disputes"][key] = draw(disputes(key)).to_dict()
    for number in range(draw(st.integers(0, 4))):
        linked = tuple(draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True)))
        key = ids.derived(f"event {number}")
        tables["events"][key] = draw(events(key, linked)).to_dict()
    for number in range(draw(st.integers(0, 3))):
        key = ids.derived(f"deadline {number}")
        tables["deadlines"][key] = Deadline(
            id=key,
            dispute=draw(st.sampled_from(keys)),
            date=draw(day),
            title=draw(line),
            sources=draw(sources),
            done=draw(st.one_of(st.none(), day)),
            rule=draw(st.sampled_from(("", "wto-dsu"))),
            created=draw(stamp),
            updated=draw(stamp),
        ).to_dict()
    for number in range(draw(st.integers(0, 2))):
        key = ids.derived(f"watch {number}")
        tables["watches"][key] = Watch(
            id=key,
            dispute=draw(st.sampled_from(keys)),
            actors=tuple(
                draw(st.lists(st.sampled_from(("BLR", "RUS", "POL", "UKR")), min_size=1, max_size=3, unique=True))
            ),
            codes=tuple(draw(st.lists(st.sampled_from(("16", "17", "04", "0874")), max_size=2, unique=True))),
            min_mentions=draw(st.integers(0, 50)),
            created=draw(stamp),
            updated=draw(stamp),
        ).to_dict()
    if len(keys) > 1:
        source, target = keys[0], keys[1]
        kind = draw(st.sampled_from(sorted(relation.TYPES)))
        tables["relations"][relation.key(source, kind, target)] = {"from": source, "type": kind, "to": target}
    return tables


def _write(path: Path, tables: dict[str, dict]) -> None:
    with open_store(path, write=True) as store:
        for name, records in tables.items():
            store.insert_many(name, records)
        store.describe("test", "a random store")


def _tables(path: Path) -> dict[str, dict]:
    with open_store(path) as store:
        return {name: dict(store.records(name)) for name in TABLES}


@SETTINGS
@given(tables=stores())
def test_a_store_with_every_field_set_comes_back_from_export_and_import_equal(cli, tmp_path_factory, tables):
    folder = tmp_path_factory.mktemp("round")
    original, copy, export = folder / "original.json", folder / "copy.json", folder / "export.json"
    _write(original, tables)
    cli("--db", str(original), "export", "--output", str(export))
    cli("--db", str(copy), "import", str(export))
    assert _tables(copy) == _tables(original) == tables
    assert cli("--db", str(copy), "doctor").exit_code == 0


@SETTINGS
@given(tables=stores(), data=st.data())
def test_a_random_cut_of_an_export_is_refused_whole(cli, tmp_path_factory, tables, data):
    folder = tmp_path_factory.mktemp("cut")
    original, export, cut, copy = (folder / name for name in ("original.json", "e.json", "cut.json", "copy.json"))
    _write(original, tables)
    cli("--db", str(original), "export", "--output", str(export))
    payload = export.read_bytes()
    cut.write_bytes(payload[: data.draw(st.integers(0, len(payload) - 2))])
    result = cli("--db", str(copy), "import", str(cut), expect=None)
    assert result.exit_code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "internal error" not in result.stderr
    assert not copy.exists()
