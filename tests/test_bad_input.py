"""Bad input never changes the store, never shows a traceback, and exits 1 or 2 as documented."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core.model import Dispute
from disputes.render.output import printable
from disputes.store.database import open_store

# Two disputes whose ids share the prefix "aaaa", so that prefix is ambiguous.
GAS, APPLES, ENDED = "aaaa000001", "aaaa000002", "bbbb000003"


@pytest.fixture
def populated(store_path):
    with open_store(store_path, write=True) as store:
        for key, title, status, ref in (
            (GAS, "Gas price", "negotiating", "DS1"),
            (APPLES, "Apples", "escalated", ""),
            (ENDED, "Old quarrel", "resolved", ""),
        ):
            dispute = Dispute(
                id=key,
                title=title,
                status=status,
                ref=ref,
                opened="2016",
                tags=("gas",),
                status_history=({"date": "2016", "status": status, "note": ""},),
            )
            store.put("disputes", key, dispute.to_dict())
        store.describe("add", "the disputes these tests start from")
    return store_path


REFUSED = [
    # (arguments, exit code, words the error line must hold)
    (["add", ""], 2, "title must not be empty"),
    (["add", "   "], 2, "title must not be empty"),
    (["add", "line\nbreak"], 2, "one line"),
    (["add", "tab\tin title"], 2, "control characters"),
    (["add", "bell\x07"], 2, "control characters"),
    (["add", "nul\x00byte"], 2, "control characters"),
    (["add", "x" * 301], 2, "limit is 300"),
    (["add", "ok", "--summary", "y" * 20_001], 2, "limit is 20000"),
    (["add", "ok", "--opened", "2015-13"], 2, "impossible month"),
    (["add", "ok", "--opened", "2015-02-30"], 2, "not a day of the calendar"),
    (["add", "ok", "--opened", "the day before yesterday"], 2, "not a date"),
    (["add", "ok", "--opened", "-5"], 2, "not a date"),
    (["add", "ok", "--opened", "99999"], 2, "not a date"),
    (["add", "ok", "--opened", "0000"], 2, "impossible year"),
    (["add", "ok", "--status", "settled"], 2, "unknown status 'settled'"),
    (["add", "ok", "--priority", "urgent"], 2, "unknown priority 'urgent'"),
    (["add", "ok", "--priority", ""], 2, "unknown priority"),
    (["add", "ok", "--ref", "ds1"], 2, "already used"),
    (["add", "ok", "-p", "Bela\x1brus"], 2, "party must be one line"),
    (["add", "ok", "--colour", "red"], 2, "No such option"),
    (["add"], 2, "Missing argument"),
    (["status", GAS, "unknown"], 2, "unknown status"),
    (["status", "zzzz", "open"], 1, "no dispute matches 'zzzz'"),
    (["status", GAS, "open", "--date", "2016-00"], 2, "impossible month"),
    (["status", GAS, "negotiating"], 2, "already negotiating"),
    (["status", GAS], 2, "Missing argument"),
    (["show", ""], 2, "give a dispute id"),
    (["show", "zzzzz"], 1, "no dispute matches"),
    (["show", "aaaa"], 2, "matches 2 disputes"),
    (["show", "a"], 2, "matches 2 disputes"),
    (["show", "aaaa0000019"], 1, "no dispute matches"),
    (["edit", "aaaa", "--title", "X"], 2, "matches 2 disputes"),
    (["edit", GAS], 2, "nothing to change"),
    (["edit", GAS, "--title", ""], 2, "title must not be empty"),
    (["edit", GAS, "--remove-tag", "nope"], 2, "no tag 'nope'"),
    (["edit", APPLES, "--ref", "DS1"], 2, "already used"),
    (["list", "--sort", "nonsense"], 2, "unknown sort"),
    (["list", "--limit", "-1"], 2, "--limit"),
    (["list", "--limit", "abc"], 2, "--limit"),
    (["list", "--opened-since", "2016-99"], 2, "impossible month"),
    (["list", "--status", "bogus"], 2, "unknown status"),
    (["list", "--priority", "bogus"], 2, "unknown priority"),
    (["report", "--as-of", "nonsense"], 2, "not a date"),
    (["report", "--as-of", "2016-02-30"], 2, "not a day"),
    (["delete", GAS], 2, "--yes"),
    (["delete", "zzzz", "--yes"], 1, "no dispute matches"),
    (["resolve", ENDED], 2, "already resolved"),
    (["close", ENDED], 2, "reopen it before"),
    (["reopen", GAS], 2, "not ended"),
    (["reopen", ENDED, "--status", "resolved"], 2, "reopen to an active status"),
    (["--lock-timeout", "-1", "list"], 2, "--lock-timeout"),
    (["frobnicate"], 2, "No such command"),
]


@pytest.mark.parametrize("args, code, words", REFUSED, ids=[" ".join(a)[:40] for a, _, _ in REFUSED])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(cli, populated, args, code, words):
    before = populated.read_bytes()
    result = cli(*args, expect=code)
    assert_one_error_line(result, words)
    assert populated.read_bytes() == before


ACCEPTED = [
    "Цена российского газа для Беларуси",
    "🍎 Polish apples detained 🚫",
    "نزاع تجاري بين البلدين",
    "RTL override \u202e gnirts",
    "Gas [price] [/] talks [bold]x[/bold]",
    '<script>alert(1)</script> & "quotes"',
    "x" * 300,
]


@pytest.mark.parametrize("title", ACCEPTED, ids=range(len(ACCEPTED)))
def test_unusual_but_valid_text_is_kept_exactly(cli, title):
    added = cli.add(title, "-p", title[:20])
    shown = cli.json("show", added["id"])
    assert shown["title"] == title and shown["parties"] == [title[:20]]
    # the data is kept exactly; the terminal shows bidi and control characters as escapes
    assert printable(title) in cli("list").stdout


def test_huge_limits_are_fine(cli, populated):
    assert len(cli.json("list", "--limit", "99999999999999999999")) == 2


VOCABULARY = [
    "add",
    "list",
    "show",
    "edit",
    "status",
    "resolve",
    "close",
    "reopen",
    "delete",
    "report",
    "seed",
    "doctor",
    # deadlines, reviews, the agenda, watch rules, exports and the report's other commands
    "deadline",
    "add",
    "list",
    "done",
    "review",
    "agenda",
    "watch",
    "remove",
    "export",
    "timeline",
    "event",
    "chart",
    "digest",
    "history",
    "undo",
    "--rules",
    "wto-dsu",
    "--from",
    "--actors",
    "--codes",
    "BLR,RUS",
    "16",
    "--min-mentions",
    "--review-every",
    "--within",
    "--format",
    "ics",
    "md",
    "csv",
    "9999-12-31",
    "9999-12-01",
    "redo",
    "forecast",
    "update",
    "score",
    "--probability",
    "--by",
    "--open",
    "--due",
    "likely",
    "70%",
    "yes",
    "void",
    "conflicts",
    "restore",
    "--stale",
    "--sort",
    "quiet",
    "last-event",
    "--opens",
    "--stage",
    "adopted",
    "eu-ad",
    "--author",
    "+2w",
    "tomorrow",
    "2017-03",
    "nan",
    "\ufffe",
    "\u2028",
    "--json",
    "--all",
    "--yes",
    "--note",
    "--date",
    "--status",
    "--priority",
    "--party",
    "--tag",
    "--opened",
    "--ref",
    "--sort",
    "--limit",
    "--title",
    "--as-of",
    "--since",
    "--add-tag",
    "--remove-party",
    "open",
    "resolved",
    "frozen",
    "high",
    "2016",
    "2016-06-07",
    "2016-13",
    "-1",
    "0",
    GAS,
    APPLES,
    ENDED,
    "aaaa",
    "DS1",
    "",
    " ",
    "Цена",
    "🍎",
    "[bold]x[/]",
    "x\ny",
    "\x00",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), min_size=1, max_size=7))
def test_fuzzed_command_lines_never_crash_or_corrupt(cli, populated, args):
    before = populated.read_bytes()
    result = cli(*args, expect=None)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr, (args, result.stderr)
    if result.exit_code != 0:
        assert populated.read_bytes() == before, args
        # one line says what failed; a warning about what was typed may come before it
        # (`chart --party add`: no party 'add' is known, then nothing to draw)
        said = [line for line in result.stderr.strip().splitlines() if not line.startswith("Warning: ")]
        assert len(said) == 1, (args, result.stderr)
    else:
        # whatever succeeded, the store is still one a user can open and check
        assert cli("doctor", expect=None).exit_code == 0, args
