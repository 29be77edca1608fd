"""Where the real texts are, for tests: ``../shared/seeds`` beside the repository."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
VOLUME = SEEDS / "wuchang-2022-street-reports-volume.txt"
ZIYANG_2018 = SEEDS / "wcrd-2018-ziyang-report.txt"
XUJIAPENG_2024 = SEEDS / "hppc-2024-xujiapeng-article.txt"
