"""The domain: street committees and their keys, report titles and kinds, meeting lines and the terms they name.

One module that the crawler, the checks and the validators all read, so a street, a meeting or a term is
known the same way everywhere.

The same committee is written 人大紫阳街工委, 人大紫阳街道工委, 区人大紫阳街道工委, 武昌区人大常委会紫阳街道工委
and, by mistake, 人大紫阳街街道工委; all of them have the key ``紫阳``. A street whose own name ends in 街
(粮道街) keeps it: 人大粮道街道工委 and 人大粮道街街道工委 both have the key ``粮道街``.
A meeting line (``(2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上)`` or
``——2019年12月16日在…会议上``) names the congress and its term (届次); each congress's terms are data
(``crawler/data/terms.toml``), and a meeting is judged only against the terms of the congress it names.
Pure functions of strings and the shipped tables; this module must never fetch anything or read the user's
files.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import NamedTuple

# The time of the sites' dates, and of every date a report states.
CHINA = timezone(timedelta(hours=8))

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
_NAME_BODY = rf"(?:(?!人大|赋予|对|和|与|的|街道|区|市|县)[{_HAN}]){{2,4}}?"
_NAME = rf"(?P<name>{_NAME_BODY})"
_KNOWN_NAMES = sorted({street.removesuffix("街") for street in STREETS}, key=len, reverse=True)
# A template's blanked name (人大***街道工委, ××乡镇人大主席团) still makes a report title.
_BLANK = r"[*＊Xx×某]{1,6}"
# The city and district a committee may be introduced with (上海市徐汇区长桥街道人大工委).
_PLACE = rf"(?:[{_HAN}]{{2,3}}(?:省|市))?(?:[{_HAN}]{{1,4}}(?:区|县|市|旗))?"

# The lookaheads let the regex engine skip every position that cannot start a committee name.
COMMITTEE = re.compile("(?=[武区人])" + _LEAD + _NAME + _SUFFIX)
KNOWN_COMMITTEE = re.compile(
    "(?=[武区人" + "".join(sorted({name[0] for name in _KNOWN_NAMES})) + "])"
    + f"(?:{_LEAD})?(?P<name>" + "|".join(_KNOWN_NAMES) + ")" + _SUFFIX
)
# Committees that are not a street's: a town's or a township's congress (陈集镇人大主席团, 某乡人大), and a
# committee named without 街道 (容桂人大工委).
# A name with no 人大 before it starts the text, follows a place (徐汇区长桥…) or follows no Chinese character.
_STARTS = (rf"(?:(?<=[区市县省旗])|(?<![{_HAN}]))"
           r"(?!推动|组织|召开|开展|指导|支持|配合|协助|联合|督促|会同|[在由向对和与及为经据按从自给被把将是了的同跟])")
OTHER_COMMITTEE = re.compile(
    rf"{_STARTS}(?P<street>{_NAME_BODY})(?P<street_suffix>街道|街)人大工委"
    rf"|{_STARTS}(?P<name>(?:(?!人大|的|和|与|对)[{_HAN}]){{1,4}}?(?P<township>镇|乡)|{_BLANK}乡镇|{_BLANK}(?:镇|乡))"
    rf"(?P<body>人大主席团|人民代表大会主席团|人大)"
    rf"|{_STARTS}(?P<bare>(?:(?!人大|街道|的|和|与|对|区|市|县)[{_HAN}]){{2,4}}?)人大工委"
)
_COMMITTEE_TITLE = (
    rf"(?:{_LEAD}|(?:武汉市)?(?:武昌区)?|{_PLACE})(?P<name>{_NAME_BODY}|{_BLANK}){_SUFFIX}"
    rf"|{_PLACE}(?P<other>(?:(?!人大)[{_HAN}*＊×Xx]){{1,6}}?(?:人大主席团|人大工委|人大))"
)
_YEAR_WORDS = r"(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})"
_PERIOD = r"(?P<period>上半年|下半年|半年|阶段性|第[一二三四]季度|前三季度|1-6月|一至六月)"
REPORT_TITLE = re.compile(
    rf"^(?:{_COMMITTEE_TITLE})\s*(?:{_YEAR_WORDS}\s*年?(?:度)?)?\s*{_PERIOD}?\s*的?(?:工作)?"
    r"(?:情况)?(?:报告|总结|总结报告|工作报告)\s*$"
)
_TITLE_ENDS = ("报告", "总结")  # what every REPORT_TITLE ends in
TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年|([〇○零一二三四五六七八九]{4})\s*年")
# What a title or the first lines of a text say a government's or a standing committee's report is.
GOVERNMENT_REPORT = re.compile(
    r"(?:政府|人民政府|人大常委会|人大常务委员会|常委会|常务委员会|法院|检察院)(?:的)?(?:\d{4}年)?(?:工作)?(?:情况)?"
    r"(?:的)?(?:书面)?报告|我代表[\u4e00-\u9fff]{0,12}(?:人民政府|常务委员会|常委会)[\u4e00-\u9fff]{0,6}报告"
    r"|现将[\u4e00-\u9fff]{0,12}(?:常委会|常务委员会|政府)[\u4e00-\u9fff]{0,20}报告"
)
TEMPLATE_TITLE = re.compile(r"范文|模板|模版|范本|样本|样稿|参考文本")
# An article is about a street's (a town's…) congress work: its deputies, their elections, its committee.
CONGRESS_WORDS = re.compile(r"人大|代表|选民|换届选举|人民代表大会|主席团")
LOCAL_PLACE = re.compile(rf"[{_HAN}]{{2,4}}(?:街道|街(?!道)|镇|乡|社区)")
_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")

KINDS = ("report", "half-year", "gov-report", "template", "article", "other")
"""The kinds of document wrqa tells apart: a street committee's (or a township congress's) annual report,
its half-year or interim report, a government's or a standing committee's work report, a template with the
names blanked, an article about a committee or its deputies, and anything else."""


def street_key(name: str, suffix: str = "街道") -> str:
    """The canonical key of a street written as ``name`` followed by ``suffix`` (街, 街道 or 街街道)."""
    for street in STREETS:
        if name == street or name + "街" == street:
            return street
    return name


def committee_key(text: str) -> str | None:
    """The key of the first committee named in ``text`` (a street's, a town's, a township's), or None.

    Wuchang's streets have their bare names (``紫阳``); a street elsewhere the name before 街道 (``长桥``),
    a town or township its name with 镇/乡 (``陈集镇``), a committee named without 街道 its name (``容桂``).
    A blanked name (人大***街道工委) is no committee.
    """
    street = KNOWN_COMMITTEE.search(text) or COMMITTEE.search(text)
    other = OTHER_COMMITTEE.search(text)
    if street and (other is None or street.start() <= other.end()):
        return None if re.fullmatch(_BLANK, street["name"]) else street_key(street["name"], street["suffix"])
    if other is None:
        return None
    if other["street"]:
        return street_key(other["street"], other["street_suffix"])
    name = other["name"] or other["bare"]
    return None if re.search(_BLANK, name) else name


def is_doubled_street(name: str, suffix: str) -> bool:
    """Whether ``name`` + ``suffix`` doubles 街 by mistake (杨园街街道, but not 粮道街街道)."""
    return suffix == "街街道" and name + "街" not in STREETS


def report_title(title: str) -> re.Match[str] | None:
    """The match of ``title`` against the title of a committee's report (annual, half-year, a template's), or None."""
    title = title.strip()
    # Every such title ends in 报告 or 总结: the lines of a text, which do not, are passed over without the pattern.
    return REPORT_TITLE.match(title) if title.endswith(_TITLE_ENDS) else None


def title_year(title: str) -> int | None:
    """The first plausible year (19xx/20xx年, or 二〇二二年 in Chinese numerals) in ``title``, or None."""
    match = TITLE_YEAR.search(title)
    if not match:
        return None
    year = int(match[1] or match[2].translate(_CHINESE_DIGITS))
    return year if 1900 <= year <= 2100 else None


def document_kind(title: str, author: str | None = None, head: str = "") -> str:
    """The kind of a document (one of ``KINDS``), from its title, its author line and its first lines.

    A committee's report is recognised by its title; where an author line is known it must name the same
    committee, because other committee documents share the salutation and the report words. A title with
    its names blanked and no year, or calling itself a model text (范文, 模板), is a ``template``; a report of
    half a year or a stage is a ``half-year``; an annual report states its year (a clerk's report whose
    street was left blank, 人大***街道工委2022年工作报告, is a report with a placeholder in it).
    """
    match = report_title(title)
    if match:
        name = match["name"] or match["other"] or ""
        blank = re.search(_BLANK, name)
        # A model text has no year of its own; a clerk's report with its street left blank has one.
        if TEMPLATE_TITLE.search(title) or (blank and not match["year"]):
            return "template"
        if match["period"]:
            return "half-year"
        if match["name"] and not blank:
            key = street_key(match["name"], match["suffix"])
            if author is not None and committee_key(author) != key:
                return "other"
        if blank and author is not None and not re.search(_BLANK, author):
            return "other"
        return "report" if match["year"] else "other"
    if TEMPLATE_TITLE.search(title) and (COMMITTEE.search(title) or OTHER_COMMITTEE.search(title) or "人大" in title):
        return "template"
    if GOVERNMENT_REPORT.search(title) or (head and GOVERNMENT_REPORT.search(head) and "各位代表" in head):
        return "gov-report"
    if COMMITTEE.search(title) or KNOWN_COMMITTEE.search(title) or OTHER_COMMITTEE.search(title) \
            or (CONGRESS_WORDS.search(title) and LOCAL_PLACE.search(title)):
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
# A place's last unit below a province, a city, a prefecture or a league: 湖北省武汉市武昌区 → 武昌区, 仙桃市.
# A unit's name holds no 省, 市, 州 or 盟, so there is one way to cut a place into units: linear time.
_UNIT = rf"(?:(?![省市州盟])[{_HAN}])+"
_DISTRICT = re.compile(rf"(?:{_UNIT}(?:省|自治区|市|州|盟))*(?P<district>{_UNIT}(?:区|县|旗)|{_UNIT}市)")
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
    found = _meeting_line(lines)
    if found is None:
        return Meeting(None, None, None, 0, [])
    match, joined, count = found
    session = _SESSION.search(match["where"])
    day, warnings = _meeting_day(int(match["year"]), match["rest"], published, joined)
    return Meeting(day, session[0] if session else None, congress_of(match["where"]), count, warnings)


def _meeting_line(lines: Sequence[str]) -> tuple[re.Match[str], str, int] | None:
    """The match of the meeting line among the first lines, the line (two joined when it is split) and how
    many lines it takes; None when there is none."""
    for index, line in enumerate(lines[:4]):
        candidates = [(line, 1)]
        if _MEETING_HEAD.match(line) and "会议上" not in line and index + 1 < len(lines):
            candidates.insert(0, (line + lines[index + 1], 2))
        for joined, count in candidates:
            match = _MEETING.match(joined.replace(" ", ""))
            if match:
                return match, joined, count
    return None


def district_of(title: str, lines: Sequence[str]) -> str | None:
    """The district (county, county-level city, banner) a report names itself of, as its last unit
    (``武昌区``): the congress its meeting line names (在武汉市武昌区第十五届人大常委会…), else the place its title
    puts before the committee (武昌区紫阳街道人大工委…, 上海市徐汇区长桥街道…); None when it names neither (区人大…).
    Two committees of one name in two districts are told apart by it."""
    found = _meeting_line(lines)
    congress = _CONGRESS.match(found[0]["where"]) if found else None
    places = [congress["congress"]] if congress else []
    titled = report_title(title)
    if titled is not None:
        start = titled.start("name") if titled["name"] is not None else titled.start("other")
        places.append(re.sub(r"人大(?:常委会)?$", "", titled.string[:start]))
    for place in places:
        match = _DISTRICT.fullmatch(place)
        if match:
            return match["district"]
    return None


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


# --- a street's article, told by its words when its title does not name the committee -----------------

# A street written with its suffix (南湖街, 首义路街道): one of the district's 14 by name; on the provincial site any
# street, led by its district (洪山区珞南街道) or followed by its congress (珞南街道人大代表), so a verb before
# 街道 (完成街道…) is no street.
_KNOWN_STREET = re.compile(f"(?P<name>{'|'.join(_KNOWN_NAMES)})(?:街道|街)")
# Verbs _STARTS lets through that run into 街道 in news (完成街道人大代表补选).
_NOT_A_STREET = r"(?!完成|做好|加强|推进|健全|深化|指导)"
_ANY_STREET = re.compile(rf"(?<=[区市县])(?P<name>{_NAME_BODY})(?:街道|街(?![道区头巷]))"
                         rf"|{_STARTS}{_NOT_A_STREET}(?P<near>{_NAME_BODY})(?:街道|街)(?=人大)")
DEPUTY_WORDS = re.compile(r"人大|代表|工委")
HEAD_PARAGRAPHS = 3
"""How many first paragraphs of a body are read, with the title, to tell whose article it is."""


def street_of(text: str, anywhere: bool = False) -> str | None:
    """The key of the first street ``text`` names: one of ``STREETS`` (written 积玉桥, 积玉桥街 or 积玉桥街道), or,
    ``anywhere``, any ``X街道``/``X街``; None when it names none."""
    known = _KNOWN_STREET.search(text)
    if known:
        return street_key(known["name"])
    found = _ANY_STREET.search(text) if anywhere else None
    return street_key(found["name"] or found["near"]) if found else None


def street_article(title: str, paragraphs: Sequence[str], anywhere: bool = False) -> str | None:
    """The street whose congress work a page is about: the key of the committee or street its title or first
    ``HEAD_PARAGRAPHS`` paragraphs name, when they also speak of 人大, 代表 or 工委; None when they do not."""
    head = "\n".join((title, *paragraphs[:HEAD_PARAGRAPHS]))
    if not DEPUTY_WORDS.search(head):
        return None
    return committee_key(head) or street_of(head, anywhere)
