"""Benchmark: the same reports read as text, .docx, PDF and .doc, and the PDF readers compared on CJK text.

1. Speed: the seed volume (13 reports, 40,000 characters) written as .txt, as .docx (python-docx) and as
   a PDF (reportlab's STSong-Light, 36 characters a line, 34 lines a page: 39 pages), copied ``--copies``
   times, then read and normalized by ``crawler.local.load_documents`` as ``wrqa validate`` does. Every
   format is counted in the PDF's pages, so the figures compare like with like. A .doc made by
   LibreOffice is read once through it (when ``soffice`` is installed).
2. PDF readers: pdfminer.six (wrqa's reader, through ``crawler.pdf``), pypdf and pdfplumber, each on
   reportlab's PDF and on LibreOffice's export of the .docx (when ``soffice`` and a CJK font are
   installed): the characters of the seed text each loses or puts out of place (over the body text,
   spaces, running headers and page numbers left out), and pages per second (the best of three reads
   after a first, so that imports and character maps loaded on first use are not counted).

Not a test: figures depend on the machine, so they go in the README with the machine they came from.

    .venv/bin/pip install -e '.[bench]'     # pypdf and pdfplumber, for the comparison
    .venv/bin/python bench/read_word_pdf.py [--copies 20]
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from office_files import WordFile, paginate, pdf_file, seed_report, wrap  # noqa: E402

from crawler.local import load_documents  # noqa: E402

HEADER = "武昌区街道人大工委2022年工作报告汇编"
REPORTS = [(17, 51), (52, 84), (85, 118), (119, 151), (152, 183), (184, 216), (217, 253), (254, 286), (287, 317),
           (318, 366), (367, 412), (413, 440), (441, 465)]
CHROME = re.compile(rf"^(?:{HEADER}|[-\s\d]+)$")


def volume() -> list[str]:
    return [paragraph for start, end in REPORTS for paragraph in seed_report(start, end)]


def write_formats(folder: Path, paragraphs: list[str]) -> tuple[dict[str, Path], int]:
    """The volume as .txt, .docx and .pdf in ``folder``, and the PDF's pages."""
    (folder / "volume.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    word = WordFile()
    word.header(HEADER)
    for paragraph in paragraphs:
        word.add(paragraph)
    word.save(folder / "volume.docx")
    pages = paginate(wrap(paragraphs))
    pdf_file(folder / "volume.pdf", pages, header=HEADER)
    return {suffix: folder / f"volume.{suffix}" for suffix in ("txt", "docx", "pdf")}, len(pages)


def soffice(arguments: list[str], folder: Path) -> bool:
    command = shutil.which("soffice")
    if not command:
        return False
    result = subprocess.run([command, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'p').as_uri()}",
                             *arguments, "--outdir", str(folder)], capture_output=True, timeout=300,
                            env={**os.environ, "HOME": str(folder)})
    return result.returncode == 0


def speed(files: dict[str, Path], pages: int, copies: int, folder: Path) -> list[tuple[str, float]]:
    rows = []
    for suffix, path in files.items():
        copied = [folder / f"copy-{number}.{suffix}" for number in range(copies)]
        for copy in copied:
            shutil.copyfile(path, copy)
        start = time.perf_counter()
        documents, errors = load_documents([str(copy) for copy in copied], 10**9)
        elapsed = time.perf_counter() - start
        assert not errors and len(documents) == 13 * copies, (suffix, errors[:1], len(documents))
        rows.append((f".{suffix}", pages * copies / elapsed))
        for copy in copied:
            copy.unlink()
    if soffice(["--convert-to", "doc", str(files["docx"])], folder):
        start = time.perf_counter()
        documents, errors = load_documents([str(folder / "volume.doc")], 10**9)
        assert not errors and len(documents) == 13
        rows.append((".doc (one file, through LibreOffice)", pages / (time.perf_counter() - start)))
    return rows


def misplaced(expected: str, text: str) -> tuple[int, int]:
    """Characters of ``expected`` missing from ``text`` in order, and characters of ``text`` not in it."""
    matcher = difflib.SequenceMatcher(None, expected, text, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return len(expected) - matched, len(text) - matched


def body(lines) -> str:
    return re.sub(r"\s", "", "".join(line for line in lines if not CHROME.match(line.replace(" ", ""))))


def readers(path: Path, expected: str) -> list[tuple[str, tuple[int, int], float]]:
    from crawler.pdf import read_pdf

    data = path.read_bytes()

    def wrqa() -> list[str]:
        reading = read_pdf(data, str(path), 10**9, None)
        return [line for number, line in enumerate(reading.source.lines, 1) if number not in reading.chrome]

    def pypdf() -> list[str]:
        from pypdf import PdfReader

        return [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]

    def pdfplumber() -> list[str]:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]

    rows = []
    for name, read in (("pdfminer.six (wrqa)", wrqa), ("pypdf", pypdf), ("pdfplumber", pdfplumber)):
        try:
            lines = read()  # once untimed: imports and the CJK character maps are loaded on first use
            seconds = min(_timed(read) for _ in range(3))  # the best of three: the machine is shared
            rows.append((name, misplaced(expected, body(lines)), seconds))
        except ImportError:
            rows.append((name, (-1, -1), 0.0))
    return rows


def _timed(read) -> float:
    start = time.perf_counter()
    read()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    paragraphs = volume()
    expected = re.sub(r"\s", "", "".join(paragraphs))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files, pages = write_formats(folder, paragraphs)
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"the volume: {len(expected):,} characters, {pages} PDF pages, {args.copies} copies")
        print("\n| read and normalized | pages/s |\n| --- | ---: |")
        for what, rate in speed(files, pages, args.copies, folder):
            print(f"| {what} | {rate:,.0f} |")
        pdfs = [("reportlab, STSong-Light", files["pdf"])]
        shutil.copyfile(files["docx"], folder / "libreoffice.docx")
        if soffice(["--convert-to", "pdf", str(folder / "libreoffice.docx")], folder):
            pdfs.append(("LibreOffice export of the .docx", folder / "libreoffice.pdf"))
        print("\n| PDF | reader | seed characters missed | characters added or out of place | pages/s |")
        print("| --- | --- | ---: | ---: | ---: |")
        for made, path in pdfs:
            count = len(load_documents([str(path)], 10**9)[0][0].source.pages)
            for name, (lost, added), seconds in readers(path, expected):
                if lost < 0:
                    print(f"| {made} | {name} | not installed ('.[bench]') | | |")
                else:
                    print(f"| {made} | {name} | {lost} | {added} | {count / seconds:,.0f} |")


if __name__ == "__main__":
    main()
