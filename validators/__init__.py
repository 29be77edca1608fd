"""Judging documents: pandera on every path, Great Expectations over batches, findings out.

``validate(documents)`` runs the checks over each document, builds the frames, judges them with the
pandera schemas (always) and the GX suite (for a batch, or when asked), and turns every failed row into
a finding. The two engines state the same rules; a failure either reports is a finding, once.
This package must never read files or the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from checks.analyze import analyze
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


def engines_for(suite: str, inputs: int) -> tuple[str, ...]:
    """The engines a run uses: pandera always; GX too for ``gx``, or for ``auto`` over more than one input."""
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; use one of {', '.join(SUITES)}")
    if suite == "gx" or (suite == "auto" and inputs > 1):
        return ("pandera", "gx")
    return ("pandera",)


def validate(documents: Sequence[Document], **options) -> RunResult:
    """Judge ``documents``; see ``validate_analyses`` for the options."""
    return validate_analyses([analyze(document) for document in documents], **options)


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
    frames = build_frames(analyses, near_duplicates([analysis.signature for analysis in analyses]))
    rules = build_rules(duplicate_threshold, rate_tolerance)
    failures, expectations = judge(frames, rules)
    tagged = [(rule, row, "pandera") for rule, row in failures]
    if "gx" in engines:
        from validators.suite import run_suite

        gx_failures, gx_expectations, _ = run_suite(frames, rules)
        tagged.extend((rule, row, "gx") for rule, row in gx_failures)
        expectations = [*expectations, *gx_expectations]
    make = FindingMaker(frames, analyses)
    seen: set[tuple[str, int]] = set()
    per_document: list[list[Finding]] = [[] for _ in analyses]
    for rule, row, engine in tagged:
        if (rule.name, row) in seen:
            continue
        seen.add((rule.name, row))
        for finding in make(rule, row, engine):
            per_document[int(frames[rule.frame].at[row, "doc"])].append(finding)
    results = tuple(
        DocumentResult(
            document=analysis.document, headings=analysis.headings, sections=analysis.sections,
            statistics=analysis.statistics, relations=analysis.relations,
            findings=_unique_fingerprints(sorted(findings, key=lambda f: (f.line, f.column, f.rule))),
        )
        for analysis, findings in zip(analyses, per_document, strict=True)
    )
    return RunResult(
        documents=results, errors=tuple(errors), expectations=tuple(expectations), engines=tuple(engines),
        started_at=started, finished_at=datetime.now(UTC),
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


