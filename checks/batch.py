"""Reading, normalizing and analysing a batch of files on every core: the ``wrqa validate PATH...`` road.

A worker process that dies (killed, out of memory) costs nothing but time: the files it held are read
again in processes of their own, and only a file that kills its process every time is reported, by name.
It judges nothing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from checks.analyze import analyze_all, unexpected
from checks.records import Analysis
from crawler.errors import InputError
from crawler.files import find_inputs, shown
from crawler.local import load_documents

# Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 64


def _analyze_files(paths: list[str], max_bytes: int, max_pages: int | None = None
                   ) -> tuple[list[Analysis], list[InputError]]:
    analyses, errors = [], []
    for path in paths:
        try:
            documents, failures = load_documents([path], max_bytes, max_pages)
        except Exception as error:  # noqa: BLE001 - one file's failure must not stop the batch
            errors.append(unexpected(shown(path), error))
            continue
        found, broken = analyze_all(documents)
        analyses.extend(found)
        errors.extend(failures + broken)
    return analyses, errors


def analyze_paths(
    paths: Sequence[str], max_bytes: int, *, max_pages: int | None = None, workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Analysis], list[InputError]]:
    """The analyses of the documents under ``paths`` and the inputs that could not be read (``analyze_files``)."""
    inputs = find_inputs(paths)
    analyses, errors = analyze_files(inputs.files, max_bytes, max_pages=max_pages, workers=workers,
                                     meanwhile=meanwhile)
    return analyses, inputs.errors + errors


def analyze_files(
    files: Sequence[str], max_bytes: int, *, max_pages: int | None = None, workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Analysis], list[InputError]]:
    """The analyses of the documents in ``files`` and the files that could not be read, in input order.

    ``max_bytes`` bounds every file, ``max_pages`` (None: no bound) a PDF's pages.
    Reading, normalizing and analysing are independent per file, so a large batch is shared among
    ``workers`` processes (default: one per core); a few files are done here, where a pool would cost more.
    ``meanwhile`` runs in a thread of this process while the workers work (once they have all started,
    so no process is forked while it runs): a place for a slow import such as GX's.
    A worker that dies (killed, out of memory) costs nothing but time: the files it held are read again in
    processes of their own, and only a file that kills its process every time is reported, by name.
    """
    files = list(files)
    errors: list[InputError] = []
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < PARALLEL_FROM:
        analyses, failures = _analyze_files(files, max_bytes, max_pages)
        return analyses, errors + failures
    size = max(16, min(256, len(files) // (workers * 4) or 1))
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    results: list[tuple[list[Analysis], list[InputError]] | None] = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = []
        for chunk in chunks:
            try:
                futures.append(pool.submit(_analyze_files, chunk, max_bytes, max_pages))
            except BrokenProcessPool:  # a worker died already: the chunks not handed out are read below
                break
        helper = threading.Thread(target=meanwhile, daemon=True) if meanwhile else None
        if helper:
            helper.start()
        for index, future in enumerate(futures):
            try:
                results[index] = future.result()
            except BrokenProcessPool:
                continue  # its files are read again below
        if helper:
            helper.join()
    analyses = []
    for chunk, result in zip(chunks, results, strict=True):
        found, failures = result if result is not None else _salvage(chunk, max_bytes, max_pages)
        analyses.extend(found)
        errors.extend(failures)
    return analyses, errors


def _salvage(files: list[str], max_bytes: int, max_pages: int | None
             ) -> tuple[list[Analysis], list[InputError]]:
    """``files`` read again in a fresh process, halved each time that process dies, down to the file that kills it."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_analyze_files, files, max_bytes, max_pages).result()
        except BrokenProcessPool:
            pass
    if len(files) == 1:
        name = shown(files[0])
        return [], [InputError(name, f"{name}: the process reading it died each time (killed, or out of memory); "
                                     "check the file, or raise the memory available to wrqa")]
    middle = len(files) // 2
    first, second = _salvage(files[:middle], max_bytes, max_pages), _salvage(files[middle:], max_bytes, max_pages)
    return first[0] + second[0], first[1] + second[1]
