"""Judging a committee's figures across its reports again, over documents a run did not all judge.

``validate`` judges the trends frame with everything else, over the documents of its batch. The main job
judges only what is new or changed, and merges the rest from its previous run: a new 2023 report must still
be set beside the 2022 report it did not judge again. ``judge_trends`` judges the trends frame alone, by
the same checks, engines and finding maker, over every report of the committees a run touched, and
``with_trends`` puts its findings in the merged run in place of the old ones. It reads no files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from checks.analyze import analyze_all
from checks.frames import Frames, build_frames
from validators.catalogue import Bounds
from validators.findings import FindingMaker
from validators.plan import RuleSelection, plan
from validators.records import ExpectationResult, Finding, RunResult
from validators.schemas import judge

FRAME = "trends"


def judge_trends(documents: Sequence, *, engines: Sequence[str] = ("pandera",), selection: RuleSelection | None = None,
                 bounds: Bounds | None = None) -> tuple[list[Finding], list[ExpectationResult]]:
    """The findings of the checks over the trends frame of ``documents`` (``crawler.records.Document``), and
    a result per check and engine; the documents the checks fail on are left out, as ``validate`` leaves them."""
    planned = [item for item in plan(selection, bounds) if item.frame == FRAME]
    analyses, _ = analyze_all(documents)
    if not planned:
        return [], []
    built = build_frames(analyses, [(None, 0.0)] * len(analyses), on_error=lambda _doc, _error: None)
    frames = Frames({FRAME: built.tables[FRAME]}, (), built.marks)
    failures, expectations = judge(frames, planned)
    found = [(failure, "pandera") for failure in failures]
    if "gx" in engines:
        from validators.suite import run_suite

        gx_failures, gx_expectations, _ = run_suite(frames, planned)
        judged = set(failures)
        found += [(failure, "gx") for failure in gx_failures if failure not in judged]
        expectations += gx_expectations
    make = FindingMaker(frames, analyses, planned)
    selection = selection or RuleSelection()
    findings = [finding for (check, row), engine in found for finding in make(check, row, engine)
                if selection.reports(finding.rule, finding.path)]
    return findings, expectations


def trend_rules() -> set[str]:
    """The ids of the rules judged over the trends frame, selected or not."""
    return {item.rule.id for item in plan() if item.frame == FRAME}


def with_trends(run: RunResult, committees: set[str], findings: Sequence[Finding],
                expectations: Sequence[ExpectationResult]) -> RunResult:
    """``run`` with the trend findings of the reports of ``committees`` replaced by ``findings``, and the
    trend checks' results by ``expectations``; each finding goes to the document whose lines hold it."""
    rules = trend_rules()
    documents = []
    for result in run.documents:
        if result.committee not in committees:
            documents.append(result)
            continue
        kept = [f for f in result.findings if f.rule not in rules]
        placed = [f for f in findings if f.path == result.path and result.line <= f.line <= result.end_line]
        ordered = sorted([*kept, *placed], key=lambda f: (f.line, f.column, f.rule))
        documents.append(replace(result, findings=tuple(ordered)))
    others = [result for result in run.expectations if result.rule not in rules]
    return replace(run, documents=tuple(documents), expectations=(*others, *expectations))
