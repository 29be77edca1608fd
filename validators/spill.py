"""Records a run keeps on disk rather than in memory: pickled one after another to a temporary file.

The corpus pass keeps each document's names there (``validators.corpus``) and the judgement keeps the
chunks' columns there until GX judges them (``validators.judge``): either would otherwise grow with the
corpus. It must never hold a record in memory once written, nor leave its file behind.
"""

from __future__ import annotations

import contextlib
import pickle
import tempfile
from array import array

from validators.errors import SpillError


class Spill:
    """Records pickled to a temporary file (gone when closed) and read back by index: memory holds 8 bytes a
    record. ``what`` names them in a ``SpillError``, raised when the file cannot be written or read."""

    def __init__(self, what: str) -> None:
        self.what = what
        with self._spilling():
            self.file = tempfile.TemporaryFile(prefix="wrqa-")
        self.starts = array("q", [0])

    def __len__(self) -> int:
        return len(self.starts) - 1

    def append(self, record: object) -> None:
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        with self._spilling():
            self.file.write(data)
        self.starts.append(self.starts[-1] + len(data))

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self.starts[index], self.starts[index + 1]
        with self._spilling():
            self.file.seek(start)
            data = self.file.read(end - start)
            self.file.seek(self.starts[-1])  # where the next record goes: appending never seeks, so never flushes
        return pickle.loads(data)

    def close(self) -> None:
        self.file.close()

    @contextlib.contextmanager
    def _spilling(self):
        try:
            yield
        except OSError as error:
            raise spill_error(self.what, error) from None


def spill_error(what: str, error: Exception) -> SpillError:
    """The error of ``what`` that could not be kept in the temporary folder for ``error`` (the system's, or a
    database's on it), saying what to do."""
    reason = getattr(error, "strerror", None) or str(error)
    return SpillError(f"{tempfile.gettempdir()}: cannot keep {what} in a temporary file ({reason}); free space "
                      "there or set TMPDIR to a folder with room")
