"""Commands that move a dispute through its lifecycle: status, resolve, close, reopen."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import (
    STATUS_HELP,
    DateOption,
    DisputeArg,
    JsonOption,
    NoteOption,
    app,
    store_of,
)
from disputes.cli.disputes import _show_one, _status_message
from disputes.cli.filters import (
    MatchOption,
    OptionalDisputeArg,
    SelectViewOption,
    YesOption,
    changed_many,
    confirm_change,
    one_or_many,
)


@app.command()
def status(
    ctx: typer.Context,
    dispute: Annotated[
        str,
        typer.Argument(
            help="Dispute id, unique id prefix, or external reference (none with --match or --view).",
            show_default=False,
            autocompletion=complete.disputes,
        ),
    ],
    new: Annotated[
        Optional[str], typer.Argument(help=STATUS_HELP, show_default=False, autocompletion=complete.statuses)
    ] = None,
    note: NoteOption = "",
    date: DateOption = None,
    detail: Annotated[
        str, typer.Option("--detail", help="A source's own phrase for the new status (its status detail).")
    ] = "",
    match: MatchOption = [],
    select_view: SelectViewOption = None,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Move a dispute to another status, with a dated note; or every dispute a selection
    chooses (--match, --view: one change, one undo step).

    Active states (open, negotiating, escalated, frozen) can move to any other state;
    final ones (resolved, closed) only back to an active one.

    Example: disputes status fr45 escalated --date 2016-06-07 --note "apples detained"

    Example: disputes status frozen --match tag=desk --yes
    """
    if new is None:  # `status --match tag=desk frozen`: the one word given is the status
        if not (match or select_view):
            from disputes.core.errors import InvalidValue

            raise InvalidValue(f"Missing argument 'NEW': the status to move {dispute} to (`disputes status --help`)")
        dispute, new = "", dispute
    _end(ctx, dispute, new, note, date, as_json, match=match, view=select_view, yes=yes, detail=detail)


def _end(
    ctx: typer.Context,
    dispute: Optional[str],
    final: str,
    note: str,
    date: Optional[str],
    as_json: bool,
    *,
    match: list[str],
    view: Optional[str],
    yes: bool,
    detail: str = "",
) -> None:
    from disputes.ops import disputes as register
    from disputes.ops import lookup

    if one_or_many(dispute, match, view):
        from disputes.ops import bulk

        with store_of(ctx, write=True) as store:
            chosen = bulk.selected(store, match, view)
            confirm_change(yes, chosen, f"status {final}")
            many = bulk.change_status(store, chosen, final, note=note, date=date)
        changed_many(many, as_json, "Moved", f"to {final}")
        return
    assert dispute is not None

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
    ctx: typer.Context,
    dispute: OptionalDisputeArg = None,
    note: NoteOption = "",
    date: DateOption = None,
    match: MatchOption = [],
    select_view: SelectViewOption = None,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Mark a dispute resolved (settled), or every dispute a selection chooses (--match, --view).

    Example: disputes resolve vfb3 --note "price agreed" --date 2017-04-03
    """
    _end(ctx, dispute, "resolved", note, date, as_json, match=match, view=select_view, yes=yes)


@app.command()
def close(
    ctx: typer.Context,
    dispute: OptionalDisputeArg = None,
    note: NoteOption = "",
    date: DateOption = None,
    match: MatchOption = [],
    select_view: SelectViewOption = None,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Close a dispute without resolution (dropped, moot, no longer followed), or every
    dispute a selection chooses (--match, --view).

    Example: disputes close 3zp0 --note "no longer followed"

    Example: disputes close --match respondent=Russia --match status=negotiating --note "lapsed" --yes
    """
    _end(ctx, dispute, "closed", note, date, as_json, match=match, view=select_view, yes=yes)


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
