"""Street committees: canonical keys, title patterns, and what kind of document a title announces.

The same committee is written 人大紫阳街工委, 人大紫阳街道工委, 区人大紫阳街道工委, 武昌区人大常委会紫阳街道工委
and, by mistake, 人大紫阳街街道工委; all of them have the key ``紫阳``. A street whose own name ends in 街
(粮道街) keeps it: 人大粮道街道工委 and 人大粮道街街道工委 both have the key ``粮道街``.
Pure functions of strings; this module must never read files or the network.
"""

from __future__ import annotations

import re

# The 14 streets of 武昌区, as sites.md lists them; a street elsewhere still gets a key from the pattern.
STREETS = (
    "积玉桥", "杨园", "徐家棚", "粮道街", "中华路", "黄鹤楼", "紫阳",
    "白沙洲", "首义路", "中南路", "水果湖", "珞珈山", "石洞", "南湖",
)

_HAN = r"\u4e00-\u9fff"
_LEAD = r"(?:武汉市)?(?:武昌区|区)?(?P<lead>人大)(?:常委会)?"
# 人大 is said once, before the street (人大紫阳街道工委) or before 工委 (紫阳街道人大工委), or both.
_SUFFIX = r"(?P<suffix>街街道|街道|街)(?(lead)(?:人大)?|人大)工委"
# A name may not swallow the words that precede a committee in running text (人大赋予人大街道工委).
_NAME_BODY = rf"(?:(?!人大|赋予|对|和|与|的)[{_HAN}]){{2,4}}?"
_NAME = rf"(?P<name>{_NAME_BODY})"
_KNOWN_NAMES = sorted({street.removesuffix("街") for street in STREETS}, key=len, reverse=True)
# A template's blanked street (人大***街道工委) still makes a report title.
_BLANK = r"[*＊Xx×某]{1,6}"

# The lookaheads let the regex engine skip every position that cannot start a committee name.
COMMITTEE = re.compile("(?=[武区人])" + _LEAD + _NAME + _SUFFIX)
KNOWN_COMMITTEE = re.compile(
    "(?=[武区人" + "".join(sorted({name[0] for name in _KNOWN_NAMES})) + "])"
    + f"(?:{_LEAD})?(?P<name>" + "|".join(_KNOWN_NAMES) + ")" + _SUFFIX
)
REPORT_TITLE = re.compile(
    rf"^(?:{_LEAD}|(?:武汉市)?(?:武昌区)?)(?P<name>{_NAME_BODY}|{_BLANK}){_SUFFIX}"
    r"\s*(?P<year>\d{4})\s*年(?:度)?(?:工作)?(?:报告|总结)\s*$"
)
TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def street_key(name: str, suffix: str = "街道") -> str:
    """The canonical key of a street written as ``name`` followed by ``suffix`` (街, 街道 or 街街道)."""
    for street in STREETS:
        if name == street or name + "街" == street:
            return street
    return name


def committee_key(text: str) -> str | None:
    """The key of the first street committee named in ``text``, or None when none is named."""
    match = KNOWN_COMMITTEE.search(text) or COMMITTEE.search(text)
    return street_key(match["name"], match["suffix"]) if match else None


def is_doubled_street(name: str, suffix: str) -> bool:
    """Whether ``name`` + ``suffix`` doubles 街 by mistake (杨园街街道, but not 粮道街街道)."""
    return suffix == "街街道" and name + "街" not in STREETS


def report_title(title: str) -> re.Match[str] | None:
    """The match of ``title`` against the formal annual report title pattern, or None."""
    return REPORT_TITLE.match(title.strip())


def title_year(title: str) -> int | None:
    """The first plausible year (19xx/20xx followed by 年) in ``title``, or None."""
    match = TITLE_YEAR.search(title)
    return int(match[1]) if match else None


def document_kind(title: str, author: str | None = None) -> str:
    """``report`` for a committee's formal annual report, ``article`` for other writing about one, else ``other``.

    A report is recognised by its title pattern; where an author line is known it must name the same
    committee, because other committee documents share the salutation and the report words.
    """
    match = report_title(title)
    if match:
        blank = re.fullmatch(_BLANK, match["name"])
        key = None if blank else street_key(match["name"], match["suffix"])
        if author is None or committee_key(author) == key:
            return "report"
        return "other"
    if COMMITTEE.search(title) or KNOWN_COMMITTEE.search(title):
        return "article"
    return "other"
