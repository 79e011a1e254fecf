"""The `view` group: saved views (portfolios of disputes) and the view in use."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import DisputesArg, JsonOption, group, store_of
from disputes.cli.filters import filtered

view_app = group(
    "view",
    "Saved views: a portfolio of disputes by its filters, its members and other views, shared "
    "through the store. `view save NAME [filters] [VIEWS --any-of|--all-of]`, `view add NAME "
    "DISPUTE...`, `view remove NAME DISPUTE...`, `view list`, `view show NAME`, `view delete NAME`, "
    "`view use NAME` (every command then works on it, until `view use --none`).",
)
ViewArg = Annotated[str, typer.Argument(help="The view's name.", show_default=False, autocompletion=complete.views)]


@view_app.command("save")
@filtered(views=False)
def view_save(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name: letters, digits, '-', '_' or '.'.", show_default=False)],
    wanted,
    views: Annotated[
        Optional[list[str]],
        typer.Argument(help="Views this one combines (with --any-of or --all-of).", show_default=False),
    ] = None,
    any_of: Annotated[
        bool, typer.Option("--any-of", help="Hold the disputes of any of VIEWS (besides the filters' own).")
    ] = False,
    all_of: Annotated[
        bool, typer.Option("--all-of", help="Hold the disputes all of VIEWS hold (and the filters match).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Save filters as a view (a view of that name is replaced; its members stay), or a view
    made of views: --any-of holds the disputes of any of them, --all-of those all of them hold.
    A view that would hold itself is refused.

    Example: disputes view save russia-cases --respondent Russia

    Example: disputes view save ukraine --party Ukraine --tag wto

    Example: disputes view save desk russia-cases ukraine --any-of
    """
    from disputes.core.errors import InvalidValue
    from disputes.ops import selection
    from disputes.render import output

    views = views or []
    if views and any_of == all_of:
        raise InvalidValue("say how the views combine: --any-of (any of theirs) or --all-of (those all hold)")
    if not views and (any_of or all_of):
        raise InvalidValue("name the views to combine after the view's name, e.g. view save desk a b --any-of")
    with store_of(ctx, write=True) as store:
        record, warnings = selection.save(
            store, name, wanted.given, any_of=views if any_of else [], all_of=views if all_of else []
        )
        named = selection.member_names(store, record)
    for warning in warnings:
        output.warn(warning)
    output.result(record, as_json, f"Saved view {record['name']}: {selection.view_said(record, named)}")


@view_app.command("add")
def view_add(ctx: typer.Context, name: ViewArg, disputes: DisputesArg, as_json: JsonOption = False) -> None:
    """Put disputes into a view by hand (its members, whatever its filters say); a view of
    that name is made if there is none.

    Example: disputes view add russia-cases DS512 DS499
    """
    _members(ctx, name, disputes, as_json, add=True)


@view_app.command("remove")
def view_remove(ctx: typer.Context, name: ViewArg, disputes: DisputesArg, as_json: JsonOption = False) -> None:
    """Take disputes put into a view by hand out of it (its filters still hold those they match).

    Example: disputes view remove russia-cases DS499
    """
    _members(ctx, name, disputes, as_json, add=False)


def _members(ctx: typer.Context, name: str, disputes: list[str], as_json: bool, *, add: bool) -> None:
    from disputes.ops import selection
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        record, changed = selection.members(store, name, disputes, add=add)
        named = selection.member_names(store, record)
    verb = "Added" if add else "Removed"
    where = "to" if add else "from"
    said = selection.view_said(record, named)
    output.result(record, as_json, f"{verb} {', '.join(changed)} {where} view {record['name']}: {said}")


@view_app.command("list")
def view_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The saved views and their filters; the one in use is marked.

    Example: disputes view list
    """
    from disputes.core import view
    from disputes.ops import selection
    from disputes.render import output

    with store_of(ctx) as store:
        found, in_use = selection.listing(store), selection.current(store)
        named = {r["name"]: selection.member_names(store, r) for r in found} if not as_json else {}
    if as_json:
        parts = [{k: v for k, v in view.parts(r).items() if v} for r in found]
        pairs = zip(found, parts, strict=True)
        output.as_json([{"name": r["name"], "filters": r["filters"], **more} for r, more in pairs])
    elif not found:
        output.done("No views yet: `disputes view save NAME --tag T` saves one.")
    else:
        marks = ["*" if r["name"].casefold() == in_use.casefold() else " " for r in found]
        marked = zip(marks, found, strict=True)
        output.done("\n".join(f"{mark} {r['name']}  {selection.view_said(r, named[r['name']])}" for mark, r in marked))


@view_app.command("show")
def view_show(ctx: typer.Context, name: ViewArg, as_json: JsonOption = False) -> None:
    """A view's filters, members and views, how many disputes it holds now, and why each
    is in (a member, its filters, or the view it comes through).

    Example: disputes view show belarus
    """
    from disputes.core import ids, query, view
    from disputes.ops import lookup, selection
    from disputes.render import output

    with store_of(ctx) as store:
        record = selection.saved(store, name)
        chosen = selection.choose(store, selection.Wanted(view=record["name"]))
        everything = lookup.listed(store, whole=chosen.filters.searches())
        held = query.select(everything, chosen.filters, sort="opened")
        why = selection.held(store, record) if view.combines(record) else {}
        members = selection.member_names(store, record)
    reasons = {d.id: why.get(d.id) or [f"filters {selection.said(record['filters'])}"] for d in held}
    if as_json:
        output.as_json({**record, "disputes": [d.id for d in held], "why": reasons})
    else:
        active = sum(d.is_active for d in held)
        short = ids.short_forms(d.id for d in everything)
        said = selection.view_said(record, members)
        lines = [f"{record['name']}: {said}", f"{len(held)} disputes, {active} unresolved"]
        named = {d.id: f"{d.ref}  {d.title}" if d.ref else d.title for d in held}
        lines += [f"  {short[d.id]}  {named[d.id]}  ({'; '.join(reasons[d.id])})" for d in held]
        output.done("\n".join(lines))


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
        named = selection.member_names(store, record) if record else {}
    output.done(
        f"Working in view {record['name']}: {selection.view_said(record, named)}"
        if record
        else "No view in use: commands work on the whole register"
    )
