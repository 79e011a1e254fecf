"""Write a deterministic large store: 10,000 disputes and 100,000 events (by default).

Field sizes follow the seed and the WTO list: titles of 40-120 characters, summaries of a
few hundred, two to four parties, one to three disputes per event; a quarter resolved or
closed. Events are shaped as a register fed for years (issue 48): ten years of them
(2016-2025, a few with only a year or a month), 80 % naming one of 20 hot disputes (as a
dispute followed through GDELT's feed gathers story after story), the rest spread over
all. The same seed gives the same disputes whatever the number of events, so a store of
1,000,000 events and one of 100,000 hold the same 10,000 disputes and compare read for read.

Usage: python bench/generate.py OUT.json [--disputes N] [--events N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from disputes.core.ids import ALPHABET, LENGTH
from disputes.store.decoding import encode
from disputes.store.fileformat import FORMAT, META
from disputes.store.files import write_atomically
from disputes.store.migrations import SCHEMA

WORDS = [
    "gas",
    "price",
    "transit",
    "tariff",
    "quota",
    "dumping",
    "subsidy",
    "ban",
    "embargo",
    "customs",
    "apples",
    "dairy",
    "steel",
    "sanctions",
    "re-export",
    "border",
    "inspection",
    "licence",
    "anti-dumping",
    "safeguard",
    "measures",
    "import",
    "export",
    "agreement",
    "pipeline",
    "debt",
    "loan",
    "energy",
    "oil",
    "potash",
    "fertiliser",
    "beef",
    "milk",
    "sugar",
]
PARTIES = [
    "Belarus",
    "Russia",
    "Ukraine",
    "Poland",
    "Lithuania",
    "Kazakhstan",
    "European Union",
    "China",
    "United States",
    "Gazprom",
    "Belaruskali",
    "Armenia",
    "Kyrgyzstan",
    "Latvia",
    "Turkey",
]
TOPICS = ["energy", "trade", "sanctions", "transit", "finance", "agriculture", "customs"]
ACTIVE, FINAL = ["open", "negotiating", "escalated", "frozen"], ["resolved", "closed"]


def _id(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def _text(rng: random.Random, low: int, high: int) -> str:
    words, size = [], rng.randint(low, high)
    while sum(len(w) + 1 for w in words) < size:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize()


def _date(rng: random.Random, start: int = 1995, end: int = 2026) -> str:
    year = rng.randint(start, end)
    shape = rng.random()
    if shape < 0.05:
        return f"{year}"
    if shape < 0.15:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


FIRST_YEAR, LAST_YEAR = 2016, 2025  # ten years of events
HOT, HOT_SHARE = 20, 0.8  # the disputes followed through a feed, and their share of the events


def _linked(rng: random.Random, ids: list[str], hot: list[str]) -> list[str]:
    """The disputes an event names: one of the hot ones for most, else one to three of any."""
    if hot and rng.random() < HOT_SHARE:
        first = rng.choice(hot)
        return [first] if rng.random() < 0.9 else [first, *(d for d in rng.sample(ids, 2) if d != first)][:2]
    return rng.sample(ids, min(len(ids), rng.randint(1, 3)))


def generate(disputes: int = 10_000, events: int = 100_000, seed: int = 2016) -> dict:
    rng = random.Random(seed)
    stamp = "2026-11-30T00:00:00Z"
    data = {META: {"format": FORMAT, "schema": SCHEMA}, "disputes": {}, "events": {}, "relations": {}, "history": {}}
    ids = []
    for n in range(disputes):
        key = _id(rng)
        opened = _date(rng, 1995, 2025)
        status = rng.choice(FINAL) if n % 4 == 0 else rng.choice(ACTIVE)
        history = [{"date": opened, "status": "open", "note": ""}]
        if status != "open":
            history.append({"date": _date(rng, int(opened[:4]), 2026), "status": status, "note": _text(rng, 20, 80)})
        data["disputes"][key] = {
            "id": key,
            "ref": f"DS{n + 1}",
            "title": _text(rng, 40, 120),
            "summary": _text(rng, 150, 600),
            "status": status,
            "status_detail": "",
            "topic": rng.choice(TOPICS),
            "parties": rng.sample(PARTIES, rng.randint(2, 4)),
            "tags": rng.sample(WORDS, 2),
            "priority": rng.choice(["low", "medium", "medium", "high", "critical"]),
            "opened": opened,
            "sources": [f"https://example.org/{key}"],
            "alerts": [],
            "created": stamp,
            "updated": stamp,
            "status_history": history,
            "review_every": 0,  # every field, as the CLI writes a dispute
            "last_review": "",
            "monitored": True,
            "roles": {},
        }
        ids.append(key)
    # events draw from a random generator of their own: the disputes stay the same whatever their number
    rng, hot = random.Random(seed + 1), ids[: min(HOT, len(ids))]
    for _ in range(events):
        key = _id(rng)
        score = round(rng.uniform(-10, 10), 1) if rng.random() < 0.5 else None
        effect = (
            rng.choice(["escalating", "de-escalating", "neutral"])
            if score is None
            else ("escalating" if score < 0 else "de-escalating" if score > 0 else "neutral")
        )
        data["events"][key] = {
            "id": key,
            "date": _date(rng, FIRST_YEAR, LAST_YEAR),
            "title": _text(rng, 30, 100),
            "description": _text(rng, 0, 300),
            "kind": rng.choice(["meeting", "statement", "measure", "agreement", "incident", "ruling", "other"]),
            "effect": effect,
            "score": score,
            "code": "",
            "actors": rng.sample(PARTIES, 2),
            "place": "",
            "sources": [],
            "disputes": _linked(rng, ids, hot),
            "created": stamp,
            "updated": stamp,
        }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--disputes", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    write_atomically(args.output, encode(generate(args.disputes, args.events)), backup=False)


if __name__ == "__main__":
    main()
