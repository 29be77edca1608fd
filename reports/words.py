"""The Chinese words a reader of the HTML report sees for wrqa's ids: kinds, sources, sites, engines, columns.

The data keeps its ids (``report``, ``store``, ``wcrd``, ``part``); only what a page shows is put in
words here, numbers with their units and dates as dates, and an id no table knows is shown as it is.
This module must never change what the data says, only how it reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from checks.figures import BY_ID as FIGURES

KINDS = {"report": "年度工作报告", "half-year": "半年或阶段报告", "gov-report": "政府或常委会工作报告",
         "template": "模板范文", "article": "新闻", "other": "其他"}
SECTIONS = {"work": "工作完成情况", "shortcomings": "存在不足", "plans": "工作思路"}
STATISTIC_KINDS = {"rate": "比率", "growth": "增长", "fulfilment": "完成度", "percent": "百分比", "count": "数量",
                   "approx-count": "约数"}
RELATIONS = {"part": "部分与整体", "parts-sum": "分项之和与总数", "share": "占比"}
FILE_SOURCE = "本地文件"
# The sites wrqa has adapters for, by adapter, and by the source names the shipped config gives them.
SITE_KINDS = {"epoint": "武昌区人大网", "hppc": "湖北人大网"}
KNOWN_SITES = {"wcrd": "武昌区人大网", "hppc": "湖北人大网"}
ENGINES = {"pandera": "pandera", "gx": "GX"}
ENGINE_NOTES = (
    ("pandera", "Python 的数据表校验库：每次运行都用它按各条规则逐行核对检查结果表。"),
    ("Great Expectations（GX）", "数据质量框架：一次校验多份文档时，用同样的规则再核对一遍，两者结果应一致。"),
)
COLUMNS = {
    "part": "部分", "whole": "整体", "stated": "所述占比", "value": "数值", "label": "指标", "title": "标题",
    "text": "原文", "similarity": "相似度", "year": "年份", "expected_year": "应为", "ordinal": "序号",
    "expected_ordinal": "应为", "committee": "本工委", "mentioned": "文中工委", "meeting_day": "会议日期",
    "term_start": "任期开始", "term_end": "任期结束", "rule": "规则", "form": "形式", "figure": "数字",
    "previous_value": "上一份报告", "section": "部分",
}
DAYS = {"meeting_day", "term_start", "term_end"}
TEXT_SHOWN = 40


def site_names(sources: Iterable[Any]) -> dict[str, str]:
    """The name a reader knows each configured source by (``武昌区人大网``), by the source's configured name."""
    return {source.name: SITE_KINDS.get(source.kind, source.name) for source in sources}


def kind_name(kind: str | None) -> str:
    return KINDS.get(kind or "other", kind or "")


def source_name(document: Mapping[str, Any], sites: Mapping[str, str]) -> str:
    """Where a document came from, in words: 本地文件, or the site its page was stored from."""
    if document.get("source") != "store":
        return FILE_SOURCE
    site = str(document.get("site") or "")
    return sites.get(site) or KNOWN_SITES.get(site) or site or "网站"


def number(value: Any) -> str:
    """A number as a person writes it: 29, not 29.0; 4.3, not 4.300000; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _shown(column: str, value: Any, unit: str) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if column in DAYS:
            day = int(value)
            return f"{day // 10000}年{day // 100 % 100}月{day % 100}日"
        if column == "similarity":
            return f"{value:.0%}"
        unit = "%" if column == "stated" else unit
        return f"{number(value)}{unit}" if unit in ("", "%") else f"{number(value)} {unit}"
    if column == "figure" and value in FIGURES:
        return FIGURES[value].name
    text = str(value)
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"


def observed_text(columns: Sequence[str], value: Any, units: Mapping[tuple, str]) -> str:
    """One failing row an engine observed, in words with units: ``部分 29 篇，整体 16 篇``.

    ``units`` gives the measure word of a figure by the values it stands with (``(part, whole)`` of a
    relation, ``(label, value)`` of a statistic); a row that carries its ``unit`` uses that.
    """
    if not columns:  # results of an older wrqa name no columns: the values alone
        values = value if isinstance(value, (list, tuple)) else [value]
        return "，".join(shown for item in values if (shown := _shown("", item, "")) is not None)
    values = list(value) if len(columns) > 1 and isinstance(value, (list, tuple)) else [value]
    row = dict(zip(columns, values, strict=False))
    unit = str(row.pop("unit", "") or "") or units.get((row.get("part"), row.get("whole"))) or units.get(
        (row.get("label"), row.get("value"))) or ""
    parts = []
    for column, item in row.items():
        shown = _shown(column, item, unit if column in ("part", "whole", "value", "previous_value") else "")
        if shown is not None:
            parts.append(f"{COLUMNS.get(column, column)} {shown}")
    return "，".join(parts)
