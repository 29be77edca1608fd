"""Times as people read them: in one zone (the configured ``schedule.timezone``, Beijing time by default)
and one format, to the second: ``2026-12-01 16:32:05 +08:00``. Machines get ISO 8601 from the JSON instead."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BEIJING = "Asia/Shanghai"


@cache
def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(BEIJING)


def local_time(moment: datetime | str | None, zone: str = BEIJING) -> str:
    """``moment`` (a datetime, or an ISO string as stored) in ``zone``, to the second; '' for none or nonsense.

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
    shown = moment.astimezone(_zone(zone))
    offset = shown.strftime("%z")
    return f"{shown:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"
