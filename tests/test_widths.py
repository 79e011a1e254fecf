"""Issue 22: every view readable at every width, checked as a person sees it -- the real
command in a pseudo-terminal of a given size, its output drawn by a VT100 emulator (pyte)."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pyte
import pytest
from conftest import WTO_ARGS, disputes_command, on_terminal
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from disputes.cli import app
from disputes.render import layout

LONG_URL = "https://trade.ec.europa.eu/doclib/press/index.cfm?id=2500&countervailing-duties-imports-battery-evs-china-definitive-regulation-2024-10-29"
OWN = [
    (
        "Anti-subsidy duties on battery electric vehicles imported from the People's Republic of China",
        ["European Union", "China", "Netherlands", "Saudi Arabia", "United States of America"],
    ),
    ("Brandy", ["China", "European Union"]),
    (
        "Measures affecting the importation of live pigs, pork and other pig products from the European Union",
        ["Russian Federation", "European Union", "Ukraine", "Kingdom of the Netherlands"],
    ),
]
ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-z]|\r")


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    """The seed, three disputes of one's own with long titles and many parties, a long URL,
    deadlines, a watch rule, and the seed's events."""
    path = tmp_path_factory.mktemp("widths") / "store.json"
    runner = CliRunner()  # built in this process (the views are read through a real terminal below)

    def cli(*args: str) -> str:
        done = runner.invoke(app, ["--db", str(path), *args], prog_name="disputes")
        assert done.exit_code == 0, done.stderr
        return done.stdout

    cli("seed")
    for title, parties in OWN:
        added = json.loads(cli("add", title, *(f"--party={p}" for p in parties), "--source", LONG_URL, "--json"))
        cli("deadline", "add", added["id"], "--date", "2016-07-01", "--title", f"Reply due on {title}")
        cli("event", "add", added["id"], "--date", "2016-06-20", "--title", f"Consultations requested: {title}")
    cli("watch", "fr45", "--actors", "BLR,RUS", "--codes", "16")
    disputes = json.loads(cli("list", "--json"))
    return path, disputes


def screen(path, width: int, *args: str) -> tuple[list[str], list[str], str]:
    """The command run in a terminal `width` columns wide: the screen's lines as pyte shows
    them, the lines the program wrote (escapes removed), and the raw output."""
    raw = on_terminal(*args, env={"DISPUTES_DB": str(path)}, width=width)
    term = pyte.Screen(width, 500)
    pyte.Stream(term).feed(raw.replace("\n", "\r\n"))
    shown = [line.rstrip() for line in term.display]
    while shown and not shown[-1]:
        shown.pop()
    written = ESCAPES.sub("", raw).split("\n")
    return shown, written, raw


def assert_fits(written: list[str], width: int) -> None:
    too_wide = [line for line in written if layout.cells(line) > width]
    assert not too_wide, f"lines wider than {width}: {too_wide[:3]}"


def record_block(shown: list[str], short_id: str) -> list[str]:
    """The screen lines of one record: its id's line and the wrapped lines under it, up to
    the next record (a line starting at the left edge) or a blank line."""
    start = next((n for n, line in enumerate(shown) if line.startswith(short_id)), None)
    assert start is not None, f"{short_id} does not start a line"
    end = start + 1
    while end < len(shown) and shown[end].startswith(" ") and shown[end].strip():
        end += 1
    return shown[start:end]


WIDTHS = [40, 60, 80, 100, 120, 200]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", [["list"], ["report"]], ids=["list", "report"])
def test_every_unresolved_dispute_shows_its_id_title_and_parties(register, width, command):
    path, disputes = register
    shown, written, _ = screen(path, width, *command)
    assert_fits(written, width)
    for dispute in disputes:
        block = " ".join(record_block(shown, dispute["id"][:4]))
        words = set(block.replace(",", " ").split())
        for word in dispute["title"].split() + " ".join(dispute["parties"]).split():
            assert word.strip(",") in words, (width, word, block)


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize(
    "command",
    [
        ["agenda", "--as-of", "2016-06-25"],
        ["deadline", "list"],
        ["event", "list"],
        ["watch", "list"],
        ["timeline"],
        ["history"],
        ["party", "list"],
        ["party", "show", "European Union"],
        [*WTO_ARGS, "--dry-run"],
        ["chart"],
    ],
    ids=["agenda", "deadlines", "events", "watches", "timeline", "history", "parties", "party", "csv-preview", "chart"],
)
def test_no_view_writes_a_line_wider_than_the_terminal(register, width, command):
    path, _ = register
    shown, written, _ = screen(path, width, *command)
    assert_fits(written, width)
    assert shown  # something a person can read


@pytest.mark.parametrize("width", [60, 120])
def test_show_prints_a_source_url_whole_as_a_terminal_link(register, width):
    path, disputes = register
    own = next(d for d in disputes if d["title"] == "Brandy")
    shown, written, raw = screen(path, width, "show", own["id"])
    assert_fits(written, width)
    assert "\x1b]8;" in raw and LONG_URL in raw  # an OSC 8 hyperlink to the whole address
    assert LONG_URL in "".join(line.strip().removeprefix("source").strip() for line in shown)
    assert "…" not in "\n".join(shown)


@pytest.mark.parametrize("width", [20, 30])
def test_show_event_and_report_fit_even_a_very_narrow_terminal(register, width):
    """Too narrow for values beside their names, each goes under its name: nothing overflows."""
    path, disputes = register
    for command in (["show", disputes[0]["id"]], ["report", "--limit", "3"], ["list"], ["event", "list"]):
        _, written, _ = screen(path, width, *command)
        assert_fits(written, width)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_show_event_and_report_fit_the_width_and_keep_every_word(register, width):
    """The detail views and the report, drawn under the layout rule: no line wider than the
    terminal, and every word of a long title and of many parties on the screen."""
    path, disputes = register
    own = next(d for d in disputes if d["title"].startswith("Anti-subsidy"))
    listed = [*disputes_command(), "--db", str(path), "event", "list", "--dispute", own["id"], "--json"]
    events = json.loads(subprocess.run(listed, capture_output=True, text=True, check=True).stdout)
    for command in (["show", own["id"]], ["event", "show", events[0]["id"]], ["report", "--limit", "0"]):
        shown, written, _ = screen(path, width, *command)
        assert_fits(written, width)
        words = " ".join(shown).split()
        expected = own["title"] if command[0] != "event" else events[0]["title"]
        for word in expected.split() + (" ".join(own["parties"]).split() if command[0] == "show" else []):
            assert word in words or f"{word}," in words, (command, width, word)


def test_styles_follow_what_the_terminal_shows(register):
    """Bold headings and coloured marks on a terminal; NO_COLOR keeps bold and drops colour;
    TERM=dumb and a pipe get no escapes at all."""
    path, _ = register
    env = {"DISPUTES_DB": str(path)}
    colour = re.compile(r"\x1b\[(?:\d+;)*3[1-6]m")
    for command in (["report", "--as-of", "2016-12-31"], ["show", "fr45"]):
        styled = on_terminal(*command, env=env, width=100)
        assert "\x1b[1m" in styled and colour.search(styled), command
        plain = on_terminal(*command, env={**env, "NO_COLOR": "1"}, width=100)
        assert "\x1b[1m" in plain and not colour.search(plain), command
        assert ESCAPES.sub("", plain) == ESCAPES.sub("", styled)  # the same words, only the styles differ
        dumb = on_terminal(*command, env={**env, "TERM": "dumb"}, width=100)
        assert "\x1b" not in dumb and dumb.replace("\r", "") == ESCAPES.sub("", styled), command


def test_piped_output_is_one_record_a_line_without_escapes(register):
    path, disputes = register
    env = {**os.environ, "DISPUTES_DB": str(path), "COLUMNS": "40"}
    piped = subprocess.run([*disputes_command(), "list"], capture_output=True, text=True, env=env).stdout
    lines = piped.strip().splitlines()
    assert len(lines) == 1 + len(disputes) and "\x1b" not in piped
    shown = subprocess.run([*disputes_command(), "show", disputes[0]["id"]], capture_output=True, text=True, env=env)
    assert "\x1b" not in shown.stdout


def test_report_events_name_their_disputes(register):
    path, _ = register
    shown, _, _ = screen(path, 100, "report", "--as-of", "2016-06-30")
    events = shown[next(n for n, line in enumerate(shown) if line.startswith("Recent events")) :]
    line = next(line for line in events if "Russian customs detain" in line)
    assert "fr45" in line and "Belarusian re-exports" in line  # its dispute's id and title
    line = next(line for line in events if "Third Forum of Regions" in line)
    assert "vfb3, fr45, 3zp0" in line


@settings(max_examples=200, deadline=None)
@given(
    titles=st.lists(
        st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=80),
        min_size=1,
        max_size=5,
    ),
    parties=st.lists(st.text("abcdefghij ,", min_size=1, max_size=40), min_size=1, max_size=5),
    width=st.integers(12, 200),
)
# a party with a leading space lost a cell of its first word when stacked at 12 columns
@example(titles=["0"], parties=[" aaaaaaaa"], width=12)
def test_any_titles_and_parties_fit_any_width_and_keep_every_word(titles, parties, width):
    columns = [
        layout.Column("ID", heading=True),
        layout.Column("STATUS", priority=1),
        layout.Column("OPENED", priority=2),
        layout.Column("PARTIES", wrap=True, least=14),
        layout.Column("TITLE", wrap=True, least=24, heading=True),
    ]
    rows = [
        (f"id{n:02d}", "negotiating", "2016-06-07", parties[n % len(parties)], title) for n, title in enumerate(titles)
    ]
    lines = [layout.plain(line) for line in layout.table(columns, rows, width)]
    assert all(layout.cells(line) <= width for line in lines), (width, lines)
    flat = set(" ".join(lines).split())
    for _, _, _, party, title in rows:
        for word in (title + " " + party).split():
            if layout.cells(word) <= min(10, width * 2 // 3):  # no column is narrower: never broken
                assert word in flat, (word, lines)


@pytest.mark.parametrize("width", [60, 80])
def test_a_hint_to_copy_is_never_broken_inside_its_command(register, tmp_path, width):
    """A message's command in backticks stays on one screen line where one holds it: at 60
    columns `deadline list` on a store without deadlines had `--` end a line, `date` start the next."""
    empty = tmp_path / "empty.json"
    shown, written, _ = screen(empty, width, "deadline", "list")
    assert_fits(written, width)
    assert any("`disputes deadline add DISPUTE --date DATE --title TITLE`" in line for line in shown), shown


def test_a_listed_item_too_long_for_the_line_goes_on_under_itself(tmp_path):
    """What an import would add, item by item under its heading: at 60 columns an item's end
    goes on two spaces further in than the item, not back at the left edge."""
    from pathlib import Path

    from conftest import run

    store = tmp_path / "store.json"
    for args in (("seed",), ("watch", "vfb3", "--actors", "BLR,RUS", "--codes", "16,17")):
        assert run("--db", str(store), *args).returncode == 0
    shown, written, _ = screen(
        store, 60, "import", str(Path(__file__).parent / "data" / "gdelt-1.0-20160607.export.CSV"), "--dry-run"
    )
    assert_fits(written, 60)
    at = next(n for n, line in enumerate(shown) if line.startswith("  new    2016-06-08"))
    assert shown[at + 1].startswith("    ") and not shown[at + 1].startswith("     "), shown
    assert "[vfb3nbqd37]" in " ".join(shown[at : at + 3])


_WORDS = st.text("abcdefghij-", min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    before=st.lists(_WORDS, max_size=8),
    command=st.lists(_WORDS, min_size=1, max_size=8),
    after=st.lists(_WORDS, max_size=8),
    width=st.integers(1, 90),
    indent=st.integers(0, 8),
)
def test_wrapping_keeps_a_quoted_command_whole_where_a_line_holds_it(before, command, after, width, indent):
    quoted = "`" + " ".join(command) + "`"
    text = " ".join([*before, quoted + ".", *after])
    lines = layout.wrap(text, width, indent)
    assert all(layout.cells(line) <= max(width, 1) for line in lines), lines
    if all(len(word) <= max(width, 1) // 2 for word in text.split()):  # no word is broken: every one is kept
        assert " ".join(lines).split() == text.split()
    if len(quoted) + 1 <= max(width, 1) - min(indent, max(width, 1) // 2):
        assert any(quoted in line for line in lines), lines


def test_counts_in_words_have_their_plurals_right(cli, tmp_path):
    assert "1 relation from the seed" in cli("seed").stdout
    hand = tmp_path / "one.json"
    hand.write_text(
        json.dumps(
            {"disputes": [{"id": "a", "title": "A"}], "events": [{"date": "2016", "title": "E", "disputes": ["a"]}]}
        )
    )
    said = cli("import", str(hand)).stdout
    assert (
        "1 dispute, 1 event, 0 relations" in said
        and "0 watch rules, 0 assessments, 0 forecasts, 0 forecast revisions, 0 comments, 0 documents, 0 actors" in said
        and "0 actors, 0 views" in said
    )
