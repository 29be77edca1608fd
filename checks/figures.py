"""The figures an editor compares from year to year: which statistic of a report is its 代表人数, 建议件数, 办结率….

A report states dozens of numbers; a few of them say the same thing every year, and only those can be set
side by side across years. Each ``Figure`` names one, with the words that label it (the words just before
the number, as ``checks.statistics`` reads them), the measure words it takes and its kinds; the first
statistic of a document that fits is that document's figure. Plain functions of statistics of either
record type (``checks.records.Statistic``, ``validators.records.PlacedStatistic``): this module judges
nothing and must never import pandas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol


class Stated(Protocol):
    """What a figure is read from: a statistic's kind, value, unit and label."""

    kind: str
    value: float
    unit: str
    label: str


@dataclass(frozen=True)
class Figure:
    """A figure reports state every year: ``id``, its Chinese ``name``, the statistic ``kinds`` and ``units``
    it takes, the ``label`` pattern its words match, and whether a change across years is judged (``trend``,
    counts only: rates have their own rule)."""

    id: str
    name: str
    kinds: tuple[str, ...]
    units: tuple[str, ...]
    label: re.Pattern[str]
    trend: bool = True

    def fits(self, statistic: Stated) -> bool:
        return (statistic.kind in self.kinds and statistic.unit in self.units
                and self.label.search(statistic.label) is not None)


_COUNTS = ("count", "approx-count")
FIGURES: tuple[Figure, ...] = (
    # 现有区人大代表19名 / 共有市、区人大代表42名; not 其中初任代表 (the first one fitting wins) nor 组织完成6位.
    Figure("deputies", "代表人数", _COUNTS, ("名", "位", "人"), re.compile(r"人大代表(?:共|共有|总数)?$")),
    Figure("suggestions", "建议件数", _COUNTS, ("件", "条"), re.compile(r"建议$")),
    Figure("voters", "接待选民", _COUNTS, ("人", "人次", "名"), re.compile(r"接待(?:选民|群众)$")),
    Figure("completion", "办结率", ("rate",), ("%",), re.compile(r"办结率|办复率|解决率"), trend=False),
    Figure("satisfaction", "满意度", ("rate",), ("%",), re.compile(r"满意"), trend=False),
)
BY_ID = {figure.id: figure for figure in FIGURES}


def key_figures(statistics: Iterable[Any]) -> dict[str, Any]:
    """The statistic standing for each figure (by id) among ``statistics``, in text order: the first that fits."""
    found: dict[str, Any] = {}
    for statistic in statistics:
        for figure in FIGURES:
            if figure.id not in found and figure.fits(statistic):
                found[figure.id] = statistic
    return found
