"""A whole store as JSON, and back: export, and import of an export or a hand-written file."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container, Iterable
from types import ModuleType

from disputes.core import actors as actor_rules
from disputes.core import changes, ids, model, registry, relation
from disputes.core import event as event_rules
from disputes.core import profile as profile_rules
from disputes.core import view as view_rules
from disputes.core.actors import Directory
from disputes.core.dates import now, parse_date
from disputes.core.errors import InvalidValue
from disputes.core.event import Event
from disputes.core.fields import one_line
from disputes.core.jsontypes import JsonRecord, JsonValue
from disputes.core.model import Dispute
from disputes.core.vocabulary import counted
from disputes.ops import forecasts
from disputes.ops.actors import placed
from disputes.ops.interchange.export_format import StreamedExport
from disputes.store.database import Store

_Records = Iterable[JsonValue]  # one table of a file to import: its records, not checked yet
_Ids = dict[str, str]  # the file's id of each record of a table: the id it was given here


def import_store(store: Store, data: StreamedExport | JsonValue) -> dict[str, int]:
    """Import an export or a hand-written file into the store, as one described change."""
    added = add_records(store, data)
    # the disputes, and every other table the file added records to (in the registry's order)
    said = [counted(n, name) for name, n in added.items() if n or name == model.TABLE]
    store.describe("import", "imported " + ", ".join(said))
    return added


EVENT_BATCH = 10_000  # events put into the store at a time
CHECKED_BATCH = 1_000  # events read ahead to check a column at a time (held raw: memory)


class _Taken:
    """Ids in use: the store's, and those this import placed."""

    def __init__(self, stored: Container[str], placed: set[str]) -> None:
        self.stored, self.placed = stored, placed

    def __contains__(self, key: object) -> bool:
        return key in self.placed or key in self.stored


def add_records(store: Store, data: StreamedExport | JsonValue) -> dict[str, int]:
    """Add an export (or a hand-written file of `disputes` and `events`) to the store.

    Ids of our own shape are kept where the store does not have them yet; otherwise (or for
    a hand-written id such as "gas") the record gets a new
    id and every reference to it (events, relations, history) follows. Records are
    validated like typed input; the first bad one stops the import with nothing written.
    """
    if not isinstance(data, StreamedExport):
        if not isinstance(data, dict) or not isinstance(data.get("disputes", []), list):
            raise InvalidValue("the file is not a disputes export: expected an object with a 'disputes' list")
        for name in (name for name in registry.TABLES if name != "disputes"):
            if not isinstance(data.get(name, []), list):
                raise InvalidValue(f"the file's {name!r} is not a list ({type(data[name]).__name__})")
    stamp = now()
    actors = _actors(data.get("actors", []), store)
    found = Directory([*store.records(actor_rules.TABLE).values(), *actors.values()])
    taken = set(store.records("disputes"))
    dispute_ids: dict[str, str] = {}
    disputes: dict[str, JsonRecord] = {}
    for number, record in enumerate(data.get("disputes", []), 1):
        dispute = _dispute(record, f"dispute {number}", stamp, found)
        old = dispute.id
        if old and old in dispute_ids:
            raise InvalidValue(f"dispute {number}: the id {old!r} is given to two disputes in the file")
        new = (
            old if ids.is_ours(old) and old not in taken and old not in disputes else ids.new_id(taken | set(disputes))
        )
        dispute_ids[old or f"#{number}"] = new
        disputes[new] = dispute.replace(id=new).to_dict()
    in_use = model.refs_in_use(store.records(model.TABLE))
    for key, record in disputes.items():
        model.claim_ref(record["ref"], f"dispute {key}", in_use)

    # events go into the store a batch at a time as they are checked (nothing is written
    # before the end, so a bad one still leaves the file as it was): 100,000 of them are
    # never all held as records. The fields a batch gives clean already are not cleaned again.
    taken_events = _Taken(store.ids("events"), set())
    event_ids: dict[str, str] = {}
    added_events, events = 0, {}  # events: the batch not yet put
    numbered = enumerate(data.get("events", []), 1)
    while batch := list(itertools.islice(numbered, CHECKED_BATCH)):
        settled = event_rules.settled_in([record for _, record in batch])
        for number, record in batch:
            event = _event(record, f"event {number}", stamp, dispute_ids, store, settled)
            if event.id and event.id in event_ids:
                raise InvalidValue(f"event {number}: the id {event.id!r} is given to two events in the file")
            new = event.id if ids.is_ours(event.id) and event.id not in taken_events else ids.new_id(taken_events)
            taken_events.placed.add(new)
            event_ids[event.id] = new
            events[new] = {**event.to_dict(), "id": new}
            if len(events) == EVENT_BATCH:
                store.insert_many("events", events)
                added_events, events = added_events + len(events), {}
    added_events += len(events)

    links: dict[str, JsonRecord] = {}
    for number, record in enumerate(data.get("relations", []), 1):
        try:
            source, target = (
                dispute_ids.get(record["from"], record["from"]),
                dispute_ids.get(record["to"], record["to"]),
            )
            kind = record["type"]
        except (KeyError, TypeError):
            raise InvalidValue(f"relation {number}: needs 'from', 'type' and 'to'") from None
        if kind not in relation.TYPES or not all(
            d in disputes or store.record("disputes", d) for d in (source, target)
        ):
            raise InvalidValue(f"relation {number}: unknown type or dispute ({source} {kind} {target})")
        key = relation.key(source, kind, target)
        if store.record("relations", key) is None:
            links[key] = {"from": source, "type": kind, "to": target}

    attached: dict[str, dict[str, JsonRecord]] = {}
    renamed: dict[str, dict[str, str]] = {}  # each attached table's ids in the file -> in the store
    for table in registry.ATTACHED:
        attached[table], renamed[table] = _attached(table, data.get(table, []), dispute_ids, store, stamp, renamed)
    forecasts.check_imported(store, attached["forecasts"], attached["forecast_revisions"], renamed["forecasts"])
    store.insert_many("disputes", disputes)
    store.insert_many("events", events)  # the last batch
    store.insert_many("relations", links)
    for table, records in attached.items():
        store.insert_many(table, records)
    for key, record in actors.items():
        store.put(actor_rules.TABLE, key, record)
    kind = registry.of(view_rules.TABLE)  # a view's members follow their disputes' new ids
    views = {key: kind.renamed(record, dispute_ids) for key, record in _views(data.get("views", []), store).items()}
    store.insert_many(view_rules.TABLE, views)
    marks = _marks(data.get("brief_marks", []), store)
    store.insert_many("brief_marks", marks)
    profiles = _profiles(data.get("profiles", []), store)
    store.insert_many(profile_rules.TABLE, profiles)
    fetched = _fetched(data.get("fetched", []), store)
    store.insert_many("fetched", fetched)
    history = _history(data.get("history", []), dispute_ids, event_ids, store)
    store.add_history(history)
    return {
        "disputes": len(disputes),
        "events": added_events,
        "relations": len(links),
        **{table: len(records) for table, records in attached.items()},
        "actors": len(actors),
        "views": len(views),
        "brief_marks": len(marks),
        "profiles": len(profiles),
        "fetched": len(fetched),
        "history": len(history),
    }


def _actors(records: _Records, store: Store) -> dict[str, JsonRecord]:
    """The file's actors as the store should hold them: new ones, and the store's with the
    file's aliases added (the store's name wins)."""
    found: dict[str, JsonRecord] = {}
    for number, record in enumerate(records, 1):
        problems = actor_rules.record_problems(str(number), record)
        if problems:
            raise InvalidValue(problems[0].replace(f"actor {number}", f"actor {number} of the file"))
        actor = actor_rules.Actor.from_dict(record)
        held = found.get(actor.key) or store.record(actor_rules.TABLE, actor.key)
        if held:
            aliases = list(dict.fromkeys((*held.get("aliases", []), *actor.aliases)))
            if aliases != held.get("aliases", []):
                found[actor.key] = {**held, "aliases": aliases}
        else:
            found[actor.key] = actor.to_dict()
    return found


def _views(records: _Records, store: Store) -> dict[str, JsonRecord]:
    """The file's saved views that the store has no view of that name for (a team's own views stay)."""
    return _absent(records, store, view_rules, _by_name(view_rules))


def _profiles(records: _Records, store: Store) -> dict[str, JsonRecord]:
    """The file's import profiles that the store has none of that name for (a team's own stay)."""
    return _absent(records, store, profile_rules, _by_name(profile_rules))


def _marks(records: _Records, store: Store) -> dict[str, JsonRecord]:
    """The file's brief marks (they name no dispute) that the store does not hold, by id."""
    from disputes.core import brief

    return _absent(records, store, brief, _by_id)


def _by_name(rules: ModuleType) -> Callable[[JsonRecord], str]:
    """A record's key in a table keyed by folded name (views, profiles)."""
    return lambda record: rules.key(record["name"]) if isinstance(record.get("name"), str) else ""


def _by_id(record: JsonRecord) -> str:
    key = record.get("id", "")
    return key if isinstance(key, str) else ""


def _absent(
    records: _Records, store: Store, rules: ModuleType, key_of: Callable[[JsonRecord], str]
) -> dict[str, JsonRecord]:
    """The file's records of a table, each checked by the table's rules, that the store lacks, by key."""
    found: dict[str, JsonRecord] = {}
    noun = registry.of(rules.TABLE).noun
    for number, record in enumerate(records, 1):
        key = key_of(record) if isinstance(record, dict) else ""
        problems = rules.record_problems(key, record)
        if problems:
            raise InvalidValue(f"{noun} {number} of the file: {problems[0]}")
        if store.record(rules.TABLE, key) is None:
            found[key] = record
    return found


def _fetched(records: _Records, store: Store) -> dict[str, JsonRecord]:
    """The event-data files the exported store had fetched (by name), those this one has not."""
    found = {}
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("name"), str) or not record["name"].strip():
            raise InvalidValue(f"fetched file {number} needs a 'name'")
        if store.record("fetched", record["name"]) is None:
            found[record["name"]] = record
    return found


def _attached(
    table: str, records: _Records, dispute_ids: dict[str, str], store: Store, stamp: str, renamed: dict[str, _Ids]
) -> tuple[dict[str, JsonRecord], dict[str, str]]:
    """The deadlines or watch rules of the file, on disputes of the file or of the store, with
    ids of their own; and the file's ids of them, each with the id it was given."""
    described = registry.of(table)
    what, clean, kind, needed = described.noun, described.clean, described.kind, described.needed
    assert clean is not None and kind is not None, f"{table} is not imported field by field"
    taken, found, given = set(store.records(table)), {}, {}  # type: set[str], dict[str, JsonRecord], dict[str, str]
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise InvalidValue(f"{what} {number} is not an object")
        named = record.get("dispute")
        dispute = dispute_ids.get(named, named) if isinstance(named, str) else named
        if not isinstance(dispute, str) or not (dispute in dispute_ids.values() or store.record("disputes", dispute)):
            raise InvalidValue(f"{what} {number} is on an unknown dispute {record.get('dispute')!r}")
        try:
            fields = clean({k: record[k] for k in described.imported if k in record})
        except (InvalidValue, TypeError, AttributeError) as problem:
            raise InvalidValue(f"{what} {number}: {problem}") from None
        if any(name not in fields for name in needed):
            raise InvalidValue(f"{what} {number}: needs {' and '.join(needed)}")
        if described.parent:  # the record it hangs on, as this import placed it, or the store's
            field, holder = described.parent
            fields[field] = renamed.get(holder, {}).get(fields[field], fields[field])
            if fields[field] not in renamed.get(holder, {}).values() and store.record(holder, fields[field]) is None:
                raise InvalidValue(f"{what} {number} names an unknown {registry.of(holder).noun} {record.get(field)!r}")
        old = str(record.get("id", ""))
        key = old if ids.is_ours(old) and old not in taken and old not in found else ids.new_id(taken | set(found))
        given[old] = key
        found[key] = kind(
            id=key,
            dispute=dispute,
            created=record.get("created", stamp),
            updated=record.get("updated", stamp),
            **fields,
        ).to_dict()
    return found, given


def _dispute(record: object, where: str, stamp: str, found: Directory) -> Dispute:
    if not isinstance(record, dict):
        raise InvalidValue(f"{where} is not an object")
    try:
        fields = model.clean_fields({k: v for k, v in record.items() if k in model.KEPT})
        if "title" not in fields:
            raise InvalidValue("title must not be empty")
        if fields.get("parties") or fields.get("roles"):  # as actors, however the file spells them
            fields.update(placed(found, Dispute(id="", title=""), fields.pop("parties", ()), fields.pop("roles", {})))
        history = tuple(
            {"date": parse_date(s["date"]), "status": model.status(s["status"]), "note": s.get("note", "")}
            # a step's detail travels with it; a file written before has none (model.steps.placed)
            | ({"detail": one_line(s["detail"], "status detail")} if "detail" in s else {})
            for s in record.get("status_history", [])
        )
    except (InvalidValue, KeyError, TypeError, AttributeError) as problem:
        raise InvalidValue(f"{where} ({record.get('id') or record.get('title', '?')}): {problem}") from None
    status = fields.get("status", "open")
    fields.setdefault("opened", "")
    first = {
        "date": fields["opened"] or stamp[:10],
        "status": status,
        "note": "",
        "detail": fields.get("status_detail", ""),
    }
    history = history or (first,)
    return Dispute(
        id=str(record.get("id", "")),
        created=record.get("created", stamp),
        updated=record.get("updated", stamp),
        status_history=history,
        **fields,
    )


def _event(
    record: object, where: str, stamp: str, dispute_ids: _Ids, store: Store, settled: frozenset[str] = frozenset()
) -> Event:
    if not isinstance(record, dict):
        raise InvalidValue(f"{where} is not an object")
    linked = []
    named = record.get("disputes", [])
    if not isinstance(named, list):
        raise InvalidValue(f"{where} ({record.get('title', '?')}): its 'disputes' must be a list of dispute ids")
    for ref in named:
        if not isinstance(ref, str):
            raise InvalidValue(f"{where} ({record.get('title', '?')}) names a dispute by {ref!r}, not by its id")
        if ref in dispute_ids:
            linked.append(dispute_ids[ref])
        elif store.record("disputes", ref) is not None:
            linked.append(ref)
        else:
            raise InvalidValue(f"{where} ({record.get('title', '?')}) names an unknown dispute {ref!r}")
    if not linked:
        raise InvalidValue(f"{where} ({record.get('title', '?')}) is linked to no dispute")
    given = {k: record[k] for k in event_rules.EDITABLE if k in record}
    try:
        fields = event_rules.clean_fields(given, settled)
    except (InvalidValue, TypeError, AttributeError) as problem:
        raise InvalidValue(f"{where} ({record.get('title', '?')}): {problem}") from None
    if "date" not in fields or "title" not in fields:
        raise InvalidValue(f"{where}: an event needs a date and a title")
    try:
        fields["imported"] = event_rules.imported_fields(record.get("imported"))
    except (InvalidValue, TypeError, AttributeError) as problem:
        raise InvalidValue(f"{where} ({record.get('title', '?')}): {problem}") from None
    return Event(
        id=str(record.get("id", "")),
        disputes=tuple(dict.fromkeys(linked)),
        created=record.get("created", stamp),
        updated=record.get("updated", stamp),
        **fields,
    )


def _history(entries: _Records, dispute_ids: _Ids, event_ids: _Ids, store: Store) -> dict[str, JsonRecord]:
    """History entries of the file, their references remapped; entries already present are skipped.

    They are kept as a record of what happened elsewhere: undo never reaches them.
    """
    kept = {}
    rename = {"disputes": dispute_ids, "events": event_ids}
    for number, entry in enumerate(entries, 1):
        _check_entry(number, entry)
        if store.record("history", entry["id"]) is not None:
            continue
        remapped = []
        for change in entry["changes"]:
            table = change["table"]
            mapping = rename.get(table, {})
            remapped.append(
                {
                    **change,
                    "id": mapping.get(change["id"], change["id"]),
                    "before": _renamed(table, change["before"], dispute_ids, event_ids),
                    "after": _renamed(table, change["after"], dispute_ids, event_ids),
                }
            )
        kept[entry["id"]] = {**entry, "changes": remapped}
        if "added" in entry:
            kept[entry["id"]]["added"] = {
                table: {rename.get(table, {}).get(key, key): print_ for key, print_ in keys.items()}
                for table, keys in entry["added"].items()
            }
    return kept


def _check_entry(number: int, entry: object) -> None:
    why = changes.entry_problem(entry)
    if why:
        raise InvalidValue(f"history entry {number} is malformed: {why}")


def _renamed(table: str, record: JsonValue, dispute_ids: _Ids, event_ids: _Ids) -> JsonValue:
    """A record of a history entry with the ids it names remapped (only the fields it has)."""
    if not isinstance(record, dict):
        return record
    renamed = registry.of(table).renamed(record, dispute_ids)  # a dispute's own `id` is among what it names
    if table == "events" and "id" in record:
        renamed["id"] = event_ids.get(record["id"], record["id"])
    return renamed
