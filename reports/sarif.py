"""The SARIF 2.1.0 report: one result a finding, for code-scanning viewers and CI annotations.

Columns are Unicode code points (``columnKind``), as in every other report of the tool. A region's lines
are those wrqa read: in a Word file a paragraph, in a PDF a line of a page. Such a location says so in
its ``message`` (``第 12 段``, ``第 3 页第 7 行``) and in a logical location of kind ``paragraph`` or
``page`` (``page=3``, as a PDF fragment names a page); a PDF's region carries its page in
``properties.page``, as the result does.
"""

from __future__ import annotations

import json
import os
from datetime import UTC
from typing import Any
from urllib.parse import quote

from reports.text import place
from validators.catalogue import RULES
from validators.records import Finding, RunResult, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    if "://" in path:
        return path
    return quote(path.replace(os.sep, "/"), safe="/:._-~")


def run_to_sarif(run: RunResult) -> dict[str, Any]:
    """The SARIF log of ``run`` as plain data."""
    rule_ids = list(RULES)
    rules = [
        {
            "id": rule.id,
            "name": rule.id.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": rule.name},
            "fullDescription": {"text": rule.explanation},
            "help": {"text": f"{rule.explanation}\n\nCatches: {rule.catches}\nSilent on: {rule.silent_on}"},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
        }
        for rule in RULES.values()
    ]
    results = []
    for document in run.documents:
        for finding in document.findings:
            results.append({
                "ruleId": finding.rule,
                "ruleIndex": rule_ids.index(finding.rule) if finding.rule in rule_ids else -1,
                "level": LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [_location(finding, document.encoding)],
                "partialFingerprints": {"wrqaFinding/v1": finding.fingerprint},
                "properties": {"engine": finding.engine, "data": dict(finding.data),
                               **({"page": finding.page} if finding.page is not None else {})},
                **({"suppressions": [{"kind": "external", "status": "accepted",
                                      "justification": finding.waiver.reason}]} if finding.waiver else {}),
            })
    notifications = [
        {"level": "error", "message": {"text": error.message},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(error.path)}}}]}
        for error in run.errors
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "wrqa", "version": run.tool_version, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not run.errors,
                **_times(run),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    }


def _location(finding: Finding, encoding: str) -> dict[str, Any]:
    """The location of ``finding``: its region, and for a Word file or a PDF what its lines count."""
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column,
                              "endLine": finding.end_line, "endColumn": finding.end_column,
                              "snippet": {"text": finding.excerpt}}
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": _uri(finding.path)},
                                                     "region": region}}
    where = place(finding, encoding)
    if where is None:
        return location
    if finding.page is not None:
        region["properties"] = {"page": finding.page}
        logical = {"name": f"第 {finding.page} 页", "fullyQualifiedName": f"page={finding.page}", "kind": "page"}
    else:
        logical = {"name": where, "fullyQualifiedName": f"paragraph={finding.line}", "kind": "paragraph"}
    return {**location, "logicalLocations": [logical], "message": {"text": where}}


def _times(run: RunResult) -> dict[str, str]:
    times = {"startTimeUtc": run.started_at, "endTimeUtc": run.finished_at}
    return {key: moment.astimezone(UTC).isoformat().replace("+00:00", "Z") for key, moment in times.items() if moment}


def render_sarif(run: RunResult) -> str:
    """The SARIF report of ``run`` as indented JSON."""
    return json.dumps(run_to_sarif(run), ensure_ascii=False, indent=2, default=str)
