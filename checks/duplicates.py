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


# 2**64 over the golden ratio, odd: a product with it mixes a number's bits into its high ones. It mixes the
# shingle hashes and the band keys, and a bucket key's slot is the top bits of its product (Fibonacci
# hashing), so keys alike in their low bits still spread over the table.
_GOLDEN = 0x9E3779B97F4A7C15


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
        mixed = values * np.uint64(_GOLDEN)  # repeated shingles do not change a minimum
        mixed ^= mixed >> np.uint64(29)
    keys = np.sort(((mixed & np.uint64(PERMUTATIONS - 1)) << np.uint64(58)) | (mixed >> np.uint64(6)))
    bins = (keys >> np.uint64(58)).astype(np.intp)
    firsts = np.searchsorted(bins, np.arange(PERMUTATIONS))
    minimums = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    present = firsts < len(keys)
    present[present] = bins[firsts[present]] == np.arange(PERMUTATIONS)[present]
    minimums[present] = keys[firsts[present]] & np.uint64((1 << 58) - 1)
    return minimums

_WORD = (1 << 64) - 1


class _Buckets:
    """The LSH buckets: each band key (a non-zero 64-bit hash) to the latest member, in an open-addressing table
    of two numpy arrays (12 bytes an entry, at most three quarters full: a search then looks at a few slots on
    average): a dict of Python ints would cost 100 bytes."""

    GROW_SLICE = 1 << 16  # the old table's slots placed at a time when it doubles

    def __init__(self, capacity: int = 1 << 14) -> None:
        self.keys = np.zeros(capacity, dtype=np.uint64)
        self.members = np.full(capacity, -1, dtype=np.int32)
        self.shift = 64 - (capacity.bit_length() - 1)
        self.count = 0

    def _slot(self, key: int) -> int:
        keys, mask = self.keys, len(self.keys) - 1
        slot = ((key * _GOLDEN) & _WORD) >> self.shift
        while keys[slot] and keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    def get(self, key: int) -> int:
        """The latest member of bucket ``key``, or -1."""
        return int(self.members[self._slot(key)])

    def put(self, key: int, member: int) -> None:
        slot = self._slot(key)
        if not self.keys[slot]:
            self.count += 1
            self.keys[slot] = key
        self.members[slot] = member
        if 4 * self.count > 3 * len(self.keys):
            self._grow()

    def _grow(self) -> None:
        old_keys, old_members = self.keys, self.members
        self.keys = np.zeros(2 * len(old_keys), dtype=np.uint64)
        self.members = np.full(len(self.keys), -1, dtype=np.int32)
        self.shift -= 1
        # A slice of the old table at a time: the arrays of one placing are a few MB, not several times the table.
        for start in range(0, len(old_keys), self.GROW_SLICE):
            keys, members = old_keys[start : start + self.GROW_SLICE], old_members[start : start + self.GROW_SLICE]
            self._place(keys[keys != 0], members[keys != 0])

    def _place(self, keys: np.ndarray, members: np.ndarray) -> None:
        """Put ``keys`` (none in the table yet) with their ``members`` in the table, which has room for them."""
        mask = np.uint64(len(self.keys) - 1)
        with np.errstate(over="ignore"):
            slots = (keys * np.uint64(_GOLDEN)) >> np.uint64(self.shift)
        while len(keys):
            # Linear probing, vectorised: of the keys aiming at a free slot, the first of each slot takes it.
            free = self.keys[slots] == 0
            taken = np.zeros(len(keys), dtype=bool)
            _, first = np.unique(slots[free], return_index=True)
            taken[np.flatnonzero(free)[first]] = True
            self.keys[slots[taken]], self.members[slots[taken]] = keys[taken], members[taken]
            keys, members, slots = keys[~taken], members[~taken], (slots[~taken] + np.uint64(1)) & mask


def band_keys(current: np.ndarray) -> list[int]:
    """The LSH key of each band of the signature ``current``: a 64-bit hash of the band's number and rows, never 0."""
    rows = current.reshape(BANDS, ROWS)
    keys = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(_GOLDEN)
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            keys = (keys ^ rows[:, row]) * np.uint64(0x100000001B3)
            keys ^= keys >> np.uint64(31)
    keys[keys == 0] = 1
    return keys.tolist()


class NearCopyIndex:
    """The signatures of a run's documents so far, and the LSH buckets that find a new one's candidates.

    ``add`` judges the next document against the earlier ones and keeps its signature: the only thing of a
    document kept for the whole run, 600 to 850 bytes of it (256 of signature: the low 32 bits of each minimum,
    enough to tell two apart; 64 of bucket chain; 16 bucket entries of 12 bytes in a table 3/8 to 3/4 full).
    Signatures and chains are kept in blocks of ``BLOCK`` documents, so the index grows by a block, never by
    copying itself.
    """

    BLOCK = 4096

    def __init__(self) -> None:
        self.count = 0
        self.signatures: list[np.ndarray] = []
        # Each bucket as a chain: its latest member in ``buckets``, each member's previous one in ``links``.
        self.buckets = _Buckets()
        self.links: list[np.ndarray] = []

    def _previous(self, member: int, band: int) -> int:
        return int(self.links[member // self.BLOCK][member % self.BLOCK, band])

    def add(self, current: np.ndarray | None) -> tuple[int | None, float]:
        """The earlier document the next one is most like (index, similarity), or (None, best seen);
        ``None`` stands for a document too short to compare."""
        index = self.count
        self.count += 1
        if current is None:
            return None, 0.0
        block, row = divmod(index, self.BLOCK)
        while block >= len(self.signatures):
            self.signatures.append(np.zeros((self.BLOCK, PERMUTATIONS), dtype=np.uint32))
            self.links.append(np.full((self.BLOCK, BANDS), -1, dtype=np.int32))
        compact = current.astype(np.uint32)  # the low bits; a wrap by design
        self.signatures[block][row] = compact
        keys = band_keys(current)
        latest = [self.buckets.get(key) for key in keys]
        candidates: set[int] = set()
        for band, other in enumerate(latest):
            for _ in range(RECENT):
                if other < 0:
                    break
                candidates.add(other)
                other = self._previous(other, band)
        best: tuple[int | None, float] = (None, 0.0)
        if candidates:
            others = sorted(candidates)
            rows = np.stack([self.signatures[other // self.BLOCK][other % self.BLOCK] for other in others])
            similarities = (rows == compact).mean(axis=1)
            top = int(np.argmax(similarities))
            best = (others[top], float(similarities[top]))
        self.links[block][row] = latest  # the bands' keys differ: no put below changes another's latest
        for key in keys:
            self.buckets.put(key, index)
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
