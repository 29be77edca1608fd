"""The patterns of the text rules: what a placeholder, an artifact or a doubled 街 looks like.

Each alternative is a named group, so a mark can say which kind of placeholder or artifact it is.
Lines are normalized before they are matched: full-width ASCII is already half-width (＊ → *, Ｘ → X).
A match never takes a line end (its spaces are any but a line end): each pattern runs once over a
document's text, compiled ``re.MULTILINE`` so its ``^`` and ``$`` are those of a line (``checks.marks``),
and finds what it finds in each line alone; the engines judge the counts it leaves in the frames.
"""

from __future__ import annotations

import re

from crawler.domain import STREETS
from crawler.opened import opened

# Each pattern is its body behind a gate: where its alternatives can start. Python's re searches a pattern that
# opens on a class of characters for that class alone, in C; one that opens on a lookahead or on ``^`` it tries
# at every character. So PLACEHOLDER and ARTIFACT are ``Opened`` (``crawler.opened``): each match is one
# character of the class their matches can start with (or, for ARTIFACT, a line end), where the gate, a
# lookahead of the words that follow it, holds, and the body's match from there is the span of its named group.
# A gate never changes what the body matches (a test compares the two over every text the tests hold and random
# strings of their characters).
_HAN = "\u4e00-\u9fff"
# The words a blanked name or figure stands before: a place, a body, a person, a measure.
_SLOT_AFTER = (r"街道|社区|村|镇|乡|区|县|市|省|条|起|人次|人|名|位|件|次|个|项|万元|亿元|元|年|月|日|户|家|场|期|批"
               r"|篇|所|处|%|岁|届|号")
# Measure words that never stand right after these words without a figure between (共件, 第次会议, 已办结件).
_EMPTY_SLOT = (r"(?:第|共|共计|合计|累计|总计|已办结|办结|受理|收到|提出|提交|走访|慰问|参加|出席)"
               r"(?:件|次|名|位|场|项|篇|条|户|期|批|个|届|人次)(?![数序别性次])"
               r"|(?:代表|选民|群众|居民)人次(?!同比|较|比|为|达|超|增|减|共|累计|逐年|数)")

PLACEHOLDER_BODY = (
    r"(?:"
    r"(?P<stars>\*+)"
    r"|(?P<x_date>(?<![A-Za-z])[Xx×]{1,2}[^\S\n]*[月日号](?:[^\S\n]*[Xx×]{1,2}[^\S\n]*[日号])?)"
    r"|(?P<x_year>(?<![A-Za-z])(?:19|20)?[Xx×]{2,4}[^\S\n]*年)"
    r"|(?P<xx>(?<![A-Za-z])[Xx]{2,}(?![A-Za-z]))"
    r"|(?P<times>(?<![\d.])×{2,}(?![\d.]))"
    r"|(?P<mou>某某)"
    r"|(?P<blank>_{2,}|[○□]{2,})"
    # A single X or × for a name or a figure: before a place or a measure word, or alone between words
    # (X街道, 问题X条, ×起); never X光, X射线, 3×4 or a Latin word.
    rf"|(?P<single_x>(?<![A-Za-z\d.×])[Xx×](?=(?:{_SLOT_AFTER}))|(?<=[{_HAN}])[Xx](?=[,.;:、)）]|$))"
    # An ellipsis for a blanked name: 本次……街道, 《……方案》, 书记……同志; never ……等 in a list.
    rf"|(?P<ellipsis>(?<=《)…{{2}}|…{{2}}(?=街道|社区|村|镇|乡|区|县|市|人大|同志|委员会|工委|党委|党工委|方案|单位"
    r"|书记|主任|代表|名|人|位|次|》))"
    rf"|(?P<empty_slot>{_EMPTY_SLOT})"
    r")"
)


# Rare first characters pass at once; the common ones (第 共 代 1 2…) only before the words that follow them.
PLACEHOLDER = opened(
    PLACEHOLDER_BODY, "*Xx×某_○□…第共合累总已办受收提走慰参出代选群居12",
    r"[*Xx×某_○□…]|(?:第|共计?|合计|累计|总计|已?办结|受理|收到|提[出交]|走访|慰问|参加|出席)[件次名位场项篇条户期批个届人]"
    r"|(?:代表|选民|群众|居民)人次|(?:19|20)[Xx×]",
)

ARTIFACT_BODY = (
    r"(?:"
    r"(?P<marker>##[A-Za-z]+##)"
    r"|(?P<mojibake>锟斤拷|烫烫烫|屯屯屯|\ufffd|鈥[溿渀攢]|銆[傘愪]|锛[屾堝])"
    r"|(?P<entity>&(?:nbsp|lt|gt|amp|quot|apos|ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|#\d{2,6}|#x[0-9A-Fa-f]{2,5});)"
    r"|(?P<tag></?(?:p|br|div|span|font|a|img|table|tbody|tr|td|th|strong|b|i|u|em|script|style|o:p|st1:\w+)\b[^<>\n]{0,200}>)"
    r"|(?P<footer>第[^\S\n]*\d+[^\S\n]*页[^\S\n]*[/,]?[^\S\n]*共[^\S\n]*\d+[^\S\n]*页"
    r"|^[^\S\n]*-[^\S\n]*\d+[^\S\n]*-[^\S\n]*$|^[^\S\n]*\d+[^\S\n]*/[^\S\n]*\d+[^\S\n]*$"
    r"|^[^\S\n]*(?:Page|page|PAGE)[^\S\n]*\d+[^\S\n]*$|^[^\S\n]*第[^\S\n]*\d+[^\S\n]*页[^\S\n]*$)"
    r"|(?P<watermark>Evaluation Warning|Created (?:with|by) \w+|本文档由.{1,20}?(?:转换|生成|提供)|"
    r"豆丁网|道客巴巴|原创力文档|百度文库|金锄头文库|人人文库|文档下载|免费下载)"
    r"|(?P<chrome>扫一扫在手机打开当前页|\[图片\]|\[打印(?:本页)?\]|\[关闭(?:窗口)?\]|【打印】|【关闭】|"
    r"返回顶部|上一篇[:：]|下一篇[:：]|字号[^\S\n]*:?[^\S\n]*大[^\S\n]*中[^\S\n]*小"
    # Editorial credits run into the last line of a text: 供稿:王某 审核:李某 校对:…
    r"|(?:供稿|审核|校对|责任编辑|责编)[^\S\n]*[:：][^\S\n]*\S{1,10}"
    r"(?:[^\S\n]+(?:供稿|审核|校对|发布|编辑)[^\S\n]*[:：][^\S\n]*\S{1,10})+"
    r"|[^\S\n]\|[^\S\n]*$)"
    # Characters a copy lost: ? for a glyph (an ASCII ?; a question mark is full-width in Chinese text),
    # pinyin glossed after a character, punctuation doubled, quotation marks mangled into '…“, 年/月 lost from
    # a date (20201229日), the brackets of a document number (政办函202135号), a figure split from its label.
    rf"|(?P<damage>(?<=[{_HAN}])\?(?=[{_HAN}])|\?{{2,}}|^\?(?=[{_HAN}])|(?<=[,;.，。、；])\?(?=[{_HAN}])"
    rf"|(?<=[{_HAN}])\?(?=[,;:.，。、；：])|(?<=[{_HAN}])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}}\))"
    r"|(?P<punctuation>[,，][,，;；。]|[;；][,，]|。[,，]|'(?=[\u4e00-\u9fff]{1,12}“))"
    r"|(?P<glyph>(?<![\d年.])(?:19|20)\d{2}(?:0[1-9]|1[0-2]|[1-9])\d{1,2}日(?=在|召开|举行|$)"
    rf"|(?<=[{_HAN}][发函字办通])(?:19|20)\d{{2}}\d{{1,3}}号"
    r"|^[^\S\n]*\d+(?:\.\d+)?[^\S\n]*$|^[^\S\n]*[。，、；：（(][^\S\n]*$"
    rf"|^[{_HAN}]{{2,16}}?(?:人民政府|人大常委会|常委会)?(?:省长|市长|区长|县长|镇长|乡长)[^\S\n]*$)"
    r")"
)
# Tried at a line's start, before a rare character, or before the words a common one begins (the commonest
# first: a comma is a third of the characters the class lets through).
ARTIFACT = opened(
    ARTIFACT_BODY, r"#锟烫屯\ufffd鈥銆锛&<\[【?'(第本豆道原百金人文免扫返上下字供审校责EC12,，;；。\s",
    r"[,，;；。][,，;；。]|人人文库|道客巴巴|19|20|上一篇|下一篇|[#锟烫屯\ufffd鈥銆锛&<\[【?'(]|第\s*\d|本文档由|豆丁网"
    r"|原创力文档|百度文库|金锄头文库|文档下载|免费下载|扫一扫|返回顶部|字号|供稿|审核|校对|责任编辑|责编|Evaluation"
    r"|Created|\s\|",
    line_starts=True,
)

# 杨园街街道 doubles 街; 粮道街街道 does not, because the street's own name ends in 街.
_STREETS_ENDING_IN_JIE = sorted(street.removesuffix("街") for street in STREETS if street.endswith("街"))
DOUBLED_STREET_BODY = "".join(f"(?<!{name})" for name in _STREETS_ENDING_IN_JIE) + "街街道"
# The same, opening on its first 街 so the engine searches for that character alone.
DOUBLED_STREET = re.compile("街" + "".join(f"(?<!{name}街)" for name in _STREETS_ENDING_IN_JIE) + "街道", re.MULTILINE)
