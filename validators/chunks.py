"""Judging a chunk of documents where it was read: frames, pandera and findings in, small plain results out.

``ChunkJudge(options)`` is the work of a worker process (``checks.batch.map_chunks``): it reads and analyses
a chunk of files, builds the chunk's frames, judges them with pandera by every check of the plan that looks
at one document at a time, makes those findings, and returns a ``Chunk``: each document's result (its source
lines only when the writer needs them), what the corpus-wide rules need of it (an ``Entry``: a signature,
a title, a few figures and where their findings would stand), pandera's results and failing rows, and for
GX the frames' columns its expectations read. It must never judge across documents (``validators.corpus``
does, over the entries) nor send a document's text out of the process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from checks.analyze import analyze_all, unexpected
from checks.figures import BY_ID, key_figures
from checks.frames import build_frames, report_district
from checks.records import Analysis
from validators.catalogue import Bounds, other_of
from validators.collector import chunk_collections
from validators.findings import FindingMaker, document_span, place
from validators.plan import RuleSelection, markers, plan
from validators.records import DocumentResult, ExpectationResult, Finding, InputError, Place
from validators.schemas import judge

# The columns GX reads none of: left out of what a chunk sends for GX (the text is most of a frame's bytes).
UNREAD_BY_GX = {"lines": ("text",), "documents": ("title",), "statistics": ("label",)}


@dataclass(frozen=True)
class Options:
    """How a run judges, as a worker needs it: the rule selection, the bounds, the engines, whether each
    document's result keeps its source lines (the text and HTML writers show them), and ``encode``: None, or
    what each document's result is made into where it was judged (``reports.jsonl.Encoder``: the line of
    JSON the streamed writers write, so the main process, which takes every document, only writes it)."""

    selection: RuleSelection = field(default_factory=RuleSelection)
    bounds: Bounds = field(default_factory=Bounds)
    engines: tuple[str, ...] = ("pandera",)
    keep_lines: bool = True
    encode: Callable[[DocumentResult], Any] | None = None


@dataclass(frozen=True)
class Entry:
    """What the rules across documents need of one document (``validators.corpus``), and nothing more.

    signature: its MinHash signature (None: too short to compare); judged: its rows are in the frames;
    kind, title, path, line, committee, year: as the document's; places: by check across documents over the
    documents frame, where its finding would stand; figures: the figures a committee's reports are compared
    by across years, each (figure id, value, unit, offset, end, where its finding would stand); district: the
    district a committee's report names itself of (``crawler.domain.district_of``), or None.
    """

    signature: Any
    judged: bool
    kind: str
    title: str
    path: str
    line: int
    committee: str | None
    year: int | None
    places: dict[str, Place] = field(default_factory=dict)
    figures: tuple[tuple[str, float, str, int, int, Place], ...] = ()
    words: str = ""
    district: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A judged chunk: per analysed document its ``results`` (None where judging it failed; as ``Options.encode``
    made them, where set) and ``entries``; ``errors``: inputs that could not be read or analysed; ``broken``:
    documents judging failed on;
    ``expectations``, ``failures``: pandera's result per check and its failing (check, row) pairs;
    ``columns``: each frame without the columns GX does not read, compacted (``Compacted``; None when GX does
    not judge); ``files``: how many files the chunk held."""

    results: tuple[Any, ...] = ()
    entries: tuple[Entry, ...] = ()
    errors: tuple[InputError, ...] = ()
    broken: tuple[InputError, ...] = ()
    expectations: tuple[ExpectationResult, ...] = ()
    failures: tuple[tuple[str, int], ...] = ()
    columns: dict[str, Any] | None = None
    files: int = 0


@dataclass(frozen=True)
class Compacted:
    """A frame's columns as a chunk sends them for GX and a GX batch holds them until judged, in a fraction of
    the bytes (``compact``): ``frame``, and ``dtypes``, the columns changed with the dtype each was built with."""

    frame: pd.DataFrame
    dtypes: dict[str, Any]


def compact(table: pd.DataFrame) -> Compacted:
    """``table`` with its strings as categories (a kind or a unit repeats on every row) and its integers in the
    fewest bytes that hold them; ``whole`` undoes both."""
    changed: dict[str, Any] = {}
    for name, column in table.items():
        if column.dtype == object and not column.hasnans:
            changed[name] = "category"
        elif column.dtype.kind == "i" and len(column):
            low, high = column.min(), column.max()
            changed[name] = next((kind for kind in ("int8", "int16", "int32")
                                  if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max), None)
    changed = {name: kind for name, kind in changed.items() if kind is not None}
    return Compacted(table.astype(changed), {name: table[name].dtype for name in changed})


def whole(parts: Sequence[Compacted]) -> pd.DataFrame:
    """The frame of the compacted ``parts`` one after another, each column of the dtype it was built with."""
    frame = pd.concat([part.frame for part in parts], ignore_index=True)
    dtypes = {name: dtype for part in parts for name, dtype in part.dtypes.items()}
    return frame.astype(dtypes) if dtypes else frame


def died(error) -> Chunk:
    """The chunk standing for a file that killed its process every time: its error alone."""
    return Chunk(errors=(InputError(path=error.path, message=str(error)),), files=1)


class ChunkJudge:
    """Reads, analyses and judges chunks of files (``__call__``) or analysed documents (``judge``); picklable."""

    def __init__(self, options: Options, max_bytes: int = 0, max_pages: int | None = None) -> None:
        self.options, self.max_bytes, self.max_pages = options, max_bytes, max_pages
        self._planned = None
        self._schemas: dict = {}

    def __getstate__(self) -> dict:
        return {"options": self.options, "max_bytes": self.max_bytes, "max_pages": self.max_pages}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["options"], state["max_bytes"], state["max_pages"])

    @property
    def planned(self):
        if self._planned is None:
            self._planned = plan(self.options.selection, self.options.bounds)
        return self._planned

    def __call__(self, paths: list[str]) -> Chunk:
        with chunk_collections():
            return self._files(paths)  # the chunk's analyses gone before the collector is back on

    def _files(self, paths: list[str]) -> Chunk:
        from checks.batch import _analyze_files

        analyses, errors = _analyze_files(paths, self.max_bytes, self.max_pages)
        return replace(self.judge(analyses, [InputError(path=e.path, message=str(e)) for e in errors]),
                       files=len(paths))

    def documents(self, documents: Sequence) -> Chunk:
        """The chunk of ``documents`` (``crawler.records.Document``), analysed here."""
        analyses, failures = analyze_all(documents)
        return self.judge(analyses, [InputError(path=e.path, message=str(e)) for e in failures])

    def judge(self, analyses: Sequence[Analysis], errors: Sequence[InputError] = ()) -> Chunk:
        """The chunk of ``analyses``; ``errors``: the inputs of the chunk that could not be read or analysed."""
        planned = self.planned
        local = [item for item in planned if not item.across]
        selection = self.options.selection
        broken: dict[int, InputError] = {}
        left_out: set[int] = set()

        def fail(doc: int, error: Exception) -> None:
            document = analyses[doc].document
            failure = unexpected(document.path, error, document.line)
            broken.setdefault(doc, InputError(path=failure.path, message=str(failure)))

        def leave_out(doc: int, error: Exception) -> None:
            left_out.add(doc)
            fail(doc, error)

        frames = build_frames(analyses, [(None, 0.0)] * len(analyses), markers(planned), leave_out, trends=False)
        failures, expectations = judge(frames, local, schemas=self._schemas)
        make = FindingMaker(frames, analyses, local)
        per_document: list[list[Finding]] = [[] for _ in analyses]
        for check, row in failures:
            doc = make.document_of(check, row)
            try:
                per_document[doc].extend(f for f in make(check, row, "pandera") if selection.reports(f.rule, f.path))
            except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
                fail(doc, error)
        from validators.judge import ordered, result_of

        results: list[DocumentResult | None] = []
        entries = []
        for doc, (analysis, found) in enumerate(zip(analyses, per_document, strict=True)):
            following = analyses[doc + 1].document if doc + 1 < len(analyses) else None
            result = None
            if doc not in broken:
                try:
                    result = result_of(analysis, ordered(found), following, self.options.keep_lines)
                    if self.options.encode is not None:
                        result = self.options.encode(result)
                except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
                    result = None  # nor its result made but not encoded reach the writer
                    fail(doc, error)
            try:
                entry = self._entry(analysis, doc not in left_out)
            except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
                fail(doc, error)
                result, entry = None, self._entry(analysis, False)
            results.append(result)
            entries.append(entry)
        columns = None
        if "gx" in self.options.engines:
            columns = {name: compact(table.drop(columns=list(UNREAD_BY_GX.get(name, ()))))
                       for name, table in frames.tables.items() if name != "trends"}
        return Chunk(tuple(results), tuple(entries), tuple(errors), tuple(broken.values()), tuple(expectations),
                     tuple(failures), columns)

    def _entry(self, analysis: Analysis, judged: bool) -> Entry:
        from crawler.normalize import title_as_written  # loaded already: the chunk's documents were read

        document = analysis.document
        entry = Entry(analysis.signature, judged, document.kind, title_as_written(document), document.path,
                      document.line, document.committee, document.year, words=other_of(document).words)
        if not judged:
            return entry
        places = {item.name: place(document, *document_span(item, document))
                  for item in self.planned if item.across and item.frame == "documents"}
        figures, district = (), None
        if document.kind == "report" and document.committee and document.year:
            figures = tuple((figure, s.value, s.unit, s.offset, s.end, place(document, s.offset, s.end))
                            for figure, s in key_figures(analysis.statistics).items()
                            if BY_ID[figure].trend and s.value > 0)  # a ratio needs two positive numbers
            district = report_district(document) if figures else None
        return replace(entry, places=places, figures=figures, district=district)

