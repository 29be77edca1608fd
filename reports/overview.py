"""What the overview page shows, worked out from a run: the verdict, the documents that fail, the counts a reader
clicks to filter the table, the coverage, the rules, the changes, the history and the technical details.

The counts come from the run's ``Summary`` (computed once, in the model); the lists from the pages' views of
the documents, so that a link points at the very finding its page numbers. Plain data out, for the
template; this module writes nothing and must never put a document's text in markup itself.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup

from reports.coverage import Coverage
from reports.rules import rule_ids, rule_name
from reports.times import report_day
from reports.views import SEVERITY_ORDER, DocumentView
from reports.words import ENGINES, kind_name, observed_text, source_name
from validators.records import RunResult

UNKNOWN_COMMITTEE = "（未识别）"
UNKNOWN_YEAR = "（未知）"
# The failing documents the first screen lists before pointing at the table for the rest.
FAILING_LISTED = 8
# How many new or resolved findings the overview lists before it only counts the rest.
CHANGES_LISTED = 200
# How many runs the history draws; the older ones are summed up in a line.
RUNS_DRAWN = 60


def verdict(run: RunResult, views: Sequence[DocumentView]) -> str:
    """The first line a reader reads: ``24 份文档，3 份未通过：2 份占位符未替换，1 份缺少必备部分``."""
    summary = run.summary
    if not summary.documents:
        return "没有可校验的文档"
    if not summary.failed:
        return f"{summary.documents} 份文档，全部通过"
    rules: Counter = Counter()
    for view in views:
        if not view.passed:
            rules.update({str(f.get("rule", "")) for f in view.findings
                          if f.get("severity") == "error" and not f.get("waived")})
    order = {rule: index for index, rule in enumerate(rule_ids())}
    parts = [f"{count} 份{rule_name(rule)}"
             for rule, count in sorted(rules.items(), key=lambda item: (-item[1], order.get(item[0], 99), item[0]))]
    return f"{summary.documents} 份文档，{summary.failed} 份未通过：" + "，".join(parts)


def tiles(run: RunResult, coverage: Coverage) -> list[dict[str, Any]]:
    """The counts under the verdict; ``filter`` is what clicking one does to the table (``""``: shows all)."""
    summary = run.summary
    shown = [
        {"count": "documents", "value": summary.documents, "label": "文档", "filter": ""},
        {"count": "failed", "value": summary.failed, "label": "未通过", "filter": "status=failed", "tone": "bad"},
        {"count": "passed", "value": summary.passed, "label": "通过", "filter": "status=passed", "tone": "ok"},
        {"count": "findings", "value": summary.findings, "label": "问题"},
        *({"count": severity, "value": summary.by_severity.get(severity, 0), "severity": severity,
           "filter": f"severity={severity}"} for severity in SEVERITY_ORDER),
        {"count": "errors", "value": summary.errors, "label": "无法读取", "href": "#input-errors"},
    ]
    if coverage.years:
        shown.append({"count": "missing", "value": len(coverage.missing), "label": "缺少年度报告",
                      "href": "#coverage"})
    if summary.waived:
        shown.append({"count": "waived", "value": summary.waived, "label": "已豁免（不计入）", "tone": "waived"})
    return shown


def failing(views: Sequence[DocumentView], sites: Mapping[str, str]) -> list[dict[str, Any]]:
    """The first ``FAILING_LISTED`` documents that fail, worst first (most errors, then most warnings), each
    with its worst finding; the table shows them all."""
    failed = [view for view in views if not view.passed]
    failed.sort(key=lambda view: (-view.counts.get("error", 0), -view.counts.get("warning", 0), view.number))
    return [summary_of(view, sites) for view in failed[:FAILING_LISTED]]


def summary_of(view: DocumentView, sites: Mapping[str, str]) -> dict[str, Any]:
    """A document as a line of a list: what it is, where it is, and its worst finding in its words."""
    data = view.data
    item = {"number": view.number, "title": view.title, "page": view.file, "committee": data.get("committee"),
            "year": data.get("year"), "kind": kind_name(data.get("kind")), "source": source_name(data, sites),
            "where": data.get("url") or data.get("path") or "", "counts": view.counts, "first": None}
    if view.worst is not None:
        index, finding = view.worst
        item["first"] = {"index": index, "rule": str(finding.get("rule", "")),
                         "severity": str(finding.get("severity", "info")), "times": view.same_rule(finding),
                         "words": view.context(finding), "line": finding.get("line")}
    return item


def rows_json(views: Sequence[DocumentView], sites: Mapping[str, str]) -> Markup:
    """The document table's rows as JSON safe inside a ``<script type="application/json">`` block.

    ``rank`` orders the table as it opens: failing documents first, the worst first.
    """
    ranked = sorted(views, key=lambda view: (view.passed, -view.counts.get("error", 0),
                                             -view.counts.get("warning", 0), -view.counts.get("info", 0), view.number))
    rank = {view.number: place for place, view in enumerate(ranked)}
    rows = []
    for view in views:
        worst = view.worst
        first = None
        if worst is not None:
            before, words, after = view.context(worst[1])
            first = [rule_name(str(worst[1].get("rule", ""))), before, words, after,
                     str(worst[1].get("severity", "info")), worst[0]]
        rows.append({
            "n": view.number, "rank": rank[view.number], "href": f"documents/{view.file}", "title": view.title,
            "path": view.data.get("url") or view.data.get("path") or "",
            "committee": view.data.get("committee") or UNKNOWN_COMMITTEE, "year": view.data.get("year") or "",
            "kind": kind_name(view.data.get("kind")), "source": source_name(view.data, sites),
            "error": view.counts.get("error", 0), "warning": view.counts.get("warning", 0),
            "info": view.counts.get("info", 0), "rules": view.rules, "waived": view.waived, "passed": view.passed,
            "first": first,
        })
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def breakdown(views: Sequence[DocumentView], key, by_name: bool = False) -> list[tuple[str, int, int, int]]:
    """(name, documents, passed, findings) per value of ``key``: most documents first, or by name."""
    groups: dict[str, list[int]] = {}
    for view in views:
        group = groups.setdefault(key(view), [0, 0, 0])
        group[0] += 1
        group[1] += view.passed
        group[2] += sum(view.counts.values())
    order = sorted(groups) if by_name else sorted(groups, key=lambda name: (-groups[name][0], name))
    return [(name, *groups[name]) for name in order]


def breakdowns(views: Sequence[DocumentView], sites: Mapping[str, str]) -> list[tuple[str, str, list]]:
    return [
        ("source", "按来源", breakdown(views, lambda view: source_name(view.data, sites))),
        ("committee", "按街道工委", breakdown(views, lambda view: view.data.get("committee") or UNKNOWN_COMMITTEE)),
        ("year", "按年份", breakdown(views, lambda view: str(view.data.get("year") or UNKNOWN_YEAR), by_name=True)),
        ("kind", "按类型", breakdown(views, lambda view: kind_name(view.data.get("kind")))),
    ]


def by_rule(run: RunResult) -> dict[str, Counter]:
    """Findings in force per rule and severity, most findings first (``Summary.by_rule`` is the order)."""
    counts: dict[str, Counter] = {rule: Counter() for rule in run.summary.by_rule}
    for finding in run.findings:
        if not finding.waived:
            counts.setdefault(finding.rule, Counter())[finding.severity.value] += 1
    return counts


def rule_chart(counts: dict[str, Counter]) -> dict[str, Any]:
    """Bars of findings per rule, each split by severity, as SVG geometry (x and width in pixels)."""
    width, label_width, row = 460, 250, 26
    largest = max((sum(c.values()) for c in counts.values()), default=0)
    bars = []
    for rule, split in sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        x, segments = 0.0, []
        for severity in SEVERITY_ORDER:
            if split.get(severity):
                length = split[severity] / largest * width
                segments.append({"severity": severity, "x": round(x, 1), "width": round(max(length, 1), 1),
                                 "count": split[severity]})
                x += length
        bars.append({"rule": rule, "total": sum(split.values()), "segments": segments, "end": round(x, 1)})
    return {"bars": bars, "label_width": label_width, "width": label_width + width + 60, "row": row,
            "height": row * len(bars) + 4}


def rule_rows(counts: dict[str, Counter], run: RunResult) -> list[dict[str, Any]]:
    """Rows of the rule table: rules with findings, most first, then the other known rules and waived ones."""
    waived = Counter(f.rule for f in run.findings if f.waived)
    found = sorted(counts, key=lambda rule: (-sum(counts[rule].values()), rule))
    known = rule_ids()
    rest = [rule for rule in known if rule not in counts] + sorted(set(waived) - set(known) - set(counts))
    return [{"rule": rule, "counts": [counts.get(rule, Counter()).get(severity, 0) for severity in SEVERITY_ORDER],
             "total": sum(counts.get(rule, Counter()).values()), "waived": waived.get(rule, 0)}
            for rule in found + rest]


def _key(rule: str, fingerprint: str, path: str, line: Any, column: Any, excerpt: str) -> str:
    """A finding's identity across runs: its fingerprint, or where it stands when it has none."""
    return fingerprint or "|".join(str(part) for part in (path, rule, line, column, excerpt))


def changes(views: Sequence[DocumentView], previous: RunResult) -> dict[str, Any]:
    """The findings in force new since ``previous`` (with their place) and those it had that are gone."""
    current = {_key(str(f.get("rule", "")), str(f.get("fingerprint") or ""), view.data.get("path"), f.get("line"),
                    f.get("column"), str(f.get("excerpt") or "")): (view, index, f)
               for view in views for index, f in enumerate(view.findings) if not f.get("waived")}
    before = {_key(f.rule, f.fingerprint, document.path, f.line, f.column, f.excerpt): (document, f)
              for document in previous.documents for f in document.findings if not f.waived}
    new = [{"title": view.title, "href": f"documents/{view.file}#f-{index}", "rule": str(f.get("rule", "")),
            "severity": str(f.get("severity", "info")), "line": f.get("line"), "column": f.get("column"),
            "message": f.get("message", "")} for key, (view, index, f) in current.items() if key not in before]
    resolved = [{"title": document.title or document.path, "href": None, "rule": f.rule, "severity": f.severity.value,
                 "line": f.line, "column": f.column, "message": f.message}
                for key, (document, f) in before.items() if key not in current]
    return {"new_count": len(new), "resolved_count": len(resolved), "new": new[:CHANGES_LISTED],
            "resolved": resolved[:CHANGES_LISTED], "previous_started_at": previous.started_at}


def trend(history: Sequence[Mapping[str, Any]], run: RunResult, zone: str) -> dict[str, Any]:
    """The runs of the history, this one last: the last ``RUNS_DRAWN`` as lines of findings, errors and
    documents per run, the older ones summed up; one run alone is told, not drawn."""
    summary = run.summary
    runs = [dict(item) for item in history]
    started = run.started_at.isoformat() if isinstance(run.started_at, datetime) else ""
    if not any(_same_time(item.get("started_at"), run.started_at) for item in runs):
        runs.append({"started_at": started, "documents": summary.documents, "findings": summary.findings,
                     "by_severity": dict(summary.by_severity)})
    older, drawn = runs[:-RUNS_DRAWN], runs[-RUNS_DRAWN:]
    width, height, left, right, top, bottom = 560, 150, 40, 16, 14, 26
    largest = max([item.get("findings", 0) for item in drawn] + [item.get("documents", 0) for item in drawn] + [1])
    step = (width - left - right) / max(len(drawn) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return (round(left + index * step, 1),
                round(height - bottom - value / largest * (height - top - bottom), 1))

    series = []
    for name, label, value in (
        ("findings", "问题", lambda item: item.get("findings", 0)),
        ("errors", "错误", lambda item: (item.get("by_severity") or {}).get("error", 0)),
        ("documents", "文档", lambda item: item.get("documents", 0)),
    ):
        points = [point(index, value(item)) for index, item in enumerate(drawn)]
        series.append({"name": name, "label": label, "points": points, "values": [value(i) for i in drawn],
                       "path": " ".join(f"{x},{y}" for x, y in points)})
    summed = None
    if older:
        found = [item.get("findings", 0) for item in older]
        summed = {"count": len(older), "first": report_day(older[0].get("started_at"), zone),
                  "last": report_day(older[-1].get("started_at"), zone), "least": min(found), "most": max(found)}
    return {"runs": drawn, "series": series, "older": summed, "drawn": len(drawn) > 1, "width": width,
            "height": height, "left": left, "right": right, "top": top, "bottom": bottom, "largest": largest,
            "first_day": report_day(drawn[0].get("started_at"), zone),
            "last_day": report_day(drawn[-1].get("started_at"), zone)}


def _same_time(stored: Any, started: datetime | None) -> bool:
    if started is None or not stored:
        return False
    try:
        return datetime.fromisoformat(str(stored)) == started
    except ValueError:
        return False


def expectations(run: RunResult) -> list[dict[str, Any]]:
    """How each pandera check and GX expectation fared, failures first, observed values in words with units."""
    units: dict[tuple, str] = {}
    for document in run.documents:
        units.update({(r.part, r.whole): r.unit for r in document.relations})
        units.update({(s.label, s.value): s.unit for s in document.statistics})
    rows = []
    for result in sorted(run.expectations, key=lambda e: (e.success, e.engine, e.frame, e.name)):
        observed = [observed_text(result.columns, value, units) for value in result.observed[:5]]
        rows.append({"engine": ENGINES.get(result.engine, result.engine), "frame": result.frame, "name": result.name,
                     "rule": result.rule, "success": result.success, "element_count": result.element_count,
                     "unexpected_count": result.unexpected_count, "observed": [text for text in observed if text],
                     "more": len(result.observed) > 5})
    return rows


def coverage_line(coverage: Coverage) -> str:
    """The coverage in a sentence: ``14 个街道工委 × 7 年（2016–2022）应有 98 份年度报告：已有 15 份，缺 83 份…``."""
    if not coverage.years:
        return ""
    first, last = coverage.years[0], coverage.years[-1]
    span = f"{first} 年" if first == last else f"{len(coverage.years)} 年（{first}–{last}）"
    parts = [f"已有 {len(coverage.present)} 份", f"缺 {len(coverage.missing)} 份"]
    if coverage.late:
        parts.append(f"迟发 {len(coverage.late)} 份")
    if coverage.replaced:
        parts.append(f"有更新 {len(coverage.replaced)} 份")
    return (f"{len(coverage.committees)} 个街道工委 × {span}应有 {len(coverage.cells)} 份年度报告："
            + "，".join(parts))
