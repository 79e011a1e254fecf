"""Forecasts (issue 47): probabilities in ICD 203's words, revised, resolved, Brier-scored
day by day, calibrated by band; each analyst's forecasts their own."""

from __future__ import annotations

import json

import pytest
from conftest import assert_one_error_line
from hypothesis import given, settings
from hypothesis import strategies as st

from disputes.core import forecast as rules
from disputes.core import scoring
from disputes.core.errors import InvalidValue
from disputes.core.forecast import Forecast, Revision


@pytest.fixture
def seeded(cli):
    cli("seed")


def _as(monkeypatch, name: str) -> None:
    monkeypatch.setenv("DISPUTES_AUTHOR", name)


def _state(cli, *args: str) -> dict:
    return cli.json("forecast", *args)


# The hand-checked example: three forecasts, two revisions.
# F1 (Ann): 0.6 from 1 Jan, 0.8 from 11 Jan, resolved yes on 21 Jan: 10 days at (0.4)² and
#     10 at (0.2)²: (1.6 + 0.4) / 20 = 0.1000.
# F2 (Ann): 0.3 from 1 Jan, 0.1 from 31 Jan, resolved no on 2 March: 30 days at 0.09 and 30
#     (1 Feb..1 Mar) at 0.01: (2.7 + 0.3) / 60 = 0.0500.
# F3 (Bob, F1's question): 0.25 from 6 Jan, resolved yes on 21 Jan: (0.75)² = 0.5625.
# Ann's mean 0.0750, Bob's 0.5625. Calibration by the last probability: 0.8 is "likely" (a
# boundary goes to the band nearer 0.5), 0.1 "very unlikely", 0.25 "unlikely".


@pytest.fixture
def example(cli, seeded, monkeypatch) -> dict[str, str]:
    _as(monkeypatch, "Ann")
    one = _state(cli, "vfb3", "A deal on the 2017 gas price", "--by", "2017-01-31", "-p", "60%", "--date", "2017-01-01")
    two = _state(cli, "fr45", "Russia lifts the apple ban", "--by", "2017-03-31", "-p", "0.3", "--date", "2017-01-01")
    cli("forecast", "update", one["id"], "-p", "0.8", "--date", "2017-01-11", "--note", "talks resumed")
    cli("forecast", "update", two["id"], "-p", "0.1", "--date", "2017-01-31")
    _as(monkeypatch, "Bob")
    three = _state(cli, one["id"], "-p", "0.25", "--date", "2017-01-06")
    cli("forecast", "resolve", one["id"], "yes", "--date", "2017-01-21")
    cli("forecast", "resolve", three["id"], "yes", "--date", "2017-01-21", "--source", "https://example.org/deal")
    cli("forecast", "resolve", two["id"], "no", "--date", "2017-03-02")
    return {"one": one["id"], "two": two["id"], "three": three["id"]}


def test_the_hand_checked_example_scores_to_four_decimals(cli, example):
    card = cli.json("forecast", "score")
    brier = {s["forecast"]: round(s["brier"], 4) for s in card["forecasts"]}
    assert brier == {example["one"]: 0.1, example["two"]: 0.05, example["three"]: 0.5625}
    assert [(a["author"], round(a["mean"], 4), a["forecasts"]) for a in card["analysts"]] == [
        ("Ann", 0.075, 2),
        ("Bob", 0.5625, 1),
    ]
    assert [(b["band"], b["forecasts"], b["happened"]) for b in card["calibration"]] == [
        ("very unlikely", 1, 0),
        ("unlikely", 1, 1),
        ("likely", 1, 1),
    ]
    assert cli.json("forecast", "score", "--author", "bob")["analysts"] == [
        {"author": "Bob", "forecasts": 1, "mean": 0.5625}
    ]
    assert [s["forecast"] for s in cli.json("forecast", "score", "--since", "2017-02-01")["forecasts"]] == [
        example["two"]
    ]
    shown = cli("forecast", "score").stdout
    assert "0.1000" in shown and "0.5625" in shown and "1 of 1 (100 %)" in shown


def test_the_copied_question_is_the_colleagues_own_forecast(cli, example):
    listed = {f["id"]: f for f in cli.json("forecast", "list", "--resolved")}
    assert listed[example["three"]]["question"] == listed[example["one"]]["question"]
    assert listed[example["three"]]["dispute"] == listed[example["one"]]["dispute"]
    assert (listed[example["one"]]["author"], listed[example["three"]]["author"]) == ("Ann", "Bob")
    assert listed[example["three"]]["sources"] == ["https://example.org/deal"]
    assert [r["probability"] for r in listed[example["one"]]["revisions"]] == [0.8]


def test_only_the_author_revises_a_forecast(cli, seeded, store_path, monkeypatch):
    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A deal", "--by", "2030-01-01", "-p", "likely")
    _as(monkeypatch, "Bob")
    before = store_path.read_bytes()
    assert_one_error_line(cli("forecast", "update", made["id"], "-p", "0.1", expect=2), "Ann's", "--probability")
    assert store_path.read_bytes() == before
    own = _state(cli, made["id"], "-p", "0.1")  # what the error said to do
    assert (own["author"], own["question"], own["probability"]) == ("Bob", "A deal", 0.1)
    _as(monkeypatch, "Ann")
    assert _state(cli, "update", made["id"], "-p", "0.9")["probability"] == 0.9


@pytest.mark.parametrize(
    ("given", "stored", "words"),
    [
        ("likely", 0.675, "likely (67.5 %)"),
        ("Very Unlikely", 0.125, "very unlikely (12.5 %)"),
        ("roughly-even chance", 0.5, "roughly even chance (50 %)"),
        ("almost no chance", 0.03, "almost no chance (3 %)"),
        ("almost certain", 0.97, "almost certain (97 %)"),
        ("70%", 0.7, "likely (70 %)"),
        ("0.05", 0.05, "very unlikely (5 %)"),
        ("0.2", 0.2, "unlikely (20 %)"),
        ("45 %", 0.45, "roughly even chance (45 %)"),
        ("0.55", 0.55, "roughly even chance (55 %)"),
        ("0.8", 0.8, "likely (80 %)"),
        ("0.95", 0.95, "very likely (95 %)"),
        ("0.995", 0.995, "almost certain (99.5 %)"),
        ("0.004", 0.004, "almost no chance (0.4 %)"),
    ],
)
def test_probabilities_in_words_and_numbers_follow_icd_203(given, stored, words):
    assert rules.probability(given) == stored
    assert rules.said(stored) == words


@pytest.mark.parametrize("given", ["0", "1", "100%", "0%", "-0.1", "1.5", "nan", "inf", "maybe", ""])
def test_a_probability_of_zero_one_or_nonsense_is_refused(cli, seeded, store_path, given):
    with pytest.raises(InvalidValue):
        rules.probability(given)
    before = store_path.read_bytes()
    result = cli("forecast", "vfb3", "A deal", "--by", "2030-01-01", "--probability", given, expect=2)
    assert_one_error_line(result)
    assert store_path.read_bytes() == before


# Scores: the property the issue asks for, on the library's rules.

probabilities = st.floats(min_value=0.001, max_value=0.999, allow_nan=False)
days = st.integers(min_value=0, max_value=400)


def _forecast(p: float, outcome: str, resolved: str = "2018-01-01", stated: str = "2017-01-01") -> Forecast:
    return Forecast(
        id="f", dispute="d", question="q", by="2018", probability=p, date=stated, outcome=outcome, resolved=resolved
    )


@settings(max_examples=60, deadline=None)
@given(p=probabilities, happened=st.booleans(), span=days)
def test_a_forecast_held_constant_scores_p_squared_when_wrong(p, happened, span):
    from disputes.core.dates import plus_days

    resolved = plus_days("2017-01-01", span) or "2017-01-01"
    score = scoring.scored(_forecast(p, "yes" if happened else "no", resolved), [])
    assert score is not None
    assert score.brier == pytest.approx((1 - p) ** 2 if happened else p**2)


@settings(max_examples=60, deadline=None)
@given(
    first=probabilities,
    revised=st.lists(st.tuples(days, probabilities), max_size=6),
    happened=st.booleans(),
    span=days,
)
def test_every_score_lies_between_0_and_1(first, revised, happened, span):
    from disputes.core.dates import plus_days

    revisions = [
        Revision(id=f"r{n}", forecast="f", dispute="d", date=plus_days("2017-01-01", day) or "", probability=p)
        for n, (day, p) in enumerate(revised)
    ]
    resolved = plus_days("2017-01-01", span) or "2017-01-01"
    score = scoring.scored(_forecast(first, "yes" if happened else "no", resolved), revisions)
    assert score is not None and 0 <= score.brier <= 1
    stated = [first, *(p for _, p in revised)]
    assert min(scoring.brier(p, happened) for p in stated) - 1e-12 <= score.brier
    assert score.brier <= max(scoring.brier(p, happened) for p in stated) + 1e-12


def test_a_later_revision_the_same_day_replaces_the_earlier():
    early = Revision(
        id="a", forecast="f", dispute="d", date="2017-01-11", probability=0.1, created="2017-01-11T08:00:00Z"
    )
    late = Revision(
        id="b", forecast="f", dispute="d", date="2017-01-11", probability=0.8, created="2017-01-11T09:00:00Z"
    )
    score = scoring.scored(_forecast(0.6, "yes", "2017-01-21"), [late, early])
    assert score is not None and round(score.brier, 4) == 0.1  # as the example's F1: 0.1 never stood a day


def test_void_and_open_forecasts_are_not_scored():
    assert scoring.scored(_forecast(0.6, "void"), []) is None
    assert scoring.scored(_forecast(0.6, "", ""), []) is None


# Ties to the rest of the register: show, agenda, the lifecycle, history, export, delete, merges.


def test_show_gives_a_disputes_forecasts_in_every_format(cli, example):
    shown = cli("show", "vfb3").stdout
    assert "Forecasts" in shown and "yes on 2017-01-21" in shown and "(Bob)" in shown
    assert "## Forecasts" in cli("show", "vfb3", "--format", "md").stdout
    record = cli.json("show", "vfb3")
    assert {f["id"] for f in record["forecasts"]} == {example["one"], example["three"]}
    assert [r["forecast"] for r in record["forecast_revisions"]] == [example["one"]]


def test_a_forecast_past_its_day_is_due_in_the_agenda(cli, seeded, monkeypatch):
    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A deal", "--by", "2017-04-30", "-p", "likely", "--date", "2017-01-01")
    items = cli.json("agenda", "--as-of", "2017-05-02")
    assert [(i["kind"], i["date"], i["overdue"]) for i in items if i["kind"] == "forecast"] == [
        ("forecast", "2017-04-30", True)
    ]
    assert not [i for i in cli.json("agenda", "--as-of", "2017-04-30") if i["kind"] == "forecast"]
    assert [f["id"] for f in cli.json("forecast", "list", "--due")] == [made["id"]]
    cli("forecast", "resolve", made["id"], "no", "--date", "2017-05-01")
    assert not [i for i in cli.json("agenda", "--as-of", "2017-05-02") if i["kind"] == "forecast"]
    assert cli.json("forecast", "list", "--due") == [] and cli.json("forecast", "list", "--open") == []


def test_closing_a_dispute_with_open_forecasts_hints_without_asking(cli, seeded, monkeypatch):
    _as(monkeypatch, "Ann")
    _state(cli, "vfb3", "A deal", "--by", "2030-01-01", "-p", "likely")
    closed = cli("close", "vfb3", "--json", input="")
    assert json.loads(closed.stdout)["status"] == "closed"  # the JSON stays one document
    assert "1 forecast on dispute" in closed.stderr and "forecast resolve" in closed.stderr
    assert len(closed.stderr.strip().splitlines()) == 1
    assert "forecast" not in cli("close", "fr45").stderr  # none there: no word


def test_forecasts_are_in_history_and_undone(cli, example):
    listed = lambda: sorted(f["id"] for f in cli.json("forecast", "list"))  # noqa: E731
    before = listed()
    cli("forecast", "delete", example["one"])
    assert example["one"] not in listed()
    assert cli.json("show", "vfb3")["forecast_revisions"] == []  # its revision went with it
    cli("undo")
    assert listed() == before and len(cli.json("show", "vfb3")["forecast_revisions"]) == 1
    actions = [e["action"] for e in cli.json("history")]
    assert {"forecast", "forecast update", "forecast resolve", "forecast delete"} <= set(actions)


def test_an_export_round_trips_forecasts_and_their_revisions(cli, example, tmp_path, store_path, monkeypatch):
    exported = tmp_path / "all.json"
    cli("export", "--format", "json", "--output", str(exported))
    card = cli.json("forecast", "score")
    monkeypatch.setenv("DISPUTES_DB", str(tmp_path / "other" / "store.json"))
    cli("import", str(exported))
    assert cli.json("forecast", "score") == card
    assert cli("doctor").exit_code == 0


def test_deleting_a_dispute_takes_its_forecasts_and_revisions(cli, example):
    assert "2 forecasts and 1 forecast revision" in cli("delete", "vfb3", "--yes", expect=2).stderr  # --cascade
    cli("delete", "vfb3", "--yes", "--cascade")
    assert {f["id"] for f in cli.json("forecast", "list")} == {example["two"]}
    assert [s["forecast"] for s in cli.json("forecast", "score")["forecasts"]] == [example["two"]]
    assert cli("doctor").exit_code == 0


def test_two_clones_revisions_of_one_forecast_both_survive_the_merge(cli, seeded, store_path, tmp_path, monkeypatch):
    import shutil

    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A deal", "--by", "2017-04-30", "-p", "0.5", "--date", "2017-01-01")
    base, theirs = tmp_path / "base.json", tmp_path / "theirs.json"
    shutil.copy(store_path, base)
    shutil.copy(store_path, theirs)
    cli("forecast", "update", made["id"], "-p", "0.7", "--date", "2017-02-01", "--note", "ours")
    cli("--db", str(theirs), "forecast", "update", made["id"], "-p", "0.2", "--date", "2017-03-01", "--note", "theirs")
    cli("merge-file", str(base), str(store_path), str(theirs))
    listed = cli.json("forecast", "list")
    assert [(r["probability"], r["note"]) for r in listed[0]["revisions"]] == [(0.7, "ours"), (0.2, "theirs")]
    assert listed[0]["current"] == 0.2
    cli("forecast", "resolve", made["id"], "no", "--date", "2017-04-01")
    # 31 days at 0.5, 28 at 0.7, 31 at 0.2: (7.75 + 13.72 + 1.24) / 90
    assert round(cli.json("forecast", "score")["forecasts"][0]["brier"], 4) == round(22.71 / 90, 4)
    assert cli("doctor").exit_code == 0


# The briefing: each brief's open forecasts, the forecast record and its calibration chart.


def _briefing_with_forecasts(cli, example, monkeypatch) -> str:
    _as(monkeypatch, "Ann")
    _state(cli, "vfb3", "Gazprom cuts supplies", "--by", "2017-12-31", "-p", "0.7", "--date", "2017-06-01")
    _state(cli, "vfb3", "A new price formula", "--by", "2017-09-30", "-p", "unlikely", "--date", "2017-06-01")
    return cli("report", "--as-of", "2017-07-01", "--format", "html").stdout


def test_the_briefing_shows_open_forecasts_soonest_first_and_the_forecast_record(cli, example, monkeypatch):
    from test_briefing import XHTML, parsed, text_of

    document = parsed(_briefing_with_forecasts(cli, example, monkeypatch))  # strict HTML5
    brief = next(a for a in document.iter(f"{XHTML}article") if "Russian gas" in text_of(a.find(f"{XHTML}h3")))
    listed = [
        text_of(li) for li in brief.iter(f"{XHTML}li") if li.find(f"{XHTML}strong[@class='forecast']") is not None
    ]
    assert listed == [
        "A new price formula: unlikely (32.5 %) (by 2017-09-30, Ann)",
        "Gazprom cuts supplies: likely (70 %) (by 2017-12-31, Ann)",
    ]
    record = document.find(f".//{XHTML}section[@id='forecasts']")
    assert "Forecast record (3 resolved)" in text_of(record)
    assert "0.0750" in text_of(record) and "0.5625" in text_of(record)
    chart = record.find(".//{http://www.w3.org/2000/svg}svg")
    assert chart is not None and len(chart.findall("{http://www.w3.org/2000/svg}circle")) == 3
    data = cli.json("report", "--as-of", "2017-07-01")
    assert [f["said"] for f in data["forecasts"]] == ["unlikely (32.5 %)", "likely (70 %)"]
    assert "Open forecasts (2)" in cli("report", "--as-of", "2017-07-01").stdout


@pytest.mark.slow
def test_the_calibration_chart_in_a_real_browser(cli, example, monkeypatch, tmp_path):
    from test_briefing import _chromium

    if _chromium() is None:
        pytest.skip("no Chromium on this machine (Debian: apt install chromium)")
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "brief.html"
    page_file.write_text(_briefing_with_forecasts(cli, example, monkeypatch), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=flags)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems: list[str] = []
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(page_file.as_uri())
            assert problems == []
            chart = page.locator("#forecasts svg.calibration")
            box = chart.bounding_box()
            assert box and box["width"] >= 200 and box["height"] >= 200
            diagonal = page.locator("#forecasts svg.calibration line.diagonal").bounding_box()
            assert diagonal and diagonal["width"] > 150 and diagonal["height"] > 150  # corner to corner
            dots = page.locator("#forecasts svg.calibration circle.band")
            assert dots.count() == 3
            # each dot sits where its band's stated probability (across) and share (up) put it
            for index, (stated, share) in enumerate([(0.1, 0.0), (0.25, 1.0), (0.8, 1.0)]):
                dot = dots.nth(index).bounding_box()
                assert dot
                across = (dot["x"] + dot["width"] / 2 - diagonal["x"]) / diagonal["width"]
                up = 1 - (dot["y"] + dot["height"] / 2 - diagonal["y"]) / diagonal["height"]
                assert abs(across - stated) < 0.02 and abs(up - share) < 0.02
            chart.screenshot(path=str(tmp_path / "calibration.png"))
            assert (tmp_path / "calibration.png").stat().st_size > 1_000
        finally:
            browser.close()


def test_the_library_states_revises_resolves_and_scores_as_the_cli_does(cli, seeded, store_path, monkeypatch):
    import disputes

    _as(monkeypatch, "Ann")
    with disputes.open(store_path) as register:
        made = register.forecast("vfb3", "A deal", by="2017-01-31", probability="60%", date="2017-01-01")
        register.revise(made["id"], 0.8, date="2017-01-11")
        register.resolve_forecast(made["id"], "yes", date="2017-01-21")
        assert round(register.scores()["forecasts"][0]["brier"], 4) == 0.1
        assert len(register.table("forecast_revisions")) == 1
    assert cli.json("forecast", "score") == register.scores()
    assert "forecast resolve" in [e["action"] for e in cli.json("history")]


def test_resolving_a_resolved_forecast_with_a_mistyped_outcome_blamed_the_earlier_resolution(cli, example, store_path):
    before = store_path.read_bytes()
    result = cli("forecast", "resolve", example["one"], "maybe", "--date", "2017-01-21", expect=2)
    assert_one_error_line(result, "'maybe'", "yes, no, void")
    assert store_path.read_bytes() == before


# Bugs an attacker found (fix A): a merge that lost a revised forecast, and date rules with holes.


def _deleted_here_revised_there(cli, store_path, tmp_path, monkeypatch, *delete: str) -> dict:
    """Clone A (the store) deletes (`delete`), clone B revises forecast F; then the merge."""
    import shutil

    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A panel is composed", "--by", "2016-12-31", "-p", "0.5", "--date", "2016-06-01")
    base, theirs = tmp_path / "base.json", tmp_path / "theirs.json"
    shutil.copy(store_path, base)
    shutil.copy(store_path, theirs)
    cli(*[made["id"] if part == "F" else part for part in delete])
    cli("--db", str(theirs), "forecast", "update", made["id"], "-p", "0.8", "-d", "2016-07-01")
    cli("merge-file", str(base), str(store_path), str(theirs))
    return made


@pytest.mark.parametrize(
    "delete", [("forecast", "delete", "F"), ("delete", "vfb3", "--cascade", "--yes")], ids=["forecast", "dispute"]
)
def test_a_forecast_deleted_on_one_side_and_revised_on_the_other_is_kept_by_the_merge(
    cli, seeded, store_path, tmp_path, monkeypatch, delete
):
    made = _deleted_here_revised_there(cli, store_path, tmp_path, monkeypatch, *delete)
    listed = cli.json("forecast", "list")
    assert [f["id"] for f in listed] == [made["id"]]
    assert [r["probability"] for r in listed[0]["revisions"]] == [0.8]
    decided = json.dumps(cli.json("conflicts"))
    assert made["id"] in decided
    assert cli("doctor").exit_code == 0
    exported = tmp_path / "out.json"
    cli("export", "-o", str(exported))
    fresh = tmp_path / "fresh.json"
    cli("--db", str(fresh), "import", str(exported))
    assert [f["id"] for f in cli.json("--db", str(fresh), "forecast", "list")]


def test_doctor_flags_a_revision_whose_forecast_is_missing_and_fix_makes_the_export_importable(
    cli, seeded, store_path, tmp_path, monkeypatch
):
    from disputes.store.database import Store

    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A panel is composed", "--by", "2016-12-31", "-p", "0.5", "--date", "2016-06-01")
    revised = cli.json("forecast", "update", made["id"], "-p", "0.8", "-d", "2016-07-01")
    store = Store.load(store_path)  # as the old merge left it: the revision, not its forecast
    store.remove("forecasts", made["id"])
    store.describe("merge", "as an old merge left it")
    store.commit()
    checked = cli("doctor", expect=1).stdout
    assert revised["id"] in checked and made["id"] in checked
    fixed = cli("doctor", "--fix").stdout
    assert revised["id"] in fixed
    assert cli("doctor").exit_code == 0
    exported = tmp_path / "out.json"
    cli("export", "-o", str(exported))
    cli("--db", str(tmp_path / "fresh.json"), "import", str(exported))


def test_a_resolution_dated_before_a_revision_is_refused(cli, seeded, monkeypatch):
    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A panel is composed", "--by", "2016-12-31", "-p", "0.5", "--date", "2016-06-01")
    revised = cli.json("forecast", "update", made["id"], "-p", "0.8", "-d", "2016-09-01")
    refused = cli("forecast", "resolve", made["id"], "no", "-d", "2016-08-01", expect=2)
    assert_one_error_line(refused, made["id"], revised["id"], "2016-09-01")
    assert cli.json("forecast", "list")[0]["outcome"] == ""


def test_a_by_before_the_stated_date_is_refused(cli, seeded, monkeypatch):
    _as(monkeypatch, "Ann")
    refused = cli("forecast", "vfb3", "A panel", "--by", "2015-06-01", "-p", ".5", "-d", "2016-06-01", expect=2)
    assert_one_error_line(refused, "2015-06-01", "2016-06-01")
    assert cli.json("forecast", "list") == []


def test_a_relative_by_counts_from_the_stated_date_not_from_today(cli, seeded, monkeypatch):
    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A panel is composed", "--by", "+3m", "-p", "0.5", "-d", "2016-01-01")
    assert made["by"] == "2016-04-01"


def _breaks_resolved_before_stated(data: dict) -> None:
    data["forecasts"][0].update(outcome="no", resolved="2016-05-01")


def _breaks_revision_after_resolved(data: dict) -> None:
    data["forecasts"][0].update(outcome="no", resolved="2016-06-15")


def _breaks_revision_by_another_author(data: dict) -> None:
    data["forecast_revisions"][0]["author"] = "Bob"


def _breaks_no_author(data: dict) -> None:
    data["forecasts"][0]["author"] = ""


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (_breaks_resolved_before_stated, "resolved before"),
        (_breaks_revision_after_resolved, "comes after"),
        (_breaks_revision_by_another_author, "'Bob'"),
        (_breaks_no_author, "no author"),
    ],
    ids=["resolved-before-stated", "revision-after-resolved", "revision-by-another", "no-author"],
)
def test_import_refuses_forecasts_the_cli_refuses_and_changes_nothing(
    cli, seeded, store_path, tmp_path, monkeypatch, broken, said
):
    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A panel is composed", "--by", "2016-12-31", "-p", "0.5", "--date", "2016-06-01")
    cli("forecast", "update", made["id"], "-p", "0.8", "-d", "2016-07-01")
    exported = tmp_path / "out.json"
    cli("export", "-o", str(exported))
    data = json.loads(exported.read_text())
    broken(data)
    exported.write_text(json.dumps(data))
    fresh = tmp_path / "fresh.json"
    cli("--db", str(fresh), "add", "Placeholder")
    before = fresh.read_bytes()
    refused = cli("--db", str(fresh), "import", str(exported), expect=2)
    assert_one_error_line(refused, said)
    assert fresh.read_bytes() == before


def test_doctor_flags_a_stored_forecast_that_import_would_refuse(cli, seeded, store_path, tmp_path, monkeypatch):
    from disputes.store.database import Store

    _as(monkeypatch, "Ann")
    made = _state(cli, "vfb3", "A panel is composed", "--by", "2016-12-31", "-p", "0.5", "--date", "2016-06-01")
    store = Store.load(store_path)  # as an older version let it be: a forecast of no author
    store.put("forecasts", made["id"], {**store.record("forecasts", made["id"]), "author": ""})
    store.describe("forecast", "as an older version let it be")
    store.commit()
    checked = cli("doctor", expect=1).stdout
    assert made["id"] in checked and "no author" in checked
