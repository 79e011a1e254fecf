"""The `forecast` group: probabilities that can be scored (state, update, resolve, list, delete, score)."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import JsonOption, SourceOption, group, paged, store_of
from disputes.cli.filters import filtered
from disputes.core.forecast import OUTCOMES, WORDS


class _StatingGroup(typer.core.TyperGroup):
    """`forecast DISPUTE QUESTION …` states a forecast (the `add` command) when the first word
    is no command of the group, as `git stash` does with `push`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "add", self.commands["add"], args
        return super().resolve_command(ctx, args)


forecast_app = group(
    "forecast",
    "Forecasts: the probability that something happens on a dispute by a day, revised, resolved and scored.\n\n"
    'Example: disputes forecast DS512 "A panel report is circulated" --by 2018-12-31 --probability likely',
    cls=_StatingGroup,
)

ForecastArg = Annotated[str, typer.Argument(help="Forecast id or unique id prefix.", show_default=False)]
PROBABILITY_HELP = (
    "A number strictly between 0 and 1 (0.7), a percentage (70%) or ICD 203 words: " + ", ".join(WORDS) + "."
)
ProbabilityOption = Annotated[str, typer.Option("--probability", "-p", help=PROBABILITY_HELP, show_default=False)]
StatedOption = Annotated[
    Optional[str],
    typer.Option("--date", "-d", help="When you stated it (default today; YYYY-MM-DD).", show_default=False),
]


def _said(made, as_json: bool, message: str) -> None:
    from disputes.render import output

    output.result(made.to_dict(), as_json, message)


@forecast_app.command("add")
def forecast_add(
    ctx: typer.Context,
    dispute: Annotated[
        str,
        typer.Argument(
            help="The dispute (id, prefix or reference); or, without QUESTION, another analyst's forecast to "
            "state your own on.",
            show_default=False,
        ),
    ],
    question: Annotated[
        Optional[str], typer.Argument(help="What is to happen, as a yes-or-no question.", show_default=False)
    ] = None,
    probability: ProbabilityOption = "",
    by: Annotated[
        Optional[str],
        typer.Option("--by", help="The day it is to happen by (YYYY-MM-DD, YYYY-MM, +3m…).", show_default=False),
    ] = None,
    date: StatedOption = None,
    as_json: JsonOption = False,
) -> None:
    """State a forecast: `disputes forecast DISPUTE QUESTION --by DATE --probability P` (the
    word `add` may be left out). Given a colleague's forecast id instead, states your own
    forecast on their question: a forecast is its author's, so each analyst is scored on their own.

    Example: disputes forecast DS512 "Russia appeals the panel report" --by 2019-06-30 -p "very likely"

    Example: disputes forecast 7k2m --probability 0.4
    """
    from disputes.core.forecast import said
    from disputes.ops import forecasts

    if not probability:
        raise typer.BadParameter("give --probability P (0.7, 70% or words such as likely)", param_hint="--probability")
    with store_of(ctx, write=True) as store:
        if question is None:
            made = forecasts.second_opinion(store, dispute, probability=probability, by=by, date=date)
        else:
            made = forecasts.add(store, dispute, question, by=by, probability=probability, date=date)
    _said(made, as_json, f"Forecast {made.id} by {made.author}: {made.question} by {made.by}: {said(made.probability)}")


@forecast_app.command("update")
def forecast_update(
    ctx: typer.Context,
    forecast: ForecastArg,
    probability: ProbabilityOption = "",
    date: StatedOption = None,
    note: Annotated[str, typer.Option("--note", "-n", help="Why it changed.", show_default=False)] = "",
    as_json: JsonOption = False,
) -> None:
    """Revise your forecast: each revision is a record of its own (two clones' revisions both
    stay after a merge); the score weighs each by the days it stood.

    Example: disputes forecast update 7k2m --probability 85% --note "the panel was composed"
    """
    from disputes.core.forecast import said
    from disputes.ops import forecasts

    if not probability:
        raise typer.BadParameter("give --probability P (0.7, 70% or words such as likely)", param_hint="--probability")
    with store_of(ctx, write=True) as store:
        made = forecasts.update(store, forecast, probability=probability, date=date, note=note)
    _said(made, as_json, f"Forecast {made.forecast} revised on {made.date}: {said(made.probability)}")


@forecast_app.command("resolve")
def forecast_resolve(
    ctx: typer.Context,
    forecast: ForecastArg,
    outcome: Annotated[
        str,
        typer.Argument(
            help="yes (it happened), no (it did not) or void (the question lost its meaning; not scored).",
            show_default=False,
            autocompletion=lambda: list(OUTCOMES),
        ),
    ],
    date: Annotated[
        Optional[str], typer.Option("--date", "-d", help="The day it came out (YYYY-MM-DD).", show_default=False)
    ] = None,
    source: SourceOption = [],
    as_json: JsonOption = False,
) -> None:
    """Record how a forecast came out, and when.

    Example: disputes forecast resolve 7k2m yes --date 2019-01-25 --source https://www.wto.org/
    """
    from disputes.ops import forecasts

    with store_of(ctx, write=True) as store:
        changed = forecasts.resolve(store, forecast, outcome, date=date, sources=source)
    _said(
        changed, as_json, f"Forecast {changed.id} resolved {changed.outcome} on {changed.resolved}: {changed.question}"
    )


@forecast_app.command("list")
@filtered
def forecast_list(
    ctx: typer.Context,
    wanted,
    open_: Annotated[bool, typer.Option("--open", help="Only those not yet resolved.")] = False,
    due: Annotated[bool, typer.Option("--due", help="Only those past their day and not yet resolved.")] = False,
    resolved: Annotated[bool, typer.Option("--resolved", help="Only those resolved.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List forecasts, the soonest --by first, each at its latest probability (in ICD 203 words
    and number) or with how it came out.

    Example: disputes forecast list --open --party Russia
    """
    from disputes.core import scoring
    from disputes.core.dates import today
    from disputes.ops import forecasts, selection
    from disputes.render import forecasts as shown
    from disputes.render import output

    day = today()
    with store_of(ctx) as store:
        disputes = selection.dispute_ids(store, selection.choose(store, wanted))
        revisions = forecasts.all_revisions(store)
        found = [
            f
            for f in forecasts.all_forecasts(store)
            if (disputes is None or f.dispute in disputes)
            and (not open_ or f.is_open)
            and (not due or f.due_on(day))
            and (not resolved or not f.is_open)
        ]
        refs = {key: record.get("ref") or "" for key, record in store.records("disputes").items()}
    stands = [(f, scoring.current(f, revisions)) for f in found]
    if as_json:
        output.as_json(
            [
                {**f.to_dict(), "current": now, "revisions": [r.to_dict() for r in revisions if r.forecast == f.id]}
                for f, now in stands
            ]
        )
    else:
        with paged(ctx):
            shown.listing(stands, refs)


@forecast_app.command("delete")
def forecast_delete(ctx: typer.Context, forecast: ForecastArg, as_json: JsonOption = False) -> None:
    """Delete a forecast with its revisions (undo brings them back).

    Example: disputes forecast delete 7k2m
    """
    from disputes.ops import forecasts

    with store_of(ctx, write=True) as store:
        deleted = forecasts.delete(store, forecast)
    _said(deleted, as_json, f"Deleted forecast {deleted.id}: {deleted.question}")


@forecast_app.command("score")
def forecast_score(
    ctx: typer.Context,
    author: Annotated[str, typer.Option("--author", help="Only this analyst's forecasts.", show_default=False)] = "",
    since: Annotated[
        Optional[str], typer.Option("--since", help="Only those resolved on or after this day.", show_default=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score the resolved forecasts: each one's Brier score (p − o)², weighed by the days each
    probability stood; each analyst's mean; and calibration by ICD 203 band (how often what
    was called "likely" came true). Void forecasts are not scored.

    Example: disputes forecast score --author Ann --since 2018-01-01
    """
    from disputes.ops import forecasts
    from disputes.render import forecasts as shown
    from disputes.render import output

    with store_of(ctx) as store:
        card = forecasts.scorecard(store, author=author, since=since).to_dict()
    if as_json:
        output.as_json(card)
    else:
        with paged(ctx):
            shown.scorecard(card)
