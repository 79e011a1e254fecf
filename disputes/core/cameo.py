"""The CAMEO event codes and their Goldstein scores, from the table shipped in disputes/data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from disputes.core.errors import InvalidValue

TABLE = Path(__file__).parents[1] / "data" / "cameo_codes.csv"


@cache
def codes() -> dict[str, tuple[str, float]]:
    """Every code (a string: "010" is not "10") with its name and Goldstein score."""
    import csv  # here: most commands that load the codes' module never read them

    with TABLE.open(encoding="cp1252", newline="") as handle:
        return {row["code"]: (row["name"], float(row["goldstein"])) for row in csv.DictReader(handle)}


def lookup(code: str) -> tuple[str, str, float]:
    """The code as stored, its name and its Goldstein score; InvalidValue if unknown."""
    wanted = code.strip()
    table = codes()
    if wanted not in table:
        hint = " (codes keep their leading zeros, e.g. 010)" if wanted.isdigit() and len(wanted) < 3 else ""
        raise InvalidValue(f"unknown CAMEO code {code!r}{hint}: `disputes cameo search WORD` finds codes by name")
    name, score = table[wanted]
    return wanted, name, score


@cache
def descriptions() -> dict[str, str]:
    """Each code's description in the codebook (empty where it has none)."""
    import csv

    with TABLE.open(encoding="cp1252", newline="") as handle:
        return {
            row["code"]: "" if row["description"] in ("", "NA") else " ".join(row["description"].split())
            for row in csv.DictReader(handle)
        }


def search(words: list[str]) -> list[str]:
    """The codes whose name or description holds every word (any case), in code order."""
    wanted = [word.casefold() for word in words if word.strip()]
    if not wanted:
        raise InvalidValue("give a word to look for, e.g. `disputes cameo search sanction`")
    about = descriptions()
    return sorted(
        code for code, (name, _) in codes().items() if all(w in f"{name} {about[code]}".casefold() for w in wanted)
    )


def family(code: str) -> tuple[list[str], list[str]]:
    """A code's parents (its shorter prefixes that are codes) and its children (one level down)."""
    wanted, _, _ = lookup(code)
    table = codes()
    parents = [wanted[:n] for n in range(2, len(wanted)) if wanted[:n] in table]
    children = sorted(c for c in table if c.startswith(wanted) and len(c) == len(wanted) + 1)
    return parents, children
