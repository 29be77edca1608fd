"""The coverage of the corpus: which committee's annual report is there for which year, and how it came.

For every committee (the district's 14 streets, then any other a document names, such as those the
provincial site writes about) and every year from the first to the last a report covers: the annual
reports of that committee for that year, whether each passed, how many days after its meeting it was
published, and how many versions of its page the store holds (more than one: it was replaced after it
was first published). A year with no report is missing: a finding of the corpus, not of a document.

``coverage_of`` is a pure function of a run's documents and the store's version counts, so the report
shows the same coverage whether the run was judged now or read back from JSON; it must never read the
store or a file itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from crawler.domain import STREETS
from validators.records import DocumentResult

# Reports are heard in December and published days to weeks later (sites.md); later than this is late,
# unless report.late_after_days says otherwise.
LATE_AFTER_DAYS = 30
CHINA = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class CoveredReport:
    """An annual report in the coverage: where it is (path, line, title), when its meeting was and when it
    was published, ``days`` between the two (None when either is unknown), ``versions`` of its page stored
    (1 for a file), and whether it ``passed``."""

    path: str
    line: int
    title: str
    meeting_date: date | None
    published_at: datetime | None
    days: int | None
    versions: int
    passed: bool


@dataclass(frozen=True)
class CoverageCell:
    """One committee and year: its annual reports (none when missing)."""

    committee: str
    year: int
    reports: tuple[CoveredReport, ...] = ()
    late_after: int = LATE_AFTER_DAYS

    @property
    def missing(self) -> bool:
        return not self.reports

    @property
    def late(self) -> bool:
        """Whether a report of it was published more than ``late_after`` days after its meeting."""
        return any(report.days is not None and report.days > self.late_after for report in self.reports)

    @property
    def replaced(self) -> bool:
        """Whether a report of it was replaced: its page changed after it was stored, or another came after it."""
        return len(self.reports) > 1 or any(report.versions > 1 for report in self.reports)

    @property
    def passed(self) -> bool:
        return bool(self.reports) and all(report.passed for report in self.reports)


@dataclass(frozen=True)
class Coverage:
    """Committees (rows) × years (columns), every cell in row order; ``late_after``: the days a report may take."""

    committees: tuple[str, ...]
    years: tuple[int, ...]
    cells: tuple[CoverageCell, ...]
    late_after: int = LATE_AFTER_DAYS

    def cell(self, committee: str, year: int) -> CoverageCell:
        return self.cells[self.committees.index(committee) * len(self.years) + self.years.index(year)]

    def row(self, committee: str) -> tuple[CoverageCell, ...]:
        start = self.committees.index(committee) * len(self.years)
        return self.cells[start : start + len(self.years)]

    @property
    def missing(self) -> list[CoverageCell]:
        return [cell for cell in self.cells if cell.missing]

    @property
    def late(self) -> list[CoverageCell]:
        return [cell for cell in self.cells if cell.late]

    @property
    def replaced(self) -> list[CoverageCell]:
        return [cell for cell in self.cells if cell.replaced]

    @property
    def present(self) -> list[CoverageCell]:
        return [cell for cell in self.cells if not cell.missing]


def days_to_publish(meeting: date | None, published: datetime | None) -> int | None:
    """Days from the meeting to the publication, counted in Beijing time; None when either is unknown."""
    if meeting is None or published is None:
        return None
    day = (published.astimezone(CHINA) if published.tzinfo else published).date()
    return (day - meeting).days


def coverage_of(documents: Sequence[DocumentResult], versions: Mapping[str, int] | None = None,
                late_after: int = LATE_AFTER_DAYS) -> Coverage:
    """The coverage of ``documents``: ``versions`` gives the stored versions of each page by URL, ``late_after``
    the days after its meeting a report may be published without being late (``report.late_after_days``)."""
    versions = versions or {}
    reports = [d for d in documents if d.kind == "report" and d.committee and d.year]
    named = {d.committee for d in documents if d.committee}
    committees = (*STREETS, *sorted(named - set(STREETS)))
    years = tuple(range(min(d.year for d in reports), max(d.year for d in reports) + 1)) if reports else ()
    found: dict[tuple[str, int], list[CoveredReport]] = {}
    for d in reports:
        found.setdefault((d.committee, d.year), []).append(CoveredReport(
            d.path, d.line, d.title, d.meeting_date, d.published_at, days_to_publish(d.meeting_date, d.published_at),
            versions.get(d.url or d.path, 1), d.passed))
    # Within a cell, the report published first comes first: a later one replaced it.
    cells = tuple(CoverageCell(committee, year, tuple(sorted(found.get((committee, year), ()), key=_published)),
                               late_after) for committee in committees for year in years)
    return Coverage(committees, years, cells, late_after)


def _published(report: CoveredReport) -> tuple:
    return (report.published_at is None, report.published_at.timestamp() if report.published_at else 0, report.path)
