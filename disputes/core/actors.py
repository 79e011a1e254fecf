"""Actors: the parties of disputes, each one name however sources spell it.

An actor has one canonical name, a code (ISO 3166 alpha-3 for countries, which is also
GDELT's and CAMEO's country code) and aliases. Names match by their letters and digits
alone (no case, accents, spaces or punctuation): `RUSSIAN FEDERATION`, `Russian Federation`,
`Russia` and `RUS` are one actor. The countries the package ships are built in (their first name is the one shown);
the store keeps what users add: aliases, renames, actors of their own. A name no actor knows
stays as given.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path

from disputes.core.errors import BothSides, InvalidValue
from disputes.core.fields import one_line
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.patterns import Pattern

TABLE = "actors"
COUNTRIES = Path(__file__).parents[1] / "data" / "countries.csv"
# Not a country: the EU, one actor since the Lisbon Treaty renamed the European Communities
# (WTO lists use both names). EEC is CAMEO's code for it.
EUROPEAN_UNION = ("EEC", ("European Union", "EU", "European Communities", "European Community", "EC"))
# Official names as lists print them: inverted ("Saudi Arabia, Kingdom of", "Venezuela,
# Bolivarian Republic of"), and the EU acting with member states ("European Communities and
# Certain Member States", "European Union and a Member State"), which is the EU as a party.
_INVERTED = Pattern(r"^(.+?),\s*(?:the\s+)?[\w' -]*\bof$")
_EU_WITH_MEMBERS = Pattern(
    r"^(?:the\s+)?(?:european\s+(?:union|communities|community)|eu|ec)\s+and\s+(?:a|one|certain|some|its|"
    r"several|the)?\s*(?:of\s+its\s+)?member[\s-]+states?$"
)


class Actor(Frozen):
    name: str
    code: str = ""
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> JsonRecord:
        return {"name": self.name, "code": self.code, "aliases": list(self.aliases)}

    @classmethod
    def from_dict(cls, record: JsonRecord) -> Actor:
        return cls(record["name"], record.get("code", ""), tuple(record.get("aliases", ())))

    @property
    def key(self) -> str:
        """The record id of the actor in the store: its code, or its folded name."""
        return self.code or fold(self.name)

    def spellings(self) -> set[str]:
        """Every name of the actor (its name, code and aliases), folded as names are compared."""
        return {fold(each) for each in (self.name, self.code, *self.aliases) if each}


_NOT_WORD = Pattern(r"[\W_]+")


@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """A name as names are compared: its letters and digits alone, without accents or case
    ("Côte d'Ivoire" and "Cote d Ivoire" are "cotedivoire", "U.S." and "US" are "us")."""
    plain = name  # an ASCII name has no accents to take off (most of the 700 a directory folds)
    if not name.isascii():
        plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return _NOT_WORD.sub("", plain.casefold()) or name.casefold().strip()  # ":" stays ":"


@cache
def built_in() -> tuple[Actor, ...]:
    """The countries of the shipped ISO data (first name shown), and the European Union."""
    actors = [Actor(EUROPEAN_UNION[1][0], EUROPEAN_UNION[0], EUROPEAN_UNION[1][1:])]
    for row in countries():
        name, *others = row["names"].split("|")
        actors.append(Actor(name, row["alpha_3"], tuple(others)))
    return tuple(actors)


def countries() -> list[dict[str, str]]:
    """The rows of the shipped ISO table. Its shape is known (three codes, then the names,
    quoted when they hold a comma), so it is split here: loading the csv module and reading
    through it cost `add` a tenth of what it adds to its framework's import."""
    rows = []
    _, *lines = COUNTRIES.read_text(encoding="utf-8").splitlines()  # after the header
    for line in lines:
        alpha_3, numeric, alpha_2, names = line.split(",", 3)
        if names.startswith('"'):
            names = names[1:-1].replace('""', '"')
        rows.append({"alpha_3": alpha_3, "numeric": numeric, "alpha_2": alpha_2, "names": names})
    return rows


def name_of(value: JsonValue, what: str = "party") -> str:
    return one_line(value, what, required=True)


class Directory:
    """Every actor known to a store: the built-in ones with the store's additions laid over
    them (a stored actor with a built-in code renames or extends it), then the store's own."""

    def __init__(self, stored: Iterable[JsonRecord] = ()) -> None:
        by_code = {actor.code: actor for actor in built_in()}
        for record in stored:
            actor = Actor.from_dict(record)
            base = by_code.get(actor.code) if actor.code else None
            if base:
                names = dict.fromkeys((*base.aliases, base.name, *actor.aliases))
                names.pop(actor.name, None)
                actor = Actor(actor.name, actor.code, tuple(names))
            by_code[actor.key] = actor
        self.actors: dict[str, Actor] = by_code
        self._index: dict[str, Actor] = {}
        for actor in self.actors.values():
            for name in (actor.code, *actor.aliases, actor.name):  # a name wins over another's alias
                if name:
                    self._index[fold(name)] = actor

    @staticmethod
    @cache
    def built_in_only() -> Directory:
        """The directory of the built-in actors alone (made once)."""
        return Directory()

    def find(self, name: str) -> Actor | None:
        """The actor `name` names: by any of its names, else by an official form of one (an
        inverted name, "X, Kingdom of", is X; the EU with member states is the EU)."""
        found = self._index.get(fold(name))
        if found is None and ("," in name or " and " in name.casefold()):
            found = self._official(name.strip())
        return found

    def _official(self, name: str) -> Actor | None:
        if _EU_WITH_MEMBERS.match(name.casefold()):
            return self._index.get(fold(EUROPEAN_UNION[0]))
        inverted = _INVERTED.match(name)
        return self._index.get(fold(inverted.group(1))) if inverted else None

    def canonical(self, name: str) -> str:
        """The actor's name for `name`, or `name` as given when no actor has it."""
        actor = self.find(name)
        return actor.name if actor else name

    def code_of(self, name: str) -> str:
        actor = self.find(name)
        return actor.code if actor else ""

    def matcher(self, names: Iterable[str]) -> frozenset[str]:
        """The folded names a filter on `names` admits: every name of each actor (stored
        parties are canonical, but a rename that reached this copy through an import or a
        merge leaves older disputes under a former name, now an alias), and the name as
        typed (for parties no actor knows)."""
        found: set[str] = set()
        for name in names:
            actor = self.find(name)
            found.update(actor.spellings() if actor else (), (fold(name),))
        return frozenset(found)


# One actor, one role in a dispute. Named twice in one dispute (two options of one command,
# two spellings an alias makes one), an actor keeps its principal role: a complainant or
# respondent is also a party, and more than a third party, so those merely duplicate. Only
# complainant and respondent contradict each other: one actor on both sides.
_RANK = {"complainant": 2, "respondent": 2, "third-party": 1, "party": 0}
BOTH_SIDES = frozenset({"complainant", "respondent"})


def one_role(roles: Iterable[str]) -> str | None:
    """The role of an actor named in one dispute with each of `roles` (the principal one
    whatever their order); None when they put it on both sides, which is a contradiction."""
    given = set(roles)
    if given >= BOTH_SIDES:
        return None
    return max(given, key=lambda role: _RANK.get(role, 0), default="party")


def both_sides(name: str, where: str, remedy: str) -> BothSides:
    """The error of an actor that would be on both sides of the disputes `where` names."""
    return BothSides(f"{name} would be on both sides of {where} (complainant and respondent): {remedy}")


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with a stored actor record."""
    if not isinstance(record, dict):
        return [f"actor {key} is not an object"]
    try:
        name_of(record.get("name"), "actor name")
        if not isinstance(record.get("code", ""), str) or not isinstance(record.get("aliases", []), list):
            raise InvalidValue("its code must be text and its aliases a list")
        for alias in record.get("aliases", []):
            name_of(alias, "alias")
    except (InvalidValue, TypeError) as problem:
        return [f"actor {key} is not valid: {problem}"]
    return []


# One name, one actor. Each side of a merge keeps it so (`party alias` and `rename` refuse a
# name another actor has), but an alias on one clone and a rename on the other can give one
# name to two actors, and the name then resolves to either. The merge and `doctor --fix`
# leave it to one (`untangled`); reading and doctor flag a store where it is not (`problems_in`).


def shared(records: Mapping[str, JsonRecord]) -> dict[str, list[str]]:
    """Each name (folded) that several actors answer to (as name, code or alias; the stored
    actors laid over the built-in ones), with those actors' keys."""
    by_name: dict[str, list[str]] = {}
    for key, actor in Directory(records.values()).actors.items():
        for spelling in actor.spellings():
            by_name.setdefault(spelling, []).append(key)
    return {name: keys for name, keys in by_name.items() if len(keys) > 1}


def untangled(
    records: Mapping[str, JsonRecord], before: Mapping[str, JsonRecord] | None = None
) -> tuple[JsonRecord, list[JsonRecord]]:
    """The stored actors with each shared name left to one actor: the one whose name or code
    it is, else the one that had it `before` (a merge's base), else the first by key; the
    others lose it as an alias. Also what was taken from whom: for each actor that lost an
    alias, its `key`, `name`, the aliases `kept` and those it had (`had`), the `alias` taken
    and the `holder` left with it. An actor whose own name or code is the shared name and not
    the holder's gives that up (`field` "name" or "code"; an alias's entry has none)."""
    fixed, taken = dict(records), []
    earlier = Directory((before or {}).values())
    for name in sorted(shared(fixed)):
        actors = Directory(fixed.values()).actors
        holders = [actors[key] for key in shared(fixed).get(name, ())]
        first = earlier.find(name)
        had_first = first.key if first is not None else None
        holder = min(
            holders,
            key=lambda actor: (name not in {fold(actor.name), fold(actor.code)}, actor.key != had_first, actor.key),
            default=None,
        )
        # an actor a merge renamed keeps its record's key, which is then not its name folded
        stored = {Actor.from_dict(record).key: key for key, record in fixed.items() if isinstance(record, dict)}
        for actor in holders:
            key = stored.get(actor.key, actor.key)
            record = fixed.get(key)
            if actor is holder or record is None:
                continue  # a built-in actor keeps its names: nothing of it is stored
            if holder is not None and name in {fold(record.get("name", "")), fold(record.get("code", ""))}:
                taken.append(_give_up_own(fixed, key, name, holder.name, before or {}))
                continue
            had = list(record.get("aliases", []))
            kept = [alias for alias in had if fold(alias) != name]
            if kept != had and holder is not None:
                fixed[key] = {**record, "aliases": kept}
                alias = next(alias for alias in had if fold(alias) == name)
                taken.append(
                    {
                        "key": key,
                        "name": actor.name,
                        "kept": kept,
                        "had": had,
                        "alias": alias,
                        "holder": holder.name,
                    }
                )
    return fixed, taken


def _give_up_own(fixed: JsonRecord, key: str, name: str, holder: str, before: Mapping[str, JsonRecord]) -> JsonRecord:
    """An actor whose own name (or code) another actor holds too, as two clones renamed two
    actors to one name: it takes back the name it had at the merge's base when that is free,
    else its name and key; a shared code it drops. What it had is said as `taken` says it."""
    record = fixed[key]
    if fold(record.get("code", "")) == name:
        fixed[key] = {**record, "code": ""}
        return {"key": key, "name": record["name"], "field": "code", "kept": "", "had": record["code"],
                "alias": record["code"], "holder": holder}  # fmt: skip
    taken_names = {spelling for other, actor in Directory(fixed.values()).actors.items() if other != key
                   for spelling in actor.spellings()}  # fmt: skip
    earlier = (before.get(key) or {}).get("name")
    free = isinstance(earlier, str) and fold(earlier) not in taken_names and fold(earlier) != name
    new = earlier if free else f"{record['name']} ({key})"
    fixed[key] = {**record, "name": new}
    return {"key": key, "name": record["name"], "field": "name", "kept": new, "had": record["name"],
            "alias": record["name"], "holder": holder}  # fmt: skip


def problems_in(batch: Mapping[str, object]) -> dict[str, list[str]]:
    """What is wrong with stored actors, by key: each record by `record_problems`, and a name
    several actors answer to (on the first of them)."""
    found = {key: problems for key, record in batch.items() if (problems := record_problems(key, record))}
    valid = {key: record for key, record in batch.items() if key not in found and isinstance(record, dict)}
    actors = Directory(valid.values()).actors
    for name, keys in sorted(shared(valid).items()):
        spelled = next(
            (n for key in keys for n in (actors[key].name, actors[key].code, *actors[key].aliases) if fold(n) == name),
            name,
        )
        who = " and ".join(actors[key].name for key in keys)
        found.setdefault(keys[0], []).append(
            f"{spelled!r} names two actors ({who}): a name belongs to one actor; "
            "`disputes doctor --fix` leaves it to one of them"
        )
    return found
