"""How the columns of a CSV file become dispute fields: the mapping an import is given.

`--map COLUMN=FIELD` names a header (or `#N`, the N-th column from 1) and a dispute field;
`--derive FIELD=COLUMN:REGEX` takes a field from the first group of a pattern in a column
(RE2, see core/user_regex.py); `--split FIELD=SEP` splits list fields; `--set FIELD=VALUE`
adds constants; `--status-map PATTERN=STATE` turns the source's own status phrase (kept in
status_detail) into one of ours, first matching glob wins; `--date-parts
FIELD=DAY,MONTH,YEAR` builds a date from three columns, a part equal to an `--unknown`
sentinel (or empty) left out, so the date is partial; `--merge-rows` takes the rows that
share a ref as one dispute (core/row_merge.py); `--code-scheme` reads party codes of
another scheme, for this import only (ops/interchange/code_schemes.py). With no column
mapped, a header that names a field maps itself (`from_header`).

A mapping is kept as the options that made it (`options`), so that a saved import profile
is those options and reads back into the same mapping.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from disputes.core import model, user_regex, vocabulary
from disputes.core.dates import parse_date, today
from disputes.core.errors import InvalidValue
from disputes.core.fields import one_line
from disputes.core.jsontypes import JsonRecord

ROLE_FIELDS = vocabulary.CSV_ROLES
FIELDS = vocabulary.CSV_FIELDS
LIST_FIELDS = (*model.LIST_FIELDS, *ROLE_FIELDS)  # the fields that take several values (and --split)
# the code schemes a file's parties may be written in, besides ISO 3166 alpha-3 (and names):
# the Correlates of War's state abbreviations (whose AUS is Austria, ISO's Australia)
CODE_SCHEMES = {"cow": "the Correlates of War's state abbreviations (UKG, GMY, AUH, ...)"}
SPLIT_BY_DEFAULT = ";"  # a list column that maps itself is split here (names hold commas)
# the options a mapping (and a saved profile) is made of, each a list of texts but the last three
OPTIONS = (
    "map",
    "split",
    "status_map",
    "stage_map",
    "set",
    "derive",
    "date_parts",
    "unknown",
    "merge_rows",
    "code_scheme",
)


def _pair(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InvalidValue(f"{option} takes NAME=VALUE, not {text!r}")
    return name.strip(), value


def _field(name: str, option: str) -> str:
    if name not in FIELDS:
        raise InvalidValue(f"{option}: unknown field {name!r}: choose one of {', '.join(FIELDS)}")
    return name


def field_named(header: str) -> str | None:
    """The field a column header names, if it names one (`Status Detail` is status_detail)."""
    name = "_".join(header.strip().casefold().replace("-", " ").split())
    return name if name in FIELDS else None


@dataclass
class Mapping:
    """How the columns of a CSV file become dispute fields."""

    columns: list[tuple[str, str]] = field(default_factory=list)
    splits: dict[str, str] = field(default_factory=dict)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    stages: list[tuple[str, str]] = field(default_factory=list)  # (glob of the status phrase, stage)
    constants: dict[str, list[str]] = field(default_factory=dict)
    derived: list[tuple[str, str, Any]] = field(default_factory=list)  # (field, column, RE2 pattern)
    status_date: str = ""  # the day the source's statuses were true ("": not said, so today)
    date_parts: list[tuple[str, tuple[str, str, str]]] = field(default_factory=list)  # (field, day/month/year)
    unknown: tuple[str, ...] = ()  # what a date part holds when it is not known (besides nothing)
    merge_rows: bool = False
    code_scheme: str = ""
    options: dict[str, Any] = field(default_factory=dict)  # the options that made it (a profile)
    automatic: bool = False  # mapped from the header, no column named by the user

    @classmethod
    def parse(
        cls,
        maps: Iterable[str] = (),
        splits: Iterable[str] = (),
        status_maps: Iterable[str] = (),
        sets: Iterable[str] = (),
        derives: Iterable[str] = (),
        status_date: str = "",
        *,
        date_parts: Iterable[str] = (),
        unknown: str | Iterable[str] = (),
        merge_rows: bool = False,
        code_scheme: str = "",
        stage_maps: Iterable[str] = (),
    ) -> Mapping:
        mapping = cls(status_date=parse_date(status_date, what="--status-date") if status_date else "")
        unknown = (unknown,) if isinstance(unknown, str) else tuple(unknown)
        mapping.options = {
            "map": list(maps),
            "split": list(splits),
            "status_map": list(status_maps),
            "stage_map": list(stage_maps),
            "set": list(sets),
            "derive": list(derives),
            "date_parts": list(date_parts),
            "unknown": list(unknown),
            "merge_rows": bool(merge_rows),
            "code_scheme": code_scheme or "",
        }
        for text in maps:
            column, name = _pair(text, "--map")
            name = _field(name.strip(), "--map")
            if name not in LIST_FIELDS and any(f == name for _, f in mapping.columns):
                raise InvalidValue(f"--map: field {name!r} is mapped twice; only list fields take several columns")
            mapping.columns.append((column, name))
        for text in derives:
            name, rule = _pair(text, "--derive")
            column, colon, pattern = rule.partition(":")
            if not colon or not column.strip() or not pattern:
                raise InvalidValue(f"--derive takes FIELD=COLUMN:REGEX, not {text!r}")
            compiled = user_regex.compiled(pattern, f"--derive {name}")
            if compiled.groups < 1:
                raise InvalidValue(f"--derive {name}: the pattern {pattern!r} needs a group, e.g. '^(.+?) — '")
            mapping.derived.append((_field(name, "--derive"), column.strip(), compiled))
        for text in date_parts:
            name, columns = _pair(text, "--date-parts")
            parts = tuple(part.strip() for part in columns.split(","))
            if len(parts) != 3 or not all(parts):
                raise InvalidValue(
                    f"--date-parts takes FIELD=DAY,MONTH,YEAR (three columns), not {text!r}, "
                    "e.g. opened=strtday,strtmnth,strtyr"
                )
            if _field(name, "--date-parts") != "opened":
                raise InvalidValue(f"--date-parts: {name!r} is not a date field; the date a column may fill is opened")
            mapping.date_parts.append((name, (parts[0], parts[1], parts[2])))
        mapping.unknown = tuple(value.strip() for value in unknown)
        for text in splits:
            name, separator = _pair(text, "--split")
            if _field(name, "--split") not in LIST_FIELDS:
                raise InvalidValue(f"--split: {name!r} is not a list field ({', '.join(LIST_FIELDS)})")
            if not separator:
                raise InvalidValue(f"--split {name}= needs a separator, e.g. --split '{name}=; '")
            mapping.splits[name] = separator
        for text in status_maps:
            pattern, state = _pair(text, "--status-map")
            mapping.statuses.append((pattern.casefold(), model.status(state)))
        for text in stage_maps:
            pattern, stage = _pair(text, "--stage-map")
            mapping.stages.append((pattern.casefold(), one_line(stage, "stage", required=True)))
        for text in sets:
            name, value = _pair(text, "--set")
            mapping.constants.setdefault(_field(name, "--set"), []).append(value)
        mapping.merge_rows = bool(merge_rows)
        if code_scheme and code_scheme.casefold() not in CODE_SCHEMES:
            raise InvalidValue(
                f"--code-scheme: unknown scheme {code_scheme!r}: choose one of {', '.join(CODE_SCHEMES)} "
                "(ISO 3166 alpha-3, the default, needs none)"
            )
        mapping.code_scheme = code_scheme.casefold()
        return mapping

    @classmethod
    def from_options(cls, options: JsonRecord, status_date: str = "") -> Mapping:
        """The mapping a saved profile's options make."""
        return cls.parse(
            options.get("map", ()),
            options.get("split", ()),
            options.get("status_map", ()),
            options.get("set", ()),
            options.get("derive", ()),
            status_date,
            date_parts=options.get("date_parts", ()),
            unknown=options.get("unknown", ()),
            merge_rows=bool(options.get("merge_rows")),
            code_scheme=options.get("code_scheme", ""),
            stage_maps=options.get("stage_map", ()),
        )

    def saved_options(self) -> dict[str, Any]:
        """The options to save as a profile: those given, with the columns that mapped
        themselves from the header written out (so the profile means the same on a file
        whose header differs)."""
        if not self.automatic:
            return dict(self.options)
        splits = [f"{name}={sep}" for name, sep in self.splits.items()]
        return {**self.options, "map": [f"{column}={name}" for column, name in self.columns], "split": splits}

    @staticmethod
    def combined(saved: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
        """A profile's options with a command line's added: lists joined, a flag given or saved,
        a code scheme given replacing the saved one."""
        combined = dict(saved)
        for name in OPTIONS:
            value = given.get(name)
            if isinstance(value, list):
                combined[name] = [*saved.get(name, ()), *value]
            elif value:
                combined[name] = value
        return combined

    def given(self) -> set[str]:
        """The fields the mapping fills."""
        return (
            {f for _, f in self.columns}
            | set(self.constants)
            | {f for f, _, _ in self.derived}
            | {f for f, _ in self.date_parts}
        )

    def for_header(self, header: list[str]) -> Mapping:
        """This mapping, made whole for a file's header: with no column mapped, each header
        that names a field maps itself (list fields split at ";"); a status column whose
        phrases no --status-map turns into states is read as the status detail (and refused
        by `checked_statuses` when its phrases are not states). Then a title is needed: a
        column, a constant, or else the ref."""
        if not self.columns:
            for column in header:
                name = field_named(column)
                if name and name not in self.given():
                    self.columns.append((column, name))
                    self.automatic = True
                    if name in LIST_FIELDS:
                        self.splits.setdefault(name, SPLIT_BY_DEFAULT)
        given = self.given()
        if "title" not in given and "ref" not in given:
            named = ", ".join(repr(h) for h in header if h.strip())
            raise InvalidValue(
                f"map a column to the title (or the ref), e.g. --map Title=title; no column of the file "
                f"names a field (columns: {named})"
            )
        return self

    def step_date(self, opened: str) -> str:
        """The day a row's mapped status is dated: --status-date, else today (never before the opening)."""
        return max(self.status_date or today(), opened)

    def status_for(self, phrase: str) -> str:
        for pattern, state in self.statuses:
            if fnmatch.fnmatchcase(phrase.casefold(), pattern):
                return state
        return "open"

    def stage_for(self, phrase: str) -> str:
        """The stage a status phrase says the case reached (first matching --stage-map), or ""."""
        for pattern, stage in self.stages:
            if fnmatch.fnmatchcase(phrase.casefold(), pattern):
                return stage
        return ""

    def date_from_parts(self, day: str, month: str, year: str) -> str:
        """A date from its parts, each left out when unknown (a sentinel or nothing), so that
        the date is as partial as the source knows it: "" when the year is not known."""
        day, month, year = (part.strip() if part.strip() not in self.unknown else "" for part in (day, month, year))
        if not year:
            return ""
        parts = [year] + ([month] if month else []) + ([day] if month and day else [])
        if not all(part.lstrip("-").isdigit() for part in parts):
            raise InvalidValue(f"the date parts {'/'.join(parts[::-1])} are not numbers")
        numbers = [int(part) for part in parts]
        text = "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])
        return parse_date(text, what="the date from its parts")
