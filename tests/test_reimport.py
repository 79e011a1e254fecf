"""Issue 42: re-imports never lose an analyst's edit, and a dry run is the run without the write.

`import --update` is a three-way merge: each dispute keeps the values its mapped fields had at
the last import (`imported`); what the source changed since is taken, what the analyst changed
is kept, and a field both changed keeps the analyst's value with the source's in a conflict
that `conflicts restore` takes back."""

from __future__ import annotations

from conftest import assert_one_error_line


def test_a_json_import_with_disputes_given_twice_kept_the_last_silently(cli, tmp_path, store_path):
    cli("seed")
    before = store_path.read_bytes()
    hand = tmp_path / "hand.json"
    hand.write_text('{"disputes": [{"title": "First"}],\n "disputes": [{"title": "Second"}]}', encoding="utf-8")
    assert_one_error_line(cli("import", str(hand), expect=2), "'disputes'", "twice", "hand.json")
    assert store_path.read_bytes() == before


def test_a_json_import_with_a_key_given_twice_in_a_record_kept_the_last_silently(cli, tmp_path, store_path):
    cli("seed")
    before = store_path.read_bytes()
    hand = tmp_path / "hand.json"
    hand.write_text('{"disputes": [{"title": "First", "topic": "gas", "topic": "oil"}]}', encoding="utf-8")
    assert_one_error_line(cli("import", str(hand), expect=2), "'topic'", "twice", "hand.json")
    assert store_path.read_bytes() == before
