"""Issue 42, the fourth sweep of inputs: user regexes, one-value filters of views, streams
that cannot hold every character, stage clocks, and the library's frames and filters."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line


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
