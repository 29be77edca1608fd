"""Times as people read them, in one zone (the configured ``schedule.timezone``, Beijing time by default):
to the second for status and logs (``2026-12-01 16:32:05 +08:00``), and as a reader of the HTML report
writes them, to the minute (``2026年12月1日 16:32``). Machines get ISO 8601 from the JSON instead."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BEIJING = "Asia/Shanghai"


@cache
def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(BEIJING)


def _in_zone(moment: datetime | str | None, zone: str) -> datetime | str:
    """``moment`` in ``zone``; '' for none, and a string that is no ISO time as it is.

    A time without a zone is taken as UTC, which is how wrqa stores them.
    """
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone))


def local_time(moment: datetime | str | None, zone: str = BEIJING) -> str:
    """``moment`` (a datetime, or an ISO string as stored) in ``zone``, to the second; '' for none."""
    shown = _in_zone(moment, zone)
    if isinstance(shown, str):
        return shown
    offset = shown.strftime("%z")
    return f"{shown:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def report_time(moment: datetime | str | None, zone: str = BEIJING) -> str:
    """``moment`` in ``zone`` as the report shows it, to the minute: ``2026年12月1日 16:32``; '' for none."""
    shown = _in_zone(moment, zone)
    if isinstance(shown, str):
        return shown
    return f"{shown.year}年{shown.month}月{shown.day}日 {shown:%H:%M}"


def report_day(moment: date | datetime | str | None, zone: str = BEIJING) -> str:
    """The day of ``moment`` in ``zone`` (a date or an ISO date is that day): ``2026年12月1日``; '' for none."""
    if isinstance(moment, str) and len(moment) == 10:
        try:
            moment = date.fromisoformat(moment)
        except ValueError:
            return moment
    if isinstance(moment, date) and not isinstance(moment, datetime):
        return f"{moment.year}年{moment.month}月{moment.day}日"
    return report_time(moment, zone).split(" ")[0]
