"""The table of traditional characters normalization reads as simplified (``crawler/data/traditional.txt``),
made from OpenCC's t2s conversion: ``make traditional`` writes it again, and a test holds the file to it.

Every character of the CJK block (U+4E00–U+9FFF) that OpenCC converts one for one to another is a pair.
"""

from __future__ import annotations

from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "crawler" / "data" / "traditional.txt"
HEADER = """\
# Traditional characters and the simplified character each is read as (crawler.normalize.fold), one pair a
# line: the characters of U+4E00-U+9FFF that OpenCC's t2s dictionary converts one for one, as OpenCC {version}
# converts them (OpenCC: Apache License 2.0, https://github.com/BYVoid/OpenCC). Written by `make traditional`.
"""


def opencc_text() -> str:
    """The table's text as OpenCC, installed, makes it."""
    import importlib.metadata

    import opencc

    block = "".join(map(chr, range(0x4E00, 0xA000)))
    converted = opencc.OpenCC("t2s").convert(block)
    pairs = "".join(f"{old}{new}\n" for old, new in zip(block, converted, strict=True) if old != new)
    return HEADER.format(version=importlib.metadata.version("opencc")) + pairs


if __name__ == "__main__":
    TABLE.write_text(opencc_text(), encoding="utf-8")
    print(f"wrote {TABLE}")
