"""Which disputes a command works on: the filters typed, the view named or in use, and the
saved views themselves.

Every command that chooses disputes calls `choose`: the filters typed and the view's (the
one named with --view, else the one `view use` put in force in this copy, unless
--all-disputes) must all hold. What `choose` returns says which view and filters are in
force, for the headers of what the command prints.
"""

from __future__ import annotations

import difflib
import functools
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from disputes.core import ids, model, query, view
from disputes.core.actors import Directory, fold
from disputes.core.dates import now
from disputes.core.errors import Ambiguous, DisputesWarning, InvalidValue, NotFound, StoreError
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord
from disputes.ops import actors as actors_of
from disputes.ops import lookup
from disputes.store.database import Store
from disputes.store.paths import StoreFiles

TABLE = view.TABLE


class Wanted(Frozen):
    """What a command line asked for: filters typed ({name of query.FILTERS: a value or
    values}), a view named, or none at all (`everything`: no view, not even the current one)."""

    given: JsonRecord = {}  # noqa: RUF012 (never changed: records are frozen)
    view: str = ""
    everything: bool = False


class Chosen(Frozen):
    filters: query.Filters
    view: str = ""  # the view in force
    said: str = ""  # the view and filters in force, in words ("" for the whole register)


def said(given: JsonRecord) -> str:
    """Filters in words: `party Russia or Belarus; tag wto`."""
    return "; ".join(f"{name.replace('_', ' ')} {' or '.join(values)}" for name, values in given.items() if values)


def choose(store: Store, wanted: Wanted, *, include_ended: bool = True) -> Chosen:
    """The filters a command applies: those typed and those of the view in force."""
    given = {name: query.values_of(values) for name, values in wanted.given.items() if values}
    found = functools.cache(lambda: actors_of.directory(store))  # read when a filter names a party
    typed = query.Filters.parse(
        given, include_ended=include_ended, directory=found, ids=_named(store, given.get("dispute"))
    )
    _warn_of_unknown_parties(store, given, found)
    name = wanted.view or ("" if wanted.everything else current(store))
    if not name:
        return Chosen(typed, "", said(given))
    record = saved(store, name) if wanted.view else store.record(TABLE, view.key(name))
    if record is None:
        raise InvalidValue(
            f"the view in use, {name!r}, no longer exists: `disputes view use --none`, or --all-disputes"
        )
    kept = record["filters"]
    if view.combines(record):  # members and views: the disputes it holds, by id
        of_view = query.Filters(include_ended=True, ids=frozenset(held(store, record, found)))
    else:
        stored = store.ids("disputes")
        ids = {key for key in kept["dispute"] if key in stored} if "dispute" in kept else None
        of_view = query.Filters.parse(kept, include_ended=True, directory=found, ids=ids)
    words = f"view {record['name']} ({view_said(record, member_names(store, record))})"
    words += f"; {said(given)}" if given else ""
    return Chosen(query.Filters(**{**typed.__dict__, "also": (of_view,)}), record["name"], words)


def view_said(record: JsonRecord, named: Mapping[str, str] | None = None) -> str:
    """A view in words: `tag desk; members DS512, 3zp0; any of russia, belarus`, its members
    as `named` names them (`member_names`; else by id)."""
    parts = view.parts(record)
    names = named or {}
    words = [said(record.get("filters") or {})] if record.get("filters") else []
    words += [f"members {', '.join(names.get(m, m) for m in parts['members'])}"] if parts["members"] else []
    words += [f"any of views {', '.join(parts['any_of'])}"] if parts["any_of"] else []
    words += [f"all of views {', '.join(parts['all_of'])}"] if parts["all_of"] else []
    return "; ".join(words) or "nothing yet"


def member_names(store: Store, record: JsonRecord) -> dict[str, str]:
    """A view's members named as every listing names a dispute: by ref, else short id."""
    members = view.parts(record)["members"]
    if not members:
        return {}
    rows = list(store.scan(model.TABLE, ("id", "ref")))
    refs = {row["id"]: row["ref"] for row in rows if row.get("ref")}
    short = ids.short_forms(row["id"] for row in rows)
    return {key: refs.get(key) or short.get(key, key) for key in members}


def held(store: Store, record: JsonRecord, found: Callable[[], Directory] | None = None) -> dict[str, list[str]]:
    """The disputes a view holds (ended ones too), each with why: "member", the filters
    that match it, or the view it comes through."""
    found = found or functools.cache(lambda: actors_of.directory(store))
    records = store.records(TABLE)
    # every field only where a view's --search reads the whole text (else the listing's index)
    everything = lookup.listed(store, whole=any("search" in (r.get("filters") or {}) for r in records.values()))
    stored = {d.id for d in everything}

    def matched(filters: JsonRecord) -> set[str]:
        ids = {key for key in filters["dispute"] if key in stored} if "dispute" in filters else None
        test = query.Filters.parse(filters, include_ended=True, directory=found, ids=ids).test()
        return {d.id for d in everything if test(d)}

    def of(one: JsonRecord, seen: tuple[str, ...]) -> dict[str, list[str]]:
        parts = view.parts(one)
        why: dict[str, list[str]] = {}
        core: set[str] | None = None
        if one.get("filters"):
            core = matched(one["filters"])
        for name in parts["all_of"]:
            inner = of(records[view.key(name)], (*seen, name)) if view.key(name) in records else {}
            core = set(inner) if core is None else core & set(inner)
        if core:
            reason = "; ".join(
                ([f"filters {said(one['filters'])}"] if one.get("filters") else [])
                + ([f"all of views {', '.join(parts['all_of'])}"] if parts["all_of"] else [])
            )
            for key in core:
                why.setdefault(key, []).append(reason)
        for key in parts["members"]:
            if key in stored:
                why.setdefault(key, []).append("member")
        for name in parts["any_of"]:
            if view.key(name) in records and view.key(name) not in seen:
                for key in of(records[view.key(name)], (*seen, view.key(name))):
                    why.setdefault(key, []).append(f"view {name}")
        return why

    return of(record, (view.key(record["name"]),))


def _warn_of_unknown_parties(store: Store, given: JsonRecord, found: Callable[[], Directory]) -> None:
    """A party filter that names no actor and no dispute's party chooses nothing: say so,
    with the nearest names (a DisputesWarning), rather than let it pass as "no disputes match"."""
    typed = [name for role in ("party", "complainant", "respondent") for name in given.get(role, ())]
    unknown = [name for name in typed if found().find(name) is None]
    if not unknown:
        return
    named = actors_of.counts(store)
    folded = {fold(party) for party in named}
    for name in (name for name in unknown if fold(name) not in folded):
        names = {*named, *(actor.name for actor in found().actors.values())}
        by_case = {each.casefold(): each for each in names}
        nearest = [by_case[n] for n in difflib.get_close_matches(name.casefold(), by_case, n=3, cutoff=0.6)]
        warnings.warn(
            f"no party {name!r} is known: no actor and no dispute has that name "
            + (f"(nearest: {', '.join(nearest)}); " if nearest else "; ")
            + "see `disputes party list`",
            DisputesWarning,
            stacklevel=5,  # the caller of Register.frame (selection.choose, Register._chosen, .frame)
        )


def dispute_ids(store: Store, chosen: Chosen) -> frozenset[str] | None:
    """The ids of the disputes chosen (ended ones too), or None when nothing chooses: all of them."""
    if not chosen.said:
        return None
    filters = chosen.filters.with_ended()
    return frozenset(d.id for d in filter(filters.test(), lookup.listed(store, whole=filters.searches())))


def _named(store: Store, given: Sequence[str] | None) -> tuple[str, ...] | None:
    """The ids of the disputes --dispute names (None: no --dispute); a name that finds none
    is a bad filter value, refused like any other."""
    if not given:
        return None
    try:
        return lookup.dispute_ids(store, given)
    except (NotFound, Ambiguous) as problem:
        raise InvalidValue(f"--dispute: {problem}") from None


def saved(store: Store, name: str) -> JsonRecord:
    record = store.record(TABLE, view.key(name))
    if record is None:
        known = ", ".join(sorted(r["name"] for r in store.records(TABLE).values())) or "none yet"
        raise InvalidValue(f"no view {name!r} (views: {known}); see `disputes view save --help`")
    return record


def save(
    store: Store,
    name: str,
    given: JsonRecord,
    *,
    any_of: Sequence[str] = (),
    all_of: Sequence[str] = (),
) -> tuple[JsonRecord, list[str]]:
    """Save (or replace) a view: its filters, and the views it combines (`any_of`: any of
    theirs, `all_of`: those all hold); its members are kept. Returns it and warnings
    (parties no dispute names yet)."""
    name = view.name_of(name)
    old = store.record(TABLE, view.key(name))
    # a one-value filter comes as a string: list() would split "2016-06" into its characters
    kept = {key: list(query.values_of(values)) for key, values in given.items() if values}
    if "dispute" in kept:
        kept["dispute"] = list(_named(store, kept["dispute"]) or ())
    combined = {
        "members": view.parts(old)["members"] if old else [],
        "any_of": [saved(store, other)["name"] for other in any_of],
        "all_of": [saved(store, other)["name"] for other in all_of],
    }
    kept = view.filters_of(kept, alone=not any(combined.values()))
    records = {**store.records(TABLE), view.key(name): {"name": name, **combined}}
    loop = view.cycle(records, name)
    if loop:
        raise InvalidValue(f"view {name} would hold itself ({' → '.join(loop)}): a view cannot name itself")
    in_view = [party for key in ("party", "complainant", "respondent") for party in kept.get(key, ())]
    unnamed: list[str] = []
    if in_view:  # every dispute's parties are read only for a view that names one
        found = actors_of.directory(store)
        named = {fold(party) for party in actors_of.counts(store)}
        unnamed = [party for party in in_view if not found.matcher([party]) & named]
    warnings = [f"no dispute names the party {party!r} yet; the view will find it when one does" for party in unnamed]
    stamp = now()
    record = {"name": name, "filters": kept, "created": old["created"] if old else stamp, "updated": stamp}
    record.update({part: values for part, values in combined.items() if values})
    store.put(TABLE, view.key(name), record)
    store.describe("view save", f"view {name}: {view_said(record, member_names(store, record))}")
    return record, warnings


def members(store: Store, name: str, disputes: list[str], *, add: bool) -> tuple[JsonRecord, list[str]]:
    """Put disputes into a view by hand (`add`; a view of that name is made if there is
    none) or take them out; returns the view and the ids that changed."""
    ids = list(lookup.dispute_ids(store, disputes))
    key = view.key(view.name_of(name))
    old = store.record(TABLE, key)
    if old is None and not add:
        saved(store, name)  # refused, naming the views there are
    stamp = now()
    record: JsonRecord = dict(old) if old else {"name": view.name_of(name), "filters": {}, "created": stamp}
    held_now = view.parts(record)["members"]
    if add:
        changed = [key for key in dict.fromkeys(ids) if key not in held_now]
        kept = [*held_now, *changed]
    else:
        changed = [key for key in dict.fromkeys(ids) if key in held_now]
        missing = [key for key in ids if key not in held_now]
        if missing:
            raise InvalidValue(
                f"dispute {missing[0]} is not a member of view {record['name']}: see `disputes view show`"
            )
        kept = [key for key in held_now if key not in changed]
    if not changed:
        raise InvalidValue(f"view {record['name']} holds {', '.join(ids)} already: nothing to change")
    record["members"] = kept
    record["updated"] = stamp
    if not kept:
        del record["members"]
        if not record.get("filters") and not view.combines(record):
            raise InvalidValue(
                f"view {record['name']} would be left holding nothing: `disputes view delete {record['name']}` instead"
            )
    store.put(TABLE, key, record)
    verb = "added" if add else "removed"
    store.describe("view " + ("add" if add else "remove"), f"{verb} {', '.join(changed)} to view {record['name']}")
    return record, changed


def listing(store: Store) -> list[JsonRecord]:
    return sorted(store.records(TABLE).values(), key=lambda record: record["name"].casefold())


def delete(store: Store, name: str) -> JsonRecord:
    record = saved(store, name)
    others = [n for n in view.naming(store.records(TABLE), record["name"]) if view.key(n) != view.key(name)]
    if others:
        raise InvalidValue(
            f"view {record['name']} is part of view {', '.join(others)}: save "
            f"{'that view' if len(others) == 1 else 'those views'} without it first"
        )
    store.remove(TABLE, view.key(name))
    store.describe("view delete", f"deleted view {record['name']}")
    if current(store).casefold() == record["name"].casefold():
        use(store, None)
    return record


def current(store: Store) -> str:
    """The view `view use` put in force in this copy of the store ("" for none)."""
    return in_use(store.path)


def in_use(store_path: Path) -> str:
    """The name kept in `<store>.view` ("" for none), refused (StoreError) when that is no
    file to read: a folder of that name gave every command an internal error."""
    path = StoreFiles(store_path).view
    try:
        return path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return ""
    except OSError as error:
        raise StoreError(
            f"{path} should be the file naming the view in use, but cannot be read ({error.strerror or error}): "
            "remove it, then choose a view again with `disputes view use NAME`"
        ) from None


def use(store: Store, name: str | None) -> JsonRecord | None:
    """Put a view in force in this copy (None: none); it must exist."""
    path = StoreFiles(store.path).view
    in_use(store.path)  # a folder in its place is said as such, whatever is asked
    if name is None:
        path.unlink(missing_ok=True)
        return None
    record = saved(store, name)
    from disputes.store.files import write_atomically

    write_atomically(path, record["name"].encode() + b"\n", backup=False)
    return record
