"""Rows that belong together: the rows of a file that share a ref, taken as one dispute.

Conflict data comes in pairs: a dyadic data set has one row per pair of states per year, so
one dispute is many rows. `import --merge-rows` unites them: parties, tags, sources and
alerts as sets (in the order first met); each party keeps the role the mapping gave it,
but a party named in opposite roles (complainant in one row, respondent in another) becomes
a plain party, which the import's summary names; the earliest opening date wins, and the
latest status (the one dated latest by its row, the later row on a tie); other fields are
the first row's, a later row filling only what the first left empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from disputes.core import actors, model
from disputes.core.jsontypes import JsonRecord


@dataclass(frozen=True)
class Merged:
    """The rows of a file merged by ref: the records (each with the line of its first row),
    how many rows went in, and the parties named in opposite roles (by ref)."""

    records: list[tuple[int, JsonRecord]]
    rows: int
    both_sides: dict[str, list[str]]


def merged(rows: list[tuple[int, JsonRecord]]) -> Merged:
    """The rows (line, record) taken as one record per ref (a row without a ref stays alone)."""
    groups: dict[str, list[tuple[int, JsonRecord]]] = {}
    alone: list[tuple[int, JsonRecord]] = []
    for line, record in rows:
        ref = record.get("ref", "")
        if ref:
            groups.setdefault(ref.casefold(), []).append((line, record))
        else:
            alone.append((line, record))
    records, both = list(alone), {}
    for group in groups.values():
        record, opposed = _one(group)
        records.append((group[0][0], record))
        if opposed:
            both[record["ref"]] = opposed
    records.sort(key=lambda pair: pair[0])
    return Merged(records, len(rows), both)


def _one(group: list[tuple[int, JsonRecord]]) -> tuple[JsonRecord, list[str]]:
    first = dict(group[0][1])
    for _line, record in group[1:]:
        for name, value in record.items():
            if name in model.LIST_FIELDS:
                first[name] = list(dict.fromkeys([*first.get(name, ()), *value]))
            elif name not in first or first[name] in ("", None):
                first[name] = value
    named: dict[str, set[str]] = {}
    for _line, record in group:
        for party in record.get("parties", ()):
            named.setdefault(party, set()).add(record.get("roles", {}).get(party, "party"))
    roles, opposed = {}, []
    for party, given in named.items():
        role = actors.one_role(given)
        if role is None:
            opposed.append(party)
            role = "party"
        if role != "party":
            roles[party] = role
    first["parties"] = tuple(named)
    first["roles"] = roles
    openings = [record["opened"] for _line, record in group if record.get("opened")]
    if openings:
        first["opened"] = min(openings)
    latest = max(
        ((record["status_history"][-1]["date"], line, record) for line, record in group), key=lambda t: (t[0], t[1])
    )[2]
    first["status"], step = latest["status"], latest["status_history"][-1]
    if "status_detail" in latest:
        first["status_detail"] = latest["status_detail"]
    opened = first.get("opened") or step["date"]
    history = [{"date": opened, "status": "open", "note": ""}]
    if step["status"] != "open":
        history.append({**step, "date": max(step["date"], opened)})
    first["status_history"] = history
    return first, opposed
