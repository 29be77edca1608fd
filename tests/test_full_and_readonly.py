"""Full disks and read-only stores: one line naming the file and the fix, exit code 2, nothing stored lost.

How the faults are made, for real and on any machine:
- a full store: SQLite's ``max_page_count``, which SQLite answers with a real SQLITE_FULL ("database or
  disk is full"). SQLite keeps it per connection, so a command runs in a child process that sets it on
  every connection it opens (``CAPPED``): the store then fills like a disk with that many pages left;
- a full disk under a file: ``/dev/full`` opens and then refuses every byte with ENOSPC;
- a disk that takes part of a write: ``RLIMIT_FSIZE``, at which the kernel writes what fits, then EFBIG;
- a read-only store: its folder and files without write permission. Root writes them anyway, so as
  root the command runs as the unprivileged uid 65534; otherwise as this user. Both ways run the
  same test, and the folder is one other users may enter (pytest's own is private to its user).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

import pytest

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
