"""The garbage collector kept off what lives long and what dies young, where a run makes millions of objects.

``unseen``: a block's objects (imports, GX's context) made with the collector off, then frozen out of its
sight, for they live as long as the process. ``chunk_collections``: a chunk of work run with it off, after
one full collection of what the last chunk left, for a chunk's objects live until it is done and go at once.
Both leave the collector as they found it when it is off already: someone else's to run. Light to import
(``wrqa --help`` imports it).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def unseen() -> Iterator[None]:
    """The block's objects made without the garbage collector, then frozen out of its sight (``gc.freeze``).

    Objects that live as long as the process were gone over again and again while they were made, and then
    at every full collection of a long run. What the process holds beside them when the block ends (a
    thread's work) is frozen too, and still freed when let go.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@contextmanager
def chunk_collections() -> Iterator[None]:
    """The block run with the garbage collector off, after one full collection (of what earlier blocks left).

    A chunk makes millions of small objects that live until it is done and then go all at once; the collector
    went over each of them two or three times while they lived. Its cyclic garbage (pandas', pandera's) waits
    for the next chunk's collection. Let the chunk's objects go inside the block, or the first collection
    after it goes over all of them.
    """
    if not gc.isenabled():
        yield
        return
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
