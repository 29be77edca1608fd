"""The JSON report: the run as plain data, the shape the HTML report and other tools read.

``run_to_dict`` is the one place a ``RunResult`` becomes data; numbers that are not finite become null.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

from validators.records import DocumentResult, RunResult
from wrqa import __version__


def _plain(value: Any) -> Any:
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


def _end_line(result: DocumentResult, following: DocumentResult | None) -> int:
    document = result.document
    if following is not None and following.document.source is document.source:
        return following.document.line - 1
    return len(document.source.lines)


def document_to_dict(result: DocumentResult, end_line: int, *, include_text: bool = False) -> dict[str, Any]:
    """A document's entry in the report."""
    document = result.document
    position = document.origin.position
    # A relation is ok when the validator found nothing wrong where it stands.
    flagged = {(f.line, f.column) for f in result.findings if f.rule == "stat-part-whole"}
    entry: dict[str, Any] = {
        "path": document.path,
        "line": document.line,
        "end_line": end_line,
        "title": document.title,
        "committee": document.committee,
        "year": document.year,
        "kind": document.kind,
        "sections": list(result.sections),
        "url": document.url,
        "site": document.site,
        "category": document.category,
        "published_at": _iso(document.published_at),
        "meeting_date": _iso(document.meeting_date),
        "session": document.session,
        "encoding": document.source.encoding,
        "source": "store" if document.url else "file",
        "warnings": list(document.warnings),
        "statistics": [
            {"kind": s.kind, "value": s.value, "unit": s.unit, "label": s.label,
             "line": position(s.offset)[0], "column": position(s.offset)[1], "text": s.text}
            for s in result.statistics
        ],
        "relations": [
            {"relation": r.relation, "part": r.part, "whole": r.whole, "stated": r.stated, "unit": r.unit,
             "line": position(r.offset)[0], "column": position(r.offset)[1], "text": r.text,
             "ok": position(r.offset) not in flagged}
            for r in result.relations
        ],
        "findings": [
            {"rule": f.rule, "severity": f.severity, "line": f.line, "column": f.column,
             "end_line": f.data.get("end_line", f.line), "end_column": f.data.get("end_column", f.column + 1),
             "excerpt": f.excerpt, "message": f.message,
             "data": _plain({k: v for k, v in f.data.items() if k not in ("end_line", "end_column")}),
             "fingerprint": f.fingerprint, "engine": f.engine}
            for f in result.findings
        ],
    }
    if include_text:
        entry["text"] = "\n".join(document.source.lines[document.line - 1 : end_line])
    return entry


def summary(run: RunResult) -> dict[str, Any]:
    """Counts of the run: documents, findings by rule and severity, documents passed and failed."""
    findings = run.findings
    failed = sum(1 for result in run.documents if any(f.severity == "error" for f in result.findings))
    return {
        "documents": len(run.documents),
        "findings": len(findings),
        "by_rule": dict(Counter(f.rule for f in findings)),
        "by_severity": dict(Counter(f.severity for f in findings)),
        "passed": len(run.documents) - failed,
        "failed": failed,
        "errors": len(run.errors),
    }


def run_to_dict(run: RunResult, *, include_text: bool = False) -> dict[str, Any]:
    """The whole report of ``run`` as plain data; ``include_text`` adds each document's source lines."""
    documents = run.documents
    # Documents are built from plain values; only rule data and engine observations need _plain.
    return {
        "tool": {"name": "wrqa", "version": __version__},
        "run": {"started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
                "engines": list(run.engines), "gx_max_severity": run.gx_severity},
        "documents": [
            document_to_dict(result, _end_line(result, documents[i + 1] if i + 1 < len(documents) else None),
                             include_text=include_text)
            for i, result in enumerate(documents)
        ],
        "errors": [{"path": error.path, "message": error.message} for error in run.errors],
        "expectations": [
            {"engine": e.engine, "frame": e.frame, "name": e.name, "rule": e.rule, "success": e.success,
             "expectation": e.expectation, "element_count": e.element_count, "unexpected_count": e.unexpected_count,
             "observed": _plain(list(e.observed))}
            for e in run.expectations
        ],
        "summary": summary(run),
    }


def render_json(run: RunResult) -> str:
    """The JSON report of ``run`` on one line (``python -m json.tool`` indents it), UTF-8 kept as it is."""
    # Indenting would switch json to its pure-Python encoder, three times slower on a large run.
    return json.dumps(run_to_dict(run), ensure_ascii=False, separators=(",", ":"))
