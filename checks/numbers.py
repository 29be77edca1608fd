"""Numbers as Chinese reports write them: Arabic, full-width (folded before this), or Chinese numerals.

Pure functions; cn2an does the Chinese numerals, imported the first time one is read (it costs 0.2 s).
"""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


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
    import cn2an

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (KeyError, IndexError, TypeError, ValueError):
        # cn2an raises KeyError and friends on malformed numerals such as 二十六二十六.
        raise ValueError(f"not a Chinese numeral: {text!r}") from None
