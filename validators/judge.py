"""Judging documents: pandera on every path, Great Expectations over batches, findings out, chunk by chunk.

``judge_chunks`` takes the run's chunks in input order, each judged where it was read (``validators.chunks``:
frames, pandera, the findings of one document at a time), hands each document's result to a ``Sink`` as it
comes, judges the rules across documents over the chunks' small entries (``validators.corpus``) and adds
their findings, merges the engines' results, and closes the run. GX judges batches of the chunks' columns
(the ones its expectations read, never the text) here, a fixed price a batch, once every chunk is in: the
columns wait in a temporary file, so that neither they nor GX (whose import alone is ~110 MiB) are in memory
beside the workers'. The two engines judge the same plan of checks, must fail the same rows, and a failure
is a finding, once. ``validate_analyses`` is the same road over documents already analysed, as one chunk.
This module must never read files or the network.
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np
import pandas as pd

from checks.analyze import analyze_all, unexpected
from checks.frames import FRAMES, Frames
from checks.records import Analysis
from crawler.records import Document
from validators.catalogue import Bounds
from validators.chunks import Chunk, ChunkJudge, Compacted, Options, whole
from validators.corpus import Corpus
from validators.errors import ExpectationError
from validators.plan import RuleSelection, markers, plan
from validators.records import (
    DocumentResult,
    ExpectationResult,
    Finding,
    InputError,
    PlacedRelation,
    PlacedStatistic,
    RunResult,
    tool_version,
)
from validators.schemas import judge, observed_columns
from validators.spill import Spill

# Documents whose columns GX judges at once: its price is fixed a batch (about a second), and a batch's columns
# (about 1.5 KB a document, compacted) are in memory while it is judged.
GX_BATCH = 10_000
# Rows of the trends frame judged at once, by pandera and by GX: a slice's frame and GX's validation of it are
# in memory (about 100 MiB for 100,000 rows under GX), never the trends of the whole corpus at once.
TREND_SLICE = 50_000


def engines_for(suite: str, inputs: int) -> tuple[str, ...]:
    """The engines a run uses: pandera always; GX too for ``gx``, or for ``auto`` over more than one input."""
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; use one of {', '.join(SUITES)}")
    if suite == "gx" or (suite == "auto" and inputs > 1):
        return ("pandera", "gx")
    return ("pandera",)


def validate(documents: Sequence[Document], **options) -> RunResult:
    """Judge ``documents``; see ``validate_analyses`` for the options. A document the checks fail on is a
    tool error of the run, named; the others are judged."""
    analyses, failures = analyze_all(documents)
    errors = [*options.pop("errors", ()), *(InputError(path=error.path, message=str(error)) for error in failures)]
    return validate_analyses(analyses, errors=errors, **options)


SUITES = ("auto", "pandera", "gx")


def options_of(*, engines: Sequence[str] = ("pandera",), duplicate_threshold: float = 0.8, rate_tolerance: float = 1.0,
               trend_factor: float = 5.0, selection: RuleSelection | None = None, keep_lines: bool = True,
               encode: Callable[[DocumentResult], Any] | None = None) -> Options:
    """The ``Options`` of a run, from ``validate_analyses``'s keywords and ``encode`` (``Options``)."""
    return Options(selection or RuleSelection(), Bounds(duplicate_threshold, rate_tolerance, trend_factor),
                   tuple(engines), keep_lines, encode)


def validate_analyses(analyses: Sequence[Analysis], *, errors: Sequence[InputError] = (), **options) -> RunResult:
    """Judge analysed documents and return the run, findings sorted by position.

    engines: pandera, and GX; duplicate_threshold, rate_tolerance, trend_factor: the ``Bounds``;
    selection: which rules, at what severity, and where not (default: every rule at its severity);
    keep_lines: keep each document's source lines in its result (the text and HTML writers show them).
    """
    chosen = options_of(**options)
    return judge_chunks([ChunkJudge(chosen).judge(analyses)], chosen, Collected(), errors=errors)


class Sink(Protocol):
    """Where a run's documents go as they are judged: ``add`` each (None: judging it failed; as the run's
    ``Options.encode`` made it, where set), ``amend`` one
    with the findings of the rules across documents, ``drop`` one those failed on, ``close`` the run."""

    def add(self, doc: int, result: DocumentResult | None) -> None: ...

    def amend(self, doc: int, findings: Sequence[Finding]) -> None: ...

    def drop(self, doc: int) -> None: ...

    def close(self, run: RunResult) -> RunResult: ...


class Collected:
    """The sink that keeps every document in memory and closes the run with them (the text and HTML writers',
    the job's)."""

    def __init__(self) -> None:
        self.results: dict[int, DocumentResult] = {}

    def add(self, doc: int, result: DocumentResult | None) -> None:
        if result is not None:
            self.results[doc] = result

    def amend(self, doc: int, findings: Sequence[Finding]) -> None:
        if doc in self.results:
            self.results[doc] = amended(self.results[doc], findings)

    def drop(self, doc: int) -> None:
        self.results.pop(doc, None)

    def close(self, run: RunResult) -> RunResult:
        return replace(run, documents=tuple(self.results[doc] for doc in sorted(self.results)))


def amended(result: DocumentResult, findings: Sequence[Finding]) -> DocumentResult:
    """``result`` with ``findings`` (of other checks than its own findings') among its findings, by position."""
    return replace(result, findings=among(result.findings, findings))


def among(own: Sequence[Finding], later: Sequence[Finding]) -> tuple[Finding, ...]:
    """A document's ``own`` findings with the ``later`` ones of the checks across documents, by position."""
    return tuple(sorted([*own, *later], key=_position))


def judge_chunks(chunks: Iterable[Chunk], options: Options, sink: Sink, *, errors: Sequence[InputError] = (),
                 gx_batch: int = GX_BATCH, trend_slice: int = TREND_SLICE) -> RunResult:
    """Judge the run whose chunks ``chunks`` are (in input order, from ``ChunkJudge`` by ``options``), handing
    each document to ``sink``; the run as ``sink`` closes it. ``errors``: inputs known not read already;
    ``gx_batch``, ``trend_slice``: documents GX judges at once, rows of the trends judged at once."""
    judgement = _Judgement(options, sink, gx_batch, trend_slice)
    try:
        for chunk in chunks:
            judgement.add(chunk)
        return judgement.finish(errors)
    finally:
        judgement.close()


class _Judgement:
    """One run being judged: the corpus pass, the engines' results merged, GX's batch of columns."""

    def __init__(self, options: Options, sink: Sink, gx_batch: int, trend_slice: int) -> None:
        self.options, self.sink, self.gx_batch, self.trend_slice = options, sink, gx_batch, trend_slice
        self.planned = plan(options.selection, options.bounds)
        self.gx = "gx" in options.engines
        self.started = datetime.now(UTC)
        self.corpus = Corpus()
        self.results: dict[tuple[str, str], ExpectationResult] = {}
        self.errors: list[InputError] = []
        self.broken: list[InputError] = []
        # Of each chunk, only what GX reads, on disk: its columns, pandera's failing rows, the near-copies found;
        # and of each batch, its chunks there and the failing rows of the checks across documents.
        self.columns = Spill("the columns GX judges") if self.gx else None
        self.batches: list[tuple[range, dict[str, array]]] = []
        self.batched = 0
        self.documents = 0
        self.gx_severity: str | None = None

    def add(self, chunk: Chunk) -> None:
        offset = self.documents
        self.documents += len(chunk.results)
        for doc, result in enumerate(chunk.results):
            self.sink.add(offset + doc, result)
        self.errors.extend(chunk.errors)
        self.broken.extend(chunk.broken)
        for result in chunk.expectations:
            self._merge(result)
        duplicates = self.corpus.add(chunk.entries)
        if self.columns is not None and chunk.columns is not None:
            self.columns.append((chunk.columns, chunk.failures, duplicates))
        self.batched += len(chunk.results)
        if self.batched >= self.gx_batch:
            self._flush()

    def _merge(self, result: ExpectationResult) -> None:
        key = (result.engine, result.name)
        earlier = self.results.get(key)
        if earlier is not None:
            result = replace(earlier, success=earlier.success and result.success,
                             element_count=earlier.element_count + result.element_count,
                             unexpected_count=earlier.unexpected_count + result.unexpected_count,
                             observed=(*earlier.observed, *result.observed)[:5],
                             expectation=earlier.expectation or result.expectation)
        self.results[key] = result

    def close(self) -> None:
        self.corpus.close()
        if self.columns is not None:
            self.columns.close()

    def _flush(self) -> None:
        """Judge the copies among the documents taken since the last flush, and close GX's batch of them."""
        frame, places = self.corpus.documents_frame()
        across = [item for item in self.planned if item.across and item.frame == "documents"]
        failures, results = judge(Frames({"documents": frame}, (), []), across, partial=True) if across else ([], [])
        for result in results:
            self._merge(result)
        self._amend(self._corpus_findings(failures, frame, places))
        start = self.batches[-1][0].stop if self.batches else 0  # the first chunk not in a batch yet
        if self.columns is not None and len(self.columns) > start:
            rows: dict[str, array] = {}  # by check, its failing rows: 4 bytes a row, kept until GX judges the batch
            for check, row in failures:
                rows.setdefault(check, array("i")).append(row)
            self.batches.append((range(start, len(self.columns)), rows))
        self.batched = 0
        _give_back()

    def _judge_batches(self) -> None:
        """GX over each batch, its columns read back from disk, one batch in memory at a time."""
        for chunks, across_failures in self.batches:
            self._judge_batch([self.columns[chunk] for chunk in chunks], across_failures)
            _give_back()

    def _judge_batch(self, batch: list[tuple[dict, tuple, list]], across_failures: dict[str, array]) -> None:
        tables: dict[str, list[Compacted]] = {name: [] for name in FRAMES if name != "trends"}
        pandera_rows: dict[str, set[int]] = {}
        lengths = dict.fromkeys(tables, 0)
        frame_of = {item.name: item.frame for item in self.planned}
        for columns, failures, duplicates in batch:
            for check, row in failures:
                pandera_rows.setdefault(check, set()).add(lengths[frame_of[check]] + row)
            for name, table in columns.items():
                if name == "documents" and len(table.frame):
                    similarity = np.array([similarity for _, similarity in duplicates], dtype="float64")
                    copied = np.array([np.nan if other is None else float(other) for other, _ in duplicates])
                    docs = table.frame["doc"].to_numpy()
                    table = replace(table, frame=table.frame.assign(similarity=similarity[docs],
                                                                    duplicate_of=copied[docs]))
                tables[name].append(table)
                lengths[name] += len(table.frame)
        for check, rows in across_failures.items():
            pandera_rows.setdefault(check, set()).update(rows)
        frames = Frames({name: whole(parts) if parts else pd.DataFrame()
                         for name, parts in tables.items()}, tuple(markers(self.planned)), [])
        planned = [item for item in self.planned if item.frame != "trends"]
        self._gx(frames, planned, pandera_rows)

    def _gx(self, frames: Frames, planned, pandera_rows: dict[str, set[int]]) -> None:
        from validators.suite import run_suite, worse

        failures, results, worst = run_suite(frames, planned, observe=False)
        found: dict[str, set[int]] = {}
        for check, row in failures:
            found.setdefault(check, set()).add(row)
        for item in planned:
            if found.get(item.name, set()) != pandera_rows.get(item.name, set()):
                raise ExpectationError(f"GX and pandera fail different rows of the {item.frame} frame for "
                                       f"{item.name}; the plan states each check once for both engines")
        for result in results:
            self._merge(result)
        self.gx_severity = worse(self.gx_severity, worst)

    def _corpus_findings(self, failures, frame: pd.DataFrame, places=None) -> dict[int, list[Finding]]:
        by_name = {item.name: item for item in self.planned}
        failed = sorted({row for _, row in failures})  # of a large frame, only the rows a finding is made of
        position = {row: number for number, row in enumerate(failed)}
        columns = {name: values.tolist() for name, values in frame.iloc[failed].items()}
        found: dict[int, list[Finding]] = {}
        for check, row in failures:
            record = {name: values[position[row]] for name, values in columns.items()}
            doc = int(record["doc"])
            try:
                finding = self.corpus.finding_of(by_name[check], record, "pandera", places)
            except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
                other = self.corpus.other(doc)
                failure = unexpected(other.path, error, other.line)
                self.broken.append(InputError(path=failure.path, message=str(failure)))
                self.sink.drop(doc)
                found[doc] = []
                continue
            if self.options.selection.reports(finding.rule, finding.path):
                found.setdefault(doc, []).append(finding)
        return found

    def _amend(self, found: dict[int, list[Finding]]) -> None:
        for doc, findings in sorted(found.items()):  # a sink may keep them as runs in document order
            if findings:
                self.sink.amend(doc, ordered(findings))

    def finish(self, errors: Sequence[InputError]) -> RunResult:
        self._flush()
        self.corpus.seal()
        self._judge_batches()
        trends = [item for item in self.planned if item.frame == "trends"]
        for frame in self.corpus.trends_frames(self.trend_slice) if trends else ():
            failures, results = judge(Frames({"trends": frame}, (), []), trends)
            for result in results:
                self._merge(result)
            self._amend(self._corpus_findings(failures, frame))
            if self.gx:
                rows: dict[str, set[int]] = {}
                for check, row in failures:
                    rows.setdefault(check, set()).add(row)
                self._gx(Frames({"trends": frame}, (), []), trends, rows)
            _give_back()
        run = RunResult(
            documents=(), errors=(*errors, *self.errors, *self.broken), expectations=tuple(self._expectations()),
            engines=self.options.engines, started_at=self.started, finished_at=datetime.now(UTC),
            gx_severity=self.gx_severity if self.gx else None, tool_version=tool_version(),
        )
        return self.sink.close(run)

    def _expectations(self) -> list[ExpectationResult]:
        """The engines' results in the order of the engines, the frames and the plan; a check no chunk judged
        (a run of no document) as having judged no row."""
        ordered_results = []
        for engine in self.options.engines:
            for frame in FRAMES:
                for item in self.planned:
                    if item.frame != frame:
                        continue
                    result = self.results.get((engine, item.name)) or ExpectationResult(
                        engine, frame, item.name, item.rule.id, True, 0, 0, (),
                        "Check" if engine == "pandera" else "", observed_columns(item))
                    if engine == "gx":  # the engines fail the same rows: GX's values are pandera's
                        result = replace(result, observed=self.results.get(("pandera", item.name), result).observed)
                    ordered_results.append(result)
        return ordered_results


def _give_back() -> None:
    """Hand the heap's free pages back to the system once a batch is judged: glibc keeps them otherwise, and a
    run over a corpus would hold the most any batch needed, many times over."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none (the pages then stay with the process)."""
    import ctypes

    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


def ordered(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """A document's findings of some checks by position, repeated fingerprints told apart by order."""
    return _unique_fingerprints(sorted(findings, key=_position))


def _position(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.column, finding.rule


def result_of(analysis: Analysis, findings: tuple[Finding, ...], following: Document | None,
              keep_lines: bool = True) -> DocumentResult:
    """The judged document as plain values: positions resolved to source lines and columns."""
    from crawler.normalize import title_as_written  # where documents are judged it is loaded already

    document = analysis.document
    source = document.source
    end_line = following.line - 1 if following is not None and following.source is source else len(source.lines)
    # A document starts at its title, or at the page chrome saved above it.
    start = min([document.line, *(note.line for note in document.notes)])
    position = document.origin.position
    flagged = {(f.line, f.column) for f in findings if f.rule == "stat-part-whole"}
    statistics = tuple(PlacedStatistic(s.kind, s.value, s.unit, s.label, *position(s.offset), s.text)
                       for s in analysis.statistics)
    relations = tuple(PlacedRelation(r.relation, r.part, r.whole, r.stated, r.unit, *position(r.offset), r.text,
                                     ok=position(r.offset) not in flagged) for r in analysis.relations)
    return DocumentResult(
        path=document.path, line=start, end_line=max(end_line, document.line), title=title_as_written(document),
        committee=document.committee, year=document.year, kind=document.kind, sections=analysis.sections,
        url=document.url, site=document.site, category=document.category, published_at=document.published_at,
        meeting_date=document.meeting_date, session=document.session, encoding=source.encoding,
        source="store" if document.url else "file", warnings=document.warnings, statistics=statistics,
        relations=relations, findings=findings,
        lines=tuple(source.lines[start - 1 : end_line]) if keep_lines else None, pages=source.pages,
        truncated=position(analysis.truncated)[0] if analysis.truncated is not None else None,
    )


def _unique_fingerprints(findings: list[Finding]) -> tuple[Finding, ...]:
    """The findings with repeated fingerprints (the same words twice in one document) told apart by order."""
    counts: dict[str, int] = {}
    unique = []
    for finding in findings:
        count = counts.get(finding.fingerprint, 0)
        counts[finding.fingerprint] = count + 1
        if count:
            digest = hashlib.sha256(f"{finding.fingerprint}#{count}".encode()).hexdigest()[:16]
            finding = replace(finding, fingerprint=digest)
        unique.append(finding)
    return tuple(unique)


