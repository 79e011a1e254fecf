"""Issue 28: event data as it is published -- zipped and gzipped files, GDELT 2.0's feed
followed from a local HTTP server (a mirror of the file lists and zipped exports), one story
one event, and the CAMEO codebook looked up."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import assert_one_error_line

DATA = Path(__file__).parent / "data"
GDELT2 = DATA / "gdelt-2.0-20160607120000.export.CSV"
GDELT1 = DATA / "gdelt-1.0-20160607.export.CSV"


@pytest.fixture
def watched(cli):
    cli("seed")
    cli("watch", "fr45", "--actors", "BLR,RUS")


def export_rows(first_id: int) -> str:
    """GDELT 2.0 rows of the fixture with fresh ids (each 15-minute file has its own)."""
    rows = [line.split("\t") for line in GDELT2.read_text().splitlines()]
    for number, row in enumerate(rows):
        row[0] = str(first_id + number)
    return "\n".join("\t".join(row) for row in rows) + "\n"


def zipped(folder: Path, stamp: str, first_id: int) -> tuple[str, bytes]:
    name = f"{stamp}.export.CSV.zip"
    with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stamp}.export.CSV", export_rows(first_id))
    return name, (folder / name).read_bytes()


class Mirror:
    """A folder of zipped exports and the two file lists, served over HTTP on this machine."""

    def __init__(self, folder: Path, handler_class: type | None = None):
        self.folder, self.files = folder, []
        handler = lambda *args: (handler_class or _Handler)(*args, directory=str(folder))  # noqa: E731
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gdeltv2"

    def publish(self, stamp: str, first_id: int, *, md5: str | None = None) -> str:
        name, payload = zipped(self.folder, stamp, first_id)
        self.files.append((len(payload), md5 or hashlib.md5(payload).hexdigest(), name))
        lines = [f"{size} {digest} http://data.gdeltproject.org/gdeltv2/{n}" for size, digest, n in self.files]
        mentions = f"99 {'0' * 32} http://data.gdeltproject.org/gdeltv2/{stamp}.mentions.CSV.zip"
        (self.folder / "masterfilelist.txt").write_text("\n".join([*lines, mentions]) + "\n")
        (self.folder / "lastupdate.txt").write_text(lines[-1] + "\n" + mentions + "\n")
        return name


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        return super().translate_path(path.replace("/gdeltv2", "", 1))

    def do_GET(self):
        mode = Path(self.directory) / "mode"
        if mode.exists() and mode.read_text() == "drop" and self.path.endswith(".zip"):
            self.send_response(200)  # promise the whole file, send a little, hang up
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"PK\x03\x04 half a file")
            self.wfile.flush()
            self.connection.close()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def mirror(tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    served = Mirror(folder)
    yield served
    served.server.shutdown()


def test_fetch_follows_the_feed_each_file_once(cli, watched, mirror):
    mirror.publish("20160607120000", 700_000_001)
    first = json.loads(cli("fetch", "gdelt", "--url", mirror.url, "--json").stdout)
    assert [f["file"] for f in first] == ["20160607120000.export.CSV.zip"] and first[0]["added"] >= 1
    assert "Nothing new to fetch." in cli("fetch", "gdelt", "--url", mirror.url).stdout
    mirror.publish("20160607121500", 700_000_101)
    mirror.publish("20160607123000", 700_000_201)  # two new files: the master list fills the gap
    said = cli("fetch", "gdelt", "--url", mirror.url).stdout
    assert "Fetched 20160607121500.export.CSV.zip" in said and "Fetched 20160607123000.export.CSV.zip" in said
    exported = json.loads(cli("export").stdout)
    assert sorted(f["name"] for f in exported["fetched"]) == [
        "20160607120000.export.CSV.zip",
        "20160607121500.export.CSV.zip",
        "20160607123000.export.CSV.zip",
    ]


def test_fetch_a_range_and_a_dry_run(cli, watched, mirror):
    for number, stamp in enumerate(("20160607120000", "20160607121500", "20160607123000")):
        mirror.publish(stamp, 710_000_001 + 100 * number)
    listed = json.loads(
        cli(
            "fetch", "gdelt", "--url", mirror.url, "--since", "2016-06-07T12:10", "--until", "2016-06-07T12:20",
            "--dry-run", "--json",
        ).stdout
    )  # fmt: skip
    assert [f["file"] for f in listed] == ["20160607121500.export.CSV.zip"] and not listed[0]["imported"]
    assert json.loads(cli("export").stdout)["fetched"] == []
    assert_one_error_line(
        cli("fetch", "gdelt", "--url", mirror.url, "--since", "2016-06-08", "--until", "2016-06-07", expect=2),
        "is after --until",
    )


def test_a_damaged_download_is_refused_and_nothing_of_it_imported(cli, watched, mirror, store_path):
    mirror.publish("20160607120000", 720_000_001, md5="0" * 32)
    before = store_path.read_bytes()
    result = cli("fetch", "gdelt", "--url", mirror.url, expect=2)
    assert_one_error_line(result, "20160607120000.export.CSV.zip does not match its list", "nothing of it was imported")
    assert store_path.read_bytes() == before


def test_a_dropped_connection_is_one_line_and_earlier_files_stay(cli, watched, mirror):
    mirror.publish("20160607120000", 730_000_001)
    cli("fetch", "gdelt", "--url", mirror.url)
    mirror.publish("20160607121500", 730_000_101)
    (mirror.folder / "mode").write_text("drop")
    dropped = cli("fetch", "gdelt", "--url", mirror.url, expect=None)
    assert dropped.exit_code in (1, 2)  # a refused half file, or a download that failed: said in one line
    assert_one_error_line(dropped, "20160607121500.export.CSV.zip")
    assert [f["name"] for f in json.loads(cli("export").stdout)["fetched"]] == ["20160607120000.export.CSV.zip"]


def test_an_unreachable_mirror_and_a_malformed_list_are_one_line(cli, watched, mirror):
    assert_one_error_line(cli("fetch", "gdelt", "--url", "http://127.0.0.1:9/gdeltv2", expect=1), "cannot download")
    (mirror.folder / "lastupdate.txt").write_text("not a list line\n")
    assert_one_error_line(cli("fetch", "gdelt", "--url", mirror.url, expect=2), "lastupdate.txt line 1")


def test_zipped_and_gzipped_files_import_as_published(cli, watched, tmp_path):
    plain = json.loads(cli("import", str(GDELT1), "--dry-run", "--json").stdout)
    name, _ = zipped(tmp_path, "20160607120000", 740_000_001)
    from_zip = json.loads(cli("import", str(tmp_path / name), "--dry-run", "--json").stdout)
    assert from_zip["format"] == "gdelt" and from_zip["rows"] == 2
    packed = tmp_path / "20160607.export.CSV.gz"
    packed.write_bytes(gzip.compress(GDELT1.read_bytes()))
    assert json.loads(cli("import", str(packed), "--dry-run", "--json").stdout)["added"] == plain["added"]
    (tmp_path / "cut.export.CSV.gz").write_bytes(packed.read_bytes()[:200])
    assert_one_error_line(cli("import", str(tmp_path / "cut.export.CSV.gz"), expect=2), "is damaged")
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.writestr("a.CSV", "x")
        archive.writestr("b.CSV", "y")
    assert_one_error_line(cli("import", str(tmp_path / "two.zip"), expect=2), "holds 2 files")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    assert_one_error_line(cli("import", str(tmp_path / "junk.zip"), expect=2), "not a readable zip")


def test_rows_of_one_story_are_one_event(cli, watched, tmp_path):
    rows = [line.split("\t") for line in GDELT1.read_text().splitlines()]
    story = rows[0]
    again = [*story]
    again[0], again[31] = "498552901", "5"  # the same story, coded from another article
    day = tmp_path / "20160607.export.CSV"
    day.write_text("\n".join("\t".join(row) for row in [*rows, again]) + "\n")
    imported = json.loads(cli("import", str(day), "--json").stdout)
    event = next(e for e in cli.json("event", "list") if "498552801" in e["ref"])
    assert event["refs"] == ["gdelt:498552801", "gdelt:498552901"] and event["mentions"] == 12 + 5
    assert json.loads(cli("import", str(day), "--json").stdout)["added"] == 0  # idempotent
    separate = tmp_path / "kept.json"
    cli("--db", str(separate), "seed")
    cli("--db", str(separate), "watch", "fr45", "--actors", "BLR,RUS")
    kept = json.loads(cli("--db", str(separate), "import", str(day), "--keep-duplicates", "--json").stdout)
    assert kept["added"] == imported["added"] + 1


def test_cameo_answers(cli):
    found = cli.json("cameo", "search", "sanction")
    assert "163" in [c["code"] for c in found]
    shown = cli.json("cameo", "show", "16")
    assert shown["name"] == "REDUCE RELATIONS" and "163" in [c["code"] for c in shown["children"]]
    assert_one_error_line(cli("cameo", "show", "99", expect=2), "unknown CAMEO code")
    assert "No CAMEO code" in cli("cameo", "search", "zebra").stdout
