"""Issue 29: the register from Python, over TinyDB, with the CLI's operations and pandas frames."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import Query

import disputes

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Use from Python") :]
    section = section[: section.index("\n## ", 3)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readmes_python_runs_on_the_seed_and_the_cli_sees_and_undoes_it(cli, store_path):
    cli("seed")
    blocks = _python_blocks()
    assert len(blocks) == 2
    namespace: dict = {}  # one session, as a notebook runs its cells
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    added = next(d for d in cli.json("list") if d["title"] == "Potash transit through Lithuania")
    assert added["roles"] == {"Belarus": "complainant", "Lithuania": "respondent"}
    assert cli.json("show", added["id"])["assessment"]["confidence"] == "high"
    history = cli("history").stdout
    assert "assess" in history and "event add" in history
    assert "Potash transit through Lithuania: added as open" in history
    cli("undo")
    assert cli.json("show", added["id"])["assessment"] is None


def test_tables_are_tinydb_tables_with_string_ids_and_refuse_writes(cli, store_path):
    cli("seed")
    before = store_path.read_bytes()
    with disputes.open(store_path) as reg:
        table = reg.table("disputes")
        assert table.get(doc_id="fr45z4r7dr")["title"].startswith("Belarusian re-exports")
        assert table.get(doc_id="fr45z4r7dr").doc_id == "fr45z4r7dr"
        assert table.count(Query().parties.any(["Russia"])) == 3
        events = reg.table("events")
        assert len(events.search(Query().disputes.any(["vfb3nbqd37"]))) >= 1
        for write in (
            lambda: table.insert({"title": "x"}),
            lambda: table.update({"status": "closed"}),
            lambda: table.remove(doc_ids=["fr45z4r7dr"]),
            lambda: table.truncate(),
        ):
            with pytest.raises(disputes.ReadOnly, match=r"reg\.add"):
                write()
        with pytest.raises(disputes.InvalidValue, match="no table"):
            reg.table("nosuch")
    assert store_path.read_bytes() == before  # byte-identical


def test_operations_raise_the_clis_errors_and_change_nothing(cli, store_path):
    cli("seed")
    before = store_path.read_bytes()
    reg = disputes.open(store_path)
    with pytest.raises(disputes.NotFound):
        reg.status("nosuch", "resolved")
    with pytest.raises(disputes.InvalidValue, match="unknown status"):
        reg.status("fr45", "asleep")
    with pytest.raises(disputes.InvalidValue, match="after today"):
        reg.assess("fr45", "x", date="+3d")
    assert store_path.read_bytes() == before


def test_a_file_that_is_not_a_store_raises_the_clis_store_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(disputes.StoreError):
        disputes.open(bad)


def test_a_frame_holds_the_chosen_disputes_records_with_dates_as_dates(cli, store_path):
    pandas = pytest.importorskip("pandas")
    cli("seed")
    reg = disputes.open(store_path)
    frame = reg.frame("disputes", party="Gazprom")
    assert list(frame["id"]) == ["vfb3nbqd37"]
    events = reg.frame("events", dispute="fr45")
    assert len(events) == len(cli.json("show", "fr45")["events"])
    whole = [v for v in events["date"] if isinstance(v, pandas.Timestamp)]
    assert whole and all(isinstance(v, str) for v in events["date"] if not isinstance(v, pandas.Timestamp))
    assert isinstance(events["disputes"].iloc[0], list)
    with pytest.raises(disputes.InvalidValue, match="unknown filter"):
        reg.frame("disputes", colour="red")


def test_import_disputes_stays_light():
    heavy = ("tinydb", "typer", "rich", "pandas", "orjson")
    probe = f"import sys, disputes; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
