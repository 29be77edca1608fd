"""Word documents (.docx) read as they would print: one line a paragraph, Word's numbering made visible.

The body is read in reading order: each paragraph is a line, and so is each table cell (its paragraphs,
and the cells of a table inside it, joined by a space; a cell merged into the one above it is not read
again). Line ``N`` is therefore paragraph ``N`` as findings name it (第 N 段). A line break inside a
paragraph reads as a space, a tab as a tab. Headers, footers, footnotes, the comments' own words and
floating text boxes are not body and are left out.

Tracked changes read as the document would print once they are accepted: insertions in, deletions
out. A paragraph that still carries unaccepted changes, and text a comment is anchored to, get an
``artifact`` note (kinds ``revision`` and ``comment``) where they stand: a report is not meant to be
published that way.

Word's own list numbering is not in the text of a paragraph: Word draws it from ``numbering.xml``.
``Numbering`` computes the label a reader sees and puts it in front of the paragraph's text, as
ECMA-376 §17.9 describes it: a paragraph is numbered by ``w:numPr`` (``w:numId``, ``w:ilvl``), its own
or its style's (through ``w:basedOn``); ``w:num`` names a ``w:abstractNum`` whose ``w:lvl`` gives, per
level, ``w:start``, ``w:numFmt`` (``chineseCounting`` 一 … 十一, ``decimal``, ``ideographTraditional``
甲乙丙…), ``w:lvlText`` (``%1、``, ``（%2）``: ``%N`` is level N's counter in level N's format, or in
decimal under ``w:isLgl``), ``w:suff`` (tab, space or nothing after the label) and ``w:lvlRestart``.
Counters belong to the abstract list, so every ``w:num`` of one list counts on, unless it overrides a
level's start (``w:startOverride``) or the level itself; using a level restarts the levels below it.
Bullets are not numbering and add nothing.

It must never write the file, follow its links or run anything it holds.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from crawler.errors import InputError
from crawler.records import Note, Reading, SourceText

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A .docx inflating past this many times validate.max_file_bytes is a zip bomb: Word's XML packs 5–12 fold.
INFLATION = 4
INSERTED = frozenset({W + "ins", W + "moveTo"})
DELETED = frozenset({W + "del", W + "moveFrom"})
# Containers whose children are read as if they stood in their place.
WRAPPERS = frozenset(W + name for name in ("hyperlink", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent",
                                           "bdo", "dir"))
BREAKS = {W + "tab": "\t", W + "br": " ", W + "cr": " ", W + "noBreakHyphen": "-", W + "softHyphen": ""}
_NOT_PRINTED = re.compile(r"[\r\n]")


def read_docx(data: bytes, path: str, max_bytes: int, encoding: str = "docx") -> Reading:
    """The ``Reading`` of a .docx: its body as lines, its unaccepted changes and comments as notes.

    ``InputError`` names ``path`` when the file is no Word document, is damaged, or inflates past
    ``INFLATION`` times ``max_bytes``.
    """
    body, styles, numbering, comment_text = _parts(data, path, max_bytes)
    reader = _Body(Numbering(numbering, styles), comment_text)
    for block in _blocks(body):
        reader.block(block)
    if not reader.lines:
        raise InputError(path, f"{path}: holds no text to validate")
    lines = tuple(reader.lines)
    source = SourceText(path=path, text="\n".join(lines) + "\n", encoding=encoding, lines=lines)
    return Reading(source=source, notes=tuple(reader.notes))


def _parts(data: bytes, path: str, max_bytes: int):
    """The body, styles and numbering elements of the package; ``InputError`` when it cannot be read."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            inflated = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise InputError(path, f"{path}: is damaged or cut short (not a whole .docx); open it in Word and save it "
                               "again") from None
    if inflated > INFLATION * max_bytes:
        raise InputError(path, f"{path}: would inflate to {inflated:,} bytes, over {INFLATION} times "
                               f"validate.max_file_bytes ({max_bytes:,}); split it or raise the limit")
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError):
        raise InputError(path, f"{path}: is a ZIP archive but not a Word document; give the report as .docx, "
                               ".pdf or text") from None
    except Exception as error:  # noqa: BLE001 - lxml and zipfile raise many kinds on a damaged part
        raise InputError(path, f"{path}: is damaged ({type(error).__name__}: {str(error)[:100]}); open it in "
                               "Word and save it again") from None
    try:
        numbering = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        numbering = None

    def comment_text(key: str | None) -> str:
        """The words of comment ``key``, as its author wrote them."""
        try:
            comment = document.comments.get(int(key or ""))
        except (ValueError, KeyError):
            return ""
        return comment.text.strip() if comment is not None else ""

    return document.element.body, document.styles.element, numbering, comment_text


def _blocks(container) -> Iterator:
    """The paragraphs and tables of ``container`` in order, content controls and custom XML opened."""
    for child in container:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in WRAPPERS:
            yield from _blocks(child)


class _Line:
    """A line under construction: its text, what unaccepted changes did to it, the comments that end in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.changes: list[tuple[int, int]] = []
        self.said: list[str] = []
        self.comments: list[tuple[int, int, int, str]] = []

    def add(self, text: str) -> None:
        text = _NOT_PRINTED.sub(" ", text)
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Body:
    """Reads body blocks into lines and notes, numbering paragraphs as it goes."""

    def __init__(self, numbering: Numbering, comment_text) -> None:
        self.numbering = numbering
        self.comment_text = comment_text
        self.lines: list[str] = []
        self.notes: list[Note] = []
        self._open: dict[str, tuple[int, int]] = {}
        self._noted: set[str] = set()

    def block(self, element) -> None:
        if element.tag == W + "p":
            line = _Line()
            self._paragraph(element, line)
            self._end(line)
            return
        for cell in element.iter(W + "tc"):
            if cell.getparent().getparent() is not element:
                continue  # a cell of a table inside a cell: read with that cell
            merge = cell.find(f"{W}tcPr/{W}vMerge")
            line = _Line()
            for index, paragraph in enumerate(cell.iter(W + "p")):
                if index:
                    line.add(" ")
                self._paragraph(paragraph, line)
            if merge is not None and merge.get(W + "val") != "restart" and not line.text.strip():
                continue  # the lower part of a vertically merged cell: one cell to a reader
            self._end(line)

    def _end(self, line: _Line) -> None:
        self.lines.append(line.text)
        number, text = len(self.lines), line.text
        if line.changes:
            start = min(span[0] for span in line.changes)
            end = max(span[1] for span in line.changes)
            if end <= start:  # only deletions: the whole paragraph is what the reader must look at
                start, end = 0, len(text)
            self.notes.append(Note("artifact", "revision", number, start + 1, number, end + 1,
                                   "；".join(line.said) or text[start:end]))
        for first, start, end, words in line.comments:
            if first == number and end <= start:  # anchored to no text: the paragraph it stands in
                start, end = 0, len(text)
            self.notes.append(Note("artifact", "comment", first, start + 1, number, end + 1, words))

    def _paragraph(self, paragraph, line: _Line) -> None:
        properties = paragraph.find(W + "pPr")
        if properties is not None and (properties.find(W + "pPrChange") is not None or any(
                mark.tag in INSERTED | DELETED for mark in properties.findall(f"{W}rPr/*"))):
            line.changes.append((line.length, line.length))
            line.said.append("段落格式修改")
        label = self.numbering.label(properties)
        if label:
            line.add(label)
        self._content(paragraph, line)

    def _content(self, element, line: _Line) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self._run(child, line)
            elif tag in INSERTED:
                start = line.length
                self._content(child, line)
                line.changes.append((start, line.length))
                line.said.append(f"插入：{_short(line.text[start:])}")
            elif tag in DELETED:
                line.changes.append((line.length, line.length))
                line.said.append(f"删除：{_short(''.join(t.text or '' for t in child.iter(W + 'delText')))}")
            elif tag in WRAPPERS:
                self._content(child, line)
            elif tag == W + "commentRangeStart":
                self._open[child.get(W + "id")] = (len(self.lines) + 1, line.length)
            elif tag == W + "commentRangeEnd":
                self._comment(child.get(W + "id"), line)

    def _run(self, run, line: _Line) -> None:
        start = line.length
        for child in run:
            tag = child.tag
            if tag == W + "t":
                line.add(child.text or "")
            elif tag in BREAKS:
                line.add(BREAKS[tag])
            elif tag == W + "commentReference":
                self._comment(child.get(W + "id"), line)
        if run.find(f"{W}rPr/{W}rPrChange") is not None:
            line.changes.append((start, line.length))
            line.said.append(f"格式修改：{_short(line.text[start:])}")

    def _comment(self, key: str | None, line: _Line) -> None:
        """A comment ends here: from where its range began (or, with no range, this paragraph) to here."""
        if key in self._noted:
            return
        self._noted.add(key)
        here = len(self.lines) + 1
        first, start = self._open.pop(key, (here, line.length))
        if first == here:
            anchored = line.text[start:]
        else:
            anchored = self.lines[first - 1][start:] + "".join(self.lines[first:]) + line.text
        words = self.comment_text(key) or anchored
        line.comments.append((first, start, line.length, _short(words)))


def _short(text: str, longest: int = 30) -> str:
    return text if len(text) <= longest else text[: longest - 1] + "…"


class Numbering:
    """The labels Word draws in front of numbered paragraphs (一、 （一） 1.), computed in document order."""

    def __init__(self, numbering, styles) -> None:
        self.abstracts: dict[str, dict[int, dict]] = {}
        self.links: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, dict]]] = {}
        self.styles: dict[str, tuple[str | None, object]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[tuple[str, int]] = set()
        if styles is not None:
            for style in styles.iter(W + "style"):
                based = style.find(W + "basedOn")
                self.styles[style.get(W + "styleId")] = (
                    based.get(W + "val") if based is not None else None, style.find(f"{W}pPr/{W}numPr"))
        if numbering is None:
            return
        for abstract in numbering.iter(W + "abstractNum"):
            key = abstract.get(W + "abstractNumId")
            self.abstracts[key] = {int(lvl.get(W + "ilvl", 0)): _level(lvl) for lvl in abstract.iter(W + "lvl")}
            link = abstract.find(W + "numStyleLink")
            if link is not None:
                self.links[key] = link.get(W + "val")
        for num in numbering.iter(W + "num"):
            abstract = num.find(W + "abstractNumId")
            overrides = {}
            for override in num.iter(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                lvl = override.find(W + "lvl")
                overrides[int(override.get(W + "ilvl", 0))] = {
                    "start": _int(start.get(W + "val")) if start is not None else None,
                    "level": _level(lvl) if lvl is not None else None}
            if abstract is not None:
                self.nums[num.get(W + "numId")] = (abstract.get(W + "val"), overrides)

    def label(self, properties) -> str:
        """The label of the paragraph whose ``w:pPr`` is ``properties`` (None: none), counting it."""
        num_id, level = self._numbered(properties)
        if num_id is None or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        abstract = self._resolved(abstract)
        levels = {**self.abstracts.get(abstract, {}),
                  **{ilvl: o["level"] for ilvl, o in overrides.items() if o["level"] is not None}}
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [None] * 9)
        start = overrides.get(level, {}).get("start")
        if start is not None and (num_id, level) not in self.started:
            self.started.add((num_id, level))
            counters[level] = start
        else:
            counters[level] = levels[level]["start"] if counters[level] is None else counters[level] + 1
        for deeper in range(level + 1, 9):
            restart = levels.get(deeper, {}).get("restart")
            if restart is None or (restart and level < restart):
                counters[deeper] = None
        this = levels[level]
        if this["format"] == "bullet":
            return ""

        def counter(match: re.Match[str]) -> str:
            index = int(match[1]) - 1
            other = levels.get(index, {"start": 1, "format": "decimal"})
            value = counters[index] if counters[index] is not None else other["start"]
            return format_number(value, "decimal" if this["legal"] and other["format"] != "none" else other["format"])

        return re.sub(r"%([1-9])", counter, this["text"]) + this["suffix"]

    def _numbered(self, properties) -> tuple[str | None, int]:
        """The numId and level of a paragraph: its own ``w:numPr``, or its style's (through ``w:basedOn``)."""
        num_id, level = None, None
        if properties is not None:
            own = properties.find(W + "numPr")
            if own is not None:
                num_id, level = _numpr(own)
            style = properties.find(W + "pStyle")
            style_id = style.get(W + "val") if style is not None else None
        else:
            style_id = None
        seen = set()
        while num_id is None and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            based, numpr = self.styles[style_id]
            if numpr is not None:
                num_id, inherited = _numpr(numpr)
                level = level if level is not None else inherited
            style_id = based
        return (None if num_id == "0" else num_id), min(level or 0, 8)

    def _resolved(self, abstract: str) -> str:
        """An abstract list that only links to a numbering style resolved to the list that style uses."""
        style = self.links.get(abstract)
        if style and style in self.styles and self.styles[style][1] is not None:
            num_id, _ = _numpr(self.styles[style][1])
            if num_id in self.nums:
                return self.nums[num_id][0]
        return abstract


def _numpr(numpr) -> tuple[str | None, int | None]:
    num = numpr.find(W + "numId")
    level = numpr.find(W + "ilvl")
    return (num.get(W + "val") if num is not None else None,
            _int(level.get(W + "val")) if level is not None else None)


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> dict:
    def value(name: str, default: str | None = None) -> str | None:
        element = lvl.find(W + name)
        return element.get(W + "val", default) if element is not None else default

    legal = lvl.find(W + "isLgl")
    return {
        "start": _int(value("start"), 0),
        "format": value("numFmt", "decimal"),
        "text": value("lvlText", "") or "",
        "restart": _int(value("lvlRestart")) if value("lvlRestart") is not None else None,
        "legal": legal is not None and legal.get(W + "val", "true") not in ("0", "false", "off"),
        "suffix": {"tab": "\t", "space": " ", "nothing": ""}.get(value("suff", "tab") or "tab", "\t"),
    }


# --- number formats (ST_NumberFormat) -------------------------------------------------------------------

DIGITS = "〇一二三四五六七八九"
# The counting systems that write 十一 for 11 (LibreOffice saves Chinese numbering as the Taiwanese one).
COUNTING = frozenset({"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
                      "japaneseCounting"})
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
SERIES = {
    "ideographTraditional": "甲乙丙丁戊己庚辛壬癸",
    "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥",
    "decimalEnclosedCircle": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
    "decimalEnclosedCircleChinese": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
    "decimalEnclosedParen": "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇",
    "decimalEnclosedFullstop": "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛",
}
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def format_number(value: int, number_format: str) -> str:
    """``value`` written as Word writes a counter in ``number_format``; a format it does not know is decimal."""
    if number_format == "none":
        return ""
    if number_format in COUNTING:
        return counting(value, "零一二三四五六七八九", "十百千", short_ten=True)
    if number_format == "chineseLegalSimplified":
        return counting(value, LEGAL_DIGITS, "拾佰仟", short_ten=False)
    if number_format == "ideographDigital":
        return "".join(DIGITS[int(digit)] for digit in str(value))
    if number_format in SERIES and 0 < value <= len(SERIES[number_format]):
        return SERIES[number_format][value - 1]
    if number_format in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = ""
        for amount, letters in ROMAN:
            count, value = divmod(value, amount)
            roman += letters * count
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate({code: code + 0xFEE0 for code in range(0x30, 0x3A)})
    return str(value)


def counting(value: int, digits: str, units: str, *, short_ten: bool) -> str:
    """``value`` (1–9999) in Chinese counting: 十一, 一百零一, 一千零一十; 10–19 as 十… when ``short_ten``.

    ``digits`` are zero to nine, ``units`` ten, hundred and thousand (十百千, or 拾佰仟 for the legal form).
    """
    if not 0 < value < 10000:
        return str(value)
    parts: list[str] = []
    zero = False
    for place in (3, 2, 1, 0):
        digit = value // 10**place % 10
        if not digit:
            zero = zero or bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        unit = units[place - 1] if place else ""
        parts.append(("" if short_ten and place == 1 and digit == 1 and not parts else digits[digit]) + unit)
    return "".join(parts)
