"""Numbers as Chinese reports write them: Arabic, full-width (folded before this), or Chinese numerals.

Pure functions. A Chinese numeral is read by place (一百零五, 九十五点五, 两千, the short 一百五 for 150) or digit
by digit (二〇二二); a run of characters that is neither (十百一, 三五百) is none, and raises ValueError.
"""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACES = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(text: str) -> int:
    """The value of a small Chinese ordinal (``三`` → 3, ``十二`` → 12, ``二十六`` → 26)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _DIGITS.get(text, 0)
    tens, _, units = text.partition("十")
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)


def chinese_number(text: str) -> float:
    """The value of a Chinese numeral such as ``一百零五`` or ``九十五点五``; ValueError if it is none."""
    whole, point, fraction = text.partition("点")
    if not whole or not all(character in _DIGITS for character in fraction):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    value = _integer(whole, text)
    if fraction:
        return float(f"{value}.{''.join(str(_DIGITS[character]) for character in fraction)}")
    return float(value)


def _integer(text: str, numeral: str) -> int:
    if all(character in _DIGITS for character in text):  # digit by digit: 二〇二二, 三五
        return int("".join(str(_DIGITS[character]) for character in text))
    total, digit, place, skipped = 0, None, 10_000, False
    for character in text:
        if character in _PLACES:
            value = _PLACES[character]
            if digit is None and value == 10:  # 十二, 一百十, 一千零十
                digit = 1
            if digit is None or value >= place or (skipped and value * 10 >= place):
                raise ValueError(f"not a Chinese numeral: {numeral!r}")
            total, digit, place, skipped = total + digit * value, None, value, False
        elif character not in _DIGITS:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
        elif _DIGITS[character] == 0:  # a place skipped after 百 or 千 (一百零五); never 十零, 零零 or 零 first
            if digit is not None or skipped or not 100 <= place < 10_000:
                raise ValueError(f"not a Chinese numeral: {numeral!r}")
            skipped = True
        elif digit is None:
            digit = _DIGITS[character]
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if digit is not None:  # the last digit: of the ones after 零, else of the place below the last (一百五: 150)
        total += digit if skipped else digit * (place // 10)
    return total
