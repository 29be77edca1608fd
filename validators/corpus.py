"""The rules across documents, over the whole corpus: near-copies and a committee's figures across years.

The chunks are judged where they are read (``validators.chunks``); what cannot be judged a chunk at a time
is judged here, in the main process, over the chunks' ``Entry`` records only — never a text. What it keeps
in memory for the whole run, per document (the rest is let go once judged, or written to a temporary file
and read back only for a finding's message):

- of the near-copy index (``checks.duplicates.NearCopyIndex``), nothing: its signatures and LSH buckets, about
  700 bytes a document, are in a temporary SQLite database on disk, of which memory holds a bounded cache;
- where its record stands in the temporary file (8 bytes): its title, path and line, which a later copy's
  message names, and where each of its figures' findings would stand;
- for a committee's report, each figure compared across years (at most three): committee, figure, unit as
  small numbers, its year, document, value and span, 38 bytes a figure.

Near-copies are judged as documents arrive (a copy is of an earlier document), in batches of rows of the
documents frame (``documents_frame``); the trends need every year of a committee, so they are judged once,
at the end, a slice of rows at a time (``trends_frames``). Each finding is made from the place its chunk
computed (``findings_of``).
"""

from __future__ import annotations

import math
import sqlite3
from array import array
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from checks.duplicates import NearCopyIndex
from checks.frames import COLUMNS, DTYPES
from validators.catalogue import Failure, Other
from validators.chunks import Entry
from validators.findings import finding_at
from validators.plan import Planned
from validators.records import Finding, Place
from validators.spill import Spill, spill_error

DOCUMENT_COLUMNS = ("doc", "kind", "title", "similarity", "duplicate_of")


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
        self.index: NearCopyIndex | None = self._keeping(NearCopyIndex)
        self.records = Spill("the corpus's records")
        self.rows: list[tuple] = []
        self.row_places: dict[tuple[str, int], Place] = {}
        self.codes = _Codes()
        # The stated figures, column by column: committee, figure and unit as codes.
        self.stated = {name: array(kind) for name, kind in (("committee", "i"), ("figure", "i"), ("unit", "i"),
                       ("year", "h"), ("doc", "q"), ("value", "d"), ("offset", "i"), ("end", "i"))}

    def other(self, doc: int) -> Other:
        """How a message names document ``doc`` of the run."""
        return self.records[doc][0]

    def close(self) -> None:
        self.seal()
        self.records.close()

    def seal(self) -> None:
        """Take no more documents: the near-copy index is let go (its cache, its file on disk)."""
        if self.index is not None:
            self.index.close()
            self.index = None

    @staticmethod
    def _keeping(call, *args):
        """``call(*args)`` of the near-copy index; a ``SpillError`` when the temporary folder cannot hold it."""
        try:
            return call(*args)
        except (OSError, sqlite3.Error) as error:
            raise spill_error("the near-copy index", error) from None

    def add(self, entries: Sequence[Entry]) -> list[tuple[int | None, float]]:
        """Take the next documents' entries; each one's nearest earlier copy (index, similarity)."""
        duplicates = []
        for entry in entries:
            doc = len(self.records)
            duplicate_of, similarity = self._keeping(self.index.add, entry.signature)
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
            for figure, value, unit, offset, end, where in entry.figures:
                for column, item in (("committee", self.codes[entry.committee]), ("figure", self.codes[figure]),
                                     ("unit", self.codes[unit]), ("year", entry.year), ("doc", doc),
                                     ("value", value), ("offset", offset), ("end", end)):
                    self.stated[column].append(item)
                places[offset] = where
            self.records.append((other, places))
        return duplicates

    def documents_frame(self) -> tuple[pd.DataFrame, dict[tuple[str, int], Place]]:
        """The documents rows taken since the last call, with their near-copies, as the copy checks judge them,
        and where each row's finding would stand (by check name and document); both let go here."""
        rows, self.rows = self.rows, []
        places, self.row_places = self.row_places, {}
        frame = pd.DataFrame.from_records(rows, columns=DOCUMENT_COLUMNS)
        return frame.astype({column: DTYPES["documents"][column] for column in DOCUMENT_COLUMNS}), places

    def trends_frames(self, rows: int) -> Iterator[pd.DataFrame]:
        """The trends frame of the run (``checks.frames.trend_rows``, from the entries) in slices of about ``rows``
        rows, cut between documents, each indexed from 0: each figure a committee's report states beside the
        same figure in its latest earlier report, with the ratio of the two. One slice, empty, when there are
        none. A slice at a time, so that judging the trends of a large corpus holds a slice's frame, not all.

        Column by column over the stated figures: each year's first report in the run stands for the year."""
        stated = pd.DataFrame({name: np.frombuffer(column, dtype=np.dtype(column.typecode))
                               for name, column in self.stated.items()})
        stated["pair"] = stated.groupby(["committee", "figure"], sort=False).ngroup() if len(stated) else 0
        firsts = stated.sort_values(["pair", "year", "doc"], kind="stable").drop_duplicates(["pair", "year"])
        earlier = firsts.groupby("pair", sort=False)
        firsts = firsts.assign(previous_year=earlier["year"].shift(1), previous_value=earlier["value"].shift(1))
        firsts = firsts[["pair", "year", "previous_year", "previous_value"]]
        docs = stated["doc"].to_numpy()  # in input order: a document's figures are together
        start = 0
        while True:
            stop = min(start + rows, len(stated))
            if stop < len(stated):  # back to the start of the document cut, or past it when one fills the slice
                stop = int(np.searchsorted(docs, docs[stop], side="left"))
                if stop <= start:
                    stop = int(np.searchsorted(docs, docs[start], side="right"))
            yield self._trends(stated.iloc[start:stop], firsts)
            start = stop
            if start >= len(stated):
                return

    def _trends(self, stated: pd.DataFrame, firsts: pd.DataFrame) -> pd.DataFrame:
        rows = stated.merge(firsts, on=["pair", "year"], how="inner", sort=False).dropna(subset=["previous_year"])
        rows = rows.sort_values(["doc", "offset", "pair"], kind="stable")
        names = np.array(self.codes.names, dtype=object)
        frame = pd.DataFrame({
            "doc": rows["doc"].to_numpy(), "kind": "report",
            "committee": names[rows["committee"].to_numpy(dtype=np.intp)],
            "figure": names[rows["figure"].to_numpy(dtype=np.intp)],
            "year": rows["year"].to_numpy(dtype=float), "value": rows["value"].to_numpy(dtype=float),
            "unit": names[rows["unit"].to_numpy(dtype=np.intp)], "previous_year": rows["previous_year"].to_numpy(),
            "previous_value": rows["previous_value"].to_numpy(),
            "ratio": np.maximum(rows["value"], rows["previous_value"]).to_numpy()
            / np.minimum(rows["value"], rows["previous_value"]).to_numpy(),
            "offset": rows["offset"].to_numpy(), "end": rows["end"].to_numpy(),
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
