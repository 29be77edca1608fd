"""Judging documents: pandera on every path, Great Expectations over batches, findings out.

``validate(documents)`` runs the checks over each document, builds the frames, judges them with the
pandera schemas (always) and the GX suite (for a batch, or when asked), turns every failed row into a
finding, and returns the run as a ``RunResult`` of plain records. The two engines judge the same plan of
checks; a failure either reports is a finding, once. This module must never read files or the network.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from checks.analyze import analyze_all, unexpected
from checks.duplicates import near_duplicates
from checks.frames import build_frames
from checks.records import Analysis
from crawler.records import Document
from validators.catalogue import Bounds
from validators.errors import ValidatorError
from validators.findings import FindingMaker
from validators.plan import RuleSelection, markers, plan
from validators.records import (
    DocumentResult,
    Finding,
    InputError,
    PlacedRelation,
    PlacedStatistic,
    RunResult,
    tool_version,
)
from validators.schemas import judge

T = TypeVar("T")


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


def validate_analyses(
    analyses: Sequence[Analysis],
    *,
    engines: Sequence[str] = ("pandera",),
    errors: Sequence[InputError] = (),
    duplicate_threshold: float = 0.8,
    rate_tolerance: float = 1.0,
    trend_factor: float = 5.0,
    selection: RuleSelection | None = None,
    keep_lines: bool = True,
) -> RunResult:
    """Judge analysed documents with ``engines`` and return the run, findings sorted by position.

    selection: which rules, at what severity, and where not (default: every rule at its severity);
    keep_lines: keep each document's source lines in its result (the text and HTML writers show them).
    """
    selection = selection or RuleSelection()
    started = datetime.now(UTC)
    broken: dict[int, InputError] = {}

    def fail(doc: int, error: Exception) -> None:
        document = analyses[doc].document
        failure = unexpected(document.path, error, document.line)
        broken.setdefault(doc, InputError(path=failure.path, message=str(failure)))

    planned = plan(selection, Bounds(duplicate_threshold, rate_tolerance, trend_factor))
    frames = build_frames(analyses, near_duplicates([analysis.signature for analysis in analyses]),
                          markers(planned), fail)
    if "gx" in engines:
        from validators.suite import run_suite

        # The engines judge the same frames independently: pandera in a forked child, GX here.
        pandera = _forked(lambda: judge(frames, planned))
        gx_failures, gx_expectations, gx_severity = run_suite(frames, planned)
        failures, expectations = pandera()
        expectations = [*expectations, *gx_expectations]
    else:
        failures, expectations = judge(frames, planned)
        gx_failures, gx_severity = [], None
    make = FindingMaker(frames, analyses, planned)
    seen: set[tuple[str, int]] = set()
    per_document: list[list[Finding]] = [[] for _ in analyses]
    for (check, row), engine in [*((failure, "pandera") for failure in failures),
                                 *((failure, "gx") for failure in gx_failures)]:
        if (check, row) in seen:
            continue
        seen.add((check, row))
        doc = make.document_of(check, row)
        try:
            per_document[doc].extend(f for f in make(check, row, engine) if selection.reports(f.rule, f.path))
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
            fail(doc, error)
    results = []
    for doc, (analysis, found) in enumerate(zip(analyses, per_document, strict=True)):
        if doc in broken:
            continue
        following = analyses[doc + 1].document if doc + 1 < len(analyses) else None
        try:
            results.append(result_of(analysis, _unique_fingerprints(sorted(found, key=_position)),
                                     following, keep_lines))
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
            fail(doc, error)
            results.append(None)
    return RunResult(
        documents=tuple(result for doc, result in enumerate(results) if result is not None and doc not in broken),
        errors=(*errors, *broken.values()), expectations=tuple(expectations), engines=tuple(engines),
        started_at=started, finished_at=datetime.now(UTC), gx_severity=gx_severity, tool_version=tool_version(),
    )


def _position(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.column, finding.rule


def result_of(analysis: Analysis, findings: tuple[Finding, ...], following: Document | None,
              keep_lines: bool = True) -> DocumentResult:
    """The judged document as plain values: positions resolved to source lines and columns."""
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
        path=document.path, line=start, end_line=max(end_line, document.line), title=document.title,
        committee=document.committee, year=document.year, kind=document.kind, sections=analysis.sections,
        url=document.url, site=document.site, category=document.category, published_at=document.published_at,
        meeting_date=document.meeting_date, session=document.session, encoding=source.encoding,
        source="store" if document.url else "file", warnings=document.warnings, statistics=statistics,
        relations=relations, findings=findings,
        lines=tuple(source.lines[start - 1 : end_line]) if keep_lines else None, pages=source.pages,
        truncated=position(analysis.truncated)[0] if analysis.truncated is not None else None,
    )


def _forked(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child and return a function that waits for its result.

    A fork shares the frames without copying them; only the (small) result travels back. Where fork
    is not available, or other threads run (a daemon's scheduler: a fork copies their locks in
    whatever state they are), the work is done at once, here.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        result = work()
        return lambda: result
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)

    def child() -> None:
        try:
            writer.send((True, work()))
        except BaseException as error:  # noqa: BLE001 - any failure travels back to be raised in the parent
            writer.send((False, error))

    process = context.Process(target=child, daemon=True)
    process.start()
    writer.close()

    def wait() -> T:
        try:
            ok, value = reader.recv()
        except EOFError:
            raise ValidatorError(f"the pandera judge died (exit code {process.exitcode})") from None
        finally:
            process.join()
        if not ok:
            raise value
        return value

    return wait


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


