"""Local report files and folders to documents: the ``wrqa validate PATH...`` road into the checks.

Each file is read as what its bytes are, whatever its name: ``%PDF-`` by ``crawler.pdf``, a ZIP by
``crawler.docx``, an OLE or RTF file (Word 97–2003, WPS) by ``crawler.office``; anything else is text,
HTML when it is named so. A Word or PDF reader's notes (unaccepted changes, comments) and warnings
go to the document of the volume they stand in, and its page chrome is kept out of the checks.
An unreadable input becomes an ``InputError`` record and the others are still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace

from crawler.errors import InputError
from crawler.files import decode, iter_inputs, read_bytes, shown
from crawler.normalize import Piece, documents_from_source
from crawler.office import OLE, RTF
from crawler.records import Document, Reading, SourceText, split_lines

HTML_SUFFIXES = (".html", ".htm")
ZIP = b"PK\x03\x04"
# The ``encoding`` of a source read by a Word or PDF reader: never markup, whatever the file is named.
READ_FORMATS = ("pdf", "docx", "doc", "wps", "rtf")


def load_documents(paths: Iterable[str], max_bytes: int,
                   max_pages: int | None = None) -> tuple[list[Document], list[InputError]]:
    """The documents in the files under ``paths``, and an error for each input that could not be read.

    ``max_bytes`` bounds every file, ``max_pages`` (None: no bound) a PDF's pages.
    """
    documents: list[Document] = []
    errors: list[InputError] = []
    for item in iter_inputs(paths):
        if isinstance(item, InputError):
            errors.append(item)
            continue
        try:
            reading = read_input(item, max_bytes, max_pages)
        except InputError as error:
            errors.append(error)
            continue
        found = documents_of(reading, html=item.lower().endswith(HTML_SUFFIXES))
        if not found:
            errors.append(InputError(reading.source.path, f"{reading.source.path}: holds no text to validate"))
        documents.extend(found)
    return documents, errors


def read_input(path: str, max_bytes: int, max_pages: int | None = None) -> Reading:
    """The ``Reading`` of the file at ``path``, by what its bytes are; ``InputError`` naming it if it cannot be read."""
    return reading_of(read_bytes(path, max_bytes), shown(path), max_bytes, max_pages)


def reading_of(data: bytes, name: str, max_bytes: int, max_pages: int | None = None) -> Reading:
    """The ``Reading`` of ``data``, the bytes of the input ``name``: a PDF, a Word or WPS file, or text."""
    suffix = os.path.splitext(name)[1].lower()
    if b"%PDF-" in data[:1024]:
        from crawler.pdf import read_pdf

        return read_pdf(data, name, max_bytes, max_pages)
    if data.startswith(ZIP):
        from crawler.docx import read_docx

        return read_docx(data, name, max_bytes)
    if data.startswith((OLE, RTF)):
        from crawler.office import read_office

        kind = ".rtf" if data.startswith(RTF) else suffix if suffix in (".doc", ".wps") else ".doc"
        return read_office(data, name, kind, max_bytes)
    if suffix in (".docx", ".pdf"):
        kind = "Word document (.docx)" if suffix == ".docx" else "PDF (it does not start with %PDF-)"
        raise InputError(name, f"{name}: is not a {kind}; save or download it again")
    text, encoding = decode(data, name)
    return Reading(SourceText(path=name, text=text, encoding=encoding, lines=split_lines(text)))


def read_lines(path: str, max_bytes: int, max_pages: int | None = None) -> tuple[str, ...]:
    """The lines of the file at ``path`` as its findings count them (paragraphs of a Word file, a PDF's lines)."""
    return read_input(path, max_bytes, max_pages).source.lines


def documents_of(reading: Reading, html: bool | None = None) -> list[Document]:
    """The documents of ``reading``, each with the reader's notes and warnings that stand within it.

    ``html``: whether a text is a saved page; None decides it from the name and the text's first lines.
    """
    from crawler.htmltext import html_lines

    source = reading.source
    if html is None:
        start = source.text[:4096].lower()
        html = source.path.lower().endswith(HTML_SUFFIXES) or "<html" in start or "<body" in start
    raw_lines: Sequence[Sequence[Piece]] | None = None
    if html and source.encoding not in READ_FORMATS:
        raw_lines = html_lines(source.text)[0]
    elif reading.chrome:
        raw_lines = [[Piece(text, number, 1)] for number, text in enumerate(source.lines, start=1)
                     if number not in reading.chrome]
    documents = documents_from_source(source, raw_lines)
    if not (reading.notes or reading.warnings) or not documents:
        return documents
    starts = [document.line for document in documents[1:]]

    def owner(line: int) -> int:
        """The document a source line falls in: the last one starting at or before it (the first for those above)."""
        return sum(start <= line for start in starts)

    notes: list[list] = [[] for _ in documents]
    warnings: list[list[str]] = [[] for _ in documents]
    for note in reading.notes:
        notes[owner(note.line)].append(note)
    for line, warning in reading.warnings:
        warnings[owner(line)].append(warning)
    return [replace(document, notes=(*document.notes, *sorted(notes[index], key=lambda note: note.line)),
                    warnings=(*document.warnings, *warnings[index]))
            for index, document in enumerate(documents)]
