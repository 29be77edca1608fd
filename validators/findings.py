"""The one place where failed rows become findings: a position in the source file, the words, a message.

A failed row of the lines frame stands for the marks its text rule left on that line: each becomes a
finding. A row of the documents frame points at the document's title line (or where its rule locates it);
any other row at its span. The rule's ``describe`` in the catalogue says what is wrong, in one Chinese
sentence; this module knows no rule by name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from checks.frames import Frames
from checks.records import Analysis
from validators.catalogue import Failure, Other, other_of
from validators.plan import Planned
from validators.records import Finding, Place

EXCERPT_MAX = 200


class FindingMaker:
    """Turns (check, row) failures of one run into findings, given the run's frames and analyses."""

    def __init__(self, frames: Frames, analyses: Sequence[Analysis], planned: Sequence[Planned]) -> None:
        self.frames = frames
        self.analyses = analyses
        self.planned = {item.name: item for item in planned}
        self._columns: dict[str, dict[str, list]] = {}

    def _record(self, frame: str, row: int) -> dict:
        # Reading a row through .loc costs ~100 µs; plain column lists, made once a frame, cost nothing.
        if frame not in self._columns:
            self._columns[frame] = {name: values.tolist() for name, values in self.frames.tables[frame].items()}
        return {name: values[row] for name, values in self._columns[frame].items()}

    def document_of(self, check: str, row: int) -> int:
        """The index in the run of the document a failed row of ``check`` belongs to."""
        return int(self._record(self.planned[check].frame, row)["doc"])

    def __call__(self, check: str, row: int, engine: str) -> list[Finding]:
        item = self.planned[check]
        record = self._record(item.frame, row)
        doc = int(record["doc"])
        analysis = self.analyses[doc]
        failure = Failure(record, dict(item.check.data), analysis.document, self._other)
        if item.frame == "lines":
            start, stop = int(record["offset"]), int(record["offset"]) + len(record["text"]) + 1
            marks = [mark for mark in self.frames.marks[doc].get(item.rule.id, ()) if start <= mark.offset < stop]
            if not marks:  # a line check of a rule without a marker: the line itself is the finding
                return [self._finding(item, analysis, start, stop - 1, *item.rule.describe(failure), engine)]
            return [self._finding(item, analysis, mark.offset, mark.end, *item.rule.describe(
                Failure(record, failure.data, analysis.document, self._other, mark)), engine) for mark in marks]
        if item.frame == "notes":
            note = analysis.document.notes[int(record["index"])]
            return [self._noted(item, analysis, note, *item.rule.describe(
                Failure(record, failure.data, analysis.document, self._other, note)), engine)]
        if item.frame == "documents":
            start, end = document_span(item, analysis.document)
        else:
            start, end = int(record["offset"]), int(record["end"])
        return [self._finding(item, analysis, start, end, *item.rule.describe(failure), engine)]

    def _noted(self, item: Planned, analysis: Analysis, note, message: str, data: dict, engine: str) -> Finding:
        document = analysis.document
        key = "\x1f".join((item.name, document.committee or "", str(document.year), document.title, note.text))
        lines = document.source.lines
        source_line = lines[note.line - 1] if 0 < note.line <= len(lines) else ""
        stop = note.end_column - 1 if note.end_line == note.line else len(source_line)
        page, line = document.source.page_line(note.line)
        end_page, end_line = document.source.page_line(note.end_line)
        return Finding(
            rule=item.rule.id, severity=item.severity, path=document.path, line=line, column=note.column,
            end_line=end_line if end_page == page else line, end_column=note.end_column,
            excerpt=(source_line[note.column - 1 : stop] or note.text)[:EXCERPT_MAX], message=message, data=data,
            fingerprint=hashlib.sha256(key.encode()).hexdigest()[:16], engine=engine, page=page,
        )

    def _other(self, doc: int) -> Other:
        return other_of(self.analyses[doc].document)

    def _finding(self, item: Planned, analysis: Analysis, start: int, end: int, message: str, data: dict,
                 engine: str) -> Finding:
        return finding_at(item, place(analysis.document, start, end), message, data, engine)


def document_span(item: Planned, document) -> tuple[int, int]:
    """The span a finding of ``item`` over the documents frame points at: where its rule locates it, else the title."""
    span = item.rule.locate(document) if item.rule.locate else None
    start, end = span or (0, document.text.find("\n"))
    return start, end if end > start else len(document.text)


def place(document, start: int, end: int) -> Place:
    """Where the span ``start``–``end`` of ``document``'s normalized text stands in its source, with the words
    around it that its findings' fingerprints are made of: all a finding needs of the document."""
    line, column = document.origin.position(start)
    end_line, end_column = document.origin.position(max(end - 1, start))
    source_line = document.source.lines[line - 1] if line <= len(document.source.lines) else ""
    stop = end_column if end_line == line else len(source_line)
    # The words, bounded: a finding over a long list keeps its span (end_line, end_column), not its whole text.
    excerpt = (source_line[column - 1 : stop] or document.text[start:end])[:EXCERPT_MAX]
    page, page_line = document.source.page_line(line)
    end_page, end_page_line = document.source.page_line(end_line)
    if end_page != page:  # a span over a page break ends where its page does
        end_page_line, end_column = page_line, len(source_line)
    return Place(document.path, page_line, column, end_page_line, end_column + 1, excerpt, page,
                 "\x1f".join((document.committee or "", str(document.year), document.title,
                               document.text[max(start - 12, 0) : end + 12])))


def finding_at(item: Planned, where: Place, message: str, data: dict, engine: str) -> Finding:
    """The finding of ``item`` at ``where``, saying ``message``."""
    key = f"{item.name}\x1f{where.context}"
    return Finding(
        rule=item.rule.id, severity=item.severity, path=where.path, line=where.line, column=where.column,
        end_line=where.end_line, end_column=where.end_column, excerpt=where.excerpt, message=message, data=data,
        fingerprint=hashlib.sha256(key.encode()).hexdigest()[:16], engine=engine, page=where.page,
    )
