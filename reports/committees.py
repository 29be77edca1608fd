"""A page per committee: its annual reports across the years, each year's verdict, and the figures the reports
state (代表人数, 建议件数, 办结率…) side by side, so that a figure jumping from one year to the next shows.

Plain data for ``templates/committee.html``, worked out from the coverage, the run's documents and the
pages' views; this module writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from checks.figures import FIGURES, key_figures
from reports.coverage import Coverage
from reports.views import DocumentView
from reports.words import kind_name, number, source_name
from validators.records import RunResult

COMMITTEE_DIR = "committees"
# Reports of one year, and other documents, a committee's page lists before it only counts the rest.
LISTED = 20


def committee_file(index: int) -> str:
    return f"{index + 1:02d}.html"


def committee_links(coverage: Coverage) -> dict[str, str]:
    """The page of each committee of the coverage, by committee, relative to the report folder."""
    return {name: f"{COMMITTEE_DIR}/{committee_file(index)}" for index, name in enumerate(coverage.committees)}


def committee_pages(coverage: Coverage, run: RunResult, views: Sequence[DocumentView],
                    sites: Mapping[str, str]) -> list[dict[str, Any]]:
    """What each committee's page shows, in the order of the coverage's rows."""
    view_of = {(view.data.get("path"), view.data.get("line")): view for view in views}
    result_of = {(result.path, result.line): result for result in run.documents}
    others: dict[str, list[DocumentView]] = {}
    for view in views:
        if view.data.get("committee") and view.data.get("kind") != "report":
            others.setdefault(view.data["committee"], []).append(view)
    pages = []
    for index, committee in enumerate(coverage.committees):
        years, firsts = [], {}
        for cell in coverage.row(committee):
            reports = []
            for report in cell.reports[:LISTED]:
                view = view_of.get((report.path, report.line))
                reports.append({"report": report, "page": view.file if view else None,
                                "counts": view.counts if view else {}})
                firsts.setdefault(cell.year, result_of.get((report.path, report.line)))
            years.append({"year": cell.year, "cell": cell, "reports": reports,
                          "more": len(cell.reports) - len(reports)})
        articles = [{"title": view.title, "page": view.file, "kind": kind_name(view.data.get("kind")),
                     "source": source_name(view.data, sites)} for view in others.get(committee, ())[:LISTED]]
        pages.append({"committee": committee, "file": committee_file(index), "years": years,
                      "figures": _figures(coverage.years, firsts, view_of), "articles": articles,
                      "more_articles": len(others.get(committee, ())) - len(articles),
                      "missing": sum(cell.missing for cell in coverage.row(committee))})
    return pages


def _figures(years: Sequence[int], reports: Mapping[int, Any], view_of: Mapping[tuple, DocumentView]) -> list[dict]:
    """A row per figure some year's report states: each year's value, and the change flagged by a finding."""
    rows = []
    for figure in FIGURES:
        cells, stated = [], False
        for year in years:
            report = reports.get(year)
            statistic = key_figures(report.statistics).get(figure.id) if report is not None else None
            if statistic is None:
                cells.append(None)
                continue
            stated = True
            view = view_of.get((report.path, report.line))
            flagged = [(index, f) for index, f in enumerate(view.findings if view else ())
                       if not f.get("waived") and (f.get("data") or {}).get("figure") == figure.id]
            cells.append({"value": f"{number(statistic.value)}{statistic.unit}", "text": statistic.text,
                          "line": statistic.line, "page": view.file if view else None,
                          "flag": flagged[0] if flagged else None})
        if stated:
            rows.append({"figure": figure, "cells": cells})
    return rows
