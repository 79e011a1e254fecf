"""One answer in every format (issue 43): each view says the same facts whatever renders it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disputes.core.model import Dispute
from disputes.store.database import open_store


def _ds475(cli) -> dict:
    """A dispute opened in 2014 with the source's phrase of then, escalated in 2018 with another."""
    made = cli.add(
        "Retaliation on poultry", "--ref", "DS475", "--opened", "2014-04-08", "--status-detail", "IN CONSULTATIONS"
    )
    cli("status", "DS475", "escalated", "--date", "2018-01-10", "--detail", "AUTHORIZATION TO RETALIATE REQUESTED")
    return made


def test_as_of_report_shows_the_status_detail_in_force_that_day_not_todays(cli):
    _ds475(cli)
    then = cli.json("report", "--as-of", "2016-12-31")
    (row,) = then["unresolved"]
    assert (row["status"], row["status_detail"]) == ("open", "IN CONSULTATIONS")
    html = cli("report", "--as-of", "2016-12-31", "--format", "html").stdout
    assert "AUTHORIZATION TO RETALIATE" not in html
    now = cli.json("report")
    assert now["unresolved"][0]["status_detail"] == "AUTHORIZATION TO RETALIATE REQUESTED"


def test_a_later_status_change_does_not_keep_the_old_status_detail(cli):
    cli.add("Recycling fee", "--ref", "DS512", "--status-detail", "PANEL COMPOSED")
    cli("status", "DS512", "frozen")
    shown = cli.json("show", "DS512")
    assert shown["status"] == "frozen"
    assert shown["status_detail"] == ""
    assert "PANEL COMPOSED" in shown["status_history"][0]["detail"]
    assert "frozen (PANEL COMPOSED)" not in cli("show", "DS512").stdout


def test_editing_the_status_detail_gives_it_to_the_status_in_force(cli):
    _ds475(cli)
    cli("edit", "DS475", "--status-detail", "RETALIATION AUTHORIZED")
    shown = cli.json("show", "DS475")
    assert [s["detail"] for s in shown["status_history"]] == ["IN CONSULTATIONS", "RETALIATION AUTHORIZED"]
    assert cli.json("report", "--as-of", "2016-12-31")["unresolved"][0]["status_detail"] == "IN CONSULTATIONS"


def test_a_store_written_before_details_per_step_keeps_its_detail_on_the_latest_step(cli, store_path):
    steps = (
        {"date": "2014-04-08", "status": "open", "note": ""},
        {"date": "2018-01-10", "status": "escalated", "note": ""},
    )
    with open_store(store_path, write=True) as store:
        old = Dispute(
            id="k7q2",
            title="Poultry",
            ref="DS475",
            opened="2014-04-08",
            status="escalated",
            status_detail="AUTHORIZATION TO RETALIATE REQUESTED",
            status_history=steps,
        )
        store.put("disputes", old.id, old.to_dict())
        store.describe("add", "a dispute as a store of before kept it")
    assert cli.json("report", "--as-of", "2016-12-31")["unresolved"][0]["status_detail"] == ""
    assert cli.json("report")["unresolved"][0]["status_detail"] == "AUTHORIZATION TO RETALIATE REQUESTED"
    assert cli.json("show", "DS475")["status_detail"] == "AUTHORIZATION TO RETALIATE REQUESTED"
    cli("status", "DS475", "frozen", "--date", "2019-01-01")
    shown = cli.json("show", "DS475")
    assert shown["status_detail"] == ""
    assert [s.get("detail") for s in shown["status_history"]] == ["", "AUTHORIZATION TO RETALIATE REQUESTED", ""]


def test_show_in_every_format_gives_each_status_step_its_own_detail(cli):
    _ds475(cli)
    for fmt in ("terminal", "md"):
        out = " ".join(cli("show", "DS475", "--format", fmt).stdout.split())
        assert "open (IN CONSULTATIONS)" in out, fmt
        assert "escalated (AUTHORIZATION TO RETALIATE REQUESTED)" in out, fmt


def _twins(cli) -> None:
    """Two disputes the WTO list titles alike, told apart only by their refs, and an event on both."""
    for ref in ("DS462", "DS463"):
        cli.add("Russian Federation — Recycling Fee on Motor Vehicles", "--ref", ref, "--opened", "2013-07-09")
    cli("event", "add", "DS462", "DS463", "--title", "Panel established", "--date", "2026-12-01")


def test_report_tables_and_contents_name_each_dispute_by_its_ref_in_every_format(cli):
    from disputes.core.dates import today
    from disputes.render import report

    _twins(cli)
    data = cli.json("report", "--as-of", today())
    for width in (60, 80, 120):
        text = "\n".join("".join(text for text, _ in line) for line in report.terminal(data, width))
        unresolved = text.split("Unresolved disputes")[1].split("Recent events")[0]
        assert "DS462" in unresolved and "DS463" in unresolved, width
    markdown = cli("report", "--format", "md").stdout
    assert "| Ref |" in markdown and "| DS462 |" in markdown and "| DS463 |" in markdown
    html = cli("report", "--format", "html").stdout
    contents = html.split('<nav id="contents"')[1].split("</nav>")[0]
    assert "DS462 — Russian Federation" in contents and "DS463 — Russian Federation" in contents
    assert "<h3>DS462 — Russian Federation" in html
    assert "<td>DS463</td>" in html


def _assessed(cli) -> None:
    _twins(cli)
    cli("assess", "DS462", "Russia will drop the fee before a ruling", "--confidence", "medium")


def test_terminal_and_markdown_reports_lead_with_the_bottom_lines_the_html_shows(cli):
    _assessed(cli)
    for fmt in ("terminal", "md", "html"):
        out = " ".join(cli("report", "--format", fmt).stdout.split())
        assert "Key judgements" in out, fmt
        assert "Russia will drop the fee before a ruling" in out, fmt


def test_a_report_trend_tells_a_window_without_events_from_an_unchanged_one(cli):
    _twins(cli)
    cli.add("Quiet case", "--ref", "DS999", "--opened", "2013-01-01")
    rows = {r["ref"]: r for r in cli.json("report")["unresolved"]}
    assert rows["DS999"]["trend"] == "unchanged" and rows["DS999"]["window_events"] == 0
    assert rows["DS999"]["trend_shown"] == "no events"
    assert rows["DS462"]["trend_shown"] == "unchanged"
    markdown = cli("report", "--format", "md").stdout
    assert next(line for line in markdown.splitlines() if "DS999" in line).endswith("· no events |")


def test_the_age_and_quiet_footnote_shows_only_with_those_columns(cli):
    from disputes.render import report

    _twins(cli)
    data = cli.json("report")
    footnote = "Age and Quiet in days"
    for width in (60, 80, 120, None):
        text = "\n".join("".join(text for text, _ in line) for line in report.terminal(data, width))
        header = next(line for line in text.splitlines() if line.startswith("ID "))
        shows = width is None or "AGE" in header or "QUIET" in header
        assert (footnote in text) == shows, width


def test_event_list_names_the_disputes_of_each_event_not_only_their_count(cli):
    _twins(cli)
    line = next(line for line in cli("event", "list").stdout.splitlines() if "Panel established" in line)
    assert "DS462" in line and "DS463" in line
    timeline = cli("timeline", "--format", "md").stdout
    assert "DS462, DS463" in timeline


def test_event_list_timeline_and_chart_say_the_view_in_force_as_list_does(cli, store_path):
    from conftest import on_terminal

    _twins(cli)
    cli("view", "save", "desk", "--dispute", "DS462")
    cli("view", "use", "desk")
    env = {"DISPUTES_DB": str(store_path)}
    for command in (["list"], ["event", "list"], ["timeline"], ["chart"]):
        assert "Disputes: view desk" in on_terminal(*command, env=env, width=100), command


def test_show_as_markdown_has_the_bottom_line_watch_rules_and_changes_the_terminal_shows(cli):
    _assessed(cli)
    cli("watch", "add", "DS462", "--actors", "RUS,EUR", "--codes", "17")
    cli("edit", "DS462", "--priority", "high", "--note", "fee doubled")
    terminal = " ".join(cli("show", "DS462").stdout.split())
    markdown = " ".join(cli("show", "DS462", "--format", "md").stdout.split())
    for out in (terminal, markdown):
        assert "Bottom line" in out and "Russia will drop the fee before a ruling" in out
        assert "Watch rules" in out and "RUS" in out
        assert "Changes" in out and "changed priority" in out


def test_global_history_lines_name_the_dispute_they_changed(cli):
    _twins(cli)
    cli("edit", "DS463", "--priority", "high")
    line = next(line for line in cli("history").stdout.splitlines() if "changed priority" in line)
    assert "DS463 Russian Federation" in line
    (entry,) = [e for e in cli.json("history") if e["action"] == "edit"]
    assert entry["disputes"] == [cli.json("show", "DS463")["id"]]


def test_undo_and_redo_say_what_they_reverted_in_one_line_without_nesting(cli):
    _twins(cli)
    cli("edit", "DS463", "--priority", "high")
    assert cli("undo").stdout.strip() == "Undid edit: changed priority"
    assert cli("redo").stdout.strip() == "Redid edit: changed priority"
    assert cli("undo").stdout.strip() == "Undid the redo of edit: changed priority"
    assert cli("redo").stdout.strip() == "Redid edit: changed priority"
    summaries = [e["summary"] for e in cli.json("history") if e["action"] in ("undo", "redo")]
    assert summaries == [
        "undid edit: changed priority",
        "redid edit: changed priority",
        "undid the redo of edit: changed priority",
        "redid edit: changed priority",
    ]


def test_a_sync_commit_subject_is_cut_at_a_word_with_an_ellipsis(cli, store_path):
    import subprocess

    from disputes.ops.sharing import commit_message

    subprocess.run(["git", "init", "-q", str(store_path.parent)], check=True)
    cli.add("Measures affecting the importation of live pigs, pork and other pig products from the European Union")
    with open_store(store_path) as store:
        subject = commit_message(store_path, store.records("history")).splitlines()[0]
    said = subject.split(": ", 2)[-1]
    assert said.endswith("…") and len(said) <= 60
    summary = "added 'Measures affecting the importation of live pigs, pork and other pig products"
    kept = said[:-1]
    assert summary.startswith(kept) and summary[len(kept)] in " ,"  # a whole word, never a part of one


def test_no_list_of_tables_is_kept_by_hand_outside_the_registry():
    """REFERRING, ATTACHED, INDEXED, TABLES and NOUNS are read off core.kinds; a second list
    of table names beside it drifts (doctor's and show's included)."""
    import re
    from pathlib import Path

    import disputes
    from disputes.core.kinds import TABLES

    names = "|".join(TABLES)
    listed = re.compile(rf'"(?:{names})",\s*"(?:{names})",\s*"(?:{names})"')
    root = Path(disputes.__file__).parent
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.py"))
        if path.name not in ("kinds.py", "migrations.py")  # a migration is the schema as it was then
        for match in listed.finditer(path.read_text())
    ]
    assert found == []


# ---- the differential test: one report, every format, the same facts -------------------------

DETAILS = ("", "IN CONSULTATIONS", "PANEL COMPOSED", "AUTHORIZATION TO RETALIATE REQUESTED")


@st.composite
def registers(draw):
    """A small register: disputes with or without refs, status steps (2014, then maybe 2018)
    each with its own detail, bottom lines dated 2015 or 2019, events of June 2016 and 2019
    each linked to one or two disputes."""
    count = draw(st.integers(1, 5))
    keys = [
        f"{key}{n}xq7zt2m"
        for n, key in enumerate(draw(st.lists(st.sampled_from("abk"), min_size=count, max_size=count)))
    ]
    disputes, assessments, events = [], [], []
    for n, key in enumerate(keys):
        steps = [{"date": "2014-01-10", "status": "open", "note": "", "detail": draw(st.sampled_from(DETAILS))}]
        if draw(st.booleans()):
            later_status = draw(st.sampled_from(("negotiating", "escalated", "frozen")))
            steps.append(
                {"date": "2018-02-01", "status": later_status, "note": "", "detail": draw(st.sampled_from(DETAILS))}
            )
        ref = draw(st.sampled_from(("", f"DS{400 + n}")))
        disputes.append(
            Dispute(
                id=key,
                title=f"Case {n} measures on goods",
                ref=ref,
                opened="2014-01-10",
                status=steps[-1]["status"],
                status_detail=steps[-1]["detail"],
                status_history=tuple(steps),
            )
        )
        for year in draw(st.lists(st.sampled_from(("2015", "2019")), max_size=2, unique=True)):
            assessments.append(
                {
                    "id": f"as{n}{year}",
                    "dispute": key,
                    "date": f"{year}-03-01",
                    "text": f"Bottom line {n} of {year} holds",
                    "confidence": "medium",
                    "author": "Ann",
                    "created": "",
                    "updated": "",
                }
            )
    for n in range(draw(st.integers(0, 4))):
        linked = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True))
        year = draw(st.sampled_from(("2016", "2019")))
        events.append(
            {
                "id": f"ev{n}qq9w4k",
                "date": f"{year}-06-{10 + n}",
                "title": f"Event {n} happened",
                "description": "",
                "kind": "other",
                "effect": "neutral",
                "score": None,
                "code": "",
                "actors": [],
                "place": "",
                "sources": [],
                "disputes": linked,
                "created": "",
                "updated": "",
            }
        )
    return disputes, assessments, events, draw(st.sampled_from(("2016-06-30", "2019-06-30")))


def _words(text: str) -> list[str]:
    return text.split()


def _terminal_text(lines, width: int) -> str:
    """The report's lines as a terminal `width` columns wide draws them (pyte)."""
    import pyte

    text = "\r\n".join("".join(part for part, _ in line) for line in lines)
    screen = pyte.Screen(width, text.count("\n") + 5)
    pyte.Stream(screen).feed(text)
    return "\n".join(row.rstrip() for row in screen.display)


def _markdown_text(source: str) -> tuple[str, list[str]]:
    """Markdown's text as markdown-it reads it, and each list item's text."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    inline = [t for t in tokens if t.type == "inline"]
    texts = ["".join(c.content for c in t.children or () if c.type in ("text", "code_inline")) for t in inline]
    items = [
        texts[i]
        for i, t in enumerate(inline)
        if tokens[tokens.index(t) - 1].type == "paragraph_open"
        and tokens.index(t) >= 2
        and tokens[tokens.index(t) - 2].type == "list_item_open"
    ]
    return " ".join(" ".join(texts).split()), items


def _html_text(page: str) -> tuple[str, list[str]]:
    """The page's text as html5lib reads it, and the text of each list item of its events."""
    import html5lib

    document = html5lib.parse(page, namespaceHTMLElements=False)
    body = " ".join(" ".join(document.find("body").itertext()).split())
    items = [
        " ".join(" ".join(li.itertext()).split())
        for ul in document.iter("ul")
        if ul.get("class") == "events"
        for li in ul.iter("li")
    ]
    return body, items


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=registers())
def test_every_report_format_names_the_same_facts_as_of_the_day(drawn, tmp_path_factory):
    """Drift between formats: every format of the report names the same disputes (by ref,
    else short id), statuses with their detail as of the day, bottom lines, and events with
    their disputes, as the JSON does; the terminal at 60, 80 and 120 columns."""
    from disputes.ops import reports, selection
    from disputes.render import report
    from disputes.render.common import called, shortened, status_said

    disputes, assessments, events, as_of = drawn
    path = tmp_path_factory.mktemp("differential") / "store.json"
    with open_store(path, write=True) as store:
        for dispute in disputes:
            store.put("disputes", dispute.id, dispute.to_dict())
        for made in assessments:
            store.put("assessments", made["id"], made)
        for event in events:
            store.put("events", event["id"], event)
        store.describe("add", "a register drawn by hypothesis")
    with open_store(path) as store:
        chosen = selection.choose(store, selection.Wanted())
        data, briefs = reports.status_report(store, chosen, as_of=as_of, briefs=True)
    short = shortened(data)
    facts = []  # (what, exact text)
    for row in data["unresolved"]:
        then = next(d for d in disputes if d.id == row["id"]).step_on(as_of)
        assert (row["status"], row["status_detail"]) == (then["status"], then["detail"])  # the detail in force
        facts += [("name", called(row["id"], row["ref"], short)), ("status", status_said(row))]
        if row["assessment"]:
            assert row["assessment"]["date"] <= as_of
            facts.append(("bottom line", row["assessment"]["text"]))
    links = [
        (event["title"], [called(key, data["refs"].get(key, ""), short) for key in event["disputes"]])
        for event in data["recent_events"]
    ]
    markdown, md_items = _markdown_text(report.markdown(data))
    html, html_items = _html_text(report.render(data, "html", briefs=briefs))
    for what, text in facts:
        assert text in markdown, (what, text, "md")
        assert text in html or (what == "name" and text in " ".join(html_items) + html), (what, text, "html")
    for title, names in links:
        assert any(title in item and all(name in item for name in names) for item in md_items), (title, names, "md")
        assert any(title in item for item in html_items), (title, "html")
    for width in (60, 80, 120):
        drawn_text = _terminal_text(report.terminal(data, width), width)
        words = set(_words(drawn_text.replace(",", " ")))
        for what, text in facts:
            assert set(_words(text.replace("(", " ").replace(")", " "))) <= words | set(
                _words(drawn_text.replace("(", " ").replace(")", " "))
            ), (what, text, width)
        for title, names in links:
            assert set(_words(title)) | set(names) <= words, (title, names, width)


def test_a_digest_shows_every_bottom_line_dated_in_its_month_not_only_the_deteriorated(cli):
    _twins(cli)
    cli("event", "add", "DS462", "--title", "Fee raised again", "--date", "2016-06-10", "--score", "-5")
    cli("assess", "DS462", "Russia will raise the fee", "--date", "2016-06-12")
    cli("assess", "DS463", "Talks will resume in the autumn", "--date", "2016-06-20")
    entries = {
        e["id"]: e
        for name in ("deteriorated", "improved", "unchanged")
        for e in cli.json("digest", "--month", "2016-06")[name]
    }
    assert {e["assessment"]["text"] for e in entries.values() if e.get("assessment")} == {
        "Russia will raise the fee",
        "Talks will resume in the autumn",
    }
    for fmt in ("terminal", "md", "html"):
        out = " ".join(cli("digest", "--month", "2016-06", "--format", fmt).stdout.split())
        assert "Russia will raise the fee" in out and "Talks will resume in the autumn" in out, fmt


def test_the_pdf_contents_tell_two_like_titled_disputes_apart_by_their_refs(cli, tmp_path):
    """The PDF on a fixed register (WeasyPrint takes seconds a document), read back as text."""
    from pypdf import PdfReader

    _assessed(cli)
    out = tmp_path / "report.pdf"
    cli("report", "--format", "pdf", "--output", str(out))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert text.count("DS462 — Russian Federation") >= 2 and text.count("DS463 — Russian Federation") >= 2
    assert "Russia will drop the fee before a ruling" in text


def test_sync_counts_only_its_own_merges_conflicts_in_historys_words(cli, tmp_path, monkeypatch):
    """sync said "the merge decided N field(s)" counting the decisions of merges it only
    pulled in, where history said its own merge decided 1 conflict."""
    import subprocess

    from conftest import later

    for variable in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(variable, "Analyst")
    for variable in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(variable, "analyst@example.org")
    origin, first_repo, second_repo = tmp_path / "origin.git", tmp_path / "first", tmp_path / "second"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(first_repo)], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(first_repo), "commit", "-q", "--allow-empty", "-m", "start"], check=True)
    subprocess.run(
        ["git", "-C", str(first_repo), "push", "-q", "-u", "origin", "HEAD"], check=True, capture_output=True
    )
    first = first_repo / "disputes.json"
    cli("--db", str(first), "add", "Recycling fee", "--ref", "DS462")
    cli("--db", str(first), "sync")
    subprocess.run(["git", "clone", "-q", str(origin), str(second_repo)], check=True, capture_output=True)
    second = second_repo / "disputes.json"
    cli("--db", str(first), "edit", "DS462", "--title", "Recycling fee (first)")
    cli("--db", str(first), "sync")
    later(monkeypatch)
    cli("--db", str(second), "edit", "DS462", "--title", "Recycling fee (second)")
    said = cli("--db", str(second), "sync").stdout
    (merge,) = [e for e in cli.json("--db", str(second), "history") if e["action"] == "merge"]
    assert merge["summary"] == "merge decided 1 conflict(s)"
    assert "the merge decided 1 conflict(s)" in said
    cli("--db", str(first), "edit", "DS462", "--priority", "high")
    said = cli("--db", str(first), "sync").stdout  # pulls the other's merge; its own decided nothing
    assert "decided" not in said
