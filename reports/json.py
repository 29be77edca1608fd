"""The JSON report: a run as plain data, and back — the shape the HTML report, the history and other tools read.

``run_to_dict`` is the one place a ``RunResult`` becomes data and ``run_from_dict`` the one place data
becomes a ``RunResult`` again (``wrqa report``, the main job's history); numbers that are not finite
become null. The shape is documented in the README; ``text`` (a document's source lines) is written only
when asked for, and ``coverage`` (``reports.coverage``) when the run carries it.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

from reports.coverage import LATE_AFTER_DAYS, Coverage, CoverageCell, CoveredReport
from validators.records import (
    DocumentResult,
    ExpectationResult,
    Finding,
    InputError,
    PlacedRelation,
    PlacedStatistic,
    RunResult,
    Severity,
    Summary,
    Waiver,
)

_AS_THEY_ARE = frozenset({str, int, bool})


class ResultsError(ValueError):
    """Data that is not a run's results; the message says which part and what was expected."""


def _plain(value: Any) -> Any:
    if value is None or type(value) in _AS_THEY_ARE:  # most values: the tests below would all fail first
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def finding_to_dict(f: Finding) -> dict[str, Any]:
    entry = {"rule": f.rule, "severity": f.severity.value, "line": f.line, "column": f.column,
             "end_line": f.end_line, "end_column": f.end_column, "excerpt": f.excerpt, "message": f.message,
             "data": _plain(dict(f.data)), "fingerprint": f.fingerprint, "engine": f.engine}
    if f.waiver is not None:
        entry["waived"] = True
        entry["waiver"] = {"reason": f.waiver.reason, "expires": f.waiver.expires.isoformat()}
    if f.new is not None:
        entry["new"] = f.new
    if f.page is not None:
        entry["page"] = f.page
    return entry


def document_to_dict(result: DocumentResult, *, include_text: bool = False) -> dict[str, Any]:
    """A document's entry in the report."""
    entry: dict[str, Any] = {
        "path": result.path, "line": result.line, "end_line": result.end_line, "title": result.title,
        "committee": result.committee, "year": result.year, "kind": result.kind, "sections": list(result.sections),
        "url": result.url, "site": result.site, "category": result.category,
        "published_at": _iso(result.published_at), "meeting_date": _iso(result.meeting_date),
        "session": result.session, "encoding": result.encoding, "source": result.source,
        "warnings": list(result.warnings),
        "statistics": [{"kind": s.kind, "value": _plain(s.value), "unit": s.unit, "label": s.label, "line": s.line,
                        "column": s.column, "text": s.text} for s in result.statistics],
        "relations": [{"relation": r.relation, "part": _plain(r.part), "whole": _plain(r.whole),
                       "stated": _plain(r.stated), "unit": r.unit, "line": r.line, "column": r.column,
                       "text": r.text, "ok": r.ok} for r in result.relations],
        "findings": [finding_to_dict(f) for f in result.findings],
        "truncated": result.truncated,
    }
    if include_text and result.lines is not None:
        entry["text"] = "\n".join(result.lines)
    if result.pages:
        entry["pages"] = list(result.pages)
    return entry


def summary_to_dict(run: RunResult, summary: Summary | None = None) -> dict[str, Any]:
    """The ``summary`` part: ``run``'s, or ``summary`` where a writer counted it as the documents went by."""
    s = summary or run.summary
    return {"documents": s.documents, "findings": s.findings, "by_rule": s.by_rule, "by_severity": s.by_severity,
            "passed": s.passed, "failed": s.failed, "errors": s.errors, "waived": s.waived}


def run_to_dict(run: RunResult, *, include_text: bool = False, summary: Summary | None = None) -> dict[str, Any]:
    """The whole report of ``run`` as plain data; ``include_text`` adds each document's source lines;
    ``summary``: the counts, where the documents are written apart (``reports.jsonl``)."""
    info = {"started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
            "engines": list(run.engines), "gx_max_severity": run.gx_severity}
    for key in ("run_id", "trigger", "validated"):
        if getattr(run, key) is not None:
            info["id" if key == "run_id" else key] = getattr(run, key)
    return {
        "tool": {"name": "wrqa", "version": run.tool_version},
        "run": info,
        "documents": [document_to_dict(result, include_text=include_text) for result in run.documents],
        "errors": [{"path": e.path, "message": e.message, **({"carried": True} if e.carried else {})}
                   for e in run.errors],
        "expectations": [
            {"engine": e.engine, "frame": e.frame, "name": e.name, "rule": e.rule, "success": e.success,
             "expectation": e.expectation, "element_count": e.element_count, "unexpected_count": e.unexpected_count,
             "observed": _plain(list(e.observed)), "columns": list(e.columns)}
            for e in run.expectations
        ],
        "summary": summary_to_dict(run, summary),
        **({"skipped": list(run.skipped)} if run.skipped else {}),
        **({"coverage": coverage_to_dict(run.coverage)} if run.coverage is not None else {}),
    }


def coverage_to_dict(coverage: Coverage) -> dict[str, Any]:
    """The coverage as data: committees, years, each year's reports of each committee, and what is missing."""
    def report(r: CoveredReport) -> dict[str, Any]:
        return {"path": r.path, "line": r.line, "title": r.title, "meeting_date": _iso(r.meeting_date),
                "published_at": _iso(r.published_at), "days": r.days, "versions": r.versions, "passed": r.passed}

    return {
        "committees": list(coverage.committees), "years": list(coverage.years), "late_after_days": coverage.late_after,
        "counts": {"expected": len(coverage.cells), "present": len(coverage.present),
                   "missing": len(coverage.missing), "late": len(coverage.late), "replaced": len(coverage.replaced)},
        "reports": [{"committee": c.committee, "year": c.year, "late": c.late, "replaced": c.replaced,
                     "reports": [report(r) for r in c.reports]} for c in coverage.present],
        "missing": [{"committee": c.committee, "year": c.year} for c in coverage.missing],
    }


def render_json(run: RunResult) -> str:
    """The JSON report of ``run`` on one line (``python -m json.tool`` indents it), UTF-8 kept as it is."""
    return dumps(run_to_dict(run))


def dumps(data: Any) -> str:
    """The data of ``run_to_dict`` (or a part of it) as the JSON report writes it: one line, UTF-8 kept as it is."""
    # Indenting would switch json to its pure-Python encoder, three times slower on a large run.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --- reading back -------------------------------------------------------------------------------------


def _when(value: Any, parse, where: str):
    if value is None:
        return None
    try:
        return parse(value)
    except (TypeError, ValueError):
        raise ResultsError(f"{where} is {value!r}, not an ISO date or time") from None


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def _objects(value: Any, where: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ResultsError(f"{where} must be a list of objects")
    return value


def finding_from_dict(data: dict, path: str, where: str) -> Finding:
    try:
        severity = Severity.parse(str(data.get("severity", "info")))
    except ValueError as error:
        raise ResultsError(f"{where}: {error}") from None
    waiver = data.get("waiver") if data.get("waived") else None
    line, column = _int(data.get("line")), _int(data.get("column"))
    return Finding(
        rule=str(data.get("rule", "")), severity=severity, path=str(data.get("path") or path), line=line,
        column=column, end_line=_int(data.get("end_line"), line), end_column=_int(data.get("end_column"), column + 1),
        excerpt=str(data.get("excerpt", "")), message=str(data.get("message", "")),
        data=data["data"] if isinstance(data.get("data"), dict) else {},
        fingerprint=str(data.get("fingerprint", "")), engine=str(data.get("engine", "pandera")),
        waiver=Waiver(str(data.get("fingerprint", "")), str(waiver.get("reason", "")),
                      _when(waiver.get("expires"), date.fromisoformat, f"{where}: waiver expires"))
        if isinstance(waiver, dict) else None,
        new=data["new"] if isinstance(data.get("new"), bool) else None,
        page=data["page"] if isinstance(data.get("page"), int) and not isinstance(data.get("page"), bool) else None,
    )


def document_from_dict(data: dict, where: str) -> DocumentResult:
    path = data.get("path")
    if not isinstance(path, str):
        raise ResultsError(f"{where} has no 'path'")
    line = _int(data.get("line"), 1)
    text = data.get("text")
    statistics = tuple(
        PlacedStatistic(str(s.get("kind", "")), _number(s.get("value")), str(s.get("unit", "")),
                        str(s.get("label", "")), _int(s.get("line")), _int(s.get("column")), str(s.get("text", "")))
        for s in _objects(data.get("statistics"), f"{where}: 'statistics'"))
    relations = tuple(
        PlacedRelation(str(r.get("relation", "")), _number(r.get("part")), _number(r.get("whole")),
                       None if r.get("stated") is None else _number(r.get("stated")), str(r.get("unit", "")),
                       _int(r.get("line")), _int(r.get("column")), str(r.get("text", "")), bool(r.get("ok", True)))
        for r in _objects(data.get("relations"), f"{where}: 'relations'"))
    findings = tuple(finding_from_dict(f, path, f"{where}, finding #{number + 1}")
                     for number, f in enumerate(_objects(data.get("findings"), f"{where}: 'findings'")))
    year = data.get("year")
    return DocumentResult(
        path=path, line=line, end_line=_int(data.get("end_line"), line), title=str(data.get("title") or ""),
        committee=data.get("committee") if isinstance(data.get("committee"), str) else None,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        kind=str(data.get("kind") or "other"), sections=tuple(str(s) for s in data.get("sections") or ()),
        url=data.get("url"), site=data.get("site"), category=data.get("category"),
        published_at=_when(data.get("published_at"), datetime.fromisoformat, f"{where}: 'published_at'"),
        meeting_date=_when(data.get("meeting_date"), date.fromisoformat, f"{where}: 'meeting_date'"),
        session=data.get("session"), encoding=str(data.get("encoding") or "utf-8"),
        source=str(data.get("source") or "file"), warnings=tuple(str(w) for w in data.get("warnings") or ()),
        statistics=statistics, relations=relations, findings=findings,
        lines=tuple(text.split("\n")) if isinstance(text, str) else None,
        pages=tuple(page for page in data.get("pages") or () if isinstance(page, int)),
        truncated=data["truncated"] if isinstance(data.get("truncated"), int) else None,
    )


def run_from_dict(data: Any) -> RunResult:
    """The ``RunResult`` a dict of ``run_to_dict`` stands for; ``ResultsError`` naming what is wrong otherwise."""
    if not isinstance(data, dict):
        raise ResultsError(f"the results must be an object with 'documents', not {type(data).__name__}")
    info = data.get("run") if isinstance(data.get("run"), dict) else {}
    documents = tuple(document_from_dict(d, f"document #{n + 1}")
                      for n, d in enumerate(_objects(data.get("documents"), "'documents'")))
    errors = tuple(InputError(str(e.get("path", "")), str(e.get("message", "")), bool(e.get("carried", False)))
                   for e in _objects(data.get("errors"), "'errors'"))
    expectations = tuple(
        ExpectationResult(str(e.get("engine", "")), str(e.get("frame", "")), str(e.get("name", "")),
                          str(e.get("rule", "")), bool(e.get("success")), _int(e.get("element_count")),
                          _int(e.get("unexpected_count")), tuple(e.get("observed") or ()),
                          str(e.get("expectation", "Check")), tuple(str(c) for c in e.get("columns") or ()))
        for e in _objects(data.get("expectations"), "'expectations'"))
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    return RunResult(
        documents=documents, errors=errors, expectations=expectations,
        engines=tuple(str(e) for e in info.get("engines") or ("pandera",)),
        started_at=_when(info.get("started_at"), datetime.fromisoformat, "'run.started_at'"),
        finished_at=_when(info.get("finished_at"), datetime.fromisoformat, "'run.finished_at'"),
        gx_severity=info.get("gx_max_severity"), tool_version=str(tool.get("version", "")),
        run_id=info.get("id") if isinstance(info.get("id"), int) else None,
        trigger=info.get("trigger") if isinstance(info.get("trigger"), str) else None,
        validated=info.get("validated") if isinstance(info.get("validated"), int) else None,
        skipped=tuple(str(path) for path in data.get("skipped") or ()),
        coverage=coverage_from_dict(data["coverage"]) if data.get("coverage") is not None else None,
    )


def coverage_from_dict(data: Any) -> Coverage:
    """The ``Coverage`` that ``coverage_to_dict`` wrote; ``ResultsError`` naming what is wrong otherwise."""
    if not isinstance(data, dict):
        raise ResultsError(f"'coverage' must be an object, not {type(data).__name__}")
    committees = tuple(str(name) for name in data.get("committees") or ())
    years = tuple(_int(year) for year in data.get("years") or ())
    found = {}
    for n, cell in enumerate(_objects(data.get("reports"), "'coverage.reports'")):
        where = f"coverage report #{n + 1}"
        found[(str(cell.get("committee")), _int(cell.get("year")))] = tuple(
            CoveredReport(str(r.get("path", "")), _int(r.get("line"), 1), str(r.get("title", "")),
                          _when(r.get("meeting_date"), date.fromisoformat, f"{where}: 'meeting_date'"),
                          _when(r.get("published_at"), datetime.fromisoformat, f"{where}: 'published_at'"),
                          r["days"] if isinstance(r.get("days"), int) else None, _int(r.get("versions"), 1),
                          bool(r.get("passed")))
            for r in _objects(cell.get("reports"), f"{where}: 'reports'"))
    late_after = _int(data.get("late_after_days"), LATE_AFTER_DAYS)
    cells = tuple(CoverageCell(committee, year, found.get((committee, year), ()), late_after)
                  for committee in committees for year in years)
    return Coverage(committees, years, cells, late_after)
