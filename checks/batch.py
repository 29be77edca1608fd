"""Working through a batch of files on every core, in bounded chunks: the ``wrqa validate PATH...`` road.

``map_chunks`` hands chunks of files to worker processes and yields what each chunk's work returns, in
input order, as soon as it is there; only a few chunks are in flight at once, so memory holds a few chunks,
never the batch. The work is any picklable callable of a list of paths (``validators.chunks`` reads, analyses
and judges a chunk; ``_analyze_files`` here only reads and analyses). A worker process that dies (killed, out
of memory) costs nothing but time: the files it held are worked again in processes of their own, and only a
file that kills its process every time is reported, by name. It judges nothing itself.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from checks.analyze import analyze_all, unexpected
from checks.records import Analysis
from crawler.errors import InputError
from crawler.files import find_inputs, shown
from crawler.local import load_documents

# Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 64
# Chunks handed out ahead of the one awaited, per worker: enough to keep every core busy, few enough to bound memory.
AHEAD = 2
R = TypeVar("R")


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

    ``max_bytes`` bounds every file, ``max_pages`` (None: no bound) a PDF's pages; see ``map_chunks``.
    """
    analyses: list[Analysis] = []
    errors: list[InputError] = []
    for found, failures in map_chunks(files, _AnalyzeFiles(max_bytes, max_pages), _died, workers=workers,
                                      meanwhile=meanwhile):
        analyses.extend(found)
        errors.extend(failures)
    return analyses, errors


class _AnalyzeFiles:
    def __init__(self, max_bytes: int, max_pages: int | None) -> None:
        self.max_bytes, self.max_pages = max_bytes, max_pages

    def __call__(self, paths: list[str]) -> tuple[list[Analysis], list[InputError]]:
        return _analyze_files(paths, self.max_bytes, self.max_pages)


def _died(error: InputError) -> tuple[list[Analysis], list[InputError]]:
    return [], [error]


def chunk_size(files: int, workers: int, largest: int = 512) -> int:
    """Files a chunk: a few chunks a worker so that none waits long on the last, ``largest`` at most.

    A chunk pays pandera a fixed price (a schema per frame, its columns' dtypes: about 60 ms) besides its
    documents: 512 a chunk spend a tenth less CPU than 256 over a large corpus, for about 22 MiB more a
    worker; 1,024 took a run of 10,000 documents past 600 MiB (``bench/validate_corpus.py``, README)."""
    return max(16, min(largest, files // (workers * 4) or 1))


def map_chunks(
    files: Sequence[str], work: Callable[[list[str]], R], died: Callable[[InputError], R], *,
    workers: int | None = None, size: int | None = None, meanwhile: Callable[[], object] | None = None,
) -> Iterator[R]:
    """``work`` over chunks of ``files`` of ``size`` files (default ``chunk_size``), yielded in input order.

    ``workers`` processes share the chunks (default: one per core); a few files, or one worker, are worked
    here, where a pool would cost more. ``meanwhile`` runs in a thread of this process while the workers
    work (once the first chunks are handed out, so no process is forked while it runs): a place for a slow
    import such as GX's. A worker that dies costs nothing but time: its chunk is worked again in processes
    of its own, halved each time that process dies, down to the file that kills it, for which
    ``died(error)`` stands in, naming it.
    """
    files = list(files)
    workers = workers or os.cpu_count() or 1
    size = size or chunk_size(len(files), workers)
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    if workers == 1 or len(files) < PARALLEL_FROM:
        if meanwhile:
            meanwhile()
        yield from (work(chunk) for chunk in chunks)
        return
    from concurrent.futures import ProcessPoolExecutor  # a one-file run has no pool to pay for (10 ms)
    from concurrent.futures.process import BrokenProcessPool

    helper = threading.Thread(target=meanwhile, daemon=True) if meanwhile else None
    waiting = deque(chunks)
    pool = ProcessPoolExecutor(max_workers=workers)
    flight: deque[tuple[list[str], object]] = deque()
    try:
        while waiting or flight:
            while waiting and len(flight) < workers * AHEAD and pool is not None:
                try:
                    flight.append((waiting[0], pool.submit(work, waiting[0])))
                    waiting.popleft()
                except BrokenProcessPool:  # a worker died already: the chunks not handed out go to a new pool
                    pool = None
            if helper and not helper.is_alive() and helper.ident is None:
                helper.start()
            if not flight:
                _settle(helper)
                pool = ProcessPoolExecutor(max_workers=workers)
                continue
            chunk, future = flight.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                _settle(helper)
                yield from _salvage(chunk, work, died)
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                waiting.extendleft(reversed([chunk for chunk, _ in flight]))
                flight.clear()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        _settle(helper)


def _settle(helper: threading.Thread | None) -> None:
    # A fork while another thread imports would copy its import locks held: no process starts until it is done.
    if helper and helper.ident is not None:
        helper.join()


def _salvage(files: list[str], work: Callable[[list[str]], R], died: Callable[[InputError], R]) -> Iterator[R]:
    """``files`` worked again in a fresh process, halved each time that process dies, down to the file that kills it."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            yield pool.submit(work, files).result()
            return
        except BrokenProcessPool:
            pass
    if len(files) == 1:
        name = shown(files[0])
        yield died(InputError(name, f"{name}: the process reading it died each time (killed, or out of memory); "
                                    "check the file, or raise the memory available to wrqa"))
        return
    middle = len(files) // 2
    yield from _salvage(files[:middle], work, died)
    yield from _salvage(files[middle:], work, died)
