"""Findings of a new user's trial: each test is named after what the user ran into."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_document_command_has_a_row_in_the_readmes_commands_table():
    """`document` was missing from the README's commands table (CONTRIBUTING asks for one)."""
    rows = [line for line in _read("README.md").splitlines() if line.startswith("| `")]
    assert any(re.search(r"`document\b", row) for row in rows)


def test_the_documents_page_is_linked_from_the_readme():
    """docs/documents.md was linked from nowhere."""
    assert "docs/documents.md" in _read("README.md")


def test_the_changelog_mentions_documents():
    """The CHANGELOG never said documents had come."""
    assert "`document" in _read("CHANGELOG.md")


def test_the_architecture_pages_list_of_tables_names_documents():
    """docs/architecture.md listed the store's tables without documents (core/kinds.py has it)."""
    text = _read("docs/architecture.md")
    section = text.split("## The record-type registry", 1)[1].split("- `core/kinds.py`", 1)[0]
    assert "documents" in section


def test_the_charts_page_is_not_stale_about_the_readme_and_is_linked_from_it():
    """docs/charts.md said the README's chart sample predated the key-event marks."""
    assert "predates" not in _read("docs/charts.md")
    assert "docs/charts.md" in _read("README.md")


def test_the_import_results_page_is_linked_from_data_in_and_out():
    """docs/import-results.md was linked from nowhere."""
    assert "import-results.md" in _read("docs/data-in-and-out.md")


def test_contributing_and_changelog_do_not_send_the_reader_to_design_md():
    """CONTRIBUTING pointed to DESIGN.md, a file a user's clone does not have."""
    for name in ("CONTRIBUTING.md", "CHANGELOG.md"):
        assert "DESIGN.md" not in _read(name), name


def test_contributing_states_the_record_type_checklist_itself():
    """The record-type checklist lived only in DESIGN.md."""
    text = " ".join(_read("CONTRIBUTING.md").lower().replace("*", "").split())
    for item in (
        "registry entry",
        "stable json names",
        "merge rule",
        "undo",
        "doctor",
        "cascade",
        "unlink",
        "markdown",
        "round trip",
        "the library",
        "fuzzer",
        "migration",
    ):
        assert item in text, item


def test_contributing_gives_the_suites_time_on_a_shared_machine():
    """It said 'about a minute on two idle cores'; on a shared 2-core machine it takes minutes."""
    text = " ".join(_read("CONTRIBUTING.md").split())
    assert "a few minutes on a shared 2-core machine" in text
