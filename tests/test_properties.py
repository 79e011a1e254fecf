"""Property-based tests: dates, stored values and typed titles survive as promised."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core import event as event_rules
from disputes.core import frozen, model
from disputes.core.actors import Directory
from disputes.core.dates import days_in_month, end_of, parse_date
from disputes.core.errors import InvalidValue
from disputes.core.frozen import Frozen
from disputes.core.patterns import Pattern
from disputes.store.decoding import decode, encode

EVENT_FIELDS = (*event_rules.EDITABLE, "disputes")
DISPUTE_FIELDS = (*model.KEPT, "created", "status_history")
DIRECTORY = Directory()  # the built-in actors, read once for every example
FIXTURE_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_full_dates_round_trip(day):
    assert parse_date(day.isoformat()) == day.isoformat()
    written = f"{day.day} {day.strftime('%B').upper()} {day.year:04d}"  # as the WTO list writes them
    assert parse_date(written) == day.isoformat()


@given(st.integers(1, 9999), st.integers(1, 12))
def test_partial_dates_are_kept_as_given(year, month):
    assert parse_date(f"{year:04d}") == f"{year:04d}"
    assert parse_date(f"{year:04d}-{month:02d}") == f"{year:04d}-{month:02d}"


@given(st.text(max_size=30))
def test_any_text_is_a_canonical_date_or_a_clear_refusal(text):
    try:
        value = parse_date(text)
    except InvalidValue as refusal:
        assert str(refusal)
        return
    assert parse_date(value) == value  # canonical: parsing again changes nothing


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1), st.dictionaries(st.text(), json_values, max_size=5), max_size=6))
def test_store_encoding_round_trips_any_records(records):
    data = {"_meta": {"format": "disputes", "schema": 1}, "disputes": records, "history": {}}
    decoded = decode(encode(data), Path("x.json"))
    assert {"_meta": decoded.meta, **decoded.load_all()} == data


one_line_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")),
    min_size=1,
    max_size=80,
).filter(lambda t: unicodedata.normalize("NFC", t).strip() and not t.startswith("-"))


@FIXTURE_SETTINGS
@given(title=one_line_text, party=one_line_text)
def test_typed_titles_and_parties_come_back_exactly(cli, title, party):
    added = cli.add(title, "--party", party)
    shown = cli.json("show", added["id"])
    assert shown["title"] == unicodedata.normalize("NFC", title).strip()
    typed = unicodedata.normalize("NFC", party).strip()
    actor = DIRECTORY.find(typed)  # a name an actor has comes back as the actor's name
    assert shown["parties"] == [actor.name if actor else typed]


@FIXTURE_SETTINGS
@given(bad=st.text(min_size=1, max_size=20).map(lambda t: "a" + t + "\x07"))
def test_control_characters_are_refused_without_a_write(cli, store_path, bad):
    result = cli("add", bad, expect=2)
    assert "control characters" in result.stderr
    assert not store_path.exists()


ACTIONS = st.lists(
    st.sampled_from(["add", "edit", "status", "event", "link", "delete", "undo", "seed"]), min_size=1, max_size=8
)


@FIXTURE_SETTINGS
@given(actions=ACTIONS)
def test_the_file_keeps_its_canonical_layout_whatever_commands_ran(cli, store_path, actions):
    """The writer splices changed tables into the old bytes; the result must equal a full re-encode."""
    from disputes.store.decoding import read_file

    for n, action in enumerate(actions):
        disputes = cli.json("list", "--all")
        first = disputes[0]["id"] if disputes else None
        if action == "add" or first is None:
            cli("add", f"dispute {n}", "-p", "Belarus")
        elif action == "edit":
            cli("edit", first, "--title", f"renamed {n}")
        elif action == "status":
            cli("status", first, "frozen" if disputes[0]["status"] != "frozen" else "open")
        elif action == "event":
            cli("event", "add", first, "--date", "2016", "--title", f"event {n}")
        elif action == "link" and len(disputes) > 1:
            cli("link", first, disputes[1]["id"], "--as", "blocks", expect=None)
        elif action == "delete":
            cli("delete", first, "--yes", "--cascade")
        elif action == "undo":
            cli("undo", expect=None)
        elif action == "seed":
            cli("seed")
    payload = store_path.read_bytes()
    assert encode({**read_file(store_path).load_all(), "_meta": read_file(store_path).meta}) == payload
    store_path.unlink()


@given(st.text())
def test_markdown_escaping_is_the_rule_written_as_patterns(text):
    """markdown_escape is one str.translate pass; the rule it keeps, as substitutions."""
    import re

    from disputes.render.common import markdown_escape

    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    expected = re.sub(r"([\\`*_\[\]#+!|~])", r"\\\1", expected)
    assert markdown_escape(text) == expected


@given(st.binary(max_size=5000), st.integers(0, 5000), st.integers(0, 2**32 - 1))
def test_the_store_s_checksum_is_zlib_s_crc32_whole_or_in_pieces(data, cut, start):
    """The store checks its large sections with ISA-L's CRC-32 where it is installed, its
    small ones with zlib's: a file written with either reads with the other, so they must
    agree to the bit."""
    import zlib

    from disputes.store.files import crc32_for

    for crc32 in (crc32_for(len(data)), crc32_for(1 << 30)):  # a small section's, a large one's
        assert crc32(data) == zlib.crc32(data)
        assert crc32(data[cut:], crc32(data[:cut], start)) == zlib.crc32(data, start)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)), st.booleans())
def test_one_line_text_is_trimmed_or_refused_for_a_control_character(value, required):
    """Plain ASCII takes a fast path through one_line: it must answer as the rule says."""
    from disputes.core.fields import MAX_LINE, one_line

    stripped = value.strip()
    controlled = any(ord(c) < 0x20 or ord(c) == 0x7F for c in stripped)
    try:
        got = one_line(value, "title", required=required)
    except InvalidValue:
        assert controlled or (required and not stripped) or len(stripped) > MAX_LINE
    else:
        assert got == stripped and not controlled and (stripped or not required)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_free_text_keeps_lines_and_tabs_and_refuses_other_controls(value):
    from disputes.core.fields import free_text

    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    controlled = any((ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7F for c in text)
    try:
        got = free_text(value, "summary")
    except InvalidValue:
        assert controlled
    else:
        assert got == text and not controlled


class _Step(Frozen):  # core.frozen, checked against the frozen dataclass it stands in for
    title: str
    days: int = 0
    sources: tuple = ()


@dataclasses.dataclass(frozen=True)
class _StepAsDataclass:
    title: str
    days: int = 0
    sources: tuple = ()


_values = st.tuples(st.text(max_size=5), st.integers(-3, 3), st.tuples(st.text(max_size=3)))


@given(_values, _values, st.integers(1, 3), st.dictionaries(st.sampled_from(["days", "sources"]), st.integers(0, 2)))
def test_a_frozen_value_behaves_as_a_frozen_dataclass(first, second, given_positionally, changes):
    def both(values):
        keywords = dict(zip(("title", "days", "sources"), values, strict=True))
        positional, named = values[:given_positionally], dict(list(keywords.items())[given_positionally:])
        return _Step(*positional, **named), _StepAsDataclass(*positional, **named)

    (ours, theirs), (other, other_theirs) = both(first), both(second)
    assert repr(ours).removeprefix("_Step") == repr(theirs).removeprefix("_StepAsDataclass")
    assert (ours == other) == (theirs == other_theirs)
    assert hash(ours) == hash(_Step(**dict(reversed(ours.__dict__.items())))) and (ours == other) <= (
        hash(ours) == hash(other)
    )
    changed, changed_theirs = frozen.replace(ours, **changes), dataclasses.replace(theirs, **changes)
    assert repr(changed).removeprefix("_Step") == repr(changed_theirs).removeprefix("_StepAsDataclass")
    assert ours != theirs and ours == _Step(*first)
    for wrong in (lambda: setattr(ours, "days", 1), lambda: delattr(ours, "title")):
        with pytest.raises(AttributeError):
            wrong()
    refused = [  # as a dataclass refuses them: a field missing, one too many, unknown or given twice
        lambda: _Step(),
        lambda: _Step(*first, 1),
        lambda: _Step(*first, colour=1),
        lambda: _Step(*first[:1], title="again"),
        lambda: frozen.replace(ours, colour="red"),
    ]
    for wrong in refused:
        with pytest.raises(TypeError):
            wrong()


@given(st.integers(1, 9999), st.integers(1, 12))
def test_the_length_of_a_month_is_the_calendar_s(year, month):
    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
    assert end_of(f"{year:04d}-{month:02d}") == f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


@given(st.text(alphabet="ab\n\x00\u00e9 ", max_size=12), st.sampled_from(["a+", "^a", "[^\\x00-\\x7f]", "\\s*$"]))
def test_a_pattern_compiled_when_first_used_answers_as_re_does(text, regex):
    lazy, compiled = Pattern(regex), re.compile(regex)
    for _ in range(2):  # before its first use and after
        assert bool(lazy.search(text)) == bool(compiled.search(text))
        assert lazy.sub("-", text) == compiled.sub("-", text)
        assert lazy.findall(text) == compiled.findall(text)


# values a stored field may hold after a hand edit or a bad merge: right ones, and wrong ones
# of every kind the checks tell apart (the wrong type, a control character, too long, empty,
# not ASCII, unhashable, True where a number belongs)
_stored = st.one_of(
    st.sampled_from(["2016-06-07", "2016", "statement", "escalating", "open", "high", "Belarus", "", " ", "0412"]),
    st.text(alphabet="ab \t\n\x00\x85é\u200b", max_size=6),
    st.text(alphabet="x", min_size=299, max_size=302),
    st.integers(-12, 12),
    st.sampled_from([True, False, None, 2.5, float("nan")]),
    st.lists(st.sampled_from(["Belarus", "belarus", " Russia", "", "a\x00", "é", 1, "x" * 301, "x" * 900]), max_size=3),
    st.dictionaries(st.sampled_from(["Belarus", "Russia"]), st.sampled_from(["respondent", "judge"]), max_size=2),
)


@FIXTURE_SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from([*EVENT_FIELDS, *DISPUTE_FIELDS]), _stored, max_size=8), max_size=6))
def test_a_batch_checked_a_column_at_a_time_finds_what_each_record_s_check_finds(drawn):
    for rules in (event_rules, model):
        batch = {f"k{number}": {"id": f"k{number}", **record} for number, record in enumerate(drawn)}
        batch["odd"] = ["not an object"] if len(drawn) % 2 else {"id": "odd", "title": "Right", "date": "2016"}
        one_by_one = {key: rules.record_problems(key, record) for key, record in batch.items()}
        assert rules.problems_in(batch) == {key: found for key, found in one_by_one.items() if found}


def test_a_frozen_class_derived_after_its_base_was_built_takes_its_own_fields():
    class Base(Frozen):
        title: str

    assert Base("a") == Base(title="a")  # Base's __init__ is written now
    derived = type("Derived", (Base,), {"__annotations__": {"days": "int"}, "days": 0})
    assert repr(derived("b", 2)) == "Derived(title='b', days=2)" and derived("b").days == 0


@FIXTURE_SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(event_rules.EDITABLE), _stored, max_size=6), max_size=6))
def test_fields_a_batch_gives_clean_already_are_cleaned_the_same_when_taken_as_they_are(drawn):
    settled = event_rules.settled_in(drawn)

    def cleaned(fields, settled=frozenset()):
        try:
            return event_rules.clean_fields(fields, settled)
        except (InvalidValue, TypeError, AttributeError) as problem:  # as import reads them
            return f"{type(problem).__name__}: {problem}"

    for fields in drawn:
        assert cleaned(fields, settled) == cleaned(fields)
    given = {"date": "2016-06-07", "title": "Right", "score": -7.0, "kind": "statement", "actors": ["BLR", "Russia"]}
    exported = [event_rules.Event(id="x", disputes=("d",), **event_rules.clean_fields(given)).to_dict()]
    settled = {"date", "title", "score", "kind", "actors", "sources", "refs"}
    assert event_rules.settled_in(exported) >= settled  # an export's fields are settled
    repeated = [{"actors": ["Belarus", "belarus"], "sources": ["a", "A"]}, {"actors": ["Russia"], "sources": ["b"]}]
    found = event_rules.settled_in(repeated)
    assert "actors" not in found and "sources" in found  # names repeat in any case, sources only exactly
