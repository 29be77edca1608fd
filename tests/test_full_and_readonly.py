"""Full disks and read-only stores: one line naming the file and the fix, exit code 2, nothing stored lost.

How the faults are made, for real and on any machine:
- a full store: SQLite's ``max_page_count``, which SQLite answers with a real SQLITE_FULL ("database or
  disk is full"). SQLite keeps it per connection, so a command runs in a child process that sets it on
  every connection it opens (``CAPPED``): the store then fills like a disk with that many pages left;
- a full disk under a file: ``/dev/full`` opens and then refuses every byte with ENOSPC;
- a disk that takes part of a write: ``RLIMIT_FSIZE``, at which the kernel writes what fits, then EFBIG;
- a read-only store: its folder and files without write permission, for their owner too. Root writes
  them anyway through its capabilities, so as root the command gives them up first (``AS_OWNER``) and
  is then held to the modes like any owner; as another user it runs as it is. (Another uid instead of
  root would not do: the interpreter may live in root's private home, as pyenv puts it.)
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from modes import AS_OWNER

from crawler.archive import Archive, encode, read
from crawler.errors import StoreError
from crawler.http import Response


def response(number: int) -> Response:
    body = f"<html><body>第{number}页 人大紫阳街工委{'正文。' * 200}</body></html>".encode()
    return Response(url=f"http://wcrd.example/zyfb/003005/{number}.html", final_url="", status=200,
                    headers={"content-type": "text/html"}, content=body, text="", encoding="utf-8")


def test_a_full_disk_under_the_archive_is_one_sentence_naming_the_file(tmp_path):
    """The WARC file is /dev/full: it opens, then writing fails with ENOSPC, as on a full disk."""
    folder = tmp_path / "warc"
    archive = Archive(folder, run_id=1)
    folder.mkdir()
    (folder / archive.name).symlink_to("/dev/full")

    with pytest.raises(StoreError) as raised:
        archive.write(response(1), "wcrd", None)
    archive.close()

    expected = (f"disk full: cannot write '{folder / archive.name}'; free space on the disk holding '{folder}' "
                "or move store.warc_dir")
    assert expected == str(raised.value)


ARCHIVE_TWO = """
import sys
from pathlib import Path
from crawler.archive import Archive
from crawler.errors import StoreError
archive = Archive(Path(sys.argv[1]), run_id=1)
first, second = (Path(sys.argv[1]) / name for name in sys.argv[2:4])
print(archive.append(first.read_bytes())[1])
try:
    archive.append(second.read_bytes())
except StoreError as error:
    print(error)
archive.close()
"""


def test_a_record_the_disk_took_only_part_of_is_taken_back(tmp_path):
    """When the disk takes half a record, the file is cut back to the whole records before it, which read back."""
    folder = tmp_path / "warc"
    folder.mkdir()
    records = [encode(response(number), "wcrd", None) for number in (1, 2)]
    for number, record in enumerate(records):
        (folder / f"record-{number}").write_bytes(record)
    limit = len(records[0]) + len(records[1]) // 2

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death; kept across exec

    child = subprocess.run([sys.executable, "-c", ARCHIVE_TWO, str(folder), "record-0", "record-1"],
                           capture_output=True, text=True, preexec_fn=limited, timeout=60,
                           env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    (warc,) = folder.glob("wrqa-*.warc.gz")

    expected = (f"0\nfile too large: cannot write '{warc}' beyond the size this system allows a file; "
                "move store.warc_dir to a disk without that limit\n", "", len(records[0]), response(1).content)
    assert expected == (child.stdout, child.stderr, warc.stat().st_size, read(folder, warc.name, 0).content)


# --- the commands, as a user runs them, on a store crawled and judged once -------------------------------


CAPPED = """
import sqlite3
connect = sqlite3.connect
def capped(*args, **kwargs):  # SQLite keeps max_page_count per connection: every connection gets one
    db = connect(*args, **kwargs)
    (count,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {{count + {pages}}}")
    return db
sqlite3.connect = capped
"""


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """A folder with config.toml and var/ holding a store crawled from the replica and judged once by
    'wrqa run', and results.json: 'wrqa validate --stored --format json' of it (texts left out)."""
    from crawler.replica.server import serve

    folder = tmp_path_factory.mktemp("judged")
    with serve() as replica:
        (folder / "config.toml").write_text(
            '[store]\npath = "var/store.sqlite3"\nwarc_dir = "var/warc"\n[report]\ndir = "report"\n'
            '[crawl]\ndelay = 0\nretries = 0\n[validate]\nsuite = "pandera"\n'
            f'[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "{replica.base_urls["epoint"]}"\n'
            'lists = ["zyfb/003005", "dbgz/004002"]\n'
            f'[[sources]]\nname = "hppc"\nkind = "hppc"\nbase_url = "{replica.base_urls["hppc"]}"\n'
            'lists = ["list.php?catid=8"]\n', encoding="utf-8")
        assert 1 == wrqa(folder, "run").returncode
        assert 1 == wrqa(folder, "validate", "--stored", "--format", "json", "-o", "results.json").returncode
        yield folder


@pytest.fixture
def folder(judged, tmp_path):
    """A copy of the judged folder, made writable again after the test so that it can be removed."""
    import shutil

    copy = tmp_path / "wrqa"
    shutil.copytree(judged, copy)
    yield copy
    for path in (copy, *copy.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)


def make_read_only(folder: Path) -> None:
    """No write permission on the folder, anything in it, or anything below, for anyone."""
    for path in sorted((folder, *folder.rglob("*")), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)


def wrqa(folder: Path, *args: str, read_only: bool = False,
         pages: int | None = None) -> subprocess.CompletedProcess:
    """``wrqa ARGS --config folder/config.toml`` run in ``folder``: held to file modes if ``read_only``, with
    every SQLite connection allowed ``pages`` more pages if given."""
    code = ((AS_OWNER if read_only else "") + (CAPPED.format(pages=pages) if pages else "")
            + "from wrqa.cli import main\nmain(prog_name='wrqa')\n")
    return subprocess.run([sys.executable, "-c", code, *args, "--config", str(folder / "config.toml")],
                          cwd=folder, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"})


def exported(folder: Path) -> list[dict]:
    import json

    child = wrqa(folder, "export")
    assert (0, "") == (child.returncode, child.stderr)
    return [json.loads(line) for line in child.stdout.splitlines()]


def without_next_run(child: subprocess.CompletedProcess) -> tuple:
    """A command's exit code, output and errors; for 'status --json', without the next run's time."""
    import json

    if child.args[3:5] == ["status", "--json"] and child.returncode == 0:
        state = json.loads(child.stdout)
        state.pop("next_run")
        return child.returncode, state, child.stderr
    return child.returncode, child.stdout, child.stderr


@pytest.mark.parametrize(("args", "leftovers"), [
    pytest.param(("status", "--json"), False, id="status"),
    pytest.param(("export",), False, id="export"),
    pytest.param(("export",), True, id="export, with the -shm and -wal a reader leaves"),
    pytest.param(("validate", "--stored"), False, id="validate --stored"),
    pytest.param(("report", "-i", "results.json", "-o", "{out}"), False, id="report"),
])
def test_a_reading_command_answers_on_a_read_only_store_as_on_a_writable_one(folder, tmp_path, args, leftovers):
    """The same exit code, output and (empty) errors, in a folder that cannot be written."""
    import shutil

    out = tmp_path / "out"  # where 'wrqa report' writes, outside the read-only folder
    args = tuple(arg.format(out=out) for arg in args)
    writable = without_next_run(wrqa(folder, *args))
    if not leftovers:
        for extra in folder.glob("var/store.sqlite3-*"):
            extra.unlink()
    shutil.rmtree(out, ignore_errors=True)
    make_read_only(folder)

    assert writable == without_next_run(wrqa(folder, *args, read_only=True))


@pytest.mark.parametrize(("args", "written", "reason"), [
    pytest.param(("crawl",), "store.sqlite3", "attempt to write a readonly database", id="crawl"),
    pytest.param(("run",), "store.sqlite3.run.lock", "Permission denied", id="run"),
    pytest.param(("reextract",), "store.sqlite3", "attempt to write a readonly database", id="reextract"),
    pytest.param(("daemon", "--every", "60"), "store.sqlite3.daemon.lock", "Permission denied", id="daemon"),
])
def test_a_writing_command_refuses_a_read_only_store_in_one_line(folder, args, written, reason):
    """One line naming the file and the fix, exit code 2, and the store as it was."""
    before = exported(folder)
    make_read_only(folder)

    child = wrqa(folder, *args, read_only=True)

    var = folder / "var"
    expected = (2, "", f"wrqa: read-only: cannot write '{var / written}' ({reason}); make '{var}' writable "
                       "for this user or move store.path\n", before)
    assert expected == (child.returncode, child.stdout, child.stderr, exported(folder))


def test_a_full_disk_mid_crawl_leaves_every_stored_document_whole_and_the_next_crawl_completes(judged, folder):
    """'wrqa crawl' ends with one line and exit 2; what it stored is whole and once; the next crawl stores the rest."""
    import shutil

    every = {document["url"]: document for document in exported(judged)}
    shutil.rmtree(folder / "var")  # nothing crawled yet

    child = wrqa(folder, "crawl", pages=40)
    kept = exported(folder)
    resumed = wrqa(folder, "crawl")

    var = folder / "var"
    expected = ((2, f"wrqa: disk full: cannot write '{var / 'store.sqlite3'}'; free space on the disk holding "
                    f"'{var}' or move store.path\n"), True, [every[document["url"]] for document in kept],
                0, sorted(every))
    actual = ((child.returncode, child.stderr), 0 < len(kept) < len(every), [
        {**document, "fetched_at": every[document["url"]]["fetched_at"]} for document in kept],
        resumed.returncode, sorted(document["url"] for document in exported(folder)))
    assert expected == actual


def test_a_full_disk_during_wrqa_run_is_one_line_and_the_status_tells_the_same_exit_code(folder):
    """'wrqa run' on a store that fills up exits 2 with one line, and 'wrqa status' records exit 2 too."""
    import json
    import shutil

    shutil.rmtree(folder / "var")  # nothing crawled yet

    child = wrqa(folder, "run", pages=40)
    last = json.loads(wrqa(folder, "status", "--json").stdout)["last_run"]

    var = folder / "var"
    expected = (2, f"wrqa: disk full: cannot write '{var / 'store.sqlite3'}'; free space on the disk holding "
                   f"'{var}' or move store.path\n", ("failed", 2))
    assert expected == (child.returncode, child.stderr, (last["status"], last["exit_code"]))


def test_the_errors_of_a_store_that_cannot_be_used_pickle_with_their_sentence(tmp_path):
    """StoreError, HistoryError and JobError, raised for real, cross a process boundary unchanged."""
    import pickle

    from crawler.store import Store
    from wrqa import history
    from wrqa.config import parse_config
    from wrqa.job import run_once

    blocked = tmp_path / "blocked"  # a file where the store's folder should be
    blocked.write_text("not a folder", encoding="utf-8")
    errors = []
    for action in (lambda: Store(blocked / "store.sqlite3"), lambda: history.connect(blocked / "store.sqlite3"),
                   lambda: run_once(parse_config({"store": {"path": str(blocked / "store.sqlite3")}}))):
        with pytest.raises(Exception) as raised:
            action()
        errors.append(raised.value)

    sentence = f"not a folder: '{blocked}' is a file where the folder of '{{}}' should be; move it or change store.path"
    expected = [("StoreError", sentence.format(blocked / "store.sqlite3")),
                ("HistoryError", sentence.format(blocked / "store.sqlite3")),
                ("JobError", sentence.format(blocked / "store.sqlite3.run.lock"))]
    assert (expected, expected) == ([(type(e).__name__, str(e)) for e in errors],
                                    [(type(e).__name__, str(e)) for e in map(pickle.loads, map(pickle.dumps, errors))])
