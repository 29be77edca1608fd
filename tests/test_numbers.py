"""Chinese numerals read as a report's reader reads them, and a run of numeral characters that is none refused."""

from __future__ import annotations

import pytest

from checks.numbers import chinese_number, chinese_to_int


@pytest.mark.parametrize(("written", "value"), [
    ("十", 10), ("十二", 12), ("一十二", 12), ("二十", 20), ("两十", 20), ("十两", 12), ("二十六", 26),
    ("一百", 100), ("两百", 200), ("一百零五", 105), ("一百零", 100), ("一百十", 110), ("一百一十", 110),
    ("一百五", 150), ("五千二", 5200), ("一千零一", 1001), ("一千零十", 1010), ("二千零二十", 2020),
    ("九九", 99), ("三五", 35), ("二〇二二", 2022), ("两", 2), ("零", 0),
    ("九十五点五", 95.5), ("零点五", 0.5), ("〇点五", 0.5), ("一点二三", 1.23), ("十点零五", 10.05), ("十五点", 15),
    ("一百二十三点四五", 123.45),
])
def test_a_numeral_is_read_by_place_or_digit_by_digit(written, value):
    assert value == chinese_number(written)


@pytest.mark.parametrize("written", [
    "", "十十", "百", "千", "百零五", "千零五", "一千百", "十零", "十零一", "零一百", "一百零零", "三百零五十",
    "二十六二十六", "十百一", "三五百", "两千千六", "点五", "五点十", "十点五点", "一百万", "3十",
])
def test_a_run_of_numeral_characters_that_is_no_numeral_is_refused(written):
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_number(written)


@pytest.mark.parametrize(("written", "value"), [("三", 3), ("十二", 12), ("二十六", 26), ("7", 7)])
def test_a_heading_ordinal_is_read(written, value):
    assert value == chinese_to_int(written)
