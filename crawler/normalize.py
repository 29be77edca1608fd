"""Normalization: from a decoded source (or an adapter's page) to documents the checks can read.

It repairs what conversion broke — a paragraph cut at a page end, stray blank lines, full-width ASCII,
NBSP and U+3000 indents — and splits a compiled volume (a table of contents, then report after report)
into one document per report. Every character it keeps is copied one-for-one from the source, so each
document's ``SourceMap`` can point a finding at the line and column of the original file.
It must never drop or reorder body text, and never invent text that is not in the source.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from crawler import chrome
from crawler import domain as committees
from crawler.domain import CHINA, Meeting, meeting_of
from crawler.files import source_from_text
from crawler.records import Document, Note, Page, SourceMap, SourceText

TRADITIONAL = Path(__file__).with_name("data") / "traditional.txt"
# Full-width ASCII to half-width, and every space variant to a plain space: one character for one.
# The full-width question mark stays: an ASCII ? between Chinese characters is a glyph a copy lost.
FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF1F}
FOLD.update({0x3000: 0x20, 0xA0: 0x20, 0xFEFF: 0x20, 0x200B: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x9: 0x20})
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, FOLD))) + "]")
_FOLDED = {chr(code): chr(folded) for code, folded in FOLD.items()}


# The full-width forms Chinese text is full of; the others are rare.
_COMMON_FOLDS = tuple((character, _FOLDED[character]) for character in "，（）；：")


def fold(text: str) -> str:
    """``text`` with full-width ASCII and space variants folded and traditional characters read as
    simplified (選民 → 选民), one character for one."""
    # Replacing each kind of foldable character is three times as fast as translating every run of them;
    # the common kinds are replaced at once, the others sought only when one is left.
    for character, folded in _COMMON_FOLDS:
        text = text.replace(character, folded)
    if _FOLDABLE.search(text):
        for character in set(_FOLDABLE.findall(text)):
            text = text.replace(character, _FOLDED[character])
    traditional, table = _simplified()
    return text.translate(table) if traditional.search(text) else text


@functools.cache
def _simplified() -> tuple[re.Pattern[str], dict[int, int]]:
    """The traditional characters read as simplified (``data/traditional.txt``: OpenCC's t2s one for one, read
    once), as a pattern that finds them and the table that turns each into its simplified form."""
    lines = TRADITIONAL.read_text(encoding="utf-8").splitlines()
    table = {ord(line[0]): ord(line[1]) for line in lines if not line.startswith("#")}
    return re.compile("[" + "".join(map(chr, table)) + "]"), table


# A paragraph may end here; a longer line ending otherwise was cut (at a page end, by a <br>).
SENTENCE_END = tuple("。！？!?；;：:…”\"’」』）)】]>")
CUT_MIN_LENGTH = 25
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\(\s*[一二三四五六七八九十]+\s*\)|第[一二三四五六七八九十]+部分)"
)
TOC_HEADING = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"^(?P<title>.+?)\s*\.{0,}\s*(?P<page>\d{1,4})$")
PUBLISHED = re.compile(r"(?:发布时间|时间)\s*:\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
HEADING_YEAR = re.compile(r"^[一二三四五六七八九十]+[、.].{0,4}?((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class Piece:
    """A run of source characters: its text, and the 1-based source line and column it starts at."""

    text: str
    line: int
    column: int


class Paragraph(NamedTuple):
    """A normalized paragraph and the runs of source characters it is made of (a tuple: a document has
    hundreds, made in a third of a frozen dataclass's time)."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]
    columns: tuple[int, ...]

    @property
    def line(self) -> int:
        return self.lines[0]


def _normalize_line(pieces: Sequence[Piece]) -> tuple[str, list[tuple[int, int, int]]]:
    """A raw line's folded, stripped text, and its runs as (offset in the line, source line, column)."""
    text = ""
    runs: list[tuple[int, int, int]] = []
    for piece in pieces:
        folded = fold(piece.text)
        if not text:
            stripped = folded.lstrip()
            skipped = len(folded) - len(stripped)
            if not stripped:
                continue
            runs.append((0, piece.line, piece.column + skipped))
            text = stripped
        else:
            runs.append((len(text), piece.line, piece.column))
            text += folded
    stripped = text.rstrip()
    runs = [run for run in runs if run[0] < len(stripped)] or runs[:1]
    return stripped, runs


def _normalize_text_lines(lines: Sequence[str]) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """What ``_normalize_line`` makes of each of a text's ``lines`` (line ``n`` its one piece, at column 1),
    folded at once: a text's lines hold no line end, and folding keeps every character in its place."""
    normalized = []
    for number, line in enumerate(fold("\n".join(lines)).split("\n"), start=1):
        kept = line.lstrip()
        normalized.append((kept.rstrip(), [(0, number, 1 + len(line) - len(kept))] if kept else []))
    return normalized


def paragraphs_of(raw_lines: Sequence[Sequence[Piece]], wrapped: bool = False) -> list[Paragraph]:
    """The paragraphs of ``raw_lines``: blank lines dropped, lines cut at a page end joined again.

    ``wrapped``: the lines are a page's layout (a PDF's), where a full stop alone on a line is where the
    line wrapped, not a sentence torn apart.
    """
    return _paragraphs([_normalize_line(pieces) for pieces in raw_lines], wrapped)


def _paragraphs(lines: Sequence[tuple[str, list[tuple[int, int, int]]]], wrapped: bool) -> list[Paragraph]:
    """The paragraphs of normalized ``lines`` (see ``paragraphs_of``)."""
    paragraphs: list[Paragraph] = []
    text = ""
    starts: list[int] = []
    src_lines: list[int] = []
    columns: list[int] = []
    blanks = 0
    for line_text, runs in lines:
        if not line_text:
            blanks += 1
            continue
        joins = text and blanks <= 2 and (
            (_is_cut(text) and not _starts_block(line_text)) or (wrapped and LONE_MARK.match(line_text)))
        if text and not joins:
            paragraphs.append(Paragraph(text, tuple(starts), tuple(src_lines), tuple(columns)))
            text, starts, src_lines, columns = "", [], [], []
        for offset, line, column in runs:
            starts.append(len(text) + offset)
            src_lines.append(line)
            columns.append(column)
        text += line_text
        blanks = 0
    if text:
        paragraphs.append(Paragraph(text, tuple(starts), tuple(src_lines), tuple(columns)))
    return paragraphs


# Lines that stand alone whatever comes before them: a speaker's line (…人民政府区长 李某), a figure alone
# (a page number, a subscript split off its word).
STANDS_ALONE = re.compile(
    r"^[\u4e00-\u9fff]{2,16}?(?:人民政府|人大常委会|常委会|人民代表大会)?(?:省长|市长|区长|县长|镇长|乡长|主任|书记)"
    r"(?:\s+[\u4e00-\u9fff]{2,4})?$|^\d+(?:\.\d+)?$|^[。，、；：(（]$"
)
LONE_MARK = re.compile(r"^[。，、；：]$")
# A headline has a space between its halves (改革发展 推进共治); a line cut from a paragraph does not.
HEADLINE_SPACE = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")


def _is_cut(text: str) -> bool:
    """Whether a paragraph so far looks cut: long, not ended like a sentence, not a heading, not a headline,
    not page chrome or a dateline (a body joined to one would be lost with it)."""
    return (len(text) >= CUT_MIN_LENGTH and not text.endswith(SENTENCE_END) and not HEADING_START.match(text)
            and not HEADLINE_SPACE.search(text) and not STANDS_ALONE.match(text) and chrome.line_kind(text) is None)


def _starts_block(line: str) -> bool:
    return bool(
        HEADING_START.match(line) or committees.report_title(line) or chrome.line_kind(line) is not None
        or _is_toc_heading(line) or STANDS_ALONE.match(line)
    )


def _is_toc_heading(line: str) -> bool:
    return "目" in line and "录" in line and bool(TOC_HEADING.match(line.replace(" ", "")))


def _join(paragraphs: Sequence[Paragraph]) -> tuple[str, SourceMap]:
    text_parts: list[str] = []
    starts: list[int] = []
    lines: list[int] = []
    columns: list[int] = []
    offset = 0
    for paragraph in paragraphs:
        starts.extend(start + offset for start in paragraph.starts)
        lines.extend(paragraph.lines)
        columns.extend(paragraph.columns)
        text_parts.append(paragraph.text)
        offset += len(paragraph.text) + 1
    return "\n".join(text_parts), SourceMap(tuple(starts), tuple(lines), tuple(columns))


def parse_published(text: str) -> datetime | None:
    """The publish time a page header states (``发布时间：2018-12-27 15:41``), in China time, or None."""
    match = PUBLISHED.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=CHINA)
    except ValueError:
        return None


def parse_meeting(text: str, published: datetime | None = None) -> Meeting:
    """The meeting stated in the first lines of ``text`` (day, 届次, congress…), read by ``domain.meeting_of``,
    the adapters' reader, so that a page and a file of the same report get the same meeting; an ambiguous
    date whose 年/月 glyphs were lost is read against the publish date, or left unknown."""
    return meeting_of(text.split("\n")[:5], published)


def _title_index(paragraphs: Sequence[Paragraph], chromed: Sequence[bool]) -> list[int]:
    """Indexes of the paragraphs that open a document: report titles, outside a table of contents and chrome."""
    titles = []
    in_toc = False
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if chromed[index]:
            continue
        if _is_toc_heading(text):
            in_toc = True
            continue
        if in_toc:
            entry = TOC_ENTRY.match(text)
            if entry and committees.report_title(entry["title"]) and not committees.report_title(text):
                continue
            in_toc = False
        if committees.report_title(text):
            titles.append(index)
    return titles


def _fallback_title(paragraphs: Sequence[Paragraph], kinds: Sequence[str | None]) -> int | None:
    """The headline: the first paragraph that is not chrome, a dateline or a table of contents, when short."""
    for index, paragraph in enumerate(paragraphs):
        if kinds[index] is None and not _is_toc_heading(paragraph.text):
            return index if len(paragraph.text) <= 80 else None
    return None


def documents_from_source(source: SourceText, raw_lines: Sequence[Sequence[Piece]] | None = None) -> list[Document]:
    """The documents in ``source``: one per report of a compiled volume, else one for the whole file.

    ``raw_lines`` replaces the source's own lines where the text was extracted from markup (HTML). Page
    chrome (``crawler.chrome``) is kept out of each document's text and reported as ``artifact`` notes, a
    block a note; the chrome above the first title belongs to the first document, saved with it.
    """
    wrapped = bool(source.pages)
    paragraphs = (paragraphs_of(raw_lines, wrapped) if raw_lines is not None
                  else _paragraphs(_normalize_text_lines(source.lines), wrapped))
    if not paragraphs:
        return []
    kinds = chrome.classify([paragraph.text for paragraph in paragraphs])
    chromed = [kind not in (None, chrome.DATELINE) for kind in kinds]
    header = "\n".join(paragraph.text for paragraph in paragraphs[:8])
    published = parse_published(header)
    titles = _title_index(paragraphs, chromed)
    if not titles:
        first = _fallback_title(paragraphs, kinds)
        titles = [first] if first is not None else []
    blocks = chrome.blocks(kinds)
    if not titles:
        body = [paragraph for paragraph, taken in zip(paragraphs, chromed, strict=True) if not taken]
        title = source.path.replace("\\", "/").rsplit("/", 1)[-1]
        return [_document(source, title, body, published, line=body[0].line if body else 1,
                          notes=_chrome_notes(paragraphs, blocks))]
    documents = []
    for number, start in enumerate(titles):
        end = titles[number + 1] if number + 1 < len(titles) else len(paragraphs)
        first = 0 if number == 0 else start
        body = [paragraphs[i] for i in range(start, end) if not chromed[i]]
        documents.append(_document(
            source, paragraphs[start].text, body, published, line=paragraphs[start].line,
            notes=_chrome_notes(paragraphs, [block for block in blocks if first <= block[0] < end])))
    return documents


def _chrome_notes(paragraphs: Sequence[Paragraph], blocks: Sequence[tuple[int, int, str]]) -> tuple[Note, ...]:
    """A note a block of page chrome, from its first character to its last: what normalization keeps out of
    the checks is still reported, where it stands."""
    notes = []
    for first, last, kind in blocks:
        start, end = _note(paragraphs[first], "artifact", kind), _note(paragraphs[last], "artifact", kind)
        text = "\n".join(paragraph.text for paragraph in paragraphs[first : last + 1])
        notes.append(Note("artifact", kind, start.line, start.column, end.end_line, end.end_column, text))
    return tuple(notes)


def _note(paragraph: Paragraph, rule: str, kind: str) -> Note:
    """A note covering ``paragraph``, from its first character to its last."""
    last = len(paragraph.starts) - 1
    end_column = paragraph.columns[last] + len(paragraph.text) - paragraph.starts[last]
    return Note(rule, kind, paragraph.lines[0], paragraph.columns[0], paragraph.lines[last], end_column,
                paragraph.text)


def _author(body: Sequence[Paragraph]) -> str | None:
    for paragraph in body[1:5]:
        text = paragraph.text
        if len(text) <= 20 and committees.committee_key(text) and not text.endswith(SENTENCE_END):
            return text
    return None


def _document(
    source: SourceText,
    title: str,
    body: Sequence[Paragraph],
    published: datetime | None,
    *,
    line: int,
    page: Page | None = None,
    notes: tuple[Note, ...] = (),
) -> Document:
    text, origin = _join(body)
    head = "\n".join(paragraph.text for paragraph in body[:6])
    meeting = parse_meeting(head, page.published_at if page else published)
    meeting_date, session = meeting.day, meeting.session
    author = _author(body)
    committee = committees.committee_key(title) or (committees.committee_key(author) if author else None)
    if committee is None:
        committee = committees.committee_key(text[:2000])
    year = committees.title_year(title)
    if year is None:
        heading = next((HEADING_YEAR.match(p.text) for p in body if HEADING_YEAR.match(p.text)), None)
        year = int(heading[1]) if heading else None
    if year is None and meeting_date:
        year = meeting_date.year if meeting_date.month >= 6 else meeting_date.year - 1
    kind = committees.document_kind(title, author, head)
    if page is not None:
        return Document(
            source=source, line=line, title=title, text=text, origin=origin,
            committee=page.committee or committee, year=page.year or year or (
                page.published_at.year if page.published_at else None),
            kind=page.kind if page.kind != "other" else kind,
            url=page.url, site=page.site, category=page.category, published_at=page.published_at,
            meeting_date=page.meeting_date or meeting_date, session=page.session or session,
            congress=meeting.congress,
            warnings=page.warnings,
        )
    if year is None and published is not None and kind == "article":
        year = published.year
    return Document(
        source=source, line=line, title=title, committee=committee, year=year, kind=kind,
        text=text, origin=origin, published_at=published, meeting_date=meeting_date, session=session,
        congress=meeting.congress, notes=notes,
    )


def title_as_written(document: Document) -> str:
    """The title as its source writes it (traditional characters, full-width digits; its spaces as read), where
    its line holds it alone; else the title read (a title joined from two lines). The committee, year and kind
    are read off ``document.title``, folded; a reader is shown this."""
    lines = document.source.lines
    line = lines[document.line - 1].strip() if 0 < document.line <= len(lines) else ""
    if line == document.title or len(line) != len(document.title) or fold(line) != document.title:
        return document.title
    # Folding is one character for one: the line's characters, the title's spaces.
    return "".join(read if written.isspace() else written for written, read in zip(line, document.title, strict=True))


def page_text(page: Page) -> str:
    """The text a stored page is validated as: its title, then one paragraph a line."""
    return "\n".join([page.title, *page.paragraphs]) + "\n"


def document_from_page(page: Page) -> Document:
    """The document of an adapter's ``page``; positions refer to ``page_text(page)``, its stored text."""
    source = source_from_text(page.url, page_text(page))
    paragraphs = _paragraphs(_normalize_text_lines(source.lines), wrapped=False)
    if not paragraphs:
        return Document(source=source, line=1, title=page.title, committee=page.committee, year=page.year,
                        kind=page.kind, text="", origin=SourceMap((0,), (1,), (1,)), url=page.url,
                        site=page.site, category=page.category, published_at=page.published_at,
                        warnings=page.warnings)
    return _document(source, page.title, paragraphs, page.published_at, line=1, page=page)
