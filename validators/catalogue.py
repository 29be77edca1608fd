"""The catalogue of rules: each rule once, with everything every part of wrqa needs to know of it.

A ``Rule`` holds its id, default severity, Chinese name and one-line explanation, what it catches and
what it stays silent on (the README's table), the document kinds it applies to, its checks (each a pandera
predicate and the GX expectation that states the same rule, over one frame, with the columns a report shows
of a failed row), how a failed row becomes a message, and a text it flags and one it leaves alone (for
``wrqa explain``, tested). The engines, the finding maker, the text, JSON, SARIF and HTML writers,
``wrqa rules`` and the docs tests all read ``RULES``; nothing else spells a rule out.

Text rules (``marker``) flag spans of the text: ``checks.marks`` runs their pattern once per line and the
lines frame holds each rule's count, which the engines judge. GX is imported only inside expectation
builders, pandas never here: importing the catalogue is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from checks import marks as markers
from validators.records import Severity

Predicate = Callable[[Any], Any]
"""A pandera check: the frame in, a boolean Series out, True where a row meets the rule."""
Expect = Callable[[Any, Any], Any]
"""A GX expectation builder: called with the ``great_expectations`` module and a row condition (or None)
restricting it to the document kinds the rule applies to."""


@dataclass(frozen=True)
class Bounds:
    """The tunable bounds some checks read: ``validate.duplicate_threshold``, ``validate.rate_tolerance`` and
    ``validate.trend_factor``."""

    duplicate_threshold: float = 0.8
    rate_tolerance: float = 1.0
    trend_factor: float = 5.0


@dataclass(frozen=True)
class Check:
    """One way a rule is judged: over ``frame``, by pandera with ``holds`` and by GX with ``expect``.

    name: unique among all checks (``section-missing/work``); data: fixed details its findings carry;
    observe: the columns of a failed row worth showing (the frame's defaults when empty).
    """

    name: str
    frame: str
    holds: Predicate
    expect: Expect
    data: dict[str, Any] = field(default_factory=dict)
    observe: tuple[str, ...] = ()


# The sources read one line a paragraph, by their encoding: Word files and the formats read through Word's.
PARAGRAPH_SOURCES = frozenset({"docx", "doc", "wps", "rtf"})


@dataclass(frozen=True)
class Other:
    """Another document of the run as a message names it: its title, its path and line in its file, and the
    place in the words a reader of that file counts by (``第 3 页第 7 行``, ``第 12 段``; empty for a text file)."""

    title: str
    path: str
    line: int
    words: str = ""


def other_of(document) -> Other:
    """How a message names ``document`` (``crawler.records.Document``)."""
    page, line = document.source.page_line(document.line)
    if page is not None:
        words = f"第 {page} 页第 {line} 行"
    elif document.source.encoding in PARAGRAPH_SOURCES:
        words = f"第 {line} 段"
    else:
        words = ""
    return Other(document.title, document.path, document.line, words)


@dataclass(frozen=True)
class Failure:
    """A failed row as a rule's ``describe`` reads it: the row's values, the check's data, the document
    (``crawler.records.Document``), another document of the run by index (as ``Other``), and the mark of a text
    rule."""

    record: dict[str, Any]
    data: dict[str, Any]
    document: Any
    other: Callable[[int], Any]
    mark: Any = None


@dataclass(frozen=True)
class Rule:
    """A rule, once. See the module docstring; ``checks`` builds the checks for the run's ``Bounds``.

    example, counter_example: a text the rule flags and one it leaves alone; a tuple of texts where the
    rule compares documents (the last one is flagged, or not).
    """

    id: str
    severity: Severity
    name: str
    explanation: str
    catches: str
    silent_on: str
    checks: Callable[[Bounds], tuple[Check, ...]]
    describe: Callable[[Failure], tuple[str, dict[str, Any]]]
    example: str | tuple[str, ...]
    counter_example: str | tuple[str, ...]
    kinds: tuple[str, ...] | None = None
    marker: Any = None
    locate: Callable[[Any], tuple[int, int] | None] | None = None


def condition(column: str):
    """A GX row-condition column (GX 1.9+ conditions replace the deprecated condition strings)."""
    from great_expectations.expectations.row_conditions import Column

    return Column(column)


def both(first, second):
    """Two GX row conditions joined with AND; either may be None."""
    if first is None or second is None:
        return second if first is None else first
    return first & second


# --- the text rules: counts of marks per line ---------------------------------------------------------


def text_checks(rule_id: str, noted: bool = False) -> Callable[[Bounds], tuple[Check, ...]]:
    """A text rule's checks: no mark of it on any line, and (``noted``) no note of it, such as the page chrome
    normalization took out of the text."""
    def checks(_bounds: Bounds) -> tuple[Check, ...]:
        marked = Check(rule_id, "lines", lambda frame: frame[rule_id] == 0,
                       lambda gx, applies: gx.expectations.ExpectColumnValuesToBeBetween(
                           column=rule_id, min_value=0, max_value=0, row_condition=applies),
                       observe=("text",))
        if not noted:
            return (marked,)
        return (marked, Check(f"{rule_id}/noted", "notes", lambda frame: frame["rule"] != rule_id,
                              lambda gx, applies: gx.expectations.ExpectColumnValuesToNotBeInSet(
                                  column="rule", value_set=[rule_id], row_condition=applies),
                              observe=("rule", "form")))
    return checks


PLACEHOLDER_KINDS = {
    "stars": "星号占位", "x_date": "日期占位", "x_year": "年份占位", "xx": "XX 占位",
    "times": "×× 占位", "mou": "“某某”占位", "blank": "空白占位", "single_x": "X 占位",
    "ellipsis": "省略号占位", "empty_slot": "数字空缺",
}
ARTIFACT_KINDS = {
    "marker": "付费墙标记", "mojibake": "乱码", "entity": "HTML 实体", "tag": "HTML 标签",
    "footer": "页码页脚", "watermark": "转换器水印", "chrome": "网页界面文字", "damage": "镜像站损坏字符",
    "punctuation": "标点损坏", "glyph": "字符缺失", "repeated": "段落重复",
    "revision": "未接受的修订", "comment": "批注",
    # The blocks of page chrome normalization takes out of the text (crawler.chrome).
    "toolbar": "网页工具栏", "breadcrumb": "网页导航路径", "nav": "网站导航", "footer-block": "网页页脚",
    "share": "分享按钮", "related": "相关链接", "epaper": "电子报导航", "docsite": "文档网站包装",
    "archive": "网页存档标记", "meta": "信息公开表头", "caption": "图片说明", "table": "表格残留",
    "widget": "网页小部件",
}


def _placeholder(failure: Failure) -> tuple[str, dict[str, Any]]:
    mark = failure.mark
    return (f"模板占位符未填写（{PLACEHOLDER_KINDS.get(mark.kind, mark.kind)}）：“{mark.text}”，请填入实际内容",
            {"kind": mark.kind, "placeholder": mark.text})


def _artifact(failure: Failure) -> tuple[str, dict[str, Any]]:
    mark = failure.mark
    return (f"转换或抓取残留（{ARTIFACT_KINDS.get(mark.kind, mark.kind)}）：“{mark.text.strip()}”，请删除或修复",
            {"kind": mark.kind})


def _doubled(_failure: Failure) -> tuple[str, dict[str, Any]]:
    return "委员会名称重复了“街”：“街街道”应为“街道”", {"expected": "街道"}


# --- the document rules ----------------------------------------------------------------------------------

SECTION_NAMES = {
    "work": ("本年度工作完成情况", "工作完成情况、主要工作"),
    "shortcomings": ("存在的不足", "存在不足、存在的问题"),
    "plans": ("下一年度工作思路", "工作思路、打算、计划"),
}


def _sections(_bounds: Bounds) -> tuple[Check, ...]:
    def check(section: str) -> Check:
        # A text cut mid-sentence is told once as cut (a notice), never as missing the parts it lost.
        column = f"has_{section}"
        return Check(
            f"section-missing/{section}", "documents", lambda frame: frame["truncated"] | frame[column],
            lambda gx, applies: gx.expectations.ExpectColumnValuesToBeInSet(
                column=column, value_set=[True], row_condition=both(applies, condition("truncated") == False)),  # noqa: E712 - a GX condition, not a comparison
            {"section": section}, observe=("title",),
        )
    return tuple(check(section) for section in SECTION_NAMES)


def _section_missing(failure: Failure) -> tuple[str, dict[str, Any]]:
    name, examples = SECTION_NAMES[failure.data["section"]]
    return f"正式报告缺少“{name}”部分（未找到含“{examples}”等字样的标题）", dict(failure.data)


def _duplicates(bounds: Bounds) -> tuple[Check, ...]:
    threshold = bounds.duplicate_threshold
    return (Check(
        "duplicate-report", "documents", lambda frame: frame["similarity"] < threshold,
        lambda gx, applies: gx.expectations.ExpectColumnValuesToBeBetween(
            column="similarity", min_value=0, max_value=threshold, strict_max=True, row_condition=applies),
        observe=("title", "similarity"),
    ),)


def _duplicate(failure: Failure) -> tuple[str, dict[str, Any]]:
    other = failure.other(int(failure.record["duplicate_of"]))
    similarity = float(failure.record["similarity"])
    where = f"{other.path} {other.words}" if other.words else f"{other.path}:{other.line}"
    return (f"与《{other.title}》（{where}）几乎相同（相似度 {similarity:.0%}），"
            "疑为套用其他报告的模板",
            {"duplicate_of": {"path": other.path, "line": other.line, "title": other.title},
             "similarity": round(similarity, 3)})


def _terms(_bounds: Bounds) -> tuple[Check, ...]:
    return (
        Check("meeting-term/start", "documents",
              lambda frame: frame["meeting_day"].isna() | frame["term_start"].isna()
              | (frame["meeting_day"] >= frame["term_start"]),
              lambda gx, applies: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="meeting_day", column_B="term_start", or_equal=True,
                  ignore_row_if="either_value_is_missing", row_condition=applies),
              observe=("meeting_day", "term_start")),
        Check("meeting-term/end", "documents",
              lambda frame: frame["meeting_day"].isna() | frame["term_end"].isna()
              | (frame["meeting_day"] <= frame["term_end"]),
              lambda gx, applies: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="term_end", column_B="meeting_day", or_equal=True,
                  ignore_row_if="either_value_is_missing", row_condition=applies),
              observe=("meeting_day", "term_end")),
    )


def _day(value: float) -> str:
    number = int(value)
    return f"{number // 10000:04d}-{number // 100 % 100:02d}-{number % 100:02d}"


def _meeting_term(failure: Failure) -> tuple[str, dict[str, Any]]:
    document, record = failure.document, failure.record
    term = [_day(record["term_start"]), _day(record["term_end"])]
    return (f"会议日期 {document.meeting_date} 不在{document.session}任期（{term[0]} 至 {term[1]}）内，"
            "请核对日期或届次",
            {"meeting_date": str(document.meeting_date), "session": document.session, "term": term})


def _meeting_line(document) -> tuple[int, int] | None:
    from crawler.domain import MEETING_LINE

    found = MEETING_LINE.search(document.text)
    return found.span() if found else None


# --- the rules of figures, headings and mentions ---------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:g}"


def _rates(_bounds: Bounds) -> tuple[Check, ...]:
    return (Check(
        "stat-rate-range", "statistics",
        lambda frame: (frame["kind"] != "rate") | frame["value"].between(0, 100),
        lambda gx, applies: gx.expectations.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, max_value=100, row_condition=both(applies, condition("kind") == "rate")),
        observe=("label", "value"),
    ),)


def _rate(failure: Failure) -> tuple[str, dict[str, Any]]:
    record = failure.record
    return (f"{record['label'] or '比率'}为 {_number(record['value'])}%，不可能超出 0–100% 的范围",
            {"value": float(record["value"]), "label": record["label"], "expected": "0-100"})


def _parts(bounds: Bounds) -> tuple[Check, ...]:
    tolerance = bounds.rate_tolerance
    return (
        Check("stat-part-whole/part", "relations",
              lambda frame: (frame["relation"] == "share") | (frame["part"] <= frame["whole"]),
              lambda gx, applies: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                  column_A="whole", column_B="part", or_equal=True,
                  row_condition=both(applies, condition("relation") != "share")),
              observe=("part", "whole", "stated")),
        Check("stat-part-whole/share", "relations",
              lambda frame: (frame["relation"] != "share") | frame["gap"].isna() | (frame["gap"] <= tolerance),
              lambda gx, applies: gx.expectations.ExpectColumnValuesToBeBetween(
                  column="gap", min_value=0, max_value=tolerance,
                  row_condition=both(applies, condition("relation") == "share")),
              observe=("part", "whole", "stated")),
    )


def _part_whole(failure: Failure) -> tuple[str, dict[str, Any]]:
    record = failure.record
    part, whole, unit = _number(record["part"]), _number(record["whole"]), record["unit"]
    if record["relation"] == "share" and record["whole"]:
        computed = 100 * record["part"] / record["whole"]
        return (f"所述占比 {_number(record['stated'])}% 与 {part}/{whole} = {computed:.0f}% 不符",
                {"part": float(record["part"]), "whole": float(record["whole"]),
                 "stated": float(record["stated"]), "expected": round(computed, 1)})
    if record["relation"] == "parts-sum":
        return (f"“其中”所列各项之和 {part}{unit} 超过总数 {whole}{unit}",
                {"part": float(record["part"]), "whole": float(record["whole"]), "relation": "parts-sum"})
    return (f"部分 {part}{unit} 大于总数 {whole}{unit}",
            {"part": float(record["part"]), "whole": float(record["whole"]), "relation": "part"})


def _years(_bounds: Bounds) -> tuple[Check, ...]:
    return (Check(
        "year-mismatch", "headings",
        lambda frame: frame["year"].isna() | frame["expected_year"].isna() | (frame["year"] == frame["expected_year"]),
        lambda gx, applies: gx.expectations.ExpectColumnPairValuesToBeEqual(
            column_A="year", column_B="expected_year", ignore_row_if="either_value_is_missing",
            row_condition=applies),
        observe=("year", "expected_year"),
    ),)


def _year(failure: Failure) -> tuple[str, dict[str, Any]]:
    year, expected = int(failure.record["year"]), int(failure.record["expected_year"])
    part = "工作思路" if "plans" in failure.record["section"] else "工作情况"
    return (f"{part}标题写的是 {year} 年，本报告为 {failure.document.year} 年度，应为 {expected} 年",
            {"stated": year, "expected": expected})


def _numbering(_bounds: Bounds) -> tuple[Check, ...]:
    return (Check(
        "section-numbering", "headings",
        lambda frame: (frame["ordinal"] == 0) | (frame["ordinal"] == frame["expected_ordinal"]),
        lambda gx, applies: gx.expectations.ExpectColumnPairValuesToBeEqual(
            column_A="ordinal", column_B="expected_ordinal", row_condition=both(applies, condition("ordinal") > 0)),
        observe=("ordinal", "expected_ordinal"),
    ),)


def _number_gap(failure: Failure) -> tuple[str, dict[str, Any]]:
    stated, expected = int(failure.record["ordinal"]), int(failure.record["expected_ordinal"])
    return (f"标题序号不连续：此处应为第 {expected} 项，写的是第 {stated} 项",
            {"stated": stated, "expected": expected, "level": int(failure.record["level"])})


def _mentions(_bounds: Bounds) -> tuple[Check, ...]:
    return (Check(
        "committee-mismatch", "mentions",
        lambda frame: (frame["committee"] == "") | (frame["committee"] == frame["mentioned"]),
        lambda gx, applies: gx.expectations.ExpectColumnPairValuesToBeEqual(
            column_A="committee", column_B="mentioned", row_condition=both(applies, condition("committee") != "")),
        observe=("committee", "mentioned"),
    ),)


def _mismatch(failure: Failure) -> tuple[str, dict[str, Any]]:
    record = failure.record
    return (f"本报告属于{record['committee']}，文中却出现{record['mentioned']}的工委名称，疑为套用模板",
            {"committee": record["committee"], "mentioned": record["mentioned"]})


REPORT = ("report",)
_COPIED = ("人大{street}街道工委2022年工作报告\n一、2022年工作完成情况\n"
           "全年组织代表开展集中视察活动，围绕老旧小区改造、背街小巷整治、社区养老服务等群众关心的问题，"
           "深入一线察看现场、听取意见，形成视察报告报送街道党工委和办事处，推动解决了一批实际问题。\n"
           "二、存在不足\n代表履职的常态化机制还不够健全，联系选民的方式还比较单一，建议督办的力度有待加强。\n"
           "三、2023年工作思路\n坚持以习近平新时代中国特色社会主义思想为指导，进一步加强代表之家建设，"
           "完善代表联系群众制度，推动民生实事项目落地见效。\n")
_OTHER = ("人大石洞街道工委2022年工作报告\n一、2022年工作完成情况\n"
          "工委组织辖区代表分三组走访企业和学校，收集意见二十余条，督促相关部门逐条答复，"
          "选民对办理结果总体满意；同时组织代表参加区人大常委会组织的执法检查和专题调研。\n"
          "二、存在不足\n个别代表参加活动不够积极，活动阵地的使用率不高，宣传报道还需加强。\n"
          "三、2023年工作思路\n围绕街道中心工作，组织代表开展专题视察，持续推动代表建议办理，"
          "把代表之家打造成群众身边的议事平台。\n")
_HEAD = "人大紫阳街道工委2022年工作报告\n一、2022年工作完成情况\n"
_TAIL = "\n二、存在不足\n一是学习不够。\n三、2023年工作思路\n继续努力。\n"

RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("placeholder", Severity.ERROR, "占位符未替换",
         "文中留有模板占位符（如 ***、XX街道、20XX年、X月X日、××次、某某社区），发布前应填上实际内容。",
         "template text left in: runs of `*`/`＊`, `XX`, `××`, `某某`, `20XX年`, `X月X日`, `__`; a single "
         "`X`/`×` for a name or a figure (`X街道`, `X条`, `×起`); `……` for a blanked name; an empty number slot "
         "(`共件`, `第次会议`)",
         "ordinary text and numbers, `1+4+16+N`, `X光`, `X射线`, `3×4`, `……等` in a list",
         text_checks("placeholder"), _placeholder,
         _HEAD + "组织完成*位代表回原选区述职。" + _TAIL, _HEAD + "开展X光机检查，3×4方阵。" + _TAIL,
         marker=markers.placeholders),
    Rule("section-missing", Severity.ERROR, "缺少必备部分",
         "年度工作报告应有工作完成情况、存在不足、下一年工作思路三个部分，缺了其中之一。",
         "a formal report without the year's work, its shortcomings, or next year's plans "
         "(`data.section`: `work`, `shortcomings`, `plans`)",
         "headings worded differently; articles, government reports, half-year reports, templates; a text cut "
         "mid-sentence (told once as cut instead)",
         _sections, _section_missing,
         "人大紫阳街道工委2022年工作报告\n一、2022年工作完成情况\n正文。\n二、存在不足\n正文。\n",
         "人大紫阳街道工委2022年工作报告\n一、主要工作\n正文。\n二、存在的问题\n正文。\n三、下一步打算\n正文。\n",
         kinds=REPORT),
    Rule("stat-rate-range", Severity.ERROR, "比率超出范围",
         "百分比、满意度、参与率等比率超出合理范围（如大于100%或为负数），可能丢了小数点或写错。",
         "a rate or share (参与率, 得票率, 满意度, 办复率, 占…%) above 100% or below 0, in Arabic, full-width or "
         "Chinese numerals",
         "growth (增长126%), fulfilment (完成目标的135%), 100%",
         _rates, _rate,
         _HEAD + "选民满意度测评达105%。" + _TAIL, _HEAD + "产值同比增长126%，完成目标的135%。" + _TAIL),
    Rule("stat-part-whole", Severity.ERROR, "部分与整体不符",
         "分项大于总数、其中各项之和与总数不等，或所述占比与分项÷总数算出的不符。",
         "a part above its whole (共…其中…, also in Chinese numerals), sibling parts after 其中 summing above the "
         "total, a stated share that disagrees with part/whole (12 of 19 is 63%, not 83%), also of a total an "
         "earlier sentence gives",
         "consistent figures, partial lists below the total, approximate figures (30余), nested groups "
         "(18岁以上 containing 登记选民), ratings of a subset (满意/基本满意/不满意)",
         _parts, _part_whole,
         _HEAD + "共开展活动12场，其中进企业6场、进社区11场。" + _TAIL,
         _HEAD + "共开展活动22场，其中进企业6场、进社区11场。" + _TAIL),
    Rule("year-mismatch", Severity.ERROR, "年份不一致",
         "标题、会议日期或正文中的年份与报告的工作年度对不上（如“三、2023年工作思路”出现在2021年报告中）。",
         "a heading whose year contradicts the report's year (work of another year, plans not for the next)",
         "history in passing (自2021年换届以来); anything but a street committee's annual report",
         _years, _year,
         _HEAD.replace("一、2022年", "一、2021年") + "正文。" + _TAIL,
         _HEAD + "自2021年换届以来，工作稳步推进。" + _TAIL,
         kinds=REPORT),
    Rule("artifact", Severity.WARNING, "网页或排版残留",
         "正文混入了网页或转换残留：导航、“打印”“阅读次数”、##paidbegin##标记、乱码“?”或拼音注音。",
         "page chrome, one finding a block (`data.kind`: toolbar, breadcrumb, nav, footer, share, related, epaper, "
         "docsite, archive, meta, caption, table, widget); `##paidbegin##` markers, mojibake, HTML entities and tags, "
         "page numbers, converter watermarks; mirror damage (`武大?智谷`, `區(qū)`, `,,`, `'…“`); lost glyphs "
         "(`20201229日`, `政办函202135号`, a figure split off its word); a paragraph repeated word for word",
         "a sentence that mentions 打印 or 下载, a dateline (来源：…), a paragraph cut at a page end (repaired), "
         "U+3000 indents, a full-width ？",
         text_checks("artifact", noted=True), _artifact,
         _HEAD + "##paidbegin##组织代表述职。" + _TAIL, _HEAD + "\u3000\u3000正文缩进不是残留。" + _TAIL,
         marker=markers.artifacts),
    Rule("duplicate-report", Severity.WARNING, "疑似重复报告",
         "与另一份报告高度相似，可能是重复发布，或套用了别的街道的报告。",
         "a near-copy of another document of the same run (`data.duplicate_of`), also one with its names and "
         "figures blanked",
         "reports of different streets sharing stock phrases",
         _duplicates, _duplicate, (_COPIED.format(street="杨园"), _COPIED.format(street="石洞")),
         (_COPIED.format(street="杨园"), _OTHER)),
    Rule("section-numbering", Severity.WARNING, "序号不连续",
         "标题序号（一、二、三 或（一）（二））跳号、重复或顺序错乱。",
         "a gap or repeat in 一、二、三 or （一）（二）",
         "unnumbered headings; a list that starts again under 第二部分, 附件1 or a new 一、",
         _numbering, _number_gap,
         _HEAD + "正文。\n三、存在不足\n一是学习不够。\n四、2023年工作思路\n继续努力。\n",
         _HEAD + "（一）组织学习\n（二）开展视察" + _TAIL,
         kinds=REPORT),
    Rule("committee-name", Severity.WARNING, "工委名称不规范",
         "街道人大工委的名称写法有误，如“杨园街街道工委”多了一个“街”。",
         "街 doubled in a committee name (人大杨园街街道工委)",
         "粮道街街道工委 (the street's name ends in 街)",
         text_checks("committee-name"), _doubled,
         _HEAD + "人大杨园街街道工委召开会议。" + _TAIL, _HEAD + "人大粮道街街道工委召开会议。" + _TAIL,
         marker=markers.doubled_streets),
    Rule("committee-mismatch", Severity.WARNING, "工委前后不一致",
         "正文或署名中的街道工委与标题中的不是同一个。",
         "a report naming another street's committee than its own (a template reused)",
         "articles and every other kind of document",
         _mentions, _mismatch,
         _HEAD + "人大杨园街道工委组织代表视察。" + _TAIL, _HEAD + "人大紫阳街道工委组织代表视察。" + _TAIL,
         kinds=REPORT),
    Rule("meeting-term", Severity.WARNING, "会议届次有误",
         "会议的届次与会议日期不符（区第十五届为2016年12月至2021年12月，第十六届自2021年12月起）。",
         "a meeting date outside the term (届次) it names, judged by the terms of the congress it names "
         "(`crawler/data/terms.toml`: 武昌区第十五届 2016-12 → 2021-12, 第十六届 from 2021-12)",
         "a meeting of a congress whose terms wrqa does not know (the province's)",
         _terms, _meeting_term,
         "人大紫阳街道工委2022年工作报告\n(2022年12月20日在武汉市武昌区第十五届人大常委会第8次会议上)\n"
         + _HEAD.split("\n", 1)[1] + "正文。" + _TAIL,
         "人大紫阳街道工委2022年工作报告\n(2022年12月20日在武汉市武昌区第十六届人大常委会第8次会议上)\n"
         + _HEAD.split("\n", 1)[1] + "正文。" + _TAIL,
         locate=_meeting_line),
)}


def rule(rule_id: str) -> Rule:
    """The rule ``rule_id``; KeyError naming the known ids otherwise."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}; known rules: {', '.join(RULES)}") from None


@contextmanager
def added(new: Rule) -> Iterator[Rule]:
    """The catalogue with ``new`` in it for the length of a block (a plug-in rule, a test); removed after."""
    if new.id in RULES:
        raise ValueError(f"a rule {new.id!r} is already in the catalogue")
    RULES[new.id] = new
    try:
        yield new
    finally:
        del RULES[new.id]


# --- the rules over the corpus: a committee's reports across years ---------------------------------------


def _trends(bounds: Bounds) -> tuple[Check, ...]:
    factor = bounds.trend_factor
    return (Check(
        "stat-trend", "trends", lambda frame: frame["ratio"] <= factor,
        lambda gx, applies: gx.expectations.ExpectColumnValuesToBeBetween(
            column="ratio", min_value=1, max_value=factor, row_condition=applies),
        {"factor": factor}, observe=("figure", "previous_value", "value", "unit"),
    ),)


def _trend(failure: Failure) -> tuple[str, dict[str, Any]]:
    from checks.figures import BY_ID

    record, factor = failure.record, failure.data["factor"]
    figure, unit = BY_ID[record["figure"]].name, record["unit"]
    year, previous_year = int(record["year"]), int(record["previous_year"])
    value, previous = _number(record["value"]), _number(record["previous_value"])
    return (f"{figure}从{previous_year}年的 {previous}{unit} 变为{year}年的 {value}{unit}，相差 "
            f"{record['ratio']:.1f} 倍（超过 {factor:g} 倍），请核对是否多写或漏写了数字",
            {"figure": record["figure"], "previous_year": previous_year,
             "previous_value": float(record["previous_value"]), "year": year, "stated": float(record["value"]),
             "ratio": round(float(record["ratio"]), 2), "factor": factor})


def _year_report(year: int, deputies: int) -> str:
    return (f"人大白沙洲街道工委{year}年工作报告\n一、{year}年工作完成情况\n现有区人大代表{deputies}名，"
            f"组织代表集中学习。\n二、存在不足\n一是学习不够。\n三、{year + 1}年工作思路\n继续努力。\n")


RULES["stat-trend"] = Rule(
    "stat-trend", Severity.WARNING, "数字前后年份差异过大",
    "同一街道工委的代表人数、建议件数等数字与上一年度报告相差过大（如代表从42名变成420名），可能多写或漏写了数字。"
    "同名工委分属不同区县时按区县分开比较。",
    "a count a committee states (代表人数, 建议件数, 接待选民) that changes by more than `validate.trend_factor` "
    "(5×) from its previous report (42 deputies, then 420); a committee is its key, unless the run's reports of "
    "that key name two districts or more (城关镇 of two counties, by the meeting line's 在…区第…届 or the title's "
    "武昌区…): then each district's reports are one committee, and one naming no district is compared with none",
    "changes within the factor; rates; documents other than formal reports",
    _trends, _trend,
    (_year_report(2022, 42), _year_report(2023, 420)), (_year_report(2022, 42), _year_report(2023, 45)),
    kinds=REPORT,
)
