"""GDELT in Google BigQuery: watch rules written as the SQL that selects their rows, and
the rows BigQuery exports read as GDELT rows.

GDELT publishes its whole history as public tables (EVENT-FORMATS.md in ../shared/data):
`gdelt-bq.gdeltv2.events` (2.0, 2015 on), `gdelt-bq.full.events` (1.0, 1979 on), and their
`_partitioned` twins, split by the day a row was added (`_PARTITIONTIME`). BigQuery bills a
query by the bytes of the columns it reads over the partitions it scans, so the query reads
only the columns an import uses and, on a partitioned table, only the days that can hold
the rows. An exported row becomes the 61 fields of a GDELT 2.0 row, read by `Gdelt` as a
downloaded file's row is: the same checks, references, stories and events, so a backfill
and the files fetched before it make each event once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

import orjson

from disputes.core import dates, eventdata
from disputes.core.errors import InvalidValue
from disputes.core.eventdata import BadRow, Row
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.watch import Watch

FORMAT = "gdelt-bq"
_AND = "\n  AND "
_JSON_ROW = re.compile(r'\{\s*"GLOBALEVENTID"\s*:')


def _block(prefix: str, names: str) -> list[str]:
    return [prefix + name for name in names.split()]


_ACTOR = "Code Name CountryCode KnownGroupCode EthnicCode Religion1Code Religion2Code Type1Code Type2Code Type3Code"
_GEO = "Type FullName CountryCode ADM1Code ADM2Code Lat Long FeatureID"
# GDELT 2.0's 61 columns under the codebook's names, as the tables name them (1.0 lacks the ADM2 codes)
COLUMNS: tuple[str, ...] = (
    *["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"],
    *_block("Actor1", _ACTOR),
    *_block("Actor2", _ACTOR),
    *[
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
    ],
    *["NumArticles", "AvgTone"],
    *_block("Actor1Geo_", _GEO),
    *_block("Actor2Geo_", _GEO),
    *_block("ActionGeo_", _GEO),
    "DATEADDED",
    "SOURCEURL",
)
_AT = {name: index for index, name in enumerate(COLUMNS)}
# What `Gdelt` reads of a row: its id, day, actors (code, name, country), CAMEO code,
# Goldstein score, mentions, place and source URL. Nothing else is selected, nothing else billed.
READ: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor2Code", "Actor2Name",
    "Actor2CountryCode", "EventCode", "GoldsteinScale", "NumMentions", "ActionGeo_FullName", "SOURCEURL",
)  # fmt: skip

# The public tables, and whether each is split by the day a row was added.
TABLES = {
    "gdelt-bq.gdeltv2.events": False,
    "gdelt-bq.gdeltv2.events_partitioned": True,
    "gdelt-bq.full.events": False,
    "gdelt-bq.full.events_partitioned": True,
}
DEFAULT_TABLE = "gdelt-bq.gdeltv2.events_partitioned"
# The first day each dataset holds (EVENT-FORMATS.md): a window is bounded by it and by today.
FIRST_DAY = {"gdelt-bq.gdeltv2": "2015-02-18", "gdelt-bq.full": "1979-01-01"}
LATE_DAYS = 7  # a row is added to GDELT on its day or soon after: partitions scanned past --until


def _listed(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)  # codes are checked: letters and digits only


def _rule_filter(rule: Watch) -> str:
    """A rule as SQL, meaning what `Watch.matches` means: two of its actors as the two sides
    (either way round), or its one actor on either side; a code under a prefix; enough mentions."""
    if len(rule.actors) == 1:
        sides = f"'{rule.actors[0]}' IN (Actor1CountryCode, Actor2CountryCode)"
    else:
        pool = _listed(rule.actors)
        sides = (
            f"Actor1CountryCode IN ({pool}) AND Actor2CountryCode IN ({pool})"
            " AND Actor1CountryCode <> Actor2CountryCode"
        )
    parts = [sides]
    if rule.codes:
        parts.append("(" + " OR ".join(f"EventCode LIKE '{code}%'" for code in rule.codes) + ")")
    if rule.min_mentions:
        parts.append(f"NumMentions >= {rule.min_mentions}")
    return "\n      AND ".join(parts)


def date_range(since: str, until: str) -> tuple[str, str]:
    """The first and last day of `--since` and `--until` (partial dates cover their whole period)."""
    first = dates.start_of(dates.parse_date(since, what="--since")).isoformat()
    last = dates.end_of(dates.parse_date(until, what="--until"))
    if first > last:
        raise InvalidValue(f"--since {since} is after --until {until}: give the earlier day first")
    return first, last


def held(table: str, first: str, last: str, *, since: str, until: str) -> tuple[str, str]:
    """The days of `first`..`last` that `table` can hold: from its first day to today. A window
    wholly outside them is refused (year 9999 wrote a partition filter ending before it began)."""
    start, now = FIRST_DAY[table.rsplit(".", 1)[0]], dates.today()
    if first > now:
        raise InvalidValue(f"--since {since} is after today ({now}): GDELT holds no events of it yet")
    if last < start:
        older = " (gdelt-bq.full.events holds 1979 on)" if start > FIRST_DAY["gdelt-bq.full"] else ""
        raise InvalidValue(f"--until {until} is before {table} begins, on {start}: give a later window{older}")
    return max(first, start), min(last, now)


def table_of(name: str) -> str:
    """A public GDELT events table by its name (with or without backticks, `:` for the first dot)."""
    plain = name.strip().strip("`").replace(":", ".", 1)
    if plain not in TABLES:
        raise InvalidValue(f"--table {name!r} is not one of GDELT's events tables: {', '.join(TABLES)}")
    return plain


def query(rules: list[Watch], since: str, until: str, table: str = DEFAULT_TABLE, late_days: int = LATE_DAYS) -> str:
    """BigQuery Standard SQL selecting the rows of `table` between two days that `rules` take."""
    if not rules:
        raise InvalidValue("no watch rules: add one first, e.g. `disputes watch DISPUTE --actors BLR,RUS`")
    if not 0 <= late_days <= 3660:
        raise InvalidValue(f"--late-days {late_days} is not a number of days from 0 to 3660")
    table = table_of(table)
    first, last = held(table, *date_range(since, until), since=since, until=until)
    # The text starts with SELECT, not a comment: `bq query "$(disputes watch sql ...)"` would read a
    # leading "--" as a flag. Each rule's filter is labelled where it stands.
    where = [f"SQLDATE BETWEEN {first.replace('-', '')} AND {last.replace('-', '')}  -- {first} to {last}"]
    if TABLES[table]:
        # rows are filed under the day GDELT added them: from the first day, to a few days after the last
        after = dates.plus_days(last, late_days + 1) or "9999-12-31"
        where.insert(
            0,
            f"_PARTITIONTIME >= TIMESTAMP '{first}' AND _PARTITIONTIME < TIMESTAMP '{after}'"
            f"  -- the days the rows were added: only these are read",
        )
    wanted = "\n    OR ".join(
        f"(  -- rule {rule.id} (dispute {rule.dispute}): {rule.describe()}\n      {_rule_filter(rule)}\n    )"
        for rule in rules
    )
    return (
        f"SELECT {', '.join(READ)}  -- only what an import reads: BigQuery bills the columns read\n"
        f"FROM `{table}`\n"
        f"WHERE {_AND.join(where)}\n"
        f"  AND (\n    {wanted}\n  )\n"
    )


def _text(value: JsonValue) -> str:
    """A JSON value as a CSV export writes it: integers as digits (numbers or strings), null empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRow("", f"{orjson.dumps(value).decode()[:40]} is not a value of a GDELT column")
    return str(value)


def json_fields(line: str) -> list[str]:
    """One line of newline-delimited JSON as the fields of `COLUMNS` (a column it lacks is null)."""
    try:
        found = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise BadRow("", "not a JSON object (BigQuery's newline-delimited JSON has one a line)") from None
    if not isinstance(found, dict):
        raise BadRow("", "not a JSON object (BigQuery's newline-delimited JSON has one a line)")
    fields = [""] * len(COLUMNS)
    for name, value in found.items():
        index = _AT.get(name)
        if index is not None:
            fields[index] = _text(value)
    return fields


def detect(first_line: str) -> bool:
    """Whether a file's first line is a BigQuery export of GDELT: a CSV header of its
    column names, or a JSON object holding its id and day."""
    line = first_line.strip()
    if line.startswith("{"):  # BigQuery writes the columns in the query's order: the id first
        return _JSON_ROW.match(line) is not None
    return {"GLOBALEVENTID", "SQLDATE", "EventCode"} <= {name.strip().strip('"') for name in line.split(",")}


class Export:
    """The rows of a BigQuery export: CSV under a header of column names (JSON lines come as
    the fields of every column, `json_fields`), read as GDELT 2.0 rows are."""

    # only a wanted row is repaired to text (as GDELT's), since the 61 fields repeat the row's
    header = False
    _GDELT: ClassVar = eventdata.Gdelt(len(COLUMNS))

    def __init__(self, names: list[str]):
        at = {name.strip(): index for index, name in enumerate(names)}
        missing = [name for name in READ if name not in at]
        if missing:
            raise InvalidValue(
                f"the header has no column {missing[0]!r}: select {', '.join(READ)} (as `disputes watch sql` does)"
            )
        self.width = len(names)
        self._taken = [(at[name], _AT[name]) for name in READ]

    def _gdelt(self, f: list[str]) -> list[str]:
        if len(f) != self.width:
            raise BadRow("", f"{len(f)} columns where the header has {self.width}")
        row = [""] * len(COLUMNS)
        for source, target in self._taken:
            row[target] = f[source]
        return row

    def row(self, f: list[str], watched: frozenset[str]) -> Row | None:
        return self._GDELT.row(self._gdelt(f), watched)

    def story(self, f: list[str], row: Row) -> str:
        return self._GDELT.story(self._gdelt(f), row)

    def event(self, f: list[str], row: Row) -> JsonRecord:
        return self._GDELT.event(self._gdelt(f), row)


class JsonExport(Export):
    """The rows of newline-delimited JSON: each row comes as its one line, an object."""

    def __init__(self) -> None:
        super().__init__(list(COLUMNS))

    def _gdelt(self, f: list[str]) -> list[str]:
        return super()._gdelt(json_fields(f[0]))
