"""The bundled seed data (Belarus–Russia, 2016), loaded into a store once."""

from __future__ import annotations

from pathlib import Path

import orjson

from disputes import model
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


def load(store: Store) -> tuple[list[Dispute], int]:
    """Add the seed disputes the store does not have yet; return them and how many were there."""
    data = orjson.loads(seed_path().read_bytes())
    added, present = [], 0
    stamp = now()
    for record in data["disputes"]:
        if store.record("disputes", record["id"]) is not None:
            present += 1
            continue
        fields = {k: v for k, v in record.items() if k in model.EDITABLE or k == "status"}
        cleaned = model.clean_fields(fields)
        history = tuple({**step, "date": parse_date(step["date"])} for step in record["status_history"])
        dispute = Dispute(id=record["id"], created=stamp, updated=stamp, status_history=history, **cleaned)
        store.put("disputes", dispute.id, dispute.to_dict())
        added.append(dispute)
    store.describe("seed", f"loaded {len(added)} seed disputes", note=data["source"])
    return added, present
