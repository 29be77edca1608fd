"""Judging documents: pandera on every path, Great Expectations over batches, findings out.

``validate(documents)`` runs the checks over each document, builds the frames, judges them with the
pandera schemas (always) and the GX suite (for a batch, or when asked), and turns every failed row into
a finding. The two engines state the same rules; a failure either reports is a finding, once.
This package must never read files or the network.
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
from checks.records import Analysis, Finding
from crawler.records import Document
from validators.errors import ExpectationError, FrameContractError, ValidatorError
from validators.findings import FindingMaker
from validators.records import DocumentResult, InputError, RunResult
from validators.rules import build_rules
from validators.schemas import judge

__all__ = ["validate", "validate_analyses", "engines_for", "ValidatorError", "FrameContractError", "ExpectationError"]

SUITES = ("auto", "pandera", "gx")
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


def validate_analyses(
    analyses: Sequence[Analysis],
    *,
    engines: Sequence[str] = ("pandera",),
    errors: Sequence[InputError] = (),
    duplicate_threshold: float = 0.8,
    rate_tolerance: float = 1.0,
) -> RunResult:
    """Judge analysed documents with ``engines`` and return the run's results, findings sorted by position."""
    started = datetime.now(UTC)
    broken: dict[int, InputError] = {}

    def fail(doc: int, error: Exception) -> None:
        document = analyses[doc].document
        failure = unexpected(document.path, error, document.line)
        broken.setdefault(doc, InputError(path=failure.path, message=str(failure)))

    frames = build_frames(analyses, near_duplicates([analysis.signature for analysis in analyses]), fail)
    rules = build_rules(duplicate_threshold, rate_tolerance)
    if "gx" in engines:
        from validators.suite import run_suite

        # The engines judge the same frames independently: pandera in a forked child, GX here.
        pandera = _forked(lambda: _named(judge(frames, rules)))
        gx_failures, gx_expectations, gx_severity = run_suite(frames, rules)
        by_name = {rule.name: rule for rule in rules}
        named_failures, expectations = pandera()
        failures = [(by_name[name], row) for name, row in named_failures]
        expectations = [*expectations, *gx_expectations]
    else:
        failures, expectations = judge(frames, rules)
        gx_severity = None
    tagged = [(rule, row, "pandera") for rule, row in failures]
    if "gx" in engines:
        tagged.extend((rule, row, "gx") for rule, row in gx_failures)
    make = FindingMaker(frames, analyses)
    seen: set[tuple[str, int]] = set()
    per_document: list[list[Finding]] = [[] for _ in analyses]
    for rule, row, engine in tagged:
        if (rule.name, row) in seen:
            continue
        seen.add((rule.name, row))
        doc = make.document_of(rule.frame, row)
        try:
            per_document[doc].extend(make(rule, row, engine))
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the run
            fail(doc, error)
    results = tuple(
        DocumentResult(
            document=analysis.document, headings=analysis.headings, sections=analysis.sections,
            statistics=analysis.statistics, relations=analysis.relations,
            findings=_unique_fingerprints(sorted(findings, key=lambda f: (f.line, f.column, f.rule))),
        )
        for doc, (analysis, findings) in enumerate(zip(analyses, per_document, strict=True)) if doc not in broken
    )
    return RunResult(
        documents=results, errors=(*errors, *broken.values()), expectations=tuple(expectations),
        engines=tuple(engines),
        started_at=started, finished_at=datetime.now(UTC), gx_severity=gx_severity,
    )


def _named(judged):
    failures, expectations = judged
    return [(rule.name, row) for rule, row in failures], expectations


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


