"""Near-copies: documents of one run whose text is nearly another's (a template reused for another street).

Each document becomes a one-permutation MinHash signature of its character 6-grams, with street names and digits masked
so that a copy with the names and figures changed still matches; locality-sensitive hashing finds the
candidates, so a run of 10,000 documents compares each with a few others, not with all.
Reports of different streets share stock phrases (在区人大常委会和街道党工委的正确领导下) but not their
bodies, so their similarity stays far below a copy's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from crawler.committee import COMMITTEE, STREETS
from crawler.records import Document

SHINGLE = 6
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
MAX_CANDIDATES = 24
_MASK = re.compile("|".join(sorted(STREETS, key=len, reverse=True)) + r"|\d+(?:\.\d+)?|\s+")


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text`` with street names, digits and spaces masked."""
    masked = _MASK.sub("#", COMMITTEE.sub("@", text))
    points = np.frombuffer(masked.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(len(points) - SHINGLE + 1, 1)
    values = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        # A polynomial hash of each 6-gram, computed for all windows at once; overflow wraps by design.
        for k in range(min(SHINGLE, len(points))):
            values = values * np.uint64(1_000_003) + points[k : k + count]
        # One-permutation MinHash: one mix of each shingle hash, split into bins by its low bits.
        mixed = np.unique(values) * np.uint64(0x9E3779B97F4A7C15)
        mixed ^= mixed >> np.uint64(29)
    bins = (mixed & np.uint64(PERMUTATIONS - 1)).astype(np.intp)
    minimums = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(minimums, bins, mixed >> np.uint64(6))
    return minimums

def near_duplicates(documents: Sequence[Document]) -> list[tuple[int | None, float]]:
    """For each document, the earlier document it is most like (index, similarity), or (None, best seen).

    Similarity estimates the Jaccard index of the masked 6-gram sets; only documents sharing a LSH band are
    compared, at most ``MAX_CANDIDATES`` of them, so the work stays linear in the number of documents.
    """
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    signatures: list[np.ndarray] = []
    result: list[tuple[int | None, float]] = []
    for index, document in enumerate(documents):
        current = signature(document.text) if len(document.text) >= 200 else None
        signatures.append(current)
        if current is None:
            result.append((None, 0.0))
            continue
        keys = [(band, current[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]
        candidates: dict[int, None] = {}
        for key in keys:
            for other in buckets.get(key, ()):
                candidates.setdefault(other)
                if len(candidates) >= MAX_CANDIDATES:
                    break
        best: tuple[int | None, float] = (None, 0.0)
        for other in candidates:
            similarity = float(np.mean(signatures[other] == current))
            if similarity > best[1]:
                best = (other, similarity)
        result.append(best)
        for key in keys:
            buckets[key].append(index)
    return result
