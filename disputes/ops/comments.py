"""Comments: analysts' dated notes on a dispute, added, read back and deleted by their author."""

from __future__ import annotations

from disputes.core import comment as rules
from disputes.core import ids
from disputes.core.comment import TABLE, Comment
from disputes.core.dates import today
from disputes.core.errors import InvalidValue
from disputes.ops import authored, lookup
from disputes.store.author import author_of
from disputes.store.database import Store


def all_comments(store: Store, dispute: str = "") -> list[Comment]:
    """Every comment (or one dispute's), newest first."""
    return rules.newest_first(Comment.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute))


def add(store: Store, dispute_ref: str, text: str, *, date: str | None = None) -> Comment:
    """Comment on a dispute, dated (default today), by the store's author."""
    dispute = lookup.dispute(store, dispute_ref)
    fields = rules.clean_fields({"text": text, "date": date or today()})
    made = authored.put_on(store, TABLE, Comment, dispute.id, fields)
    store.describe("comment", f"commented on {dispute.title!r}", note=made.text, date=made.date)
    return made


def find(store: Store, text: str) -> Comment:
    """The comment with this id or unambiguous id prefix."""
    records = store.records(TABLE)
    return Comment.from_dict(records[ids.resolve(text, records, "comment", "disputes comment list")])


def delete(store: Store, text: str) -> Comment:
    """Delete a comment: only its author may (undo brings it back)."""
    found = find(store, text)
    me = author_of(store.path)
    if found.author and found.author != me:
        raise InvalidValue(
            f"comment {found.id} is {found.author}'s, and you are {me}: only its author deletes a comment"
        )
    store.remove(TABLE, found.id)
    store.describe("comment delete", f"deleted a comment of {found.author or 'no one named'} on {found.dispute}")
    return found
