"""The `profile` group: import profiles, CSV mappings saved in the store (`import --save-profile`)."""

from typing import Annotated

import typer

from disputes.cli.app import JsonOption, group, store_of

profile_app = group(
    "profile",
    "Import profiles: a CSV mapping saved with `import FILE ... --save-profile NAME`, reused with "
    "`import FILE --profile NAME`. `profile list`, `profile show NAME`, `profile delete NAME`.",
)
NameArg = Annotated[str, typer.Argument(help="A profile's name.", show_default=False)]


@profile_app.command("list")
def profile_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The saved import profiles, each with the options it gives an import.

    Example: disputes profile list
    """
    from disputes.ops import profiles
    from disputes.render import output
    from disputes.render import profiles as shown

    with store_of(ctx) as store:
        records = profiles.listing(store)
    if as_json:
        output.as_json(records)
    else:
        shown.profiles(records)


@profile_app.command("show")
def profile_show(ctx: typer.Context, name: NameArg, as_json: JsonOption = False) -> None:
    """One import profile: its options, as the command line that gives them.

    Example: disputes profile show wto
    """
    from disputes.ops import profiles
    from disputes.render import output
    from disputes.render import profiles as shown

    with store_of(ctx) as store:
        record = profiles.saved(store, name)
    if as_json:
        output.as_json(record)
    else:
        shown.profiles([record])


@profile_app.command("delete")
def profile_delete(ctx: typer.Context, name: NameArg) -> None:
    """Delete an import profile (undoable).

    Example: disputes profile delete wto
    """
    from disputes.ops import profiles
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        record = profiles.delete(store, name)
    output.done(f"Deleted import profile {record['name']}")
