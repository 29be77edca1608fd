"""A document as the report's pages show it: its findings in order and grouped, its text with each finding marked.

``DocumentView`` wraps one document's entry of ``reports.json.run_to_dict`` (plain data, so a page can be
rendered in a forked process from what it inherited); ``highlight`` turns its text into lines of HTML. Every
piece of scraped text reaches the page escaped (``markupsafe.escape``); this module must never mark text of a
document as safe without escaping it first.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from reports import words
from reports.rules import rule_name
from reports.words import STATISTIC_KINDS

SEVERITY_ORDER = ("error", "warning", "info")
# Characters of a finding's line shown before and after its words, and most of its words shown.
CONTEXT = 16
WORDS_SHOWN = 40


def page_file(index: int) -> str:
    return f"{index + 1:05d}.html"


@dataclass
class _Span:
    """The part of a document's text a finding covers: 1-based lines, 0-based code-point columns."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class DocumentView:
    """A document of the report as its page and its table row need it."""

    number: int
    file: str
    data: dict
    findings: list[dict]
    counts: Counter
    given_lines: tuple[str, ...] | None = None

    @classmethod
    def of(cls, index: int, data: dict, lines: tuple[str, ...] | None = None) -> DocumentView:
        """The view of document ``index``; ``lines``: its text's lines when the caller holds them already."""
        findings = sorted(data.get("findings") or [], key=_finding_order)
        counts = Counter(f.get("severity", "info") for f in findings if not f.get("waived"))
        return cls(index + 1, page_file(index), data, findings, counts, lines)

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        if self.given_lines is not None:
            return self.given_lines
        text = self.data.get("text")
        return tuple(text.split("\n")) if isinstance(text, str) else ()

    @functools.cached_property
    def highlighted(self) -> tuple[Markup, set[int]]:
        return highlight(self.data.get("text") or "", self.data.get("line") or 1, self.findings)

    @property
    def text_html(self) -> Markup:
        return self.highlighted[0]

    @property
    def outside(self) -> set[int]:
        return self.highlighted[1]

    @property
    def title(self) -> str:
        return self.data.get("title") or self.data.get("path") or f"#{self.number}"

    @property
    def statistics(self) -> Markup:
        """The rows of the statistics table as HTML, every value escaped: the figure as written, its value, unit,
        kind in words, label and a link to its line (made here, not in the template: a report of 10,000
        documents writes a few hundred thousand of them)."""
        rows = []
        for s in self.data.get("statistics") or ():
            line, column = escape(s.get("line", "")), escape(s.get("column", ""))
            kind = STATISTIC_KINDS.get(s.get("kind"), s.get("kind", ""))
            value = escape(words.number(s.get("value")))
            cells = (f'<td>{escape(s.get("text", ""))}</td><td class="num">{value}</td>'
                     f'<td>{escape(s.get("unit", ""))}</td><td>{escape(kind)}</td>'
                     f'<td>{escape(s.get("label", ""))}</td>')
            rows.append(f'<tr>{cells}<td class="id"><a href="#L{line}">{line}:{column}</a></td></tr>')
        return Markup("\n".join(rows))

    @property
    def relations(self) -> list[dict]:
        """Rows of the part/whole table, with the share the two values make where both are numbers."""
        rows = []
        for relation in self.data.get("relations") or ():
            part, whole = relation.get("part"), relation.get("whole")
            numbers = isinstance(part, (int, float)) and isinstance(whole, (int, float)) and whole
            rows.append(dict(relation, share=f"{part / whole * 100:.1f}%" if numbers else ""))
        return rows

    @property
    def link(self) -> str | None:
        """The source URL when it is a web address; anything else (``javascript:``) is shown, not linked."""
        url = self.data.get("url") or ""
        return url if url.lower().startswith(("http://", "https://")) else None

    @property
    def passed(self) -> bool:
        return not self.counts.get("error")

    @property
    def rules(self) -> list[str]:
        return sorted({f.get("rule", "") for f in self.findings if not f.get("waived")})

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.get("waived"))

    @property
    def groups(self) -> list[dict]:
        """The findings by rule, each rule where its first finding stands: ``rule``, ``severity`` (the worst
        of its findings in force), ``items`` (index in ``findings``, finding), ``waived`` (how many are)."""
        groups: dict[str, dict] = {}
        for index, finding in enumerate(self.findings):
            group = groups.setdefault(str(finding.get("rule", "")), {"rule": str(finding.get("rule", "")),
                                                                     "items": [], "waived": 0})
            group["items"].append((index, finding))
            group["waived"] += bool(finding.get("waived"))
        for group in groups.values():
            active = [f for _, f in group["items"] if not f.get("waived")] or [f for _, f in group["items"]]
            group["severity"] = min((str(f.get("severity", "info")) for f in active), key=severity_rank)
        return list(groups.values())

    @functools.cached_property
    def worst(self) -> tuple[int, dict] | None:
        """The first finding in force of the worst severity, with its index: what a list of documents shows."""
        active = [(index, f) for index, f in enumerate(self.findings) if not f.get("waived")]
        return min(active, key=lambda item: (severity_rank(str(item[1].get("severity", "info"))), item[0]),
                   default=None)

    def same_rule(self, finding: dict) -> int:
        """How many findings in force of ``finding``'s rule the document has."""
        return sum(1 for f in self.findings if f.get("rule") == finding.get("rule") and not f.get("waived"))

    def context(self, finding: dict) -> tuple[str, str, str]:
        """The words of ``finding`` and a few characters either side on their line: (before, words, after)."""
        line, column = finding.get("line"), finding.get("column")
        excerpt = str(finding.get("excerpt") or "")
        pages = self.data.get("pages") or []
        page = finding.get("page")
        if isinstance(page, int) and 0 < page <= len(pages) and isinstance(line, int):
            line = pages[page - 1] + line - 1  # a PDF's findings count lines on their page
        lines = self.lines
        at = line - (self.data.get("line") or 1) if isinstance(line, int) else -1
        if not 0 <= at < len(lines) or not isinstance(column, int) or column < 1:
            return "", _cut(excerpt), ""
        source = lines[at]
        start = column - 1
        end = finding.get("end_column") if finding.get("end_line") == finding.get("line") else None
        stop = end - 1 if isinstance(end, int) and end - 1 > start else (start + len(excerpt) or len(source))
        before = source[max(start - CONTEXT, 0) : start]
        after = source[stop : stop + CONTEXT]
        return (("…" if start > CONTEXT else "") + before, _cut(source[start:stop] or excerpt),
                after + ("…" if stop + CONTEXT < len(source) else ""))


def _cut(words: str) -> str:
    return words if len(words) <= WORDS_SHOWN else words[:WORDS_SHOWN] + "…"


def _finding_order(finding: dict) -> tuple[int, int, str]:
    line, column = finding.get("line"), finding.get("column")
    return (line if isinstance(line, int) else 0, column if isinstance(column, int) else 0,
            str(finding.get("rule", "")))


def highlight(text: str, first_line: int, findings: list[dict]) -> tuple[Markup, set[int]]:
    """The text as HTML lines with each finding's characters in ``<mark>``, and the findings outside it.

    Each source line is ``<div id="L12"><a href="#L12">12</a><span>…</span></div>`` (kept short: a report
    of 10,000 documents writes these lines a few hundred thousand times).
    Finding ``i`` (its index in ``findings``) marks every character from (line, column) up to
    (end_line, end_column), exclusive; the marks carry ``data-f="i …"`` for every finding covering
    them, and an empty ``<span id="f-i">`` stands where finding ``i`` begins. Overlapping findings
    split the text into segments, so marks never nest.
    """
    lines = text.split("\n")
    last_line = first_line + len(lines) - 1
    cuts: dict[int, list[tuple[int, int, int]]] = {}
    outside: set[int] = set()
    for index, finding in enumerate(findings):
        span = _span(finding, lines, first_line)
        if span is None or span.line > last_line or span.end_line < first_line:
            outside.add(index)
            continue
        for number in range(max(span.line, first_line), min(span.end_line, last_line) + 1):
            line = lines[number - first_line]
            start = span.column if number == span.line else 0
            end = span.end_column if number == span.end_line else len(line)
            cuts.setdefault(number, []).append((min(start, len(line)), min(end, len(line)), index))
    severities = [f.get("severity", "info") for f in findings]
    waived = {index for index, f in enumerate(findings) if f.get("waived")}
    begun: set[int] = set()
    out = []
    for offset, line in enumerate(lines):
        number = first_line + offset
        body = (_marked(line, cuts[number], severities, findings, begun, waived) if number in cuts
                else escape(line))
        out.append(f'<div id="L{number}"><a href="#L{number}">{number}</a><span>{body}</span></div>')
    return Markup('<div class="src">' + "\n".join(out) + "</div>"), outside


def _span(finding: dict, lines: list[str], first_line: int) -> _Span | None:
    line, column = finding.get("line"), finding.get("column")
    if not isinstance(line, int):
        return None
    column = column if isinstance(column, int) and column > 0 else 1
    end_line, end_column = finding.get("end_line"), finding.get("end_column")
    source = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
    has_end = isinstance(end_line, int) and isinstance(end_column, int)
    if not has_end or (end_line, end_column) < (line, column):
        # No end given: the excerpt where it stands, else the rest of the line.
        excerpt = finding.get("excerpt") or ""
        end_line = line
        if excerpt and source[column - 1 : column - 1 + len(excerpt)] == excerpt:
            end_column = column + len(excerpt)
        else:
            end_column = len(source) + 1
    if (end_line, end_column) == (line, column):
        end_column = column + 1  # a point finding still marks the character it points at
    return _Span(line, column - 1, end_line, end_column - 1)


def _marked(line: str, cuts: list[tuple[int, int, int]], severities: list[str], findings: list[dict],
            begun: set[int], waived: set[int]) -> str:
    """One line as HTML with its findings' marks; ``begun``: the findings whose anchor is placed.

    A mark takes the worst severity of the unwaived findings covering it; one covered by waived findings
    only is of class ``waived``.
    """
    points = sorted({0, len(line)} | {start for start, _, _ in cuts} | {end for _, end, _ in cuts})
    parts = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [index for first, last, index in cuts if first <= start and end <= last and first < last]
        for index in covering:
            if index not in begun:
                begun.add(index)
                parts.append(f'<span class="anchor" id="f-{index}"></span>')
        piece = escape(line[start:end])
        if not covering:
            parts.append(str(piece))
            continue
        active = [index for index in covering if index not in waived]
        worst = min((severities[index] for index in active or covering), key=severity_rank)
        tip = escape("；".join(f"{rule_name(findings[i].get('rule', ''))}：{findings[i].get('message', '')}"
                              for i in covering))
        ids = " ".join(str(index) for index in covering)
        kind = f"hl sev-{escape(worst)}" + ("" if active else " waived")
        parts.append(f'<mark class="{kind}" data-f="{ids}" title="{tip}">{piece}</mark>')
    # Findings that start at the very end of the line (or on an empty one) still get their anchor.
    for _, _, index in cuts:
        if index not in begun:
            begun.add(index)
            parts.append(f'<span class="anchor" id="f-{index}"></span>')
    return "".join(parts)


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
