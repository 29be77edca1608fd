"""Scratch databases of one run: SQLite files in the temporary folder (``$TMPDIR``, where the run's other spills
go), unnamed as soon as they are open so that even a killed run leaves nothing behind; no journal, no syncing,
a bounded page cache. What a run would otherwise keep in memory for every document goes there."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile


class Scratch:
    """A scratch database made with ``schema``; ``db`` its connection, a transaction begun (nothing in it is
    worth committing for its own sake). Memory holds ``cache_kib`` of its pages at most. ``OSError`` or
    ``sqlite3.Error`` when the temporary folder cannot hold it."""

    def __init__(self, prefix: str, schema: str, cache_kib: int = 16 * 1024) -> None:
        handle, path = tempfile.mkstemp(prefix=prefix, suffix=".sqlite")
        os.close(handle)
        self.path: str | None = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            try:
                self.db.executescript(f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                                      f"PRAGMA cache_size = -{cache_kib}; {schema}; BEGIN;")
            except BaseException:
                self.db.close()
                raise
        finally:
            with contextlib.suppress(OSError):  # open, the file lives on unnamed
                os.unlink(path)
                self.path = None

    def close(self) -> None:
        self.db.close()
        if self.path is not None:  # a system that cannot delete an open file
            with contextlib.suppress(OSError):
                os.unlink(self.path)
