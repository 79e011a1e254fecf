"""Finding records the way users name them: an id, an unambiguous id prefix, or a dispute's reference."""

from __future__ import annotations

from disputes.core import event, ids, model
from disputes.core.errors import InvalidValue
from disputes.core.event import Event
from disputes.core.model import Dispute
from disputes.store.database import Store


def dispute_id(store: Store, text: str) -> str:
    """The id of the dispute named by an id, an external reference, or an unambiguous id prefix."""
    records = store.records(model.TABLE)
    wanted = text.strip().casefold()
    by_ref = [key for key, record in records.items() if record.get("ref", "").casefold() == wanted]
    return ids.resolve(text, records, "dispute", "disputes list --all", by_ref or None)


def dispute(store: Store, text: str) -> Dispute:
    """The dispute with this id, external reference, or unambiguous id prefix."""
    return Dispute.from_dict(store.record(model.TABLE, dispute_id(store, text)))


def dispute_ids(store: Store, refs) -> tuple[str, ...]:
    """The ids of the disputes named (at least one), each once, in the order given."""
    found = tuple(dict.fromkeys(dispute_id(store, ref) for ref in refs))
    if not found:
        raise InvalidValue("an event needs at least one dispute: name its id, prefix or reference")
    return found


def event_record(store: Store, text: str) -> Event:
    """The event with this id or unambiguous id prefix."""
    records = store.records(event.TABLE)
    return Event.from_dict(records[ids.resolve(text, records, "event", "disputes event list")])
