"""The store: an embedded SQLite database of documents with versions, crawl state, HTTP validators and runs.

Tables:
    runs       one row a crawl: when, which sources, its status and stats
    lists      per source and list, whether the list was once read to its end (``caught_up``)
    links      every article link seen on a list page, whether it is wanted (by its title, or the include
               pattern), and ``judged``: when its page, fetched once because its title did not decide, was
               found to be no street committee's (it is not fetched again, and no document)
    documents  one row a fetched URL: ``stored`` or ``failed``, its current version, ETag, Last-Modified,
               and for an attachment (a .docx, .pdf, .doc linked from a page) ``attachment_of``, that page
    versions   every distinct extraction of a URL: the ``Page`` fields as JSON, where its raw responses
               lie in the WARC archive, and for an attachment the ``reading`` of its reader (the lines are
               the page's paragraphs; encoding, PDF pages, notes, chrome and warnings as JSON), so that a
               read-only store gives its documents placed by paragraph or by page and line

A store made before a column of ``COLUMNS`` existed gets it on first open (``ALTER TABLE … ADD COLUMN``, in
one transaction, NULL in every row it had: a page, no attachment); opened read-only, the column reads as
NULL through a TEMP VIEW of the table, so nothing is written on it.

Each page is saved in one transaction, so a process killed at any moment, or a disk that fills up,
leaves every document stored once or not at all; a version is added only when the extracted content
changed. A failing disk or database (full, read-only, locked, not a database) is a ``StoreError``
whose one sentence names the file and the fix (``storage_problem``, shared with the archive and the
job's history). ``Store(path, read_only=True)`` reads without writing anything on the store, also in
a folder this user cannot write. The store never fetches and never parses HTML.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from crawler.errors import StoreError
from crawler.records import Document, Note, Page, Reading, SourceText

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER,
    sources TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',
    stats TEXT
);
CREATE TABLE IF NOT EXISTS lists (
    source TEXT NOT NULL,
    list TEXT NOT NULL,
    caught_up INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, list)
);
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    category TEXT,
    title TEXT NOT NULL,
    wanted INTEGER NOT NULL,
    first_run INTEGER,
    judged TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    category TEXT,
    status TEXT NOT NULL CHECK (status IN ('stored', 'failed')),
    version INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT,
    etag TEXT,
    last_modified TEXT,
    error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    checked_at TEXT,
    attachment_of TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    run_id INTEGER,
    page TEXT NOT NULL,
    warc TEXT NOT NULL DEFAULT '[]',
    reading TEXT,
    PRIMARY KEY (url, version)
);
"""
# Columns added since the first schema, by table: an older store gets them when it is first opened.
COLUMNS = (("links", "judged", "TEXT"), ("documents", "attachment_of", "TEXT"), ("versions", "reading", "TEXT"))


@dataclass(frozen=True)
class State:
    """What the store knows of a URL before fetching it again."""

    status: str
    version: int
    content_hash: str | None
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Stored:
    """A stored version: the page, its version number, when, where in the WARC files (name, offset), and for
    an attachment the page it is attached to and its reader's ``Reading`` (None when it could not be read)."""

    page: Page
    version: int
    fetched_at: str
    source: str
    warc: tuple[tuple[str, int], ...]
    attachment_of: str | None = None
    reading: Reading | None = None


def page_to_json(page: Page) -> str:
    data = {item.name: getattr(page, item.name) for item in fields(page)}
    for name in ("published_at", "meeting_date"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def page_from_json(text: str) -> Page:
    data = json.loads(text)
    if data["published_at"]:
        data["published_at"] = datetime.fromisoformat(data["published_at"])
    if data["meeting_date"]:
        data["meeting_date"] = date.fromisoformat(data["meeting_date"])
    data["paragraphs"] = tuple(data["paragraphs"])
    data["warnings"] = tuple(data["warnings"])
    return Page(**data)


def reading_to_json(reading: Reading) -> str:
    """What a reader made of an attachment beyond its lines (which are its page's paragraphs), as JSON."""
    return json.dumps({"encoding": reading.source.encoding, "pages": list(reading.source.pages),
                       "notes": [asdict(note) for note in reading.notes], "chrome": sorted(reading.chrome),
                       "warnings": [list(warning) for warning in reading.warnings]}, ensure_ascii=False, sort_keys=True)


def reading_from_json(text: str, page: Page) -> Reading:
    """The ``Reading`` of the attachment ``page``: its paragraphs are the reader's lines, as the reader joined them."""
    data = json.loads(text)
    lines = page.paragraphs
    source = SourceText(page.url, "\n".join(lines) + "\n", data["encoding"], lines, tuple(data["pages"]))
    return Reading(source, tuple(Note(**note) for note in data["notes"]), frozenset(data["chrome"]),
                   tuple((line, warning) for line, warning in data["warnings"]))


def content_hash(page: Page | str, reading: str | None = None) -> str:
    """A digest of what was extracted (a page or its JSON, and an attachment's reading as JSON), so a document
    counts as changed only when its content did."""
    text = page if isinstance(page, str) else page_to_json(page)
    if reading is not None:
        text += "\n" + reading
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# What a failing disk or database means, by SQLite's primary result code and by errno.
_SQLITE_KINDS = {
    sqlite3.SQLITE_FULL: "full", sqlite3.SQLITE_READONLY: "read-only", sqlite3.SQLITE_PERM: "read-only",
    sqlite3.SQLITE_BUSY: "locked", sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_NOTADB: "not a database", sqlite3.SQLITE_CORRUPT: "not a database",
}
_OS_KINDS = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "read-only", errno.EACCES: "read-only",
             errno.EPERM: "read-only", errno.EFBIG: "too large", errno.EEXIST: "not a folder",
             errno.ENOTDIR: "not a folder"}


def is_storage_failure(error: BaseException) -> bool:
    """Whether ``error`` is the disk's or the database's doing, not a bug (a constraint, a closed connection)."""
    return isinstance(error, OSError | sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


def storage_problem(path: Path, error: BaseException, key: str = "store.path") -> str:
    """The one sentence saying why ``path`` (the store, a file beside it, or one in ``key``'s folder) could not
    be used, and what to do about it."""
    path = Path(path)
    folder = path.parent
    detail = (error.strerror if isinstance(error, OSError) else None) or str(error)
    if isinstance(error, sqlite3.Error):
        kind = _SQLITE_KINDS.get((error.sqlite_errorcode or 0) & 0xFF)
        if error.sqlite_errorcode == sqlite3.SQLITE_CANTOPEN and folder.is_dir() and not os.access(folder, os.W_OK):
            kind = "read-only"
    else:
        kind = _OS_KINDS.get(getattr(error, "errno", None))
    if kind == "full":
        return f"disk full: cannot write '{path}'; free space on the disk holding '{folder}' or move {key}"
    if kind == "read-only":
        return f"read-only: cannot write '{path}' ({detail}); make '{folder}' writable for this user or move {key}"
    if kind == "not a folder":
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        return f"not a folder: '{blocker}' is a file where the folder of '{path}' should be; move it or change {key}"
    if kind == "too large":  # a size limit: FAT32's 4 GB, or ulimit -f
        return (f"file too large: cannot write '{path}' beyond the size this system allows a file; "
                f"move {key} to a disk without that limit")
    if kind == "locked":
        return (f"locked: '{path}' is being written by another process; let it finish (see 'wrqa status') "
                "and try again")
    if kind == "not a database":
        return f"not a database: '{path}' is no wrqa store or is damaged ({detail}); check {key} or restore a copy"
    return f"cannot use '{path}' ({detail}); check {key}"


def guarded(error_type: type[Exception], path_of: Callable[[Any], Path], key: str = "store.path"):
    """A decorator: a failing disk or database in the call becomes ``error_type`` with the sentence of
    ``storage_problem`` for the file ``path_of(first argument)``; a bug keeps its own exception."""

    def decorate(function):
        @functools.wraps(function)
        def call(first, *args, **kwargs):
            try:
                return function(first, *args, **kwargs)
            except (sqlite3.DatabaseError, OSError) as error:
                if not is_storage_failure(error):
                    raise
                raise error_type(storage_problem(path_of(first), error, key)) from None

        return call

    return decorate


def connect_read_only(path: Path, schema: str, columns: tuple[tuple[str, str, str], ...] = ()) -> sqlite3.Connection:
    """``path`` opened for reading only: no table, journal mode or file of wrqa's is made on it, and
    writing fails (``query_only``). The tables of ``schema`` it lacks are empty TEMP tables of this
    connection, so reading a store never crawled finds nothing instead of failing; a table lacking some of
    ``columns`` (table, column, type) is read through a TEMP VIEW of it that adds them as NULL.

    A WAL database needs its ``-shm`` index to be read, which SQLite makes beside it; where this user
    cannot write, a store with no ``-wal`` file (every change folded into the file, no writer on it) is
    opened ``immutable``, which needs none. A ``-wal`` left there keeps the refusal: skipping it would
    hide committed changes.
    """
    path = Path(path)
    uri = f"{path.absolute().as_uri()}?mode=ro"
    try:
        db = _probed(sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None))
    except sqlite3.OperationalError as error:
        unwritable = error.sqlite_errorcode in (sqlite3.SQLITE_READONLY_DIRECTORY, sqlite3.SQLITE_CANTOPEN)
        if not unwritable or path.with_name(path.name + "-wal").exists():
            raise
        db = _probed(sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None))
    try:
        present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        db.execute("PRAGMA temp_store = MEMORY")
        for statement in filter(str.strip, schema.split(";")):
            if statement.split("EXISTS", 1)[1].split("(", 1)[0].strip() not in present:
                db.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
        for table, lacking in missing_columns(db, columns).items():
            # A TEMP object is found before the main one of the same name, so every query reads the view.
            added = ", ".join(f"NULL AS {column}" for column, _ in lacking)
            db.execute(f"CREATE TEMP VIEW {table} AS SELECT *, {added} FROM main.{table}")
        db.execute("PRAGMA query_only = ON")
    except BaseException:
        db.close()
        raise
    return db


def missing_columns(db: sqlite3.Connection, columns) -> dict[str, list[tuple[str, str]]]:
    """The (column, type) of ``columns`` each table of ``db`` lacks, by table; a table it lacks altogether is none."""
    missing: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in columns:
        present = {row[1] for row in db.execute(f"PRAGMA main.table_info({table})")}
        if present and column not in present:
            missing.setdefault(table, []).append((column, kind))
    return missing


def _probed(db: sqlite3.Connection) -> sqlite3.Connection:
    """``db`` once SQLite has really opened its file (it does so at the first statement); closed if it cannot."""
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Adds the ``COLUMNS`` an older store lacks, all in one transaction: a store is of one schema or the other."""
    missing = missing_columns(db, COLUMNS)
    if not missing:
        return
    with _Transaction(db):
        for table, lacking in missing_columns(db, COLUMNS).items():  # again: another process may have added them
            for column, kind in lacking:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


_guarded = guarded(StoreError, lambda store: store.path)


class Store:
    """The SQLite store at ``path``, created with its folder on first use. Use from one thread, or, ``shared``,
    from several that take turns: one call at a time, each a transaction of its own (the crawl holds a lock).

    ``read_only``: open an existing store for reading only (see ``connect_read_only``).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, shared: bool = False) -> None:
        self.path = Path(path)
        self.db = self._open(read_only, shared)

    @_guarded
    def _open(self, read_only: bool, shared: bool = False) -> sqlite3.Connection:
        if read_only:
            return connect_read_only(self.path, SCHEMA, COLUMNS)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=not shared)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            _migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _transaction(self):
        return _Transaction(self.db)

    # Runs ---------------------------------------------------------------------------------------

    @_guarded
    def start_run(self, sources: Iterable[str]) -> int:
        """A new run's id; runs left 'running' by a process that no longer exists become 'interrupted'."""
        with self._transaction():
            for run_id, pid in self.db.execute(
                "SELECT id, pid FROM runs WHERE status = 'running'"
            ).fetchall():
                if pid is None or not _alive(pid):
                    self.db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
            cursor = self.db.execute(
                "INSERT INTO runs (started_at, pid, sources) VALUES (?, ?, ?)",
                (_now(), os.getpid(), json.dumps(list(sources), ensure_ascii=False)),
            )
            return cursor.lastrowid

    @_guarded
    def finish_run(self, run_id: int, status: str, stats: dict) -> None:
        with self._transaction():
            self.db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (_now(), status, json.dumps(stats, ensure_ascii=False), run_id),
            )

    @_guarded
    def runs(self) -> list[dict]:
        """Every run, oldest first, with its stats decoded."""
        rows = self.db.execute(
            "SELECT id, started_at, finished_at, sources, status, stats FROM runs ORDER BY id"
        )
        return [
            dict(
                id=r[0],
                started_at=r[1],
                finished_at=r[2],
                sources=json.loads(r[3]),
                status=r[4],
                stats=json.loads(r[5]) if r[5] else None,
            )
            for r in rows
        ]

    # Crawl state ---------------------------------------------------------------------------------

    @_guarded
    def caught_up(self, source: str, list_path: str) -> bool:
        row = self.db.execute(
            "SELECT caught_up FROM lists WHERE source = ? AND list = ?", (source, list_path)
        ).fetchone()
        return bool(row and row[0])

    @_guarded
    def mark_caught_up(self, source: str, list_path: str) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT INTO lists (source, list, caught_up) VALUES (?, ?, 1) "
                "ON CONFLICT (source, list) DO UPDATE SET caught_up = 1",
                (source, list_path),
            )

    @_guarded
    def add_links(
        self, source: str, category: str | None, links: Iterable[tuple[str, str, bool | None]], run_id: int
    ) -> int:
        """Records (url, title, wanted) links seen on a list page; returns how many were not known.

        ``wanted`` None (a title that does not decide) is recorded as wanted, to be fetched once and judged; a
        link known as unwanted becomes wanted when its title now asks for it, unless its page was judged.
        """
        added = 0
        with self._transaction():
            for url, title, wanted in links:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO links (url, source, category, title, wanted, first_run) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (url, source, category, title, int(wanted is not False), run_id),
                )
                added += cursor.rowcount
                if not cursor.rowcount and wanted is not False:
                    self.db.execute("UPDATE links SET wanted = 1 WHERE url = ? AND wanted = 0 AND judged IS NULL",
                                    (url,))
        return added

    @_guarded
    def judged_unwanted(self, source: str) -> set[str]:
        """The links of ``source`` whose page was fetched once and judged no street committee's."""
        rows = self.db.execute("SELECT url FROM links WHERE source = ? AND judged IS NOT NULL", (source,))
        return {url for (url,) in rows}

    @_guarded
    def mark_unwanted(self, url: str, source: str, category: str | None, title: str) -> None:
        """Records that the page at ``url`` was fetched and judged no street committee's, in one transaction: it
        is not fetched again, and a failure recorded for it before is no document either."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO links (url, source, category, title, wanted, judged) VALUES (?, ?, ?, ?, 0, ?) "
                "ON CONFLICT (url) DO UPDATE SET wanted = 0, judged = excluded.judged",
                (url, source, category, title, _now()),
            )
            self.db.execute("DELETE FROM documents WHERE url = ? AND version = 0", (url,))

    @_guarded
    def pending(self, source: str) -> list[tuple[str, str | None, str | None]]:
        """(url, category, title) of the wanted links of ``source`` never stored: failed before, or left behind by
        an interrupted run; a failed seed has no title. Attachments are ``pending_attachments``."""
        rows = self.db.execute(
            "SELECT l.url, l.category, l.title FROM links l LEFT JOIN documents d ON d.url = l.url "
            "WHERE l.source = ? AND l.wanted = 1 AND (d.url IS NULL OR d.status = 'failed') ORDER BY l.rowid",
            (source,),
        )
        failed_seeds = self.db.execute(
            "SELECT url, category, NULL FROM documents WHERE source = ? AND status = 'failed' "
            "AND attachment_of IS NULL AND url NOT IN (SELECT url FROM links)",
            (source,),
        )
        return [tuple(row) for row in rows] + [tuple(row) for row in failed_seeds]

    @_guarded
    def pending_attachments(self, source: str) -> list[tuple[str, str | None, str]]:
        """(url, category, attachment_of) of the attachments of ``source`` never stored (their fetch failed, or a run
        ended before it): their page may answer 304 next run, so they are fetched by themselves."""
        rows = self.db.execute(
            "SELECT url, category, attachment_of FROM documents WHERE source = ? AND status = 'failed' "
            "AND attachment_of IS NOT NULL ORDER BY url",
            (source,),
        )
        return [tuple(row) for row in rows]

    @_guarded
    def urls(self) -> set[str]:
        """Every URL the store keys a document or a link by, spelled as it was stored."""
        return {row[0] for row in self.db.execute("SELECT url FROM documents UNION SELECT url FROM links")}

    @_guarded
    def state(self, url: str) -> State | None:
        row = self.db.execute(
            "SELECT status, version, content_hash, etag, last_modified FROM documents WHERE url = ?", (url,)
        ).fetchone()
        return State(*row) if row else None

    # Documents ------------------------------------------------------------------------------------

    @_guarded
    def save(
        self,
        page: Page,
        source: str,
        run_id: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        warc: Iterable[tuple[str, int]] = (),
        *,
        attachment_of: str | None = None,
        reading: Reading | None = None,
        attachments: Iterable[str] = (),
    ) -> str:
        """Stores ``page`` as fetched; returns ``new``, ``changed`` or ``unchanged``, in one transaction.

        An attachment names the page it is attached to (``attachment_of``, kept from its first save) and its
        reader's ``reading``, whose lines must be ``page.paragraphs`` (None: the file could not be read). A page
        names the URLs of its ``attachments``: those not known yet are recorded with it, to be fetched (a
        ``failed`` row without error, found by ``pending_attachments``), so a run cut short loses none of them.
        """
        data = page_to_json(page)
        read = reading_to_json(reading) if reading is not None else None
        digest = content_hash(data, read)
        with self._transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO documents (url, source, category, status, attachment_of) "
                "VALUES (?, ?, ?, 'failed', ?)",
                [(url, source, page.category, page.url) for url in attachments],
            )
            row = self.db.execute(
                "SELECT status, version, content_hash FROM documents WHERE url = ?", (page.url,)
            ).fetchone()
            if row and row[2] == digest:
                self.db.execute(
                    "UPDATE documents SET status = 'stored', etag = ?, last_modified = ?, error = NULL, "
                    "checked_at = ? WHERE url = ?",
                    (etag, last_modified, _now(), page.url),
                )
                return "unchanged"
            version = (row[1] if row else 0) + 1
            self.db.execute(
                "INSERT INTO versions (url, version, content_hash, fetched_at, run_id, page, warc, reading) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (page.url, version, digest, _now(), run_id, data, json.dumps(list(warc)), read),
            )
            self.db.execute(
                "INSERT INTO documents (url, source, category, status, version, content_hash, etag, "
                "last_modified, checked_at, attachment_of) VALUES (?, ?, ?, 'stored', ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET status = 'stored', version = excluded.version, "
                "content_hash = excluded.content_hash, etag = excluded.etag, "
                "last_modified = excluded.last_modified, error = NULL, checked_at = excluded.checked_at, "
                "attachment_of = COALESCE(documents.attachment_of, excluded.attachment_of)",
                (page.url, source, page.category, version, digest, etag, last_modified, _now(), attachment_of),
            )
            return "new" if version == 1 else "changed"

    @_guarded
    def mark_unchanged(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Records a 304 answer: the stored version still holds; fresh validators are kept."""
        with self._transaction():
            self.db.execute(
                "UPDATE documents SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
                "error = NULL, checked_at = ? WHERE url = ?",
                (etag, last_modified, _now(), url),
            )

    @_guarded
    def record_failure(self, url: str, source: str, category: str | None, error: str,
                       attachment_of: str | None = None) -> None:
        """Records why ``url`` (an attachment of the page ``attachment_of``) failed; a stored version stays as it
        was and the URL is retried next run."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO documents (url, source, category, status, error, failures, checked_at, attachment_of) "
                "VALUES (?, ?, ?, 'failed', ?, 1, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "status = CASE WHEN documents.version > 0 THEN 'stored' ELSE 'failed' END, "
                "error = excluded.error, failures = documents.failures + 1, checked_at = excluded.checked_at",
                (url, source, category, error, _now(), attachment_of),
            )

    @_guarded
    def failures(self) -> list[tuple[str, str]]:
        """(url, error) of every URL whose last fetch failed."""
        return [
            tuple(row)
            for row in self.db.execute(
                "SELECT url, error FROM documents WHERE error IS NOT NULL ORDER BY url"
            )
        ]

    @_guarded
    def stored(self, source: str | None = None) -> Iterator[Stored]:
        """The current version of every stored document (of ``source``), in URL order."""
        query = (
            "SELECT v.page, v.version, v.fetched_at, d.source, v.warc, d.attachment_of, v.reading FROM documents d "
            "JOIN versions v ON v.url = d.url AND v.version = d.version WHERE d.version > 0"
        )
        params: tuple = ()
        if source:
            query += " AND d.source = ?"
            params = (source,)
        rows = self.db.execute(query + " ORDER BY d.url", params).fetchall()
        return (_stored(*row) for row in rows)

    def pages(self, source: str | None = None) -> list[Page]:
        """The current ``Page`` of every stored document."""
        return [stored.page for stored in self.stored(source)]

    def documents(self, source: str | None = None) -> list[Document]:
        """The stored documents: a page rebuilt by ``crawler.normalize.document_from_page``, an attachment by
        ``attachment_documents``."""
        from crawler.normalize import document_from_page

        found = []
        for stored in self.stored(source):
            if stored.reading is None:
                found.append(document_from_page(stored.page))
            else:
                found.extend(attachment_documents(stored.page, stored.reading))
        return found

    @_guarded
    def version_counts(self) -> dict[str, int]:
        """How many versions each URL has (for checks that nothing was stored twice)."""
        return dict(self.db.execute("SELECT url, COUNT(*) FROM versions GROUP BY url").fetchall())


def _stored(data: str, version: int, fetched_at: str, source: str, warc: str, attachment_of: str | None,
            reading: str | None) -> Stored:
    page = page_from_json(data)
    return Stored(page, version, fetched_at, source, tuple(tuple(ref) for ref in json.loads(warc)), attachment_of,
                  reading_from_json(reading, page) if reading is not None else None)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on an exception: one writer, no lost updates."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.DatabaseError:
                rollback(self.db)
                raise
        rollback(self.db)


def rollback(db: sqlite3.Connection) -> None:
    """Roll back the transaction under way, if SQLite has not already (it may, on a full disk or an I/O
    error); a failure of the rollback itself must not hide the error that called for it."""
    if db.in_transaction:
        with suppress(sqlite3.DatabaseError):
            db.execute("ROLLBACK")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def attachment_documents(page: Page, reading: Reading) -> list[Document]:
    """The documents of an attachment, read as the same file given to ``wrqa validate`` is (a volume split into
    its reports, positions the paragraphs of a Word file or the page and line of a PDF), under its URL and with
    what the crawler knew: site, category, and its page's publish time where the file states none."""
    from crawler.local import documents_of
    from crawler.normalize import document_from_page

    documents = documents_of(reading, html=False)
    if not documents:  # a file of blank lines: still a document, so that it is seen
        return [document_from_page(page)]
    return [replace(document, url=page.url, site=page.site, category=page.category,
                    published_at=document.published_at or page.published_at,
                    warnings=(*page.warnings, *document.warnings)) for document in documents]


def stored_documents(config) -> list[Document]:
    """The documents stored under ``config``'s ``store.path``, read only (none when there is no store yet)."""
    path = config.path_of("store.path")
    if not path.exists():
        return []
    with Store(path, read_only=True) as store:
        return store.documents()
