"""The store: an embedded SQLite database of documents with versions, crawl state, HTTP validators and runs.

Tables:
    runs       one row a crawl: when, which sources, its status and stats
    lists      per source and list, whether the list was once read to its end (``caught_up``)
    links      every article link seen on a list page, and whether it is wanted (the include pattern)
    documents  one row a fetched URL: ``stored`` or ``failed``, its current version, ETag, Last-Modified
    versions   every distinct extraction of a URL: the ``Page`` fields as JSON and where its raw
               responses lie in the WARC archive

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
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from crawler.errors import StoreError
from crawler.records import Document, Page

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
    first_run INTEGER
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
    checked_at TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    run_id INTEGER,
    page TEXT NOT NULL,
    warc TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (url, version)
);
"""


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
    """A stored version: the page, its version number, when, and where in the WARC files (name, offset)."""

    page: Page
    version: int
    fetched_at: str
    source: str
    warc: tuple[tuple[str, int], ...]


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


def content_hash(page: Page | str) -> str:
    """A digest of what was extracted (a page or its JSON), so a page counts as changed only when its content did."""
    text = page if isinstance(page, str) else page_to_json(page)
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


def connect_read_only(path: Path, schema: str) -> sqlite3.Connection:
    """``path`` opened for reading only: no table, journal mode or file of wrqa's is made on it, and
    writing fails (``query_only``). The tables of ``schema`` it lacks are empty TEMP tables of this
    connection, so reading a store never crawled finds nothing instead of failing.

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
        db.execute("PRAGMA query_only = ON")
    except BaseException:
        db.close()
        raise
    return db


def _probed(db: sqlite3.Connection) -> sqlite3.Connection:
    """``db`` once SQLite has really opened its file (it does so at the first statement); closed if it cannot."""
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        db.close()
        raise
    return db


_guarded = guarded(StoreError, lambda store: store.path)


class Store:
    """The SQLite store at ``path``, created with its folder on first use. Use from one thread.

    ``read_only``: open an existing store for reading only (see ``connect_read_only``).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.db = self._open(read_only)

    @_guarded
    def _open(self, read_only: bool) -> sqlite3.Connection:
        if read_only:
            return connect_read_only(self.path, SCHEMA)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
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
        self, source: str, category: str | None, links: Iterable[tuple[str, str, bool]], run_id: int
    ) -> int:
        """Records (url, title, wanted) links seen on a list page; returns how many were not known."""
        added = 0
        with self._transaction():
            for url, title, wanted in links:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO links (url, source, category, title, wanted, first_run) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (url, source, category, title, int(wanted), run_id),
                )
                added += cursor.rowcount
        return added

    @_guarded
    def pending(self, source: str) -> list[tuple[str, str | None]]:
        """Wanted links of ``source`` never stored: failed before, or left behind by an interrupted run."""
        rows = self.db.execute(
            "SELECT l.url, l.category FROM links l LEFT JOIN documents d ON d.url = l.url "
            "WHERE l.source = ? AND l.wanted = 1 AND (d.url IS NULL OR d.status = 'failed') ORDER BY l.rowid",
            (source,),
        )
        failed_seeds = self.db.execute(
            "SELECT url, category FROM documents WHERE source = ? AND status = 'failed' "
            "AND url NOT IN (SELECT url FROM links)",
            (source,),
        )
        return [tuple(row) for row in rows] + [tuple(row) for row in failed_seeds]

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
    ) -> str:
        """Stores ``page`` as fetched; returns ``new``, ``changed`` or ``unchanged``, in one transaction."""
        data = page_to_json(page)
        digest = content_hash(data)
        with self._transaction():
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
                "INSERT INTO versions (url, version, content_hash, fetched_at, run_id, page, warc) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (page.url, version, digest, _now(), run_id, data, json.dumps(list(warc))),
            )
            self.db.execute(
                "INSERT INTO documents (url, source, category, status, version, content_hash, etag, "
                "last_modified, checked_at) VALUES (?, ?, ?, 'stored', ?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET status = 'stored', version = excluded.version, "
                "content_hash = excluded.content_hash, etag = excluded.etag, "
                "last_modified = excluded.last_modified, error = NULL, checked_at = excluded.checked_at",
                (page.url, source, page.category, version, digest, etag, last_modified, _now()),
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
    def record_failure(self, url: str, source: str, category: str | None, error: str) -> None:
        """Records why ``url`` failed; a stored version stays as it was and the URL is retried next run."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO documents (url, source, category, status, error, failures, checked_at) "
                "VALUES (?, ?, ?, 'failed', ?, 1, ?) ON CONFLICT (url) DO UPDATE SET "
                "status = CASE WHEN documents.version > 0 THEN 'stored' ELSE 'failed' END, "
                "error = excluded.error, failures = documents.failures + 1, checked_at = excluded.checked_at",
                (url, source, category, error, _now()),
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
            "SELECT v.page, v.version, v.fetched_at, d.source, v.warc FROM documents d "
            "JOIN versions v ON v.url = d.url AND v.version = d.version WHERE d.version > 0"
        )
        params: tuple = ()
        if source:
            query += " AND d.source = ?"
            params = (source,)
        rows = self.db.execute(query + " ORDER BY d.url", params).fetchall()
        return (
            Stored(page_from_json(page), version, fetched_at, src, tuple(tuple(ref) for ref in json.loads(warc)))
            for page, version, fetched_at, src, warc in rows
        )

    def pages(self, source: str | None = None) -> list[Page]:
        """The current ``Page`` of every stored document."""
        return [stored.page for stored in self.stored(source)]

    def documents(self, source: str | None = None) -> list[Document]:
        """The stored documents, rebuilt from their pages by ``crawler.normalize.document_from_page``."""
        from crawler.normalize import document_from_page

        return [document_from_page(page) for page in self.pages(source)]

    @_guarded
    def version_counts(self) -> dict[str, int]:
        """How many versions each URL has (for checks that nothing was stored twice)."""
        return dict(self.db.execute("SELECT url, COUNT(*) FROM versions GROUP BY url").fetchall())


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


def stored_documents(config) -> list[Document]:
    """The documents stored under ``config``'s ``store.path``, read only (none when there is no store yet)."""
    path = config.path_of("store.path")
    if not path.exists():
        return []
    with Store(path, read_only=True) as store:
        return store.documents()
