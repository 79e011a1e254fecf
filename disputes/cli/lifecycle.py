"""Commands that move a dispute through its lifecycle: status, resolve, close, reopen."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import STATUS_HELP, DateOption, DisputeArg, JsonOption, NoteOption, app, store_of
from disputes.cli.disputes import _show_one, _status_message


@app.command()
def status(
    ctx: typer.Context,
    dispute: DisputeArg,
    new: Annotated[str, typer.Argument(help=STATUS_HELP, show_default=False, autocompletion=complete.statuses)],
    note: NoteOption = "",
    date: DateOption = None,
    detail: Annotated[
        str, typer.Option("--detail", help="A source's own phrase for the new status (its status detail).")
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Move a dispute to another status, with a dated note.

    Active states (open, negotiating, escalated, frozen) can move to any other state;
    final ones (resolved, closed) only back to an active one.

    Example: disputes status fr45 escalated --date 2016-06-07 --note "apples detained"
    """

    _end(ctx, dispute, new, note, date, as_json, detail)


def _end(
    ctx: typer.Context, dispute: str, final: str, note: str, date: Optional[str], as_json: bool, detail: str = ""
) -> None:
    from disputes.ops import disputes as register
    from disputes.ops import lookup

    with store_of(ctx, write=True) as store:
        was = lookup.dispute(store, dispute).status
        changed = register.change_status(store, dispute, final, note=note, date=date, detail=detail)
        still_open = _open_forecasts(store, changed)
    _show_one(changed, as_json, _status_message(changed, final, was))
    if still_open:  # a hint, never a prompt: a script or a bulk change goes on
        from disputes.core.vocabulary import counted
        from disputes.render import output

        output.warn(
            f"{counted(still_open, 'forecasts')} on dispute {changed.id} still open: see "
            f"`disputes forecast list --open --dispute {changed.id}`, then "
            "`disputes forecast resolve ID yes|no|void --date DAY`"
        )


def _open_forecasts(store, changed) -> int:
    """How many forecasts are still open on a dispute that has just ended (0 while it is active)."""
    if changed.is_active:
        return 0
    from disputes.ops import forecasts

    return len(forecasts.open_on(store, changed.id))


@app.command()
def resolve(
    ctx: typer.Context, dispute: DisputeArg, note: NoteOption = "", date: DateOption = None, as_json: JsonOption = False
) -> None:
    """Mark a dispute resolved (settled).

    Example: disputes resolve vfb3 --note "price agreed" --date 2017-04-03
    """
    _end(ctx, dispute, "resolved", note, date, as_json)


@app.command()
def close(
    ctx: typer.Context, dispute: DisputeArg, note: NoteOption = "", date: DateOption = None, as_json: JsonOption = False
) -> None:
    """Close a dispute without resolution (dropped, moot, no longer followed).

    Example: disputes close 3zp0 --note "no longer followed"
    """
    _end(ctx, dispute, "closed", note, date, as_json)


@app.command()
def reopen(
    ctx: typer.Context,
    dispute: DisputeArg,
    to: Annotated[str, typer.Option("--status", help="The active status to reopen to.")] = "open",
    note: NoteOption = "",
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reopen a resolved or closed dispute.

    Example: disputes reopen vfb3 --status negotiating --note "talks resumed"
    """
    from disputes.ops import disputes as register
    from disputes.ops import lookup

    with store_of(ctx, write=True) as store:
        was = lookup.dispute(store, dispute).status
        changed = register.reopen(store, dispute, status=to, note=note, date=date)
    _show_one(changed, as_json, _status_message(changed, to, was))
