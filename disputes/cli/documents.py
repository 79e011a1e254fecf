"""The `document` group: dated references to files or web pages on a dispute."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import DisputeArg, JsonOption, group, store_of

document_app = group(
    "document",
    "Documents on a dispute: `document add DISPUTE PATH-OR-URL --date D --title T` (a dated "
    "reference; the file stays where it is), shown by `show`; also document list [DISPUTE], document rm ID.",
)


def _said(made) -> str:
    return f"{made.date}  {made.title}  {made.location}"


@document_app.command("add")
def document_add(
    ctx: typer.Context,
    dispute: DisputeArg,
    location: Annotated[
        str, typer.Argument(metavar="PATH-OR-URL", help="Where the document is: a path or a web address.")
    ],
    date: Annotated[
        Optional[str], typer.Option("--date", "-d", help="The document's date (default today).", show_default=False)
    ] = None,
    title: Annotated[str, typer.Option("--title", "-t", help="What it is (default: the file's name).")] = "",
    as_json: JsonOption = False,
) -> None:
    """Put a dated reference to a file or web page on a dispute (the file itself is not copied).

    Example: disputes document add DS512 https://docs.wto.org/ds512/panel.pdf --date 2019-04-05 --title "Panel report"
    """
    from disputes.ops import documents
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        made = documents.add(store, dispute, location, date=date, title=title)
    output.result(made.to_dict(), as_json, f"Document {made.id} on dispute {made.dispute}: {_said(made)}")


@document_app.command("list")
def document_list(
    ctx: typer.Context,
    dispute: Annotated[Optional[str], typer.Argument(help="Only this dispute's.", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Documents by date (of one dispute, or of all), each with its dispute's ref.

    Example: disputes document list DS512
    """
    from disputes.ops import documents, events, lookup
    from disputes.render import output

    with store_of(ctx) as store:
        found = documents.all_documents(store, lookup.dispute(store, dispute).id if dispute else "")
        refs = events.dispute_refs(store) if found and not as_json else {}
    if as_json:
        output.as_json([d.to_dict() for d in found])
    elif not found:
        output.done("No documents yet: `disputes document add DISPUTE PATH-OR-URL` adds one.")
    else:
        from disputes.render import attachments

        attachments.document_listing(found, refs)


@document_app.command("rm")
def document_rm(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="The document's id or id prefix.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Take a document's reference off its dispute (undoable; the file is not touched).

    Example: disputes document rm 4k2m
    """
    from disputes.ops import documents
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        gone = documents.remove(store, document)
    output.result(gone.to_dict(), as_json, f"Removed document {gone.id} from dispute {gone.dispute}")
