"""Word files made for the tests, never downloaded: python-docx.

A .docx gets what offices put in one: numbered headings (Word's own numbering, 一、 and （一）), a table,
a header and a footer, tracked changes and comments.
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
