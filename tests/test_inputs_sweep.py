"""Issue 42, the fourth sweep of inputs: user regexes, one-value filters of views, streams
that cannot hold every character, stage clocks, and the library's frames and filters."""

from __future__ import annotations

import json

import pytest
from conftest import assert_one_error_line, run


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
