"""The `view` group: saved views (portfolios of disputes) and the view in use."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import JsonOption, group, store_of
from disputes.cli.filters import filtered

view_app = group(
    "view",
    "Saved views: a portfolio of disputes by its filters, shared through the store. `view save NAME "
    "[filters]`, `view list`, `view show NAME`, `view delete NAME`, `view use NAME` (every command "
    "then works on it, until `view use --none`).",
)
ViewArg = Annotated[str, typer.Argument(help="The view's name.", show_default=False, autocompletion=complete.views)]


@view_app.command("save")
@filtered(views=False)
def view_save(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name: letters, digits, '-', '_' or '.'.", show_default=False)],
    wanted,
    as_json: JsonOption = False,
) -> None:
    """Save filters as a view (a view of that name is replaced).

    Example: disputes view save belarus --party Belarus --tag sanctions

    Example: disputes view save wto-russia --respondent Russia --complainant Russia
    """
    from disputes.ops import selection
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        record, warnings = selection.save(store, name, wanted.given)
    for warning in warnings:
        output.warn(warning)
    output.result(record, as_json, f"Saved view {record['name']}: {selection.said(record['filters'])}")


@view_app.command("list")
def view_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The saved views and their filters; the one in use is marked.

    Example: disputes view list
    """
    from disputes.ops import selection
    from disputes.render import output

    with store_of(ctx) as store:
        found, in_use = selection.listing(store), selection.current(store)
    if as_json:
        output.as_json([{"name": r["name"], "filters": r["filters"]} for r in found])
    elif not found:
        output.done("No views yet: `disputes view save NAME --tag T` saves one.")
    else:
        marks = ["*" if r["name"].casefold() == in_use.casefold() else " " for r in found]
        output.done(
            "\n".join(
                f"{mark} {r['name']}  {selection.said(r['filters'])}" for mark, r in zip(marks, found, strict=True)
            )
        )


@view_app.command("show")
def view_show(ctx: typer.Context, name: ViewArg, as_json: JsonOption = False) -> None:
    """A view's filters and how many disputes it holds now.

    Example: disputes view show belarus
    """
    from disputes.core import query
    from disputes.ops import lookup, selection
    from disputes.render import output

    with store_of(ctx) as store:
        record = selection.saved(store, name)
        chosen = selection.choose(store, selection.Wanted(view=record["name"]))
        everything = lookup.listed(store, whole=chosen.filters.searches())
        held = query.select(everything, chosen.filters, sort="opened")
    if as_json:
        output.as_json({**record, "disputes": [d.id for d in held]})
    else:
        active = sum(d.is_active for d in held)
        output.done(f"{record['name']}: {selection.said(record['filters'])}\n{len(held)} disputes, {active} unresolved")


@view_app.command("delete")
def view_delete(ctx: typer.Context, name: ViewArg) -> None:
    """Delete a saved view (undoable).

    Example: disputes view delete belarus
    """
    from disputes.ops import selection
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        record = selection.delete(store, name)
    output.done(f"Deleted view {record['name']}")


@view_app.command("use")
def view_use(
    ctx: typer.Context,
    name: Annotated[
        Optional[str], typer.Argument(help="The view to work in.", show_default=False, autocompletion=complete.views)
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="Work on the whole register again.")] = False,
) -> None:
    """Work in a view: every command that chooses disputes then works on the view's (as
    Taskwarrior's context), until `view use --none`. Kept in this copy only, never shared.

    Example: disputes view use belarus
    """
    from disputes.core.errors import InvalidValue
    from disputes.ops import selection
    from disputes.render import output

    if bool(name) == none:
        raise InvalidValue("name a view to use, or --none to stop using one")
    with store_of(ctx) as store:
        record = selection.use(store, None if none else name)
    output.done(
        f"Working in view {record['name']}: {selection.said(record['filters'])}"
        if record
        else "No view in use: commands work on the whole register"
    )
