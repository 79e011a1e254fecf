"""The bundled seed data (Belarus–Russia, 2016), loaded into a store once."""

from __future__ import annotations

from pathlib import Path

import orjson

from disputes.core.errors import StoreError
from disputes.core.vocabulary import counted
from disputes.ops.interchange import store_json
from disputes.store.database import Store

SEED_FILE = "belarus-russia-2016.json"


def seed_path() -> Path:
    """The seed file: inside the installed package, or in the source tree's seed/ folder."""
    package = Path(__file__).resolve().parents[1]
    for folder in (package / "_seed", package.parent / "seed"):
        if (folder / SEED_FILE).is_file():
            return folder / SEED_FILE
    raise StoreError(f"the seed file {SEED_FILE} is missing from this installation: reinstall disputes")


def load(store: Store) -> dict[str, int]:
    """Add the seed records the store does not have yet; say how many were added of each kind.

    The seed's ids are fixed, so what is already there (even if edited since) is left alone.
    """
    data = orjson.loads(seed_path().read_bytes())
    missing = {
        table: [r for r in data[table] if store.record(table, r["id"]) is None] for table in ("disputes", "events")
    }
    known = set(store.records("disputes")) | {d["id"] for d in missing["disputes"]}
    missing["relations"] = [r for r in data["relations"] if r["from"] in known and r["to"] in known]
    added = store_json.add_records(store, missing)
    del added["history"], added["deadlines"]
    store.describe(
        "seed",
        f"loaded {counted(added['disputes'], 'disputes')}, {counted(added['events'], 'events')} and "
        f"{counted(added['relations'], 'relations')} from the seed",
        note=data["source"],
    )
    return added
