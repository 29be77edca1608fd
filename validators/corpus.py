"""The rules across documents, over the whole corpus: near-copies and a committee's figures across years.

The chunks are judged where they are read (``validators.chunks``); what cannot be judged a chunk at a time
is judged here, in the main process, over the chunks' ``Entry`` records only — never a text. Of a document it
keeps in memory for the whole run only where its record stands in a temporary file (8 bytes; the record is
read back for a finding's message: its title, path and line, which a later copy's message names, and where
each of its figures' findings would stand). The rest is let go once judged, or kept in scratch databases on
disk (``checks.scratch``), of which memory holds a bounded cache:

- the near-copy index (``checks.duplicates.NearCopyIndex``): the signatures and LSH buckets, about 700 bytes
  a document;
- of a committee's report, each figure compared across years (at most three): committee, the district the
  report names, figure and unit as small numbers, its year, document, value and span, about 27 bytes a figure.

Near-copies are judged as documents arrive (a copy is of an earlier document), in batches of rows of the
documents frame (``documents_frame``); the trends need every year of a committee, so they are judged once,
at the end, a slice of rows at a time (``trends_frames``). Each finding is made from the place its chunk
computed (``findings_of``).
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from checks.duplicates import NearCopyIndex
from checks.frames import COLUMNS, DTYPES
from checks.scratch import Scratch
from validators.catalogue import Failure, Other
from validators.chunks import Entry
from validators.findings import finding_at
from validators.plan import Planned
from validators.records import Finding, Place
from validators.spill import Spill, spill_error

DOCUMENT_COLUMNS = ("doc", "kind", "title", "similarity", "duplicate_of")
_INDEX, _STATED = "the near-copy index", "the stated figures"
_STATED_TABLE = """CREATE TABLE stated (committee INTEGER, district INTEGER, figure INTEGER, unit INTEGER, year INTEGER,
                                         doc INTEGER, value REAL, "offset" INTEGER, "end" INTEGER)"""
# A committee is its name, unless its reports name two districts or more (``checks.frames.trend_rows``): then
# one of each district, and a report naming none is left out. Each committee's figure a year, its first
# report's (the least document: the rows are in input order), beside its previous year's; and each
# committee's figure a pair, numbered in the order it is first stated.
_PAIRING = """
    CREATE TABLE split (committee INTEGER PRIMARY KEY);
    INSERT INTO split SELECT committee FROM stated WHERE district IS NOT NULL GROUP BY committee
        HAVING COUNT(DISTINCT district) > 1;
    CREATE VIEW keyed AS SELECT stated.rowid AS at, doc, committee,
            CASE WHEN committee IN split THEN district ELSE -1 END AS place, figure, unit, year, value, "offset", "end"
        FROM stated WHERE district IS NOT NULL OR committee NOT IN split;
    CREATE TABLE first (committee INTEGER, place INTEGER, figure INTEGER, year INTEGER, at INTEGER,
                        previous_year INTEGER, previous_value REAL, PRIMARY KEY (committee, place, figure, year))
        WITHOUT ROWID;
    INSERT INTO first SELECT committee, place, figure, year, at, LAG(year) OVER earlier, LAG(value) OVER earlier
        FROM (SELECT committee, place, figure, year, value, MIN(at) AS at FROM keyed
              GROUP BY committee, place, figure, year)
        WINDOW earlier AS (PARTITION BY committee, place, figure ORDER BY year);
    CREATE TABLE pair (committee INTEGER, place INTEGER, figure INTEGER, pair INTEGER,
                       PRIMARY KEY (committee, place, figure)) WITHOUT ROWID;
    INSERT INTO pair SELECT committee, place, figure, ROW_NUMBER() OVER (ORDER BY MIN(at)) FROM first
        GROUP BY committee, place, figure;
"""
# Each figure stated in a year after its pair's first, in input order (the stated rows read in order, each
# one's year and pair looked up by key).
_TREND_ROWS = """
    SELECT doc, committee, figure, year, value, unit, previous_year, previous_value, "offset", "end", pair, keyed.at
    FROM keyed CROSS JOIN first USING (committee, place, figure, year) CROSS JOIN pair USING (committee, place, figure)
    WHERE previous_year IS NOT NULL ORDER BY keyed.at
"""


@contextlib.contextmanager
def _kept(what: str):
    """Where the scratch database of ``what`` is written or read: a ``SpillError`` when the temporary folder
    cannot hold it."""
    try:
        yield
    except (OSError, sqlite3.Error) as error:
        raise spill_error(what, error) from None


class _Codes(dict):
    """Strings as small numbers, in the order first seen; ``names`` back."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def __missing__(self, name: str) -> int:
        self[name] = len(self.names)
        self.names.append(name)
        return self[name]


class Corpus:
    """The corpus-wide pass of one run, fed the chunks' entries in input order; see the module docstring."""

    def __init__(self) -> None:
        with _kept(_INDEX):
            self.index: NearCopyIndex | None = NearCopyIndex()
        self.records = Spill("the corpus's records")
        self.rows: list[tuple] = []
        self.row_places: dict[tuple[str, int], Place] = {}
        self.codes = _Codes()
        # The stated figures, a row each in input order: committee, figure and unit as codes. Rows are only
        # appended until the pairing, which takes as long with 4 MiB of cache as with 16 (900,000 figures).
        with _kept(_STATED):
            self.stated: Scratch | None = Scratch("wrqa-stated-", _STATED_TABLE, cache_kib=4 * 1024)

    def other(self, doc: int) -> Other:
        """How a message names document ``doc`` of the run."""
        return self.records[doc][0]

    def close(self) -> None:
        self.seal()
        self.records.close()
        if self.stated is not None:
            self.stated.close()
            self.stated = None

    def seal(self) -> None:
        """Take no more documents: the near-copy index is let go (its cache, its file on disk)."""
        if self.index is not None:
            self.index.close()
            self.index = None

    def add(self, entries: Sequence[Entry]) -> list[tuple[int | None, float]]:
        """Take the next documents' entries; each one's nearest earlier copy (index, similarity)."""
        duplicates, stated = [], []
        for entry in entries:
            doc = len(self.records)
            with _kept(_INDEX):
                duplicate_of, similarity = self.index.add(entry.signature)
            duplicates.append((duplicate_of, similarity))
            other = Other(entry.title, entry.path, entry.line, entry.words)
            if not entry.judged:
                self.records.append((other, {}))
                continue
            self.rows.append((doc, entry.kind, entry.title, similarity,
                              float(duplicate_of) if duplicate_of is not None else math.nan))
            for name, where in entry.places.items():
                self.row_places[(name, doc)] = where
            places = {}
            district = self.codes[entry.district] if entry.district is not None else None
            for figure, value, unit, offset, end, where in entry.figures:
                stated.append((self.codes[entry.committee], district, self.codes[figure], self.codes[unit],
                               entry.year, doc, value, offset, end))
                places[offset] = where
            self.records.append((other, places))
        if stated:
            with _kept(_STATED):
                self.stated.db.executemany("INSERT INTO stated VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", stated)
        return duplicates

    def documents_frame(self) -> tuple[pd.DataFrame, dict[tuple[str, int], Place]]:
        """The documents rows taken since the last call, with their near-copies, as the copy checks judge them,
        and where each row's finding would stand (by check name and document); both let go here."""
        rows, self.rows = self.rows, []
        places, self.row_places = self.row_places, {}
        frame = pd.DataFrame.from_records(rows, columns=DOCUMENT_COLUMNS)
        return frame.astype({column: DTYPES["documents"][column] for column in DOCUMENT_COLUMNS}), places

    def trends_frames(self, rows: int) -> Iterator[pd.DataFrame]:
        """The trends frame of the run (``checks.frames.trend_rows``, from the entries) in slices of ``rows``
        rows and the rest of the last one's document, each indexed from 0: each figure a committee's report
        states beside the same figure in its latest earlier report, with the ratio of the two. One slice,
        empty, when there are none. A slice at a time, so that judging the trends of a large corpus holds a
        slice's frame, not all.

        Each year's first report in the run stands for the year. The pairing is done on disk, by SQLite (a few
        seconds for a million figures); memory holds a slice's rows."""
        with _kept(_STATED):
            self.stated.db.executescript(_PAIRING)
            batch: list[tuple] = []
            for row in self.stated.db.execute(_TREND_ROWS):
                if len(batch) >= rows and row[0] != batch[-1][0]:
                    yield self._trends(batch)
                    batch = []
                batch.append(row)
        yield self._trends(batch)

    def _trends(self, rows: list[tuple]) -> pd.DataFrame:
        # Every column a float: the codes, years, documents, places and rows are exact in a double.
        table = np.array(rows, dtype=float).reshape(-1, 12)
        table = table[np.lexsort(table[:, [11, 10, 8, 0]].T)]  # by document, place in it, pair, row
        doc, committee, figure, year, value, unit, previous_year, previous_value, offset, end, _, _ = table.T
        names = np.array(self.codes.names, dtype=object)
        frame = pd.DataFrame({
            "doc": doc.astype(np.int64), "kind": "report",
            "committee": names[committee.astype(np.intp)], "figure": names[figure.astype(np.intp)],
            "year": year, "value": value, "unit": names[unit.astype(np.intp)],
            "previous_year": previous_year, "previous_value": previous_value,
            "ratio": np.maximum(value, previous_value) / np.minimum(value, previous_value),
            "offset": offset.astype(np.int64), "end": end.astype(np.int64),
        }, columns=COLUMNS["trends"])
        return frame.astype(DTYPES["trends"])

    def finding_of(self, item: Planned, record: dict, engine: str,
                   places: dict[tuple[str, int], Place] | None = None) -> Finding:
        """The finding of a failed row of ``item`` (a check across documents): at the place ``places`` holds for
        a row of the documents frame, at its figure's for a row of the trends frame."""
        doc = int(record["doc"])
        where = self.records[doc][1][int(record["offset"])] if places is None else places[(item.name, doc)]
        message, data = item.rule.describe(Failure(record, dict(item.check.data), None, self.other))
        return finding_at(item, where, message, data, engine)
