"""Every kind of document wrqa tells apart has a Chinese name in the report."""

from __future__ import annotations

import re

from crawler.domain import KINDS
from reports.words import KINDS as KIND_WORDS


def test_every_kind_has_a_chinese_name():
    assert [] == [kind for kind in KINDS if not re.search(r"[\u4e00-\u9fff]", KIND_WORDS.get(kind, ""))]
