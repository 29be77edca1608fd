"""The coverage of the corpus: committees × years present, missing, late or replaced; in the JSON and the job's report."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.domain import STREETS
from crawler.replica.server import serve
from reports.coverage import coverage_of
from reports.json import coverage_from_dict, coverage_to_dict, run_from_dict, run_to_dict
from validators.records import DocumentResult, Finding, RunResult, Severity
from wrqa.config import parse_config
from wrqa.job import run_once

CHINA = timezone(timedelta(hours=8))


def report(committee: str, year: int, *, path: str = "", meeting: date | None = None,
           published: datetime | None = None, error: bool = False, kind: str = "report") -> DocumentResult:
    path = path or f"http://wcrd.example/{committee}-{year}.html"
    findings = (Finding("placeholder", Severity.ERROR, path, 3, 5, "*", "占位符"),) if error else ()
    return DocumentResult(path=path, line=1, end_line=9, title=f"人大{committee}街道工委{year}年工作报告",
                          committee=committee, year=year, kind=kind, url=path, meeting_date=meeting,
                          published_at=published, source="store", findings=findings)


DOCUMENTS = [
    report("紫阳", 2022, meeting=date(2022, 12, 27), published=datetime(2023, 1, 10, 9, 30, tzinfo=CHINA)),
    report("紫阳", 2021, meeting=date(2021, 12, 20), published=datetime(2023, 6, 1, 9, 30, tzinfo=CHINA), error=True),
    report("南湖", 2022),
    report("杨园", 2022, path="http://wcrd.example/a.html", published=datetime(2023, 1, 5, tzinfo=CHINA)),
    report("杨园", 2022, path="http://wcrd.example/b.html", published=datetime(2023, 2, 5, tzinfo=CHINA)),
    report("汉阳", 2022, kind="article"),  # an article of the provincial site names a committee outside the district
]
VERSIONS = {"http://wcrd.example/南湖-2022.html": 2}


@pytest.mark.parametrize(("committee", "year", "expected"), [
    ("紫阳", 2022, (False, False, False, True, [14])),
    ("紫阳", 2021, (False, True, False, False, [528])),  # published a year and a half after its meeting
    ("南湖", 2022, (False, False, True, True, [None])),  # its page changed after it was stored
    ("杨园", 2022, (False, False, True, True, [None, None])),  # published twice, at two addresses
    ("石洞", 2022, (True, False, False, False, [])),
    ("汉阳", 2021, (True, False, False, False, [])),
])
def test_each_committee_and_year_is_present_missing_late_or_replaced(committee, year, expected):
    cell = coverage_of(DOCUMENTS, VERSIONS).cell(committee, year)
    assert expected == (cell.missing, cell.late, cell.replaced, cell.passed, [r.days for r in cell.reports])


@pytest.mark.parametrize(("late_after", "late"), [(30, ["紫阳 2021"]), (600, []), (10, ["紫阳 2021", "紫阳 2022"])])
def test_the_days_a_report_may_take_are_the_ones_configured(late_after, late):
    """report.late_after_days decides which reports are late, and the JSON keeps it."""
    coverage = coverage_of(DOCUMENTS, VERSIONS, late_after)
    back = coverage_from_dict(json.loads(json.dumps(coverage_to_dict(coverage), ensure_ascii=False)))
    assert (late, late) == ([f"{c.committee} {c.year}" for c in coverage.late],
                            [f"{c.committee} {c.year}" for c in back.late])


def test_the_rows_are_the_district_streets_then_the_other_committees_named_and_the_years_run_without_gaps():
    coverage = coverage_of(DOCUMENTS, VERSIONS)
    assert ((*STREETS, "汉阳"), (2021, 2022), 15 * 2 - 4) == (
        coverage.committees, coverage.years, len(coverage.missing))


def test_the_reports_of_a_cell_come_in_the_order_they_were_published():
    cell = coverage_of(list(reversed(DOCUMENTS))).cell("杨园", 2022)
    assert ["http://wcrd.example/a.html", "http://wcrd.example/b.html"] == [r.path for r in cell.reports]


def test_coverage_written_and_read_back_writes_the_same_json():
    data = json.loads(json.dumps(coverage_to_dict(coverage_of(DOCUMENTS, VERSIONS)), ensure_ascii=False))
    assert data == coverage_to_dict(coverage_from_dict(data))


def test_a_run_carries_its_coverage_through_the_json():
    run = RunResult(documents=tuple(DOCUMENTS), coverage=coverage_of(DOCUMENTS, VERSIONS))
    data = json.loads(json.dumps(run_to_dict(run), ensure_ascii=False))
    assert ({"expected": 30, "present": 4, "missing": 26, "late": 1, "replaced": 2}, data) == (
        data["coverage"]["counts"], run_to_dict(run_from_dict(data)))


def two_runs_with_a_report_replaced(folder: Path) -> Path:
    """Run the main job twice over the replica of both sites, 南湖's 2022 report changed in between; its report."""
    with serve() as replica:
        config = parse_config({
            "store": {"path": str(folder / "store.sqlite3"), "warc_dir": str(folder / "warc")},
            "report": {"dir": str(folder / "report"), "late_after_days": 20}, "crawl": {"delay": 0, "retries": 0},
            "validate": {"suite": "pandera"},
            "sources": [{"name": "wcrd", "kind": "epoint", "base_url": replica.base_urls["epoint"],
                         "lists": ["zyfb/003005", "dbgz/004002"]},
                        {"name": "hppc", "kind": "hppc", "base_url": replica.base_urls["hppc"],
                         "lists": ["list.php?catid=8"]}]}, folder / "config.toml")
        run_once(config)
        path = next(p for p, a in replica.sites["epoint"].articles.items() if a.title == "人大南湖街道工委2022年工作报告")
        replica.change("epoint", path, "（四）新增一段。")
        replica.clear()
        run_once(config)
    return folder / "report"


def test_the_main_job_reports_the_coverage_of_the_store_with_the_pages_replaced_since(tmp_path):
    report = two_runs_with_a_report_replaced(tmp_path)
    coverage = json.loads((report / "results.json").read_text(encoding="utf-8"))["coverage"]
    cells = {(c["committee"], c["year"]): (c["replaced"], [r["versions"] for r in c["reports"]])
             for c in coverage["reports"]}
    missing = {(c["committee"], c["year"]) for c in coverage["missing"]}
    assert ((True, [2]), (False, [1]), ("石洞", 2018) in missing, ("紫阳", 2018) in cells, 20) == (
        cells[("南湖", 2022)], cells[("紫阳", 2022)], True, True, coverage["late_after_days"])


@pytest.mark.parametrize(("late_after", "late"), [(30, 1), (600, 0)])
def test_a_report_written_from_a_run_without_coverage_judges_lateness_by_the_days_it_is_given(tmp_path, late_after,
                                                                                           late):
    """`wrqa validate --html` and `wrqa report` work the coverage out from the documents with report.late_after_days."""
    from reports.html import write_report

    write_report(RunResult(documents=tuple(DOCUMENTS)), tmp_path / "report", late_after_days=late_after)
    coverage = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))["coverage"]
    assert (late_after, late) == (coverage["late_after_days"], coverage["counts"]["late"])
