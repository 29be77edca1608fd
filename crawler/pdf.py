"""PDF files read from their text layer: the lines of each page, top to bottom, as a reader sees them.

pdfminer.six reads the glyphs with their places (the README says why this library: measured, it keeps
CJK lines in order where a faster reader misplaces runs set in another font). A line is the glyphs that
share a baseline, left to right; lines go top to bottom, and line ``N`` of page ``P`` is what findings
name (第 P 页第 N 行). A gap reads as a space only when it is wider than the typesetter's spacing: a
quarter of the font size between Latin letters or digits, a whole character beside Chinese. A glyph
without a known character reads as U+FFFD, which the checks report; text set at an angle (a diagonal
watermark) is left out.

Page chrome is kept out of the checks: a line set apart above or below the page's body (by more than
``APART`` times the body's line spacing) that is a page number (``- 3 -``, ``第 3 页 共 9 页``, ``3/9``)
or repeats on a third of the pages or more (a running header or footer; its digits may differ). It
stays in the source, so every position is that of the PDF's own lines; a page number a reader sees
within the body is not chrome, and the checks report it. Paragraphs cut by a page end are joined by
normalization, as for any text, and a compiled volume is split into its reports the same way.

A PDF without a text layer (a scan) cannot be read: OCR is not wrqa's to do. Limits stop a hostile
file before it is parsed: ``validate.max_pages``, and ``INFLATION`` times ``validate.max_file_bytes`` for
what its compressed streams inflate to. It must never write the file or run anything it holds.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from crawler.errors import InputError
from crawler.records import Reading, SourceText

# CJK ideographs, punctuation, full-width forms and the curly quotes set among them.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d]")
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|(?:Page|页)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")
# No line may hold a line end (it would change the numbering); a control character is no word.
UNPRINTABLE = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0a-\x1f\x7f]")
# A line set apart from the body by more than this many times the body's line spacing is in the margin.
APART = 1.5
CHROME_LINES = 2
# What a PDF's compressed streams (pictures aside) may inflate to, in multiples of validate.max_file_bytes.
INFLATION = 16
STREAM = re.compile(rb"(?<!end)stream\r?\n")


@dataclass
class _Line:
    """A line of a page: the height of its middle (points from the bottom), its size, and its glyphs."""

    middle: float
    size: float
    glyphs: list = field(default_factory=list)

    def text(self) -> str:
        """The glyphs left to right, a space where a gap is wider than the typesetter's spacing."""
        text, previous = "", None
        for glyph in sorted(self.glyphs, key=lambda glyph: glyph.x0):
            char = glyph.get_text()
            if previous is not None and char != " " and not text.endswith(" "):
                beside_cjk = CJK.match(char) or CJK.match(previous.get_text()[-1:])
                if glyph.x0 - previous.x1 > (1.0 if beside_cjk else 0.25) * glyph.size:
                    text += " "
            text += char
            previous = glyph
        return UNPRINTABLE.sub("\ufffd", text).rstrip()


def read_pdf(data: bytes, path: str, max_bytes: int, max_pages: int | None) -> Reading:
    """The ``Reading`` of a PDF: its lines page by page (``source.pages``), its page chrome set apart.

    ``InputError`` names ``path`` when the file is cut short, damaged, encrypted, a scan, longer than
    ``max_pages`` pages, or inflates past ``INFLATION`` times ``max_bytes``.
    """
    pages = _pages(data, path, max_bytes, max_pages)
    apart = _chrome(pages)
    lines: list[str] = []
    starts: list[int] = []
    chrome: set[int] = set()
    blank: list[tuple[int, str]] = []
    for number, page in enumerate(pages, start=1):
        starts.append(len(lines) + 1)
        if all((number, index) in apart for index in range(len(page))):
            blank.append((len(lines) + 1, f"page {number} has no text layer (a scanned page?); its words are not "
                                          "judged"))
        for index, (_, text) in enumerate(page):
            lines.append(text)
            if (number, index) in apart:
                chrome.add(len(lines))
    if len(blank) == len(pages):
        raise InputError(path, f"{path}: has no text layer (it is a scan or a picture of text); wrqa does not do "
                               "OCR: run it through OCR first, or give the .docx it was made from")
    source = SourceText(path=path, text="\n".join(lines) + "\n", encoding="pdf", lines=tuple(lines),
                        pages=tuple(starts))
    return Reading(source=source, chrome=frozenset(chrome), warnings=tuple(blank))


def _pages(data: bytes, path: str, max_bytes: int, max_pages: int | None) -> list[list[tuple[float, str]]]:
    """Every page's lines, top to bottom, as (height of their middle, text); ``InputError`` for a file that
    cannot or must not be read."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    if b"%PDF-" not in data[:1024]:
        raise InputError(path, f"{path}: is not a PDF (it does not start with %PDF-); save or download it again")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(path, f"{path}: is cut short (its end, %%EOF, is missing); download or export it again")
    _bound_inflation(data, path, max_bytes)
    miner = logging.getLogger("pdfminer")
    level = miner.level
    miner.setLevel(logging.CRITICAL)  # pdfminer logs what it works around; a damaged file gets one line here
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        count = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count")
        if max_pages is not None and isinstance(count, int) and count > max_pages:
            raise InputError(path, f"{path}: has {count:,} pages, over the limit of {max_pages:,}; split it or "
                                   "raise validate.max_pages")
        resources = PDFResourceManager(caching=True)
        device = PDFPageAggregator(resources, laparams=None)
        interpreter = PDFPageInterpreter(resources, device)
        pages = []
        for page in PDFPage.create_pages(document):
            if max_pages is not None and len(pages) == max_pages:
                raise InputError(path, f"{path}: has more than {max_pages:,} pages, the limit; split it or raise "
                                       "validate.max_pages")
            interpreter.process_page(page)
            pages.append(_lines_of(device.get_result()))
        return pages
    except InputError:
        raise
    except PDFPasswordIncorrect:
        raise InputError(path, f"{path}: is protected by a password; open it with the password and save a copy "
                               "without one") from None
    except PDFEncryptionError as error:
        raise InputError(path, f"{path}: is encrypted in a way wrqa cannot read ({error}); save a copy without "
                               "protection") from None
    except Exception as error:  # noqa: BLE001 - a damaged file may fail anywhere in the parser
        raise InputError(path, f"{path}: is damaged ({type(error).__name__}: {str(error)[:100]}); export or "
                               "download it again") from None
    finally:
        miner.setLevel(level)


def _bound_inflation(data: bytes, path: str, max_bytes: int) -> None:
    """Refuse a file whose compressed streams (pictures aside, which are never inflated) inflate past the bound.

    pdfminer inflates a stream whole, so a small file can hold gigabytes (a compression bomb): count first,
    a megabyte at a time, keeping nothing.
    """
    bound = INFLATION * max_bytes
    total = 0
    for match in STREAM.finditer(data):
        start = match.end()
        if data[start : start + 1] != b"\x78" or b"/Image" in data[max(match.start() - 512, 0) : match.start()]:
            continue
        end = data.find(b"endstream", start)
        pending = data[start : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            while pending and not inflater.eof:
                total += len(inflater.decompress(pending, 1 << 20))
                pending = inflater.unconsumed_tail
                if total > bound:
                    raise InputError(path, f"{path}: its streams inflate past {bound:,} bytes ({INFLATION} times "
                                           "validate.max_file_bytes), a compression bomb or a file to split; "
                                           "split it or raise the limit")
        except zlib.error:
            continue  # not zlib after all, or damaged: pdfminer decides


def _lines_of(layout) -> list[tuple[float, str]]:
    """The lines of one page: its upright glyphs (those of forms too) by the middle of their height."""
    from pdfminer.layout import LTChar, LTContainer

    glyphs, pending = [], [layout]
    while pending:
        for item in pending.pop():
            if isinstance(item, LTChar):
                if item.upright and item.get_text() not in ("", "\n"):
                    glyphs.append(item)
            elif isinstance(item, LTContainer):
                pending.append(item)
    lines: list[_Line] = []
    for glyph in sorted(glyphs, key=lambda glyph: (-(glyph.y0 + glyph.y1), glyph.x0)):
        middle = (glyph.y0 + glyph.y1) / 2
        if not lines or lines[-1].middle - middle > 0.4 * max(glyph.size, lines[-1].size):
            lines.append(_Line(middle, glyph.size))
        lines[-1].glyphs.append(glyph)
    return [(line.middle, text) for line in lines if (text := line.text())]


def _chrome(pages: list[list[tuple[float, str]]]) -> set[tuple[int, int]]:
    """(page, index) of the lines that are page chrome: set apart in a margin, and a page number or repeated."""
    spacing = [upper[0] - lower[0] for page in pages for upper, lower in zip(page, page[1:], strict=False)]
    leading = median(spacing) if spacing else 0.0
    candidates: dict[tuple[int, int], str] = {}
    for number, page in enumerate(pages, start=1):
        if len(page) < 2 or not leading:
            continue
        for index in range(min(CHROME_LINES, len(page) - 1)):  # the head of the page
            if page[index][0] - page[index + 1][0] > APART * leading:
                candidates.update({(number, top): page[top][1] for top in range(index + 1)})
                break
        for index in range(len(page) - 1, max(len(page) - 1 - CHROME_LINES, 0), -1):  # its foot
            if page[index - 1][0] - page[index][0] > APART * leading:
                candidates.update({(number, foot): page[foot][1] for foot in range(index, len(page))})
                break
    shapes = {key: DIGITS.sub("#", text.replace(" ", "")) for key, text in candidates.items()}
    repeated = Counter(shapes.values())
    often = max(2, len(pages) / 3)
    return {key for key, text in candidates.items()
            if PAGE_NUMBER.match(text.strip()) or repeated[shapes[key]] >= often}
