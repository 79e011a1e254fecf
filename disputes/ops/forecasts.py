"""Forecasts on disputes: state one, revise it (a record per revision), resolve it, delete
it, read them back with their revisions, and score the resolved ones."""

from __future__ import annotations

from collections.abc import Iterable

from disputes.core import forecast as rules
from disputes.core import frozen, ids, scoring
from disputes.core.dates import now, parse_full_date, today
from disputes.core.errors import InvalidValue, NotFound
from disputes.core.forecast import REVISIONS, TABLE, Forecast, Revision
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord
from disputes.ops import lookup
from disputes.store.author import author_of
from disputes.store.database import Store

LISTING = "disputes forecast list"
Probability = float | str  # 0.7, "70%" or ICD 203's words (core.forecast reads them)


class Scorecard(Frozen):
    """What `forecast score` shows: each resolved forecast's score, each analyst's mean, calibration."""

    scores: list[scoring.Score]
    analysts: list[JsonRecord]
    calibration: list[scoring.Band]

    def to_dict(self) -> JsonRecord:
        return {
            "forecasts": [s.to_dict() for s in self.scores],
            "analysts": self.analysts,
            "calibration": [b.to_dict() for b in self.calibration],
        }


def all_forecasts(store: Store, dispute: str = "") -> list[Forecast]:
    """Every forecast (or one dispute's): the soonest `by` first."""
    found = [Forecast.from_dict(r) for r in lookup.on_dispute(store, TABLE, dispute)]
    return sorted(found, key=lambda f: (f.deadline, f.date, f.id))


def all_revisions(store: Store, dispute: str = "") -> list[Revision]:
    """Every revision of a forecast (or of one dispute's forecasts), in the order they were made."""
    found = [Revision.from_dict(r) for r in lookup.on_dispute(store, REVISIONS, dispute)]
    return sorted(found, key=lambda r: (r.date, r.created, r.id))


def revisions_of(store: Store, forecast: Forecast) -> list[Revision]:
    return [r for r in all_revisions(store, forecast.dispute) if r.forecast == forecast.id]


def find(store: Store, text: str) -> Forecast:
    """The forecast with this id or unambiguous id prefix."""
    records = store.records(TABLE)
    return Forecast.from_dict(records[ids.resolve(text, records, "forecast", LISTING)])


def add(
    store: Store, dispute_ref: str, question: str, *, by: str | None, probability: Probability, date: str | None = None
) -> Forecast:
    """State a forecast on a dispute: the probability that `question` comes true by `by`."""
    dispute = lookup.dispute(store, dispute_ref)
    if not by:
        raise InvalidValue("a forecast needs --by DATE: the day by which it is to happen")
    fields = rules.clean_fields({"question": question, "probability": probability, "date": date or today()})
    made = _new(store, dispute.id, {**fields, "by": rules.by_date(by, fields["date"])})
    store.describe(
        "forecast", f"forecast {made.question!r} on {dispute.title!r}: {rules.said(made.probability)}", date=made.date
    )
    return made


def second_opinion(
    store: Store, forecast_ref: str, *, probability: Probability, by: str | None = None, date: str | None = None
) -> Forecast:
    """Your own forecast on the question of another's (the same dispute, question and day)."""
    try:
        original = find(store, forecast_ref)
    except NotFound:
        raise NotFound(
            f"no forecast matches {forecast_ref!r}: to state one on a dispute give its question too "
            f'(disputes forecast DISPUTE "QUESTION" --by DATE -p P); forecast ids: `{LISTING}`'
        ) from None
    author = author_of(store.path)
    if original.author == author:
        raise InvalidValue(
            f"forecast {original.id} is already yours: revise it with `disputes forecast update {original.id} "
            "--probability P`"
        )
    fields = rules.clean_fields({"question": original.question, "probability": probability, "date": date or today()})
    made = _new(store, original.dispute, {**fields, "by": rules.by_date(by or original.by, fields["date"])})
    store.describe(
        "forecast",
        f"forecast {made.question!r} (as {original.author} did): {rules.said(made.probability)}",
        date=made.date,
    )
    return made


def _new(store: Store, dispute: str, fields: JsonRecord) -> Forecast:
    stamp = now()
    made = Forecast(
        id=ids.new_id(store.ids(TABLE)),
        dispute=dispute,
        author=author_of(store.path),
        created=stamp,
        updated=stamp,
        **fields,
    )
    rules.check_timeline(made)
    store.put(TABLE, made.id, made.to_dict())
    return made


def update(store: Store, text: str, *, probability: Probability, date: str | None = None, note: str = "") -> Revision:
    """Revise your forecast: a new record, so that two clones' revisions both stay."""
    found = find(store, text)
    author = author_of(store.path)
    if found.author != author:
        raise InvalidValue(
            f"forecast {found.id} is {found.author}'s, not yours ({author}): state your own with "
            f"`disputes forecast {found.id} --probability P`"
        )
    if not found.is_open:
        raise InvalidValue(
            f"forecast {found.id} was resolved {found.outcome} on {found.resolved}: it takes no revision"
        )
    fields = rules.clean_fields({"probability": probability, "date": date or today(), "note": note})
    made = Revision(
        id=ids.new_id(store.ids(REVISIONS)),
        forecast=found.id,
        dispute=found.dispute,
        author=author,
        created=now(),
        updated=now(),
        **fields,
    )
    rules.check_timeline(found, [*revisions_of(store, found), made])
    store.put(REVISIONS, made.id, made.to_dict())
    store.describe(
        "forecast update",
        f"revised {found.question!r} to {rules.said(made.probability)}",
        note=made.note,
        date=made.date,
    )
    return made


def resolve(store: Store, text: str, outcome: str, *, date: str | None, sources: Iterable[str] = ()) -> Forecast:
    """Record how a forecast came out (yes, no or void) and on which day."""
    fields = rules.clean_fields({"outcome": outcome, "sources": list(sources)})  # a bad word first: it is the typo
    found = find(store, text)
    if not found.is_open:
        raise InvalidValue(f"forecast {found.id} was already resolved {found.outcome} on {found.resolved}")
    if not date:
        raise InvalidValue("resolving a forecast needs --date DATE: the day it came out")
    day = parse_full_date(date, what="resolution date")
    if day > today():
        raise InvalidValue(f"a forecast is resolved by what already happened: {day} is after today")
    changed = frozen.replace(found, resolved=day, updated=now(), **fields)
    rules.check_timeline(changed, revisions_of(store, found))
    store.put(TABLE, changed.id, changed.to_dict())
    store.describe("forecast resolve", f"resolved {found.question!r}: {changed.outcome}", date=day)
    return changed


def delete(store: Store, text: str) -> Forecast:
    """Delete a forecast and its revisions (undo brings them back)."""
    found = find(store, text)
    for revision in revisions_of(store, found):
        store.remove(REVISIONS, revision.id)
    store.remove(TABLE, found.id)
    store.describe("forecast delete", f"deleted forecast {found.question!r}")
    return found


def open_on(store: Store, dispute: str) -> list[Forecast]:
    """A dispute's forecasts not yet resolved."""
    return [f for f in all_forecasts(store, dispute) if f.is_open]


def scorecard(store: Store, *, author: str = "", since: str | None = None) -> Scorecard:
    """The scores of the resolved forecasts (of one author; resolved on or after `since`)."""
    day = parse_full_date(since, what="--since date") if since is not None else ""
    found = scoring.scores(all_forecasts(store), all_revisions(store), author=author.strip(), since=day)
    return Scorecard(found, scoring.by_analyst(found), scoring.calibration(found))


def check_imported(
    store: Store, forecasts: dict[str, JsonRecord], revisions: dict[str, JsonRecord], given: dict[str, str]
) -> None:
    """The forecasts and revisions an import brings (by their ids in the store; `given` maps
    the file's forecast ids to them), each forecast with all its revisions by the rule the
    commands follow (rules.check_timeline): InvalidValue, naming the file's id, if one breaks it."""
    file_id = {key: old for old, key in given.items()}
    for key in sorted(set(forecasts) | {r["forecast"] for r in revisions.values()}):
        record = forecasts.get(key) or store.record(TABLE, key)
        if record is None:
            continue  # a revision of no forecast: refused as such already
        found = [Revision.from_dict(r) for r in revisions.values() if r["forecast"] == key]
        if key not in forecasts:
            found += [r for r in revisions_of(store, Forecast.from_dict(record))]
        try:
            rules.check_timeline(Forecast.from_dict(record), sorted(found, key=lambda r: r.date))
        except InvalidValue as problem:
            where = f" (forecast {file_id[key]} of the file)" if file_id.get(key, key) != key else ""
            raise InvalidValue(f"{problem}{where}") from None
