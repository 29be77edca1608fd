"""The domain: street committees and their keys, report titles and kinds, meeting lines and the terms they name.

One module that the crawler, the checks and the validators all read, so a street, a meeting or a term is
known the same way everywhere.

The same committee is written 人大紫阳街工委, 人大紫阳街道工委, 区人大紫阳街道工委, 武昌区人大常委会紫阳街道工委
and, by mistake, 人大紫阳街街道工委; all of them have the key ``紫阳``. A street whose own name ends in 街
(粮道街) keeps it: 人大粮道街道工委 and 人大粮道街街道工委 both have the key ``粮道街``.
A meeting line (``(2018年12月25日在武汉市武昌区第十五届人大常委会第16次会议上)`` or ``——2019年12月16日在…会议上``)
names the congress and its term (届次); each congress's terms are data (``crawler/data/terms.toml``), and a
meeting is judged only against the terms of the congress it names. Pure functions of strings and the
shipped tables; this module must never fetch anything or read the user's files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

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


# --- meetings and terms -------------------------------------------------------------------------------

# The meeting a report was heard at: (2018年12月25日在…第十五届…会议上) or ——2019年12月16日在…会议上;
# Word exports lose glyphs (——20201126日), so the month and day may run together.
_MEETING = re.compile(
    r"^[（(]?\s*[—－-]*\s*(?P<year>\d{4})\s*年?\s*(?P<rest>\d{1,2}\s*月?\s*\d{1,2}|\d{2,4})\s*日\s*在"
    r"(?P<where>.*?会议上)\s*[)）]?$"
)
_SESSION = re.compile(r"第[一二三四五六七八九十\d]+届")
_MEETING_HEAD = re.compile(r"^[（(]?\s*[—－-]*\s*\d{4}\s*年?[\d\s月]*日?\s*在")
# A meeting line of either style, for pointing a finding at it; ``meeting_of`` reads it.
MEETING_LINE = re.compile(r"^[^\n]*?\d{4}[^\n]{0,12}?日\s*在[^\n]*?会议上[^\n]*$", re.MULTILINE)
_CONGRESS = re.compile(r"^(?P<congress>.*?)第[一二三四五六七八九十\d]+届")
TERMS_FILE = Path(__file__).with_name("data") / "terms.toml"


class Meeting(NamedTuple):
    """The meeting a report was heard at, as its first lines state it: the day, the 届次 (``第十五届``), the
    congress it names (a key of the term table, or None), how many lines the meeting line takes (0 when none),
    and what could not be read with confidence."""

    day: date | None
    session: str | None
    congress: str | None
    lines: int
    warnings: list[str]


def meeting_of(lines: list[str], published: datetime | None) -> Meeting:
    """The meeting stated in the first lines of a body. A line split in two is read as one; the dash bullets
    the bodies also use are not taken for a meeting line because it is anchored on 在…会议上."""
    for index, line in enumerate(lines[:4]):
        candidates = [(line, 1)]
        if _MEETING_HEAD.match(line) and "会议上" not in line and index + 1 < len(lines):
            candidates.insert(0, (line + lines[index + 1], 2))
        for joined, count in candidates:
            match = _MEETING.match(joined.replace(" ", ""))
            if match:
                session = _SESSION.search(match["where"])
                day, warnings = _meeting_day(int(match["year"]), match["rest"], published, joined)
                return Meeting(day, session[0] if session else None, congress_of(match["where"]), count, warnings)
    return Meeting(None, None, None, 0, [])


def _meeting_day(
    year: int, rest: str, published: datetime | None, line: str
) -> tuple[date | None, list[str]]:
    rest = rest.replace(" ", "")
    if "月" in rest:
        month, day = rest.split("月")
        options = [(int(month), int(day))]
    else:  # lost glyphs: 1126 is 11-26; 123 may be 1-23 or 12-3
        options = [(int(rest[:cut]), int(rest[cut:])) for cut in (1, 2) if 0 < cut < len(rest) <= cut + 2]
    dates = []
    for month, day in options:
        try:
            dates.append(date(year, month, day))
        except ValueError:
            continue
    if not dates:
        return None, [f"Meeting date in {line!r} is not a valid date; expected YYYY年M月D日"]
    if len(dates) == 1:
        return dates[0], []
    # A report is heard before it is published: take the latest reading not after the publish date.
    before = [d for d in dates if published is None or d <= published.date()]
    if before and published is not None:
        return max(before), []
    return None, [f"Meeting date in {line!r} lost its 年/月 and reads as {' or '.join(map(str, dates))}"]


def congress_of(where: str) -> str | None:
    """The congress a meeting line's place names, by the key of its term table (``武昌区``), or None.

    ``武汉市武昌区第十五届人大常委会第16次会议`` → ``武昌区``; a congress with no table (the province's) → None.
    """
    match = _CONGRESS.match(where)
    if not match:
        return None
    named = match["congress"]
    return next((key for key, congress in congresses().items() if any(name in named for name in congress.names)),
                None)


@dataclass(frozen=True)
class Congress:
    """A people's congress whose terms are known: the names a meeting line gives it, and each term's first and
    last day, by its 届次 (``第十五届``)."""

    names: tuple[str, ...]
    terms: dict[str, tuple[date, date]]


@cache
def congresses() -> dict[str, Congress]:
    """The shipped table of congresses and their terms (``crawler/data/terms.toml``), by key."""
    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    return {key: Congress(tuple(table["names"]), {term["session"]: (term["start"], term["end"])
                                                  for term in table["terms"]})
            for key, table in data["congress"].items()}


def term(congress: str | None, session: str | None) -> tuple[date, date] | None:
    """The first and last day of ``session`` (第十五届) of ``congress`` (a key of the table), when both are known."""
    known = congresses().get(congress or "")
    return known.terms.get(session or "") if known else None
