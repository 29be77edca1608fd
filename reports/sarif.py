"""The SARIF 2.1.0 report: one result a finding, for code-scanning viewers and CI annotations.

Columns are Unicode code points (``columnKind``), as in every other report of the tool.
"""

from __future__ import annotations

import json
import os
from datetime import UTC
from typing import Any
from urllib.parse import quote

from validators.catalogue import RULES
from validators.records import RunResult, Severity

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
    for finding in run.findings:
        results.append({
            "ruleId": finding.rule,
            "ruleIndex": rule_ids.index(finding.rule) if finding.rule in rule_ids else -1,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path)},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.end_line,
                        "endColumn": finding.end_column,
                        "snippet": {"text": finding.excerpt},
                    },
                }
            }],
            "partialFingerprints": {"wrqaFinding/v1": finding.fingerprint},
            "properties": {"engine": finding.engine, "data": dict(finding.data)},
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


def _times(run: RunResult) -> dict[str, str]:
    times = {"startTimeUtc": run.started_at, "endTimeUtc": run.finished_at}
    return {key: moment.astimezone(UTC).isoformat().replace("+00:00", "Z") for key, moment in times.items() if moment}


def render_sarif(run: RunResult) -> str:
    """The SARIF report of ``run`` as indented JSON."""
    return json.dumps(run_to_sarif(run), ensure_ascii=False, indent=2, default=str)
