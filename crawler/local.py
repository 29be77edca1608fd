"""Local report files and folders to documents: the ``wrqa validate PATH...`` road into the checks.

An unreadable input becomes an ``InputError`` record and the others are still read.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.errors import InputError
from crawler.files import iter_inputs, read_source
from crawler.htmltext import html_lines
from crawler.normalize import documents_from_source
from crawler.records import Document

HTML_SUFFIXES = (".html", ".htm")


def load_documents(paths: Iterable[str], max_bytes: int) -> tuple[list[Document], list[InputError]]:
    """The documents in the files under ``paths``, and an error for each input that could not be read."""
    documents: list[Document] = []
    errors: list[InputError] = []
    for item in iter_inputs(paths):
        if isinstance(item, InputError):
            errors.append(item)
            continue
        try:
            source = read_source(item, max_bytes)
        except InputError as error:
            errors.append(error)
            continue
        raw_lines = html_lines(source.text)[0] if item.lower().endswith(HTML_SUFFIXES) else None
        found = documents_from_source(source, raw_lines)
        if not found:
            errors.append(InputError(source.path, f"{source.path}: holds no text to validate"))
        documents.extend(found)
    return documents, errors
