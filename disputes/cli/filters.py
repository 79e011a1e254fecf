"""The one filter language, declared once: `@filtered` gives a command every filter option
of `FILTERS`, --view and --all-disputes, and hands it what was asked as one `Wanted`."""

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from disputes.cli import complete
from disputes.core.vocabulary import FILTERS, ONE_VALUE  # cheap to import: no rules, only words

RULE = "The same option repeated means any of its values; different options must all hold."
_SHORT = {"party": "-p", "tag": "-t", "search": "-s"}
_COMPLETE: dict[str, Callable[..., Any]] = {
    "dispute": complete.disputes,
    "party": complete.parties,
    "complainant": complete.parties,
    "respondent": complete.parties,
    "tag": complete.tags,
    "topic": complete.topics,
    "priority": complete.priorities,
    "status": complete.statuses,
}
_PANEL = "Choosing disputes"


def _option(name: str) -> inspect.Parameter:
    flag, help_text = FILTERS[name]
    flags = (flag, _SHORT[name]) if name in _SHORT else (flag,)
    kind: object
    default: object
    if name in ONE_VALUE:
        kind, default = str, ""
    else:
        kind, default, help_text = list[str], [], f"{help_text} Repeatable."
    info = typer.Option(
        *flags,
        help=help_text,
        show_default=False,
        autocompletion=_COMPLETE.get(name),
        rich_help_panel=_PANEL,
    )
    return inspect.Parameter(
        f"filter_{name}", inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, info]
    )


_VIEW = inspect.Parameter(
    "filter_view",
    inspect.Parameter.KEYWORD_ONLY,
    default=None,
    annotation=Annotated[
        Optional[str],
        typer.Option(
            "--view",
            help="Only the disputes of this saved view (see `disputes view`), besides any filter given.",
            show_default=False,
            autocompletion=complete.views,
            rich_help_panel=_PANEL,
        ),
    ],
)
_EVERYTHING = inspect.Parameter(
    "filter_all_disputes",
    inspect.Parameter.KEYWORD_ONLY,
    default=False,
    annotation=Annotated[
        bool,
        typer.Option(
            "--all-disputes", help="Ignore the view in use (`view use`) for this command.", rich_help_panel=_PANEL
        ),
    ],
)
FILTER_PARAMETERS = tuple(_option(name) for name in FILTERS)


def filtered(command=None, *, views: bool = True):
    """Give `command` the filter options (and, with `views`, --view and --all-disputes); it
    receives them as `wanted` (a selection.Wanted)."""
    if command is None:
        return functools.partial(filtered, views=views)
    parameters = (*FILTER_PARAMETERS, _VIEW, _EVERYTHING) if views else FILTER_PARAMETERS
    signature = inspect.signature(command)
    kept = [p for p in signature.parameters.values() if p.name != "wanted"]

    @functools.wraps(command)
    def run(*args, **options):
        from disputes.ops.selection import Wanted

        wanted = Wanted(
            {name: options.pop(f"filter_{name}") for name in FILTERS},
            view=options.pop("filter_view", None) or "",
            everything=options.pop("filter_all_disputes", False),
        )
        return command(*args, wanted=wanted, **options)

    run.__signature__ = signature.replace(parameters=[*kept, *parameters])  # type: ignore[attr-defined]
    run.__annotations__ = {
        **{k: v for k, v in command.__annotations__.items() if k != "wanted"},
        **{p.name: p.annotation for p in parameters},
    }
    run.__doc__ = _with_rule(command.__doc__ or "")
    return run


def _with_rule(doc: str) -> str:
    """A docstring with RULE before its examples, indented as they are."""
    lines = doc.split("\n")
    at = next((i for i, line in enumerate(lines) if line.strip().startswith("Example:")), len(lines))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())] if at < len(lines) else "    "
    lines[at:at] = [indent + RULE, ""]
    return "\n".join(lines)


# A selection for a change (`edit`, `status`, `close`, `resolve`, `review`): explicit only,
# never the view in use, and confirmed (asked on a terminal, else --yes).
OptionalDisputeArg = Annotated[
    Optional[str],
    typer.Argument(
        help="Dispute id, unique id prefix, or external reference (or a selection: --match, --view).",
        show_default=False,
        autocompletion=complete.disputes,
    ),
]
MatchOption = Annotated[
    list[str],
    typer.Option(
        "--match",
        "-m",
        help="Change the disputes whose FIELD is VALUE (e.g. respondent=Russia; fields as the filter options). " + RULE,
        show_default=False,
        rich_help_panel="Changing many disputes",
    ),
]
SelectViewOption = Annotated[
    Optional[str],
    typer.Option(
        "--view",
        help="Change the disputes of this saved view (besides any --match).",
        show_default=False,
        autocompletion=complete.views,
        rich_help_panel="Changing many disputes",
    ),
]
YesOption = Annotated[
    bool,
    typer.Option(
        "--yes", "-y", help="Do not ask before changing many disputes.", rich_help_panel="Changing many disputes"
    ),
]


def one_or_many(dispute: Optional[str], matches: list[str], view: Optional[str]) -> bool:
    """Whether a command changes a selection (True) or one dispute (False); refuses both and neither."""
    from disputes.core.errors import InvalidValue

    many = bool(matches or view)
    if dispute and many:
        raise InvalidValue("give one dispute, or a selection (--match, --view), not both")
    if not dispute and not many:
        raise InvalidValue(
            "give a dispute (id, prefix or reference), or a selection: --match FIELD=VALUE or --view NAME"
        )
    return many


def confirm_change(yes: bool, chosen, what: str) -> None:
    """Say how many disputes a change chooses (stderr) and ask on a terminal; without one,
    --yes is required."""
    import sys

    from disputes.core.errors import InvalidValue

    count = len(chosen.disputes)
    many = f"{count} dispute" + ("" if count == 1 else "s")
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidValue(f"not changing {many} ({chosen.said}) without --yes (no terminal to ask): {what}")
    shown = [f"  {d.id}  {d.ref}  {d.title}" if d.ref else f"  {d.id}  {d.title}" for d in chosen.disputes[:20]]
    more = [f"  and {count - 20} more"] if count > 20 else []
    typer.echo("\n".join([*shown, *more]), err=True)  # which they are: DS462 and DS463, not two like titles
    if not typer.confirm(f"{many} chosen ({chosen.said}): {what}. Change {many}?", default=False):
        raise typer.Abort()


def changed_many(changed, as_json: bool, verb: str, what: str) -> None:
    """What a change of many disputes did: one line (`Changed 3 disputes (add tag desk):`),
    then each dispute (or the records as JSON)."""
    from disputes.render import output

    if as_json:
        output.as_json([d.to_dict() for d in changed])
        return
    count = len(changed)
    lines = [f"{verb} {count} dispute{'' if count == 1 else 's'} ({what}):"]
    lines += [f"  {d.id}  {d.ref}  {d.title}" if d.ref else f"  {d.id}  {d.title}" for d in changed]
    output.done("\n".join(lines))
