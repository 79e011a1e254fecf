"""The bundled seed data (Belarus–Russia, 2016), loaded into a store once."""

from __future__ import annotations

from pathlib import Path

import orjson

from disputes import events, model
from disputes.dates import now, parse_date
from disputes.errors import StoreError
from disputes.model import Dispute
from disputes.store import Store

SEED_FILE = "belarus-russia-2016.json"


def seed_path() -> Path:
    """The seed file: inside the installed package, or in the source tree's seed/ folder."""
    here = Path(__file__).resolve().parent
    for folder in (here / "_seed", here.parent / "seed"):
        if (folder / SEED_FILE).is_file():
            return folder / SEED_FILE
    raise StoreError(f"the seed file {SEED_FILE} is missing from this installation: reinstall disputes")


def load(store: Store) -> dict[str, int]:
    """Add the seed records the store does not have yet; say how many were added per table."""
    data = orjson.loads(seed_path().read_bytes())
    stamp = now()
    added = {"disputes": 0, "events": 0, "relations": 0}
    for record in data["disputes"]:
        if store.record("disputes", record["id"]) is None:
            fields = model.clean_fields({k: v for k, v in record.items() if k in model.EDITABLE or k == "status"})
            history = tuple({**step, "date": parse_date(step["date"])} for step in record["status_history"])
            dispute = Dispute(id=record["id"], created=stamp, updated=stamp, status_history=history, **fields)
            store.put("disputes", dispute.id, dispute.to_dict())
            added["disputes"] += 1
    for record in data["events"]:
        linked = [d for d in record["disputes"] if store.record("disputes", d) is not None]
        if store.record("events", record["id"]) is None and linked:
            given = {k: v for k, v in record.items() if k not in ("id", "disputes")}
            event = events.Event(id=record["id"], disputes=tuple(linked), created=stamp, updated=stamp,
                                 **events.clean_fields(given))
            store.put("events", event.id, event.to_dict())
            added["events"] += 1
    for record in data["relations"]:
        key = f"{record['from']}:{record['type']}:{record['to']}"
        ends_exist = all(store.record("disputes", d) is not None for d in (record["from"], record["to"]))
        if store.record("relations", key) is None and ends_exist:
            store.put("relations", key, {"from": record["from"], "type": record["type"], "to": record["to"]})
            added["relations"] += 1
    store.describe("seed", f"loaded {added['disputes']} disputes, {added['events']} events and "
                           f"{added['relations']} relations from the seed", note=data["source"])
    return added
