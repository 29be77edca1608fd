"""The figures a document states, what kind each is, and the part/whole relations between them.

A percentage is a ``rate`` when the words before it name a rate or a share (参与率, 满意度, 占…), a
``growth`` when they name a change (增长126%, 提高了15%), a ``fulfilment`` when they name a target
reached (完成目标的135%), else a ``percent`` of no known kind. A count is a number with its measure
word (12名, 19件). Relations come from 共…其中… sentences and from shares stated after a part
(其中初任代表12名，占代表总数63%). Plain functions of a ``Document``; they judge nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from checks.numbers import chinese_number
from checks.records import PartWhole, Statistic
from crawler.records import Document

NUMBER = r"-?\d+(?:\.\d+)?"
PERCENT = re.compile(
    rf"(?=[-\d百])(?:(?P<arabic>{NUMBER})\s*%|百分之(?P<chinese>[零〇一二两三四五六七八九十百千点]+|\d+(?:\.\d+)?))"
)
UNITS = "人次|名|位|个|人|件|条|次|场|篇|户|家|项|期|批|所|处|座|栋|份|封"
# Each count pattern opens on the class of its first character, read before the lookbehind on the one
# before it: the engine then skips every position that cannot start a count in one tight loop.
COUNT = re.compile(rf"(?P<value>\d(?<![\d.]\d)\d*)\s*(?P<approx>余|多)?\s*(?P<unit>{UNITS})(?!(?:月|日|年|号))")
# A count in Chinese numerals (十二次, 二十五名): two characters or more, or one above 一, never an ordinal
# (第三次), a frequency (每两次, 再一次), a vague number (几名, 数十件) or a slogan (四个意识, 两个维护: no 个).
CHINESE_COUNT = re.compile(
    r"(?P<value>[一二两三四五六七八九十百千]"
    r"(?<![第每再这那哪某同单上下前后几数多第零〇一二两三四五六七八九十百千万][一二两三四五六七八九十百千])"
    r"(?:[一二两三四五六七八九十百千]{1,5}|(?<=[二两三四五六七八九十])))"
    r"\s*(?P<approx>余|多)?\s*(?P<unit>人次|名|位|人|件|条|次|场|篇|户|家|项|期|批|所|处|份|封)"
    r"(?!(?:月|日|年|号|届|是|要|会|方|级|性|常委|代表大会))"
)
_HAS_CHINESE_COUNT = re.compile(r"[二两三四五六七八九十百千][次名位人件条场篇户家项期批所处份封]")
CLAUSE_BREAK = re.compile(r"[,，;；。!！?？\n]")
SENTENCE_BREAK = re.compile(r"[;；。!！?？\n]")
GROWTH = re.compile(r"(?:增长|增加|增幅|增速|提高|提升|上升|下降|降低|减少|同比|环比|超出|高出|多出)了?(?!到|至)")
GROWTH_WORD = re.compile(r"增长率|增速|增幅")  # a growth figure also when 到/至 follows (增速至5%)
FULFILMENT = re.compile(r"完成[^,，;；。]{0,10}的$|完成率|超额完成")
RATE_NOUN = re.compile(
    r"(?P<label>[\u4e00-\u9fff]{0,6}?(?:率|满意度|知晓度|认可度|覆盖面|比例|比重)|占[\u4e00-\u9fff]{0,8})"
)
# Words before a rate's name that are not part of it: 实现了选民参与率 → 选民参与率.
LABEL_LEAD = re.compile(r"^.*[了的为达是在对将把使让]")
WHOLE_MARK = re.compile(r"共|总|合计|累计|全年")
CONTINUE_BREAK = re.compile(r"^(?:另外|此外|同时|并且|还|另)")
APPROX_BEFORE = re.compile(r"(?:近|约|超过|逾|达)$")
SHARE_AFTER = re.compile(rf"[^。;；!?]{{0,3}}?占(?:比)?[\u4e00-\u9fff]{{0,8}}?(?:的)?(?P<value>{NUMBER})\s*%")


def _clause_before(text: str, position: int, limit: int = 40) -> str:
    start = max(position - limit, 0)
    window = text[start:position]
    breaks = list(CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end():] if breaks else window


def classify_percent(clause: str) -> tuple[str, str]:
    """The kind (rate, growth, fulfilment, percent) and label of a percentage, from the clause before it."""
    fulfilment = FULFILMENT.search(clause)
    if fulfilment:
        return "fulfilment", fulfilment.group(0)
    growth = GROWTH.search(clause) or GROWTH_WORD.search(clause)
    if growth:
        return "growth", growth.group(0)
    nouns = [match for match in RATE_NOUN.finditer(clause) if "增长率" not in match["label"]]
    if nouns:
        return "rate", LABEL_LEAD.sub("", nouns[-1]["label"])
    return "percent", ""


def statistics(document: Document) -> tuple[Statistic, ...]:
    """Every percentage and count stated in ``document``, in order."""
    text = document.text
    found: list[Statistic] = []
    for match in PERCENT.finditer(text) if "%" in text or "百分之" in text else ():  # how a percentage is written
        if match["arabic"] is not None:
            value = float(match["arabic"])
        else:
            written = match["chinese"]
            try:
                value = float(written) if written[0].isdigit() else chinese_number(written)
            except ValueError:
                continue
        kind, label = classify_percent(_clause_before(text, match.start()))
        found.append(Statistic(kind, value, "%", label, match.start(), match.end(), match.group(0)))
    for match in COUNT.finditer(text):
        label = _clause_before(text, match.start(), 12)
        approx = bool(match["approx"]) or bool(APPROX_BEFORE.search(label))
        found.append(
            Statistic("approx-count" if approx else "count", float(match["value"]), match["unit"],
                      label, match.start(), match.end(), match.group(0))
        )
    for match in CHINESE_COUNT.finditer(text) if _HAS_CHINESE_COUNT.search(text) else ():
        try:
            value = chinese_number(match["value"])
        except ValueError:
            continue
        label = _clause_before(text, match.start(), 12)
        approx = bool(match["approx"]) or bool(APPROX_BEFORE.search(label))
        found.append(Statistic("approx-count" if approx else "count", value, match["unit"], label,
                               match.start(), match.end(), match.group(0)))
    found.sort(key=lambda statistic: statistic.offset)
    return tuple(found)


# A relation's text is a window around its figures, never the whole sentence: a list of a thousand parts
# must not repeat itself a thousand times.
EXCERPT_AROUND = 12


def _window(text: str, first: Statistic, last: Statistic) -> str:
    """The words from ``first`` to ``last``, with what lies between cut to a few characters each side."""
    start, end = max(first.offset - EXCERPT_AROUND, 0), last.end
    if last.offset - first.end <= 2 * EXCERPT_AROUND:
        return text[start:end]
    return f"{text[start:first.end + EXCERPT_AROUND]}…{text[last.offset - EXCERPT_AROUND:end]}"


# Parts that name a range of their whole (18岁以上, 未满一年) contain the parts that follow: no sum of siblings.
RANGE_LABEL = re.compile(r"以上|以下|以内|及以上|未满|不满(?!意)|不足|周岁|岁")
# Ratings of the cases closed (满意/基本满意/不满意) are a breakdown of another part, summed on their own.
RATING_LABEL = re.compile(r"满意|好评|差评|一般$")
# What a count must be introduced with to be the whole of shares stated in later sentences.
STATED_WHOLE = re.compile(r"共|总|合计|累计|全年|立案|收到|受理|办理|交办|提出")


def relations(document: Document, found: tuple[Statistic, ...]) -> tuple[PartWhole, ...]:
    """The part/whole relations ``document`` states: 共…其中… wholes and parts, and shares of a whole.

    Parts are summed only when they are siblings of one whole: counts of its measure word listed after
    其中, outside the parentheses that break one of them down, not under a part that names a range (18岁以上
    contains 登记选民), and ratings (满意/基本满意/不满意) apart from the other parts. A share stated after a
    count whose sentence gives no whole is checked against the whole an earlier sentence of the paragraph
    gives, when one is introduced as a total (共收到…, 立案…). Linear in the text: counts are found by
    position (bisect), never by scanning them all per sentence.
    """
    text = document.text
    result: list[PartWhole] = []
    counts = [statistic for statistic in found if statistic.kind in ("count", "approx-count")]
    offsets = [count.offset for count in counts]
    shared: set[int] = set()
    # Sentences are told by their breaks; only those holding 其中 or a count with a share after it are read.
    pivots, at = [], text.find("其中")
    while at >= 0:
        pivots.append(at)
        at = text.find("其中", at + 2)
    with_share = [c.offset for c in counts if c.kind == "count" and SHARE_AFTER.match(text, c.end)]
    if not pivots and not with_share:
        return ()
    # A break is one character: each stands after the text between it and the one before.
    between = SENTENCE_BREAK.split(text)[:-1]
    breaks = list(accumulate((len(part) + 1 for part in between), initial=-1))[1:]
    for index in sorted({bisect_left(breaks, position) for position in (*pivots, *with_share)}):
        start = breaks[index - 1] + 1 if index else 0
        end = breaks[index] if index < len(breaks) else len(text)
        first, last = bisect_left(offsets, start), bisect_left(offsets, end)
        pivot = text.find("其中", start, end)
        if pivot >= 0:
            sentence, among = text[start:end], pivot - start
            middle = bisect_left(offsets, pivot)
            before = counts[first:middle]
            if not before and index and sentence[:among].strip(" ,，:：") == "":
                # 其中 opening a sentence breaks down the last count of the sentence before (立案71件。其中…).
                previous = breaks[index - 2] + 1 if index > 1 else 0
                before = counts[bisect_left(offsets, previous):first][-1:]
            if before:
                result.extend(_breakdown(text, sentence, start, among, before, counts[middle:last], shared))
        result.extend(_shares_of_an_earlier_whole(text, counts, offsets, start, first, last, shared))
    return tuple(result)


def _breakdown(text: str, sentence: str, start: int, among: int, before: list[Statistic], following: list[Statistic],
               shared: set[int]) -> list[PartWhole]:
    """The relations of one 其中 list: each part within the whole, its stated share, and the siblings' sum."""
    pivot = start + among
    head = sentence[:among]
    marks = list(WHOLE_MARK.finditer(head))
    mark = marks[-1] if marks else None
    if mark is not None:
        listed = [c for c in before if c.offset >= start + mark.start()]
        unit = listed[0].unit if listed else before[-1].unit
        wholes = [c for c in listed if c.unit == unit] or [before[-1]]
    else:
        wholes = [before[-1]]
        unit = wholes[0].unit
    if any(c.kind == "approx-count" for c in wholes):
        return []
    whole = sum(c.value for c in wholes)
    parts = _parts_after(text, pivot, unit, following)
    if not parts:
        return []
    found = []
    exact = [p for p in parts if p.kind == "count"]
    for part in exact:
        found.append(PartWhole("part", part.value, whole, None, unit, part.offset, part.end,
                               _window(text, wholes[0], part)))
        share = SHARE_AFTER.match(text, part.end)
        if share and whole:
            shared.add(part.offset)
            found.append(PartWhole("share", part.value, whole, float(share["value"]), unit,
                                   part.offset, part.end + share.end() - share.start(), text[part.offset:share.end()]))
    if len(exact) < len(parts):
        return found
    siblings = _siblings(text, pivot, parts)
    for group in siblings:
        if len(group) > 1:
            found.append(PartWhole("parts-sum", sum(p.value for p in group), whole, None, unit, wholes[0].offset,
                                   group[-1].end, _window(text, wholes[0], group[-1])))
    return found


def _siblings(text: str, pivot: int, parts: list[Statistic]) -> list[list[Statistic]]:
    """The groups of ``parts`` that are siblings of one whole (see ``relations``): none under a range."""
    labels, position, outside = [], pivot, []
    for part in parts:
        labels.append(text[position:part.offset])
        outside.append(_depth(text, pivot, part.offset) == 0)
        position = part.end
    if any(RANGE_LABEL.search(label) for label, out in zip(labels, outside, strict=True) if out):
        return []
    ratings = [p for p, label, out in zip(parts, labels, outside, strict=True) if out and RATING_LABEL.search(label)]
    others = [p for p, label, out in zip(parts, labels, outside, strict=True) if out and not RATING_LABEL.search(label)]
    return [others, ratings]


def _depth(text: str, start: int, end: int) -> int:
    """How many parentheses opened between ``start`` and ``end`` are still open at ``end``."""
    between = text[start:end]
    return max(between.count("（") + between.count("(") - between.count("）") - between.count(")"), 0)


def _shares_of_an_earlier_whole(text: str, counts: list[Statistic], offsets: list[int], start: int, first: int,
                                last: int, shared: set[int]) -> list[PartWhole]:
    """Shares stated after a count of this sentence (20件，占29.8%) that no 其中 whole covered, checked against
    the last total the paragraph introduced before it (共收到…77件，立案71件 → 71)."""
    found = []
    paragraph = bisect_left(offsets, text.rfind("\n", 0, start) + 1)
    for index in range(first, last):
        part = counts[index]
        if part.offset in shared or part.kind != "count":
            continue
        share = SHARE_AFTER.match(text, part.end)
        if not share:
            continue
        wholes = [c for c in counts[paragraph:index]
                  if c.unit == part.unit and c.kind == "count" and c.value > part.value
                  and STATED_WHOLE.search(_clause_before(text, c.offset, 16))
                  and not SHARE_AFTER.match(text, c.end)]  # a count with a share of its own is a part
        if not wholes:
            continue
        whole = wholes[-1]
        found.append(PartWhole("share", part.value, whole.value, float(share["value"]), part.unit, part.offset,
                               part.end + share.end() - share.start(), text[part.offset:share.end()]))
    return found


def _parts_after(text: str, pivot: int, unit: str, following: list[Statistic]) -> list[Statistic]:
    """The counts of ``unit`` among ``following`` (those after 其中 in the sentence), stopping where the list ends."""
    parts = []
    position = pivot
    for count in following:
        between = text[position:count.offset]
        clauses = CLAUSE_BREAK.split(between)
        if any(CONTINUE_BREAK.match(clause.strip()) for clause in clauses[1:]):
            break
        if count.unit == unit:
            parts.append(count)
        position = count.end
    return parts
