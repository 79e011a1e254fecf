"""Attacker findings (fixer D): each test is named after the bug it pins, runs the real
command on a real temporary store, and checks the store is unchanged where it refuses."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line


@pytest.fixture
def seeded(cli):
    cli("seed")


# 1. An author name from the environment is checked before anything is written


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("document", "add", "fr45", "https://x.org/a", "--title", "A"), {"DISPUTES_AUTHOR": "eve\tsmith"}),
        (("comment", "add", "fr45", "a note"), {"DISPUTES_AUTHOR": "eve\nsmith"}),
        (("assess", "fr45", "likely to settle"), {"DISPUTES_AUTHOR": "x" * 301}),
        (("brief", "--mark", "--author", "a\nb"), {}),
    ],
)
def test_an_author_name_that_a_record_would_refuse_is_not_written(seeded, cli, store_path, args, env):
    before = store_path.read_bytes()
    done = cli(*args, env=env, expect=2)
    assert_one_error_line(done, "the author name from")
    assert ("$DISPUTES_AUTHOR" if env else "--author") in done.stderr
    assert store_path.read_bytes() == before
    assert cli("doctor", expect=None).exit_code == 0
