"""The model of a run: what the validators found, as every writer, the job and the history read it.

``RunResult`` carries a run from the engines to the text, JSON, SARIF and HTML writers and to the main
job: its documents (each with its place in its file, what the checks read off it and its findings), the
inputs that could not be judged, and how each pandera check and GX expectation fared. Waivers are applied
by ``RunResult.waive``, the summary is ``RunResult.summary`` and the exit code ``RunResult.exit_code``:
each computed here, once. Frozen dataclasses of plain values only: importing this module costs nothing
(no pandas, no parser), and ``reports.json`` writes a run and reads it back.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import Any


@functools.total_ordering
class Severity(Enum):
    """How bad a finding is, in order: ``info`` < ``warning`` < ``error``; compared as such, never as strings."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        """The Chinese word a reader sees: 错误, 警告, 提示."""
        return _LABELS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    @classmethod
    def parse(cls, text: str) -> Severity:
        """The severity named ``text`` (``error``…); ValueError naming the choices otherwise."""
        try:
            return cls(text)
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; use one of info, warning, error") from None

    @classmethod
    def threshold(cls, text: str) -> Severity | None:
        """The lowest severity that fails a run for ``--fail-on``: a severity, or None for ``never``."""
        return None if text == "never" else cls.parse(text)


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_LABELS = {Severity.INFO: "提示", Severity.WARNING: "警告", Severity.ERROR: "错误"}
FAIL_ON = ("info", "warning", "error", "never")


@dataclass(frozen=True)
class Waiver:
    """A finding a person looked at and accepted: its ``fingerprint``, the ``reason``, the last day it applies."""

    fingerprint: str
    reason: str
    expires: date

    def applies_on(self, day: date) -> bool:
        return day <= self.expires


@dataclass(frozen=True)
class Finding:
    """A problem found in a document, positioned in its source file.

    rule: the stable rule id (``placeholder``…); severity: as configured for the rule.
    path: the source as people read it; line, column: 1-based, in the source file (columns in characters):
    in a .docx the line is the paragraph (body paragraphs and table cells, in reading order), in a PDF the
    line on ``page``; end_line, end_column: where the offending words end (end_column exclusive).
    page: the PDF page the finding is on (None for other files).
    excerpt: the offending words as they stand in the source (for a document-level finding, its title).
    message: one sentence, in Chinese, saying what is wrong and what was expected.
    data: rule-specific details (``section``, ``duplicate_of``, ``expected``, ``stated``, ``kind``…).
    fingerprint: stable across runs for the same finding in the same text.
    engine: ``pandera`` or ``gx``, whichever judged it first.
    waiver: the waiver in force that covers it, or None; new: whether it is new since the last complete run
        of the main job (None outside the job).
    """

    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    excerpt: str
    message: str
    end_line: int = 0
    end_column: int = 0
    data: Mapping[str, Any] = field(default_factory=dict)
    fingerprint: str = ""
    engine: str = "pandera"
    waiver: Waiver | None = None
    new: bool | None = None
    page: int | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None


@dataclass(frozen=True)
class Place:
    """Where a finding would stand, made where the document's text is, so that a finding of a rule over the
    corpus can be made later without it: path, line, column, end_line, end_column, excerpt, page as in
    ``Finding``; context: the document's committee, year, title and the words around the span, of which
    (with the check's name) the fingerprint is made."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str
    page: int | None
    context: str


@dataclass(frozen=True)
class PlacedStatistic:
    """A figure a document states, where it stands: kind, value, unit, label (see ``checks.records.Statistic``),
    its 1-based line and column in the source file, and the figure as written."""

    kind: str
    value: float
    unit: str
    label: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class PlacedRelation:
    """A part/whole relation a document states (see ``checks.records.PartWhole``), where it stands, and
    ``ok``: whether the validators found nothing wrong with it."""

    relation: str
    part: float
    whole: float
    stated: float | None
    unit: str
    line: int
    column: int
    text: str
    ok: bool = True


def passes(findings: Iterable[Finding]) -> bool:
    """Whether no unwaived error stands among ``findings``: a document's passing."""
    return not any(f.severity is Severity.ERROR and not f.waived for f in findings)


@dataclass(frozen=True)
class DocumentResult:
    """A judged document: where it is, what the checks read off it, and what the validators found.

    path: its source as people read it (a file, or the URL of a stored page); line, end_line: the lines of
    that source it takes (a compiled volume holds several documents).
    title, committee (a street key), year (the work year), kind (``report``, ``article``, ``other``),
    sections (which of ``work``, ``shortcomings``, ``plans`` it has).
    url, site, category, published_at, meeting_date, session: what the crawler knew of a stored page.
    encoding: the codec its file was read with; source: ``file`` or ``store``; warnings: extraction warnings.
    statistics, relations: the figures it states and their relations; findings: by line and column.
    lines: its source lines (``line`` to ``end_line``), when the run keeps them (the HTML report shows them).
    pages: for a PDF, the line of the file on which each page starts (findings count lines per page).
    truncated: the line where the text stops mid-sentence (an excerpt, a page saved half-loaded), or None when
        it is whole; a cut text is told so once, as a notice, and is not held to a whole report's parts.
    """

    path: str
    line: int
    end_line: int
    title: str
    committee: str | None
    year: int | None
    kind: str
    sections: tuple[str, ...] = ()
    url: str | None = None
    site: str | None = None
    category: str | None = None
    published_at: datetime | None = None
    meeting_date: date | None = None
    session: str | None = None
    encoding: str = "utf-8"
    source: str = "file"
    warnings: tuple[str, ...] = ()
    statistics: tuple[PlacedStatistic, ...] = ()
    relations: tuple[PlacedRelation, ...] = ()
    findings: tuple[Finding, ...] = ()
    lines: tuple[str, ...] | None = None
    pages: tuple[int, ...] = ()
    truncated: int | None = None

    @property
    def passed(self) -> bool:
        """Whether no unwaived error stands in the document."""
        return passes(self.findings)

    def source_line(self, number: int, page: int | None = None) -> str | None:
        """Line ``number`` of the source (1-based, in the whole file, or on ``page`` of a PDF), when kept."""
        if page is not None and self.pages:
            number = self.pages[page - 1] + number - 1 if 0 < page <= len(self.pages) else 0
        if self.lines is None or not self.line <= number < self.line + len(self.lines):
            return None
        return self.lines[number - self.line]


@dataclass(frozen=True)
class InputError:
    """An input the tool could not read or judge: the path as people read it, and one sentence with the fix.

    carried: it was reported by an earlier run of the main job, whose report it is kept in.
    """

    path: str
    message: str
    carried: bool = False


@dataclass(frozen=True)
class ExpectationResult:
    """How one pandera check or GX expectation fared over the whole run.

    engine: ``pandera`` or ``gx``; frame: ``documents``, ``lines``, ``headings``, ``statistics``, ``relations``…
    name: the rule's check (``section-missing/work``); rule: the rule id it stands for.
    expectation: how the engine states it (the GX expectation type, or ``Check`` for pandera).
    success: whether every row met it; element_count, unexpected_count: rows judged and rows failed.
    observed: a few failing values, as plain values (one column's value, or a list of the columns').
    columns: the names of the columns ``observed`` shows.
    """

    engine: str
    frame: str
    name: str
    rule: str
    success: bool
    element_count: int
    unexpected_count: int
    observed: tuple[Any, ...] = ()
    expectation: str = "Check"
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """The counts of a run, over unwaived findings: documents, findings, by rule and by severity (ids to
    counts, most severe first), documents passed and failed, inputs not judged, findings waived."""

    documents: int
    findings: int
    by_rule: dict[str, int]
    by_severity: dict[str, int]
    passed: int
    failed: int
    errors: int
    waived: int


class SummaryCounts:
    """A run's summary counted document by document: ``RunResult.summary`` over a run held whole, and a
    streamed run's (``reports.jsonl``) as its documents are written; ``add`` with ``sign=-1`` takes one back."""

    def __init__(self) -> None:
        self.documents = self.failed = self.waived = self.findings = 0
        self.by_rule: Counter[str] = Counter()
        self.first: dict[str, tuple[int, int, int]] = {}
        self.severities: Counter[Severity] = Counter()
        self.worst: Severity | None = None

    def add(self, doc: int, result: DocumentResult, sign: int = 1) -> None:
        """Count document ``doc``: of ``result``, only ``passed`` and its findings' rule, severity, ``waived``,
        line and column are read (a streamed run's ``reports.jsonl.Encoded`` holds no more)."""
        self.documents += sign
        self.failed += sign * (not result.passed)
        self._count(doc, result.findings, sign)

    def amend(self, doc: int, own: Sequence[Finding], later: Sequence[Finding]) -> None:
        """Count the ``later`` findings put among the ``own`` findings of a document counted already."""
        self.failed += passes(own) and not passes(later)
        self._count(doc, later, 1)

    def _count(self, doc: int, findings: Sequence[Finding], sign: int) -> None:
        for finding in findings:
            if finding.waived:
                self.waived += sign
                continue
            self.findings += sign
            self.by_rule[finding.rule] += sign
            self.severities[finding.severity] += sign
            # most_common keeps ties in the order a rule first appears in the run: kept here as a position.
            self.first[finding.rule] = min(self.first.get(finding.rule, (doc, finding.line, finding.column)),
                                           (doc, finding.line, finding.column))
            if sign > 0 and (self.worst is None or finding.severity > self.worst):
                self.worst = finding.severity

    def summary(self, errors: int) -> Summary:
        rules = sorted((rule for rule, count in self.by_rule.items() if count),
                       key=lambda rule: (self.first[rule], rule))
        by_rule = Counter({rule: self.by_rule[rule] for rule in rules})
        severities = [severity for severity, count in self.severities.items() if count]
        return Summary(
            documents=self.documents, findings=self.findings, by_rule=dict(by_rule.most_common()),
            by_severity={s.value: self.severities[s] for s in sorted(severities, reverse=True)},
            passed=self.documents - self.failed, failed=self.failed, errors=errors, waived=self.waived,
        )


@dataclass(frozen=True)
class RunResult:
    """One run, from the engines to every writer and to the job.

    documents: in input order (the job's: by path); errors: inputs that could not be read or judged;
    expectations: per check/expectation; engines: which engines judged (``pandera`` always, ``gx`` on batches).
    started_at, finished_at: timezone-aware times; gx_severity: the worst failed GX severity as
    ``get_max_severity_failure()`` reads it (``critical``, ``warning``, ``info``), None when GX did not run
    or nothing failed; tool_version: the wrqa version that judged.
    run_id, trigger, validated: the main job's run number, what started it and how many documents it judged
    afresh (None outside the job).
    skipped: files of walked folders that are not of a kind wrqa reads (a spreadsheet, a picture).
    coverage: which committees' annual reports the documents hold for which years (``reports.coverage.Coverage``),
        when it was computed for the run's report; None otherwise.
    """

    documents: tuple[DocumentResult, ...]
    errors: tuple[InputError, ...] = ()
    expectations: tuple[ExpectationResult, ...] = ()
    engines: tuple[str, ...] = ("pandera",)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    gx_severity: str | None = None
    tool_version: str = ""
    run_id: int | None = None
    trigger: str | None = None
    validated: int | None = None
    skipped: tuple[str, ...] = ()
    coverage: Any = None

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.documents for finding in result.findings]

    @functools.cached_property
    def summary(self) -> Summary:
        """The run's counts, computed once; waived findings are counted apart and nowhere else."""
        counts = SummaryCounts()
        for doc, result in enumerate(self.documents):
            counts.add(doc, result)
        return counts.summary(len(self.errors))

    def exit_code(self, fail_on: Severity | None) -> int:
        """2 when this run could not judge an input, else 1 when an unwaived finding is at or above ``fail_on``
        (None: never), else 0. Errors carried from an earlier run were told then and do not count again."""
        if any(not error.carried for error in self.errors):
            return 2
        if fail_on is None:
            return 0
        return 1 if any(f.severity >= fail_on and not f.waived for f in self.findings) else 0

    def map_findings(self, change: Callable[[Finding], Finding]) -> RunResult:
        """The run with every finding replaced by ``change(finding)``."""
        documents = tuple(replace(result, findings=tuple(change(f) for f in result.findings))
                          for result in self.documents)
        return replace(self, documents=documents)

    def waive(self, waivers: Mapping[str, Waiver]) -> RunResult:
        """The run with each finding a waiver in ``waivers`` (by fingerprint) covers marked waived, the others not."""
        return self.map_findings(lambda f: replace(f, waiver=waivers.get(f.fingerprint)))

    def mark_new(self, seen: Iterable[str]) -> RunResult:
        """The run with each finding marked new unless its fingerprint is in ``seen`` (the last run's)."""
        known = set(seen)
        return self.map_findings(lambda f: replace(f, new=f.fingerprint not in known))

    def merge(self, previous: RunResult | None, judged: set[str], present: set[str]) -> RunResult:
        """This run's documents for the sources it ``judged``, the ``previous`` run's for the other ``present`` ones.

        Sources are document paths (a page's URL, a file). The expectations are this run's when it judged
        anything, else the previous run's; errors of sources not judged again are kept, as carried.
        """
        earlier = previous.documents if previous else ()
        kept = [result for result in earlier if result.path not in judged and result.path in present]
        documents = sorted([*kept, *self.documents], key=lambda result: (result.path, result.line))
        carried = tuple(replace(error, carried=True) for error in (previous.errors if previous else ())
                        if error.path not in judged and error.path in present)
        expectations = self.expectations if self.documents or not previous else previous.expectations
        return replace(self, documents=tuple(documents), errors=(*self.errors, *carried), expectations=expectations)


@functools.cache
def tool_version() -> str:
    """The installed wrqa version (``0.0.0`` in a source tree never installed); read once, when first asked."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wrqa")
    except PackageNotFoundError:
        return "0.0.0"
