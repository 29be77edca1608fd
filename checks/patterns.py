"""The patterns of the text rules: what a placeholder, an artifact or a doubled 街 looks like.

Each alternative is a named group, so a mark can say which kind of placeholder or artifact it is.
Lines are normalized before they are matched: full-width ASCII is already half-width (＊ → *, Ｘ → X).
Each pattern runs once per line (``checks.marks``); the engines judge the counts it leaves in the frames.
"""

from __future__ import annotations

import re

from crawler.domain import STREETS

# Each pattern opens with a lookahead of the characters its alternatives can start with: Python's re
# then skips most positions at once instead of trying every alternative there (ten times faster).
PLACEHOLDER = re.compile(
    r"(?=[*Xx×某_○□12])(?:"
    r"(?P<stars>\*+)"
    r"|(?P<x_date>(?<![A-Za-z])[Xx×]{1,2}\s*[月日号](?:\s*[Xx×]{1,2}\s*[日号])?)"
    r"|(?P<x_year>(?<![A-Za-z])(?:19|20)?[Xx×]{2}\s*年)"
    r"|(?P<xx>(?<![A-Za-z])[Xx]{2,}(?![A-Za-z]))"
    r"|(?P<times>(?<![\d.])×{2,}(?![\d.]))"
    r"|(?P<mou>某某)"
    r"|(?P<blank>_{3,}|[○□]{2,})"
    r")"
)

ARTIFACT = re.compile(
    r"(?=[#锟烫屯\ufffd鈥銆锛&<第\-\d\sEC本豆道原百金人文免扫\[【返上下字?(])(?:"
    r"(?P<marker>##[A-Za-z]+##)"
    r"|(?P<mojibake>锟斤拷|烫烫烫|屯屯屯|\ufffd|鈥[溿渀攢]|銆[傘愪]|锛[屾堝])"
    r"|(?P<entity>&(?:nbsp|lt|gt|amp|quot|apos|ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|#\d{2,6}|#x[0-9A-Fa-f]{2,5});)"
    r"|(?P<tag></?(?:p|br|div|span|font|a|img|table|tbody|tr|td|th|strong|b|i|u|em|script|style|o:p|st1:\w+)\b[^<>]{0,200}>)"
    r"|(?P<footer>第\s*\d+\s*页\s*[/,]?\s*共\s*\d+\s*页|^\s*-\s*\d+\s*-\s*$|^\s*\d+\s*/\s*\d+\s*$)"
    r"|(?P<watermark>Evaluation Warning|Created (?:with|by) \w+|本文档由.{1,20}?(?:转换|生成|提供)|"
    r"豆丁网|道客巴巴|原创力文档|百度文库|金锄头文库|人人文库|文档下载|免费下载)"
    r"|(?P<chrome>扫一扫在手机打开当前页|\[图片\]|\[打印(?:本页)?\]|\[关闭(?:窗口)?\]|【打印】|【关闭】|"
    r"返回顶部|上一篇[:：]|下一篇[:：]|字号\s*:?\s*大\s*中\s*小)"
    r"|(?P<damage>(?<=[\u4e00-\u9fff])\?(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\))"
    r")"
)

# 杨园街街道 doubles 街; 粮道街街道 does not, because the street's own name ends in 街.
_STREETS_ENDING_IN_JIE = sorted(street.removesuffix("街") for street in STREETS if street.endswith("街"))
DOUBLED_STREET = re.compile("(?=街街道)" + "".join(f"(?<!{name})" for name in _STREETS_ENDING_IN_JIE) + "街街道")
