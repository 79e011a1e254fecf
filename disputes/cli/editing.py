"""The `edit` command: change a dispute's fields, or those of every dispute a selection chooses."""

from typing import Annotated, Optional

import typer

from disputes.cli import complete
from disputes.cli.app import (
    ALERT_HELP,
    ComplainantOption,
    JsonOption,
    NoteOption,
    RespondentOption,
    ThirdPartyOption,
    app,
    roles_given,
    store_of,
)
from disputes.cli.disputes import MONITORED_HELP, _show_one
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
def edit(
    ctx: typer.Context,
    dispute: OptionalDisputeArg = None,
    title: Annotated[Optional[str], typer.Option(help="New title.", show_default=False)] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", "-s", help="New summary.", show_default=False)] = None,
    topic: Annotated[Optional[str], typer.Option(help="New topic.", show_default=False)] = None,
    priority: Annotated[
        Optional[str],
        typer.Option(help="low, medium, high or critical.", show_default=False, autocompletion=complete.priorities),
    ] = None,
    opened: Annotated[Optional[str], typer.Option(help="When it began.", show_default=False)] = None,
    ref: Annotated[Optional[str], typer.Option(help="External reference.", show_default=False)] = None,
    status_detail: Annotated[
        Optional[str], typer.Option(help="A source's own phrase for the status.", show_default=False)
    ] = None,
    add_party: Annotated[
        list[str], typer.Option("--add-party", "--party", help="Add a party (no role).", show_default=False)
    ] = [],
    complainant: ComplainantOption = [],
    respondent: RespondentOption = [],
    third_party: ThirdPartyOption = [],
    remove_party: Annotated[list[str], typer.Option(help="Remove a party.", show_default=False)] = [],
    add_tag: Annotated[list[str], typer.Option(help="Add a tag.", show_default=False)] = [],
    remove_tag: Annotated[list[str], typer.Option(help="Remove a tag.", show_default=False)] = [],
    add_source: Annotated[list[str], typer.Option(help="Add a source.", show_default=False)] = [],
    remove_source: Annotated[list[str], typer.Option(help="Remove a source.", show_default=False)] = [],
    add_alert: Annotated[list[str], typer.Option(help=ALERT_HELP, show_default=False)] = [],
    remove_alert: Annotated[list[str], typer.Option(help="Remove an alert.", show_default=False)] = [],
    review_every: Annotated[
        Optional[int], typer.Option(help="Review it every DAYS days (0: no reviews); see `agenda`.", show_default=False)
    ] = None,
    no_review: Annotated[bool, typer.Option("--no-review", help="Stop the review cadence.")] = False,
    monitored: Annotated[
        Optional[bool], typer.Option("--monitored/--not-monitored", help=MONITORED_HELP, show_default=False)
    ] = None,
    owner: Annotated[
        Optional[str], typer.Option("--owner", help='The analyst who owns it ("": nobody).', show_default=False)
    ] = None,
    note: NoteOption = "",
    match: MatchOption = [],
    select_view: SelectViewOption = None,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Change a dispute's fields (use `status` to change its status), or those of every
    dispute a selection chooses (--match, --view: one change, one undo step).

    The role options add a party with that role, or give a party of the dispute that role.

    Example: disputes edit 3zp0 --priority high --add-tag dairy --note "milk ban widened"

    Example: disputes edit DS512 --respondent Russia --third-party Japan

    Example: disputes edit --match respondent=Russia --add-tag desk --yes
    """
    from disputes.ops import disputes as register
    from disputes.ops import lookup

    changes = {
        "title": title,
        "summary": summary,
        "topic": topic,
        "priority": priority,
        "opened": opened,
        "ref": ref,
        "status_detail": status_detail,
        "review_every": 0 if no_review else review_every,
        "monitored": monitored,
        "owner": owner,
    }
    additions = {
        k: v
        for k, v in {"parties": add_party, "tags": add_tag, "sources": add_source, "alerts": add_alert}.items()
        if v
    }
    removals = {
        k: v
        for k, v in {
            "parties": remove_party,
            "tags": remove_tag,
            "sources": remove_source,
            "alerts": remove_alert,
        }.items()
        if v
    }
    if one_or_many(dispute, match, select_view):
        from disputes.ops import bulk

        with store_of(ctx, write=True) as store:
            chosen = bulk.selected(store, match, select_view)
            said = _edit_said(changes, additions, removals, roles_given(complainant, respondent, third_party))
            confirm_change(yes, chosen, said)
            many = bulk.edit(
                store,
                chosen,
                changes,
                add=additions,
                remove=removals,
                roles=roles_given(complainant, respondent, third_party),
                note=note,
            )
        changed_many(many, as_json, "Changed", said)
        return
    assert dispute is not None  # one_or_many: a dispute, when no selection
    with store_of(ctx, write=True) as store:
        before = lookup.dispute(store, dispute)
        changed = register.edit(
            store,
            dispute,
            changes,
            add=additions,
            remove=removals,
            roles=roles_given(complainant, respondent, third_party),
            note=note,
        )
        warnings = lookup.ref_warnings(store, changed.ref, changed.id) if ref else []
    _show_one(changed, as_json, _changed("dispute", before, changed), warnings)


def _edit_said(changes: dict, additions: dict, removals: dict, roles: list[tuple[str, str]]) -> str:
    """An edit in words: `priority high; add tag desk; respondent Russia`."""
    from disputes.core.model import SINGULAR

    said = [f"{name.replace('_', ' ')} {value}" for name, value in changes.items() if value is not None]
    said += [f"add {SINGULAR[name]} {', '.join(items)}" for name, items in additions.items()]
    said += [f"remove {SINGULAR[name]} {', '.join(items)}" for name, items in removals.items()]
    said += [f"{role} {name}" for name, role in roles]
    return "; ".join(said) or "nothing"


def _changed(what: str, before, after) -> str:
    """`Changed dispute fr45z4r7dr (its title): priority: high → low`."""
    from disputes.core.changes import said

    return f"Changed {what} {after.id} ({after.title}): {said(before.to_dict(), after.to_dict())}"
