"""Running every check of ``checks/`` over a document, or over a batch of files on every core. It judges nothing."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from checks.duplicates import document_signature
from checks.records import Analysis, Mention
from checks.sections import headings, sections_of
from checks.statistics import relations, statistics
from crawler.committee import KNOWN_COMMITTEE, street_key
from crawler.errors import InputError
from crawler.files import iter_inputs
from crawler.local import load_documents
from crawler.records import Document

# Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 64


def mentions(document: Document) -> tuple[Mention, ...]:
    """The known street committees named in the text of ``document``."""
    return tuple(
        Mention(street_key(match["name"], match["suffix"]), match.start(), match.end(), match.group(0))
        for match in KNOWN_COMMITTEE.finditer(document.text)
    )


def analyze(document: Document) -> Analysis:
    """Headings, sections, statistics, relations and committee mentions of ``document``."""
    found_headings = headings(document)
    found_statistics = statistics(document)
    return Analysis(
        document=document,
        headings=found_headings,
        sections=sections_of(found_headings),
        statistics=found_statistics,
        relations=relations(document, found_statistics),
        mentions=mentions(document),
        signature=document_signature(document),
    )


def _analyze_files(paths: list[str], max_bytes: int) -> tuple[list[Analysis], list[InputError]]:
    documents, errors = load_documents(paths, max_bytes)
    return [analyze(document) for document in documents], errors


def analyze_paths(
    paths: Sequence[str], max_bytes: int, *, workers: int | None = None, meanwhile: Callable[[], object] | None = None
) -> tuple[list[Analysis], list[InputError]]:
    """The analyses of the documents under ``paths`` and the inputs that could not be read, in input order.

    Reading, normalizing and analysing are independent per file, so a large batch is shared among
    ``workers`` processes (default: one per core); a few files are done here, where a pool would cost more.
    ``meanwhile`` runs in a thread of this process while the workers work (once they have all started,
    so no process is forked while it runs): a place for a slow import such as GX's.
    """
    files: list[str] = []
    errors: list[InputError] = []
    for item in iter_inputs(paths):
        (errors if isinstance(item, InputError) else files).append(item)
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < PARALLEL_FROM:
        analyses, failures = _analyze_files(files, max_bytes)
        return analyses, errors + failures
    size = max(16, min(256, len(files) // (workers * 4) or 1))
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    analyses = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_analyze_files, chunks, [max_bytes] * len(chunks))
        helper = threading.Thread(target=meanwhile, daemon=True) if meanwhile else None
        if helper:
            helper.start()
        for found, failures in results:
            analyses.extend(found)
            errors.extend(failures)
        if helper:
            helper.join()
    return analyses, errors
