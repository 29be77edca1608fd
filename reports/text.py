"""The text report: one line a finding, ``path:line:col: severity rule message``, the words under it.

Like a compiler's: the source line is shown around the finding with carets under the offending words,
measured in display columns (a Chinese character is two wide). Colour only when asked (on a terminal).
Where a line is not a line of a text file the line says what it counts, as a reader of the file counts:
a Word file's paragraph (``[第 12 段]``), a PDF's page and line on it (``[第 3 页第 7 行]``).
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence

from validators.records import Finding, RunResult, Severity

COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
RESET = "\033[0m"
CONTEXT = 24
LONGEST = 40
# The sources read one line a paragraph (crawler.docx, and crawler.office through it), by their encoding.
PARAGRAPHS = frozenset({"docx", "doc", "wps", "rtf"})


def place(finding: Finding, encoding: str) -> str | None:
    """Where ``finding`` stands as a reader of its file counts: ``第 12 段`` (Word), ``第 3 页第 7 行`` (PDF);
    None for a text or HTML file, whose line and column say it all."""
    if finding.page is not None:
        return f"第 {finding.page} 页第 {finding.line} 行"
    if encoding in PARAGRAPHS:
        return f"第 {finding.line} 段"
    return None


def width(text: str) -> int:
    """Display width of ``text`` in a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(line: str, column: int, length: int) -> tuple[str, str]:
    start = max(column - 1 - CONTEXT, 0)
    stop = min(column - 1 + length + CONTEXT, len(line))
    before = ("…" if start else "") + line[start : column - 1]
    words = line[column - 1 : column - 1 + min(length, LONGEST)]
    if length > LONGEST:
        stop = column - 1 + LONGEST
    after = line[column - 1 + len(words) : stop] + ("…" if stop < len(line) else "")
    shown = (before + words + after).replace("\t", " ")
    carets = " " * width(before.replace("\t", " ")) + "^" * max(width(words), 1)
    return shown, carets


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def summary_line(run: RunResult) -> str:
    """One line: documents, findings by severity, findings waived, unreadable inputs, engines."""
    summary = run.summary
    parts = ", ".join(_counted(count, severity) for severity, count in summary.by_severity.items() if count)
    line = f"{_counted(summary.documents, 'document')}, {_counted(summary.findings, 'finding')}"
    line += f" ({parts})" if parts else ""
    if summary.waived:
        line += f", {summary.waived} waived"
    if run.errors:
        line += f", {_counted(len(run.errors), 'unreadable input')}"
    if run.skipped:
        line += f", {skipped_line(run.skipped)}"
    return f"{line}; judged by {' + '.join(run.engines)}"


def skipped_line(paths: Sequence[str]) -> str:
    """``3 files skipped: .xlsx ×2, .jpg ×1``: the files of walked folders wrqa does not read, by suffix."""
    suffixes = Counter((os.path.splitext(path)[1].lower() or "no suffix") for path in paths)
    kinds = ", ".join(f"{suffix} ×{count}" for suffix, count in suffixes.most_common())
    return f"{_counted(len(paths), 'file')} skipped: {kinds}"


def render_statistics(run: RunResult) -> Iterator[str]:
    """A line per rule that found something: how many unwaived findings, its id, Chinese name and severity."""
    from reports.rules import rule_name

    severities = {f.rule: f.severity.value for f in run.findings if not f.waived}
    for rule, count in run.summary.by_rule.items():
        yield f"{count:>6}  {rule:<20} {rule_name(rule)} [{severities.get(rule, '')}]"


def render_text(run: RunResult, *, colour: bool = False, summary: bool = True, errors: bool = True) -> Iterator[str]:
    """The lines of the text report of ``run``: each finding with its source line, then the summary line.

    A waived finding is listed as ``waived``, with the waiver's reason and last day, and counted apart;
    ``summary=False`` leaves the summary out, ``errors=False`` the unreadable inputs (said elsewhere).
    """
    for error in run.errors if errors else ():
        yield _paint(f"{error.message}", Severity.ERROR, colour)
    for result in run.documents:
        for finding in result.findings:
            where = place(finding, result.encoding)
            message = f"{finding.message} [{where}]" if where else finding.message
            if finding.waiver is not None:
                yield (f"{finding.path}:{finding.line}:{finding.column}: waived {finding.rule} {message} "
                       f"[waived until {finding.waiver.expires}: {finding.waiver.reason}]")
                continue
            severity = _paint(finding.severity.value, finding.severity, colour)
            yield f"{finding.path}:{finding.line}:{finding.column}: {severity} {finding.rule} {message}"
            source_line = result.source_line(finding.line, finding.page)
            shown, carets = _excerpt(source_line if source_line is not None else finding.excerpt,
                                     finding.column if source_line is not None else 1, len(finding.excerpt))
            yield f"    {shown}"
            yield f"    {_paint(carets, finding.severity, colour)}"
        if result.truncated is not None:
            yield (f"{result.path}:{result.truncated}:1: note truncated 文本在此处中途截断（最后一段没有结束），"
                   "只做了不依赖全文的检查")
    if summary:
        yield summary_line(run)


def _paint(text: str, severity: Severity, colour: bool) -> str:
    return f"{COLOURS[severity]}{text}{RESET}" if colour else text
