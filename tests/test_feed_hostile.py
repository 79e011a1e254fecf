"""Issue 42, the feed's part: `fetch gdelt` against a mirror that serves hostile file lists
and files (a local HTTP server on 127.0.0.1), and the merge of a story's rows in linear work.

Each test names the bug it pins. Time bounds are small (`--timeout 2`) and bounds that would
need a huge file are met by a small file that crosses them (a few MB expanding 1000:1)."""

from __future__ import annotations

import hashlib
import json
import time
import zipfile

import pytest
import test_feed
from conftest import assert_one_error_line
from test_feed import Mirror, _Handler

from disputes.store.database import open_store

mirror, watched = test_feed.mirror, test_feed.watched  # the feed's fixtures, shared

OLD = "20160607120000"  # the files this feed serves are of June 2016
GOOD_ROW_IDS = 750_000_001


def publish_payload(served: Mirror, name: str, payload: bytes, *, extra: tuple[str, ...] = ()) -> None:
    """A file of any bytes published under `name` with its true size and MD5, and the lists
    rewritten with `extra` lines (hostile ones) among the good."""
    (served.folder / name).write_bytes(payload)
    served.files.append((len(payload), hashlib.md5(payload).hexdigest(), name))
    write_lists(served, extra)


def write_lists(served: Mirror, extra: tuple[str, ...] = ()) -> None:
    lines = [f"{size} {digest} http://data.gdeltproject.org/gdeltv2/{n}" for size, digest, n in served.files]
    (served.folder / "masterfilelist.txt").write_text("\n".join([*extra, *lines]) + "\n")
    (served.folder / "lastupdate.txt").write_text("\n".join([*extra, lines[-1]]) + "\n")


def fetched(cli) -> list[str]:
    return sorted(f["name"] for f in json.loads(cli("export").stdout)["fetched"])


HOSTILE_LINES = (
    f"\u00b2\u00b3 {'a' * 32} http://x/gdeltv2/20160607114500.export.CSV.zip",  # superscript digits: isdigit()
    f"{'9' * 5000} {'a' * 32} http://x/gdeltv2/20160607113000.export.CSV.zip",  # past int()'s 4,300 digits
    f"100 {'a' * 32} http://x/gdeltv2/99999999999999.export.CSV.zip",  # a moment that never was
    f"100 {'a' * 32} http://x/gdeltv2/20991231234500.export.CSV.zip",  # a moment still to come
)


def test_a_list_of_superscript_sizes_huge_sizes_and_impossible_names_is_read_past_not_an_internal_error(
    cli, watched, mirror
):
    mirror.publish(OLD, GOOD_ROW_IDS)
    write_lists(mirror, HOSTILE_LINES)
    done = cli("fetch", "gdelt", "--url", mirror.url)
    assert f"Fetched {OLD}.export.CSV.zip" in done.stdout
    assert "internal error" not in done.stderr
    assert "lastupdate.txt: 4 bad lines passed over" in done.stderr  # counted, said once, on stderr
    assert fetched(cli) == [f"{OLD}.export.CSV.zip"]  # never remembered, never the high-water mark
    mirror.publish("20160607121500", GOOD_ROW_IDS + 100)
    write_lists(mirror, HOSTILE_LINES)
    assert "Fetched 20160607121500.export.CSV.zip" in cli("fetch", "gdelt", "--url", mirror.url).stdout


def test_a_future_dated_name_silently_stopped_the_feed(cli, watched, mirror):
    mirror.publish(OLD, GOOD_ROW_IDS)
    write_lists(mirror, (f"100 {'b' * 32} http://x/gdeltv2/20991231234500.export.CSV.zip",))
    cli("fetch", "gdelt", "--url", mirror.url)
    mirror.publish("20160607121500", GOOD_ROW_IDS + 100)
    assert "Fetched 20160607121500.export.CSV.zip" in cli("fetch", "gdelt", "--url", mirror.url).stdout


@pytest.mark.parametrize("remembered", ["99999999999999", "20991231234500", "2016060712"])
def test_a_store_that_remembers_an_impossible_name_from_the_old_bug_fetches_on(
    cli, watched, mirror, store_path, remembered
):
    with open_store(store_path, write=True) as store:  # as an older version left it
        name = f"{remembered}.export.CSV.zip"
        store.put("fetched", name, {"name": name, "stamp": remembered, "size": 100, "md5": "a" * 32})
        store.describe("fetch", f"fetched {name}")
    mirror.publish(OLD, GOOD_ROW_IDS)
    assert f"Fetched {OLD}.export.CSV.zip" in cli("fetch", "gdelt", "--url", mirror.url).stdout
    mirror.publish("20160607121500", GOOD_ROW_IDS + 100)
    mirror.publish("20160607123000", GOOD_ROW_IDS + 200)  # behind: the master list fills the gap
    said = cli("fetch", "gdelt", "--url", mirror.url).stdout
    assert "Fetched 20160607121500" in said and "Fetched 20160607123000" in said
    assert cli("doctor", expect=None).exit_code == 0


def test_a_list_with_one_line_longer_than_a_mebibyte_is_read_a_line_at_a_time(cli, watched, mirror):
    mirror.publish(OLD, GOOD_ROW_IDS)
    write_lists(mirror, ("9" * (3 << 20),))  # scaled down from 300 MB, which took 1.3 GB
    done = cli("fetch", "gdelt", "--url", mirror.url)
    assert f"Fetched {OLD}.export.CSV.zip" in done.stdout
    assert "longer than 1,048,576 bytes" in done.stderr


def test_a_list_of_bad_lines_only_is_one_line_naming_the_first(cli, watched, mirror):
    (mirror.folder / "lastupdate.txt").write_text("\n".join(HOSTILE_LINES) + "\n")
    assert_one_error_line(cli("fetch", "gdelt", "--url", mirror.url, expect=2), "lastupdate.txt line 1", "is --url")


class _Dripping(_Handler):
    """Promises a whole zip, then sends it one byte every half second (every read succeeds)."""

    def do_GET(self):
        if not self.path.endswith(".zip"):
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(60):
                self.wfile.write(b"P")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:  # the client hung up, as it should
            pass


@pytest.fixture
def dripping(tmp_path):
    folder = tmp_path / "dripping"
    folder.mkdir()
    served = Mirror(folder, _Dripping)
    yield served
    served.server.shutdown()


def test_a_server_dripping_a_byte_at_a_time_held_fetch_for_hours(cli, watched, dripping, store_path):
    dripping.publish(OLD, GOOD_ROW_IDS)
    before = store_path.read_bytes()
    done = cli("fetch", "gdelt", "--url", dripping.url, "--timeout", "2", expect=1)
    assert_one_error_line(done, f"{OLD}.export.CSV.zip did not arrive within 2 s", "--timeout")
    assert store_path.read_bytes() == before


def test_a_timeout_that_is_no_number_of_seconds_is_refused(cli, watched, mirror):
    for given in ("0", "-1", "nan", "inf"):
        assert_one_error_line(cli("fetch", "gdelt", "--url", mirror.url, "--timeout", given, expect=2), "--timeout")


def zip_of(member: str, payload: bytes) -> bytes:
    import io

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, payload)
    return packed.getvalue()


def test_a_zip_of_empty_lines_expanding_a_thousandfold_was_read_to_its_end(cli, watched, mirror, store_path):
    before = store_path.read_bytes()
    publish_payload(mirror, f"{OLD}.export.CSV.zip", zip_of(f"{OLD}.export.CSV", b"\n" * (64 << 20)))
    done = cli("fetch", "gdelt", "--url", mirror.url, expect=1)
    assert_one_error_line(done, f"{mirror.url}/{OLD}.export.CSV.zip would expand to 67,108,864 bytes", "200:1")
    assert store_path.read_bytes() == before and fetched(cli) == []


def test_a_zip_whose_member_expands_past_the_size_it_declares_is_held_to_it(cli, watched, mirror, store_path):
    import os

    payload = os.urandom(1 << 20)  # incompressible: well within 200:1
    packed = bytearray(zip_of(f"{OLD}.export.CSV", payload))
    declared = (1 << 10).to_bytes(4, "little")  # the member says it is 1 KiB
    local = packed.index(b"PK\x03\x04")
    packed[local + 22 : local + 26] = declared
    central = packed.index(b"PK\x01\x02")
    packed[central + 24 : central + 28] = declared
    before = store_path.read_bytes()
    publish_payload(mirror, f"{OLD}.export.CSV.zip", bytes(packed))
    done = cli("fetch", "gdelt", "--url", mirror.url, expect=1)
    assert_one_error_line(done, f"{mirror.url}/{OLD}.export.CSV.zip", "the mirror's file is bad")
    assert store_path.read_bytes() == before


def test_a_bad_zip_from_the_mirror_was_said_of_a_temporary_path_with_advice_that_cannot_help(
    cli, watched, mirror, store_path
):
    before = store_path.read_bytes()
    publish_payload(mirror, f"{OLD}.export.CSV.zip", b"PK\x03\x04 not a zip at all")
    done = cli("fetch", "gdelt", "--url", mirror.url, expect=1)
    assert_one_error_line(
        done, f"{mirror.url}/{OLD}.export.CSV.zip is not a readable zip file", "the mirror's file is bad"
    )
    assert "disputes-fetch-" not in done.stderr and "download it again" not in done.stderr
    assert "--since 20160607121500" in done.stderr  # how to go on without it
    assert store_path.read_bytes() == before


def test_since_a_day_meant_one_past_one_and_a_partial_until_meant_its_start(cli, watched, mirror):
    for number, stamp in enumerate(
        ("20160630234500", "20160701000000", "20160701004500", "20160731234500", "20160801000000")
    ):
        mirror.publish(stamp, GOOD_ROW_IDS + 100 * number)
    listed = cli.json("fetch", "gdelt", "--url", mirror.url, "--since", "2016-07-01", "--until", "2016-07", "--dry-run")
    assert [f["file"][:14] for f in listed] == ["20160701000000", "20160701004500", "20160731234500"]
    whole_year = cli.json("fetch", "gdelt", "--url", mirror.url, "--since", "2016", "--until", "2016", "--dry-run")
    assert len(whole_year) == 5


@pytest.mark.parametrize("given", ["2016-13-45", "2016-02-30", "2016-06-07T24:00", "0000", "2016-13"])
def test_an_impossible_since_or_until_was_accepted(cli, watched, mirror, given):
    mirror.publish(OLD, GOOD_ROW_IDS)
    for option in ("--since", "--until"):
        assert_one_error_line(cli("fetch", "gdelt", "--url", mirror.url, option, given, expect=2), given)


class _Counted(str):
    """A row's reference that counts how often it is hashed or compared: the merge's work."""

    work = 0

    def __hash__(self):
        _Counted.work += 1
        return str.__hash__(self)

    def __eq__(self, other):
        _Counted.work += 1
        return str.__eq__(self, other)


def merge_work(rows: int) -> int:
    from disputes.ops.interchange.eventdata import Story

    _Counted.work = 0
    story = Story({"mentions": 1}, {"d1"}, _Counted("gdelt:0"))
    for number in range(1, rows):
        story.add({"mentions": 1}, {"d1"}, _Counted(f"gdelt:{number}"))
    assert len(story.refs) == rows and story.fields["mentions"] == rows
    return _Counted.work


def test_the_rows_of_one_story_were_merged_in_quadratic_work():
    assert merge_work(4000) <= 2.2 * merge_work(2000)  # linear: twice the rows, twice the work


def test_a_story_of_many_rows_is_one_event_with_every_id(cli, watched, tmp_path):
    from test_feed import GDELT1

    story = GDELT1.read_text().splitlines()[0].split("\t")
    rows = []
    for number in range(3000):
        story[0] = str(800_000_000 + number)
        rows.append("\t".join(story))
    day = tmp_path / "20160607.export.CSV"
    day.write_text("\n".join(rows) + "\n")
    assert cli.json("import", str(day))["added"] == 1
    event = next(e for e in cli.json("event", "list") if e.get("refs"))
    assert len(event["refs"]) == 3000 and event["mentions"] == 3000 * int(story[31])


def _lying_zip() -> bytes:
    import os

    packed = bytearray(zip_of(f"{OLD}.export.CSV", os.urandom(64 << 10)))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # it says it holds 1 KiB
        at = packed.index(signature) + offset
        packed[at : at + 4] = (1 << 10).to_bytes(4, "little")
    return bytes(packed)


def _two_members() -> bytes:
    import io

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("a.export.CSV", "x")
        archive.writestr("b.export.CSV", "y")
    return packed.getvalue()


FILES = {  # what the mirror may serve as an export: each listed with its true size and MD5
    "good": lambda: zip_of(f"{OLD}.export.CSV", test_feed.export_rows(GOOD_ROW_IDS).encode()),
    "junk": lambda: b"PK\x03\x04 not a zip",
    "thousandfold": lambda: zip_of(f"{OLD}.export.CSV", b"\n" * (4 << 20)),
    "lying": _lying_zip,
    "two members": _two_members,
    "empty member": lambda: zip_of(f"{OLD}.export.CSV", b""),
    "not gdelt": lambda: zip_of(f"{OLD}.export.CSV", b"a,b,c\n1,2,3\n"),
    "binary": lambda: zip_of(f"{OLD}.export.CSV", bytes(range(256)) * 64),
}
LIST_LINES = (
    *HOSTILE_LINES,
    "",
    "not a list line",
    "\x00\xff",
    "9" * ((1 << 20) + 10),
    f"100 {'c' * 32} http://x/gdeltv2/{OLD}.mentions.CSV.zip",
    f"100 {'c' * 32} http://x/gdeltv2/../../etc/passwd.export.CSV.zip",
    f"100 {'c' * 32} http://x/gdeltv2/2016060712000.export.CSV.zip",
)
FETCH_WORDS = [
    "--since", "--until", "--dry-run", "--json", "--keep-duplicates", "2016", "2016-06", "2016-06-07",
    "2016-06-07T12:15", "20160607120000", "2016-13-45", "99999999999999", "0000", "nan", "-1", "", "\u00b2",
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile_files() -> dict[str, bytes]:
    return {name: make() for name, make in FILES.items()}


def test_fuzzed_fetch_lines_against_a_hostile_mirror_never_crash_or_corrupt(
    cli, watched, mirror, store_path, hostile_files
):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        served=st.sampled_from(sorted(hostile_files)),
        md5_right=st.booleans(),
        size_shift=st.sampled_from([0, 0, 0, -1, 1]),
        stamp=st.sampled_from([OLD, "20160607121500", "20160701000000"]),
        extra=st.lists(st.sampled_from(LIST_LINES), max_size=3),
        master_only=st.booleans(),
        args=st.lists(st.one_of(st.sampled_from(FETCH_WORDS), st.text(max_size=8)), max_size=5),
    )
    def fuzzed(served, md5_right, size_shift, stamp, extra, master_only, args):
        payload = hostile_files[served]
        name = f"{stamp}.export.CSV.zip"
        (mirror.folder / name).write_bytes(payload)
        digest = hashlib.md5(payload).hexdigest() if md5_right else "0" * 32
        line = f"{len(payload) + size_shift} {digest} http://data.gdeltproject.org/gdeltv2/{name}"
        (mirror.folder / "masterfilelist.txt").write_text("\n".join([*extra, line]) + "\n")
        (mirror.folder / "lastupdate.txt").write_text("\n".join([*extra, *([] if master_only else [line])]) + "\n")
        before = store_path.read_bytes()
        result = cli("fetch", "gdelt", "--url", mirror.url, *args, "--timeout", "2", expect=None)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        assert "internal error" not in result.stderr, (served, extra, args, result.stderr)
        assert "disputes-fetch-" not in result.stderr  # never a temporary path
        if result.exit_code != 0:
            assert store_path.read_bytes() == before, (served, args)
            assert len(result.stderr.strip().splitlines()) == 1, (served, args, result.stderr)
        else:
            assert cli("doctor", expect=None).exit_code == 0, (served, args)

    fuzzed()
