"""The records that travel from input to the checks: decoded sources and normalized documents.

Records are frozen; a stage returns new ones. Nothing here reads files or talks HTTP.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime

LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[str, ...]:
    """``text`` split on CRLF, CR and LF (no other separators), without the line ends."""
    lines = text.split("\n") if "\r" not in text else LINE_END.split(text)  # str.split is 5x faster
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return tuple(lines)


@dataclass(frozen=True)
class SourceText:
    """A decoded input, kept exactly as it was for positions and excerpts.

    path: the file path as given on the command line, or the URL it was fetched from.
    text: the decoded text with its original line ends.
    encoding: the codec it was decoded with (``utf-8``, ``utf-8-sig``, ``gb18030``, ``utf-16``…).
    lines: the text split on CRLF, CR and LF only, without the line ends; ``lines[0]`` is line 1.
    pages: for a text read from a PDF, the line (1-based) on which each page starts; empty otherwise.
    """

    path: str
    text: str
    encoding: str
    lines: tuple[str, ...]
    pages: tuple[int, ...] = ()

    def __reduce__(self):
        # The lines are the text again: leave them out of pickles sent between processes.
        return (_rebuild_source, (self.path, self.text, self.encoding, self.pages))

    def page_line(self, line: int) -> tuple[int | None, int]:
        """The page (None when the source has no pages) and the line on it of the source's ``line``."""
        if not self.pages:
            return None, line
        page = max(bisect_right(self.pages, line), 1)
        return page, line - self.pages[page - 1] + 1


def _rebuild_source(path: str, text: str, encoding: str, pages: tuple[int, ...] = ()) -> SourceText:
    return SourceText(path, text, encoding, split_lines(text), pages)


@dataclass(frozen=True)
class SourceMap:
    """Where each character of a normalized text stood in its source.

    starts: normalized offsets at which a run of characters copied one-for-one begins (ascending).
    lines, columns: the 1-based source line and column of each run's first character.
    """

    starts: tuple[int, ...]
    lines: tuple[int, ...]
    columns: tuple[int, ...]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) in the source of the normalized ``offset``."""
        run = max(bisect_right(self.starts, offset) - 1, 0)
        return self.lines[run], self.columns[run] + offset - self.starts[run]


@dataclass(frozen=True)
class Note:
    """Something of a source a rule reports that is not (or not only) in the normalized text, placed in the source.

    rule: the rule it is a finding of (``artifact``); kind: which form it takes (``chrome``, ``revision``…).
    line, column, end_line, end_column: 1-based, in the source file (end_column exclusive); text: the words.
    """

    rule: str
    kind: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True)
class Reading:
    """What a reader of a Word or PDF file made of it, before normalization.

    source: its text, one line a paragraph (Word) or a line of a page (PDF, with ``pages``).
    notes: what the reader found that a reader of the file must be told of (unaccepted changes, comments).
    chrome: the source lines that are page chrome (a running header, a page number), kept out of the checks.
    warnings: (source line, sentence) for what could not be read there (a page without a text layer).
    """

    source: SourceText
    notes: tuple[Note, ...] = ()
    chrome: frozenset[int] = frozenset()
    warnings: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Document:
    """One report or article, normalized for the checks.

    source: the decoded input it came from (shared by every document of a compiled volume).
    line: the source line where the document starts (its title line).
    title: the title as written.
    committee: canonical street key (``紫阳``, ``粮道街``), or None when no street committee is named.
    year: the work year a report covers (an article: the year it speaks of), or None.
    kind: ``report`` (a formal annual report), ``article`` (news about a committee) or ``other``.
    text: the title line, then the body, after normalization: LF line ends, one paragraph a line, cut paragraphs joined,
        full-width ASCII folded to half-width, indents stripped.
    origin: maps offsets in ``text`` back to source lines and columns.
    url, site, category, published_at, meeting_date, session: what the crawler knew of the page.
    congress: the congress the meeting line names, by the key of its term table (``武昌区``), or None.
    warnings: extraction warnings (a layout the adapter did not recognise, a date it could not read).
    notes: what reading or normalizing took out of ``text`` or found around it and a reader should still be
        told of (page chrome dropped, a Word document's unaccepted changes), placed in the source.
    """

    source: SourceText
    line: int
    title: str
    committee: str | None
    year: int | None
    kind: str
    text: str
    origin: SourceMap
    url: str | None = None
    site: str | None = None
    category: str | None = None
    published_at: datetime | None = None
    meeting_date: date | None = None
    session: str | None = None
    congress: str | None = None
    warnings: tuple[str, ...] = field(default=())
    notes: tuple[Note, ...] = field(default=())

    @property
    def path(self) -> str:
        return self.source.path


@dataclass(frozen=True)
class Page:
    """What a site adapter read off one fetched article page, before normalization.

    url: the page's URL as fetched; site: the source name from config; category: the list it was found on.
    title: the article title; published_at: the publish time the page states (never the URL folder).
    meeting_date, session: the meeting a report was heard at (``2018-12-25``, ``第十五届``), when stated.
    author: the author line under the title (``人大紫阳街工委``), when there is one.
    committee, year, kind: as in ``Document``.
    paragraphs: the body, one paragraph a string, chrome, bylines, captions and footers removed.
    warnings: what the adapter could not read with confidence.
    """

    url: str
    site: str
    category: str | None
    title: str
    published_at: datetime | None
    paragraphs: tuple[str, ...]
    committee: str | None = None
    year: int | None = None
    kind: str = "other"
    meeting_date: date | None = None
    session: str | None = None
    author: str | None = None
    warnings: tuple[str, ...] = field(default=())
