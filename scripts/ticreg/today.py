""""Today" for the registry: the calendar date in Asia/Shanghai.

Read once, at the command line, and passed down: CI runs in UTC, where
before 08:00 in Jincheng the date is still yesterday.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from .errors import UsageError

TIMEZONE = ZoneInfo("Asia/Shanghai")


def shanghai_today(now: dt.datetime | None = None) -> dt.date:
    """The date in Asia/Shanghai at ``now`` (an aware datetime; default: the clock)."""
    moment = now if now is not None else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(TIMEZONE).date()


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_argument(text: str, option: str) -> dt.date:
    # Only YYYY-MM-DD: fromisoformat would also take week dates (2026-W38-5).
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} 的日期“{text}”无效：应为实际存在的日期，格式 YYYY-MM-DD") from None
