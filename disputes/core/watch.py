"""Watch rules: which rows of machine-coded event data bear on a dispute.

A rule names actors (CAMEO/ISO three-letter country codes such as BLR and RUS), optionally
CAMEO code prefixes ("16" matches 16x and 16xx) and a least number of mentions. A row
matches when two different actors of the rule are the row's two sides, in either
direction (a one-actor rule: when that actor is either side), its code starts with one
of the prefixes, and it was mentioned often enough (where the source counts mentions).

A rule made from a dispute's parties keeps them (`parties`): its `actors` are then derived,
the codes of those parties, and follow an alias or a rename (ops/actors.py). A rule given
its actors (`--actors`) has no parties, and its actors are as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from disputes.core import cameo, frozen, ids
from disputes.core.errors import InvalidValue
from disputes.core.fields import one_line, shown
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.patterns import Pattern

TABLE = "watches"
_ACTOR = Pattern(r"[A-Z]{3}\Z")
_CODE = Pattern(r"\d{2,4}\Z")


class Watch(Frozen):
    id: str
    dispute: str
    actors: tuple[str, ...]
    codes: tuple[str, ...] = ()
    min_mentions: int = 0
    created: str = ""
    updated: str = ""
    parties: tuple[str, ...] = ()  # the parties it was made from (its actors are their codes)

    def to_dict(self) -> JsonRecord:
        return frozen.to_record(self, _DEFAULTS, _LISTS)

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Watch:
        return frozen.from_record(cls, record, _DEFAULTS, _LISTS)

    def matches(self, sides: frozenset[str], code: str, mentions: int | None) -> bool:
        """Whether a row whose actors are `sides` (country codes) bears on this rule's dispute."""
        shared = sides.intersection(self.actors)
        if len(shared) < min(2, len(self.actors)):
            return False
        if self.codes and not code.startswith(self.codes):
            return False
        return mentions is None or mentions >= self.min_mentions

    def describe(self) -> str:
        parts = ["/".join(self.actors)]
        if self.codes:
            parts.append("codes " + ",".join(self.codes))
        if self.min_mentions:
            parts.append(f"at least {self.min_mentions} mentions")
        return ", ".join(parts)

    @classmethod
    def in_order(cls, records: Iterable[Watch]) -> list[Watch]:
        """A dispute's records of this type in the order `show` lists them."""
        return in_order(records)

    def detail_line(self) -> tuple[str, ...]:
        """`show`'s line for it: id, what it watches."""
        return (self.id, self.describe())

    def markdown_line(self) -> tuple[str, str]:
        return (self.id, self.describe())


def in_order(watches: Iterable[Watch]) -> list[Watch]:
    """Watch rules as `show` lists them: by actors."""
    return sorted(watches, key=lambda w: (w.dispute, w.actors, w.id))


_DEFAULTS = frozen.defaults(Watch)
_LISTS = ("actors", "codes", "parties")


def _listed(value: JsonValue) -> list[JsonValue]:
    """Comma-separated text, or a stored list (whose items are checked by the caller)."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return list(value) if isinstance(value, list | tuple) else [value]


def actors(value: JsonValue) -> tuple[str, ...]:
    """Actor codes: "blr, RUS" is ("BLR", "RUS"); at least one, each three letters."""
    found = []
    for item in _listed(value):
        code = item.strip().upper() if isinstance(item, str) else item
        if not isinstance(code, str) or not _ACTOR.match(code):
            raise InvalidValue(f"actor {shown(item)} is not a three-letter country code such as BLR or RUS")
        if code not in found:
            found.append(code)
    if not found:
        raise InvalidValue("a watch rule needs --actors, e.g. --actors BLR,RUS")
    return tuple(found)


def codes(value: JsonValue) -> tuple[str, ...]:
    """CAMEO code prefixes: digits, 2 to 4 of them, each the start of a real code."""
    found = []
    for item in _listed(value):
        if not isinstance(item, str) or not _CODE.match(item):
            raise InvalidValue(f"CAMEO code {shown(item)} is not 2 to 4 digits (keep leading zeros: 04, 172)")
        if not any(code.startswith(item) for code in cameo.codes()):
            raise InvalidValue(f"no CAMEO code starts with {item!r}: see the CAMEO codebook")
        if item not in found:
            found.append(item)
    return tuple(found)


def min_mentions(value: JsonValue) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise InvalidValue(f"--min-mentions {shown(value)} is not a whole number from 0")
    return value


def parties(value: JsonValue) -> tuple[str, ...]:
    """The names of the parties a rule was made from (each one line of text)."""
    return tuple(dict.fromkeys(one_line(item, "party", required=True) for item in _listed(value)))


def coded(names: Iterable[str], code_of: Callable[[str], str]) -> tuple[str, ...]:
    """The country codes of these parties (`code_of`: a name to its code, "" for none)."""
    return tuple(dict.fromkeys(code for code in map(code_of, names) if len(code) == 3))


_CLEANERS = {"actors": actors, "codes": codes, "min_mentions": min_mentions, "parties": parties}


def clean_fields(fields: JsonRecord) -> JsonRecord:
    return {name: _CLEANERS[name](value) for name, value in fields.items()}


def key(dispute: str, fields: JsonRecord) -> str:
    """A rule's id, from what it watches: two clones adding the same rule make one record,
    which a merge keeps once."""
    named = (dispute, ",".join(sorted(fields["actors"])), ",".join(sorted(fields.get("codes", ()))))
    return ids.derived("watch:" + ":".join(named) + f":{fields.get('min_mentions', 0)}")


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored watch rule, by the same rules as typed input."""
    if not isinstance(record, dict):
        return [f"watch rule {key} is not an object"]
    problems = []
    if record.get("id") != key:
        problems.append(f"watch rule {key} carries the id {shown(record.get('id'))}")
    if not isinstance(record.get("dispute"), str):
        problems.append(f"watch rule {key} names no dispute")
    for name in _LISTS:
        if not isinstance(record.get(name, []), list):
            problems.append(f"watch rule {key}: its {name} must be a list, not {type(record[name]).__name__}")
    for name, clean in _CLEANERS.items():
        if name in record or name == "actors":
            try:
                clean(record.get(name, ()))
            except InvalidValue as why:
                problems.append(f"watch rule {key}: {why}")
    return problems
