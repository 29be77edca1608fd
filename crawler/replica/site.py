"""The content of the replica sites: which articles exist, at which URLs, and how each page is written.

Built from the texts in ``data/`` (cut from the seed texts), with every quirk of the real sites:
Epoint list pages ``/{col}/{cat}/N.html`` with a ``1/N`` pager, three URL forms (one with a double
slash), date folders that are not the publish date, Word-exported bodies with ``<o:p>``, MsoNormal
spans and ``<st1:chsdate>`` tags, lost 年/月 glyphs, both meeting-line styles (one split over two
lines), reports mixed with other committee documents and activity news, one report published with its
template's blanks (人大***街道工委, 组织完成*位代表) and a rate over 100%; the PHPCMS provincial site's
``list.php?catid=N&page=P``, ``/{yyyy}/{mmdd}/{id}.html`` with a ``{id}_2.html`` continuation, ``#endtext``,
the fixed breadcrumb, full-width punctuation and missing or wrong charset headers on UTF-8 bytes.

Each ``Article`` carries the fields an adapter must read off its page (``expected``), so tests compare
what the adapter extracts with what the replica wrote. Pure functions of the data files.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
CHINA = timezone(timedelta(hours=8))
EPOINT_PAGE_SIZE = 5
HPPC_PAGE_SIZE = 4
SALUTATION = "主任、副主任、各位委员："  # as the seed copy words it; the attachments open with it too


@dataclass(frozen=True)
class Attachment:
    """A file an article links: the href as written (a path, a download script, or another host's URL), the
    words of the link (the file's name, as the paragraph holding it shows it), and the file of ``data/`` it
    serves (None on another host: never served, never fetched)."""

    href: str
    name: str
    file: str | None


@dataclass(frozen=True)
class Article:
    """One article page of a replica site.

    path: the URL path as linked (legacy pages keep their double slash); list: the list it is linked from;
    title, published: as the page states them; paragraphs: the body as a reader sees it, without chrome;
    meeting: the meeting line(s) as written; author: the author line; layout: how the body is written
    (``word``, ``plain``, ``unknown`` for a page the adapter must not recognise);
    parts: the page's body split over ``{id}.html``, ``{id}_2.html``…; captions: image captions;
    byline, editor: the provincial site's trailing byline and 责任编辑 footer;
    charset_header: the Content-Type the server sends; expected: the fields an adapter must extract;
    aliases: other hrefs its list shows for it, after the first (the same link written other ways, or links
    that lead nowhere, such as ``javascript:``), each on an item of its own.
    attachments: the files its body links (附件：…), each named in one of its paragraphs.
    street: the street its words name when its title names no committee: the crawl keeps it as that street's
    article (``crawler.domain.street_article``).
    """

    path: str
    list: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    meeting: tuple[str, ...] = ()
    author: str | None = None
    salutation: bool = False
    layout: str = "word"
    parts: int = 1
    captions: dict[int, str] = field(default_factory=dict)
    byline: str = ""
    editor: str = ""
    charset_header: str = "text/html; charset=utf-8"
    expected: dict = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    street: str | None = None


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _uuid(title: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, title))


# (street file, title as published, meeting-line style, publish day in January 2023)
_REPORTS_2022 = (
    ("杨园", "人大杨园街道工委2022年工作报告", "paren", 5),
    ("徐家棚", "区人大徐家棚街道工委2022年工作报告", "dash", 5),
    ("积玉桥", "武昌区人大积玉桥街道工委2022年工作报告", "split", 6),
    ("中华路", "人大中华路街道工委2022年工作报告", "lost", 6),
    ("粮道", "人大粮道街街道工委2022年工作报告", "paren", 9),
    ("黄鹤楼", "人大黄鹤楼街道工委2022年工作报告", "dash", 9),
    ("紫阳", "人大紫阳街道工委2022年工作报告", "split", 10),
    ("白沙洲", "人大白沙洲街道工委2022年工作报告", "lost", 10),
    ("首义路", "人大首义路街道工委2022年工作报告", "paren", 11),
    ("中南路", "人大中南路街道工委2022年工作报告", "dash", 11),
    ("水果湖", "人大水果湖街道工委2022年工作报告", "paren", 12),
    ("珞珈山", "人大珞珈山街道工委2022年工作报告", "dash", 12),
    ("南湖", "人大南湖街道工委2022年工作报告", "split", 13),
    # Not in the volume: a report published with the blanks of the template it was written from still in it
    # (sites.md §4) and a rate over 100%, so that the demo shows what the tool is for.
    ("石洞", "人大石洞街道工委2022年工作报告", "paren", 16),
)
_KEYS = {"粮道": "粮道街"}


def _meeting(style: str, day: date, term: str, number: str) -> tuple[str, ...]:
    where = f"在武汉市武昌区{term}人大常委会{number}会议上"
    if style == "paren":
        return (f"（{day.year}年{day.month}月{day.day}日{where}）",)
    if style == "dash":
        return (f"——{day.year}年{day.month}月{day.day}日{where}",)
    if style == "split":
        return (f"——{day.year}年{day.month}月{day.day}日在武汉市武昌区", f"{term}人大常委会{number}会议上")
    return (f"——{day.year}{day.month}{day.day}日{where}",)  # Word export lost the 年 and 月 glyphs


def _report(
    title: str,
    body: list[str],
    published: datetime,
    folder: str,
    meeting: tuple[str, ...],
    meeting_day: date,
    term: str,
    author: str,
    committee: str,
    year: int,
    path: str = "",
) -> Article:
    return Article(
        path=path or f"/zyfb/003005/{folder}/{_uuid(title)}.html",
        list="003005",
        title=title,
        published=published,
        paragraphs=tuple(body),
        meeting=meeting,
        author=author,
        salutation=True,
        expected=dict(
            title=title,
            published_at=published,
            committee=committee,
            year=year,
            kind="report",
            meeting_date=meeting_day,
            session=term,
            author=author,
            category="003005",
        ),
    )


@cache
def epoint_articles() -> tuple[Article, ...]:
    """The district site's articles, newest first, as its lists show them."""
    articles = []
    meeting_day = date(2022, 12, 27)
    for street, title, style, day in _REPORTS_2022:
        lines = _lines(f"2022-{street}.txt")
        published = datetime(2023, 1, day, 9, 30, tzinfo=CHINA)
        author = title.removesuffix("2022年工作报告")
        articles.append(
            _report(
                title,
                lines[1:],
                published,
                f"202301{day + 2:02d}",
                _meeting(style, meeting_day, "第十六届", "第九次"),
                meeting_day,
                "第十六届",
                author,
                _KEYS.get(street, street),
                2022,
            )
        )
    ziyang = _lines("2018-紫阳.txt")
    articles.append(
        _report(
            ziyang[0],
            ziyang[4:],
            datetime(2018, 12, 27, 15, 41, tzinfo=CHINA),
            "",
            ("（2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上）",),
            date(2018, 12, 25),
            "第十五届",
            ziyang[2],
            "紫阳",
            2018,
            path="/zyfb/003005/20190531/bd41259e-860a-4f08-81e1-a8a0d2257ca8.html",
        )
    )
    # A migrated 2016 page under its legacy numeric id, with the double slash of the migration.
    legacy_body = [
        line.replace("紫阳", "中南路").replace("2019", "2017").replace("2018", "2016") for line in ziyang[4:12]
    ]
    articles.append(
        _report(
            "人大中南路街工委2016年工作报告",
            legacy_body,
            datetime(2017, 1, 4, 10, 2, tzinfo=CHINA),
            "",
            ("——2016123日在武汉市武昌区第十五届人大常委会第二次会议上",),
            date(2016, 12, 3),
            "第十五届",
            "人大中南路街工委",
            "中南路",
            2016,
            path="/zyfb/003005//1818808.html",
        )
    )
    others = (
        ("武昌区人大常委会关于区人民政府2022年度财政预算执行情况的审议意见", "20230104", date(2023, 1, 3)),
        ("武昌区人大常委会2023年工作要点", "20230216", date(2023, 2, 15)),
        ("关于街道工委工作情况的调研报告", "20230220", date(2023, 2, 17)),
    )
    for title, folder, day in others:
        published = datetime(day.year, day.month, day.day, 16, 0, tzinfo=CHINA)
        articles.append(
            Article(
                path=f"/zyfb/003005/{folder}/{_uuid(title)}.html",
                list="003005",
                title=title,
                published=published,
                paragraphs=tuple(_lines("2022-杨园.txt")[20:23]),
                salutation=True,
                expected=dict(
                    title=title,
                    published_at=published,
                    committee=None,
                    year=2023 if "2023" in title else 2022 if "2022" in title else None,
                    kind="other",
                    meeting_date=None,
                    session=None,
                    author=None,
                    category="003005",
                ),
            )
        )
    news = (
        (
            "人大紫阳街道工委组织代表回选区述职",
            "/dbgz/004002/20230301/{}.html",
            "紫阳",
            "plain",
            "2022-紫阳.txt",
        ),
        (
            "人大水果湖街道工委开展代表统一活动日",
            "/rdxw/20230217/{}.html",
            "水果湖",
            "plain",
            "2022-水果湖.txt",
        ),
        (
            "武昌区人大积玉桥街道工委听取存在问题整改情况汇报",
            "/dbgz/004002/20230305/{}.html",
            "积玉桥",
            "word",
            "2022-积玉桥.txt",
        ),
        (
            "人大石洞街道工委开展代表履职培训",
            "/dbgz/004002/20230310/{}.html",
            "石洞",
            "unknown",
            "2022-南湖.txt",
        ),
        ("区人大常委会机关开展植树活动", "/dbgz/004002/20230312/{}.html", None, "plain", "2022-杨园.txt"),
        ("区人大首义路街道工委代表述职活动", "/tz/20230315/{}.html", "首义路", "plain", "2022-首义路.txt"),
    )
    for index, (title, pattern, committee, layout, source) in enumerate(news):
        published = datetime(2023, 3, 1 + index * 3, 11, 20, tzinfo=CHINA)
        body = tuple(_lines(source)[3:6])
        articles.append(
            Article(
                path=pattern.format(_uuid(title)),
                list="004002",
                title=title,
                published=published,
                paragraphs=body,
                layout=layout,
                # Activity news carries a photo with its caption on a line of its own.
                captions={1: f"{committee}街道代表活动现场"} if committee else {},
                expected=dict(
                    title=title,
                    published_at=None if layout == "unknown" else published,
                    committee=committee,
                    year=None,
                    kind="article" if committee else "other",
                    meeting_date=None,
                    session=None,
                    author=None,
                    category="004002",
                ),
            )
        )
    return tuple(sorted(articles, key=lambda a: a.published, reverse=True))


@cache
def hppc_articles() -> tuple[Article, ...]:
    """The provincial site's articles, newest first, with ids increasing with the publish time."""
    source = _lines("hppc-2024-徐家棚.txt")
    title, lines = source[0], source[1:]
    editor = lines.pop().split("：", 1)[1]
    last, byline = lines[-1].rsplit("（", 1)
    lines[-1] = last
    byline = "（" + byline
    body, captions = [], {}
    for line in lines:
        if line.startswith("@img "):
            captions[len(body)] = line.removeprefix("@img ")
        else:
            body.append(line)
    made = []
    stories = (
        (title, "徐家棚", datetime(2024, 1, 3, 10, 58, tzinfo=CHINA), 2, "text/html"),
        (
            title.replace("徐家棚", "紫阳"),
            "紫阳",
            datetime(2023, 11, 20, 9, 12, tzinfo=CHINA),
            1,
            "text/html; charset=gbk",
        ),
        (
            title.replace("徐家棚", "南湖"),
            "南湖",
            datetime(2023, 9, 8, 15, 30, tzinfo=CHINA),
            1,
            "text/html; charset=utf-8",
        ),
        ("湖北省人大常委会召开党组会议", None, datetime(2023, 8, 1, 8, 45, tzinfo=CHINA), 1, "text/html"),
        (title.replace("徐家棚", "杨园"), "杨园", datetime(2023, 6, 30, 17, 5, tzinfo=CHINA), 1, "text/html"),
        ("全省人大代表工作会议在汉召开", None, datetime(2023, 5, 6, 10, 0, tzinfo=CHINA), 1, "text/html"),
    )
    for index, (story_title, street, published, parts, header) in enumerate(stories):
        number = 53521 - index * 97
        paragraphs = [p.replace("徐家棚", street) for p in body] if street else PROVINCE_NEWS
        made.append(
            Article(
                path=f"/{published:%Y}/{published:%m%d}/{number}.html",
                list="8",
                title=story_title,
                published=published,
                paragraphs=tuple(paragraphs),
                layout="plain",
                parts=parts,
                captions={k: v.replace("徐家棚", street) for k, v in captions.items()} if street else {},
                byline=byline,
                editor=editor,
                charset_header=header,
                expected=dict(
                    title=story_title,
                    published_at=published,
                    committee=street,
                    year=None,
                    kind="article" if street else "other",
                    meeting_date=None,
                    session=None,
                    author=None,
                    category="8",
                ),
            )
        )
    return tuple(made)


# Activity news whose title does not name the committee: a street with 街, a street with 街道, and no street at all
# (the street only in the body). Written for the replica in the style of the district's news.
_STREET_NEWS = (
    ("积玉桥街组织区人大代表开展“回选区、听民声”活动", "20230221", "积玉桥", (
        "近日，积玉桥街组织辖区区人大代表回到原选区，走进社区听取居民对老旧小区改造、停车难等问题的意见和建议。",
        "活动中，代表们与居民面对面交流，逐条记录群众反映的问题，现场能解答的当场解答，需要协调的及时转交相关部门办理。",
        "下一步，街道将持续跟踪问题办理进度，推动群众关心的事项落地见效。",
    )),
    ("黄鹤楼街道组织区人大代表视察老旧小区改造项目", "20230224", "黄鹤楼", (
        "为推动老旧小区改造工作提质增效，黄鹤楼街道组织部分区人大代表对辖区老旧小区改造项目开展专题视察。",
        "代表们实地察看了管网改造、外立面整治和公共空间提升等工程，听取了项目推进情况汇报，并围绕施工安全、居民意见收集等提出建议。",
        "街道表示将认真梳理代表建议，督促施工单位加快进度，确保改造工程惠及更多居民。",
    )),
    ("区人大代表进社区 “家门口”接待选民听民声", "20230227", "白沙洲", (
        "日前，白沙洲街道组织辖区区人大代表走进社区代表联络点，开展集中接待选民活动。",
        "接待中，代表们认真倾听居民关于社区养老、道路照明等方面的诉求，详细记录并逐一答复，对需要部门协调解决的问题形成建议转交办理。",
        "通过“家门口”的接待，选民有了反映问题的便捷渠道，代表履职也更加贴近群众。",
    )),
)
# News of the district's deputies that names no street, under a title that reads like a street's (进社区).
DISTRICT_NEWS = (
    "近日，区人大常委会组织部分区人大代表走进社区，开展民法典普法宣传活动。",
    "代表们向居民发放宣传资料，结合身边事例解答婚姻家庭、邻里纠纷等方面的法律问题，引导群众依法表达诉求。",
)
# The body of the provincial site's own news, which names no street.
PROVINCE_NEWS = [
    "会议传达学习了有关会议精神，研究部署了近期重点工作。",
    "会议强调，要坚持党的领导、人民当家作主、依法治国有机统一，扎实做好立法、监督和代表工作。",
    "会议要求，各级人大要密切同人民群众的联系，不断提高工作质量和实效。",
]


def _news(path: str, list_name: str, title: str, published: datetime, paragraphs: tuple[str, ...], kind: str, *,
          committee: str | None = None, street: str | None = None, layout: str = "plain",
          attachments: tuple[Attachment, ...] = ()) -> Article:
    """A news article without meeting line or author, and what an adapter reads off it."""
    return Article(path=path, list=list_name, title=title, published=published, paragraphs=paragraphs,
                   layout=layout, street=street, attachments=attachments, expected=dict(
                       title=title, published_at=published, committee=committee, year=None, kind=kind,
                       meeting_date=None, session=None, author=None, category=list_name))


def _street_news() -> list[Article]:
    return [_news(f"/dbgz/004003/{folder}/{_uuid(title)}.html", "004003", title,
                  datetime(2023, 2, 21 + index * 3, 15, 0, tzinfo=CHINA), paragraphs, "article", street=street)
            for index, (title, folder, street, paragraphs) in enumerate(_STREET_NEWS)]


# The lists of pages with attachments and of articles kept by their words alone, which the tests of the other
# modules do not crawl: reading a .doc through LibreOffice takes a second a crawl, and their counts stay those
# of the pages alone. The demo and the crawler's own tests read them.
EXTRA_LISTS = {"epoint": ("xxgk/005001", "dbgz/004003"), "hppc": ("list.php?catid=9",)}
MIRROR = "http://files.wuchang.example.invalid"
_DOWNLOAD = "/EpointWebBuilder/WebbuilderMIS/attach/downloadZtreeAttach.jspx?attachGuid=5e1c9a70-2020&appUrlFlag=wcrd"


@cache
def extra_articles(site_name: str) -> tuple[Article, ...]:
    """The articles of ``EXTRA_LISTS``, newest first: on the district site a committee's page attaching its
    reports as .docx, .pdf, .doc (through a download script) and a copy on another host, the deputies' news
    of ``DISTRICT_NEWS``, no street's, and the street news of ``_STREET_NEWS`` (004003); on the provincial site
    a committee's news attaching its report as .docx, and news that names its street (大智街道) only in the body."""
    if site_name == "epoint":
        files = (
            Attachment("/uploadfile/attach/20230118/shidong-2019.docx", "人大石洞街道工委2019年工作报告.docx",
                       "石洞-2019.docx"),
            Attachment("/uploadfile/attach/20230118/shidong-2021.pdf", "人大石洞街道工委2021年工作报告.pdf",
                       "石洞-2021.pdf"),
            Attachment(_DOWNLOAD, "人大石洞街道工委2020年工作报告.doc", "石洞-2020.doc"),
            Attachment(f"{MIRROR}/uploadfile/shidong-2019.docx",
                       "人大石洞街道工委2019年工作报告（区政府网站转载）.docx", None),
        )
        title = "人大石洞街道工委近三年工作报告公开"
        body = ("根据区人大常委会关于街道人大工委工作公开的安排，现将人大石洞街道工委2019年至2021年工作报告予以公开，"
                "接受辖区选民和社会各界监督。", *(f"附件{n}：{f.name}" for n, f in enumerate(files, start=1)))
        district = "区人大代表走进社区开展普法宣传"
        return (*reversed(_street_news()),
                _news(f"/xxgk/005001/20230118/{_uuid(title)}.html", "005001", title,
                      datetime(2023, 1, 18, 10, 0, tzinfo=CHINA), body, "article", committee="石洞", layout="word",
                      attachments=files),
                _news(f"/xxgk/005001/20230110/{_uuid(district)}.html", "005001", district,
                      datetime(2023, 1, 10, 9, 0, tzinfo=CHINA), DISTRICT_NEWS, "article"))
    report = Attachment("/uploadfile/2023/1215/20231215093012345.docx", "人大石洞街道工委2023年工作报告.docx",
                        "石洞-2023.docx")
    opened = "武汉市武昌区人大石洞街道工委向选民公开年度工作报告"
    untold = "践行全过程人民民主 办好群众身边事"
    return (
        _news("/2023/1215/53470.html", "9", opened, datetime(2023, 12, 15, 9, 30, tzinfo=CHINA), (
            "近日，武汉市武昌区人大石洞街道工委将2023年工作报告在辖区各社区公开，接受选民监督。报告从健全代表联系群众"
            "机制、开展专题视察调研等方面，总结了一年来街道人大工作。", f"附件：{report.name}"), "article",
            committee="石洞", attachments=(report,)),
        _news("/2023/1102/53380.html", "9", untold, datetime(2023, 11, 2, 16, 20, tzinfo=CHINA), (
            "近日，武汉市江岸区大智街道组织辖区各级人大代表走进社区，开展“代表进社区、服务零距离”活动。",
            "代表们分组走访居民群众，围绕社区治理、便民服务等收集意见建议二十余条，并现场协调解决了部分楼栋照明设施"
            "损坏问题。",
            "大智街道相关负责人表示，将持续发挥代表作用，把群众的“小事”当成自己的“大事”来办。"), "other",
            street="大智"),
    )


def bulk_articles(count: int) -> tuple[Article, ...]:
    """``count`` generated district reports in category 003006, for benchmarks: copies of the 2022
    reports under new titles and dates, so every page is parsed the same way as a real one."""
    reports = [a for a in epoint_articles() if a.expected["kind"] == "report" and a.expected["year"] == 2022]
    made = []
    for number in range(count):
        model = reports[number % len(reports)]
        published = datetime(2023, 1, 1, tzinfo=CHINA) + timedelta(minutes=number)
        title = model.title.replace("2022年", f"{2022 - number // len(reports) % 20}年")
        made.append(
            replace(
                model,
                path=f"/zyfb/003006/20230101/bulk-{number:05d}.html",
                list="003006",
                title=title,
                published=published,
                expected={**model.expected, "title": title, "published_at": published},
            )
        )
    return tuple(made)


def linked_many_ways(site_name: str, base_url: str) -> Article:
    """A new first item of ``site_name``'s list, which the list links six ways more: with a fragment,
    with escaped letters, absolute in capitals, and by a ``JAVASCRIPT:``, a spaced ``javascript:`` and a
    ``mailto:`` link that lead nowhere. A copy of the site's newest street-committee document, under
    ``a0.html`` on the district site and ``53600.html`` on the provincial one."""
    articles = epoint_articles() if site_name == "epoint" else hppc_articles()
    model = next(a for a in articles if a.expected["committee"] and a.list in ("003005", "8"))
    published = articles[0].published + timedelta(days=1)
    folder, name = ("/zyfb/003005/", "a0") if site_name == "epoint" else (f"/{published:%Y/%m%d}/", "53600")
    relative = folder.lstrip("/") if site_name == "hppc" else ""  # provincial lists link from /list.php
    escaped = "".join(f"%{ord(character):02x}" for character in name)
    aliases = (
        f"{relative}{name}.html#top",
        f"{relative}{name}.html",
        f"{relative}{escaped}.html",
        "HTTP://" + base_url.removeprefix("http://") + folder + name + ".html",
        "JAVASCRIPT:alert(1)",
        "  javascript:void(0)",
        "mailto:rd@wuchang.gov.cn",
    )
    return replace(
        model,
        path=f"{folder}{name}.html",
        published=published,
        parts=1,
        aliases=aliases,
        expected={**model.expected, "published_at": published},
    )


# Page rendering ---------------------------------------------------------------------------------

_WORD_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:st1="urn:schemas-microsoft-com:office:smarttags"><head><meta name=Generator '
    'content="Microsoft Word 15"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>'
    '<body lang=ZH-CN style="text-justify-trim:punctuation"><div class=WordSection1>'
)


def _linked(text: str, article: Article | None) -> str:
    """``text`` as HTML, the name of each attachment of ``article`` it holds a link to the file."""
    escaped = html.escape(text)
    for attachment in article.attachments if article else ():
        name = html.escape(attachment.name)
        escaped = escaped.replace(name, f'<a href="{html.escape(attachment.href)}" target="_blank">{name}</a>', 1)
    return escaped


def _word_paragraph(text: str, article: Article | None = None) -> str:
    escaped = _linked(text, article)
    return (
        '<p class=MsoNormal style="text-indent:32.0pt;line-height:28.0pt">'
        f'<span style="font-size:16.0pt;font-family:仿宋_GB2312">{escaped}<span lang=EN-US><o:p></o:p>'
        "</span></span></p>\n"
    )


def _word_meeting(line: str, article: Article) -> str:
    """A meeting line as Word exports it: the date wrapped in ``<st1:chsdate>``."""
    day = article.expected["meeting_date"]
    for written in (f"{day.year}年{day.month}月{day.day}日", f"{day.year}{day.month}{day.day}日"):
        if written in line:
            before, after = line.split(written, 1)
            tag = (
                f'<st1:chsdate Year="{day.year}" Month="{day.month}" Day="{day.day}" IsLunarDate="False" '
                f'IsROCDate="False" w:st="on">{html.escape(written)}</st1:chsdate>'
            )
            return (
                f'<p class=MsoNormal align=center style="text-align:center"><span>{html.escape(before)}'
                f"{tag}{html.escape(after)}<o:p></o:p></span></p>\n"
            )
    return _word_paragraph(line)


def epoint_body(article: Article) -> str:
    head = []
    if article.layout == "word":
        head += [_word_meeting(line, article) for line in article.meeting]
        if article.author:
            head.append(
                f'<p class=MsoNormal align=center style="text-align:center"><span>{article.author}'
                "</span></p>\n<p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p>\n"
            )
        if article.salutation:
            head.append(_word_paragraph(SALUTATION))
        body = []
        for index, text in enumerate(article.paragraphs):
            if index in article.captions:
                body.append(
                    '<p class=MsoNormal align=center style="text-align:center"><span><img width=554 height=369 '
                    f'src="/uploadfile/{index}.jpg"></span></p>\n{_word_paragraph(article.captions[index])}'
                )
            body.append(_word_paragraph(text, article))
        return _WORD_HEAD + "".join(head) + "".join(body) + "</div></body></html>"
    # Plain bodies break paragraphs with <br> and U+3000 indents rather than <p>.
    lines = [
        *article.meeting,
        *([article.author] if article.author else []),
        *([SALUTATION] if article.salutation else []),
    ]
    for index, text in enumerate(article.paragraphs):
        if index in article.captions:
            lines.append(f'<img src="/uploadfile/{index}.jpg"><br>{html.escape(article.captions[index])}')
        lines.append(text)
    return (
        "<br>\n".join(line if line.startswith("<img") else "\u3000\u3000" + _linked(line, article) for line in lines)
        + "<br>"
    )


def epoint_page(article: Article) -> str:
    names = {"004002": ("代表工作", "代表活动"), "004003": ("代表工作", "街道动态"),
             "005001": ("信息公开", "工作报告")}.get(article.list, ("重要发布", "常委会会议文件"))
    if article.layout == "unknown":
        # A page redesigned under the crawler: no h3 title, no info block, the body in a new container.
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(article.title)}</title>"
            f"</head><body><div class='news-detail'><h1>{html.escape(article.title)}</h1>"
            f"<section class='news-text'>{epoint_body(article)}</section></div></body></html>"
        )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(article.title)}</title>
<link rel="stylesheet" href="/css/ewb.css"></head>
<body><div class="ewb-header"><a href="/">武昌区人大</a> <a href="/zyfb/003005/1.html">重要发布</a></div>
<div class="ewb-location">首页 &gt; <a href="/zyfb/1.html">{names[0]}</a> &gt;
 <a href="../1.html">{names[1]}</a><div id="cate" style="display:none">{article.list}</div></div>
<div class="ewb-article">
<h3 class="ewb-article-tt">{html.escape(article.title)}</h3>
<div class="ewb-article-sources">发布时间：{article.published:%Y-%m-%d %H:%M}&nbsp;&nbsp;&nbsp;&nbsp;
<a href="javascript:window.print()">打印</a>&nbsp;&nbsp;&nbsp;&nbsp;
阅读次数：<span id="infoViewCount"></span></div>
<div class="ewb-article-info"><div id="infoContentM">{epoint_body(article)}</div></div>
</div><div class="ewb-footer">主办：武汉市武昌区人大常委会办公室 鄂ICP备05003299号</div>
<script src="/js/ewb.js"></script></body></html>"""


def _listed(articles: dict[str, Article], category: str) -> list[Article]:
    return sorted((a for a in articles.values() if a.list == category), key=lambda a: a.published, reverse=True)


def epoint_list(
    category: str, number: int, articles: dict[str, Article], page_size: int = EPOINT_PAGE_SIZE
) -> tuple[str, int] | None:
    """List page ``number`` of ``category`` and the count of pages, or None past the end."""
    items = _listed(articles, category)
    count = max((len(items) + page_size - 1) // page_size, 1)
    if not 1 <= number <= count:
        return None
    shown = items[(number - 1) * page_size : number * page_size]
    rows = "\n".join(
        f'<li class="ewb-list-node clearfix"><a href="{html.escape(href)}" title="{html.escape(a.title)}" '
        f'target="_blank" '
        f'class="ewb-list-name">{html.escape(a.title[:18] + ("…" if len(a.title) > 18 else ""))}</a>'
        f'<span class="ewb-list-date">{a.published:%Y-%m-%d}</span></li>'
        for a in shown
        for href in (a.path, *a.aliases)
    )
    following = f'<a href="{number + 1}.html" class="ewb-page-next">下页</a>' if number < count else ""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>列表</title></head><body>
<div class="ewb-location">首页 &gt; 列表</div>
<ul class="ewb-list">
{rows}
</ul>
<div class="ewb-page"><ul><li class="ewb-page-li"><a href="1.html">首页</a></li>
<li class="ewb-page-li ewb-page-noborder"><span id="index">{number}/{count}</span></li>
<li class="ewb-page-li">{following}</li></ul></div></body></html>"""
    return page, count


def challenge_page() -> str:
    """The anti-bot page some Epoint sites answer with: an encoded token and a self-running script."""
    return (
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
        "<meta id='9DhefwqGPrzGxEp9hPaoag' content=\"{qtKx8Bz.QWERTYU0123456789abcdef\">"
        "<script type='text/javascript' r='m'>var _$ku='3h2';eval(function(){return 1}())</script>"
        "</head><body></body></html>"
    )


def hppc_part_paragraphs(article: Article, part: int) -> tuple[list[str], dict[int, str]]:
    """The paragraphs (and captions by paragraph index) shown on ``part`` (1-based) of ``article``."""
    size = (len(article.paragraphs) + article.parts - 1) // article.parts
    start = (part - 1) * size
    shown = list(article.paragraphs[start : start + size])
    captions = {k - start: v for k, v in article.captions.items() if start <= k < start + size}
    return shown, captions


def hppc_page(article: Article, part: int = 1) -> str:
    paragraphs, captions = hppc_part_paragraphs(article, part)
    body = []
    for index, text in enumerate(paragraphs):
        if index in captions:
            body.append(
                f'<p style="text-align: center;"><img src="/uploadfile/2024/0103/{index}.jpg" '
                f'alt="" /></p>\n<p style="text-align: center;">{html.escape(captions[index])}</p>'
            )
        last = part == article.parts and index == len(paragraphs) - 1
        body.append(f"<p>\u3000\u3000{_linked(text, article)}{html.escape(article.byline) if last else ''}</p>")
    number = article.path.rsplit("/", 1)[1].removesuffix(".html")
    pager = ""
    if article.parts > 1:
        links = " ".join(
            f'<a href="{number}{"" if n == 1 else f"_{n}"}.html">{n}</a>' for n in range(1, article.parts + 1)
        )
        following = f' <a href="{number}_{part + 1}.html">下一页</a>' if part < article.parts else ""
        pager = f'<div id="pages" class="text-c">{links}{following}</div>'
    editor = f'<p class="f-r">责任编辑：{article.editor}</p>' if part == article.parts else ""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{html.escape(article.title)} - 湖北人大网</title></head>
<body><div class="top">登录 | 加入收藏夹</div>
<div class="crumbs">当前位置: 首页 &gt;&gt; 文章详情</div>
<div class="main"><h1 class="title">{html.escape(article.title)}</h1>
<div class="info">来源：湖北人大网&nbsp;&nbsp;&nbsp;时间：{article.published:%Y-%m-%d %H:%M}&nbsp;&nbsp;&nbsp;
<a href="#">[收藏]</a> <a href="javascript:window.print()">[打印]</a> <a href="#">[关闭]</a></div>
<div id="endtext">
{chr(10).join(body)}
</div>
{pager}
{editor}
</div><div class="footer">湖北省人大常委会办公厅 版权所有</div></body></html>"""


def hppc_list(catid: str, number: int, articles: dict[str, Article]) -> str | None:
    items = _listed(articles, catid)
    count = max((len(items) + HPPC_PAGE_SIZE - 1) // HPPC_PAGE_SIZE, 1)
    if not 1 <= number <= count:
        return None
    shown = items[(number - 1) * HPPC_PAGE_SIZE : number * HPPC_PAGE_SIZE]
    rows = "\n".join(
        f'<div class="list1"><a href="{html.escape(href)}" target="_blank">{html.escape(a.title)}</a>'
        f"<span>{a.published:%Y-%m-%d}</span></div>"
        for a in shown
        for href in (a.path.lstrip("/"), *a.aliases)
    )
    pages = " ".join(
        f'<a href="list.php?catid={catid}&page={n}">{n}</a>' if n != number else f"<span>{n}</span>"
        for n in range(1, count + 1)
    )
    following = f' <a href="list.php?catid={catid}&page={number + 1}" class="a1">下一页</a>' if number < count else ""
    return f"""<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>代表工作 - 湖北人大网</title></head><body>
<div class="crumbs">当前位置: 首页 &gt;&gt; 代表工作</div>
<div class="list">
{rows}
</div>
<div id="pages"><a class="a1">{len(items)}条</a> {pages}{following}</div></body></html>"""
