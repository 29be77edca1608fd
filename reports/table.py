"""The findings as a table for spreadsheets: CSV in UTF-8 with a byte-order mark, so Excel reads the Chinese.

One row a finding, with Chinese headers a clerk reads and the rule id beside its Chinese name; waived
findings are rows too, marked with their reason. The HTML report offers the same table for download.
"""

from __future__ import annotations

import csv
import io

from reports.rules import rule_name
from validators.records import RunResult

HEADERS = ("文件", "标题", "页", "行", "列", "规则", "规则名称", "严重程度", "原文", "说明", "豁免", "指纹")


def render_csv(run: RunResult) -> str:
    """The CSV of ``run``'s findings, starting with the UTF-8 byte-order mark, rows ended by CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for result in run.documents:
        for f in result.findings:
            waiver = f"{f.waiver.reason}（至 {f.waiver.expires}）" if f.waiver else ""
            writer.writerow((f.path, result.title, f.page or "", f.line, f.column, f.rule, rule_name(f.rule),
                             f.severity.label, f.excerpt, f.message, waiver, f.fingerprint))
    return "\ufeff" + out.getvalue()
