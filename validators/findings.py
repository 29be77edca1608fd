"""The one place where failed rows become findings: a position in the source file, the words, a message.

A row of the lines frame may hold several offending spans (two placeholders on one line): the rule's
pattern is matched again to find each. Document-level rules point at the document's title line.
Messages are one Chinese sentence that says what is wrong and what was expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

from checks.records import Analysis, Finding
from crawler.normalize import MEETING_LINE
from validators.patterns import ARTIFACT, ARTIFACT_KINDS, DOUBLED_STREET, PLACEHOLDER, PLACEHOLDER_KINDS
from validators.rules import Rule

SECTION_NAMES = {
    "work": ("本年度工作完成情况", "工作完成情况、主要工作"),
    "shortcomings": ("存在的不足", "存在不足、存在的问题"),
    "plans": ("下一年度工作思路", "工作思路、打算、计划"),
}
EXCERPT_MAX = 200
_PATTERNS = {"placeholder": PLACEHOLDER, "artifact": ARTIFACT, "committee-name": DOUBLED_STREET}


def _number(value: float) -> str:
    return f"{value:g}"


class FindingMaker:
    """Turns (rule, row) failures of one run into findings, given the run's frames and analyses."""

    def __init__(self, frames: dict[str, pd.DataFrame], analyses: Sequence[Analysis]) -> None:
        self.frames = frames
        self.analyses = analyses
        self._columns: dict[str, dict[str, list]] = {}

    def _record(self, frame: str, row: int) -> dict:
        # Reading a row through .loc costs ~100 µs; plain column lists, made once a frame, cost nothing.
        if frame not in self._columns:
            self._columns[frame] = {name: values.tolist() for name, values in self.frames[frame].items()}
        return {name: values[row] for name, values in self._columns[frame].items()}

    def document_of(self, frame: str, row: int) -> int:
        """The index in the run of the document a row of ``frame`` belongs to."""
        return int(self._record(frame, row)["doc"])

    def __call__(self, rule: Rule, row: int, engine: str) -> list[Finding]:
        record = self._record(rule.frame, row)
        analysis = self.analyses[int(record["doc"])]
        if rule.frame == "lines":
            return self._text_findings(rule, analysis, int(record["offset"]), str(record["text"]), engine)
        if rule.frame == "documents":
            return [self._document_finding(rule, analysis, record, engine)]
        start, end = int(record["offset"]), int(record["end"])
        message, data = self._message(rule, analysis, record)
        return [self._finding(rule, analysis, start, end, message, data, engine)]

    def _text_findings(self, rule: Rule, analysis: Analysis, line_offset: int, text: str, engine: str):
        pattern = _PATTERNS[rule.id]
        findings = []
        for match in pattern.finditer(text):
            words = match.group(0)
            if rule.id == "placeholder":
                kind = PLACEHOLDER_KINDS[match.lastgroup]
                message = f"模板占位符未填写（{kind}）：“{words}”，请填入实际内容"
                data = {"kind": match.lastgroup, "placeholder": words}
            elif rule.id == "artifact":
                kind = ARTIFACT_KINDS[match.lastgroup]
                message = f"转换或抓取残留（{kind}）：“{words.strip()}”，请删除或修复"
                data = {"kind": match.lastgroup}
            else:
                message = "委员会名称重复了“街”：“街街道”应为“街道”"
                data = {"expected": "街道"}
            findings.append(self._finding(
                rule, analysis, line_offset + match.start(), line_offset + match.end(), message, data, engine))
        return findings

    def _document_finding(self, rule: Rule, analysis: Analysis, record: dict, engine: str) -> Finding:
        document = analysis.document
        if rule.id == "section-missing":
            name, examples = SECTION_NAMES[rule.data["section"]]
            message = f"正式报告缺少“{name}”部分（未找到含“{examples}”等字样的标题）"
            data = dict(rule.data)
        elif rule.id == "duplicate-report":
            other = self.analyses[int(record["duplicate_of"])].document
            similarity = record["similarity"]
            message = (f"与《{other.title}》（{other.path}:{other.line}）几乎相同（相似度 {similarity:.0%}），"
                       "疑为套用其他报告的模板")
            data = {"duplicate_of": {"path": other.path, "line": other.line, "title": other.title},
                    "similarity": round(float(record["similarity"]), 3)}
        else:
            term_start, term_end = (_day(record["term_start"]), _day(record["term_end"]))
            message = (f"会议日期 {document.meeting_date} 不在{document.session}任期（{term_start} 至 {term_end}）内，"
                       "请核对日期或届次")
            data = {"meeting_date": str(document.meeting_date), "session": document.session,
                    "term": [term_start, term_end]}
        start, end = 0, document.text.find("\n")
        meeting = MEETING_LINE.search(document.text) if rule.id == "meeting-term" else None
        if meeting:
            start, end = meeting.span()
        return self._finding(rule, analysis, start, end if end > start else len(document.text), message, data, engine)

    def _message(self, rule: Rule, analysis: Analysis, record: dict) -> tuple[str, dict]:
        if rule.id == "stat-rate-range":
            value = _number(record["value"])
            return (f"{record['label'] or '比率'}为 {value}%，不可能超出 0–100% 的范围",
                    {"value": float(record["value"]), "label": record["label"], "expected": "0-100"})
        if rule.id == "stat-part-whole":
            part, whole, unit = _number(record["part"]), _number(record["whole"]), record["unit"]
            if record["relation"] == "share" and record["whole"]:
                computed = 100 * record["part"] / record["whole"]
                return (f"所述占比 {_number(record['stated'])}% 与 {part}/{whole} = {computed:.0f}% 不符",
                        {"part": float(record["part"]), "whole": float(record["whole"]),
                         "stated": float(record["stated"]), "expected": round(computed, 1)})
            if record["relation"] == "parts-sum":
                return (f"“其中”所列各项之和 {part}{unit} 超过总数 {whole}{unit}",
                        {"part": float(record["part"]), "whole": float(record["whole"]), "relation": "parts-sum"})
            return (f"部分 {part}{unit} 大于总数 {whole}{unit}",
                    {"part": float(record["part"]), "whole": float(record["whole"]), "relation": "part"})
        if rule.id == "year-mismatch":
            year, expected = int(record["year"]), int(record["expected_year"])
            part = "工作思路" if "plans" in record["section"] else "工作情况"
            return (f"{part}标题写的是 {year} 年，本报告为 {analysis.document.year} 年度，应为 {expected} 年",
                    {"stated": year, "expected": expected})
        if rule.id == "section-numbering":
            stated, expected = int(record["ordinal"]), int(record["expected_ordinal"])
            return (f"标题序号不连续：此处应为第 {expected} 项，写的是第 {stated} 项",
                    {"stated": int(record["ordinal"]), "expected": int(record["expected_ordinal"]),
                     "level": int(record["level"])})
        if rule.id == "committee-mismatch":
            return (f"本报告属于{record['committee']}，文中却出现{record['mentioned']}的工委名称，疑为套用模板",
                    {"committee": record["committee"], "mentioned": record["mentioned"]})
        raise ValueError(f"no message for rule {rule.id!r} on the {rule.frame} frame")

    def _finding(self, rule: Rule, analysis: Analysis, start: int, end: int, message: str, data: dict,
                 engine: str) -> Finding:
        document = analysis.document
        line, column = document.origin.position(start)
        end_line, end_column = document.origin.position(max(end - 1, start))
        source_line = document.source.lines[line - 1] if line <= len(document.source.lines) else ""
        stop = end_column if end_line == line else len(source_line)
        # The words, bounded: a finding over a long list keeps its span (end_line, end_column), not its whole text.
        excerpt = (source_line[column - 1 : stop] or document.text[start:end])[:EXCERPT_MAX]
        data = {**data, "end_line": end_line, "end_column": end_column + 1}
        context = document.text[max(start - 12, 0) : end + 12]
        key = "\x1f".join((rule.name, document.committee or "", str(document.year), document.title, context))
        return Finding(
            rule=rule.id, severity=rule.severity, path=document.path, line=line, column=column,
            excerpt=excerpt, message=message, data=data,
            fingerprint=hashlib.sha256(key.encode()).hexdigest()[:16], engine=engine,
        )


def _day(value: float) -> str:
    number = int(value)
    return f"{number // 10000:04d}-{number // 100 % 100:02d}-{number % 100:02d}"
