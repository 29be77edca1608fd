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

from checks.scratch import Scratch
from crawler.domain import STREETS
from crawler.records import Document

SHINGLE = 6
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
RECENT = 8
MIN_LENGTH = 200


def _streets_opened() -> str:
    """The street names as alternatives opened on their first character: ``(?<=中)(?:华路|南路)|…``, longest first."""
    rests: dict[str, list[str]] = {}
    for street in sorted(STREETS, key=len, reverse=True):
        rests.setdefault(street[0], []).append(street[1:])
    return "|".join(f"(?<={first})(?:{'|'.join(after)})" for first, after in rests.items())


# Street names, figures, spaces and a template's blanks (***, XX, ××, 某某, ___, ……, a single X before a
# measure word) all become one wildcard: a copy with the names filled in or blanked out is still a copy.
# Each is written as its first character, which the pattern opens on, and the rest after it: a pattern that
# opens on a class of characters is searched for that class alone, a third faster than one opening on a
# lookahead, which the engine tries at every character. The first characters never overlap, so each match
# is the one of ``\s+|\d+(?:\.\d+)?|\*+|[Xx×]{2,}|[Xx×](?=[\u4e00-\u9fff])|(?:某某)+|_{2,}|…+|<street>``.
_MASK = re.compile(
    r"[\d\s*Xx×某_…" + "".join(sorted({street[0] for street in STREETS})) + "](?:"
    r"(?<=\s)\s*|(?<=\d)\d*(?:\.\d+)?|(?<=\*)\**|(?<=[Xx×])(?:[Xx×]+|(?=[\u4e00-\u9fff]))|(?<=某)某(?:某某)*"
    r"|(?<=_)_+|(?<=…)…*|" + _streets_opened() + ")"
)


# 2**64 over the golden ratio, odd: a product with it mixes a number's bits into its high ones. It mixes the
# shingle hashes and seeds the band keys.
_GOLDEN = 0x9E3779B97F4A7C15


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text`` with street names, digits, spaces and blanks masked."""
    masked = _MASK.sub("#", text)
    points = np.frombuffer(masked.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(len(points) - SHINGLE + 1, 1)
    with np.errstate(over="ignore"):
        # A polynomial hash of each 6-gram, computed for all windows at once, in place; overflow wraps by design.
        values = points[:count].copy() if len(points) else np.zeros(count, dtype=np.uint64)
        for k in range(1, min(SHINGLE, len(points))):
            values *= np.uint64(1_000_003)
            values += points[k : k + count]
        # One-permutation MinHash: one mix of each shingle hash, binned by its low bits, the least per bin.
        values *= np.uint64(_GOLDEN)  # repeated shingles do not change a minimum
        values ^= values >> np.uint64(29)
    minimums = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(minimums, (values & np.uint64(PERMUTATIONS - 1)).astype(np.intp), values >> np.uint64(6))
    return minimums


with np.errstate(over="ignore"):
    _BAND_SEEDS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(_GOLDEN)
_LATEST = "SELECT key, member FROM bucket WHERE key IN (" + ",".join("?" * BANDS) + ")"


def band_keys(current: np.ndarray) -> list[int]:
    """The LSH key of each band of the signature ``current``: a 64-bit hash of the band's number and rows, never 0,
    as SQLite's signed 64-bit integer."""
    rows = current.reshape(BANDS, ROWS)
    keys = _BAND_SEEDS
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            keys = (keys ^ rows[:, row]) * np.uint64(0x100000001B3)
            keys ^= keys >> np.uint64(31)
    keys[keys == 0] = 1
    return keys.view(np.int64).tolist()


class NearCopyIndex:
    """The signatures of a run's documents so far, and the LSH buckets that find a new one's candidates.

    ``add`` judges the next document against the earlier ones and keeps its signature. It is kept in a scratch
    database on disk (``checks.scratch``): memory holds SQLite's cache of its pages, 16 MiB at most, whatever
    the corpus size, and the disk about 700 bytes a document (the signature, the low 32 bits of each minimum,
    enough to tell two apart: 256 bytes; the bucket chain, each band's previous member: 64; and 16 bucket rows,
    a band's key to its latest member). ``OSError`` or ``sqlite3.Error`` when the temporary folder cannot hold
    it.
    """

    def __init__(self) -> None:
        self.count = 0
        self.scratch = Scratch("wrqa-index-", """
            CREATE TABLE bucket (key INTEGER PRIMARY KEY, member INTEGER NOT NULL);
            CREATE TABLE doc (doc INTEGER PRIMARY KEY, signature BLOB NOT NULL, links BLOB NOT NULL)""")
        self.db = self.scratch.db

    def close(self) -> None:
        self.scratch.close()

    def _document(self, doc: int) -> tuple[np.ndarray, np.ndarray]:
        """The signature of earlier document ``doc`` and, per band, the member before it (-1: none)."""
        signature, links = self.db.execute("SELECT signature, links FROM doc WHERE doc = ?", (doc,)).fetchone()
        return np.frombuffer(signature, dtype=np.uint32), np.frombuffer(links, dtype=np.int32)

    def add(self, current: np.ndarray | None) -> tuple[int | None, float]:
        """The earlier document the next one is most like (index, similarity), or (None, best seen);
        ``None`` stands for a document too short to compare."""
        index = self.count
        self.count += 1
        if current is None:
            return None, 0.0
        compact = current.astype(np.uint32)  # the low bits; a wrap by design
        keys = band_keys(current)
        found = dict(self.db.execute(_LATEST, keys))
        latest = [found.get(key, -1) for key in keys]  # two bands alike share their bucket
        # Each bucket as a chain: its latest member in ``bucket``, each member's previous one in its links.
        candidates: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for band, other in enumerate(latest):
            for _ in range(RECENT):
                if other < 0:
                    break
                if other not in candidates:
                    candidates[other] = self._document(other)
                other = int(candidates[other][1][band])
        best: tuple[int | None, float] = (None, 0.0)
        if candidates:
            others = sorted(candidates)
            rows = np.stack([candidates[other][0] for other in others])
            similarities = (rows == compact).mean(axis=1)
            top = int(np.argmax(similarities))
            best = (others[top], float(similarities[top]))
        self.db.execute("INSERT INTO doc VALUES (?, ?, ?)",
                        (index, compact.tobytes(), np.array(latest, dtype=np.int32).tobytes()))
        self.db.executemany("INSERT INTO bucket VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET member = excluded.member",
                            [(key, index) for key in keys])
        return best


def near_duplicates(signatures: Sequence[np.ndarray | None]) -> list[tuple[int | None, float]]:
    """For each signature, the earlier one it is most like (index, similarity), or (None, best seen).

    ``None`` stands for a document too short to compare. Similarity estimates the Jaccard index of the
    masked 6-gram sets; only documents sharing a LSH band are compared, and from each band only its
    ``RECENT`` latest members, so the work stays linear in the run.
    """
    index = NearCopyIndex()
    try:
        return [index.add(current) for current in signatures]
    finally:
        index.close()


def document_signature(document: Document) -> np.ndarray | None:
    """The signature of ``document``, or None when its text is too short to judge a copy by."""
    return signature(document.text) if len(document.text) >= MIN_LENGTH else None
