"""The `party` group: the actors disputes name, their aliases and names."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import JsonOption, group, store_of

party_app = group(
    "party",
    "Parties as actors: one name however sources spell it (`RUSSIAN FEDERATION`, `Russia` and "
    "`RUS` are one actor). `party list`, `party show NAME`, `party alias ALIAS NAME`, `party rename OLD NEW`.",
)
NameArg = Annotated[
    str,
    typer.Argument(help="A party: any of its names or its code.", show_default=False, autocompletion=complete.parties),
]


@party_app.command("list")
def party_list(
    ctx: typer.Context,
    unresolved: Annotated[
        bool,
        typer.Option("--unresolved", help="Only the names no code is known for (give them one with `party alias`)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The parties disputes name, and the actors given aliases or names here, with their
    codes, aliases and how many disputes name them (most first).

    Example: disputes party list

    Example: disputes party list --unresolved
    """
    from disputes.ops import actors
    from disputes.render import actors as shown
    from disputes.render import output

    with store_of(ctx) as store:
        rows = actors.listing(store, unresolved=unresolved)
    if as_json:
        output.as_json(rows)
    else:
        shown.party_list(rows)


@party_app.command("show")
def party_show(ctx: typer.Context, name: NameArg, as_json: JsonOption = False) -> None:
    """An actor: its code, aliases, and its disputes by role.

    Example: disputes party show "RUSSIAN FEDERATION"
    """
    from disputes.ops import actors
    from disputes.render import actors as shown
    from disputes.render import output

    with store_of(ctx) as store:
        actor, by_role = actors.show(store, name)
    if as_json:
        output.as_json(
            {**actor.to_dict(), "disputes": {role: [d.id for d in found] for role, found in by_role.items()}}
        )
    else:
        shown.party_detail(actor, by_role)


@party_app.command("alias")
def party_alias(
    ctx: typer.Context,
    alias: Annotated[Optional[str], typer.Argument(help="Another name for the actor.", show_default=False)] = None,
    name: Annotated[
        Optional[str],
        typer.Argument(
            help="A party: any of its names or its code.", show_default=False, autocompletion=complete.parties
        ),
    ] = None,
    from_csv: Annotated[
        Optional[Path],
        typer.Option(
            "--from-csv",
            help="Many at once: a CSV file of ALIAS,NAME rows (a header row alias,name is skipped); one change.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Give an actor another name; disputes that named a party so name the actor (one
    change, undoable).

    Example: disputes party alias "Belarus Rep." Belarus

    Example: disputes party alias --from-csv names.csv
    """
    from disputes.core.errors import InvalidValue
    from disputes.core.vocabulary import counted
    from disputes.ops import actors
    from disputes.render import output

    if from_csv is not None:
        if alias or name:
            raise InvalidValue("give ALIAS NAME or --from-csv FILE, not both")
        rows = actors.alias_rows(from_csv)
        with store_of(ctx, write=True) as store:
            given, changed = actors.aliases_from(store, rows, from_csv.name)
        renamed = f"; {counted(changed, 'disputes')} renamed" if changed else ""
        output.done(f"Added {given:,} {'alias' if given == 1 else 'aliases'}{renamed}")
        return
    if not alias or not name:
        raise InvalidValue("party alias takes ALIAS NAME (or --from-csv FILE)")
    with store_of(ctx, write=True) as store:
        actor, changed = actors.alias(store, alias, name)
    output.done(f"{alias!r} now names {actor.name}" + (f"; {counted(changed, 'disputes')} renamed" if changed else ""))


@party_app.command("rename")
def party_rename(
    ctx: typer.Context,
    old: NameArg,
    new: Annotated[str, typer.Argument(help="Its new name.", show_default=False)],
) -> None:
    """Rename an actor across every dispute (one change, undoable); the old name stays an alias.

    Example: disputes party rename Türkiye Turkey
    """
    from disputes.core.vocabulary import counted
    from disputes.ops import actors
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        actor, changed = actors.rename(store, old, new)
    output.done(f"Renamed {old} to {actor.name} in {counted(changed, 'disputes')}")
