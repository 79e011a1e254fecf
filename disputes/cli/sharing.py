"""Commands for sharing a store through git: git-setup, sync, conflicts, and the merge driver."""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, app, options, store_of


@app.command("git-setup")
def git_setup(
    ctx: typer.Context,
) -> None:
    """Install the record-level merge driver for the store's git repository.

    Writes the driver into the repository's config and the store's line into .gitattributes,
    and keeps the lock and backup files out of git. `sync` runs it when needed.

    Example: disputes --db team/disputes.json git-setup
    """
    from disputes.ops import sharing
    from disputes.render import output

    for line in sharing.setup(options(ctx).path) or ["already set up"]:
        output.done(line)


@app.command()
def sync(
    ctx: typer.Context,
    push: Annotated[
        bool, typer.Option("--push/--no-push", help="Push after merging (--no-push: a local merge only).")
    ] = True,
    remote: Annotated[
        Optional[str],
        typer.Option(help="The remote to share with when the branch has no upstream yet.", show_default=False),
    ] = None,
) -> None:
    """Share the store through its git repository: commit pending changes, pull and merge, push.

    Example: disputes --db team/disputes.json sync
    """
    from disputes.ops import sharing
    from disputes.render import output

    given = options(ctx)
    for line in sharing.sync_store(given.path, push=push, remote=remote, lock_timeout=given.lock_timeout):
        output.done(line)


@app.command("merge-file", hidden=True)
def merge_file(ctx: typer.Context, base: Path, ours: Path, theirs: Path) -> None:
    """The git merge driver: merge THEIRS into OURS record by record, with BASE as ancestor."""
    from disputes.ops import merge_driver

    decisions = merge_driver.merge_file(base, ours, theirs)
    if decisions:
        sys.stderr.write(f"disputes: the merge decided {len(decisions)} conflict(s): see `disputes conflicts`\n")


conflicts_app = typer.Typer(
    help="What merges had to decide: `conflicts` lists them, `conflicts restore ID` takes a dropped value back.",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(conflicts_app, name="conflicts")


@conflicts_app.callback()
def conflicts(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List what merges had to decide (fields changed on both sides, deletes against changes),
    newest first: each decision's id, the record and field, the value kept and the one
    dropped, and who made each.

    Example: disputes conflicts
    """
    if ctx.invoked_subcommand is not None:
        return
    from disputes.ops import history
    from disputes.render import listings, output

    with store_of(ctx) as store:
        found = history.decisions(store)
    if as_json:
        output.as_json(found)
    else:
        listings.conflicts(found)


@conflicts_app.command("restore")
def conflicts_restore(
    ctx: typer.Context,
    decision: Annotated[str, typer.Argument(help="A decision's id or id prefix (see `disputes conflicts`).")],
    as_json: JsonOption = False,
) -> None:
    """Take back the value a merge dropped, as a new change (undo reverts it). Refused when
    the field has changed since the merge.

    Example: disputes conflicts restore 7k2m
    """
    from disputes.ops import history
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        restored = history.restore_dropped(store, decision)
    output.result(
        restored,
        as_json,
        f"Restored {restored['field']} of {restored['table'][:-1]} {restored['record']}: "
        f"{restored['kept']!r} → {restored['dropped']!r}",
    )
