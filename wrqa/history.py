"""The history of the main job: its runs and the findings stored with each, in the crawler's SQLite store.

Three tables live beside the crawler's own, in the same file (``store.path``):

- ``job_runs``: one row a run of the main job: when, what started it, how it ended, its counts.
- ``run_findings``: the findings that stood after each complete run; a document not validated again
  carries its findings forward from the run before, so every complete run holds the whole picture.
- ``run_reports``: the report data (``reports.json`` form, compressed) of the last complete runs, from
  which the next run's report is merged and its changes listed.
- ``validated_sources``: the digest of each source (page URL or file) when last validated, so that
  the next run validates only what is new or changed.

A run's findings, digests and end are written in one transaction: a run killed half-way leaves
only its ``running`` row, which the next run marks ``interrupted``, and nothing else.
``connect(path, read_only=True)`` writes nothing on the store (``crawler.store.connect_read_only``).

    HistoryError   the history or a lock beside the store cannot be read or written (disk full,
                   read-only, locked, not a database): one sentence naming the file and the fix
    Held           a lock beside the store is held by another process

This module must never crawl, validate or decide what a finding means.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.store import connect_read_only, guarded, rollback, storage_problem

# Statuses of runs whose findings were stored; the others (running, stopped, interrupted, failed) have none.
COMPLETE = ("clean", "findings", "errors")
REPORTS_KEPT = 5

SCHEMA = """
CREATE TABLE IF NOT EXISTS job_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    trigger TEXT NOT NULL,
    status TEXT NOT NULL,
    exit_code INTEGER,
    summary TEXT NOT NULL DEFAULT '',
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS run_findings (
    run_id INTEGER NOT NULL REFERENCES job_runs(id),
    source TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER NOT NULL,
    column INTEGER NOT NULL,
    message TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    waived INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    alerted INTEGER NOT NULL DEFAULT 0,
    carried INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, source, fingerprint)
);
CREATE TABLE IF NOT EXISTS run_reports (
    run_id INTEGER PRIMARY KEY REFERENCES job_runs(id),
    report BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS validated_sources (
    source TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    run_id INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class RunRecord:
    """A run of the main job as stored.

    id: increasing run number; started_at, finished_at: ISO 8601 UTC times (finished_at None while running).
    trigger: ``manual``, ``schedule`` or ``catch-up``; status: ``running``, ``clean``, ``findings``,
    ``errors``, ``stopped``, ``interrupted`` or ``failed``; exit_code: as ``wrqa run`` exited.
    summary: the one-line summary printed; counts: fetched, documents, validated, findings, new, waived…
    """

    id: int
    started_at: str
    finished_at: str | None
    trigger: str
    status: str
    exit_code: int | None
    summary: str
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored with a run.

    source: the page URL or file it was found in (the key of ``validated_sources``).
    fingerprint, rule, severity, path, line, column, message, excerpt: as in ``checks.records.Finding``.
    waived: a waiver applied; new: not among the previous complete run's findings;
    alerted: an alert about it was delivered; carried: copied from the previous run, its source unchanged.
    """

    source: str
    fingerprint: str
    rule: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    excerpt: str
    waived: bool = False
    new: bool = False
    alerted: bool = False
    carried: bool = False


_FINDING_COLUMNS = (
    "source, fingerprint, rule, severity, path, line, column, message, excerpt, waived, new, alerted, carried"
)


class HistoryError(Exception):
    """The history in the store, or a lock file beside it, cannot be used; the message names the file and the fix."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _path_of(conn: sqlite3.Connection) -> Path:
    """The file of ``conn``'s main database (the store), for messages."""
    try:
        return Path(conn.execute("PRAGMA database_list").fetchone()[2])
    except sqlite3.Error:  # a connection too broken to say: the message still names the kind of trouble
        return Path("the store")


_guarded = guarded(HistoryError, _path_of)


@guarded(HistoryError, Path)
def connect(store_path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the store at ``store_path`` with the history tables in place (``read_only``:
    an existing store, opened for reading without writing anything on it)."""
    if read_only:
        return connect_read_only(store_path, SCHEMA)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(store_path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.executescript(SCHEMA)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def opened(store_path: Path, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """``connect`` for the length of a block, closed after it."""
    conn = connect(store_path, read_only)
    try:
        yield conn
    finally:
        conn.close()


def _record(row: tuple) -> RunRecord:
    return RunRecord(*row[:7], counts=json.loads(row[7] or "{}"))


@_guarded
def mark_interrupted(conn: sqlite3.Connection) -> int:
    """Mark runs left ``running`` by a crash or a kill as ``interrupted``; how many there were."""
    cursor = conn.execute(
        "UPDATE job_runs SET status = 'interrupted', finished_at = ?, "
        "summary = 'interrupted: the process ended before the run did' WHERE status = 'running'",
        (now(),),
    )
    return cursor.rowcount


@_guarded
def start_run(conn: sqlite3.Connection, trigger: str) -> int:
    """Record the start of a run; its id."""
    cursor = conn.execute(
        "INSERT INTO job_runs (started_at, trigger, status) VALUES (?, ?, 'running')", (now(), trigger)
    )
    return int(cursor.lastrowid)


@_guarded
def end_run(conn: sqlite3.Connection, run_id: int, status: str, exit_code: int, summary: str,
            counts: dict[str, Any]) -> None:
    """Record the end of a run that stored no findings (stopped or failed)."""
    conn.execute(
        "UPDATE job_runs SET finished_at = ?, status = ?, exit_code = ?, summary = ?, counts = ? "
        "WHERE id = ?",
        (now(), status, exit_code, summary, json.dumps(counts, ensure_ascii=False), run_id),
    )


@_guarded
def fail_run(conn: sqlite3.Connection, run_id: int, summary: str, exit_code: int) -> None:
    """Record that run ``run_id`` failed, with the exit code its process ends with, unless it already ended
    (its findings stored)."""
    conn.execute(
        "UPDATE job_runs SET finished_at = ?, status = 'failed', exit_code = ?, summary = ? "
        "WHERE id = ? AND status = 'running'",
        (now(), exit_code, summary, run_id),
    )


@_guarded
def finish_run(conn: sqlite3.Connection, run_id: int, status: str, exit_code: int, summary: str,
               counts: dict[str, Any], findings: Iterable[StoredFinding], digests: dict[str, str],
               report: dict[str, Any]) -> None:
    """Store at once a complete run's findings, the digests of the sources it validated, report and end.

    Only the reports of the last ``REPORTS_KEPT`` complete runs are kept; findings and runs are kept for good.
    """
    rows = [
        (run_id, f.source, f.fingerprint, f.rule, f.severity, f.path, f.line, f.column, f.message, f.excerpt,
         int(f.waived), int(f.new), int(f.alerted), int(f.carried))
        for f in findings
    ]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            f"INSERT OR IGNORE INTO run_findings (run_id, {_FINDING_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO validated_sources (source, digest, run_id) VALUES (?, ?, ?) "
            "ON CONFLICT(source) DO UPDATE SET digest = excluded.digest, run_id = excluded.run_id",
            [(source, digest, run_id) for source, digest in digests.items()],
        )
        packed = zlib.compress(json.dumps(report, ensure_ascii=False, default=str).encode("utf-8"), 1)
        conn.execute("INSERT OR REPLACE INTO run_reports (run_id, report) VALUES (?, ?)", (run_id, packed))
        conn.execute(
            "DELETE FROM run_reports WHERE run_id NOT IN "
            "(SELECT run_id FROM run_reports ORDER BY run_id DESC LIMIT ?)",
            (REPORTS_KEPT,),
        )
        end_run(conn, run_id, status, exit_code, summary, counts)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


@_guarded
def mark_alerted(conn: sqlite3.Connection, run_id: int, fingerprints: Iterable[str]) -> None:
    """Record that alerts about ``fingerprints`` of run ``run_id`` were delivered."""
    conn.executemany(
        "UPDATE run_findings SET alerted = 1 WHERE run_id = ? AND fingerprint = ?",
        [(run_id, fingerprint) for fingerprint in fingerprints],
    )


@_guarded
def runs(conn: sqlite3.Connection, limit: int = 20) -> list[RunRecord]:
    """The latest ``limit`` runs, newest first."""
    rows = conn.execute(
        "SELECT id, started_at, finished_at, trigger, status, exit_code, summary, counts "
        "FROM job_runs ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [_record(row) for row in rows]


@_guarded
def last_complete(conn: sqlite3.Connection, before: int | None = None) -> RunRecord | None:
    """The newest run whose findings were stored (before run ``before``, when given), or None."""
    marks = ", ".join("?" * len(COMPLETE))
    row = conn.execute(
        "SELECT id, started_at, finished_at, trigger, status, exit_code, summary, counts FROM job_runs "
        f"WHERE status IN ({marks}) AND id < ? ORDER BY id DESC LIMIT 1",
        (*COMPLETE, before if before is not None else 2**62),
    ).fetchone()
    return _record(row) if row else None


@_guarded
def findings_of(conn: sqlite3.Connection, run_id: int) -> list[StoredFinding]:
    """The findings stored with run ``run_id``, by path, line and column."""
    rows = conn.execute(
        f"SELECT {_FINDING_COLUMNS} FROM run_findings WHERE run_id = ? ORDER BY path, line, column, rule",
        (run_id,),
    )
    return [
        StoredFinding(*row[:9], waived=bool(row[9]), new=bool(row[10]), alerted=bool(row[11]),
                      carried=bool(row[12]))
        for row in rows
    ]


@_guarded
def report_of(conn: sqlite3.Connection, run_id: int) -> dict[str, Any] | None:
    """The report data stored with run ``run_id``, or None when it was not kept."""
    row = conn.execute("SELECT report FROM run_reports WHERE run_id = ?", (run_id,)).fetchone()
    return json.loads(zlib.decompress(row[0]).decode("utf-8")) if row else None


@_guarded
def set_summary(conn: sqlite3.Connection, run_id: int, summary: str, counts: dict[str, Any]) -> None:
    """Replace a run's summary and counts (after its alerts went out)."""
    conn.execute("UPDATE job_runs SET summary = ?, counts = ? WHERE id = ?",
                 (summary, json.dumps(counts, ensure_ascii=False), run_id))


@_guarded
def digests(conn: sqlite3.Connection) -> dict[str, str]:
    """The digest of every source when it was last validated."""
    return dict(conn.execute("SELECT source, digest FROM validated_sources"))


class Held(Exception):
    """A lock beside the store is held by another process; the message names the lock file and its holder."""


def beside(store_path: Path, suffix: str) -> Path:
    """A file next to the store: ``var/wrqa.sqlite3`` → ``var/wrqa.sqlite3.<suffix>``."""
    return store_path.with_name(f"{store_path.name}.{suffix}")


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an OS lock (``flock``) on ``path`` for the block; ``Held`` at once when another process has it.

    The kernel drops the lock when its holder dies, even by SIGKILL, so a crash never leaves it stale.
    The file keeps the holder's pid for the message. A lock file that cannot be made or written (a
    read-only folder, a full disk) is a ``HistoryError`` naming it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - the lock lives as long as the open file
    except OSError as error:
        raise HistoryError(storage_problem(path, error)) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise Held(f"{path} is held by process {holder}") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except OSError as error:
            raise HistoryError(storage_problem(path, error)) from None
        yield
    finally:
        handle.close()


def is_held(path: Path) -> bool:
    """Whether another process holds the lock on ``path`` now; reads only, so it works on a read-only store."""
    if not path.exists():
        return False
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
