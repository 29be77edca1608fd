"""Headings and the three parts of a formal report: the year's work, its shortcomings, next year's plans.

Headings are found by their numbering (``一、``, ``（一）``) or, for an unnumbered part, by a short line
made of part words (``存在的不足``). A part is named by its words, and where the words say nothing
(``一、围绕中心，服务大局``) the headings before the shortcomings are taken as the year's work.
Plain functions of a ``Document``; they judge nothing.
"""

from __future__ import annotations

import re

from checks.numbers import chinese_to_int
from checks.records import Heading
from crawler.records import Document

LEVEL1 = re.compile(r"^(?P<ordinal>[一二三四五六七八九十]{1,3})\s*[、.]\s*(?P<text>[^。\n]{1,60})")
LEVEL2 = re.compile(r"^\(\s*(?P<ordinal>[一二三四五六七八九十]{1,3})\s*\)\s*(?P<text>[^。\n]{1,60})")
# A level-2 heading whose opening bracket extraction left on the line above: "(" then "三)加强学习".
LEVEL2_CUT = re.compile(r"^(?P<ordinal>[一二三四五六七八九十]{1,3})\s*\)\s*(?P<text>[^。\n]{1,60})")
# A part above the numbered headings (第二部分, 附件1): the numbering starts again under it.
PART = re.compile(r"^(?:第[一二三四五六七八九十]+部分|附件\s*[\d一二三四五六七八九十]*)(?:[\s:：、].*)?$")
PART_HEADING = re.compile(r"^(?:(?:19|20)\d{2}\s*年)?[^,。;:\n]{0,12}$")
SHORTCOMINGS = re.compile(r"不足|问题|差距|短板|薄弱|困难")
PLANS = re.compile(r"思路|打算|计划|安排|展望|下一步|下步|明年|今后|目标任务|工作重点|重点工作|工作设想")
WORK = re.compile(
    r"工作完成情况|完成情况|工作情况|主要工作|工作回顾|回顾|主要成效|成效|成绩|主要做法|做法|工作总结|开展情况|亮点"
)
HEADING_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
PARTS = ("work", "shortcomings", "plans")


def _sections(text: str, year: int | None, heading_year: int | None) -> list[str]:
    """The parts a level-1 heading names; 2023年主要工作打算 names the plans, not the year's work."""
    found = []
    if SHORTCOMINGS.search(text):
        found.append("shortcomings")
    if PLANS.search(text) or (year and heading_year == year + 1):
        found.append("plans")
    if not found and (WORK.search(text) or (year and heading_year == year)):
        found.append("work")
    return found


def headings(document: Document) -> tuple[Heading, ...]:
    """The numbered headings of ``document`` (and unnumbered part headings), in order."""
    found: list[Heading] = []
    offset = 0
    before = ""
    for line in document.text.split("\n"):
        if PART.match(line) and len(line) <= 40:
            found.append(Heading(level=0, ordinal=0, section="other", year=None, offset=offset,
                                 end=offset + len(line), text=line))
            offset += len(line) + 1
            before = line
            continue
        match = LEVEL1.match(line)
        level = 1
        if not match:
            match = LEVEL2.match(line) or (LEVEL2_CUT.match(line) if before.strip() == "(" else None)
            level = 2
        if match:
            heading_text = match.group(0)
            ordinal = chinese_to_int(match["ordinal"])
        elif len(line) <= 16 and PART_HEADING.match(line) and (
            SHORTCOMINGS.search(line) or PLANS.search(line) or WORK.search(line)
        ):
            heading_text, ordinal, level = line, 0, 1
        else:
            offset += len(line) + 1
            before = line
            continue
        year_match = HEADING_YEAR.search(heading_text)
        heading_year = int(year_match[1]) if year_match else None
        parts = _sections(heading_text, document.year, heading_year) if level == 1 else []
        found.append(
            Heading(
                level=level,
                ordinal=ordinal,
                section="+".join(parts) if parts else "other",
                year=heading_year,
                offset=offset,
                end=offset + len(heading_text),
                text=heading_text,
            )
        )
        offset += len(line) + 1
        before = line
    return tuple(found)


def sections_of(found: tuple[Heading, ...]) -> tuple[str, ...]:
    """Which of ``work``, ``shortcomings``, ``plans`` the headings cover, in that order.

    Level-1 headings of no named part that come before the shortcomings or the plans are the year's work.
    """
    named = {part for heading in found for part in heading.section.split("+") if part in PARTS}
    if "work" not in named:
        top = [heading for heading in found if heading.level == 1]
        later = next((i for i, h in enumerate(top) if h.section != "other"), None)
        if later and any(heading.section == "other" for heading in top[:later]):
            named.add("work")
    return tuple(part for part in PARTS if part in named)


def expected_year(heading: Heading, year: int | None) -> int | None:
    """The year a level-1 heading should name: the work year for work, the next year for plans."""
    if year is None or heading.year is None or heading.level != 1:
        return None
    parts = heading.section.split("+")
    if "plans" in parts:
        return year + 1
    if "work" in parts:
        return year
    return None


def expected_ordinals(found: tuple[Heading, ...]) -> list[int]:
    """The ordinal each heading should carry: one more than the previous of its level, from 1 under a new parent
    (a 一、 under a new 第二部分 or 附件, a （一） under a new 一、)."""
    expected = []
    last = {1: 0, 2: 0}
    for heading in found:
        if heading.level == 0:
            last = {1: 0, 2: 0}
        if heading.ordinal == 0:
            expected.append(0)
            continue
        if heading.level == 1:
            last[2] = 0
        last[heading.level] += 1
        expected.append(last[heading.level])
        last[heading.level] = heading.ordinal
    return expected
