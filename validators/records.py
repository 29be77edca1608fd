"""The results of a validation run: per document, per expectation, per unreadable input.

Frozen dataclasses only; the writers in ``reports/`` turn them into text, JSON, SARIF and HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from checks.records import Finding, Heading, PartWhole, Statistic
from crawler.records import Document


@dataclass(frozen=True)
class DocumentResult:
    """A document with what the checks made of it and what the validators found.

    document: the normalized document.
    headings: its numbered headings; sections: which of ``work``, ``shortcomings``, ``plans`` it has.
    statistics: every figure it states; relations: the part/whole relations between them.
    findings: sorted by source line and column.
    """

    document: Document
    headings: tuple[Heading, ...]
    sections: tuple[str, ...]
    statistics: tuple[Statistic, ...]
    relations: tuple[PartWhole, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ExpectationResult:
    """How one pandera check or GX expectation fared over the whole run.

    engine: ``pandera`` or ``gx``; frame: ``documents``, ``lines``, ``headings``, ``statistics``, ``relations``.
    name: the rule's check (``section-missing/work``); rule: the rule id it stands for.
    expectation: how the engine states it (the GX expectation type, or ``Check`` for pandera).
    success: whether every row met it; element_count, unexpected_count: rows judged and rows failed.
    observed: a few failing values, as the engine reported them.
    """

    engine: str
    frame: str
    name: str
    rule: str
    success: bool
    element_count: int
    unexpected_count: int
    observed: tuple[Any, ...] = field(default=())
    expectation: str = "Check"


@dataclass(frozen=True)
class InputError:
    """An input the tool could not read: path as given, and a one-sentence message with the fix."""

    path: str
    message: str


@dataclass(frozen=True)
class RunResult:
    """One validation run.

    documents: in input order; errors: inputs that could not be read; expectations: per check/expectation.
    engines: which engines judged (``pandera`` always, ``gx`` on batches or on demand).
    started_at, finished_at: wall-clock times, timezone-aware.
    gx_severity: the worst severity among failed GX expectations (``critical``, ``warning``, ``info``),
        as GX's ``get_max_severity_failure()`` reads it; None when GX did not run or nothing failed.
    """

    documents: tuple[DocumentResult, ...]
    errors: tuple[InputError, ...]
    expectations: tuple[ExpectationResult, ...]
    engines: tuple[str, ...]
    started_at: datetime
    finished_at: datetime
    gx_severity: str | None = None

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.documents for finding in result.findings]
