"""Word and PDF files made for the tests and the benchmark, never downloaded: python-docx and reportlab.

A .docx gets what offices put in one: numbered headings (Word's own numbering, 一、 and （一）), a table,
a header and a footer, tracked changes and comments. A PDF is drawn line by line in reportlab's built-in
``STSong-Light`` CID font (no font file needed), with a running header and a page number if asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
# One list of three levels, as a clerk's template has it: 一、 then （一） then 1.
LIST = f"""<w:abstractNum {NS} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""
DATE = "2023-01-05T09:00:00Z"


class WordFile:
    """A .docx under construction: ``add`` paragraphs (numbered at a level, or not), tables, tracked changes."""

    def __init__(self) -> None:
        self.document = Document()
        self._revision = 100
        numbering = self.document.part.numbering_part.element
        numbering.insert(0, parse_xml(LIST))
        numbering.append(parse_xml(f'<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def add(self, text: str = "", level: int | None = None, num_id: int = 90):
        """A body paragraph; with ``level`` (0, 1, 2) Word numbers it, so ``text`` holds no label."""
        paragraph = self.document.add_paragraph(text)
        if level is not None:
            paragraph._p.get_or_add_pPr().append(self.numbering_xml(num_id, level))
        return paragraph

    @staticmethod
    def numbering_xml(num_id: int = 90, level: int = 0):
        """The ``w:numPr`` that numbers a paragraph (or a style) at ``level`` of list ``num_id``."""
        return parse_xml(f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')

    def restart_at(self, num_id: int, level: int, start: int) -> None:
        """A list ``num_id`` of the same numbering whose ``level`` starts at ``start`` (Word: 设置编号值)."""
        self.document.part.numbering_part.element.append(parse_xml(
            f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="90"/>'
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'))

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text

    def header(self, text: str) -> None:
        self.document.sections[0].header.paragraphs[0].text = text

    def footer(self, text: str) -> None:
        self.document.sections[0].footer.paragraphs[0].text = text

    def changed(self, paragraph, kind: str, text: str) -> None:
        """Append to ``paragraph`` a tracked change not yet accepted: ``ins`` (text added) or ``del`` (text taken out)."""
        self._revision += 1
        tag = "w:t" if kind == "ins" else "w:delText"
        paragraph._p.append(parse_xml(
            f'<w:{kind} {NS} w:id="{self._revision}" w:author="李丰" w:date="{DATE}">'
            f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r></w:{kind}>'))

    def run(self, paragraph, text: str) -> None:
        paragraph.add_run(text)

    def comment(self, paragraph, text: str) -> None:
        """A comment on the whole of ``paragraph``'s runs, as a reviewer leaves one."""
        self.document.add_comment(paragraph.runs, text=text, author="李丰", initials="LF")

    def save(self, path: Path) -> Path:
        self.document.save(str(path))
        return path


def word_file(path: Path, paragraphs: Sequence[str | tuple[int, str]]) -> Path:
    """A .docx of ``paragraphs``: a string is a plain paragraph, ``(level, text)`` one Word numbers."""
    word = WordFile()
    for item in paragraphs:
        if isinstance(item, tuple):
            word.add(item[1], level=item[0])
        else:
            word.add(item)
    return word.save(path)


# --- PDF ------------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4, in points
FONT = "STSong-Light"
SIZE = 12.0
LEADING = 20.0
LEFT, TOP, BOTTOM = 72.0, 760.0, 90.0
LINES_PER_PAGE = int((TOP - BOTTOM) // LEADING) + 1


def wrap(paragraphs: Sequence[str], width: int = 36) -> list[str]:
    """The visual lines of ``paragraphs`` set ``width`` characters wide, as a word processor breaks CJK text."""
    lines = []
    for paragraph in paragraphs:
        lines.extend(paragraph[start : start + width] for start in range(0, max(len(paragraph), 1), width))
    return lines


def paginate(lines: Sequence[str], per_page: int = LINES_PER_PAGE) -> list[list[str]]:
    return [list(lines[start : start + per_page]) for start in range(0, len(lines), per_page)] or [[]]


def pdf_file(path: Path, pages: Sequence[Sequence[str] | None], *, header: str | None = None,
             footer: str | None = "- {page} -", password: str | None = None) -> Path:
    """A PDF with a text layer: each page's lines top to bottom, a running ``header`` at the top of every page
    and ``footer`` (``{page}`` is the page number) at the bottom; a page given as None is a scanned picture
    with no text at all. ``password`` encrypts it (RC4) with that user password ("" for an owner one only)."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    encrypt = StandardEncryption(password, ownerPassword="owner") if password is not None else None
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), encrypt=encrypt, invariant=1)
    for number, lines in enumerate(pages, start=1):
        if lines is None:
            pdf.setFillGray(0.3)  # grey bars standing for the lines of a scanned page
            for row in range(20):
                pdf.rect(LEFT, TOP - row * LEADING, 400, 10, stroke=0, fill=1)
            pdf.showPage()
            continue
        pdf.setFont(FONT, SIZE)
        if header:
            pdf.drawCentredString(PAGE_WIDTH / 2, 800, header)
        for row, line in enumerate(lines):
            pdf.drawString(LEFT, TOP - row * LEADING, line)
        if footer:
            pdf.drawCentredString(PAGE_WIDTH / 2, 40, footer.format(page=number, pages=len(pages)))
        pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF as a scanner makes one: every page a picture, no text layer."""
    return pdf_file(path, [None] * pages)


# --- the examples of examples/reports, edited from the seeds ---------------------------------------

SENTENCE_END = tuple("。！？；：”）")


def seed_report(start: int, end: int) -> list[str]:
    """The paragraphs of the seed volume's lines ``start``–``end``, a long one cut at a page end joined again."""
    from seeds import VOLUME

    paragraphs: list[str] = []
    cut = False
    for line in VOLUME.read_text(encoding="utf-8").split("\n")[start - 1 : end]:
        if not line.strip():
            cut = bool(paragraphs) and len(paragraphs[-1]) >= 25 and not paragraphs[-1].endswith(SENTENCE_END)
            continue
        if cut:
            paragraphs[-1] += line.strip()
        else:
            paragraphs.append(line.strip())
        cut = False
    return paragraphs


def example_word(path: Path) -> Path:
    """徐家棚's 2022 report as its clerk keeps it in Word: numbered by Word, with a template's ``**`` left in,
    a corrected figure still a tracked change, and a reviewer's comment."""
    word = WordFile()
    word.header("人大徐家棚街道工委")
    word.footer("第 1 页")
    for text in seed_report(52, 84):
        level = 0 if text[:2] in ("一、", "二、", "三、") else 1 if text.startswith("（") and "）" in text[:4] else None
        label = text.index("、") + 1 if level == 0 else text.index("）") + 1 if level == 1 else 0
        body = text[label:].replace("街道及16个社区", "街道及**个社区")
        if "满意度最终测评达100%" in body:
            before, after = body.split("100%")
            paragraph = word.add(before)
            word.changed(paragraph, "del", "100%")
            word.changed(paragraph, "ins", "98%")
            word.run(paragraph, after)
        elif body.startswith("今年以来，街道人大工作虽然"):
            paragraph = word.add("")
            word.run(paragraph, body)
            word.comment(paragraph, "请补充具体事例和数字")
        else:
            word.add(body, level=level)
    return word.save(path)


def example_pdf(path: Path) -> Path:
    """Two reports of the compiled volume as the district publishes it: a table of contents, a running header,
    page numbers; 紫阳's count of communities left as ``XX``, and a page number pasted into 粮道's body."""
    liangdao = seed_report(152, 183)
    liangdao.insert(4, "- 12 -")
    ziyang = [text.replace("共有9个社区", "共有XX个社区") for text in seed_report(217, 253)]
    pages = [["目录", "人大粮道街道工委2022年工作报告 1", "人大紫阳街道工委2022年工作报告 3"],
             *paginate(wrap(liangdao)), *paginate(wrap(ziyang))]
    return pdf_file(path, pages, header="武昌区街道人大工委2022年工作报告汇编（节选）")
