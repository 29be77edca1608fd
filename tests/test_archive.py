"""The WARC archive: records read back by offset, with their provenance, by warcio."""

from __future__ import annotations

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive import Archive, read
from crawler.errors import StoreError
from crawler.http import Response


def response(number: int) -> Response:
    body = f"<html><body>第{number}页 人大紫阳街工委</body></html>".encode()
    return Response(url=f"http://wcrd.example/zyfb/003005/{number}.html", final_url="", status=200,
                    headers={"content-type": "text/html", "etag": f'"{number}"'}, content=body,
                    text="", encoding="utf-8")


def test_records_are_read_back_by_offset_with_their_provenance(tmp_path):
    """Each response comes back from its (file, offset) with URL, status, headers, body, source and category."""
    archive = Archive(tmp_path / "warc", run_id=7)
    refs = [archive.write(response(n), "wcrd", "003005" if n % 2 else None) for n in range(1, 4)]
    archive.close()

    records = [read(tmp_path / "warc", name, offset) for name, offset in refs]

    assert [(r.url, r.status, r.headers["etag"], r.content, r.source, r.category, r.encoding) for r in records] == [
        (response(n).url, 200, f'"{n}"', response(n).content, "wcrd", "003005" if n % 2 else None, "utf-8")
        for n in range(1, 4)
    ]


def test_the_file_is_an_ordinary_warc_of_response_records(tmp_path):
    """warcio reads the whole file as three response records, one gzip member each."""
    archive = Archive(tmp_path, run_id=1)
    for number in range(3):
        archive.write(response(number), "wcrd", None)
    archive.close()

    (path,) = tmp_path.glob("wrqa-000001-*.warc.gz")
    with open(path, "rb") as handle:
        types = [record.rec_type for record in ArchiveIterator(handle)]

    assert ["response"] * 3 == types


def test_a_run_that_archives_nothing_leaves_no_file(tmp_path):
    """No response, no empty WARC file."""
    Archive(tmp_path, run_id=2).close()

    assert [] == list(tmp_path.iterdir())


def test_a_missing_file_is_a_store_error_naming_it(tmp_path):
    """Reading from a WARC file that is gone names the file and suggests store.warc_dir moved."""
    with pytest.raises(StoreError) as raised:
        read(tmp_path, "wrqa-000001-x.warc.gz", 0)

    assert "wrqa-000001-x.warc.gz" in str(raised.value) and "store.warc_dir" in str(raised.value)
