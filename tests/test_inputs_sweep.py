"""Issue 42, the fourth sweep of inputs: user regexes, one-value filters of views, streams
that cannot hold every character, stage clocks, and the library's frames and filters."""

from __future__ import annotations

import json
import warnings

import pytest
from conftest import assert_one_error_line, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import disputes


def _csv(tmp_path, rows: list[str], header: str = "Title"):
    path = tmp_path / "list.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


# User regexes


def test_a_derive_pattern_that_backtracks_catastrophically_runs_in_linear_time(cli, store_path, tmp_path):
    # ^(a+)+$ against "aaa…ab" takes Python's re exponential time: 5,000 letters would never end
    source = _csv(tmp_path, ["One," + "a" * 5000 + "b", "Two,aaaa"], header="Title,Code")
    cli("import", source, "--map", "Title=title", "--derive", "topic=Code:^(a+)+$")
    assert {d["title"]: d["topic"] for d in cli.json("list")} == {"One": "", "Two": "aaaa"}


@pytest.mark.parametrize("pattern", ["^(?=x)(.+)", r"^(.)\1", "^(?<!y)(.+)"])
def test_a_derive_pattern_re2_does_not_take_is_refused_in_one_line(cli, store_path, tmp_path, pattern):
    cli.add("Kept")
    before = store_path.read_bytes()
    source = _csv(tmp_path, ["Japan — Film"])
    result = cli("import", source, "--map", "Title=title", "--derive", f"topic=Title:{pattern}", expect=2)
    assert_one_error_line(result, "--derive topic", "RE2")
    assert store_path.read_bytes() == before


def test_the_derive_help_says_which_regex_syntax_it_takes(cli):
    assert "RE2" in cli("import", "--help", env={"COLUMNS": "200"}).stdout


# One-value filters of views


@pytest.mark.parametrize("option", ["--opened-since", "--opened-before"])
def test_a_view_saved_with_a_one_value_filter_is_not_split_into_characters(cli, option):
    cli.add("Before", "--opened", "2016-01-10")
    cli.add("After", "--opened", "2016-09-01")
    saved = cli.json("view", "save", "v", option, "2016-06")
    assert saved["filters"] == {option[2:].replace("-", "_"): ["2016-06"]}
    wanted = "After" if option == "--opened-since" else "Before"
    assert [d["title"] for d in cli.json("list", "--view", "v")] == [wanted]


# Streams that cannot hold every character

ASCII_OUT = {"PYTHONIOENCODING": "ascii"}
POSIX = {"LC_ALL": "POSIX", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


def _in(store_path, env: dict) -> dict:
    return {"DISPUTES_DB": str(store_path), **env}


def test_add_under_an_ascii_stdout_saves_once_and_says_so_in_escapes(store_path):
    done = run("add", "Ünïcode", env=_in(store_path, ASCII_OUT))
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert "\\xdcn\\xefcode" in done.stdout and "internal error" not in done.stdout
    listed = json.loads(run("list", "--json", env=_in(store_path, {})).stdout)
    assert [d["title"] for d in listed] == ["Ünïcode"]  # a script that retries on failure adds it once


@pytest.mark.parametrize("env", [ASCII_OUT, POSIX], ids=["ascii", "posix"])
def test_list_and_show_under_a_narrow_locale_print_escapes_not_internal_errors(store_path, env):
    run("add", "Ünïcode 🍎", "-p", "Côte d'Ivoire", env=_in(store_path, {"PYTHONIOENCODING": "utf-8"}))
    for args in (["list"], ["show", "Ünïcode"], ["list", "--party", "Côte d'Ivoire"], ["report"]):
        done = run(*args, env=_in(store_path, env))
        assert (done.returncode, done.stderr) == (0, ""), (args, done.stderr)
        assert "\\xdcn\\xefcode \\U0001f34e" in done.stdout, (args, done.stdout)
    as_json = run("list", "--json", env=_in(store_path, env))
    assert as_json.stdout.isascii()  # what the stream cannot hold, as JSON escapes: the same JSON
    assert [d["title"] for d in json.loads(as_json.stdout)] == ["Ünïcode 🍎"]


@pytest.mark.parametrize("env", [ASCII_OUT, POSIX], ids=["ascii", "posix"])
def test_an_error_about_unicode_under_a_narrow_locale_is_one_line_of_escapes(store_path, env):
    run("add", "Kept", env=_in(store_path, {}))
    before = store_path.read_bytes()
    done = run("show", "Ünïcode", env=_in(store_path, env))
    assert done.returncode == 1 and done.stdout == ""
    assert_one_error_line(done, "no dispute matches", "\\xdcn\\xefcode")
    assert store_path.read_bytes() == before


@pytest.mark.parametrize("args", [["show"], ["list", "--dispute"], ["view", "save", "v", "--party"], ["add"]])
def test_an_argument_whose_bytes_are_not_utf8_is_refused_in_one_line(store_path, args):
    run("add", "Kept", env=_in(store_path, {}))
    before = store_path.read_bytes()
    done = run(*args, b"Bad \xff\xfe", env=_in(store_path, POSIX))
    assert done.returncode == 2
    assert_one_error_line(done, "'Bad \\xff\\xfe' is not UTF-8 text")
    assert store_path.read_bytes() == before


# Stage clocks and assessments, dated against the dispute


@pytest.fixture
def case(cli) -> str:
    return cli.add("Film quotas", "--opened", "2017-03-01")["id"]


def _clock(cli, case, stage: str, start: str, expect: int = 0):
    return cli("deadline", "add", case, "--rules", "wto-dsu", "--stage", stage, "--from", start, expect=expect)


@pytest.mark.parametrize("second_start", ["2017-04-03", "2017-05-10"], ids=["same-day", "another-day"])
def test_the_same_clock_stage_added_twice_is_refused_not_every_deadline_duplicated(cli, store_path, case, second_start):
    _clock(cli, case, "request", "2017-04-03")
    before = store_path.read_bytes()
    refused = _clock(cli, case, "request", second_start, expect=2)
    assert_one_error_line(refused, "already", "request", "2017-04-03", "deadline delete")
    assert store_path.read_bytes() == before
    assert len(cli.json("deadline", "list", "--dispute", case)) == 3


@pytest.mark.parametrize(
    "first, second",
    [(("adopted", "2017-03-10"), ("request", "2017-04-03")), (("request", "2017-04-03"), ("adopted", "2017-03-10"))],
    ids=["adopted-then-later-request", "request-then-earlier-adoption"],
)
def test_a_clock_stage_in_an_impossible_order_is_refused(cli, store_path, case, first, second):
    _clock(cli, case, *first)
    before = store_path.read_bytes()
    refused = _clock(cli, case, *second, expect=2)
    assert_one_error_line(refused, "adopted", "request", "2017-03-10", "2017-04-03")
    assert store_path.read_bytes() == before


def test_stages_in_their_order_and_the_branches_after_adoption_in_either_are_taken(cli, case):
    for stage, start in (
        ("request", "2017-04-03"),
        ("established", "2017-06-01"),
        ("composed", "2017-07-31"),
        ("adopted", "2018-05-01"),
        ("rpt-expired", "2019-02-01"),
        ("compliance", "2018-12-01"),  # referred before the period expired: the procedures branch
    ):
        _clock(cli, case, stage, start)


def test_a_clock_stage_before_the_dispute_opened_is_added_with_one_warning(cli, case):
    done = _clock(cli, case, "request", "2017-01-10")
    warning = done.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("Warning: ")
    assert "2017-01-10" in warning[0] and "2017-03-01" in warning[0] and "added" in warning[0]
    assert len(cli.json("deadline", "list", "--dispute", case)) == 3


def test_an_assessment_dated_before_the_dispute_opened_is_saved_with_one_warning(cli, case):
    done = cli("assess", case, "Likely settled", "--date", "2016-12-01")
    warning = done.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("Warning: ")
    assert "2016-12-01" in warning[0] and "2017-03-01" in warning[0] and "saved" in warning[0]
    assert cli.json("show", case)["assessment"]["date"] == "2016-12-01"
    assert cli("assess", case, "Still likely", "--date", "2017-03-01").stderr == ""


def test_the_library_warns_of_a_stage_before_the_opening_and_refuses_one_twice(cli, store_path, case):
    reg = disputes.open(store_path)
    with pytest.warns(disputes.DisputesWarning, match="before the dispute opened"):
        reg.deadline(case, rule="wto-dsu", stage="request", start="2017-01-10")
    with pytest.raises(disputes.InvalidValue, match="already"):
        reg.deadline(case, rule="wto-dsu", stage="request", start="2017-01-10")


# The library: no current view unless asked, frames that keep their columns, unknown parties


@pytest.fixture
def japan(cli) -> dict[str, str]:
    made = {
        title: cli.add(title, "-p", party, "--tag", tag)["id"]
        for title, party, tag in (
            ("Film quotas", "Japan", "film"),
            ("Steel duties", "Japan", "steel"),
            ("Rice tariffs", "Japan", "rice"),
            ("Wine labels", "France", "film"),
        )
    }
    cli("view", "save", "films", "--tag", "film")
    cli("view", "use", "films")  # the terminal's view: the library must not apply it unasked
    return made


def test_a_library_frame_with_filters_ignores_the_terminals_current_view(store_path, japan):
    reg = disputes.open(store_path)
    assert sorted(reg.frame("disputes", party="Japan")["title"]) == ["Film quotas", "Rice tariffs", "Steel duties"]
    assert len(reg.frame("disputes")) == 4
    assert list(reg.frame("disputes", party="Japan", view="films")["title"]) == ["Film quotas"]
    assert len(reg.frame("events", party="Japan")) == 0


def test_an_empty_frame_keeps_its_tables_columns_and_types(store_path, japan):
    pytest.importorskip("pandas")
    reg = disputes.open(store_path)
    events = reg.frame("events")
    assert len(events) == 0
    assert list(events[["date", "title"]].columns) == ["date", "title"]
    assert str(events["date"].dtype) == "datetime64[ns]" and str(events["score"].dtype) == "float64"
    no_disputes = reg.frame("disputes", tag="nosuch")
    assert "parties" in no_disputes.columns and str(no_disputes["monitored"].dtype) == "bool"
    for table in ("deadlines", "watches", "assessments", "actors", "views", "relations", "fetched"):
        assert len(reg.frame(table).columns) >= 3, table
    full = reg.frame("disputes")
    assert list(full.columns[:3]) == ["id", "title", "status"]  # the same order, records or none


def test_a_party_filter_naming_no_known_party_warns_in_the_library_and_stays_empty(store_path, japan):
    reg = disputes.open(store_path)
    with pytest.warns(disputes.DisputesWarning, match=r"no party 'Japn' is known.*nearest: Japan"):
        assert len(reg.frame("disputes", party="Japn")) == 0
    with pytest.warns(disputes.DisputesWarning, match="Narnia"):
        assert len(reg.frame("disputes", complainant="Narnia")) == 0


def test_a_party_filter_naming_no_known_party_says_so_on_stderr_and_exits_0(cli, japan):
    done = cli("list", "--party", "Japn", "--all-disputes")
    assert "No disputes match" in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: no party 'Japn' is known") and "Japan" in lines[0]
    assert cli.json("list", "--party", "Japn", "--all-disputes") == []
    # a known actor that no dispute names yet is not unknown: it simply matches nothing
    assert cli("list", "--party", "Germany", "--all-disputes").stderr == ""


# The fuzzer, over the commands of parties, views and assessments, and over the library

FUZZ_WORDS = [
    "party",
    "list",
    "show",
    "alias",
    "rename",
    "view",
    "save",
    "delete",
    "use",
    "--none",
    "assess",
    "comment",
    "document",
    "rm",
    "edit",
    "close",
    "--match",
    "tag=film",
    "party=Japan",
    "owner=Anna",
    "dispute=zz",
    "--owner",
    "--mine",
    "--add-tag",
    "--yes",
    "--confidence",
    "high",
    "low",
    "--date",
    "--json",
    "--party",
    "--complainant",
    "--respondent",
    "--tag",
    "--opened-since",
    "--opened-before",
    "--view",
    "--all-disputes",
    "--dispute",
    "--search",
    "Japan",
    "Japn",
    "Narnia",
    "France",
    "JPN",
    "films",
    "film",
    "v",
    "2016-06",
    "2017-03-01",
    "2016",
    "+3d",
    "2016-13",
    "Film",
    "Ünïcode",
    "🍎",
    "\u202e",
    "[bold]x[/]",
    "",
    " ",
    "x\ny",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(st.one_of(st.sampled_from(FUZZ_WORDS), st.text(max_size=8)), min_size=1, max_size=6))
def test_fuzzed_party_view_and_assess_lines_never_crash_or_corrupt(cli, store_path, japan, args):
    before = store_path.read_bytes()
    result = cli(*args, expect=None)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr, (args, result.stderr)
    if result.exit_code != 0:
        assert store_path.read_bytes() == before, args
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
    else:
        assert cli("doctor", expect=None).exit_code == 0, args
    cli("view", "use", "--none")  # the next example starts from the whole register


VALUES = st.one_of(
    st.sampled_from(["Japan", "Narnia", "film", "films", "2016-06", "2017-03-01", "wto-dsu", "request", "high", ""]),
    st.text(max_size=6),
    st.integers(-3, 3),
    st.none(),
    st.lists(st.sampled_from(["Japan", "film", "", "x"]), max_size=3),
)
CALLS = {
    "frame": (("table",), ("party", "tag", "view", "opened_since", "status", "dispute", "colour")),
    "table": (("table",), ()),
    "add": (("title",), ("parties", "topic", "opened", "priority")),
    "edit": (("dispute",), ("title", "topic", "note", "priority", "owner")),
    "comment": (("dispute", "text"), ("date",)),
    "document": (("dispute", "location"), ("date", "title")),
    "status": (("dispute", "new"), ("note", "date")),
    "event": (("dispute", "date", "title"), ("kind", "score")),
    "link": (("dispute", "other"), ()),
    "deadline": (("dispute",), ("date", "title", "rule", "stage", "start")),
    "assess": (("dispute", "text"), ("date", "confidence")),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_library_calls_raise_only_the_clis_errors_and_change_nothing_when_refused(store_path, japan, data):
    pytest.importorskip("pandas")
    name = data.draw(st.sampled_from(sorted(CALLS)))
    positional, optional = CALLS[name]
    ids = list(japan.values())
    args = []
    for role in positional:
        if role == "table":
            tables = ["disputes", "events", "views", "deadlines", "comments", "documents", "nosuch"]
            args.append(data.draw(st.sampled_from(tables)))
        elif role in ("dispute", "other"):
            args.append(data.draw(st.one_of(st.sampled_from(ids), VALUES)))
        else:
            args.append(data.draw(VALUES))
    chosen = data.draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    kwargs = {key: data.draw(VALUES) for key in chosen}
    before = store_path.read_bytes()
    reg = disputes.open(store_path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", disputes.DisputesWarning)
            getattr(reg, name)(*args, **kwargs)
    except disputes.DisputesError:
        assert store_path.read_bytes() == before, (name, args, kwargs)
