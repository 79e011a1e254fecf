"""Parties as actors on a terminal: the list, and one actor with its disputes by role."""

from __future__ import annotations

from disputes.core.actors import Actor
from disputes.core.model import Dispute
from disputes.render.layout import Column, hanging
from disputes.render.output import done, table, terminal_width

PARTY_COLUMNS = (
    Column("NAME", wrap=True, least=16, heading=True),
    Column("CODE", priority=2),
    Column("DISPUTES", right=True, heading=True),
    Column("ALIASES", wrap=True, least=16, priority=1),
)
ROLE_HEADINGS = {
    "complainant": "Complainant",
    "respondent": "Respondent",
    "third-party": "Third party",
    "party": "Party",
}


def party_list(rows: list[dict]) -> None:
    if not rows:
        done("No parties yet: add a dispute with --party, or see `disputes add --help`.")
        return
    table(PARTY_COLUMNS, [(r["name"], r["code"], str(r["disputes"]), ", ".join(r["aliases"])) for r in rows])


def party_detail(actor: Actor, by_role: dict[str, list[Dispute]]) -> None:
    width = terminal_width()
    lines = [actor.name + (f" ({actor.code})" if actor.code else "")]
    if actor.aliases:
        lines += hanging("Also: " + ", ".join(actor.aliases), width, 6)
    for role, disputes in by_role.items():
        if disputes:
            lines += ["", f"{ROLE_HEADINGS[role]} in {len(disputes)}"]
            for dispute in sorted(disputes, key=lambda d: (d.opened, d.id)):
                label = f"  {dispute.ref or dispute.id}  {dispute.status:<12}"
                lines += hanging(label + dispute.title, width, len(label))
    if len(lines) == 1 + bool(actor.aliases):
        lines += ["", "No dispute names it."]
    done("\n".join(lines))
