"""The archive of every raw response, as compressed WARC files (warcio), for re-extraction without fetching.

One ``.warc.gz`` file a run; every record is its own gzip member, so a record is read back by seeking
to the offset the store keeps beside the document version. The body is stored decompressed, with the
headers that described the transfer (Content-Encoding, Transfer-Encoding, Content-Length) replaced by
the stored length. Records carry the source, category and charset as ``WARC-Wrqa-*`` headers.
A record the disk could take only part of is cut off again, so a file always ends with whole
records; a full or read-only disk is a ``StoreError`` naming the file (``crawler.store.storage_problem``).
It must never decide what a page means; that is the adapters' work.
"""

from __future__ import annotations

import gzip
import io
import os
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.errors import StoreError
from crawler.http import Response
from crawler.store import storage_problem


@dataclass(frozen=True)
class Record:
    """A response read back from the archive: URL, status, headers (lower-case names), body, provenance."""

    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    source: str
    category: str | None
    encoding: str


def encode(response: Response, source: str, category: str | None) -> bytes:
    """``response`` as one gzip-compressed WARC response record, ready to append to a ``.warc.gz`` file.

    Thread-safe and the costly part (digests, compression), so crawl workers call it in parallel.
    """
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    headers = [(name.title(), value) for name, value in response.headers.items()]
    if response.content:
        headers.append(("Content-Length", str(len(response.content))))
    http_headers = StatusAndHeaders(f"{response.status} {phrase}", headers, protocol=response.http_version)
    warc_headers = {"WARC-Wrqa-Source": source, "WARC-Wrqa-Encoding": response.encoding or ""}
    if category:
        warc_headers["WARC-Wrqa-Category"] = category
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    record = writer.create_warc_record(
        response.url, "response", payload=io.BytesIO(response.content), http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )
    writer.write_record(record)
    # One gzip member a record, as WARC readers expect; level 6 packs HTML nearly as tight as 9, twice as fast.
    return gzip.compress(buffer.getvalue(), compresslevel=6)


class Archive:
    """Appends responses to ``folder/wrqa-{run}-{time}.warc.gz``; ``read(file, offset)`` gets one back.

    The file is opened on the first write, so a run that fetches nothing leaves no empty file.
    """

    def __init__(self, folder: Path, run_id: int) -> None:
        self.folder = Path(folder)
        self.name = f"wrqa-{run_id:06d}-{datetime.now(UTC):%Y%m%dT%H%M%S}.warc.gz"
        self._file = None

    def write(self, response: Response, source: str, category: str | None) -> tuple[str, int]:
        """Archives ``response``; returns the (file name, offset) to read it back with."""
        return self.append(encode(response, source, category))

    def append(self, record: bytes) -> tuple[str, int]:
        """Appends a record made by ``encode``; returns its (file name, offset)."""
        if self._file is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                # unbuffered: every record reaches the OS at once, and a failed one leaves nothing pending
                self._file = open(self.folder / self.name, "ab", buffering=0)  # noqa: SIM115 - closed in close()
            except OSError as error:
                raise self._error(error) from None
        offset = self._file.tell()
        try:
            rest = memoryview(record)
            while rest:
                rest = rest[self._file.write(rest):]
        except OSError as error:
            self._take_back(offset)
            raise self._error(error) from None
        return self.name, offset

    def _take_back(self, offset: int) -> None:
        """Cut off the part of a record the disk took, so the file ends with whole records, and close it."""
        with suppress(OSError):  # /dev/full and its like cannot be truncated; they hold nothing either
            os.ftruncate(self._file.fileno(), offset)
        self._file.close()
        self._file = None

    def _error(self, error: OSError) -> StoreError:
        return StoreError(storage_problem(self.folder / self.name, error, "store.warc_dir"))

    def close(self) -> None:
        if self._file is not None:
            try:
                os.fsync(self._file.fileno())
            except OSError as error:
                raise self._error(error) from None
            finally:
                self._file.close()
                self._file = None


def read(folder: Path, name: str, offset: int) -> Record:
    """The response archived in ``folder/name`` at ``offset``."""
    path = Path(folder) / name
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            for record in ArchiveIterator(handle):
                if record.rec_type != "response":
                    continue
                warc = record.rec_headers
                http = record.http_headers
                return Record(
                    url=warc.get_header("WARC-Target-URI"),
                    status=int(http.get_statuscode()),
                    headers={name.lower(): value for name, value in http.headers},
                    content=record.content_stream().read(),
                    source=warc.get_header("WARC-Wrqa-Source") or "",
                    category=warc.get_header("WARC-Wrqa-Category"),
                    encoding=warc.get_header("WARC-Wrqa-Encoding") or "",
                )
    except OSError as error:
        raise StoreError(
            f"Cannot read the WARC file '{path}' ({error.strerror}); was store.warc_dir moved?"
        ) from None
    raise StoreError(f"No response record at offset {offset} of '{path}'; the archive is damaged")
