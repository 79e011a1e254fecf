"""Import profiles: a CSV mapping saved under a name, shared with the team through the store.

A profile keeps the options that made the mapping (`csv_mapping.OPTIONS`: maps, splits,
status and stage maps, sets, derives, date parts, the unknown sentinels, merge-rows, the code scheme)
as typed, so that `import FILE --profile NAME` reads them back into the same mapping. The
day a file's statuses were true belongs to the file, not the profile: it is never saved.
"""

from __future__ import annotations

from disputes.core import csv_mapping
from disputes.core.errors import InvalidValue
from disputes.core.fields import shown
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.patterns import Pattern

TABLE = "profiles"
FIELDS = ("name", "options", "created", "updated")
_NAME = Pattern(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}\Z")
_FLAGS = ("merge_rows",)
_TEXTS = ("code_scheme",)


def name_of(value: JsonValue) -> str:
    name = value.strip() if isinstance(value, str) else value
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidValue(
            f"a profile's name is a word of letters, digits, '-', '_' or '.' (at most 60), not {shown(value)}"
        )
    return name


def key(name: str) -> str:
    return name.casefold()


def options_of(given: object) -> JsonRecord:
    """A profile's options, checked: each known, of its type, and making a mapping."""
    if not isinstance(given, dict):
        raise InvalidValue(f"a profile's options are an object, not {shown(given)}")
    newer = sorted(set(given) - set(csv_mapping.OPTIONS))
    if newer:
        raise InvalidValue(
            f"the option {newer[0]!r} is not one this version of disputes knows (a newer version wrote it): "
            "upgrade disputes"
        )
    kept: JsonRecord = {}
    for name in csv_mapping.OPTIONS:
        value = given.get(name)
        if name in _FLAGS:
            if not isinstance(value, bool | None):
                raise InvalidValue(f"its {name} is true or false, not {shown(value)}")
            kept[name] = bool(value)
        elif name in _TEXTS:
            if not isinstance(value, str | None):
                raise InvalidValue(f"its {name} is text, not {shown(value)}")
            kept[name] = value or ""
        else:
            if not isinstance(value, list | None) or not all(isinstance(item, str) for item in value or ()):
                raise InvalidValue(f"its {name} is a list of texts, not {shown(value)}")
            kept[name] = list(value or ())
    csv_mapping.Mapping.from_options(kept)  # refused as the command line would refuse it
    return kept


def record_problems(stored_key: str, record: object) -> list[str]:
    """What is wrong with a stored profile."""
    if not isinstance(record, dict):
        return [f"profile {stored_key} is not an object"]
    try:
        if key(name_of(record.get("name"))) != stored_key:
            raise InvalidValue(f"it carries the name {record.get('name')!r}")
        options_of(record.get("options"))
        for stamp in ("created", "updated"):  # always written, and read by `profile list`
            if not isinstance(record.get(stamp), str):
                raise InvalidValue(f"its {stamp} is missing or not text")
    except InvalidValue as problem:
        return [f"profile {stored_key} is not valid: {problem}"]
    return []


def command_line(options: JsonRecord) -> list[str]:
    """A profile's options as the command line that gives them (for `profile show`)."""
    words: list[str] = []
    for name in csv_mapping.OPTIONS:
        value = options.get(name)
        flag = "--" + name.replace("_", "-")
        if name in _FLAGS:
            words += [flag] if value else []
        elif name in _TEXTS:
            words += [flag, value] if value else []
        else:
            words += [part for item in value or () for part in (flag, item)]
    return words
