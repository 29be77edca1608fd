"""The SARIF 2.1.0 report: one result a finding, for code-scanning viewers and CI annotations.

Columns are Unicode code points (``columnKind``), as in every other report of the tool.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from reports.rules import RULES
from validators.records import RunResult
from validators.rules import SEVERITY
from wrqa import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    if "://" in path:
        return path
    return quote(path.replace(os.sep, "/"), safe="/:._-~")


def run_to_sarif(run: RunResult) -> dict[str, Any]:
    """The SARIF log of ``run`` as plain data."""
    rule_ids = list(SEVERITY)
    rules = [
        {
            "id": rule_id,
            "name": rule_id.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": RULES.get(rule_id, (rule_id, ""))[0]},
            "fullDescription": {"text": RULES.get(rule_id, ("", rule_id))[1]},
            "defaultConfiguration": {"level": LEVELS[SEVERITY[rule_id]]},
        }
        for rule_id in rule_ids
    ]
    results = []
    for finding in run.findings:
        data = {key: value for key, value in finding.data.items() if key not in ("end_line", "end_column")}
        results.append({
            "ruleId": finding.rule,
            "ruleIndex": rule_ids.index(finding.rule),
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path)},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.data.get("end_line", finding.line),
                        "endColumn": finding.data.get("end_column", finding.column + 1),
                        "snippet": {"text": finding.excerpt},
                    },
                }
            }],
            "partialFingerprints": {"wrqaFinding/v1": finding.fingerprint},
            "properties": {"engine": finding.engine, "data": data},
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
            "tool": {"driver": {"name": "wrqa", "version": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not run.errors,
                "startTimeUtc": run.started_at.isoformat().replace("+00:00", "Z"),
                "endTimeUtc": run.finished_at.isoformat().replace("+00:00", "Z"),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    }


def render_sarif(run: RunResult) -> str:
    """The SARIF report of ``run`` as indented JSON."""
    return json.dumps(run_to_sarif(run), ensure_ascii=False, indent=2, default=str)
