"""The parties of the register as actors: their directory, aliases, renames, and the parties
(with roles) a dispute is given.

Stored parties are always canonical names: every write goes through `directory(store)`, and
an alias or rename rewrites the disputes it touches in the same change, so filters and
counts compare names without asking the directory again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from disputes.core import actors, model
from disputes.core import watch as watch_rules
from disputes.core.actors import Actor, Directory, fold
from disputes.core.dates import now
from disputes.core.errors import InvalidValue
from disputes.core.jsontypes import JsonRecord
from disputes.core.model import Dispute
from disputes.ops import lookup
from disputes.store.database import Store

TABLE = actors.TABLE
# parties with a role: {name: role}, or (name, role) pairs, which may name one actor twice
Roles = Mapping[str, str] | Iterable[tuple[str, str]]


def directory(store: Store) -> Directory:
    return Directory(store.records(TABLE).values())


def given(store: Store, plain: Iterable[str] = (), roles: Roles | None = None) -> JsonRecord:
    """The `parties` and `roles` of a dispute given plain parties and parties with roles,
    names canonical (see `placed`)."""
    plain = tuple(plain)
    if not plain and not roles:
        return {}
    return placed(directory(store), Dispute(id="", title=""), plain, roles or {})


def placed(found: Directory, dispute: Dispute, plain: Iterable[str], roles: Roles) -> JsonRecord:
    """A dispute's `parties` and `roles` with `plain` parties and `roles` added (or re-roled):
    `roles` maps names to roles, or is (name, role) pairs where a name may come twice. An actor
    named more than once keeps its principal role (actors.one_role): on both sides, refused.
    A plain party the dispute has already keeps its role."""
    parties = list(dispute.parties)
    held = dict(dispute.roles)
    named: dict[str, set[str]] = {}
    for name, role in [*((name, "party") for name in plain), *(roles.items() if isinstance(roles, Mapping) else roles)]:
        named.setdefault(found.canonical(actors.name_of(name)), set()).add(model.role(role))
    for canonical, given in named.items():
        role = actors.one_role(given)
        if role is None:
            where = f"dispute {dispute.id}" if dispute.id else "the new dispute"
            raise actors.both_sides(canonical, where, "give it one of the two roles")
        if canonical not in parties:
            parties.append(canonical)
        elif role == "party":
            continue  # named again without a role: it keeps the one it has
        held[canonical] = role
    return {"parties": tuple(parties), "roles": {name: role for name, role in held.items() if role != "party"}}


def without(dispute: Dispute, names: Iterable[str], found: Directory) -> JsonRecord:
    """A dispute's `parties` and `roles` without `names` (each must be one of its parties)."""
    dropped = set()
    for name in names:
        spelled = found.matcher([name])
        match = [party for party in dispute.parties if fold(party) in spelled]
        if not match:
            raise InvalidValue(f"dispute {dispute.id} has no party {name!r}")
        dropped.update(match)
    return {
        "parties": tuple(p for p in dispute.parties if p not in dropped),
        "roles": {name: role for name, role in dispute.roles.items() if name not in dropped},
    }


def counts(store: Store) -> Counter[str]:
    """How many disputes name each party (canonical names)."""
    return _tally(row["parties"] for row in store.scan(model.TABLE, ("parties",)))


def _tally(parties: Iterable[list[str] | None]) -> Counter[str]:
    """How many of these lists of parties name each party."""
    return Counter(name for names in parties for name in names or ())


def listing(store: Store, unresolved: bool = False) -> list[JsonRecord]:
    """Every actor that a dispute names or the store describes, most disputes first:
    `name`, `code`, `aliases` and `disputes` (a party named by a former name counts for its actor).
    `unresolved`: only the names no code is known for (a watch rule cannot follow them)."""
    found, named = directory(store), counts(store)
    chosen: dict[str, Actor] = {}
    tally: Counter[str] = Counter()
    for name, count in named.items():
        actor = found.find(name) or Actor(name)
        chosen[actor.key] = actor
        tally[actor.key] += count
    for record in store.records(TABLE).values():
        described = found.find(record["name"])
        if described:
            chosen[described.key] = described
    rows = [{**actor.to_dict(), "disputes": tally.get(key, 0)} for key, actor in chosen.items()]
    if unresolved:
        rows = [row for row in rows if not row["code"]]
    return sorted(rows, key=lambda row: (-row["disputes"], fold(row["name"])))


def _known(found: Directory, named: Counter[str], name: str) -> Actor | None:
    """The actor `name` names, or the party of that name no actor knows (as disputes spell it)."""
    return found.find(name) or next((Actor(party) for party in named if fold(party) == fold(name)), None)


def _existing(found: Directory, named: Counter[str], name: str) -> Actor:
    actor = _known(found, named, name)
    if actor is None:
        raise InvalidValue(f"no actor or party {name!r}: see `disputes party list`")
    return actor


def show(store: Store, name: str) -> tuple[Actor, dict[str, list[Dispute]]]:
    """An actor and its disputes by role (complainant, respondent, third-party, party)."""
    rows = list(store.scan(model.TABLE, ("id", *model.SUMMARY)))  # the disputes' index holds what is shown
    actor = _existing(directory(store), _tally(row["parties"] for row in rows), name)
    by_role: dict[str, list[Dispute]] = {role: [] for role in model.ROLES}
    names = actor.spellings()
    for row in rows:  # a dispute is built only for the actor's rows: a fifth of them for Russia
        mine = [party for party in row["parties"] or () if fold(party) in names]
        if mine:
            dispute = lookup.summary(row)
            by_role[dispute.role_of(mine[0])].append(dispute)
    return actor, by_role


def _stored(store: Store, actor: Actor) -> None:
    store.put(TABLE, actor.key, actor.to_dict())


def _rewrite(store: Store, renames: dict[str, str], actor: str) -> int:
    """Rename parties (old canonical name -> new) in every dispute; how many changed. Two
    parties that become one keep one role (actors.one_role); when that would put `actor` on
    both sides of a dispute, nothing is changed and the disputes are named."""
    planned, clashes = {}, []
    stamp = now()
    for key, record in store.records(model.TABLE).items():
        parties = record.get("parties", [])
        if not any(name in renames for name in parties):
            continue
        held = record.get("roles", {})
        named: dict[str, list[str]] = {}
        for name in parties:
            named.setdefault(renames.get(name, name), []).append(held.get(name, "party"))
        roles = {name: actors.one_role(given) for name, given in named.items()}
        if None in roles.values():
            clashes.append(key)
        roles = {name: role for name, role in roles.items() if role and role != "party"}
        planned[key] = {**record, "parties": list(named), "roles": roles, "updated": stamp}
    if clashes:
        shown = ", ".join(clashes[:5]) + (f" and {len(clashes) - 5} more" if len(clashes) > 5 else "")
        raise actors.both_sides(
            actor,
            f"{'dispute' if len(clashes) == 1 else 'disputes'} {shown}",
            "if they are one actor, first take one of the two out of "
            f"{'it' if len(clashes) == 1 else 'them'} (`disputes edit ID --remove-party NAME`)",
        )
    for key, record in planned.items():
        store.put(model.TABLE, key, record)
    return len(planned)


def alias(store: Store, alias_name: str, name: str) -> tuple[Actor, int]:
    """Make `alias_name` another name of the actor `name` (made an actor if it is none yet);
    disputes that named the alias name the actor. Returns the actor and how many disputes
    changed."""
    target, changed = _alias(store, alias_name, name)
    store.describe("party alias", f"{alias_name!r} is another name of {target.name}")
    return target, changed


def aliases_from(store: Store, pairs: Iterable[tuple[int, str, str]], source: str) -> tuple[int, int]:
    """Many aliases at once, each (line, alias, name) as `alias` gives one, in one change: all
    or nothing, a refused row named by its line. Returns how many aliases and disputes changed."""
    given = changed = 0
    for line, alias_name, name in pairs:
        try:
            changed += _alias(store, alias_name, name)[1]
        except InvalidValue as problem:
            raise InvalidValue(f"{source}, line {line}: {problem}; no alias was added (fix the row)") from None
        given += 1
    if not given:
        raise InvalidValue(f"{source} has no rows of ALIAS,NAME: nothing to add")
    store.describe("party alias", f"{given} aliases from {source}")
    return given, changed


def alias_rows(path: Path) -> list[tuple[int, str, str]]:
    """The (line, alias, name) rows of a CSV file of aliases (a first row `alias,name` is a header)."""
    import csv
    import io

    from disputes.ops.inputs import read_input

    try:
        text = read_input(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(f"{path} is not UTF-8 text: convert it first (e.g. iconv -f cp1252 -t utf-8)") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != 2:
                raise InvalidValue(f"{path}, line {reader.line_num}: a row is ALIAS,NAME, two columns, not {len(row)}")
            if reader.line_num == 1 and [cell.strip().casefold() for cell in row] == ["alias", "name"]:
                continue
            rows.append((reader.line_num, row[0].strip(), row[1].strip()))
    except csv.Error as problem:
        raise InvalidValue(f"{path}, line {reader.line_num} is not readable CSV ({problem})") from None
    return rows


def _follow_watches(store: Store, renames: dict[str, str]) -> None:
    """The watch rules made from parties after an alias or rename: their parties renamed, their
    actors the codes those parties have now (a rule left with no code keeps the codes it had)."""
    found = directory(store)
    for key, record in store.records(watch_rules.TABLE).items():
        if not record.get("parties"):
            continue  # made with --actors: its codes are as typed
        named = list(dict.fromkeys(renames.get(name, name) for name in record["parties"]))
        codes = list(watch_rules.coded(named, found.code_of)) or record["actors"]
        if (named, codes) != (record["parties"], record["actors"]):
            store.put(watch_rules.TABLE, key, {**record, "parties": named, "actors": codes, "updated": now()})


def _alias(store: Store, alias_name: str, name: str) -> tuple[Actor, int]:
    alias_name, name = actors.name_of(alias_name, "alias"), actors.name_of(name)
    found, named = directory(store), counts(store)
    target = _known(found, named, name) or Actor(name)
    holder = found.find(alias_name)
    if holder is not None and holder.key != target.key:
        raise InvalidValue(f"{alias_name!r} already names {holder.name}; an alias belongs to one actor")
    if fold(alias_name) == fold(target.name) or (holder is not None):
        raise InvalidValue(f"{target.name} is already called {alias_name!r}")
    stored = store.record(TABLE, target.key)
    aliases = tuple(stored["aliases"]) if stored else ()
    _stored(store, Actor(target.name, target.code, (*aliases, alias_name)))
    spelled = {party for party in named if fold(party) == fold(alias_name)}
    changed = _rewrite(store, dict.fromkeys(spelled, target.name), target.name)
    _follow_watches(store, dict.fromkeys(spelled | {alias_name}, target.name))
    return target, changed


def rename(store: Store, old: str, new: str) -> tuple[Actor, int]:
    """Rename an actor across every dispute, the old name kept as an alias."""
    old, new = actors.name_of(old), actors.name_of(new, "new name")
    found, named = directory(store), counts(store)
    actor = _existing(found, named, old)
    other = found.find(new)
    if (other is not None and other.key != actor.key) or any(
        fold(party) == fold(new) and party != actor.name for party in named
    ):
        raise InvalidValue(
            f"{new!r} is already another actor: give one of them the other's name with "
            f"`disputes party alias`, or choose another name"
        )
    if new == actor.name:
        raise InvalidValue(f"{actor.name} is already called {new!r}")
    stored = store.record(TABLE, actor.key)
    if stored and not actor.code:
        store.remove(TABLE, actor.key)  # an actor without a code is keyed by its name
    aliases = [name for name in (*actor.aliases, actor.name) if fold(name) != fold(new)]
    renamed = Actor(new, actor.code, tuple(dict.fromkeys(aliases)))
    _stored(store, renamed)
    changed = _rewrite(store, {actor.name: new}, new)
    _follow_watches(store, {actor.name: new})
    store.describe("party rename", f"{actor.name} → {new}", note=f"{changed} disputes")
    return renamed, changed
