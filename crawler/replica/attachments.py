"""The files the replica's pages attach (附件：…), as the lines a reader reads in them, and the script that makes them.

They are committed to ``data/`` as binary fixtures, made from the texts there by
``python -m crawler.replica.attachments``: a .docx (python-docx), a PDF (reportlab, which only the ``test`` extra
installs, so the installed replica serves the files without it) and a Word 97–2003 .doc (LibreOffice, converting
the .docx; ``make office``). Each is a report of 石洞's committee for a year the district's list has none of
(its 2022 report is a page there), with a defect a reader must place: a template's ``**`` left in a Word file (by
paragraph), an ``XX`` on the PDF's second page (by page and line), a share over 100% in the provincial site's .docx.
It must never run at import time, nor write outside ``data/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from crawler.replica.site import SALUTATION

DATA = Path(__file__).with_name("data")
CONTENT_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".pdf": "application/pdf", ".doc": "application/msword"}
PDF_WIDTH = 36  # characters a line of the PDF, as a word processor breaks CJK text on A4
PDF_LINES = 34  # lines a page of the PDF


def _text(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _head(year: int, meeting: str, author: str = "人大石洞街道工委") -> list[str]:
    return [f"人大石洞街道工委{year}年工作报告", meeting, author, SALUTATION]


def _shifted(lines: list[str], street: str, years: dict[str, str]) -> list[str]:
    """``lines`` told of 石洞 instead of ``street``, their years moved by ``years``."""
    moved = []
    for line in lines:
        line = line.replace(street, "石洞")
        for old, new in years.items():
            line = line.replace(old, new)
        moved.append(line)
    return moved


@cache
def paragraphs() -> dict[str, tuple[str, ...]]:
    """The paragraphs of each file, by its name in ``data/``."""
    nanhu = _shifted(_text("2022-南湖.txt")[1:], "南湖", {"2022": "2019", "2023": "2020", "第十六届": "第十五届"})
    nanhu[0] = nanhu[0].replace("辖区6个社区", "辖区**个社区", 1)  # a template's blank the clerk did not fill
    ziyang = _shifted(_text("2018-紫阳.txt")[4:14], "紫阳", {"2018": "2021", "2019": "2022"})
    # The last paragraph ends at its first point, its count of meetings a blank left in: on the second page.
    closing = ziyang[-1].split("二是")[0].replace("开展4次座谈会", "开展XX次座谈会")
    shouyi = _shifted(_text("2022-首义路.txt")[1:], "首义路", {"2022": "2020", "2023": "2021"})
    return {
        "石洞-2019.docx": (*_head(2019, "——2019年12月26日在武汉市武昌区第十五届人大常委会第二十六次会议上"), *nanhu),
        "石洞-2021.pdf": (*_head(2021, "（2021年12月28日在武汉市武昌区第十六届人大常委会第二次会议上）",
                                 "人大石洞街工委"), *ziyang[:-1], closing),
        "石洞-2020.doc": (*_head(2020, "——2020年12月29日在武汉市武昌区第十五届人大常委会第三十二次会议上"), *shouyi),
        "石洞-2023.docx": (*_head(2023, "——2023年12月26日在武汉市武昌区第十六届人大常委会第十六次会议上"),
                           *REPORT_2023),
    }


# 石洞's 2023 report, written for the replica in the style of the district's reports.
REPORT_2023 = (
    "2023年，人大石洞街道工委在区人大常委会和街道党工委的领导下，围绕辖区中心工作，组织代表履职尽责，现将一年来的"
    "工作报告如下。",
    "一、2023年主要工作完成情况",
    "（一）健全代表联系群众机制",
    "依托街道代表工作室和7个社区代表联络点，组织区人大代表每月集中接待选民，全年接待选民312人次，收集意见建议58条，"
    "办结51条，办结率达105%。",
    "（二）开展专题视察调研",
    "组织代表围绕老旧小区改造、背街小巷整治开展视察调研4次，形成调研报告2篇，提出的建议均已转交有关部门办理。",
    "二、存在不足",
    "代表履职的主动性还不够平衡，部分代表参加活动较少；对建议办理的跟踪督办还需加强。",
    "三、2024年工作思路",
    "一是加强代表学习培训，提升履职能力；二是规范代表联络点建设，密切代表与选民联系；三是强化建议办理跟踪问效，"
    "推动民生实事落地见效。",
)


def pdf_pages(lines: tuple[str, ...]) -> list[list[str]]:
    """The lines of each page of the PDF of ``lines``: each paragraph broken every ``PDF_WIDTH`` characters."""
    wrapped = [paragraph[start:start + PDF_WIDTH] for paragraph in lines
               for start in range(0, len(paragraph), PDF_WIDTH)]
    return [wrapped[start:start + PDF_LINES] for start in range(0, len(wrapped), PDF_LINES)]


def read_lines(name: str) -> tuple[str, ...]:
    """The lines a reader reads in the file ``name``: its paragraphs (Word), its pages' lines in turn (PDF)."""
    if name.endswith(".pdf"):
        return tuple(line for page in pdf_pages(paragraphs()[name]) for line in page)
    return paragraphs()[name]


def _write_docx(path: Path, lines: tuple[str, ...]) -> None:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def _write_pdf(path: Path, lines: tuple[str, ...]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # Adobe's built-in CJK font: nothing embedded
    pdf = canvas.Canvas(str(path), pagesize=(595.0, 842.0), invariant=1)
    for page in pdf_pages(lines):
        pdf.setFont("STSong-Light", 12)
        for row, line in enumerate(page):
            pdf.drawString(72, 760 - row * 20, line)
        pdf.showPage()
    pdf.save()


def _write_doc(path: Path, lines: tuple[str, ...]) -> None:
    """A Word 97–2003 file: the .docx of ``lines`` saved again by LibreOffice, as an office still keeps one."""
    command = shutil.which("soffice") or shutil.which("libreoffice")
    if command is None:
        sys.exit(f"{path.name}: needs LibreOffice to be made (make office)")
    with tempfile.TemporaryDirectory(prefix="wrqa-replica-") as folder:
        work = Path(folder)
        _write_docx(work / "input.docx", lines)
        subprocess.run([command, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(work / "input.docx")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "HOME": folder})
        shutil.copyfile(work / "input.doc", path)


def main() -> None:
    """Writes every file of ``paragraphs()`` into ``data/``."""
    writers = {".docx": _write_docx, ".pdf": _write_pdf, ".doc": _write_doc}
    for name, lines in paragraphs().items():
        writers[Path(name).suffix](DATA / name, lines)
        print(f"wrote {DATA / name}")


if __name__ == "__main__":
    main()
