"""Commands for links between disputes: link and unlink."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import DisputeArg, JsonOption, app, store_of

RelationOption = Annotated[str, typer.Option("--as", help="relates, part-of, blocks or duplicates.")]


@app.command()
def link(
    ctx: typer.Context,
    first: DisputeArg,
    second: DisputeArg,
    kind: RelationOption = "relates",
    as_json: JsonOption = False,
) -> None:
    """Link two disputes: FIRST relates to / is part of / blocks / duplicates SECOND.

    Example: disputes link fr45 3zp0 --as relates
    """
    from disputes.core.relation import TYPES
    from disputes.ops import relations
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        record = relations.link(store, first, second, kind)
    output.result(record, as_json, f"Linked: {record['from']} {TYPES[record['type']]} {record['to']}")


@app.command()
def unlink(
    ctx: typer.Context,
    first: DisputeArg,
    second: DisputeArg,
    kind: Annotated[Optional[str], typer.Option("--as", help="Only this type of link.", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Remove the links between two disputes.

    Example: disputes unlink fr45 3zp0
    """
    from disputes.ops import relations
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        gone = relations.unlink(store, first, second, kind)
    output.result(gone, as_json, f"Removed {len(gone)} link(s)")
