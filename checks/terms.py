"""The terms (届次) of the 武昌区 People's Congress, as sites.md gives them: data, not logic."""

from __future__ import annotations

from datetime import date

# 区第十五届 2016-12 → 2021-12, 区第十六届 from 2021-12; terms run five years.
TERMS: dict[str, tuple[date, date]] = {
    "第十四届": (date(2011, 12, 1), date(2016, 12, 31)),
    "第十五届": (date(2016, 12, 1), date(2021, 12, 31)),
    "第十六届": (date(2021, 12, 1), date(2026, 12, 31)),
}
