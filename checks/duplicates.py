"""Near-copies: documents of one run whose text is nearly another's (a template reused for another street).

Each document becomes a one-permutation MinHash signature of its character 6-grams, with street names and digits masked
so that a copy with the names and figures changed still matches; locality-sensitive hashing finds the
candidates, so a run of 10,000 documents compares each with a few others, not with all.
Reports of different streets share stock phrases (在区人大常委会和街道党工委的正确领导下) but not their
bodies, so their similarity stays far below a copy's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from crawler.domain import STREETS
from crawler.records import Document

SHINGLE = 6
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
RECENT = 8
MIN_LENGTH = 200
# Street names, figures, spaces and a template's blanks (***, XX, ××, 某某, ___, ……, a single X before a
# measure word) all become one wildcard: a copy with the names filled in or blanked out is still a copy.
_MASK = re.compile(
    "(?=[" + "".join(sorted({street[0] for street in STREETS})) + r"\d\s*Xx×某_…])(?:"
    + "|".join(sorted(STREETS, key=len, reverse=True))
    + r"|\d+(?:\.\d+)?|\s+|\*+|[Xx×]{2,}|[Xx×](?=[\u4e00-\u9fff])|(?:某某)+|_{2,}|…+)"
)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text`` with street names, digits, spaces and blanks masked."""
    masked = _MASK.sub("#", text)
    points = np.frombuffer(masked.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(len(points) - SHINGLE + 1, 1)
    values = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        # A polynomial hash of each 6-gram, computed for all windows at once; overflow wraps by design.
        for k in range(min(SHINGLE, len(points))):
            values = values * np.uint64(1_000_003) + points[k : k + count]
        # One-permutation MinHash: one mix of each shingle hash, binned by its low bits, the least per bin.
        mixed = values * np.uint64(0x9E3779B97F4A7C15)  # repeated shingles do not change a minimum
        mixed ^= mixed >> np.uint64(29)
    keys = np.sort(((mixed & np.uint64(PERMUTATIONS - 1)) << np.uint64(58)) | (mixed >> np.uint64(6)))
    bins = (keys >> np.uint64(58)).astype(np.intp)
    firsts = np.searchsorted(bins, np.arange(PERMUTATIONS))
    minimums = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    present = firsts < len(keys)
    present[present] = bins[firsts[present]] == np.arange(PERMUTATIONS)[present]
    minimums[present] = keys[firsts[present]] & np.uint64((1 << 58) - 1)
    return minimums

class NearCopyIndex:
    """The signatures of a run's documents so far, and the LSH buckets that find a new one's candidates.

    ``add`` judges the next document against the earlier ones and keeps its signature: the only thing of a
    document kept for the whole run, about 1.5 KB of it (512 bytes of signature, 16 bucket entries).
    """

    def __init__(self) -> None:
        self.count = 0
        self.matrix = np.zeros((1024, PERMUTATIONS), dtype=np.uint64)
        # Each bucket as a chain: its latest member here, each member's previous one in ``links``.
        self.latest: dict[int, int] = {}
        self.links = np.full((1024, BANDS), -1, dtype=np.int32)

    def add(self, current: np.ndarray | None) -> tuple[int | None, float]:
        """The earlier document the next one is most like (index, similarity), or (None, best seen);
        ``None`` stands for a document too short to compare."""
        index = self.count
        self.count += 1
        if current is None:
            return None, 0.0
        if index >= len(self.matrix):
            self.matrix = np.resize(self.matrix, (2 * len(self.matrix), PERMUTATIONS))
            self.links = np.concatenate([self.links, np.full_like(self.links, -1)])
        self.matrix[index] = current
        keys = [hash((band, current[band * ROWS : (band + 1) * ROWS].tobytes())) for band in range(BANDS)]
        candidates: set[int] = set()
        for band, key in enumerate(keys):
            other = self.latest.get(key, -1)
            for _ in range(RECENT):
                if other < 0:
                    break
                candidates.add(other)
                other = int(self.links[other, band])
        best: tuple[int | None, float] = (None, 0.0)
        if candidates:
            others = np.fromiter(sorted(candidates), dtype=np.intp, count=len(candidates))
            similarities = (self.matrix[others] == current).mean(axis=1)
            top = int(np.argmax(similarities))
            best = (int(others[top]), float(similarities[top]))
        for band, key in enumerate(keys):
            self.links[index, band] = self.latest.get(key, -1)
            self.latest[key] = index
        return best


def near_duplicates(signatures: Sequence[np.ndarray | None]) -> list[tuple[int | None, float]]:
    """For each signature, the earlier one it is most like (index, similarity), or (None, best seen).

    ``None`` stands for a document too short to compare. Similarity estimates the Jaccard index of the
    masked 6-gram sets; only documents sharing a LSH band are compared, and from each band only its
    ``RECENT`` latest members, so the work stays linear in the run.
    """
    index = NearCopyIndex()
    return [index.add(current) for current in signatures]


def document_signature(document: Document) -> np.ndarray | None:
    """The signature of ``document``, or None when its text is too short to judge a copy by."""
    return signature(document.text) if len(document.text) >= MIN_LENGTH else None
