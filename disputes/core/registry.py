"""The record types of a store, each described once: its table, what one record is called,
how a stored record is checked, which of its fields name disputes, what deleting a dispute
does to it, which of its list fields merge as sets, and (for records that hang on one
dispute) how `import` builds it from a file.

The store's validation on read, doctor, history (which changes touched a dispute), import (renaming the disputes a
record names), delete and both merges read this table instead of knowing each record type themselves: a new record
type is described here and in its own modules. The tables and every list of them (REFERRING, ATTACHED, INDEXED, NOUNS)
are declared in core.kinds, which imports nothing, so that any module reads them without a circle;
what a description holds is core.record_type.RecordType.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from disputes.core.kinds import ATTACHED as ATTACHED
from disputes.core.kinds import INDEX_SECTIONS as INDEX_SECTIONS
from disputes.core.kinds import INDEXED as INDEXED
from disputes.core.kinds import REFERRING as REFERRING
from disputes.core.kinds import TABLES
from disputes.core.record_type import RecordType as RecordType

# Each table's description, built when first asked for: a command loads the rules of the
# record types it touches, not of all ten (`add` needs the disputes' and the history's; the
# other modules were 7.6 M instructions of its start-up, callgrind).


def _disputes() -> RecordType:
    from disputes.core import model

    return RecordType(
        model.TABLE,
        model.record_problems,
        refers=("id",),
        set_fields=model.LIST_FIELDS,
        newer_wins=("imported",),
        index=model.SUMMARY,
        problems_in=model.problems_in,
        fields=tuple(model.Dispute.__fields__),
        stored_by=model.clean_fields,
        stored_fields=model.KEPT,
        shape=model.Dispute,
    )


def _events() -> RecordType:
    from disputes.core import event

    return RecordType(
        event.TABLE,
        event.record_problems,
        refers=("disputes",),
        on_delete="unlink",
        set_fields=event.LIST_FIELDS,
        index=event.SUMMARY,
        problems_in=event.problems_in,
        fields=tuple(event.Event.__fields__),
        stored_by=event.clean_fields,
        stored_fields=event.EDITABLE,
        shape=event.Event,
    )


def _relations() -> RecordType:
    from disputes.core import relation

    return RecordType(
        relation.TABLE,
        relation.record_problems,
        refers=("from", "to"),
        on_delete="cascade",
        fields=relation.FIELDS,
        on_invalid="remove",
    )


def _deadlines() -> RecordType:
    from disputes.core import deadline

    return RecordType(
        deadline.TABLE,
        deadline.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        set_fields=("sources",),
        kind=deadline.Deadline,
        fields=tuple(deadline.Deadline.__fields__),
        clean=deadline.clean_fields,
        imported=("date", "title", "sources", "done", "rule"),
        needed=("date", "title"),
        shape=deadline.Deadline,
    )


def _watches() -> RecordType:
    from disputes.core import watch

    return RecordType(
        watch.TABLE,
        watch.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        set_fields=("actors", "codes", "parties"),
        kind=watch.Watch,
        fields=tuple(watch.Watch.__fields__),
        clean=watch.clean_fields,
        imported=("actors", "codes", "min_mentions", "parties"),
        needed=("actors",),
        shape=watch.Watch,
    )


def _assessments() -> RecordType:
    from disputes.core import assessment

    return RecordType(
        assessment.TABLE,
        assessment.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        kind=assessment.Assessment,
        fields=tuple(assessment.Assessment.__fields__),
        clean=assessment.clean_fields,
        imported=("date", "text", "confidence", "author"),
        needed=("date", "text"),
        shape=assessment.Assessment,
    )


def _forecasts() -> RecordType:
    from disputes.core import forecast

    return RecordType(
        forecast.TABLE,
        forecast.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        set_fields=("sources",),
        together=(("outcome", "resolved"),),
        kind=forecast.Forecast,
        fields=tuple(forecast.Forecast.__fields__),
        clean=forecast.clean_fields,
        imported=("question", "by", "probability", "date", "author", "outcome", "resolved", "sources"),
        needed=("question", "by", "probability", "date"),
    )


def _forecast_revisions() -> RecordType:
    # each revision its own record (never an edit of the forecast), so that two clones'
    # revisions merge as two records; it names its forecast's dispute too, so that deleting
    # the dispute takes it with the forecast
    from disputes.core import forecast

    return RecordType(
        forecast.REVISIONS,
        forecast.revision_problems,
        refers=("dispute",),
        on_delete="cascade",
        kind=forecast.Revision,
        fields=tuple(forecast.Revision.__fields__),
        clean=forecast.clean_fields,
        imported=("forecast", "date", "probability", "note", "author"),
        needed=("forecast", "date", "probability"),
        parent=("forecast", forecast.TABLE),
    )


def _comments() -> RecordType:
    from disputes.core import comment

    return RecordType(
        comment.TABLE,
        comment.record_problems,
        refers=("dispute",),
        on_delete="cascade",
        kind=comment.Comment,
        fields=tuple(comment.Comment.__fields__),
        clean=comment.clean_fields,
        imported=("date", "text", "author"),
        needed=("date", "text"),
        shape=comment.Comment,
    )


def _documents() -> RecordType:
    from disputes.core import document  # described in its own module

    return RecordType(**document.described())


def _actors() -> RecordType:
    from disputes.core import actors

    return RecordType(
        actors.TABLE,
        actors.record_problems,
        set_fields=("aliases",),
        fields=tuple(actors.Actor.__fields__),
        shape=actors.Actor,
        on_invalid="remove",
        problems_in=actors.problems_in,  # a name two actors answer to is seen only across records
    )


def _views() -> RecordType:
    from disputes.core import view

    return RecordType(
        view.TABLE,
        view.record_problems,
        refers=("members",),
        on_delete="unlink",
        set_fields=view.COMBINING,
        names_optional=True,
        problems_in=view.problems_in,
        fields=view.FIELDS,
        on_invalid="remove",
    )


def _brief_marks() -> RecordType:
    # an analyst's record that a brief was sent: it names no dispute, so a delete leaves it
    from disputes.core import brief

    return RecordType(
        brief.TABLE, brief.record_problems, fields=brief.FIELDS, shape=brief.BriefMark, on_invalid="remove"
    )


def _profiles() -> RecordType:
    from disputes.core import profile

    return RecordType(profile.TABLE, profile.record_problems, fields=profile.FIELDS, on_invalid="remove")


def _history() -> RecordType:
    from disputes.core import changes

    return RecordType(
        changes.TABLE,
        changes.record_problems,
        columns=("id", "at", "date", "action", "summary", "note", "author", "changes", "added"),
    )


# the rules of each table the registry lists (core.kinds), loaded when first asked for
_DESCRIBED: dict[str, Callable[[], RecordType]] = {
    "disputes": _disputes,
    "events": _events,
    "relations": _relations,
    "deadlines": _deadlines,
    "watches": _watches,
    "assessments": _assessments,
    "forecasts": _forecasts,
    "forecast_revisions": _forecast_revisions,
    "comments": _comments,
    "documents": _documents,
    "actors": _actors,
    "views": _views,
    "brief_marks": _brief_marks,
    "profiles": _profiles,
    "fetched": lambda: RecordType("fetched", columns=("name", "stamp", "size", "md5", "fetched", "rows", "added")),
    "history": _history,
}
assert tuple(_DESCRIBED) == TABLES, "the registry describes every table core.kinds lists, in its order"


def types() -> dict[str, RecordType]:
    """Every table's description, in the order of vocabulary.TABLES."""
    return {name: of(name) for name in TABLES}


@functools.cache
def of(table: str) -> RecordType:
    """A table's description (a table this version does not know is described as plain records)."""
    described = _DESCRIBED.get(table)
    return described() if described is not None else RecordType(table)
