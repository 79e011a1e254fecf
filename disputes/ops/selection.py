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
from pathlib import Path

from disputes.core import query, view
from disputes.core.actors import fold
from disputes.core.dates import now
from disputes.core.errors import Ambiguous, DisputesWarning, InvalidValue, NotFound, StoreError
from disputes.core.frozen import Frozen
from disputes.ops import lookup, parties
from disputes.store.database import Store
from disputes.store.paths import StoreFiles

TABLE = view.TABLE


class Wanted(Frozen):
    """What a command line asked for: filters typed ({name of query.FILTERS: a value or
    values}), a view named, or none at all (`everything`: no view, not even the current one)."""

    given: dict = {}  # noqa: RUF012 (never changed: records are frozen)
    view: str = ""
    everything: bool = False


class Chosen(Frozen):
    filters: query.Filters
    view: str = ""  # the view in force
    said: str = ""  # the view and filters in force, in words ("" for the whole register)


def said(given: dict) -> str:
    """Filters in words: `party Russia or Belarus; tag wto`."""
    return "; ".join(f"{name.replace('_', ' ')} {' or '.join(values)}" for name, values in given.items() if values)


def choose(store: Store, wanted: Wanted, *, include_ended: bool = True) -> Chosen:
    """The filters a command applies: those typed and those of the view in force."""
    given = {name: query.values_of(values) for name, values in wanted.given.items() if values}
    found = functools.cache(lambda: parties.directory(store))  # read when a filter names a party
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
    stored = store.ids("disputes")
    ids = {key for key in kept["dispute"] if key in stored} if "dispute" in kept else None
    of_view = query.Filters.parse(kept, include_ended=True, directory=found, ids=ids)
    words = f"view {record['name']} ({said(kept)})" + (f"; {said(given)}" if given else "")
    return Chosen(query.Filters(**{**typed.__dict__, "also": (of_view,)}), record["name"], words)


def _warn_of_unknown_parties(store: Store, given: dict, found) -> None:
    """A party filter that names no actor and no dispute's party chooses nothing: say so,
    with the nearest names (a DisputesWarning), rather than let it pass as "no disputes match"."""
    typed = [name for role in ("party", "complainant", "respondent") for name in given.get(role, ())]
    unknown = [name for name in typed if found().find(name) is None]
    if not unknown:
        return
    named = parties.counts(store)
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


def _named(store: Store, given) -> tuple[str, ...] | None:
    """The ids of the disputes --dispute names (None: no --dispute); a name that finds none
    is a bad filter value, refused like any other."""
    if not given:
        return None
    try:
        return lookup.dispute_ids(store, given)
    except (NotFound, Ambiguous) as problem:
        raise InvalidValue(f"--dispute: {problem}") from None


def saved(store: Store, name: str) -> dict:
    record = store.record(TABLE, view.key(name))
    if record is None:
        known = ", ".join(sorted(r["name"] for r in store.records(TABLE).values())) or "none yet"
        raise InvalidValue(f"no view {name!r} (views: {known}); see `disputes view save --help`")
    return record


def save(store: Store, name: str, given: dict) -> tuple[dict, list[str]]:
    """Save (or replace) a view; returns it and warnings (parties no dispute names yet)."""
    name = view.name_of(name)
    # a one-value filter comes as a string: list() would split "2016-06" into its characters
    kept = {key: list(query.values_of(values)) for key, values in given.items() if values}
    if "dispute" in kept:
        kept["dispute"] = list(_named(store, kept["dispute"]) or ())
    kept = view.filters_of(kept)
    in_view = [party for key in ("party", "complainant", "respondent") for party in kept.get(key, ())]
    unnamed: list[str] = []
    if in_view:  # every dispute's parties are read only for a view that names one
        found = parties.directory(store)
        named = {fold(party) for party in parties.counts(store)}
        unnamed = [party for party in in_view if not found.matcher([party]) & named]
    warnings = [f"no dispute names the party {party!r} yet; the view will find it when one does" for party in unnamed]
    stamp = now()
    old = store.record(TABLE, view.key(name))
    record = {"name": name, "filters": kept, "created": old["created"] if old else stamp, "updated": stamp}
    store.put(TABLE, view.key(name), record)
    store.describe("view save", f"view {name}: {said(kept)}")
    return record, warnings


def listing(store: Store) -> list[dict]:
    return sorted(store.records(TABLE).values(), key=lambda record: record["name"].casefold())


def delete(store: Store, name: str) -> dict:
    record = saved(store, name)
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


def use(store: Store, name: str | None) -> dict | None:
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
