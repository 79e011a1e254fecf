"""The operations on an open store, run the same over an in-memory store and a real file.

As TinyDB's own suite runs its tests over two storages: the memory store keeps these
fast, the file store proves that what the operations do survives writing and reading.
"""

from __future__ import annotations

import pytest

from disputes.core.errors import Ambiguous, InvalidTransition, InvalidValue, NotFound
from disputes.ops import disputes, events, history, lookup, relations
from disputes.ops.interchange import store_json
from disputes.store.database import Store


class Session:
    """One store, opened anew for each command as the CLI does (for a file), or kept (in memory)."""

    def __init__(self, kind: str, tmp_path):
        self.path = tmp_path / "disputes.json"
        self.memory = Store.in_memory() if kind == "memory" else None

    def __call__(self, operation, *args, **kwargs):
        store = self.memory or Store.load(self.path)
        result = operation(store, *args, **kwargs)
        store.commit()
        return result


@pytest.fixture(params=["memory", "file"])
def run(request, tmp_path) -> Session:
    return Session(request.param, tmp_path)


def test_a_dispute_is_found_by_id_prefix_and_reference(run):
    gas = run(disputes.add, "Price of Russian gas", ref="DS-GAS", parties=["Belarus", "Russia"])
    assert run(lookup.dispute, gas.id[:5]).title == "Price of Russian gas"
    assert run(lookup.dispute, "ds-gas").id == gas.id
    with pytest.raises(NotFound):
        run(lookup.dispute, "no-such-thing")


def test_a_reference_names_one_dispute_whatever_its_case(run):
    run(disputes.add, "Gas", ref="DS512")
    with pytest.raises(InvalidValue, match="already used"):
        run(disputes.add, "Other", ref="ds512")
    other = run(disputes.add, "Other")
    with pytest.raises(InvalidValue, match="already used"):
        run(disputes.edit, other.id, {"ref": "Ds512"})


def test_the_lifecycle_allows_reopening_but_not_ending_twice(run):
    gas = run(disputes.add, "Gas", opened="2016")
    run(disputes.change_status, gas.id, "resolved", date="2017-04-03")
    with pytest.raises(InvalidTransition):
        run(disputes.change_status, gas.id, "closed")
    reopened = run(disputes.reopen, gas.id, status="negotiating", date="2018")
    assert [s["status"] for s in reopened.status_history] == ["open", "resolved", "negotiating"]


def test_an_event_on_two_disputes_is_in_both_timelines(run):
    gas = run(disputes.add, "Gas")
    apples = run(disputes.add, "Apples")
    forum = run(events.add, [gas.id, apples.id], "2016-06-07", "Third Forum of Regions", kind="meeting")
    assert [e.id for e in run(events.all_events, gas.id)] == [forum.id]
    assert [e.id for e in run(events.all_events, apples.id)] == [forum.id]
    assert forum.disputes == (gas.id, apples.id)


def test_delete_keeps_shared_events_and_undo_brings_everything_back(run):
    gas = run(disputes.add, "Gas")
    apples = run(disputes.add, "Apples")
    run(events.add, [gas.id, apples.id], "2016-06-07", "Forum")
    own = run(events.add, [gas.id], "2016", "Gas talks")
    run(relations.link, gas.id, apples.id, "relates")
    with pytest.raises(InvalidValue, match="--cascade"):
        run(disputes.delete, gas.id)
    run(disputes.delete, gas.id, cascade=True)
    assert [e.title for e in run(events.all_events)] == ["Forum"]
    assert run(relations.of, apples.id) == []
    run(history.undo)
    assert {e.id for e in run(events.all_events, gas.id)} >= {own.id}
    assert [link["id"] for link in run(relations.of, apples.id)] == [gas.id]


def test_an_import_keeps_the_links_of_hand_written_ids(run):
    data = {
        "disputes": [{"id": "gas", "title": "Gas"}, {"id": "milk", "title": "Milk"}],
        "events": [{"date": "2016", "title": "Talks", "disputes": ["gas", "milk"]}],
    }
    added = run(store_json.import_store, data)
    assert (added["disputes"], added["events"]) == (2, 1)
    (talks,) = run(events.all_events)
    titles = {run(lookup.dispute, d).title for d in talks.disputes}
    assert titles == {"Gas", "Milk"}
    assert [e["action"] for e in run(history.entries)] == ["import"]


def test_a_prefix_of_two_ids_is_ambiguous(run):
    made = [run(disputes.add, f"Dispute {n}") for n in range(40)]
    first_letters = [d.id[0] for d in made]
    shared = next(letter for letter in first_letters if first_letters.count(letter) > 1)
    with pytest.raises(Ambiguous):
        run(lookup.dispute_id, shared)


def test_a_change_is_described_once(run):
    def described_twice(store):
        disputes.add(store, "Gas")
        disputes.add(store, "Milk")

    with pytest.raises(RuntimeError, match="described twice"):
        run(described_twice)


@pytest.mark.parametrize("by_id", [relations.BY_ID, 0])
def test_a_dispute_s_links_name_the_others_by_title_read_by_id_or_all_at_once(run, monkeypatch, by_id):
    monkeypatch.setattr(relations, "BY_ID", by_id)
    gas = run(disputes.add, "Gas")
    apples = run(disputes.add, "Apples")
    milk = run(disputes.add, "Milk")
    run(relations.link, gas.id, apples.id, "blocks")
    run(relations.link, milk.id, gas.id, "part-of")
    links = run(relations.of, gas.id)
    assert {(link["id"], link["title"]) for link in links} == {(apples.id, "Apples"), (milk.id, "Milk")}
