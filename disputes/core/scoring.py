"""How forecasts are scored: the Brier score, day-weighted over a forecast's revisions, each
analyst's mean, and calibration by ICD 203 band.

A forecast's score is the mean of (p − o)² over the days from its first statement to the
day it was resolved (that day itself not counted: by then the answer may be known), each day
taking the last probability stated by then; a later statement the same day replaces an
earlier one. A forecast first stated on the day it was resolved scores its last statement of
that day. o is 1 when it happened, 0 when not; a void forecast is not scored.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from disputes.core.dates import days_between, end_of
from disputes.core.forecast import BANDS, Forecast, Revision, band, said
from disputes.core.frozen import Frozen
from disputes.core.jsontypes import JsonRecord


class Score(Frozen):
    forecast: str
    dispute: str
    question: str
    author: str
    outcome: str
    resolved: str
    final: float  # the probability in force on the last day scored (what calibration groups by)
    days: int
    brier: float

    def to_dict(self) -> JsonRecord:
        return {**self.__dict__, "band": band(self.final), "brier": round(self.brier, 6)}


class Band(Frozen):
    """One row of the calibration table: the forecasts whose final probability fell in a band."""

    band: str
    low: float
    high: float
    forecasts: int
    happened: int
    stated: float  # the mean final probability of those forecasts

    @property
    def share(self) -> float:
        return self.happened / self.forecasts

    def to_dict(self) -> JsonRecord:
        return {**self.__dict__, "stated": round(self.stated, 6), "share": round(self.share, 6)}


def statements(forecast: Forecast, revisions: Iterable[Revision]) -> list[tuple[str, float]]:
    """A forecast's probabilities as stated, (day, probability), in the order they were made;
    of several on one day only the last stays."""
    made = [(forecast.date, "", "", forecast.probability)]
    made += [(r.date, r.created or "~", r.id, r.probability) for r in revisions if r.forecast == forecast.id]
    by_day: dict[str, float] = {}
    for day, _, _, value in sorted(made, key=lambda m: (m[0], m[1], m[2])):
        by_day[day] = value
    return sorted(by_day.items())


def current(forecast: Forecast, revisions: Iterable[Revision]) -> float:
    """The probability a forecast stands at now: its last statement."""
    return statements(forecast, revisions)[-1][1]


def brier(probability: float, happened: bool) -> float:
    """(p − o)²: 0 is a perfect forecast, 1 the worst."""
    return (probability - (1.0 if happened else 0.0)) ** 2


def scored(forecast: Forecast, revisions: Iterable[Revision]) -> Score | None:
    """A resolved forecast's score (None while open, or when void)."""
    if forecast.outcome not in ("yes", "no") or len(forecast.resolved) != 10:
        return None
    said = statements(forecast, revisions)
    happened = forecast.outcome == "yes"
    end = forecast.resolved
    counted = [(day, value) for day, value in said if day < end]
    if not counted:  # first stated on the day it was resolved
        final = [value for day, value in said if day <= end][-1] if said[0][0] <= end else said[0][1]
        return _score(forecast, final, 1, brier(final, happened))
    total, weighed = days_between(counted[0][0], end), 0.0
    for (day, value), following in zip(counted, [*(d for d, _ in counted[1:]), end], strict=True):
        weighed += brier(value, happened) * days_between(day, following)
    return _score(forecast, counted[-1][1], total, weighed / total)


def _score(forecast: Forecast, final: float, days: int, value: float) -> Score:
    return Score(
        forecast.id,
        forecast.dispute,
        forecast.question,
        forecast.author,
        forecast.outcome,
        forecast.resolved,
        final,
        days,
        value,
    )


def scores(
    forecasts: Iterable[Forecast], revisions: Iterable[Revision], *, author: str = "", since: str = ""
) -> list[Score]:
    """The scores of the resolved forecasts (of one author, resolved on or after `since`), by resolution day."""
    by_forecast: dict[str, list[Revision]] = {}
    for revision in revisions:
        by_forecast.setdefault(revision.forecast, []).append(revision)
    found = []
    for forecast in forecasts:
        if author and forecast.author.casefold() != author.casefold():
            continue
        if since and forecast.resolved < since:
            continue
        score = scored(forecast, by_forecast.get(forecast.id, []))
        if score is not None:
            found.append(score)
    return sorted(found, key=lambda s: (s.resolved, s.author, s.forecast))


def by_analyst(found: Iterable[Score]) -> list[JsonRecord]:
    """Each analyst's number of scored forecasts and mean Brier score, best first."""
    grouped: dict[str, list[float]] = {}
    for score in found:
        grouped.setdefault(score.author, []).append(score.brier)
    rows = [
        {"author": name, "forecasts": len(values), "mean": round(sum(values) / len(values), 6)}
        for name, values in grouped.items()
    ]
    return sorted(rows, key=lambda row: (row["mean"], row["author"]))


def calibration(found: Iterable[Score]) -> list[Band]:
    """The resolved forecasts grouped by the ICD 203 band of their final probability: how many,
    how many came true; the bands with none are left out."""
    grouped: dict[str, list[Score]] = {}
    for score in found:
        grouped.setdefault(band(score.final), []).append(score)
    return [
        Band(
            word,
            low,
            high,
            len(grouped[word]),
            sum(s.outcome == "yes" for s in grouped[word]),
            sum(s.final for s in grouped[word]) / len(grouped[word]),
        )
        for word, low, high, _ in BANDS
        if word in grouped
    ]


def open_on(
    forecasts: Iterable[Forecast], revisions: Iterable[Revision], as_of: str, disputes: Collection[str] | None = None
) -> list[JsonRecord]:
    """The forecasts open on `as_of` (stated by then, not resolved by then) of the `disputes`
    (None: all), soonest `by` first, each with the probability in force that day in words."""
    by_forecast: dict[str, list[Revision]] = {}
    for revision in revisions:
        if revision.date <= as_of:
            by_forecast.setdefault(revision.forecast, []).append(revision)
    found = []
    for forecast in forecasts:
        if forecast.date > as_of or (forecast.outcome and forecast.resolved <= as_of):
            continue
        if disputes is not None and forecast.dispute not in disputes:
            continue
        now = current(forecast, by_forecast.get(forecast.id, []))
        found.append(
            {
                "id": forecast.id,
                "dispute": forecast.dispute,
                "question": forecast.question,
                "by": forecast.by,
                "author": forecast.author,
                "probability": now,
                "said": said(now),
            }
        )
    return sorted(found, key=lambda f: (end_of(f["by"]), f["id"]))
