"""The rules across documents, over the whole corpus: near-copies and a committee's figures across years.

The chunks are judged where they are read (``validators.chunks``); what cannot be judged a chunk at a time
is judged here, in the main process, over the chunks' ``Entry`` records only — never a text. What it keeps
for the whole run, per document (the rest is let go once judged):

- the near-copy index (``checks.duplicates.NearCopyIndex``): its signature and LSH buckets, about 1.5 KB;
- its title, path and line, which a later copy's message names: about 150 bytes;
- for a committee's report, each figure compared across years (at most three): its year, value, unit and
  where its finding would stand, about 300 bytes a figure.

Near-copies are judged as documents arrive (a copy is of an earlier document), in batches of rows of the
documents frame (``documents_frame``); the trends need every year of a committee, so they are judged once,
at the end (``trends_frame``). Each finding is made from the place its chunk computed (``findings_of``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from checks.duplicates import NearCopyIndex
from checks.frames import COLUMNS, DTYPES
from validators.catalogue import Failure, Other
from validators.chunks import Entry
from validators.findings import finding_at
from validators.plan import Planned
from validators.records import Finding, Place

DOCUMENT_COLUMNS = ("doc", "kind", "title", "similarity", "duplicate_of")


class Corpus:
    """The corpus-wide pass of one run, fed the chunks' entries in input order; see the module docstring."""

    def __init__(self) -> None:
        self.index = NearCopyIndex()
        self.others: list[Other] = []
        self.rows: list[tuple] = []
        self.row_places: dict[tuple[str, int], Place] = {}
        self.places: dict[tuple[int, int], Place] = {}
        self.stated: dict[tuple[str, str], list[tuple[int, int, float, str, int, int]]] = {}

    def add(self, entries: Sequence[Entry]) -> list[tuple[int | None, float]]:
        """Take the next documents' entries; each one's nearest earlier copy (index, similarity)."""
        duplicates = []
        for entry in entries:
            doc = len(self.others)
            duplicate_of, similarity = self.index.add(entry.signature)
            duplicates.append((duplicate_of, similarity))
            self.others.append(Other(entry.title, entry.path, entry.line, entry.words))
            if not entry.judged:
                continue
            self.rows.append((doc, entry.kind, entry.title, similarity,
                              float(duplicate_of) if duplicate_of is not None else math.nan))
            for name, where in entry.places.items():
                self.row_places[(name, doc)] = where
            for figure, value, unit, offset, end, where in entry.figures:
                stated = (entry.year, doc, value, unit, offset, end)
                self.stated.setdefault((entry.committee, figure), []).append(stated)
                self.places[(doc, offset)] = where
        return duplicates

    def documents_frame(self) -> tuple[pd.DataFrame, dict[tuple[str, int], Place]]:
        """The documents rows taken since the last call, with their near-copies, as the copy checks judge them,
        and where each row's finding would stand (by check name and document); both let go here."""
        rows, self.rows = self.rows, []
        places, self.row_places = self.row_places, {}
        frame = pd.DataFrame.from_records(rows, columns=DOCUMENT_COLUMNS)
        return frame.astype({column: DTYPES["documents"][column] for column in DOCUMENT_COLUMNS}), places

    def trends_frame(self) -> pd.DataFrame:
        """The trends frame of the run (``checks.frames.trend_rows``, from the entries): each figure a committee's
        report states beside the same figure in its latest earlier report, with the ratio of the two."""
        rows = []
        for (committee, figure), entries in self.stated.items():
            # Each year's first report in the run stands for the year; linear in the reports once sorted.
            first: dict[int, tuple] = {}
            for entry in sorted(entries, key=lambda entry: (entry[0], entry[1])):
                first.setdefault(entry[0], entry)
            years = sorted(first)
            latest_before = dict(zip(years[1:], years, strict=False))
            for year, doc, value, unit, offset, end in entries:
                if year not in latest_before:
                    continue
                previous_year = latest_before[year]
                previous = first[previous_year][2]
                ratio = max(value, previous) / min(value, previous)
                rows.append((doc, "report", committee, figure, float(year), value, unit, float(previous_year),
                             previous, ratio, offset, end))
        rows.sort(key=lambda row: (row[0], row[10]))
        return pd.DataFrame.from_records(rows, columns=COLUMNS["trends"]).astype(DTYPES["trends"])

    def finding_of(self, item: Planned, record: dict, engine: str,
                   places: dict[tuple[str, int], Place] | None = None) -> Finding:
        """The finding of a failed row of ``item`` (a check across documents): at the place ``places`` holds for
        a row of the documents frame, at its figure's for a row of the trends frame."""
        doc = int(record["doc"])
        where = self.places[(doc, int(record["offset"]))] if places is None else places[(item.name, doc)]
        message, data = item.rule.describe(Failure(record, dict(item.check.data), None, self.others.__getitem__))
        return finding_at(item, where, message, data, engine)
