"""What several formats share (Markdown escaping; which digest entries are listed): a leaf
module, so that the report, the digest, the briefing pages and the exports use each other's
pieces without importing each other in a circle."""

from __future__ import annotations

from disputes.core import ids

# HTML's three, then a backslash before each character Markdown reads as markup
_MARKDOWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]#+!|~"}})


def markdown_escape(text: str) -> str:
    """Escape user text for Markdown: no markup, no HTML, no broken table cells (one pass of
    str.translate: an export writes it 200,000 times)."""
    return text.translate(_MARKDOWN)


def shown(data: dict, name: str) -> tuple[list[dict], int]:
    """The entries a reader is shown under a digest heading, and how many quiet ones are only
    counted: of 7,000 disputes that stayed unchanged, those without a single event that
    month are a number, not a list (JSON keeps every one)."""
    if name != "unchanged":
        return data[name], 0
    # listed: those with events that month, and those judged that month (a bottom line dated in it)
    moved = [
        entry
        for entry in data[name]
        if entry["events"] or (entry.get("assessment") or {}).get("date", "")[:7] == data["month"]
    ]
    return moved, len(data[name]) - len(moved)


def quiet_line(count: int) -> str:
    return f"{count:,} more had no events this month." if count else ""


def called(key: str, ref: str, short: dict[str, str]) -> str:
    """A dispute where a short handle names it: its ref (`DS512`), else its shortest id."""
    return ref or short.get(key, key)


def shortened(data: dict) -> dict[str, str]:
    """The short id of each dispute a report names (in its tables and under its events): one
    set for every section and format, so that a dispute without a ref reads alike everywhere."""
    return ids.short_forms({row["id"] for row in data["unresolved"]} | set(data.get("titles", {})))


def status_said(row: dict) -> str:
    """A status as every report format prints it: `escalated (PANEL COMPOSED)`, with the
    source's phrase in force on the report's day."""
    detail = row.get("status_detail", "")
    return f"{row['status']} ({detail})" if detail else row["status"]


def titled(ref: str, title: str) -> str:
    """A dispute's heading: `DS462 — Recycling fee`, so that two like titles read apart."""
    return f"{ref} — {title}" if ref else title


def with_roles(parties, roles: dict) -> str:
    """Parties with their roles, complainants first: `EU (complainant), Russia (respondent), Japan`."""
    order = {"complainant": 0, "respondent": 1, "third-party": 2}
    ranked = sorted(parties, key=lambda name: order.get(roles.get(name, ""), 3))
    return ", ".join(f"{name} ({roles[name].replace('-', ' ')})" if roles.get(name) else name for name in ranked)


def versus(parties, roles: dict) -> str:
    """Parties as a table cell, as case names are written: `European Union v. Russia, with
    Japan` (complainants v. respondents, then the others); plain names when none has a role."""
    if not roles:  # most disputes: `list` writes 10,000 rows through here
        return ", ".join(parties)
    sides = {role: [p for p in parties if roles.get(p) == role] for role in ("complainant", "respondent")}
    if not sides["complainant"] or not sides["respondent"]:
        return with_roles(parties, roles)
    others = [p for p in parties if roles.get(p) not in sides]
    case = f"{', '.join(sides['complainant'])} v. {', '.join(sides['respondent'])}"
    return case + (f", with {', '.join(others)}" if others else "")


def bottom_line_said(made: dict, *, dated: bool = True) -> str:
    """When an assessment was made, how sure, by whom: `2017-03-01, medium confidence, Ann`."""
    confidence = made.get("confidence")
    parts = (made["date"] if dated else "", confidence and f"{confidence} confidence", made.get("author", ""))
    return ", ".join(part for part in parts if part)
