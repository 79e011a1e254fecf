"""Documents: dated references to files or web pages on a dispute, added, listed and removed."""

from __future__ import annotations

from disputes.core import document as rules
from disputes.core import ids
from disputes.core.dates import today
from disputes.core.document import TABLE, Document
from disputes.ops import authored, lookup
from disputes.store.database import Store


def all_documents(store: Store, dispute: str = "") -> list[Document]:
    """Every document (or one dispute's), by date."""
    return Document.in_order(Document.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute))


def add(store: Store, dispute_ref: str, location: str, *, date: str | None = None, title: str = "") -> Document:
    """Put a reference to a file or web page on a dispute, dated (default today), titled
    (default: the file's name), by the store's author."""
    dispute = lookup.dispute(store, dispute_ref)
    fields = rules.clean_fields({"location": location, "date": date or today()})
    fields["title"] = rules.clean_fields({"title": title or rules.titled(fields["location"])})["title"]
    made = authored.put_on(store, TABLE, Document, dispute.id, fields)
    named = dispute.ref or dispute.id
    store.describe("document", f"document {made.date} {made.title!r} on {named}", note=made.location, date=made.date)
    return made


def find(store: Store, text: str) -> Document:
    """The document with this id or unambiguous id prefix."""
    records = store.records(TABLE)
    return Document.from_dict(records[ids.resolve(text, records, "document", "disputes document list")])


def remove(store: Store, text: str) -> Document:
    """Take a document's reference off its dispute (undo brings it back; the file is not touched)."""
    found = find(store, text)
    store.remove(TABLE, found.id)
    store.describe("document rm", f"removed document {found.date} {found.title!r} from {found.dispute}")
    return found
