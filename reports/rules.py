"""What each rule id means, in Chinese: the one table the report writers share.

``RULES`` maps a stable rule id to its Chinese name and a one-line Chinese explanation; the HTML
report shows both beside the English id, and the text report may reuse them. An id missing here
(a rule added later) is still shown, by its id alone: use ``rule_name`` and ``rule_explanation``.
This module is data; it must never import anything heavier than the standard library.
"""

from __future__ import annotations

RULES: dict[str, tuple[str, str]] = {
    "placeholder": (
        "占位符未替换",
        "文中留有模板占位符（如 ***、XX街道、20XX年、X月X日、××次、某某社区），发布前应填上实际内容。",
    ),
    "section-missing": (
        "缺少必备部分",
        "年度工作报告应有工作完成情况、存在不足、下一年工作思路三个部分，缺了其中之一。",
    ),
    "stat-rate-range": (
        "比率超出范围",
        "百分比、满意度、参与率等比率超出合理范围（如大于100%或为负数），可能丢了小数点或写错。",
    ),
    "stat-part-whole": (
        "部分与整体不符",
        "分项大于总数、其中各项之和与总数不等，或所述占比与分项÷总数算出的不符。",
    ),
    "year-mismatch": (
        "年份不一致",
        "标题、会议日期或正文中的年份与报告的工作年度对不上（如“三、2023年工作思路”出现在2021年报告中）。",
    ),
    "artifact": (
        "网页或排版残留",
        "正文混入了网页或转换残留：导航、“打印”“阅读次数”、##paidbegin##标记、乱码“?”或拼音注音。",
    ),
    "duplicate-report": (
        "疑似重复报告",
        "与另一份报告高度相似，可能是重复发布，或套用了别的街道的报告。",
    ),
    "section-numbering": (
        "序号不连续",
        "标题序号（一、二、三 或（一）（二））跳号、重复或顺序错乱。",
    ),
    "committee-name": (
        "工委名称不规范",
        "街道人大工委的名称写法有误，如“杨园街街道工委”多了一个“街”。",
    ),
    "committee-mismatch": (
        "工委前后不一致",
        "正文或署名中的街道工委与标题中的不是同一个。",
    ),
    "meeting-term": (
        "会议届次有误",
        "会议的届次与会议日期不符（区第十五届为2016年12月至2021年12月，第十六届自2021年12月起）。",
    ),
}

SEVERITIES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


def rule_name(rule: str) -> str:
    """The Chinese name of ``rule``, or the id itself for a rule this table does not know yet."""
    return RULES.get(rule, (rule, ""))[0]


def rule_explanation(rule: str) -> str:
    """The one-line Chinese explanation of ``rule``, or an empty string for an unknown rule."""
    return RULES.get(rule, (rule, ""))[1]


def severity_name(severity: str) -> str:
    """The Chinese word for ``severity`` (错误, 警告, 提示), or the severity itself when unknown."""
    return SEVERITIES.get(severity, severity)
