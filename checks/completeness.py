"""Whether a document is whole: a text cut mid-sentence or mid-list (an excerpt, a page saved half-loaded).

A text is taken as cut when its last paragraph ends as no sentence ends (on a comma, an enumeration's
、, a half word) and is not a signature, a date or a short closing line. A cut text is told once, as a
notice, and is never held to the parts a whole report must have. Plain functions; they judge nothing.
"""

from __future__ import annotations

import re

from crawler.records import Document

# How a paragraph may end: a sentence, a quotation or bracket closing one, a list's colon, an ellipsis.
ENDS = re.compile(r"[。！？!?…”’」』）)】》\]:：]$")
# Lines that close a document without a sentence: a date, a signature, 特此报告, an attachment's name.
CLOSING = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[〇○零一二三四五六七八九十]{4}年.{1,6}月.{0,4}日?"
    r"|特此报告|以上报告|妥否|请审议|附件.{0,40}|[（(]?[\u4e00-\u9fff]{2,20}[）)]?)$"
)


def cut_at(document: Document) -> int | None:
    """The offset of the last paragraph of ``document``'s text when the text stops mid-sentence, else None."""
    text = document.text.rstrip()
    if not text:
        return None
    start = text.rfind("\n") + 1
    last = text[start:].strip()
    if start == 0 or ENDS.search(last) or (len(last) <= 20 and CLOSING.match(last)):
        return None
    return start
