"""Commands for the record of changes: history, undo and redo."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, app, paged, store_of


@app.command("history")
def history_(
    ctx: typer.Context,
    dispute: Annotated[
        Optional[str], typer.Argument(help="Only changes touching this dispute.", show_default=False)
    ] = None,
    limit: Annotated[Optional[int], typer.Option(help="Show the last N changes.", show_default=False, min=0)] = None,
    author: Annotated[
        list[str], typer.Option("--author", help="Only changes made by this person (repeatable).", show_default=False)
    ] = [],
    as_json: JsonOption = False,
) -> None:
    """Show the recorded changes, newest first, with who made them and their notes.

    Example: disputes history fr45

    Example: disputes history --author "Anna Petrova"
    """
    from disputes.core.query import last
    from disputes.ops import history, lookup
    from disputes.render import listings, output

    with store_of(ctx) as store:
        dispute_id = lookup.dispute_id(store, dispute) if dispute else ""
        entries = history.entries(store, dispute_id)
        if author:
            wanted = {name.casefold().strip() for name in author}
            entries = [e for e in entries if e.get("author", "").casefold() in wanted]
        if limit is not None:
            entries = last(entries, limit)
        shown = history.shown(store, entries)
    if as_json:
        output.as_json(list(shown.entries))
    else:
        with paged(ctx):
            listings.history(shown)


@app.command()
def undo(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Revert the last change (one command is one step); run it again to go further back.

    Example: disputes undo
    """
    from disputes.ops import history
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        entry = history.undo(store)
    from disputes.core.changes import undone_said

    output.result(entry, as_json, _sentence(undone_said(entry)))


@app.command()
def redo(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Re-apply what the last `undo` reverted (repeatable), until another change is made.

    Example: disputes redo
    """
    from disputes.ops import history
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        entry = history.redo(store)
    from disputes.core.changes import redone_said

    output.result(entry, as_json, _sentence(redone_said(entry)))


def _sentence(said: str) -> str:
    return said[:1].upper() + said[1:]
