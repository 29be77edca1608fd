"""Where the seed texts are, for tests: the project's own copies in ``tests/data/seeds``.

They are the texts the project was started from (a compiled volume of 2022, a district-site report of
2018, a provincial-site article of 2024), kept in the repository so a bare clone tests on its own.
"""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
VOLUME = SEEDS / "wuchang-2022-street-reports-volume.txt"
ZIYANG_2018 = SEEDS / "wcrd-2018-ziyang-report.txt"
XUJIAPENG_2024 = SEEDS / "hppc-2024-xujiapeng-article.txt"
