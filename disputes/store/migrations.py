"""Schema versions of the store file, and the ordered steps that bring an old store forward."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from disputes.core.errors import StoreError, StoreTooNew

SCHEMA = 19


class Upgradable(Protocol):
    """A store's tables as the steps change them (tables.Tables, segments.Segmented)."""

    @property
    def meta(self) -> dict[str, Any]: ...
    def __contains__(self, name: object) -> bool: ...
    def __getitem__(self, name: str) -> Any: ...
    def __setitem__(self, name: str, table: Any) -> None: ...
    def forget_indexes(self) -> None: ...


def _table(data: Upgradable, name: str) -> Any:
    """A table of the store, None if it has none."""
    return data[name] if name in data else None  # noqa: SIM401 (no get in Upgradable: the overloads of a mapping's do not fit one)


def m001_initial(data: Upgradable) -> None:
    """Schema 1: tables disputes, events and history keyed by record id."""
    for name in ("disputes", "events", "history"):
        if name not in data:
            data[name] = {}


def m002_relations(data: Upgradable) -> None:
    """Schema 2: links between disputes get their own table, keyed "from:type:to"."""
    if "relations" not in data:
        data["relations"] = {}


def m003_checksums(data: Upgradable) -> None:
    """Schema 3: the meta line lists each table's section with its length and CRC-32, so
    that a section is trusted unparsed only when it is what the last write wrote. Written
    by the next write; nothing to change in the records."""


def m004_deadlines(data: Upgradable) -> None:
    """Schema 4: deadlines get their own table, keyed by id; disputes may carry a review
    cadence (`review_every`, `last_review`), read with their defaults when absent."""
    if "deadlines" not in data:
        data["deadlines"] = {}


def m005_watches(data: Upgradable) -> None:
    """Schema 5: watch rules (which rows of event data bear on a dispute) get their own
    table, keyed by id; events may carry `ref` and `mentions`, read with their defaults."""
    if "watches" not in data:
        data["watches"] = {}


def m006_deadline_kinds(data: Upgradable) -> None:
    """Schema 6: a deadline is due by its date or, `kind` "opens", a right that opens on it
    (read as "due" when absent). The one opening the old wto-dsu clock set, "panel may be
    requested (DSU Art. 4.7)", becomes what it always was: an opening, never overdue."""
    table = _table(data, "deadlines") or {}
    openings = {
        key: {**record, "kind": "opens"}
        for key, record in table.items()
        if record.get("rule") == "wto-dsu" and record.get("title", "").startswith("panel may be requested")
    }
    if openings:
        data["deadlines"] = {**table, **openings}


def m007_fetched(data: Upgradable) -> None:
    """Schema 7: the event-data files `fetch` imported get a table of their own, keyed by file
    name, so that each is fetched once (and two clones' fetches merge into one record)."""
    if "fetched" not in data:
        data["fetched"] = {}


def m008_actors(data: Upgradable) -> None:
    """Schema 8: parties are actors. Each dispute's parties take their actor's canonical name
    ("RUSSIAN FEDERATION" becomes "Russia"); a spelling the actor did not have is kept as its
    alias in the new `actors` table, so nothing typed is lost. Disputes may carry `roles`."""
    from disputes.core.actors import Directory

    if "actors" in data:
        return
    directory = Directory()
    aliases: dict[str, tuple[Any, ...]] = {}
    table = _table(data, "disputes") or {}
    renamed = {}
    for key, record in table.items():
        parties = record.get("parties")
        if not isinstance(parties, list) or not all(isinstance(name, str) for name in parties):
            continue  # doctor reports it; the migration does not guess
        canonical = list(dict.fromkeys(directory.canonical(name) for name in parties))
        if canonical != parties:
            renamed[key] = {**record, "parties": canonical}
        for name in parties:
            actor = directory.find(name)
            if actor and name not in (actor.name, actor.code, *actor.aliases):
                aliases.setdefault(actor.key, (actor, []))[1].append(name)
    if renamed:
        data["disputes"] = {**table, **renamed}
    data["actors"] = {
        key: {"name": actor.name, "code": actor.code, "aliases": sorted(set(spellings))}
        for key, (actor, spellings) in sorted(aliases.items())
    }


def m009_views(data: Upgradable) -> None:
    """Schema 9: saved views (named filters, shared through the store) get their own table,
    keyed by their folded name."""
    if "views" not in data:
        data["views"] = {}


def m010_assessments(data: Upgradable) -> None:
    """Schema 10: analysts' dated bottom lines (assessments) get their own table, keyed by id."""
    if "assessments" not in data:
        data["assessments"] = {}


def m011_forecasts(data: Upgradable) -> None:
    """Schema 11: forecasts (probabilities that can be scored) and their revisions, each
    revision its own record, get a table each, keyed by id."""
    for name in ("forecasts", "forecast_revisions"):
        if name not in data:
            data[name] = {}


def m012_imported(data: Upgradable) -> None:
    """Schema 12: a dispute may carry `imported`, its mapped fields as the source gave them
    at the last CSV import (the base a re-import merges against), read empty when absent:
    nothing to change in the records. The version is new so that an older disputes, which
    would drop the field it does not know, refuses the store instead."""


def m013_brief_marks(data: Upgradable) -> None:
    """Schema 13: brief marks (that an analyst sent the weekly brief of a day, so that their
    next brief starts there) get their own table, keyed by id."""
    if "brief_marks" not in data:
        data["brief_marks"] = {}


def m014_desk(data: Upgradable) -> None:
    """Schema 14: analysts' comments get their own table, keyed by id; a dispute may carry
    its `owner`, and a view its `members`, `any_of` and `all_of`, read empty when absent
    (an older disputes, which would drop the fields it does not know, refuses the store
    instead)."""
    if "comments" not in data:
        data["comments"] = {}


def m015_profiles(data: Upgradable) -> None:
    """Schema 15: import profiles (a CSV mapping saved under a name, shared through the
    store) get their own table in the register, keyed by their folded name."""
    if "profiles" not in data:
        data["profiles"] = {}


def m016_watch_parties(data: Upgradable) -> None:
    """Schema 16: a watch rule made from its dispute's parties keeps them (`parties`), so that
    an alias or rename reaches its actors. A rule whose actors are the codes its dispute's
    parties have is taken to be made from them; the others were given --actors and keep none."""
    from disputes.core.actors import Directory
    from disputes.core.watch import coded

    rules = _table(data, "watches") or {}
    if not rules:
        return
    disputes = _table(data, "disputes") or {}
    found = Directory((_table(data, "actors") or {}).values())
    filled = {}
    for key, rule in rules.items():
        if not isinstance(rule, dict) or "parties" in rule or not isinstance(rule.get("actors"), list):
            continue
        dispute = disputes.get(rule.get("dispute")) if isinstance(rule.get("dispute"), str) else None
        parties = dispute.get("parties") if isinstance(dispute, dict) else None
        readable = isinstance(parties, list) and parties and all(isinstance(name, str) for name in parties)
        if readable and set(coded(parties or (), found.code_of)) == set(rule["actors"]):
            filled[key] = {**rule, "parties": list(parties or ())}
    if filled:
        data["watches"] = {**rules, **filled}


def m017_stages(data: Upgradable) -> None:
    """Schema 17: a dispute may carry `stage` (the procedural stage it reached) and a deadline
    `superseded` (the day a later stage made it moot), read empty when absent: nothing to
    change. The version is new so that an older disputes, which would drop the fields it does
    not know, refuses the store instead."""


def m018_documents(data: Upgradable) -> None:
    """Schema 18: documents (a dated reference to a file or web page on a dispute) get their
    own table, keyed by id."""
    if "documents" not in data:
        data["documents"] = {}


def m019_segments(data: Upgradable) -> None:
    """Schema 19: events and history move out of the register into period segments beside it
    (`<register>.d/`, docs/storage.md), named by a manifest in the register's meta line. A
    read of an older store reads it as it is; its first write makes the move (migrate.py).
    The version is new so that an older disputes, which would find no events, refuses it."""


# STEPS[n] brings a store from schema n to n + 1
STEPS = [
    m001_initial,
    m002_relations,
    m003_checksums,
    m004_deadlines,
    m005_watches,
    m006_deadline_kinds,
    m007_fetched,
    m008_actors,
    m009_views,
    m010_assessments,
    m011_forecasts,
    m012_imported,
    m013_brief_marks,
    m014_desk,
    m015_profiles,
    m016_watch_parties,
    m017_stages,
    m018_documents,
    m019_segments,
]


def upgrade(data: Upgradable, path: Path) -> None:
    """Bring `data` to the current schema in place; refuse stores from a newer version."""
    meta = data.meta
    version = meta.get("schema", 0)
    if not isinstance(version, int) or version < 0:
        raise StoreError(f"store {path} has an unknown schema version {version!r}")
    if version > SCHEMA:
        raise StoreTooNew(
            f"store {path} was written by a newer disputes (schema {version}, this one knows "
            f"{SCHEMA}): upgrade disputes"
        )
    for step in STEPS[version:]:
        step(data)
    if version < SCHEMA:
        data.forget_indexes()
    meta["schema"] = SCHEMA
