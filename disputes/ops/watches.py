"""Watch rules on disputes: which rows of event data (GDELT, ICEWS, ACLED) bear on them."""

from __future__ import annotations

from disputes.core import ids
from disputes.core import watch as rules
from disputes.core.dates import now
from disputes.core.errors import InvalidValue
from disputes.core.watch import TABLE, Watch
from disputes.ops import actors as actors_of
from disputes.ops import lookup
from disputes.store.database import Store


def all_watches(store: Store, dispute: str = "") -> list[Watch]:
    """Every watch rule, or those of one dispute."""
    found = [Watch.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute)]
    return sorted(found, key=lambda w: (w.dispute, w.actors, w.id))


def add(
    store: Store, dispute_ref: str, *, actors: str = "", codes: str = "", min_mentions: int = 0
) -> tuple[Watch, str, list[str]]:
    """A new rule: rows between `actors` (in either direction), of `codes`, seen often enough.
    Without actors, the codes of the dispute's parties (returned in words: "Belarus BLR, ..."),
    and the parties that have no code (the rule is one-sided: it watches the others against
    anyone)."""
    dispute = lookup.dispute(store, dispute_ref)
    taken, uncoded = "", []
    named: tuple[str, ...] = ()
    if not actors.strip():
        found = actors_of.directory(store)
        every = [(name, found.code_of(name)) for name in dispute.parties]
        coded = [(name, code) for name, code in every if len(code) == 3]
        uncoded = [name for name, code in every if len(code) != 3]
        if not coded:
            raise InvalidValue(
                f"none of the parties of dispute {dispute.id} has a country code: give --actors, e.g. --actors BLR,RUS"
            )
        actors = ",".join(code for _, code in coded)
        taken = ", ".join(f"{name} {code}" for name, code in coded)
        named = dispute.parties
    fields = rules.clean_fields({"actors": actors, "codes": codes, "min_mentions": min_mentions})
    if named:
        fields["parties"] = tuple(named)
    stamp = now()
    made = Watch(id=rules.key(dispute.id, fields), dispute=dispute.id, created=stamp, updated=stamp, **fields)
    same = [
        w
        for w in all_watches(store, dispute.id)
        if (w.actors, w.codes, w.min_mentions) == (made.actors, made.codes, made.min_mentions)
    ]
    if same:
        raise InvalidValue(f"dispute {dispute.id} already has this watch rule ({same[0].id})")
    store.put(TABLE, made.id, made.to_dict())
    store.describe("watch", f"watch {made.describe()} for {dispute.title!r}")
    return made, taken, uncoded


def remove(store: Store, text: str) -> Watch:
    """Remove a watch rule by id or unambiguous id prefix (its events stay)."""
    records = store.records(TABLE)
    found = Watch.from_dict(records[ids.resolve(text, records, "watch rule", "disputes watch list")])
    store.remove(TABLE, found.id)
    store.describe("watch remove", f"stopped watching {found.describe()}")
    return found


def chosen(store: Store, texts: list[str]) -> list[Watch]:
    """The rules named by ids or unambiguous id prefixes, in the order given; every rule when none is."""
    if not texts:
        return all_watches(store)
    records = store.records(TABLE)
    picked = dict.fromkeys(ids.resolve(text, records, "watch rule", "disputes watch list") for text in texts)
    return [Watch.from_dict(records[key]) for key in picked]
