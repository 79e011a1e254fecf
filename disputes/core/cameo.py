"""The CAMEO event codes and their Goldstein scores, from the table shipped in disputes/data."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from disputes.core.errors import InvalidValue

TABLE = Path(__file__).resolve().parents[1] / "data" / "cameo_codes.csv"


@cache
def codes() -> dict[str, tuple[str, float]]:
    """Every code (a string: "010" is not "10") with its name and Goldstein score."""
    with TABLE.open(encoding="cp1252", newline="") as handle:
        return {row["code"]: (row["name"], float(row["goldstein"])) for row in csv.DictReader(handle)}


def lookup(code: str) -> tuple[str, str, float]:
    """The code as stored, its name and its Goldstein score; InvalidValue if unknown."""
    wanted = code.strip()
    table = codes()
    if wanted not in table:
        hint = " (codes keep their leading zeros, e.g. 010)" if wanted.isdigit() and len(wanted) < 3 else ""
        raise InvalidValue(f"unknown CAMEO code {code!r}{hint}: see the CAMEO codebook")
    name, score = table[wanted]
    return wanted, name, score
