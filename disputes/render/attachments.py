"""What analysts attach to disputes, listed: comments and documents as plain columns under
the layout rule (render/layout.py), each dispute named by its ref, else its short id."""

from __future__ import annotations

from collections.abc import Sequence

from disputes.core import ids
from disputes.core.comment import Comment
from disputes.core.document import Document
from disputes.render.layout import Column
from disputes.render.output import printable, table

COMMENT_COLUMNS = [
    Column("ID", heading=True),
    Column("DATE", size=10),
    Column("DISPUTE", heading=True),
    Column("AUTHOR", priority=2),
    Column("TEXT", wrap=True, least=24),
]

DOCUMENT_COLUMNS = [
    Column("ID", heading=True),
    Column("DATE", size=10),
    Column("DISPUTE", heading=True),
    Column("TITLE", wrap=True, least=20, heading=True),
    Column("WHERE", wrap=True, least=20),
]


def _named(disputes: Sequence[str], refs: dict[str, str]) -> dict[str, str]:
    """Each dispute by its ref, else its short id among those listed."""
    short = ids.short_forms(set(disputes))
    return {d: refs.get(d) or short[d] for d in disputes}


def comment_listing(found: Sequence[Comment], refs: dict[str, str]) -> None:
    """Comments, in the order given: id, date, dispute, author and the text, wrapped."""
    short = ids.short_forms(c.id for c in found)
    named = _named([c.dispute for c in found], refs)
    rows = [
        tuple(map(printable, (short[c.id], c.date, named[c.dispute], c.author or "no one named", c.text)))
        for c in found
    ]
    table(COMMENT_COLUMNS, rows)


def document_listing(found: Sequence[Document], refs: dict[str, str]) -> None:
    """Documents, in the order given: id, date, dispute, title and where to find it."""
    short = ids.short_forms(d.id for d in found)
    named = _named([d.dispute for d in found], refs)
    rows = [tuple(map(printable, (short[d.id], d.date, named[d.dispute], d.title, d.location))) for d in found]
    table(DOCUMENT_COLUMNS, rows)
