"""The `comment` group: analysts' dated notes on a dispute for one another."""

from typing import Annotated, Optional

import typer
import typer.core

from disputes.cli.app import DisputeArg, JsonOption, group, store_of


class _CommentGroup(typer.core.TyperGroup):
    """`disputes comment DISPUTE TEXT` is `disputes comment add DISPUTE TEXT`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


comment_app = group(
    "comment",
    "Comments between analysts: `comment DISPUTE TEXT` (dated, with its author), shown newest "
    "first by `show`; also comment list [DISPUTE], comment delete ID (its author only).",
    cls=_CommentGroup,
)


def _said(made) -> str:
    return f"{made.date}, {made.author or 'no one named'}: {made.text}"


@comment_app.command("add")
def comment_add(
    ctx: typer.Context,
    dispute: DisputeArg,
    text: Annotated[str, typer.Argument(help="What to tell your colleagues.", show_default=False)],
    date: Annotated[
        Optional[str], typer.Option("--date", "-d", help="The day it is about (default today).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Comment on a dispute, dated and signed with your name (as the history names you).

    Example: disputes comment DS512 "The panel report is due in April"
    """
    from disputes.ops import comments
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        made = comments.add(store, dispute, text, date=date)
    output.result(made.to_dict(), as_json, f"Comment {made.id} on dispute {made.dispute}: {_said(made)}")


@comment_app.command("list")
def comment_list(
    ctx: typer.Context,
    dispute: Annotated[Optional[str], typer.Argument(help="Only this dispute's.", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Comments, newest first (of one dispute, or of all).

    Example: disputes comment list DS512
    """
    from disputes.ops import comments, events, lookup
    from disputes.render import output

    with store_of(ctx) as store:
        found = comments.all_comments(store, lookup.dispute(store, dispute).id if dispute else "")
        refs = events.dispute_refs(store) if found and not as_json else {}
    if as_json:
        output.as_json([c.to_dict() for c in found])
    elif not found:
        output.done("No comments yet: `disputes comment DISPUTE TEXT` adds one.")
    else:
        from disputes.render import attachments

        attachments.comment_listing(found, refs)


@comment_app.command("delete")
def comment_delete(
    ctx: typer.Context,
    comment: Annotated[str, typer.Argument(help="The comment's id or id prefix.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Delete a comment of yours (undoable); a colleague's stays theirs.

    Example: disputes comment delete 4k2m
    """
    from disputes.ops import comments
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        gone = comments.delete(store, comment)
    output.result(gone.to_dict(), as_json, f"Deleted comment {gone.id} on dispute {gone.dispute}")
