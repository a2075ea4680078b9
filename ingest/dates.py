"""Publication dates: normalised to ISO text for display and to epoch seconds for filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d/%m/%Y", "%Y%m%d")


def parse_date(value: object) -> datetime | None:
    """A timezone-aware datetime from ISO-like text, a date or a datetime; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = str(value).strip()
    # "2023-11-27 08:45:59.000000000Z": fromisoformat takes at most 6 fraction digits.
    iso = re.sub(r"(\.\d{6})\d+", r"\1", text).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = None
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso_date(value: object) -> str:
    """``YYYY-MM-DD`` (or full ISO datetime when a time is given), "" when unknown."""
    parsed = parse_date(value)
    if parsed is None:
        return ""
    if (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0):
        return parsed.date().isoformat()
    return parsed.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def timestamp(value: object) -> int | None:
    """Epoch seconds, for range filters in the store."""
    parsed = parse_date(value)
    return int(parsed.timestamp()) if parsed else None
