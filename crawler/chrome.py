"""Page chrome: the toolbars, breadcrumbs, menus, footers and widgets a saved or scraped page carries around
its text, recognised by shape and vocabulary, as blocks.

A line is chrome when it is made only of the words of a kind of chrome (打印 / 关闭 / 收藏 / 【字号：大 中 小】,
首页 > … > …, 分享到 微信 微博, 版权所有 / ICP备 / 联系电话, 上一篇 / 相关阅读, 第02版 / 上一版…), with dates,
times, separators and ``key:value`` pairs of such words (阅读次数：, 责任编辑：李靖) around them. A sentence that
merely mentions 打印 or 下载 is not chrome: every word of the line must belong. Around chrome lines, the short
lines of the same block are taken with them (a toolbar written one word a line, a breadcrumb split at its
``>``, the site's name above its breadcrumb, a newspaper's name above its copyright line, headline links after
相关报道). A dateline (来源：武昌区人大, 时间：2023-01-10) is a part of an article, not chrome.

Pure functions of the lines' text; they never see positions, and never judge (normalization keeps chrome
out of the checks and reports it as ``artifact`` notes).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

from crawler.opened import opened

DATELINE = "dateline"

_DATE = r"(?:\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{4}\s*年\s*\d{1,2}\s*月)"
_TIME = r"(?:\d{1,2}\s*[:：时]\s*\d{2}(?:\s*[:：分]\s*\d{2}\s*秒?)?\s*分?)"
_SEPARATORS = r"[\s|｜丨·•/\\、,，;；:：>＞»›→\-—_=+*#~^【】\[\]（）()《》<「」『』\"'“”‘’!！?？.。…★☆◆◇●○■□▲△▶►]"
# A site's own name (长沙人大网, 德育素材网) may stand in a menu, a toolbar or a footer line.
_SITE = r"(?:[\u4e00-\u9fffA-Za-z]{1,10}(?:网站|门户网|门户|网|在线|频道))"

# What each kind of chrome is made of: the words a line of it holds, besides dates, times and separators.
WORDS = {
    "toolbar": (
        "打印本页", "打印此页", "打印文章", "打印", "关闭窗口", "关闭本页", "关闭", "收藏本页", "收藏", "加入收藏", "下载",
        "全屏", "退出全屏", "字号", "字体", "默认", "放大", "缩小", "加大", "还原", "减小", "标准", "大", "中", "小",
        "返回顶部", "回到顶部", "返回", "阅读次数", "阅读量", "浏览次数", "浏览量", "点击数", "点击率", "点击量", "访问量",
        "次", "纠错", "我要纠错", "保存", "复制链接", "字号大中小", "视力保护色", "朗读", "播报", "听全文", "语音播报",
    ),
    "share": ("分享到", "分享", "微信", "微博", "新浪微博", "腾讯微博", "QQ空间", "QQ", "朋友圈", "豆瓣", "人人网", "转发",
              "扫码分享", "一键分享"),
    "nav": ("首页", "主页", "网站首页", "登录", "登陆", "注册", "退出", "设为首页", "加入收藏", "加入收藏夹", "收藏本站",
            "网站地图", "联系我们", "无障碍", "无障碍浏览", "长者模式", "繁体", "简体", "繁體", "English", "搜索", "高级搜索",
            "网上投稿", "用户名", "密码", "用户", "邮箱", "忘记密码", "验证码", "站内搜索", "移动版", "手机版", "APP下载"),
    "related": ("相关阅读", "相关报道", "相关新闻", "相关链接", "相关附件", "相关文章", "相关稿件", "相关文档", "延伸阅读",
                "推荐阅读", "热点新闻", "热门文章", "热门推荐", "猜你喜欢", "上一篇", "下一篇", "上一条", "下一条",
                "上一页", "下一页", "更多", "更多>>"),
    "epaper": ("版面概览", "版面导航", "上一版", "下一版", "上一期", "下一期", "往期回顾", "本版标题导航", "放大", "缩小",
               "默认", "上一篇", "下一篇", "返回目录"),
    "widget": ("识别", "识别二维码", "长按识别", "扫一扫", "扫码", "二维码", "关注我们", "微信公众号", "公众号",
               "手机扫一扫", "扫描二维码"),
}
# ``key:`` pairs: what the key says the line is. A dateline key with its value is part of an article.
KEYS = {
    "toolbar": ("阅读次数", "阅读量", "浏览次数", "浏览量", "点击数", "点击率", "点击量", "访问量", "字号", "字体"),
    "share": ("分享", "分享到"),
    "footer": ("责任编辑", "责编", "编辑", "审核", "审校", "校对", "供稿", "终审", "签发", "摄影", "美编", "值班编辑",
               "主编", "联系电话", "电话", "传真", "邮箱", "电子邮箱", "地址", "邮编", "邮政编码", "主办单位", "主办",
               "承办单位", "承办", "协办", "技术支持", "维护", "网站标识码", "备案号", "ICP备案号"),
    "meta": ("索引号", "信息索引号", "主题分类", "发文机关", "发布机构", "成文日期", "生成日期", "公开方式", "公开范围",
             "公开时限", "效力属性", "有效性", "文号", "备注/文号", "发文字号", "信息分类", "所属机构", "体裁分类"),
    DATELINE: ("来源", "文章来源", "信息来源", "稿件来源", "时间", "发布时间", "发表时间", "发布日期", "发表日期", "日期",
               "更新时间", "作者", "通讯员", "记者", "文", "图"),
}
# Lines that are chrome whatever else they hold: the unmistakable phrases of each kind.
PHRASES = {
    "breadcrumb": re.compile(r"(?:您?(?:现在|当前)?(?:所在)?的?位置|当前位置|所在位置)\s*[:：]|ico-?crumb|crumb\.(?:png|gif)"
                             r"|^\s*(?:首页|主页|网站首页)\s*(?:>|＞|>>|»|›|→|/)"),
    "footer": re.compile(r"版权所有|版权归|All Rights Reserved|Copyright|©|ICP备|ICP证|网站标识码|公网安备|公安备案"
                         r"|技术支持\s*[:：]|主办单位\s*[:：]|承办单位\s*[:：]|与我们联系"
                         r"|扫一扫在手机(?:上)?(?:打开|查看)|在手机上?(?:打开|查看)当前页", re.I),
    "docsite": re.compile(r"小编|为(?:大家|你|您)(?:精心)?(?:整理|收集|分享|提供)|本站为你|范文网|文档网|文库"
                          r"|^【(?:概述|正文|导读|摘要|全文)】$|想阅读全部|需要先登[陆录]|登[陆录]后(?:查看|阅读|下载)"
                          r"|(?:查看|阅读)全文请|付费(?:阅读|下载)|VIP|会员专享|仅供参考|免费下载|下载文档|文档下载"),
    "archive": re.compile(r"Original URL\s*:|Archived from|Wayback Machine|Saved from url|网页快照|快照日期", re.I),
    "epaper": re.compile(r"^第\s*\d{1,3}\s*版\s*[:：]"),
    "related": re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页|相关阅读|相关报道|相关新闻|相关链接|相关文章|延伸阅读"
                          r"|推荐阅读)\s*[:：]"),
    "caption": re.compile(r"^(?:图为|图片为|图[:：]|图\s*\d+\s*[:：、 ]|圖\s*\d+|（图）$|\(图\)$|资料图|图片来源|摄影\s*[:：])"
                          r"|^!\[[^\]]*\]\([^)]*\)"
                          # A photo's caption of an official at work: 省长某某作政府工作报告, 主任某某出席会议.
                          r"|^[\u4e00-\u9fff]{0,8}(?:省长|市长|区长|县长|镇长|主任|书记|委员长)[\u4e00-\u9fff]{2,3}"
                          r"(?:作|出席|主持|参加|发表|看望|调研|视察)[\u4e00-\u9fff]{1,14}$"),
    "table": re.compile(r"^[\s|｜+\-=_]*\|[\s|｜+\-=_]*$"),
}
# Any of the phrases: one search tells the many lines that hold none from the few that need each kind tried.
# It is searched for by the first characters of the phrases not anchored at a line's start, and at a line's
# start (``crawler.opened``), so the engine skips every other position at once. The letters are each
# of the cases re.I folds together (İ ı for i, ſ for s): a class of them ignoring case would be tried everywhere.
_PHRASE_FIRST = "您现当所的位版©网公技主承与扫在小为本范文想需登查阅付V会仅免下快acioswACIOSWİıſ"
_ANY_PHRASE_BODY = "|".join(f"(?{'i' if phrase.flags & re.I else ''}:{phrase.pattern})" for phrase in PHRASES.values())
_ANY_PHRASE = opened(f"(?P<phrase>{_ANY_PHRASE_BODY})", _PHRASE_FIRST, ".", line_starts=True)
_ANY_PHRASE_IN_LINES = re.compile(_ANY_PHRASE_BODY)  # a text of more than one line: its first line's start only
_MAX_CHROME_LINE = 80  # a longer line is text, whatever words it holds
_SHORT = 30            # the longest line taken into a block by its neighbours


def _vocabulary(words) -> str:
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


# Only the words are of either case (QQ, English): the whole pattern under re.I took four times as long to
# compile, each of its classes of Chinese characters folded character by character.
_WORD_LINE = {
    kind: re.compile(rf"^(?:(?i:{_vocabulary(words)})|{_SITE}|{_DATE}|{_TIME}|\d+|{_SEPARATORS})+$")
    for kind, words in WORDS.items()
}
_WORD = {kind: re.compile(_vocabulary(words), re.I) for kind, words in WORDS.items()}
# A line no kind's words make up is made up of none of them: one match spares trying each kind.
_ANY_WORD_LINE = re.compile(
    rf"^(?:(?i:{_vocabulary({word for words in WORDS.values() for word in words})})|{_SITE}|{_DATE}|{_TIME}|\d+"
    rf"|{_SEPARATORS})+$")
_FILLER = re.compile(rf"^(?:{_SITE}|{_DATE}|{_TIME}|\d+|{_SEPARATORS})*$")
_META_KEY = re.compile(_vocabulary(KEYS["meta"]))
_KEY = re.compile(rf"(?P<key>{_vocabulary({word for words in KEYS.values() for word in words})})\s*[:：]\s*")
_KEY_KIND = {word: kind for kind, words in KEYS.items() for word in words}
_SENTENCE_END = re.compile(r"[。！？!?；;]$")
_BARE_SEPARATOR = re.compile(rf"^{_SEPARATORS}+$")


def _pairs(text: str) -> tuple[list[str], str] | None:
    """The kinds of the ``key:value`` pairs a line is made of, and what is left of it once they are taken out;
    None when it holds no such pair. A value runs to the next key, or is one short word (a name, a date)."""
    keys = list(_KEY.finditer(text))
    if not keys:
        return None
    kinds = []
    rest = text[: keys[0].start()]
    for index, key in enumerate(keys):
        kinds.append(_KEY_KIND[key["key"]])
        end = keys[index + 1].start() if index + 1 < len(keys) else len(text)
        value = text[key.end():end]
        # A value is a short run (a name, a site, a date); what follows it, after a space, is not the pair's.
        head, _, tail = value.strip().partition(" ")
        if len(head) > 24:
            return None
        rest += " " + tail
    return kinds, rest


def any_phrase(line: str) -> tuple[int, int] | None:
    """The span of the first match of any of the ``PHRASES`` in ``line``, or None."""
    if "\n" in line:
        match = _ANY_PHRASE_IN_LINES.search(line)
        return match.span() if match else None
    found = _ANY_PHRASE.first(line)
    return found and found[1:]


@functools.lru_cache(maxsize=8192)  # normalization asks of a line twice: joining it, then classifying it
def line_kind(text: str) -> str | None:
    """The kind of chrome ``text`` is by itself (``toolbar``, ``breadcrumb``, ``footer``…), ``dateline`` for a
    line of an article's date and source, or None for text."""
    line = text.strip()
    if not line:
        return None
    head = line[:200]
    # Every archive phrase holds an "a" (of either case: nothing else is one under re.I) or 快照.
    if ("a" in head or "A" in head or "快照" in head) and PHRASES["archive"].search(head):
        return "archive"
    if len(line) > _MAX_CHROME_LINE:
        return None
    if any_phrase(line):
        for kind, phrase in PHRASES.items():
            if phrase.search(line):
                return kind
    if len(_META_KEY.findall(line)) >= 2 or (_META_KEY.match(line) and len(line) <= 40):
        return "meta"  # an information-disclosure table: 索引号 … 发布机构 … 文号 …
    squeezed = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", line) if " " in line else line  # 内 容 → 内容
    if squeezed != line and PHRASES["footer"].search(squeezed):
        return "footer"
    pairs = _pairs(line) if ":" in line or "：" in line else None  # a key stands before a colon
    if pairs is not None:
        kinds, rest = pairs
        rest_kind = None if _FILLER.match(rest) else _words_kind(rest)
        if not _FILLER.match(rest) and rest_kind is None:
            return None
        found = [kind for kind in (*kinds, rest_kind) if kind and kind != DATELINE]
        if not found:
            return DATELINE
        return Counter(found).most_common(1)[0][0]
    return _words_kind(line)


def _words_kind(line: str) -> str | None:
    """The kind of chrome whose words alone make ``line`` up, or None."""
    if _BARE_SEPARATOR.match(line) or not _ANY_WORD_LINE.match(line):
        return None
    for kind, pattern in _WORD_LINE.items():
        if pattern.match(line) and _WORD[kind].search(line):
            return kind
    return None


def classify(texts: Sequence[str]) -> list[str | None]:
    """The kind of each line among ``texts`` (the paragraphs of a page, in order): a kind of chrome,
    ``dateline``, or None for text; lines are read in their blocks (see the module docstring)."""
    kinds: list[str | None] = [line_kind(text) for text in texts]
    count = len(texts)
    # A breadcrumb written one item a line: 首页 / > / 政府信息公开 / > / …
    for index in range(count - 1):
        if kinds[index] == "nav" and _BREADCRUMB_ROOT.match(texts[index].strip()) and _is_step(texts[index + 1]):
            end = index
            while end + 2 < count and _is_step(texts[end + 1]) and _crumb(texts[end + 2]):
                end += 2
            for covered in range(index, end + 1):
                kinds[covered] = "breadcrumb"
    # A lone separator after a chrome line is the block's (a toolbar's closing 】, a table's |).
    for index in range(1, count):
        if kinds[index] is None and _BARE_SEPARATOR.match(texts[index].strip()) and kinds[index - 1] not in (
                None, DATELINE):
            kinds[index] = kinds[index - 1]
    _take_the_page_head(texts, kinds)
    _take_the_page_foot(texts, kinds)
    return kinds


_BREADCRUMB_ROOT = re.compile(r"^(?:首页|主页|网站首页)$")


def _is_step(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:>|＞|>>|»|›|→|/)\s*", text))


def _crumb(text: str) -> bool:
    line = text.strip()
    return 0 < len(line) <= 16 and not _SENTENCE_END.search(line) and not re.search(r"[，,。]", line)


def _short(text: str) -> bool:
    line = text.strip()
    return len(line) <= _SHORT and not _SENTENCE_END.search(line) and not re.search(r"[，,]", line)


_TITLE_WORDS = re.compile(r"\d|报告|总结|工作|会议|通知|决定|公告|讲话|意见|办法|纪要|公报|情况|活动")


def _take_the_page_head(texts: Sequence[str], kinds: list[str | None]) -> None:
    """The few short lines above a breadcrumb or a menu that opens a page are the site's head (its name, a
    slogan, a login box): chrome of the same block. A line that may be the title is never taken."""
    first = next((i for i, kind in enumerate(kinds[:4]) if kind in ("breadcrumb", "nav")), None)
    if first is None:
        return
    head = range(first)
    if all(kinds[i] is None and len(texts[i].strip()) <= 30 and not _SENTENCE_END.search(texts[i])
           and not _TITLE_WORDS.search(texts[i]) for i in head):
        for index in head:
            kinds[index] = kinds[first]


def _take_the_page_foot(texts: Sequence[str], kinds: list[str | None]) -> None:
    """After the last sentence of a page, its foot: the lines after a footer, related-links or share line are
    the same block (contact lines, headline links), and a short line just above a footer is its owner's name;
    a run of headline-like short lines closing the page is links to other articles."""
    count = len(texts)
    start = next((i for i in range(max(count - 12, 0), count) if kinds[i] in ("footer", "related")), None)
    if start is not None:
        for index in range(start + 1, count):
            if kinds[index] == DATELINE or kinds[index] is None and (
                    _short(texts[index]) or len(texts[index].strip()) <= 60 and not _SENTENCE_END.search(texts[index])):
                kinds[index] = kinds[start]
        if start > 0 and kinds[start] == "footer" and kinds[start - 1] is None and len(texts[start - 1].strip()) <= 8 \
                and not _SENTENCE_END.search(texts[start - 1]):
            kinds[start - 1] = "footer"
    # Headline links appended after the text: two or more short lines without a sentence's end, closing the
    # page, after a line that ends as a sentence does.
    tail = count
    while tail > 0 and kinds[tail - 1] is None and _headline(texts[tail - 1]):
        tail -= 1
    if count - tail >= 2 and tail > 0 and _SENTENCE_END.search(texts[tail - 1].strip()):
        for index in range(tail, count):
            kinds[index] = "related"


def _headline(text: str) -> bool:
    line = text.strip()
    return 8 <= len(line) <= 40 and not _SENTENCE_END.search(line) and not re.match(
        r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、])", line) and not re.search(
        r"\d{4}\s*年\s*\d{1,2}\s*月|工委$|委员会$|人大$", line)


def blocks(kinds: Sequence[str | None]) -> list[tuple[int, int, str]]:
    """The runs of one kind of chrome among ``kinds``: (first index, last index, kind); a share bar right
    under a toolbar is a block of its own, as a reader tells them apart."""
    found = []
    index = 0
    while index < len(kinds):
        kind = kinds[index]
        if kind in (None, DATELINE):
            index += 1
            continue
        start = index
        while index + 1 < len(kinds) and kinds[index + 1] == kind:
            index += 1
        found.append((start, index, kind))
        index += 1
    return found
