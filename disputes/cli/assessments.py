"""The `assess` command: an analyst's dated bottom line on a dispute."""

from typing import Annotated, Optional

import typer

from disputes.cli.app import DisputeArg, JsonOption, app, store_of
from disputes.core.assessment import CONFIDENCES


@app.command()
def assess(
    ctx: typer.Context,
    dispute: DisputeArg,
    text: Annotated[str, typer.Argument(help="The bottom line, in a sentence or two.", show_default=False)],
    date: Annotated[
        Optional[str],
        typer.Option("--date", "-d", help="When the judgement was made (default today).", show_default=False),
    ] = None,
    confidence: Annotated[str, typer.Option(help="How sure: " + ", ".join(CONFIDENCES) + ".", show_default=False)] = "",
    as_json: JsonOption = False,
) -> None:
    """Record your bottom line on a dispute, dated. Assessments are kept as a list: `show`
    gives the latest (`--history` every one, `--as-of DAY` the one in force that day), and
    the briefing leads with them.

    Example: disputes assess vfb3 "A deal on the 2017 price is likely by April" --confidence medium
    """
    from disputes.ops import assessments
    from disputes.render import output

    with store_of(ctx, write=True) as store:
        made = assessments.add(store, dispute, text, date=date, confidence=confidence)
    said = f" ({made.confidence} confidence)" if made.confidence else ""
    output.result(made.to_dict(), as_json, f"Assessed dispute {made.dispute} on {made.date}{said}: {made.text}")
