"""The text report: one line a finding, ``path:line:col: severity rule message``, the words under it.

Like a compiler's: the source line is shown around the finding with carets under the offending words,
measured in display columns (a Chinese character is two wide). Colour only when asked (on a terminal).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator

from validators.records import RunResult

COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
RESET = "\033[0m"
CONTEXT = 24
LONGEST = 40


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


def summary_line(run: RunResult) -> str:
    """One line: documents, findings by severity, unreadable inputs, engines."""
    severities = Counter(finding.severity for finding in run.findings)
    parts = ", ".join(f"{severities[s]} {s}{'s' if severities[s] != 1 else ''}"
                      for s in ("error", "warning", "info") if severities[s])
    total = sum(severities.values())
    documents = len(run.documents)
    line = (f"{documents} document{'s' if documents != 1 else ''}, "
            f"{total} finding{'s' if total != 1 else ''}{f' ({parts})' if parts else ''}")
    if run.errors:
        line += f", {len(run.errors)} unreadable input{'s' if len(run.errors) != 1 else ''}"
    return f"{line}; judged by {' + '.join(run.engines)}"


def render_text(run: RunResult, *, colour: bool = False) -> Iterator[str]:
    """The lines of the text report of ``run``."""
    for error in run.errors:
        yield _paint(f"{error.message}", "error", colour)
    for result in run.documents:
        lines = result.document.source.lines
        for finding in result.findings:
            severity = _paint(finding.severity, finding.severity, colour)
            yield f"{finding.path}:{finding.line}:{finding.column}: {severity} {finding.rule} {finding.message}"
            source_line = lines[finding.line - 1] if 0 < finding.line <= len(lines) else finding.excerpt
            shown, carets = _excerpt(source_line, finding.column, len(finding.excerpt))
            yield f"    {shown}"
            yield f"    {_paint(carets, finding.severity, colour)}"
    yield summary_line(run)


def _paint(text: str, severity: str, colour: bool) -> str:
    return f"{COLOURS[severity]}{text}{RESET}" if colour else text
